/*
 * The GIC in device trees (see gic-dt.h).
 */
#include "gic-dt.h"

#include <dt/xen-arm-abi.h>
#include <hv/errno.h>

/* By its path: the host tests build this file without the arm64 include
 * directory, and the header needs only <hv/types.h>. */
#include "../arch/arm64/include/asm/gicv3-defs.h"

/* DT_MATCH_GIC_V3 and DT_MATCH_GIC_V2. */
#define GICV3_COMPAT "arm,gic-v3"
static const char *const gic_compats[] = {GICV3_COMPAT, "arm,cortex-a15-gic",
					  "arm,cortex-a7-gic", "arm,gic-400"};

/* Entries of a GICv2 reg that dom0 gets: GICD and GICC. */
#define GICV2_DOM0_REGS 2U

/* Cells of an (address, size) pair in a domU's tree (2 + 2 cells). */
#define DOMU_RANGE_CELLS 4U

/* The maintenance interrupt: the PPI number is the second cell. */
#define GIC_FIRST_PPI 16U
#define IRQ_SPEC_LEN 12U

bool gic_dt_is_gic(const struct fdt *fdt, int node)
{
	return fdt_is_compatible_any(fdt, node, gic_compats,
				     ARRAY_SIZE(gic_compats));
}

bool gic_dt_is_v3(const struct fdt *fdt, int node)
{
	return fdt_is_compatible(fdt, node, GICV3_COMPAT);
}

/* Read the registers and the maintenance interrupt of the GIC at node. */
static int read_gic(const struct fdt *fdt, int node, struct gic_dt_host *g)
{
	const uint8_t *irqs;
	uint64_t size;
	uint32_t len;

	g->node = node;
	g->v3 = gic_dt_is_v3(fdt, node);
	g->gicr = 0U;
	g->gicr_size = 0U;
	g->gicr_stride = 0U;
	g->maintenance_irq = 0U;
	if (fdt_get_reg(fdt, node, 0U, &g->gicd, &size) != 0) {
		return FDT_ERR_BADVALUE;
	}
	if (g->v3 &&
	    (fdt_get_reg(fdt, node, 1U, &g->gicr, &g->gicr_size) != 0)) {
		return FDT_ERR_BADVALUE;
	}
	(void)fdt_getprop_u32(fdt, node, "redistributor-stride",
			      &g->gicr_stride);
	if ((fdt_getprop(fdt, node, "interrupts", (const void **)&irqs, &len) ==
	     0) &&
	    (len >= IRQ_SPEC_LEN)) {
		g->maintenance_irq =
			(uint32_t)fdt_read_cells(irqs + 4, 1U) + GIC_FIRST_PPI;
	}
	return 0;
}

int gic_dt_find(const struct fdt *fdt, struct gic_dt_host *g)
{
	int node;

	for (node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		if (fdt_has_prop(fdt, node, "interrupt-controller") &&
		    gic_dt_is_gic(fdt, node)) {
			break;
		}
	}
	if (node < 0) {
		return (node == FDT_ERR_NOTFOUND) ? -ENODEV : node;
	}
	if (g != NULL) {
		int err = read_gic(fdt, node, g);

		if (err != 0) {
			return err;
		}
	}
	return node;
}

/* Copy property name of the host node, if it has it. */
static void copy_prop_if(struct fdt_writer *w, const struct fdt *host, int node,
			 const char *name)
{
	const void *val;
	uint32_t len;

	if (fdt_getprop(host, node, name, &val, &len) == 0) {
		fdt_write_prop(w, name, val, len);
	}
}

/* The number of redistributor regions that hold nr_vcpus redistributors,
 * counted as Xen's vgic_v3_domain_init() does for the hardware domain. */
static unsigned int gicv3_hwdom_regions(const struct fdt *host, int gic,
					unsigned int nr_vcpus)
{
	uint64_t cpus = 0U;
	uint64_t size;
	uint32_t nr;
	uint32_t i;

	if (fdt_getprop_u32(host, gic, "#redistributor-regions", &nr) != 0) {
		nr = 1U;
	}
	for (i = 0U; i < nr; i++) {
		if (fdt_get_reg(host, gic, i + 1U, NULL, &size) != 0) {
			break;
		}
		cpus += size / GICR_SIZE;
		if (cpus >= nr_vcpus) {
			return i + 1U;
		}
	}
	return (i > 0U) ? i : 1U;
}

/* The first n entries of the host GIC's reg, as Xen copies them. */
static int write_host_reg(struct fdt_writer *w, const struct fdt *host, int gic,
			  unsigned int n)
{
	const void *reg;
	uint32_t len;
	int count = fdt_reg_count(host, gic);

	if (count < 0) {
		return count;
	}
	if ((unsigned int)count < n) {
		return -ERANGE;
	}
	if (fdt_getprop(host, gic, "reg", &reg, &len) != 0) {
		return -EINVAL;
	}
	fdt_write_prop(w, "reg", reg, len / (uint32_t)count * n);
	return 0;
}

int gic_dt_write_hwdom_node(struct fdt_writer *w, const struct fdt *host,
			    int gic, uint32_t phandle, uint32_t irq_cells,
			    unsigned int nr_vcpus)
{
	const void *compat;
	unsigned int regions;
	uint32_t len;
	int err;

	if (fdt_getprop(host, gic, "compatible", &compat, &len) != 0) {
		return -EINVAL;
	}
	fdt_write_begin_node(w, "interrupt-controller");
	fdt_write_prop_u32(w, "phandle", phandle);
	copy_prop_if(w, host, gic, "#address-cells");
	copy_prop_if(w, host, gic, "#size-cells");
	fdt_write_prop_u32(w, "#interrupt-cells", irq_cells);
	fdt_write_prop_empty(w, "interrupt-controller");
	fdt_write_prop(w, "compatible", compat, len);
	if (gic_dt_is_v3(host, gic)) {
		regions = gicv3_hwdom_regions(host, gic, nr_vcpus);
		fdt_write_prop_u32(w, "#redistributor-regions", regions);
		err = write_host_reg(w, host, gic, 1U + regions);
	} else {
		err = write_host_reg(w, host, gic, GICV2_DOM0_REGS);
	}
	fdt_write_end_node(w);
	return err;
}

_Static_assert(GUEST_GICV3_RDIST_REGIONS == 1,
	       "the GIC node lists one redistributor region");

void gic_dt_write_domu_node(struct fdt_writer *w, uint32_t phandle,
			    uint32_t irq_cells)
{
	uint32_t cells[2U * DOMU_RANGE_CELLS];
	unsigned int n;

	fdt_write_begin_unit_node(w, "interrupt-controller",
				  GUEST_GICV3_GICD_BASE);
	fdt_write_prop_u32(w, "#address-cells", 0U);
	fdt_write_prop_u32(w, "#interrupt-cells", irq_cells);
	fdt_write_prop_empty(w, "interrupt-controller");
	fdt_write_prop_string(w, "compatible", GICV3_COMPAT);
	n = fdt_cells_put_range(cells, 0U, GUEST_GICV3_GICD_BASE,
				GUEST_GICV3_GICD_SIZE);
	n = fdt_cells_put_range(cells, n, GUEST_GICV3_GICR0_BASE,
				GUEST_GICV3_GICR0_SIZE);
	fdt_write_prop_cells(w, "reg", cells, n);
	fdt_write_prop_u32(w, "linux,phandle", phandle);
	fdt_write_prop_u32(w, "phandle", phandle);
	fdt_write_end_node(w);
}
