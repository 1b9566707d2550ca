/*
 * The host devices dom0 gets (see dom0_dt_devices() in <dt/dom0-dt.h>).
 *
 * The walk uses dom0-tree.c's dt_classify() and describes each node that
 * dom0 keeps as Xen's handle_device() maps it: its reg translated through
 * the parents' ranges, its SPIs, and for a PCI host bridge the windows of
 * its ranges and the SPIs of its interrupt-map. Nothing here recurses:
 * every walk is a loop bounded by the tree's depth or size.
 */
#include <dt/dom0-dt.h>
#include <dt/host-tree.h>
#include <dt/xen-arm-abi.h>
#include <hv/errno.h>
#include <hv/string.h>

/* Depth-1 nodes whose subtrees hold no device of dom0's. */
static const char *const no_device_names[] = {"chosen", "reserved-memory"};

/* Add the MMIO region [addr, addr + size) to dev (none if size is 0). */
static int add_mmio(struct dom0_device *dev, uint64_t addr, uint64_t size)
{
	if (size == 0U) {
		return 0;
	}
	if (size > ~(uint64_t)0 - addr) {
		return -ERANGE;
	}
	if (dev->nr_mmio >= DOM0_DEV_MAX_MMIO) {
		return -E2BIG;
	}
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
		if (dev->spis[i].intid == intid) {
			return 0;
		}
	}
	if (dev->nr_spis >= DOM0_DEV_MAX_SPIS) {
		return -E2BIG;
	}
	dev->spis[dev->nr_spis].intid = intid;
	dev->spis[dev->nr_spis].type = type;
	dev->nr_spis++;
	return 0;
}

/* Add the interrupt of the GIC specifier spec, which must be an SPI. */
static int add_gic_spec(struct dom0_device *dev, const uint8_t *spec)
{
	uint32_t num = dt_cell(spec, 1U);

	if (dt_cell(spec, 0U) != GIC_SPI ||
	    num > GIC_LAST_SPI - GIC_FIRST_SPI) {
		return -EINVAL;
	}
	return add_spi(dev, num + GIC_FIRST_SPI,
		       dt_cell(spec, 2U) & DT_IRQ_TYPE_SENSE_MASK);
}

/* Add the SPIs of node's interrupts. */
static int add_irqs(const struct host *h, int node, struct dom0_device *dev)
{
	struct irq_list l;
	uint32_t i;
	int err = dt_gic_irqs(h, node, &l);

	for (i = 0U; err == 0 && i < l.count; i++) {
		err = add_gic_spec(dev, l.cells + i * l.size * CELL_LEN);
	}
	return err;
}

/* Add node's reg entries, as host physical addresses. A bus without sizes
 * (#size-cells = 0, such as I2C) gives addresses that are not MMIO. */
static int add_reg(const struct host *h, int node, struct dom0_device *dev)
{
	const struct fdt *fdt = h->fdt;
	uint64_t addr;
	uint64_t size;
	int parent;
	int count;
	int err;
	int i;

	if (!fdt_has_prop(fdt, node, "reg")) {
		return 0;
	}
	parent = dt_parent(h, node);
	count = parent < 0 ? parent : fdt_size_cells(fdt, parent);
	if (count > 0) {
		count = fdt_reg_count_in(fdt, parent, node);
	}
	err = count < 0 ? count : 0;
	for (i = 0; err == 0 && i < count; i++) {
		err = fdt_get_reg_in(fdt, parent, node, (unsigned int)i, &addr,
				     &size);
		if (err == 0) {
			err = fdt_translate(fdt, parent, &addr);
		}
		if (err == 0) {
			err = add_mmio(dev, addr, size);
		}
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
static int add_pci_windows(const struct host *h, int node,
			   struct dom0_device *dev)
{
	const struct fdt *fdt = h->fdt;
	struct fdt_range_layout rl;
	struct fdt_range e;
	const void *val;
	uint32_t len;
	uint32_t ac;
	uint32_t i;
	int parent = dt_parent(h, node);
	int err = parent < 0
			  ? parent
			  : dt_own_cells(fdt, node, "#address-cells", 3U, &ac);

	if (err == 0 && fdt_getprop(fdt, node, "ranges", &val, &len) != 0) {
		return 0;
	}
	if (err == 0) {
		err = fdt_range_layout(fdt, node, parent, ac, &rl);
	}
	if (err == 0 && len % fdt_range_len(&rl) != 0U) {
		err = FDT_ERR_BADVALUE;
	}
	for (i = 0U; err == 0 && i < len / fdt_range_len(&rl); i++) {
		fdt_read_range(val, &rl, i, &e);
		err = fdt_translate(fdt, parent, &e.parent);
		if (err == 0) {
			err = add_mmio(dev, e.parent, e.size);
		}
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
			   : dt_own_cells(h->fdt, node, "#address-cells", 0U,
					  &ip->addr_cells);

	ip->gic = node == h->gic;
	ip->irq_cells = h->gic_irq_cells;
	if (err == 0 && !ip->gic) {
		err = fdt_getprop_u32(h->fdt, node, "#interrupt-cells",
				      &ip->irq_cells);
	}
	if (err != 0) {
		return err == FDT_ERR_NOTFOUND ? FDT_ERR_BADVALUE : err;
	}
	if (ip->addr_cells > MAX_SKIP_CELLS || ip->irq_cells > MAX_SKIP_CELLS) {
		return FDT_ERR_BADVALUE;
	}
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

	if (n - *pos < child + 1U) {
		return FDT_ERR_BADVALUE;
	}
	err = imap_parent(h, dt_cell(p, *pos + child), &ip);
	*pos += child + 1U;
	if (err == 0 && n - *pos < ip.addr_cells + ip.irq_cells) {
		err = FDT_ERR_BADVALUE;
	}
	if (err == 0 && ip.gic) {
		err = add_gic_spec(dev, p + (*pos + ip.addr_cells) * CELL_LEN);
	}
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

	if (fdt_getprop(h->fdt, node, "interrupt-map", &val, &len) != 0) {
		return 0;
	}
	err = dt_own_cells(h->fdt, node, "#address-cells", 2U, &ac);
	if (err == 0) {
		err = fdt_getprop_u32(h->fdt, node, "#interrupt-cells", &ic);
	}
	if (err == 0 && (len % CELL_LEN != 0U || ac > MAX_SKIP_CELLS ||
			 ic > MAX_SKIP_CELLS)) {
		err = FDT_ERR_BADVALUE;
	}
	while (err == 0 && pos < len / CELL_LEN) {
		err = imap_entry(h, val, len / CELL_LEN, &pos, ac + ic, dev);
	}
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
	err = add_reg(h, node, dev);
	if (err == 0 && pci) {
		err = add_pci_windows(h, node, dev);
	}
	if (err == 0) {
		err = add_irqs(h, node, dev);
	}
	if (err == 0 && pci) {
		err = add_irq_map(h, node, dev);
	}
	dev->err = err;
}

/* True if dom0 gets node and its subtree may hold devices of dom0's. */
static bool keeps_subtree(const struct host *h, int node, int depth)
{
	return dt_classify(h, node, depth) == NODE_COPY &&
	       !dt_top_name_in(h->fdt, node, depth, no_device_names,
			       ARRAY_SIZE(no_device_names));
}

/* True if node is a device dom0 owns: enabled and not for passthrough. */
static bool owns_device(const struct fdt *fdt, int node)
{
	const char *status;

	if (fdt_has_prop(fdt, node, "xen,passthrough")) {
		return false;
	}
	if (!fdt_has_prop(fdt, node, "status")) {
		return true;
	}
	status = fdt_getprop_string(fdt, node, "status");
	return status != NULL &&
	       (strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0);
}

/* Report the devices of the host tree to cb (see dom0_dt_devices()); h's
 * path is path, which the walk keeps. */
static int devices_walk(const struct host *h, struct dt_path *path,
			int (*cb)(void *ctx, const struct dom0_device *dev),
			void *ctx)
{
	struct dom0_device dev;
	int skip = -1; /* depth of a subtree being skipped, or -1 */
	int count = 0;
	int depth = 0;
	int node;

	for (node = fdt_walk_next(h->fdt, -1, &depth); node >= 0;
	     node = fdt_walk_next(h->fdt, node, &depth)) {
		int ret;

		if (skip >= 0 && depth > skip) {
			continue;
		}
		dt_path_enter(path, node, depth);
		skip = keeps_subtree(h, node, depth) ? -1 : depth;
		if (skip >= 0 || depth == 0 || !owns_device(h->fdt, node)) {
			continue;
		}
		describe(h, node, &dev);
		if (dev.nr_mmio == 0U && dev.nr_spis == 0U && dev.err == 0) {
			continue;
		}
		ret = cb(ctx, &dev);
		if (ret < 0) {
			return ret;
		}
		count++;
	}
	return node == FDT_ERR_NOTFOUND ? count : node;
}

int dom0_dt_devices(const struct fdt *host, int skip_node,
		    int (*cb)(void *ctx, const struct dom0_device *dev),
		    void *ctx)
{
	struct dt_path path;
	struct host h;
	int err;

	if (host == NULL || cb == NULL) {
		return -EINVAL;
	}
	err = dt_host_init(&h, host, skip_node);
	if (err != 0) {
		return err;
	}
	path.depth = -1;
	h.path = &path;
	return devices_walk(&h, &path, cb, ctx);
}
