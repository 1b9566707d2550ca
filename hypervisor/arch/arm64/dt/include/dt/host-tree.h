/*
 * Reading the host device tree for dom0 (internal to arch/arm64/dt): which
 * GIC and UART Xen keeps, the interrupts of a node, and what Xen 4.17's
 * handle_node() does with each node. dom0-tree.c (dom0's tree) and
 * dom0-devices.c (the devices dom0 gets) walk the tree with the same
 * dt_classify(), so they agree on what dom0 has.
 */
#ifndef HV_DT_HOST_TREE_H
#define HV_DT_HOST_TREE_H

#include <hv/fdt.h>

/* GIC interrupt specifiers: <type number flags>, type 0 = SPI, 1 = PPI. */
#define GIC_SPI 0U
#define GIC_PPI 1U
#define GIC_FIRST_PPI 16U
#define GIC_FIRST_SPI 32U
#define GIC_NR_PPIS 16U
#define GIC_LAST_SPI 1019U
#define IRQ_CELLS 3U
#define GIC_MAX_IRQ_CELLS 4U

/* The compatible of a GICv3 (Xen's DT_MATCH_GIC_V3). */
#define GICV3_COMPAT "arm,gic-v3"

#define CELL_LEN 4U

/* Most cells of a ranges or interrupt-map address that are skipped. */
#define MAX_SKIP_CELLS 4U

/* What happens to a host node and its subtree. */
enum node_kind {
	NODE_COPY, /* copied, children handled one by one */
	NODE_DROP, /* dropped with its subtree */
	NODE_GIC, /* replaced by dom0's GIC node */
	NODE_TIMER, /* replaced by dom0's timer node */
};

/* The nodes a walk in document order has open: node[d] is the one at
 * depth d, for d from 0 (the root) to depth (the current node). */
struct dt_path {
	int node[FDT_MAX_DEPTH];
	int depth;
};

/* What the walks need to know about the host tree. */
struct host {
	const struct fdt *fdt;
	int gic; /* the GIC Xen keeps (dt_interrupt_controller) */
	uint32_t gic_phandle;
	uint32_t gic_irq_cells; /* its #interrupt-cells */
	int uart; /* the UART the hypervisor keeps, or negative */
	/* The walk's current path, or NULL: the parents of its nodes come
	 * from there instead of a walk from the root each time. */
	const struct dt_path *path;
};

/* The interrupt specifiers of a node whose interrupt parent is the GIC. */
struct irq_list {
	const uint8_t *cells;
	uint32_t count;
	uint32_t size; /* cells of one specifier */
};

/* Cell i of the big-endian cells at p. */
uint32_t dt_cell(const uint8_t *p, uint32_t i);

/* True if str is one of the n strings of list. */
bool dt_str_in(const char *str, const char *const *list, size_t n);

/* True if node is at depth 1 and named one of the n strings of list. */
bool dt_top_name_in(const struct fdt *fdt, int node, int depth,
		    const char *const *list, size_t n);

/* True if node is a generic timer (not the memory-mapped one). */
bool dt_is_timer(const struct fdt *fdt, int node);

/* True if node is an IOMMU that Xen has a driver for. */
bool dt_is_iommu(const struct fdt *fdt, int node);

/* Record node, at depth, as the current node of the walk along path. */
void dt_path_enter(struct dt_path *path, int node, int depth);

/* The parent of node: from h's path if node is on it, else fdt_parent(). */
int dt_parent(const struct host *h, int node);

/* A cell-count property of node itself (not inherited), or dflt. */
int dt_own_cells(const struct fdt *fdt, int node, const char *name,
		 uint32_t dflt, uint32_t *out);

/* The first node matching the filter, in document order. */
int dt_find_node(const struct fdt *fdt,
		 bool (*match)(const struct fdt *fdt, int node));

/* Find the GIC of fdt and what the walks need to know about it; uart is
 * the node of the UART the hypervisor keeps, or negative. */
int dt_host_init(struct host *h, const struct fdt *fdt, int uart);

/*
 * The interrupts of node if they go to the GIC (an empty list if node has
 * none or they go elsewhere). FDT_ERR_BADVALUE if the property is not a
 * whole number of specifiers.
 */
int dt_gic_irqs(const struct host *h, int node, struct irq_list *l);

/* True if specifier i of l is a PPI (interrupt ID 16 to 31). */
bool dt_irq_is_ppi(const struct irq_list *l, uint32_t i);

/* What handle_node() does with node, in its order of checks. */
enum node_kind dt_classify(const struct host *h, int node, int depth);

#endif /* HV_DT_HOST_TREE_H */
