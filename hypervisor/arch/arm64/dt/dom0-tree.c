/*
 * dom0's device tree, made from the host's (see <dt/dom0-dt.h>).
 *
 * The host tree is walked once in document order with fdt_next_node().
 * classify() decides for each node what Xen 4.17's handle_node() does
 * with it: copy it (with its properties filtered as write_properties()
 * filters them) and go on into its children, replace it and its subtree
 * by a node of our own written in its place (the GIC and the timer), or
 * drop it and its subtree. The nodes that Xen adds at the end of the root
 * follow: hypervisor, psci, cpus and memory. The writer keeps its first
 * error, so the write_*() functions do not check each call:
 * dom0_dt_build() gets the error from fdt_write_finish().
 *
 * dom0_dt_devices() walks the tree with the same classify() and describes
 * each node that dom0 keeps as Xen's handle_device() maps it: its reg
 * translated through the parents' ranges, its SPIs, and for a PCI host
 * bridge the windows of its ranges and the SPIs of its interrupt-map.
 *
 * Nothing here recurses: every walk is a loop bounded by the tree's depth
 * or size.
 */
#include <dt/dom0-dt.h>
#include <hv/errno.h>
#include <hv/fdt-write.h>
#include <dt/guest-dt.h>
#include <hv/printk.h>
#include <hv/string.h>

/*
 * PSCI_cpu_off/PSCI_cpu_on and the DT_IRQ_TYPE_* values come from Xen's
 * public headers, visible only to Xen and its toolstack: include them as
 * core/guest-dt.c does (see the comment there).
 */
#ifndef __XEN_TOOLS__
#define __XEN_TOOLS__ 1
#endif
#ifndef xen_mk_ullong
#define xen_mk_ullong(x) x##ULL
#endif
#include <xen/arch-arm.h>
#include <xen/device_tree_defs.h>

/* Linux requires the first compatible string to start with "xen,xen-". */
#define XEN_COMPAT_VERSIONED "xen,xen-4.17"

/* GIC interrupt specifiers: <type number flags>, type 0 = SPI, 1 = PPI. */
#define GIC_SPI 0U
#define GIC_PPI 1U
#define GIC_FIRST_PPI 16U
#define GIC_FIRST_SPI 32U
#define GIC_NR_PPIS 16U
#define GIC_LAST_SPI 1019U
#define IRQ_CELLS 3U
#define GIC_MAX_IRQ_CELLS 4U

/* The CPU mask Xen puts in bits 15:8 of the flags cell: "all CPUs". */
#define GIC_CPU_MASK_ALL 0xfU

/* The timer PPIs Xen gives dom0: secure physical, physical, virtual. */
#define TIMER_PPIS 3U

/* One GICv3 redistributor (RD and SGI frames), Xen's GICV3_GICR_SIZE. */
#define GICV3_GICR_SIZE 0x20000U

/* Entries of a GICv2 reg that dom0 gets: GICD and GICC. */
#define GICV2_DOM0_REGS 2U

#define CELL_LEN 4U

/* Most cells of an (address, size) pair under the root. */
#define RANGE_CELLS 4U

/* Most cells of a ranges or interrupt-map address that are skipped. */
#define MAX_SKIP_CELLS 4U

/* Room for "memory@" or "cpu@" and 16 hexadecimal digits. */
#define NODE_NAME_MAX 32U

_Static_assert(DOM0_DT_MAX_VCPUS == GUEST_MAX_VCPUS,
	       "dom0 has at most as many vCPUs as any guest");

/* Nodes handle_node() skips with their subtrees (skip_matches), and the
 * dom0less domain nodes. */
static const char *const skip_compats[] = {
	"xen,xen",
	"xen,multiboot-module",
	"multiboot,module",
	"xen,domain",
	"arm,psci",
	"arm,psci-0.2",
	"arm,psci-1.0",
	"arm,cortex-a7-pmu",
	"arm,cortex-a15-pmu",
	"arm,cortex-a53-edac",
	"arm,armv8-pmuv3",
	"arm,armv7-timer-mem",
};

/* Depth-1 nodes whose names Xen uses for nodes of its own. */
static const char *const reserved_names[] = {"cpus", "psci", "hypervisor"};

/* The GICs Xen has drivers for (DT_MATCH_GIC_V2, DT_MATCH_GIC_V3). */
static const char *const gicv2_compats[] = {"arm,cortex-a15-gic",
					    "arm,cortex-a7-gic", "arm,gic-400"};
#define GICV3_COMPAT "arm,gic-v3"

/* DT_MATCH_TIMER. */
static const char *const timer_compats[] = {"arm,armv7-timer",
					    "arm,armv8-timer"};

/* The IOMMUs Xen has drivers for (SMMUv1/v2 and SMMUv3). */
static const char *const iommu_compats[] = {
	"arm,smmu-v1", "arm,smmu-v2", "arm,mmu-400",
	"arm,mmu-401", "arm,mmu-500", "arm,smmu-v3",
};

/* Properties /chosen loses, besides those starting with "linux,uefi-". */
static const char *const chosen_drops[] = {
	"bootargs",	      "xen,xen-bootargs", "xen,dom0-bootargs",
	"linux,initrd-start", "linux,initrd-end", "stdout-path",
};

/* Properties a master of an IOMMU that Xen drives loses. */
static const char *const iommu_props[] = {"iommus", "iommu-map",
					  "iommu-map-mask"};

/* Depth-1 nodes whose subtrees hold no device of dom0's. */
static const char *const no_device_names[] = {"chosen", "reserved-memory"};

/* What happens to a host node and its subtree. */
enum node_kind {
	NODE_COPY, /* copied, children handled one by one */
	NODE_DROP, /* dropped with its subtree */
	NODE_GIC, /* replaced by dom0's GIC node */
	NODE_TIMER, /* replaced by dom0's timer node */
};

/* What the walks need to know about the host tree. */
struct host {
	const struct fdt *fdt;
	int gic; /* the GIC Xen keeps (dt_interrupt_controller) */
	uint32_t gic_phandle;
	uint32_t gic_irq_cells; /* its #interrupt-cells */
	int uart; /* the UART the hypervisor keeps, or negative */
};

/* The interrupt specifiers of a node whose interrupt parent is the GIC. */
struct irq_list {
	const uint8_t *cells;
	uint32_t count;
	uint32_t size; /* cells of one specifier */
};

/* The cell layout of a ranges property. */
struct range_layout {
	uint32_t child; /* child address cells */
	uint32_t parent; /* parent address cells */
	uint32_t size; /* size cells */
};

/* One entry of a ranges property. A child address of more than two cells
 * (PCI) reads as 0. */
struct range_entry {
	uint64_t child;
	uint64_t parent;
	uint64_t size;
};

/* How write_properties() treats the properties of one node. */
struct node_flags {
	bool chosen;
	bool iommu_master;
	bool passthrough;
};

struct builder {
	struct fdt_writer w;
	struct host h;
	const struct dom0_dt_info *info;
	unsigned int addr_cells; /* the root's #address-cells */
	unsigned int size_cells; /* the root's #size-cells */
	int open; /* depth of the innermost host node still open, or -1 */
	bool chosen_seen;
	int err; /* first error in the info or the host tree */
};

/* ---- Reading the host tree ---- */

/* Cell i of the big-endian cells at p. */
static uint32_t cell_at(const uint8_t *p, uint32_t i)
{
	return (uint32_t)fdt_read_cells(p + i * CELL_LEN, 1U);
}

/* True if str is one of the n strings of list. */
static bool str_in(const char *str, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0U; i < n; i++) {
		if (strcmp(str, list[i]) == 0)
			return true;
	}
	return false;
}

/* True if the compatible list of node holds one of the n strings of list. */
static bool compat_any(const struct fdt *fdt, int node, const char *const *list,
		       size_t n)
{
	size_t i;

	for (i = 0U; i < n; i++) {
		if (fdt_is_compatible(fdt, node, list[i]))
			return true;
	}
	return false;
}

/* True if node is at depth 1 and named one of the n strings of list. */
static bool top_name_in(const struct fdt *fdt, int node, int depth,
			const char *const *list, size_t n)
{
	const char *name = fdt_node_name(fdt, node);

	return depth == 1 && name != NULL && str_in(name, list, n);
}

/* True if node is a GIC that Xen has a driver for. */
static bool is_gic(const struct fdt *fdt, int node)
{
	return fdt_is_compatible(fdt, node, GICV3_COMPAT) ||
	       compat_any(fdt, node, gicv2_compats, ARRAY_SIZE(gicv2_compats));
}

/* True if node is a generic timer (not the memory-mapped one). */
static bool is_timer(const struct fdt *fdt, int node)
{
	return compat_any(fdt, node, timer_compats, ARRAY_SIZE(timer_compats));
}

/* A cell-count property of node itself (not inherited), or dflt. */
static int own_cells(const struct fdt *fdt, int node, const char *name,
		     uint32_t dflt, uint32_t *out)
{
	int err = fdt_getprop_u32(fdt, node, name, out);

	if (err == FDT_ERR_NOTFOUND) {
		*out = dflt;
		return 0;
	}
	return err;
}

/* The first node matching the filter, in document order. */
static int find_node(const struct fdt *fdt,
		     bool (*match)(const struct fdt *fdt, int node))
{
	int node;

	for (node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		if (match(fdt, node))
			return node;
	}
	return node;
}

/* A GIC that is an interrupt controller: the first one is the one Xen
 * uses (gic_dt_preinit()). */
static bool is_primary_gic(const struct fdt *fdt, int node)
{
	return fdt_has_prop(fdt, node, "interrupt-controller") &&
	       is_gic(fdt, node);
}

/* Find the GIC of fdt and what the walks need to know about it. */
static int host_init(struct host *h, const struct fdt *fdt, int uart)
{
	int gic = find_node(fdt, is_primary_gic);

	if (gic < 0)
		return gic == FDT_ERR_NOTFOUND ? -ENODEV : gic;
	h->fdt = fdt;
	h->gic = gic;
	h->uart = uart;
	h->gic_phandle = fdt_node_phandle(fdt, gic);
	if (fdt_getprop_u32(fdt, gic, "#interrupt-cells", &h->gic_irq_cells) !=
	    0)
		return -EINVAL;
	if (h->gic_phandle == 0U || h->gic_irq_cells < IRQ_CELLS ||
	    h->gic_irq_cells > GIC_MAX_IRQ_CELLS)
		return -EINVAL;
	return 0;
}

/* ---- Interrupts ---- */

/* The next candidate interrupt parent after cur: the node its
 * interrupt-parent names, or else its parent. */
static int irq_parent_step(const struct host *h, int cur)
{
	uint32_t ph;
	int err = fdt_getprop_u32(h->fdt, cur, "interrupt-parent", &ph);

	if (err == FDT_ERR_NOTFOUND)
		return fdt_parent(h->fdt, cur);
	if (err != 0)
		return err;
	return ph == h->gic_phandle ? h->gic : fdt_node_by_phandle(h->fdt, ph);
}

/*
 * 1 if the interrupt parent of node is the GIC, 0 if it is another node or
 * there is none, or a negative code. The parent is found as Linux's
 * of_irq_find_parent() finds it: follow interrupt-parent, or else go up,
 * until a node with #interrupt-cells.
 */
static int irq_parent_is_gic(const struct host *h, int node)
{
	unsigned int i;
	int cur = node;

	for (i = 0U; i < 2U * FDT_MAX_DEPTH; i++) {
		cur = irq_parent_step(h, cur);
		if (cur < 0)
			return cur == FDT_ERR_NOTFOUND ? 0 : cur;
		if (fdt_has_prop(h->fdt, cur, "#interrupt-cells"))
			return cur == h->gic ? 1 : 0;
	}
	return FDT_ERR_BADSTRUCTURE;
}

/*
 * The interrupts of node if they go to the GIC (an empty list if node has
 * none or they go elsewhere). FDT_ERR_BADVALUE if the property is not a
 * whole number of specifiers.
 */
static int gic_irqs(const struct host *h, int node, struct irq_list *l)
{
	const void *val;
	uint32_t len;
	int ret = fdt_getprop(h->fdt, node, "interrupts", &val, &len);

	l->count = 0U;
	l->size = h->gic_irq_cells;
	if (ret == FDT_ERR_NOTFOUND)
		return 0;
	if (ret == 0)
		ret = irq_parent_is_gic(h, node);
	if (ret <= 0)
		return ret;
	if (len % (l->size * CELL_LEN) != 0U)
		return FDT_ERR_BADVALUE;
	l->cells = val;
	l->count = len / (l->size * CELL_LEN);
	return 0;
}

/* True if specifier i of l is a PPI (interrupt ID 16 to 31). */
static bool irq_is_ppi(const struct irq_list *l, uint32_t i)
{
	const uint8_t *spec = l->cells + i * l->size * CELL_LEN;

	return cell_at(spec, 0U) == GIC_PPI && cell_at(spec, 1U) < GIC_NR_PPIS;
}

/* True if node has a PPI of the GIC: Xen cannot route those to dom0. */
static bool uses_ppi(const struct host *h, int node)
{
	struct irq_list l;
	uint32_t i;

	if (gic_irqs(h, node, &l) != 0)
		return false;
	for (i = 0U; i < l.count; i++) {
		if (irq_is_ppi(&l, i))
			return true;
	}
	return false;
}

/* ---- What happens to each node ---- */

/* True if handle_node() skips node with its subtree before anything else:
 * skip_matches, plus the paths Xen reserves for its own nodes. */
static bool xen_skips(const struct fdt *fdt, int node, int depth)
{
	const char *type = fdt_getprop_string(fdt, node, "device_type");

	if (type != NULL && strcmp(type, "memory") == 0)
		return true;
	return top_name_in(fdt, node, depth, reserved_names,
			   ARRAY_SIZE(reserved_names)) ||
	       compat_any(fdt, node, skip_compats, ARRAY_SIZE(skip_compats));
}

/* What handle_node() does with node, in its order of checks. */
static enum node_kind classify(const struct host *h, int node, int depth)
{
	const struct fdt *fdt = h->fdt;

	if (depth == 0)
		return NODE_COPY;
	if (xen_skips(fdt, node, depth))
		return NODE_DROP;
	if (is_gic(fdt, node))
		return node == h->gic ? NODE_GIC : NODE_DROP;
	if (is_timer(fdt, node))
		return NODE_TIMER;
	if (node == h->uart ||
	    compat_any(fdt, node, iommu_compats, ARRAY_SIZE(iommu_compats)))
		return NODE_DROP;
	return uses_ppi(h, node) ? NODE_DROP : NODE_COPY;
}

/* ---- Writing dom0's nodes ---- */

/* Keep err as the builder's error unless one is kept already. */
static void fail(struct builder *b, int err)
{
	if (b->err == 0)
		b->err = err;
}

/* Store v at cells[n] as nc (1 or 2) cells; return the index after them. A
 * value that does not fit one cell is an error. */
static unsigned int put_number(struct builder *b, uint32_t *cells,
			       unsigned int n, uint64_t v, unsigned int nc)
{
	if (nc == 2U)
		cells[n++] = (uint32_t)(v >> 32);
	else if ((v >> 32) != 0U)
		fail(b, -EINVAL);
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

	if (fdt_getprop(b->h.fdt, node, name, &val, &len) == 0)
		fdt_write_prop(&b->w, name, val, len);
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

	if (info->bootargs != NULL)
		fdt_write_prop_string(&b->w, "bootargs", info->bootargs);
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
	return str_in(name, chosen_drops, ARRAY_SIZE(chosen_drops)) ||
	       strncmp(name, "linux,uefi-", 11U) == 0;
}

/* True if the first "iommus" entry of node names an IOMMU Xen drives. */
static bool is_iommu_master(const struct fdt *fdt, int node)
{
	const void *val;
	uint32_t len;
	int iommu;

	if (fdt_getprop(fdt, node, "iommus", &val, &len) != 0 || len < CELL_LEN)
		return false;
	iommu = fdt_node_by_phandle(fdt, cell_at(val, 0U));
	return iommu >= 0 &&
	       compat_any(fdt, iommu, iommu_compats, ARRAY_SIZE(iommu_compats));
}

/* True if the property name of a node with flags nf is copied as is. */
static bool copies_prop(const struct node_flags *nf, const char *name)
{
	if (strcmp(name, "xen,passthrough") == 0)
		return false;
	if (nf->chosen && chosen_drops_prop(name))
		return false;
	return !nf->iommu_master ||
	       !str_in(name, iommu_props, ARRAY_SIZE(iommu_props));
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

		if (err != 0)
			return err;
		if (strcmp(name, "status") == 0)
			*status = prop;
		else if (copies_prop(nf, name))
			fdt_write_prop(&b->w, name, val, len);
	}
	return prop == FDT_ERR_NOTFOUND ? 0 : prop;
}

/* status last: "disabled" for a passthrough node, else the host's. */
static void write_status(struct builder *b, const struct node_flags *nf,
			 int status)
{
	const void *val;
	uint32_t len;

	if (nf->passthrough)
		fdt_write_prop_string(&b->w, "status", "disabled");
	else if (status >= 0 &&
		 fdt_prop_at(b->h.fdt, status, NULL, &val, &len) == 0)
		fdt_write_prop(&b->w, "status", val, len);
}

/* Open a copy of the host node at depth and write its properties. */
static int copy_node(struct builder *b, int node, int depth)
{
	const struct fdt *fdt = b->h.fdt;
	const char *name = fdt_node_name(fdt, node);
	struct node_flags nf;
	int status = -1;
	int err;

	if (name == NULL)
		return FDT_ERR_BADOFFSET;
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

/* The number of redistributor regions that hold nr_vcpus redistributors,
 * counted as Xen's vgic_v3_domain_init() does for the hardware domain. */
static unsigned int gicv3_dom0_regions(const struct builder *b)
{
	uint64_t cpus = 0U;
	uint64_t size;
	uint32_t nr;
	uint32_t i;

	if (fdt_getprop_u32(b->h.fdt, b->h.gic, "#redistributor-regions",
			    &nr) != 0)
		nr = 1U;
	for (i = 0U; i < nr; i++) {
		if (fdt_get_reg(b->h.fdt, b->h.gic, i + 1U, NULL, &size) != 0)
			break;
		cpus += size / GICV3_GICR_SIZE;
		if (cpus >= b->info->nr_vcpus)
			return i + 1U;
	}
	return i > 0U ? i : 1U;
}

/* The first n entries of the host GIC's reg, as Xen copies them. */
static int write_gic_reg(struct builder *b, unsigned int n)
{
	const void *reg;
	uint32_t len;
	int count = fdt_reg_count(b->h.fdt, b->h.gic);

	if (count < 0)
		return count;
	if ((unsigned int)count < n)
		return -ERANGE;
	if (fdt_getprop(b->h.fdt, b->h.gic, "reg", &reg, &len) != 0)
		return -EINVAL;
	fdt_write_prop(&b->w, "reg", reg, len / (uint32_t)count * n);
	return 0;
}

/* The version-specific end of the GIC node (gicv{2,3}_make_hwdom_dt_node()):
 * the compatible, then for a GICv3 #redistributor-regions, and reg. */
static int write_gic_regs(struct builder *b, const void *compat,
			  uint32_t compat_len)
{
	unsigned int regions;

	fdt_write_prop(&b->w, "compatible", compat, compat_len);
	if (!b->info->gic_v3)
		return write_gic_reg(b, GICV2_DOM0_REGS);
	regions = gicv3_dom0_regions(b);
	fdt_write_prop_u32(&b->w, "#redistributor-regions", regions);
	return write_gic_reg(b, 1U + regions);
}

/* dom0's GIC (make_gic_node()): the host GIC at its host addresses, with
 * neither children nor maintenance interrupt. */
static int write_gic(struct builder *b)
{
	const void *compat;
	uint32_t len;
	int err;

	if (fdt_getprop(b->h.fdt, b->h.gic, "compatible", &compat, &len) != 0)
		return -EINVAL;
	fdt_write_begin_node(&b->w, "interrupt-controller");
	fdt_write_prop_u32(&b->w, "phandle", b->h.gic_phandle);
	copy_prop_if(b, b->h.gic, "#address-cells");
	copy_prop_if(b, b->h.gic, "#size-cells");
	fdt_write_prop_u32(&b->w, "#interrupt-cells", IRQ_CELLS);
	fdt_write_prop_empty(&b->w, "interrupt-controller");
	err = write_gic_regs(b, compat, len);
	fdt_write_end_node(&b->w);
	return err;
}

/* The specifiers of the first three PPIs of the host timer, as dom0 gets
 * them (level-low). */
static int timer_ppis(const struct host *h, int timer, uint32_t *cells)
{
	struct irq_list l;
	uint32_t i;
	int err = gic_irqs(h, timer, &l);

	if (err != 0)
		return err;
	if (l.count < TIMER_PPIS)
		return -EINVAL;
	for (i = 0U; i < TIMER_PPIS; i++) {
		if (!irq_is_ppi(&l, i))
			return -EINVAL;
		put_ppi(cells + i * IRQ_CELLS,
			cell_at(l.cells + i * l.size * CELL_LEN, 1U) +
				GIC_FIRST_PPI);
	}
	return 0;
}

/* dom0's timer (make_timer_node()), from the first timer of the host. */
static int write_timer(struct builder *b)
{
	uint32_t cells[TIMER_PPIS * IRQ_CELLS];
	uint32_t freq;
	int timer = find_node(b->h.fdt, is_timer);
	int err = timer < 0 ? timer : timer_ppis(&b->h, timer, cells);

	if (err != 0)
		return err;
	fdt_write_begin_node(&b->w, "timer");
	fdt_write_prop_string(&b->w, "compatible", "arm,armv8-timer");
	write_interrupts(b, cells, TIMER_PPIS);
	if (fdt_getprop_u32(b->h.fdt, timer, "clock-frequency", &freq) == 0)
		fdt_write_prop_u32(&b->w, "clock-frequency", freq);
	fdt_write_end_node(&b->w);
	return 0;
}

/* Handle one host node: 0 if it was copied (its children come next), 1 if
 * its subtree was dropped or replaced, or a negative code. */
static int handle_node(struct builder *b, int node, int depth)
{
	int err;

	switch (classify(&b->h, node, depth)) {
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

	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		int ret;

		if (skip >= 0 && depth > skip)
			continue;
		close_nodes(b, depth);
		ret = handle_node(b, node, depth);
		if (ret < 0)
			return ret;
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
	for (i = 0U; i < info->nr_ext; i++)
		n = put_range(b, reg, n, &info->ext[i]);
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

		if (type != NULL && strcmp(type, "cpu") == 0)
			return node;
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
	if (fdt_getprop_u32(b->h.fdt, cpu, "clock-frequency", &freq) == 0)
		fdt_write_prop_u32(&b->w, "clock-frequency", freq);
	fdt_write_prop_string(&b->w, "enable-method", "psci");
	fdt_write_end_node(&b->w);
}

/* /cpus (make_cpus_node()): one node per vCPU. */
static int write_cpus(struct builder *b)
{
	int cpu = host_cpu(b->h.fdt);
	unsigned int n;

	if (cpu < 0)
		return cpu;
	if (!fdt_has_prop(b->h.fdt, cpu, "compatible"))
		return -EINVAL;
	fdt_write_begin_node(&b->w, "cpus");
	fdt_write_prop_u32(&b->w, "#address-cells", 1U);
	fdt_write_prop_u32(&b->w, "#size-cells", 0U);
	for (n = 0U; n < b->info->nr_vcpus; n++)
		write_cpu(b, cpu, n);
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
	for (i = 0U; i < info->nr_mem; i++)
		n = put_range(b, cells, n, &info->mem[i]);
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
		if (r[i].size == 0U || r[i].size > ~(uint64_t)0 - r[i].start)
			return false;
	}
	return true;
}

/* 0 if info describes a dom0 that this builder can describe, else
 * -EINVAL. */
static int check_info(const struct dom0_dt_info *info)
{
	if (info == NULL || info->nr_vcpus == 0U ||
	    info->nr_vcpus > DOM0_DT_MAX_VCPUS)
		return -EINVAL;
	if (info->nr_mem == 0U || info->nr_mem > DOM0_DT_MAX_BANKS ||
	    info->nr_ext > DOM0_DT_MAX_EXT_REGIONS)
		return -EINVAL;
	if (!ranges_ok(info->mem, info->nr_mem) ||
	    !ranges_ok(info->ext, info->nr_ext) ||
	    !ranges_ok(&info->gnttab, 1U))
		return -EINVAL;
	if (info->evtchn_irq < GIC_FIRST_PPI ||
	    info->evtchn_irq >= GIC_FIRST_SPI)
		return -EINVAL;
	if (info->initrd_size > ~(uint64_t)0 - info->initrd_start)
		return -EINVAL;
	return 0;
}

/* The root's #address-cells or #size-cells: 1 or 2, as Xen requires. */
static int root_cells(int cells, unsigned int *out)
{
	if (cells < 0)
		return cells;
	if (cells != 1 && cells != 2)
		return -EINVAL;
	*out = (unsigned int)cells;
	return 0;
}

/* Set up b for host and info, checking what the root and the GIC must
 * be. */
static int builder_init(struct builder *b, const struct fdt *host,
			const struct dom0_dt_info *info)
{
	int root = fdt_root(host);
	int err = root < 0 ? root : host_init(&b->h, host, info->uart_node);
	bool v3;

	if (err == 0)
		err = root_cells(fdt_address_cells(host, root), &b->addr_cells);
	if (err == 0)
		err = root_cells(fdt_size_cells(host, root), &b->size_cells);
	if (err != 0)
		return err;
	v3 = fdt_is_compatible(host, b->h.gic, GICV3_COMPAT);
	if (v3 != info->gic_v3)
		return -EINVAL;
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

	if (err == 0 && (host == NULL || buf == NULL))
		err = -EINVAL;
	if (err == 0)
		err = builder_init(&b, host, info);
	if (err != 0)
		return err;
	fdt_write_init(&b.w, buf, size);
	err = build_walk(&b);
	if (err == 0)
		err = write_root_tail(&b);
	close_nodes(&b, 0);
	if (err == 0)
		err = b.err;
	return err != 0 ? err : fdt_write_finish(&b.w);
}

/* ---- dom0's devices ---- */

/* Add the MMIO region [addr, addr + size) to dev (none if size is 0). */
static int add_mmio(struct dom0_device *dev, uint64_t addr, uint64_t size)
{
	if (size == 0U)
		return 0;
	if (size > ~(uint64_t)0 - addr)
		return -ERANGE;
	if (dev->nr_mmio >= DOM0_DEV_MAX_MMIO)
		return -E2BIG;
	dev->mmio[dev->nr_mmio].addr = addr;
	dev->mmio[dev->nr_mmio].size = size;
	dev->nr_mmio++;
	return 0;
}

/* Add SPI intid to dev, unless it is there already. */
static int add_spi(struct dom0_device *dev, uint32_t intid, uint32_t type)
{
	unsigned int i;

	for (i = 0U; i < dev->nr_spis; i++) {
		if (dev->spis[i].intid == intid)
			return 0;
	}
	if (dev->nr_spis >= DOM0_DEV_MAX_SPIS)
		return -E2BIG;
	dev->spis[dev->nr_spis].intid = intid;
	dev->spis[dev->nr_spis].type = type;
	dev->nr_spis++;
	return 0;
}

/* Add the interrupt of the GIC specifier spec, which must be an SPI. */
static int add_gic_spec(struct dom0_device *dev, const uint8_t *spec)
{
	uint32_t num = cell_at(spec, 1U);

	if (cell_at(spec, 0U) != GIC_SPI || num > GIC_LAST_SPI - GIC_FIRST_SPI)
		return -EINVAL;
	return add_spi(dev, num + GIC_FIRST_SPI,
		       cell_at(spec, 2U) & DT_IRQ_TYPE_SENSE_MASK);
}

/* Add the SPIs of node's interrupts. */
static int add_irqs(const struct host *h, int node, struct dom0_device *dev)
{
	struct irq_list l;
	uint32_t i;
	int err = gic_irqs(h, node, &l);

	for (i = 0U; err == 0 && i < l.count; i++)
		err = add_gic_spec(dev, l.cells + i * l.size * CELL_LEN);
	return err;
}

/* The layout of the ranges of bus, whose parent is up; child is the
 * bus's #address-cells. */
static int range_layout(const struct fdt *fdt, int bus, int up, uint32_t child,
			struct range_layout *rl)
{
	int pa = fdt_address_cells(fdt, up);
	int sc = pa < 0 ? pa : fdt_size_cells(fdt, bus);

	if (sc < 0)
		return sc;
	if (child == 0U || child > MAX_SKIP_CELLS || pa == 0 || sc == 0)
		return FDT_ERR_BADVALUE;
	rl->child = child;
	rl->parent = (uint32_t)pa;
	rl->size = (uint32_t)sc;
	return 0;
}

/* Bytes of one entry of a ranges property. */
static uint32_t range_len(const struct range_layout *rl)
{
	return (rl->child + rl->parent + rl->size) * CELL_LEN;
}

/* Read entry i of the ranges at p. */
static void read_range(const uint8_t *p, const struct range_layout *rl,
		       uint32_t i, struct range_entry *e)
{
	const uint8_t *q = p + i * range_len(rl);

	e->child = rl->child <= 2U ? fdt_read_cells(q, rl->child) : 0U;
	q += rl->child * CELL_LEN;
	e->parent = fdt_read_cells(q, rl->parent);
	e->size = fdt_read_cells(q + rl->parent * CELL_LEN, rl->size);
}

/* Translate *addr from the address space of the children of bus to that
 * of bus's parent up, through bus's ranges. */
static int translate_one(const struct fdt *fdt, int bus, int up, uint64_t *addr)
{
	struct range_layout rl;
	struct range_entry e;
	const void *val;
	uint32_t len;
	uint32_t i;
	int ac = fdt_address_cells(fdt, bus);
	int err = ac < 0 ? ac : fdt_getprop(fdt, bus, "ranges", &val, &len);

	if (err != 0)
		return err == FDT_ERR_NOTFOUND ? -ERANGE : err;
	if (len == 0U)
		return 0;
	err = range_layout(fdt, bus, up, (uint32_t)ac, &rl);
	if (err == 0 && len % range_len(&rl) != 0U)
		err = FDT_ERR_BADVALUE;
	for (i = 0U; err == 0 && i < len / range_len(&rl); i++) {
		read_range(val, &rl, i, &e);
		if (*addr >= e.child && *addr - e.child < e.size) {
			*addr = e.parent + (*addr - e.child);
			return 0;
		}
	}
	return err != 0 ? err : -ERANGE;
}

/* Translate *addr, an address in the space of the children of bus, to a
 * host physical address: up through each bus's ranges to the root. A bus
 * without ranges does not translate (-ERANGE), an empty one is 1:1. */
static int translate(const struct fdt *fdt, int bus, uint64_t *addr)
{
	unsigned int i;

	for (i = 0U; i < FDT_MAX_DEPTH; i++) {
		int up = fdt_parent(fdt, bus);
		int err;

		if (up == FDT_ERR_NOTFOUND)
			return 0;
		err = up < 0 ? up : translate_one(fdt, bus, up, addr);
		if (err != 0)
			return err;
		bus = up;
	}
	return FDT_ERR_TOODEEP;
}

/* Add node's reg entries, as host physical addresses. A bus without sizes
 * (#size-cells = 0, such as I2C) gives addresses that are not MMIO. */
static int add_reg(const struct fdt *fdt, int node, struct dom0_device *dev)
{
	uint64_t addr;
	uint64_t size;
	int parent;
	int count;
	int err;
	int i;

	if (!fdt_has_prop(fdt, node, "reg"))
		return 0;
	parent = fdt_parent(fdt, node);
	count = parent < 0 ? parent : fdt_size_cells(fdt, parent);
	if (count > 0)
		count = fdt_reg_count(fdt, node);
	err = count < 0 ? count : 0;
	for (i = 0; err == 0 && i < count; i++) {
		err = fdt_get_reg(fdt, node, (unsigned int)i, &addr, &size);
		if (err == 0)
			err = translate(fdt, parent, &addr);
		if (err == 0)
			err = add_mmio(dev, addr, size);
	}
	return err;
}

/* True if node is a PCI host bridge (or any PCI bus). */
static bool is_pci(const struct fdt *fdt, int node)
{
	const char *type = fdt_getprop_string(fdt, node, "device_type");

	return type != NULL && strcmp(type, "pci") == 0;
}

/* Add the windows of a PCI node's ranges (map_device_children()). */
static int add_pci_windows(const struct fdt *fdt, int node,
			   struct dom0_device *dev)
{
	struct range_layout rl;
	struct range_entry e;
	const void *val;
	uint32_t len;
	uint32_t ac;
	uint32_t i;
	int parent = fdt_parent(fdt, node);
	int err = parent < 0 ? parent
			     : own_cells(fdt, node, "#address-cells", 3U, &ac);

	if (err == 0 && fdt_getprop(fdt, node, "ranges", &val, &len) != 0)
		return 0;
	if (err == 0)
		err = range_layout(fdt, node, parent, ac, &rl);
	if (err == 0 && len % range_len(&rl) != 0U)
		err = FDT_ERR_BADVALUE;
	for (i = 0U; err == 0 && i < len / range_len(&rl); i++) {
		read_range(val, &rl, i, &e);
		err = translate(fdt, parent, &e.parent);
		if (err == 0)
			err = add_mmio(dev, e.parent, e.size);
	}
	return err;
}

/* The interrupt parent of an interrupt-map entry. */
struct imap_parent {
	uint32_t addr_cells; /* its #address-cells (0 if it has none) */
	uint32_t irq_cells; /* its #interrupt-cells */
	bool gic;
};

/* Look up the interrupt parent of an interrupt-map entry by phandle. */
static int imap_parent(const struct host *h, uint32_t ph,
		       struct imap_parent *ip)
{
	int node = ph == h->gic_phandle ? h->gic
					: fdt_node_by_phandle(h->fdt, ph);
	int err = node < 0 ? FDT_ERR_BADVALUE
			   : own_cells(h->fdt, node, "#address-cells", 0U,
				       &ip->addr_cells);

	ip->gic = node == h->gic;
	ip->irq_cells = h->gic_irq_cells;
	if (err == 0 && !ip->gic)
		err = fdt_getprop_u32(h->fdt, node, "#interrupt-cells",
				      &ip->irq_cells);
	if (err != 0)
		return err == FDT_ERR_NOTFOUND ? FDT_ERR_BADVALUE : err;
	if (ip->addr_cells > MAX_SKIP_CELLS || ip->irq_cells > MAX_SKIP_CELLS)
		return FDT_ERR_BADVALUE;
	return 0;
}

/* Handle the interrupt-map entry at cell *pos of the n cells at p, whose
 * child unit address and specifier take child cells: add its SPI if its
 * parent is the GIC, and move *pos past it. */
static int imap_entry(const struct host *h, const uint8_t *p, uint32_t n,
		      uint32_t *pos, uint32_t child, struct dom0_device *dev)
{
	struct imap_parent ip;
	int err;

	if (n - *pos < child + 1U)
		return FDT_ERR_BADVALUE;
	err = imap_parent(h, cell_at(p, *pos + child), &ip);
	*pos += child + 1U;
	if (err == 0 && n - *pos < ip.addr_cells + ip.irq_cells)
		err = FDT_ERR_BADVALUE;
	if (err == 0 && ip.gic)
		err = add_gic_spec(dev, p + (*pos + ip.addr_cells) * CELL_LEN);
	*pos += ip.addr_cells + ip.irq_cells;
	return err;
}

/* Add the SPIs of a PCI node's interrupt-map (dt_for_each_irq_map()). */
static int add_irq_map(const struct host *h, int node, struct dom0_device *dev)
{
	const void *val;
	uint32_t len;
	uint32_t ac;
	uint32_t ic;
	uint32_t pos = 0U;
	int err;

	if (fdt_getprop(h->fdt, node, "interrupt-map", &val, &len) != 0)
		return 0;
	err = own_cells(h->fdt, node, "#address-cells", 2U, &ac);
	if (err == 0)
		err = fdt_getprop_u32(h->fdt, node, "#interrupt-cells", &ic);
	if (err == 0 && (len % CELL_LEN != 0U || ac > MAX_SKIP_CELLS ||
			 ic > MAX_SKIP_CELLS))
		err = FDT_ERR_BADVALUE;
	while (err == 0 && pos < len / CELL_LEN)
		err = imap_entry(h, val, len / CELL_LEN, &pos, ac + ic, dev);
	return err == FDT_ERR_NOTFOUND ? FDT_ERR_BADVALUE : err;
}

/* Describe node in dev; dev->err is the first error met. */
static void describe(const struct host *h, int node, struct dom0_device *dev)
{
	bool pci = is_pci(h->fdt, node);
	int err;

	memset(dev, 0, sizeof(*dev));
	dev->node = node;
	dev->name = fdt_node_name(h->fdt, node);
	err = add_reg(h->fdt, node, dev);
	if (err == 0 && pci)
		err = add_pci_windows(h->fdt, node, dev);
	if (err == 0)
		err = add_irqs(h, node, dev);
	if (err == 0 && pci)
		err = add_irq_map(h, node, dev);
	dev->err = err;
}

/* True if dom0 gets node and its subtree may hold devices of dom0's. */
static bool keeps_subtree(const struct host *h, int node, int depth)
{
	return classify(h, node, depth) == NODE_COPY &&
	       !top_name_in(h->fdt, node, depth, no_device_names,
			    ARRAY_SIZE(no_device_names));
}

/* True if node is a device dom0 owns: enabled and not for passthrough. */
static bool owns_device(const struct fdt *fdt, int node)
{
	const char *status;

	if (fdt_has_prop(fdt, node, "xen,passthrough"))
		return false;
	if (!fdt_has_prop(fdt, node, "status"))
		return true;
	status = fdt_getprop_string(fdt, node, "status");
	return status != NULL &&
	       (strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0);
}

/* Report the devices of the host tree to cb (see dom0_dt_devices()). */
static int devices_walk(const struct host *h,
			int (*cb)(void *ctx, const struct dom0_device *dev),
			void *ctx)
{
	struct dom0_device dev;
	int skip = -1; /* depth of a subtree being skipped, or -1 */
	int count = 0;
	int depth = 0;
	int node;

	for (node = fdt_next_node(h->fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(h->fdt, node, &depth)) {
		int ret;

		if (skip >= 0 && depth > skip)
			continue;
		skip = keeps_subtree(h, node, depth) ? -1 : depth;
		if (skip >= 0 || depth == 0 || !owns_device(h->fdt, node))
			continue;
		describe(h, node, &dev);
		if (dev.nr_mmio == 0U && dev.nr_spis == 0U && dev.err == 0)
			continue;
		ret = cb(ctx, &dev);
		if (ret < 0)
			return ret;
		count++;
	}
	return node == FDT_ERR_NOTFOUND ? count : node;
}

int dom0_dt_devices(const struct fdt *host, int skip_node,
		    int (*cb)(void *ctx, const struct dom0_device *dev),
		    void *ctx)
{
	struct host h;
	int err;

	if (host == NULL || cb == NULL)
		return -EINVAL;
	err = host_init(&h, host, skip_node);
	return err != 0 ? err : devices_walk(&h, cb, ctx);
}
