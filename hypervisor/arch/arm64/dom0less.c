/*
 * Dom0less: domains described under /chosen with compatible "xen,domain",
 * built at boot with the same bindings Xen 4.17 reads.
 */
#include <hv/errno.h>
#include <dt/guest-dt.h>
#include <hv/page-alloc.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/string.h>
#include <hv/time.h>

#include <xen/arch-arm.h>

#include <asm/domain-build.h>
#include <asm/vcpu.h>

#define GUEST_DT_MAX 0x10000U

/* Properties of a xen,domain node that Xenon reads. */
static const char *const known_props[] = {
	"compatible", "#address-cells", "#size-cells",		 "memory",
	"cpus",	      "vpl011",		"xen,domain-p2m-mem-mb",
};

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

static void report_unknown_props(const struct fdt *fdt, int node,
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

static const char *read_desc(const struct fdt *fdt, int node,
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
	return NULL;
}

/* Place the kernel as Xen does (RAM start + text_offset), the device tree
 * at the top of the first bank and the initrd just below it. */
static const char *plan_layout(struct domain *d, const struct domu_desc *dd,
			       struct image_layout *lay)
{
	paddr_t ram_end = GUEST_RAM0_BASE + d->arch.ram_size[0];
	uint64_t text_offset;

	if (!image_header(dd->kernel, &text_offset, &lay->kernel_size)) {
		return "kernel is not an arm64 Image";
	}
	lay->kernel = GUEST_RAM0_BASE + text_offset;
	lay->initrd_size = (dd->ramdisk != NULL) ? dd->ramdisk->size : 0U;
	lay->dtb = ALIGN_DOWN(ram_end - GUEST_DT_MAX, MiB(2));
	lay->initrd = ALIGN_DOWN(lay->dtb - lay->initrd_size, PAGE_SIZE);
	if ((lay->kernel + lay->kernel_size) > lay->initrd) {
		return "kernel, initrd and device tree do not fit in memory";
	}
	return NULL;
}

static int build_dt(struct domain *d, const struct domu_desc *dd,
		    const struct image_layout *lay, const char *cpu_compat)
{
	struct guest_dt_info info;
	void *buf = xzalloc(GUEST_DT_MAX);
	int size;

	if (buf == NULL) {
		return -ENOMEM;
	}
	memset(&info, 0, sizeof(info));
	info.nr_vcpus = d->max_vcpus;
	info.cpu_compatible = cpu_compat;
	info.mem[0].start = GUEST_RAM0_BASE;
	info.mem[0].size = d->arch.ram_size[0];
	info.mem[1].start = GUEST_RAM1_BASE;
	info.mem[1].size = d->arch.ram_size[1];
	info.nr_mem = (d->arch.ram_size[1] != 0U) ? 2U : 1U;
	info.vpl011 = dd->vpl011;
	info.bootargs = dd->kernel->cmdline;
	info.initrd_start = (dd->ramdisk != NULL) ? lay->initrd : 0U;
	info.initrd_size = (dd->ramdisk != NULL) ? dd->ramdisk->size : 0U;
	size = guest_dt_build(&info, buf, GUEST_DT_MAX);
	if (size > 0) {
		size = copy_to_guest_phys(d, lay->dtb, buf, (uint64_t)size);
	}
	xfree(buf);
	return size;
}

static const char *build_domain(domid_t domid, const struct domu_desc *dd,
				const char *cpu_compat, struct domain **out)
{
	struct domain_config cfg = {
		.name = dd->name,
		.max_vcpus = dd->cpus,
		.ram_bytes = dd->mem_kib << 10,
		.p2m_pages = dd->p2m_pages,
		.arch.vpl011 = dd->vpl011,
	};
	struct image_layout lay;
	struct domain *d = domain_create(domid, &cfg);
	const char *why;

	*out = d;
	if (d == NULL) {
		return "domain creation failed (see above)";
	}
	why = plan_layout(d, dd, &lay);
	if ((why == NULL) &&
	    (load_images(d, dd->kernel, dd->ramdisk, &lay) != 0)) {
		why = "cannot copy the boot images";
	}
	if ((why == NULL) && (build_dt(d, dd, &lay, cpu_compat) < 0)) {
		why = "cannot build the guest device tree";
	}
	if (why == NULL) {
		vcpu_reset(d->vcpus[0], lay.kernel, lay.dtb);
	}
	return why;
}

static const char *host_cpu_compatible(const struct fdt *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int cpu = (cpus >= 0) ? fdt_first_child(fdt, cpus) : -1;
	const char *compat = NULL;

	for (; (cpu >= 0) && (compat == NULL);
	     cpu = fdt_next_sibling(fdt, cpu)) {
		compat = fdt_getprop_string(fdt, cpu, "compatible");
	}
	return (compat != NULL) ? compat : "arm,armv8";
}

static void report_built(const struct domain *d, s_time_t took)
{
	const struct p2m *p2m = &d->arch.p2m;

	printk("d%u (%s): %u vCPUs, %lu MiB in %lu x 1G + %lu x 2M + %lu x 4K "
	       "mappings, built in %lu us\n",
	       d->domain_id, d->name, d->max_vcpus,
	       (unsigned long)(d->ram_bytes >> 20),
	       (unsigned long)p2m->mapped_blocks[0],
	       (unsigned long)p2m->mapped_blocks[1],
	       (unsigned long)p2m->mapped_blocks[2],
	       (unsigned long)(took / 1000));
}

unsigned int dom0less_create_domains(const struct fdt *fdt,
				     const struct bootinfo *bi)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *cpu_compat = host_cpu_compatible(fdt);
	struct domu_desc dd;
	struct domain *d;
	domid_t domid = 1;
	unsigned int started = 0;
	const char *why;
	s_time_t start;
	int node;

	for (node = (chosen >= 0) ? fdt_first_child(fdt, chosen) : -1;
	     node >= 0; node = fdt_next_sibling(fdt, node)) {
		if (!fdt_is_compatible(fdt, node, "xen,domain")) {
			continue;
		}
		start = time_now();
		d = NULL;
		why = read_desc(fdt, node, bi, &dd);
		if (why == NULL) {
			report_unknown_props(fdt, node, dd.name);
			why = build_domain(domid, &dd, cpu_compat, &d);
		}
		if (why != NULL) {
			printk(XENLOG_ERR "Domain '%s' not started: %s\n",
			       fdt_node_name(fdt, node), why);
			if (d != NULL) {
				domain_crash(d, why);
			}
		} else {
			report_built(d, time_now() - start);
			vcpu_start(d->vcpus[0]);
			started++;
		}
		domid++;
	}
	return started;
}
