/*
 * The GIC in device trees: finding the host's (the only place that knows
 * which compatibles are a GIC) and writing the GIC node of dom0's and a
 * dom0less domU's tree, as Xen 4.17's GIC drivers write them
 * (gicv{2,3}_make_hwdom_dt_node(), make_gicv3_domU_node()). Plain C over
 * lib/fdt: the host tests link it.
 */
#ifndef HV_DRIVERS_GIC_DT_H
#define HV_DRIVERS_GIC_DT_H

#include <hv/fdt-write.h>
#include <hv/fdt.h>

/* The compatibles of the GICs Xen has drivers for (DT_MATCH_GIC_V2/V3). */
bool gic_dt_is_gic(const struct fdt *fdt, int node);

/* True if the GIC at node is a GICv3 (else a GICv2). */
bool gic_dt_is_v3(const struct fdt *fdt, int node);

/* The host's GIC, as gic_dt_find() reads it. */
struct gic_dt_host {
	int node;
	bool v3; /* else a GICv2 */
	paddr_t gicd; /* reg[0] */
	paddr_t gicr; /* GICv3: reg[1], the first redistributor region */
	uint64_t gicr_size;
	uint32_t gicr_stride; /* "redistributor-stride", 0 if none */
	uint32_t maintenance_irq; /* the PPI of "interrupts", 0 if none */
};

/*
 * The GIC the hypervisor uses: the first node, in document order, that is
 * an interrupt-controller with a GIC compatible (Xen's gic_dt_preinit()).
 * Returns its node offset (g filled in, if not NULL), -ENODEV if there is
 * none, FDT_ERR_BADVALUE for a malformed reg, or another negative code.
 */
int gic_dt_find(const struct fdt *fdt, struct gic_dt_host *g);

/*
 * dom0's GIC node, in place of the host's node gic: the host phandle,
 * #address-cells and #size-cells, #interrupt-cells = irq_cells, the host
 * compatible, and the host reg cut down to the distributor and the
 * redistributor regions that hold nr_vcpus redistributors (GICv3, with
 * #redistributor-regions) or to GICD and GICC (GICv2). Returns 0, or
 * -EINVAL/-ERANGE for a host node without the compatible or reg entries
 * it needs (the writer then holds a partial node).
 */
int gic_dt_write_hwdom_node(struct fdt_writer *w, const struct fdt *host,
			    int gic, uint32_t phandle, uint32_t irq_cells,
			    unsigned int nr_vcpus);

/* A dom0less domU's GICv3 at Xen's guest addresses (<xen/arch-arm.h>),
 * with phandle. */
void gic_dt_write_domu_node(struct fdt_writer *w, uint32_t phandle,
			    uint32_t irq_cells);

#endif /* HV_DRIVERS_GIC_DT_H */
