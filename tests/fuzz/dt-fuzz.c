/*
 * libFuzzer target: a boot device tree from a hostile or broken boot
 * loader. The real lib/fdt.c and core/ code reads it as boot does: the
 * header and structure (fdt_open), RAM, CPUs, modules and the command line
 * (bootinfo_parse), and dom0's tree built from it (dom0_dt_build, with the
 * devices dom0 gets: dom0_dt_devices). Any out-of-bounds access, undefined
 * behaviour or write past the output buffer is a crash (ASan, UBSan).
 *
 *   build/host/fuzz/dt-fuzz CORPUS_DIR -runs=N     (tests/run-all.py)
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <hv/bootinfo.h>
#include <dt/dom0-dt.h>
#include <hv/fdt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUT_SIZE 65536U
#define GUARD 64U

static int count_device(void *ctx, const struct dom0_device *dev)
{
	unsigned int *n = ctx;

	(void)dev;
	(*n)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[OUT_SIZE + GUARD];
	static struct bootinfo bi;
	struct dom0_dt_info info = {
		.nr_vcpus = 2,
		.mem = {{0x40000000, 0x20000000}},
		.nr_mem = 1,
		.bootargs = "console=hvc0",
		.gnttab = {0x38000000, 0x40000},
		.nr_ext = 0,
		.evtchn_irq = 31,
		.uart_node = -1,
		.gic_v3 = true,
	};
	struct fdt fdt;
	unsigned int devices = 0;
	unsigned int i;

	if (fdt_open(&fdt, data, size) != 0) {
		return 0;
	}
	(void)bootinfo_parse(&fdt, &bi);
	info.uart_node = fdt_find_compatible(&fdt, -1, "arm,pl011");
	memset(out + OUT_SIZE, 0xa5, GUARD);
	(void)dom0_dt_build(&fdt, &info, out, OUT_SIZE);
	for (i = 0; i < GUARD; i++) {
		if (out[OUT_SIZE + i] != 0xa5U) {
			__builtin_trap(); /* written past the buffer */
		}
	}
	info.gic_v3 = false;
	(void)dom0_dt_build(&fdt, &info, out, 512);
	(void)dom0_dt_devices(&fdt, info.uart_node, count_device, &devices);
	return 0;
}
