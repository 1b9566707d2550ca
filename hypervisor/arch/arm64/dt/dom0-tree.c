/*
 * dom0's device tree, made from the host's (see <dt/dom0-dt.h>).
 *
 * The host tree is walked once in document order with fdt_next_node().
 * dt_classify() (host-tree.c) decides for each node what Xen 4.17's
 * handle_node() does with it: copy it (with its properties filtered as
 * Xen's write_properties() filters them) and go on into its children,
 * replace it and its subtree by a node of our own written in its place
 * (the GIC and the timer), or drop it and its subtree. The nodes that Xen
 * adds at the end of the root follow: hypervisor, psci, cpus and memory.
 * The writer keeps its first error, so the write_*() functions do not
 * check each call: dom0_dt_build() gets the error from fdt_write_finish().
 *
 * Nothing here recurses: every walk is a loop bounded by the tree's depth
 * or size.
 */
#include <drivers/gic-dt.h>
#include <dt/dom0-dt.h>
#include <dt/guest-dt.h>
#include <dt/host-tree.h>
#include <hv/errno.h>
#include <hv/fdt-write.h>
#include <hv/printk.h>
#include <hv/string.h>

#include <dt/xen-arm-abi.h>

/* Linux requires the first compatible string to start with "xen,xen-". */
#define XEN_COMPAT_VERSIONED "xen,xen-4.17"

/* The CPU mask Xen puts in bits 15:8 of the flags cell: "all CPUs". */
#define GIC_CPU_MASK_ALL 0xfU

/* The timer PPIs Xen gives dom0: secure physical, physical, virtual. */
#define TIMER_PPIS 3U

/* Most cells of an (address, size) pair under the root. */
#define RANGE_CELLS 4U

/* Room for "memory@" or "cpu@" and 16 hexadecimal digits. */
#define NODE_NAME_MAX 32U

_Static_assert(DOM0_DT_MAX_VCPUS == GUEST_MAX_VCPUS,
	       "dom0 has at most as many vCPUs as any guest");

/* Properties /chosen loses, besides those starting with "linux,uefi-". */
static const char *const chosen_drops[] = {
	"bootargs",	      "xen,xen-bootargs", "xen,dom0-bootargs",
	"linux,initrd-start", "linux,initrd-end", "stdout-path",
};

/* Properties a master of an IOMMU that Xen drives loses. */
static const char *const iommu_props[] = {"iommus", "iommu-map",
					  "iommu-map-mask"};

/* How Xen's write_properties() treats the properties of one node. */
struct node_flags {
	bool chosen;
	bool iommu_master;
	bool passthrough;
};

struct builder {
	struct fdt_writer w;
	struct host h;
	struct dt_path path; /* h's path: the walk's open host nodes */
	const struct dom0_dt_info *info;
	unsigned int addr_cells; /* the root's #address-cells */
	unsigned int size_cells; /* the root's #size-cells */
	int open; /* depth of the innermost host node still open, or -1 */
	bool chosen_seen;
	int err; /* first error in the info or the host tree */
};

/* ---- Writing dom0's nodes ---- */

/* Keep err as the builder's error unless one is kept already. */
static void fail(struct builder *b, int err)
{
	if (b->err == 0) {
		b->err = err;
	}
}

/* Store v at cells[n] as nc (1 or 2) cells; return the index after them. A
 * value that does not fit one cell is an error. */
static unsigned int put_number(struct builder *b, uint32_t *cells,
			       unsigned int n, uint64_t v, unsigned int nc)
{
	if (nc == 2U) {
		cells[n++] = (uint32_t)(v >> 32);
	} else if ((v >> 32) != 0U) {
		fail(b, -EINVAL);
	}
	cells[n] = (uint32_t)v;
	return n + 1U;
}

/* Store an (address, size) pair at cells[n] with the root's cell counts;
 * return the index after it. */
static unsigned int put_range(struct builder *b, uint32_t *cells,
			      unsigned int n, const struct dom0_dt_range *r)
{
	n = put_number(b, cells, n, r->start, b->addr_cells);
	return put_number(b, cells, n, r->size, b->size_cells);
}

/* Store the specifier of PPI irq, level-low on all CPUs, as Xen's
 * set_interrupt() does. */
static void put_ppi(uint32_t *cells, unsigned int irq)
{
	cells[0] = GIC_PPI;
	cells[1] = irq - GIC_FIRST_PPI;
	cells[2] = (GIC_CPU_MASK_ALL << 8) | DT_IRQ_TYPE_LEVEL_LOW;
}

/* Write "interrupts" with the n specifiers at cells and the GIC as the
 * "interrupt-parent" (Xen's fdt_property_interrupts()). */
static void write_interrupts(struct builder *b, const uint32_t *cells,
			     unsigned int n)
{
	fdt_write_prop_cells(&b->w, "interrupts", cells, n * IRQ_CELLS);
	fdt_write_prop_u32(&b->w, "interrupt-parent", b->h.gic_phandle);
}

/* Copy the property name of the host node, if it has it. */
static void copy_prop_if(struct builder *b, int node, const char *name)
{
	const void *val;
	uint32_t len;

	if (fdt_getprop(b->h.fdt, node, name, &val, &len) == 0) {
		fdt_write_prop(&b->w, name, val, len);
	}
}

/* Close the copied host nodes at depth or deeper. */
static void close_nodes(struct builder *b, int depth)
{
	while (b->open >= depth) {
		fdt_write_end_node(&b->w);
		b->open--;
	}
}

/* bootargs and the initrd placement, at the end of /chosen. */
static void write_chosen_args(struct builder *b)
{
	const struct dom0_dt_info *info = b->info;

	if (info->bootargs != NULL) {
		fdt_write_prop_string(&b->w, "bootargs", info->bootargs);
	}
	if (info->initrd_size != 0U) {
		fdt_write_prop_u64(&b->w, "linux,initrd-start",
				   info->initrd_start);
		fdt_write_prop_u64(&b->w, "linux,initrd-end",
				   info->initrd_start + info->initrd_size);
	}
}

/* True if a property of /chosen named name is not copied. */
static bool chosen_drops_prop(const char *name)
{
	return dt_str_in(name, chosen_drops, ARRAY_SIZE(chosen_drops)) ||
	       strncmp(name, "linux,uefi-", 11U) == 0;
}

/* True if the first "iommus" entry of node names an IOMMU Xen drives. */
static bool is_iommu_master(const struct fdt *fdt, int node)
{
	const void *val;
	uint32_t len;
	int iommu;

	if (fdt_getprop(fdt, node, "iommus", &val, &len) != 0 ||
	    len < CELL_LEN) {
		return false;
	}
	iommu = fdt_node_by_phandle(fdt, dt_cell(val, 0U));
	return iommu >= 0 && dt_is_iommu(fdt, iommu);
}

/* True if the property name of a node with flags nf is copied as is. */
static bool copies_prop(const struct node_flags *nf, const char *name)
{
	if (strcmp(name, "xen,passthrough") == 0) {
		return false;
	}
	if (nf->chosen && chosen_drops_prop(name)) {
		return false;
	}
	return !nf->iommu_master ||
	       !dt_str_in(name, iommu_props, ARRAY_SIZE(iommu_props));
}

/* Copy the properties of node but status, whose offset (the last one)
 * goes to *status. */
static int copy_props(struct builder *b, int node, const struct node_flags *nf,
		      int *status)
{
	const struct fdt *fdt = b->h.fdt;
	const char *name;
	const void *val;
	uint32_t len;
	int prop;

	for (prop = fdt_first_prop(fdt, node); prop >= 0;
	     prop = fdt_next_prop(fdt, prop)) {
		int err = fdt_prop_at(fdt, prop, &name, &val, &len);

		if (err != 0) {
			return err;
		}
		if (strcmp(name, "status") == 0) {
			*status = prop;
		} else if (copies_prop(nf, name)) {
			fdt_write_prop(&b->w, name, val, len);
		}
	}
	return prop == FDT_ERR_NOTFOUND ? 0 : prop;
}

/* status last: "disabled" for a passthrough node, else the host's. */
static void write_status(struct builder *b, const struct node_flags *nf,
			 int status)
{
	const void *val;
	uint32_t len;

	if (nf->passthrough) {
		fdt_write_prop_string(&b->w, "status", "disabled");
	} else if (status >= 0 &&
		   fdt_prop_at(b->h.fdt, status, NULL, &val, &len) == 0) {
		fdt_write_prop(&b->w, "status", val, len);
	}
}

/* Open a copy of the host node at depth and write its properties. */
static int copy_node(struct builder *b, int node, int depth)
{
	const struct fdt *fdt = b->h.fdt;
	const char *name = fdt_node_name(fdt, node);
	struct node_flags nf;
	int status = -1;
	int err;

	if (name == NULL) {
		return FDT_ERR_BADOFFSET;
	}
	nf.chosen = depth == 1 && strcmp(name, "chosen") == 0;
	nf.iommu_master = is_iommu_master(fdt, node);
	nf.passthrough = fdt_has_prop(fdt, node, "xen,passthrough");
	fdt_write_begin_node(&b->w, name);
	b->open = depth;
	err = copy_props(b, node, &nf, &status);
	write_status(b, &nf, status);
	if (nf.chosen) {
		write_chosen_args(b);
		b->chosen_seen = true;
	}
	return err;
}

/* dom0's GIC (make_gic_node()): the host GIC at its host addresses, with
 * neither children nor maintenance interrupt. */
static int write_gic(struct builder *b)
{
	return gic_dt_write_hwdom_node(&b->w, b->h.fdt, b->h.gic,
				       b->h.gic_phandle, IRQ_CELLS,
				       b->info->nr_vcpus);
}

/* The specifiers of the first three PPIs of the host timer, as dom0 gets
 * them (level-low). */
static int timer_ppis(const struct host *h, int timer, uint32_t *cells)
{
	struct irq_list l;
	uint32_t i;
	int err = dt_gic_irqs(h, timer, &l);

	if (err != 0) {
		return err;
	}
	if (l.count < TIMER_PPIS) {
		return -EINVAL;
	}
	for (i = 0U; i < TIMER_PPIS; i++) {
		if (!dt_irq_is_ppi(&l, i)) {
			return -EINVAL;
		}
		put_ppi(cells + i * IRQ_CELLS,
			dt_cell(l.cells + i * l.size * CELL_LEN, 1U) +
				GIC_FIRST_PPI);
	}
	return 0;
}

/* dom0's timer (make_timer_node()), from the first timer of the host. */
static int write_timer(struct builder *b)
{
	uint32_t cells[TIMER_PPIS * IRQ_CELLS];
	uint32_t freq;
	int timer = dt_find_node(b->h.fdt, dt_is_timer);
	int err = timer < 0 ? timer : timer_ppis(&b->h, timer, cells);

	if (err != 0) {
		return err;
	}
	fdt_write_begin_node(&b->w, "timer");
	fdt_write_prop_string(&b->w, "compatible", "arm,armv8-timer");
	write_interrupts(b, cells, TIMER_PPIS);
	if (fdt_getprop_u32(b->h.fdt, timer, "clock-frequency", &freq) == 0) {
		fdt_write_prop_u32(&b->w, "clock-frequency", freq);
	}
	fdt_write_end_node(&b->w);
	return 0;
}

/* Handle one host node: 0 if it was copied (its children come next), 1 if
 * its subtree was dropped or replaced, or a negative code. */
static int handle_node(struct builder *b, int node, int depth)
{
	int err;

	switch (dt_classify(&b->h, node, depth)) {
	case NODE_COPY:
		return copy_node(b, node, depth);
	case NODE_GIC:
		err = write_gic(b);
		break;
	case NODE_TIMER:
		err = write_timer(b);
		break;
	default:
		err = 0;
		break;
	}
	return err < 0 ? err : 1;
}

/* Copy the host tree, node by node, leaving the root open. */
static int build_walk(struct builder *b)
{
	const struct fdt *fdt = b->h.fdt;
	int skip = -1; /* depth of a subtree being dropped, or -1 */
	int depth = 0;
	int node;

	for (node = fdt_walk_next(fdt, -1, &depth); node >= 0;
	     node = fdt_walk_next(fdt, node, &depth)) {
		int ret;

		if (skip >= 0 && depth > skip) {
			continue;
		}
		dt_path_enter(&b->path, node, depth);
		close_nodes(b, depth);
		ret = handle_node(b, node, depth);
		if (ret < 0) {
			return ret;
		}
		skip = ret > 0 ? depth : -1;
	}
	return node == FDT_ERR_NOTFOUND ? 0 : node;
}

/* /hypervisor (make_hypervisor_node()): the grant table and the extended
 * regions, and the event channel upcall PPI. */
static void write_hypervisor(struct builder *b)
{
	static const char *const compat[] = {XEN_COMPAT_VERSIONED, "xen,xen"};
	const struct dom0_dt_info *info = b->info;
	uint32_t reg[(1U + DOM0_DT_MAX_EXT_REGIONS) * RANGE_CELLS];
	uint32_t irq[IRQ_CELLS];
	unsigned int n;
	unsigned int i;

	fdt_write_begin_node(&b->w, "hypervisor");
	fdt_write_prop_strings(&b->w, "compatible", compat, ARRAY_SIZE(compat));
	n = put_range(b, reg, 0U, &info->gnttab);
	for (i = 0U; i < info->nr_ext; i++) {
		n = put_range(b, reg, n, &info->ext[i]);
	}
	fdt_write_prop_cells(&b->w, "reg", reg, n);
	put_ppi(irq, info->evtchn_irq);
	write_interrupts(b, irq, 1U);
	fdt_write_end_node(&b->w);
}

/* The host's first cpu node (device_type "cpu" under /cpus), which gives
 * every vCPU its compatible and clock-frequency. */
static int host_cpu(const struct fdt *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node;

	for (node = cpus < 0 ? cpus : fdt_first_child(fdt, cpus); node >= 0;
	     node = fdt_next_sibling(fdt, node)) {
		const char *type = fdt_getprop_string(fdt, node, "device_type");

		if (type != NULL && strcmp(type, "cpu") == 0) {
			return node;
		}
	}
	return node == FDT_ERR_NOTFOUND ? -EINVAL : node;
}

/* /cpus/cpu@<affinity> for vCPU n, like the host cpu node cpu. */
static void write_cpu(struct builder *b, int cpu, unsigned int n)
{
	uint32_t aff = guest_dt_vcpu_affinity(n);
	uint32_t freq;

	fdt_write_begin_unit_node(&b->w, "cpu", aff);
	copy_prop_if(b, cpu, "compatible");
	fdt_write_prop_string(&b->w, "device_type", "cpu");
	fdt_write_prop_u32(&b->w, "reg", aff);
	if (fdt_getprop_u32(b->h.fdt, cpu, "clock-frequency", &freq) == 0) {
		fdt_write_prop_u32(&b->w, "clock-frequency", freq);
	}
	fdt_write_prop_string(&b->w, "enable-method", "psci");
	fdt_write_end_node(&b->w);
}

/* /cpus (make_cpus_node()): one node per vCPU. */
static int write_cpus(struct builder *b)
{
	int cpu = host_cpu(b->h.fdt);
	unsigned int n;

	if (cpu < 0) {
		return cpu;
	}
	if (!fdt_has_prop(b->h.fdt, cpu, "compatible")) {
		return -EINVAL;
	}
	fdt_write_begin_node(&b->w, "cpus");
	fdt_write_prop_u32(&b->w, "#address-cells", 1U);
	fdt_write_prop_u32(&b->w, "#size-cells", 0U);
	for (n = 0U; n < b->info->nr_vcpus; n++) {
		write_cpu(b, cpu, n);
	}
	fdt_write_end_node(&b->w);
	return 0;
}

/* One memory node, named after the first bank, listing every bank. */
static void write_memory(struct builder *b)
{
	const struct dom0_dt_info *info = b->info;
	uint32_t cells[DOM0_DT_MAX_BANKS * RANGE_CELLS];
	unsigned int n = 0U;
	unsigned int i;

	fdt_write_begin_unit_node(&b->w, "memory", info->mem[0].start);
	fdt_write_prop_string(&b->w, "device_type", "memory");
	for (i = 0U; i < info->nr_mem; i++) {
		n = put_range(b, cells, n, &info->mem[i]);
	}
	fdt_write_prop_cells(&b->w, "reg", cells, n);
	fdt_write_end_node(&b->w);
}

/* Close the host nodes but the root, then add the nodes Xen appends to
 * the root, in its order; a host tree without /chosen gets one first. */
static int write_root_tail(struct builder *b)
{
	int err;

	close_nodes(b, 1);
	if (!b->chosen_seen) {
		fdt_write_begin_node(&b->w, "chosen");
		write_chosen_args(b);
		fdt_write_end_node(&b->w);
	}
	write_hypervisor(b);
	guest_dt_write_psci(&b->w);
	err = write_cpus(b);
	write_memory(b);
	return err;
}

/* ---- Checks and entry points ---- */

/* True if the n ranges at r are non-empty and do not wrap around. */
static bool ranges_ok(const struct dom0_dt_range *r, unsigned int n)
{
	unsigned int i;

	for (i = 0U; i < n; i++) {
		if (r[i].size == 0U || r[i].size > ~(uint64_t)0 - r[i].start) {
			return false;
		}
	}
	return true;
}

/* 0 if info describes a dom0 that this builder can describe, else
 * -EINVAL. */
static int check_info(const struct dom0_dt_info *info)
{
	if (info == NULL || info->nr_vcpus == 0U ||
	    info->nr_vcpus > DOM0_DT_MAX_VCPUS) {
		return -EINVAL;
	}
	if (info->nr_mem == 0U || info->nr_mem > DOM0_DT_MAX_BANKS ||
	    info->nr_ext > DOM0_DT_MAX_EXT_REGIONS) {
		return -EINVAL;
	}
	if (!ranges_ok(info->mem, info->nr_mem) ||
	    !ranges_ok(info->ext, info->nr_ext) ||
	    !ranges_ok(&info->gnttab, 1U)) {
		return -EINVAL;
	}
	if (info->evtchn_irq < GIC_FIRST_PPI ||
	    info->evtchn_irq >= GIC_FIRST_SPI) {
		return -EINVAL;
	}
	if (info->initrd_size > ~(uint64_t)0 - info->initrd_start) {
		return -EINVAL;
	}
	return 0;
}

/* The root's #address-cells or #size-cells: 1 or 2, as Xen requires. */
static int root_cells(int cells, unsigned int *out)
{
	if (cells < 0) {
		return cells;
	}
	if (cells != 1 && cells != 2) {
		return -EINVAL;
	}
	*out = (unsigned int)cells;
	return 0;
}

/* Set up b for host and info, checking what the root and the GIC must
 * be. */
static int builder_init(struct builder *b, const struct fdt *host,
			const struct dom0_dt_info *info)
{
	int root = fdt_root(host);
	int err = root < 0 ? root : dt_host_init(&b->h, host, info->uart_node);
	bool v3;

	if (err == 0) {
		err = root_cells(fdt_address_cells(host, root), &b->addr_cells);
	}
	if (err == 0) {
		err = root_cells(fdt_size_cells(host, root), &b->size_cells);
	}
	if (err != 0) {
		return err;
	}
	v3 = gic_dt_is_v3(host, b->h.gic);
	if (v3 != info->gic_v3) {
		return -EINVAL;
	}
	b->path.depth = -1;
	b->h.path = &b->path;
	b->info = info;
	b->open = -1;
	b->chosen_seen = false;
	b->err = 0;
	return 0;
}

int dom0_dt_build(const struct fdt *host, const struct dom0_dt_info *info,
		  void *buf, size_t size)
{
	struct builder b;
	int err = check_info(info);

	if (err == 0 && (host == NULL || buf == NULL)) {
		err = -EINVAL;
	}
	if (err == 0) {
		err = builder_init(&b, host, info);
	}
	if (err != 0) {
		return err;
	}
	fdt_write_init(&b.w, buf, size);
	err = build_walk(&b);
	if (err == 0) {
		err = write_root_tail(&b);
	}
	close_nodes(&b, 0);
	if (err == 0) {
		err = b.err;
	}
	return err != 0 ? err : fdt_write_finish(&b.w);
}
