/*
 * The hardware domain (dom0), built as Xen 4.17 builds it on Arm: memory
 * mapped 1:1 (guest physical = machine addresses, so DMA works without an
 * IOMMU), the host's devices except the ones Xenon keeps (their MMIO mapped
 * 1:1, their SPIs forwarded), the host device tree minus those devices plus
 * the hypervisor node, and the virtual GIC at the host GIC's addresses.
 */
#include <hv/cmdline.h>
#include <dt/dom0-dt.h>
#include <hv/errno.h>
#include <hv/page-alloc.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/string.h>
#include <hv/time.h>

#include <asm/cpu.h>
#include <asm/dom0.h>
#include <asm/domain-build.h>
#include <asm/vcpu.h>

#include <drivers/gicv3.h>

#define DOM0_MAX_BANKS 16U
#define DOM0_DT_MAX 0x200000U
/* Grant-table frames dom0 may map (Xen 4.17's default of 64). */
#define DOM0_GNTTAB_SIZE 0x40000U

static uint64_t opt_dom0_mem = MiB(512);
static unsigned int opt_dom0_max_vcpus;

/* dom0_mem=<size>: Xen's [min:..,][max:..,]<size> forms are reduced to the
 * plain size, the only one that means anything for a 1:1 dom0. */
static int param_dom0_mem(const char *value)
{
	const char *last = value;
	const char *p;

	if (value == NULL) {
		return -EINVAL;
	}
	for (p = value; *p != '\0'; p++) {
		if (*p == ',') {
			last = p + 1;
		}
	}
	return parse_size(last, &opt_dom0_mem);
}
HV_PARAM("dom0_mem", param_dom0_mem);

static int param_dom0_max_vcpus(const char *value)
{
	uint64_t n;

	if ((parse_uint(value, &n) != 0) || (n == 0U) || (n > MAX_VCPUS)) {
		return -EINVAL;
	}
	opt_dom0_max_vcpus = (unsigned int)n;
	return 0;
}
HV_PARAM("dom0_max_vcpus", param_dom0_max_vcpus);

struct dom0_mem {
	struct mem_region bank[DOM0_MAX_BANKS];
	unsigned int nr;
};

/* Record [pa, pa + size), merging with a bank it touches. */
static bool add_bank(struct dom0_mem *m, paddr_t pa, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < m->nr; i++) {
		if ((m->bank[i].start + m->bank[i].size) == pa) {
			m->bank[i].size += size;
			return true;
		}
		if ((pa + size) == m->bank[i].start) {
			m->bank[i].start = pa;
			m->bank[i].size += size;
			return true;
		}
	}
	if (m->nr == DOM0_MAX_BANKS) {
		return false;
	}
	m->bank[m->nr].start = pa;
	m->bank[m->nr].size = size;
	m->nr++;
	return true;
}

static unsigned int order_below(uint64_t size)
{
	unsigned int order = MAX_ORDER;

	while ((order > 0U) && ((PAGE_SIZE << order) > size)) {
		order--;
	}
	return order;
}

/* Allocate dom0's RAM in the largest blocks there are and map it 1:1.
 * As Xen builds dom0 before it scrubs the heap, dom0's memory is not
 * scrubbed: the hardware domain may read all memory anyway. */
static int allocate_memory_11(struct domain *d, uint64_t size,
			      struct dom0_mem *m)
{
	unsigned int order;
	paddr_t pa;
	int err;

	while (size > 0U) {
		order = order_below(size);
		pa = domain_alloc_pages(d, order, true);
		while ((pa == INVALID_PADDR) && (order > 0U)) {
			order--;
			pa = domain_alloc_pages(d, order, true);
		}
		if ((pa == INVALID_PADDR) ||
		    !add_bank(m, pa, PAGE_SIZE << order)) {
			return -ENOMEM;
		}
		err = p2m_map(&d->arch.p2m, pa, pa, PAGE_SIZE << order,
			      P2M_RAM);
		if (err != 0) {
			return err;
		}
		size -= PAGE_SIZE << order;
	}
	return 0;
}

/* Map one device region 1:1; pages shared with a device already mapped
 * are fine. */
static int map_device(struct domain *d, paddr_t start, uint64_t size)
{
	paddr_t base = ALIGN_DOWN(start, PAGE_SIZE);
	paddr_t end = ALIGN_UP(start + size, PAGE_SIZE);
	int err = p2m_map(&d->arch.p2m, base, base, end - base, P2M_DEVICE);

	if (err != -EEXIST) {
		return err;
	}
	for (; base < end; base += PAGE_SIZE) {
		err = p2m_map(&d->arch.p2m, base, base, PAGE_SIZE, P2M_DEVICE);
		if ((err != 0) && (err != -EEXIST)) {
			return err;
		}
	}
	return 0;
}

static int device_cb(void *ctx, const struct dom0_device *dev)
{
	struct domain *d = ctx;
	unsigned int i;
	int err = 0;

	if (dev->err != 0) {
		printk(XENLOG_WARNING "dom0: device %s not given (%d)\n",
		       dev->name, dev->err);
	}
	for (i = 0; (i < dev->nr_mmio) && (err == 0); i++) {
		err = map_device(d, dev->mmio[i].addr, dev->mmio[i].size);
	}
	for (i = 0; (i < dev->nr_spis) && (err == 0); i++) {
		err = vgic_forward_spi(d, dev->spis[i].intid);
		if (err == -EBUSY) {
			err = 0; /* shared line, already forwarded */
		}
	}
	if (err != 0) {
		printk(XENLOG_ERR "dom0: cannot give %s: error %d\n", dev->name,
		       err);
	}
	return err;
}

static const struct bootmodule *dom0_module(const struct bootinfo *bi,
					    enum bootmod_kind kind)
{
	unsigned int i;

	for (i = 0; i < bi->nr_modules; i++) {
		if ((bi->modules[i].domain_node < 0) &&
		    (bi->modules[i].kind == kind)) {
			return &bi->modules[i];
		}
	}
	return NULL;
}

/* dom0's command line, by Xen's rules (docs/misc/arm/device-tree). */
static const char *dom0_cmdline(const struct fdt *fdt,
				const struct bootmodule *kernel)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *s;

	if (kernel->cmdline != NULL) {
		return kernel->cmdline;
	}
	s = fdt_getprop_string(fdt, chosen, "xen,dom0-bootargs");
	if ((s == NULL) && fdt_has_prop(fdt, chosen, "xen,xen-bootargs")) {
		s = fdt_getprop_string(fdt, chosen, "bootargs");
	}
	return s;
}

/* The largest bank holds the kernel (at its start + text_offset), the
 * initrd and the device tree (at its top). */
static const char *plan_dom0(const struct dom0_mem *m,
			     const struct bootmodule *kernel,
			     const struct bootmodule *initrd,
			     struct image_layout *lay)
{
	const struct mem_region *b = &m->bank[0];
	uint64_t text_offset;
	uint64_t image_size;
	unsigned int i;

	for (i = 1; i < m->nr; i++) {
		if (m->bank[i].size > b->size) {
			b = &m->bank[i];
		}
	}
	if (!image_header(kernel, &text_offset, &image_size)) {
		return "kernel is not an arm64 Image";
	}
	lay->kernel = b->start + text_offset;
	lay->dtb = ALIGN_DOWN(b->start + b->size - DOM0_DT_MAX, MiB(2));
	lay->initrd_size = (initrd != NULL) ? initrd->size : 0U;
	lay->initrd = ALIGN_DOWN(lay->dtb - lay->initrd_size, PAGE_SIZE);
	if ((lay->kernel + image_size) > lay->initrd) {
		return "kernel, initrd and device tree do not fit in dom0_mem";
	}
	return NULL;
}

/* dom0's vGIC: at the host GIC's addresses, with its number of SPIs. */
static void host_gic(const struct gic_dt_host *gic, struct domain_config *cfg)
{
	cfg->arch.host_gicd = gic->gicd;
	cfg->arch.host_gicr = gic->gicr;
	cfg->arch.nr_spis = gicv3_nr_lines() - 32U;
}

/* Sort the banks by address (the tree lists them in order). */
static void sort_banks(struct dom0_mem *m)
{
	struct mem_region t;
	unsigned int i;
	unsigned int j;

	for (i = 1; i < m->nr; i++) {
		for (j = i;
		     (j > 0U) && (m->bank[j - 1U].start > m->bank[j].start);
		     j--) {
			t = m->bank[j];
			m->bank[j] = m->bank[j - 1U];
			m->bank[j - 1U] = t;
		}
	}
}

static int write_dt(struct domain *d, const struct fdt *fdt,
		    const struct dom0_dt_info *info, paddr_t dtb)
{
	paddr_t buf = alloc_pages(order_below(DOM0_DT_MAX));
	int size;

	if (buf == INVALID_PADDR) {
		return -ENOMEM;
	}
	size = dom0_dt_build(fdt, info, maddr_to_virt(buf), DOM0_DT_MAX);
	if (size > 0) {
		size = copy_to_guest_phys(d, dtb, maddr_to_virt(buf),
					  (uint64_t)size);
	}
	free_pages(buf, order_below(DOM0_DT_MAX));
	return size;
}

static void fill_dt_info(struct dom0_dt_info *info, const struct domain *d,
			 const struct dom0_mem *m,
			 const struct image_layout *lay)
{
	unsigned int i;

	memset(info, 0, sizeof(*info));
	info->nr_vcpus = d->max_vcpus;
	for (i = 0; i < m->nr; i++) {
		info->mem[i].start = m->bank[i].start;
		info->mem[i].size = m->bank[i].size;
	}
	info->nr_mem = m->nr;
	info->initrd_start = lay->initrd;
	info->initrd_size = lay->initrd_size;
	info->evtchn_irq = d->arch.evtchn_ppi;
	info->gic_v3 = true;
}

struct dom0_boot {
	const struct fdt *fdt;
	const struct bootmodule *kernel;
	const struct bootmodule *initrd;
	paddr_t hyp_base;
	int uart_node;
};

static const char *populate_dom0(struct domain *d, const struct dom0_boot *b)
{
	struct dom0_dt_info info;
	struct image_layout lay;
	struct dom0_mem mem = {0};
	const char *why = NULL;

	if (allocate_memory_11(d, opt_dom0_mem, &mem) != 0) {
		return "not enough memory for dom0_mem";
	}
	sort_banks(&mem);
	if (dom0_dt_devices(b->fdt, b->uart_node, device_cb, d) < 0) {
		return "cannot give the host's devices";
	}
	why = plan_dom0(&mem, b->kernel, b->initrd, &lay);
	if ((why == NULL) &&
	    (load_images(d, b->kernel, b->initrd, &lay) != 0)) {
		why = "cannot copy the boot images";
	}
	if (why == NULL) {
		fill_dt_info(&info, d, &mem, &lay);
		info.bootargs = dom0_cmdline(b->fdt, b->kernel);
		info.gnttab.start = b->hyp_base;
		info.gnttab.size = DOM0_GNTTAB_SIZE;
		info.uart_node = b->uart_node;
		if (write_dt(d, b->fdt, &info, lay.dtb) < 0) {
			why = "cannot build dom0's device tree";
		}
	}
	if (why == NULL) {
		vcpu_reset(d->vcpus[0], lay.kernel, lay.dtb);
	}
	return why;
}

bool dom0_build(const struct fdt *fdt, const struct bootinfo *bi,
		const struct gic_dt_host *gic, paddr_t hyp_base, int uart_node)
{
	struct dom0_boot b = {fdt, dom0_module(bi, BOOTMOD_KERNEL),
			      dom0_module(bi, BOOTMOD_RAMDISK), hyp_base,
			      uart_node};
	struct domain_config cfg = {
		.name = "Domain-0",
		.ram_bytes = opt_dom0_mem,
		.direct_map = true,
	};
	struct domain *d;
	const char *why;
	s_time_t start = time_now();

	if (b.kernel == NULL) {
		return false;
	}
	cfg.max_vcpus = (opt_dom0_max_vcpus != 0U) ? opt_dom0_max_vcpus
						   : smp_num_online();
	cfg.max_vcpus = MIN(cfg.max_vcpus, (unsigned int)MAX_VCPUS);
	/* The root, tables for RAM edges and for device regions. */
	cfg.p2m_pages = 512U + (opt_dom0_mem >> 21);
	host_gic(gic, &cfg);
	d = domain_create(0, &cfg);
	if (d == NULL) {
		return false;
	}
	d->is_hardware_domain = true;
	d->direct_map = true;
	domain_set_control_domain(d);
	why = populate_dom0(d, &b);
	if (why != NULL) {
		printk(XENLOG_ERR "dom0 not started: %s\n", why);
		domain_crash(d, why);
		return false;
	}
	printk("d0 (Domain-0): %u vCPUs, %lu MiB mapped 1:1, built in %lu us\n",
	       d->max_vcpus, (unsigned long)(opt_dom0_mem >> 20),
	       (unsigned long)((time_now() - start) / 1000));
	vcpu_start(d->vcpus[0]);
	return true;
}
