/*
 * scrub-marker: the domain whose data must not leak (domain 2 of
 * ram-scrub). Fills its RAM above its image with a marker and powers off;
 * its memory goes back to the hypervisor to be scrubbed before reuse.
 */
#include <xtf.h>
#include <xtf/marker.h>

const char test_title[] = "Scrub marker: fills its RAM with a marker, "
			  "powers off";

extern char _end[];

void test_main(void)
{
	uint64_t start = ((uint64_t)(uintptr_t)_end + 0xfffU) & ~0xfffULL;
	uint64_t end = platform.ram_base + platform.ram_size;
	uint64_t fdt = (uint64_t)(uintptr_t)platform.fdt & ~0xfffULL;
	uint64_t pa;

	for (pa = start; pa < end; pa += 4096) {
		if (pa >= fdt && pa < fdt + 0x10000) {
			continue; /* the device tree: still read at exit */
		}
		xtf_marker_fill((char *)(uintptr_t)pa, 4096);
	}
	printf("scrub-marker: filled 0x%llx-0x%llx, powering off\n",
	       (unsigned long long)start, (unsigned long long)end);
	xtf_success();
}
