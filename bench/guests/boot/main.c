/*
 * boot: how long from reset until this domain's first instruction. Booted
 * as boot-stamped.bin (boot-prefix.S), whose first instruction reads
 * CNTPCT_EL0; the physical count starts at 0 at reset on both hypervisors
 * (QEMU's CPU reset), so the stamp is the virtual time from reset.
 *
 * Prints the stamp and the memory the domain was given (the domain-build
 * benchmarks boot this same image with more memory).
 */
#include <bench.h>

const char test_title[] = "Benchmark: reset to the domain's first instruction";

void test_main(void)
{
	uint64_t stamp = bench_boot_stamp();
	uint64_t mem = 0;
	int depth = 0, node = -1, len, i;
	const uint32_t *reg;
	const char *type;

	if (!stamp) {
		xtf_error("no entry stamp (not boot-stamped.bin?)");
		return;
	}
	/* All memory banks (a domain of 4 GiB or more has two). */
	while ((node = fdt_next_node(platform.fdt, node, &depth)) >= 0) {
		type = fdt_getprop(platform.fdt, node, "device_type", NULL);
		reg = fdt_getprop(platform.fdt, node, "reg", &len);
		if (depth != 1 || !type || strcmp(type, "memory") || !reg)
			continue;
		for (i = 0; i + 16 <= len; i += 16, reg += 4)
			mem += ((uint64_t)fdt32_to_cpu(reg[2]) << 32) |
			       fdt32_to_cpu(reg[3]);
	}
	printf("boot: domain memory %lu MiB\n", mem >> 20);
	printf("bench: boot_to_domU %lu ticks min=%lu max=%lu n=1 per=1\n",
	       stamp, stamp, stamp);
	xtf_success();
}
