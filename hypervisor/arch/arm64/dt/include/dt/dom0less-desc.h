/*
 * A dom0less domain's description, read from its "xen,domain" node under
 * /chosen with the bindings Xen 4.17 reads (docs/misc/arm/device-tree/
 * booting.txt in Xen's tree): memory (KiB, one or two cells), cpus,
 * vpl011, xen,domain-p2m-mem-mb, and the boot modules of the node
 * (multiboot,kernel, multiboot,ramdisk, multiboot,device-tree) as
 * bootinfo_parse() found them.
 */
#ifndef HV_DT_DOM0LESS_DESC_H
#define HV_DT_DOM0LESS_DESC_H

#include <hv/bootinfo.h>
#include <hv/fdt.h>

struct domu_desc {
	const char *name;
	uint64_t mem_kib;
	uint32_t cpus;
	bool vpl011;
	uint64_t p2m_pages;
	const struct bootmodule *kernel;
	const struct bootmodule *ramdisk;
	const struct bootmodule *dtb;
};

/*
 * Fill dd from the xen,domain node at node. Returns NULL, or why the
 * description cannot be built (a missing or malformed property, no
 * kernel module, less than 4 MiB of memory, no or too many vCPUs).
 */
const char *dom0less_read_desc(const struct fdt *fdt, int node,
			       const struct bootinfo *bi, struct domu_desc *dd);

/* Warn about each property of the node that Xenon does not read. */
void dom0less_report_unknown_props(const struct fdt *fdt, int node,
				   const char *name);

#endif /* HV_DT_DOM0LESS_DESC_H */
