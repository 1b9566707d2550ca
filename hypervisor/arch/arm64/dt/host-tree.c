/*
 * Reading the host device tree for dom0 (see <dt/host-tree.h>).
 *
 * Nothing here recurses: every walk is a loop bounded by the tree's depth
 * or size.
 */
#include <drivers/gic-dt.h>
#include <dt/host-tree.h>
#include <hv/errno.h>
#include <hv/string.h>

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

/* DT_MATCH_TIMER. */
static const char *const timer_compats[] = {"arm,armv7-timer",
					    "arm,armv8-timer"};

/* The IOMMUs Xen has drivers for (SMMUv1/v2 and SMMUv3). */
static const char *const iommu_compats[] = {
	"arm,smmu-v1", "arm,smmu-v2", "arm,mmu-400",
	"arm,mmu-401", "arm,mmu-500", "arm,smmu-v3",
};

/* ---- Reading the host tree ---- */

/* Cell i of the big-endian cells at p. */
uint32_t dt_cell(const uint8_t *p, uint32_t i)
{
	return (uint32_t)fdt_read_cells(p + i * CELL_LEN, 1U);
}

/* True if str is one of the n strings of list. */
bool dt_str_in(const char *str, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0U; i < n; i++) {
		if (strcmp(str, list[i]) == 0) {
			return true;
		}
	}
	return false;
}

/* True if node is at depth 1 and named one of the n strings of list. */
bool dt_top_name_in(const struct fdt *fdt, int node, int depth,
		    const char *const *list, size_t n)
{
	const char *name = fdt_node_name(fdt, node);

	return depth == 1 && name != NULL && dt_str_in(name, list, n);
}

/* True if node is a generic timer (not the memory-mapped one). */
bool dt_is_timer(const struct fdt *fdt, int node)
{
	return fdt_is_compatible_any(fdt, node, timer_compats,
				     ARRAY_SIZE(timer_compats));
}

/* Record node, at depth, as the current node of the walk along path. */
void dt_path_enter(struct dt_path *path, int node, int depth)
{
	if (depth >= 0 && depth < FDT_MAX_DEPTH) {
		path->node[depth] = node;
		path->depth = depth;
	} else {
		path->depth = -1; /* nothing known: fdt_parent() answers */
	}
}

/* The parent of node: from h's path if node is on it, else fdt_parent(). */
int dt_parent(const struct host *h, int node)
{
	const struct dt_path *p = h->path;
	int d;

	if (p != NULL) {
		for (d = p->depth; d > 0; d--) {
			if (p->node[d] == node) {
				return p->node[d - 1];
			}
		}
	}
	return fdt_parent(h->fdt, node);
}

/* A cell-count property of node itself (not inherited), or dflt. */
int dt_own_cells(const struct fdt *fdt, int node, const char *name,
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
int dt_find_node(const struct fdt *fdt,
		 bool (*match)(const struct fdt *fdt, int node))
{
	int node;

	for (node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		if (match(fdt, node)) {
			return node;
		}
	}
	return node;
}

/* Find the GIC of fdt and what the walks need to know about it. */
int dt_host_init(struct host *h, const struct fdt *fdt, int uart)
{
	int gic = gic_dt_find(fdt, NULL);

	if (gic < 0) {
		return gic == FDT_ERR_NOTFOUND ? -ENODEV : gic;
	}
	h->fdt = fdt;
	h->gic = gic;
	h->uart = uart;
	h->path = NULL;
	h->gic_phandle = fdt_node_phandle(fdt, gic);
	if (fdt_getprop_u32(fdt, gic, "#interrupt-cells", &h->gic_irq_cells) !=
	    0) {
		return -EINVAL;
	}
	if (h->gic_phandle == 0U || h->gic_irq_cells < IRQ_CELLS ||
	    h->gic_irq_cells > GIC_MAX_IRQ_CELLS) {
		return -EINVAL;
	}
	return 0;
}

/* True if node is an IOMMU that Xen has a driver for. */
bool dt_is_iommu(const struct fdt *fdt, int node)
{
	return fdt_is_compatible_any(fdt, node, iommu_compats,
				     ARRAY_SIZE(iommu_compats));
}

/* ---- Interrupts ---- */

/* The next candidate interrupt parent after cur: the node its
 * interrupt-parent names, or else its parent. */
static int irq_parent_step(const struct host *h, int cur)
{
	uint32_t ph;
	int err = fdt_getprop_u32(h->fdt, cur, "interrupt-parent", &ph);

	if (err == FDT_ERR_NOTFOUND) {
		return dt_parent(h, cur);
	}
	if (err != 0) {
		return err;
	}
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
		if (cur < 0) {
			return cur == FDT_ERR_NOTFOUND ? 0 : cur;
		}
		if (fdt_has_prop(h->fdt, cur, "#interrupt-cells")) {
			return cur == h->gic ? 1 : 0;
		}
	}
	return FDT_ERR_BADSTRUCTURE;
}

/*
 * The interrupts of node if they go to the GIC (an empty list if node has
 * none or they go elsewhere). FDT_ERR_BADVALUE if the property is not a
 * whole number of specifiers.
 */
int dt_gic_irqs(const struct host *h, int node, struct irq_list *l)
{
	const void *val;
	uint32_t len;
	int ret = fdt_getprop(h->fdt, node, "interrupts", &val, &len);

	l->count = 0U;
	l->size = h->gic_irq_cells;
	if (ret == FDT_ERR_NOTFOUND) {
		return 0;
	}
	if (ret == 0) {
		ret = irq_parent_is_gic(h, node);
	}
	if (ret <= 0) {
		return ret;
	}
	if (len % (l->size * CELL_LEN) != 0U) {
		return FDT_ERR_BADVALUE;
	}
	l->cells = val;
	l->count = len / (l->size * CELL_LEN);
	return 0;
}

/* True if specifier i of l is a PPI (interrupt ID 16 to 31). */
bool dt_irq_is_ppi(const struct irq_list *l, uint32_t i)
{
	const uint8_t *spec = l->cells + i * l->size * CELL_LEN;

	return dt_cell(spec, 0U) == GIC_PPI && dt_cell(spec, 1U) < GIC_NR_PPIS;
}

/* True if node has a PPI of the GIC: Xen cannot route those to dom0. */
static bool uses_ppi(const struct host *h, int node)
{
	struct irq_list l;
	uint32_t i;

	if (dt_gic_irqs(h, node, &l) != 0) {
		return false;
	}
	for (i = 0U; i < l.count; i++) {
		if (dt_irq_is_ppi(&l, i)) {
			return true;
		}
	}
	return false;
}

/* ---- What happens to each node ---- */

/* True if handle_node() skips node with its subtree before anything else:
 * skip_matches, plus the paths Xen reserves for its own nodes. */
static bool xen_skips(const struct fdt *fdt, int node, int depth)
{
	const char *type = fdt_getprop_string(fdt, node, "device_type");

	if (type != NULL && strcmp(type, "memory") == 0) {
		return true;
	}
	return dt_top_name_in(fdt, node, depth, reserved_names,
			      ARRAY_SIZE(reserved_names)) ||
	       fdt_is_compatible_any(fdt, node, skip_compats,
				     ARRAY_SIZE(skip_compats));
}

/* What handle_node() does with node, in its order of checks. */
enum node_kind dt_classify(const struct host *h, int node, int depth)
{
	const struct fdt *fdt = h->fdt;

	if (depth == 0) {
		return NODE_COPY;
	}
	if (xen_skips(fdt, node, depth)) {
		return NODE_DROP;
	}
	if (gic_dt_is_gic(fdt, node)) {
		return node == h->gic ? NODE_GIC : NODE_DROP;
	}
	if (dt_is_timer(fdt, node)) {
		return NODE_TIMER;
	}
	if (node == h->uart || dt_is_iommu(fdt, node)) {
		return NODE_DROP;
	}
	return uses_ppi(h, node) ? NODE_DROP : NODE_COPY;
}
