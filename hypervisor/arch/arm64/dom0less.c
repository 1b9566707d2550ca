/*
 * Dom0less: domains described under /chosen with compatible "xen,domain",
 * built at boot with the same bindings Xen 4.17 reads.
 */
#include <dt/dom0less-desc.h>
#include <dt/guest-dt.h>
#include <hv/errno.h>
#include <hv/page-alloc.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/string.h>
#include <hv/time.h>

#include <xen/arch-arm.h>

#include <asm/domain-build.h>
#include <asm/vcpu.h>

#define GUEST_DT_MAX 0x10000U

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
		why = dom0less_read_desc(fdt, node, bi, &dd);
		if (why == NULL) {
			dom0less_report_unknown_props(fdt, node, dd.name);
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
