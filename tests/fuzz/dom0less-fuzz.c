/*
 * libFuzzer target: the dom0less domain descriptions of a boot device tree
 * from a hostile or broken boot loader. The real lib/fdt.c, core/bootinfo.c
 * and arch/arm64/dt/dom0less-desc.c read it as boot does: the boot modules
 * (bootinfo_parse), then each "xen,domain" node under /chosen
 * (dom0less_read_desc, and the warning for properties Xenon does not
 * read). A description that is accepted must be within the bounds the
 * domain builder relies on. Any out-of-bounds access or undefined
 * behaviour is a crash (ASan, UBSan).
 *
 *   build/host/fuzz/dom0less-fuzz CORPUS_DIR -runs=N   (tests/run-all.py)
 */
#include <stddef.h>
#include <stdint.h>

#include <dt/dom0less-desc.h>
#include <hv/bootinfo.h>
#include <hv/config.h>
#include <hv/fdt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A description dom0less_read_desc() accepted must be one the builder
 * can take as it is. */
static void check_desc(const struct domu_desc *dd, int node,
		       const struct bootinfo *bi)
{
	if (dd->cpus == 0U || dd->cpus > MAX_VCPUS || dd->mem_kib < 4096U ||
	    (dd->mem_kib << 10) >> 10 != dd->mem_kib || dd->kernel == NULL ||
	    dd->kernel->kind != BOOTMOD_KERNEL ||
	    dd->kernel->domain_node != node || dd->kernel < bi->modules ||
	    dd->kernel >= bi->modules + bi->nr_modules) {
		__builtin_trap();
	}
	if (dd->ramdisk != NULL && (dd->ramdisk->kind != BOOTMOD_RAMDISK ||
				    dd->ramdisk->domain_node != node)) {
		__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bootinfo bi;
	struct domu_desc dd;
	struct fdt fdt;
	unsigned int n = 0;
	int chosen;
	int node;

	if (fdt_open(&fdt, data, size) != 0) {
		return 0;
	}
	if (bootinfo_parse(&fdt, &bi) != 0) {
		return 0;
	}
	chosen = fdt_path_offset(&fdt, "/chosen");
	/* The same walk as dom0less_create_domains(), bounded by the tree. */
	for (node = chosen >= 0 ? fdt_first_child(&fdt, chosen) : -1;
	     node >= 0 && n < 256U; node = fdt_next_sibling(&fdt, node), n++) {
		if (!fdt_is_compatible(&fdt, node, "xen,domain")) {
			continue;
		}
		if (dom0less_read_desc(&fdt, node, &bi, &dd) == NULL) {
			check_desc(&dd, node, &bi);
			dom0less_report_unknown_props(&fdt, node, dd.name);
		}
	}
	return 0;
}
