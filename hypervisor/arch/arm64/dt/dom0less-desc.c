/*
 * Reading a dom0less domain's description: a node under /chosen with
 * compatible "xen,domain" and Xen 4.17's bindings (see <dt/dom0less-desc.h>).
 * The tree comes from the boot loader: every property is checked before it
 * is used, and the result is bounded (1 to MAX_VCPUS vCPUs, 4 MiB to
 * the size of the guest RAM regions).
 */
#include <dt/dom0less-desc.h>
#include <dt/xen-arm-abi.h>
#include <hv/config.h>
#include <hv/page-alloc.h>
#include <hv/printk.h>
#include <hv/string.h>

/* Properties of a xen,domain node that Xenon reads. */
static const char *const known_props[] = {
	"compatible", "#address-cells", "#size-cells",		 "memory",
	"cpus",	      "vpl011",		"xen,domain-p2m-mem-mb",
};

void dom0less_report_unknown_props(const struct fdt *fdt, int node,
				   const char *name)
{
	const char *prop;
	unsigned int i;
	bool known;
	int off;

	for (off = fdt_first_prop(fdt, node); off >= 0;
	     off = fdt_next_prop(fdt, off)) {
		if (fdt_prop_at(fdt, off, &prop, NULL, NULL) != 0) {
			break;
		}
		known = false;
		for (i = 0; i < ARRAY_SIZE(known_props); i++) {
			known = known || (strcmp(prop, known_props[i]) == 0);
		}
		if (!known) {
			printk(XENLOG_WARNING "%s: property '%s' is not "
					      "supported yet: ignored\n",
			       name, prop);
		}
	}
}

const char *dom0less_read_desc(const struct fdt *fdt, int node,
			       const struct bootinfo *bi, struct domu_desc *dd)
{
	const uint8_t *val;
	uint32_t len;
	uint32_t mb = 0;
	unsigned int i;

	memset(dd, 0, sizeof(*dd));
	dd->name = fdt_node_name(fdt, node);
	if ((fdt_getprop(fdt, node, "memory", (const void **)&val, &len) !=
	     0) ||
	    ((len != 4U) && (len != 8U))) {
		return "missing or malformed 'memory' property";
	}
	dd->mem_kib = fdt_read_cells(val, len / 4U);
	if ((fdt_getprop_u32(fdt, node, "cpus", &dd->cpus) != 0) ||
	    (dd->cpus == 0U) || (dd->cpus > MAX_VCPUS)) {
		return "missing or bad 'cpus' property";
	}
	dd->vpl011 = fdt_has_prop(fdt, node, "vpl011");
	if (fdt_getprop_u32(fdt, node, "xen,domain-p2m-mem-mb", &mb) == 0) {
		dd->p2m_pages = (uint64_t)mb << (20U - PAGE_SHIFT);
	}
	for (i = 0; i < bi->nr_modules; i++) {
		if (bi->modules[i].domain_node != node) {
			continue;
		}
		if (bi->modules[i].kind == BOOTMOD_KERNEL) {
			dd->kernel = &bi->modules[i];
		} else if (bi->modules[i].kind == BOOTMOD_RAMDISK) {
			dd->ramdisk = &bi->modules[i];
		} else if (bi->modules[i].kind == BOOTMOD_DEVICE_TREE) {
			dd->dtb = &bi->modules[i];
		}
	}
	if (dd->kernel == NULL) {
		return "no kernel module (multiboot,kernel)";
	}
	if (dd->mem_kib < 4096U) {
		return "less than 4 MiB of memory";
	}
	/* Also keeps mem_kib << 10 from wrapping. */
	if (dd->mem_kib > ((GUEST_RAM0_SIZE + GUEST_RAM1_SIZE) >> 10)) {
		return "more memory than Xen's guest RAM regions hold";
	}
	return NULL;
}
