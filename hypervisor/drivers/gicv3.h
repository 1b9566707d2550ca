/*
 * Host GICv3 driver: distributor, one redistributor per CPU, and the
 * system-register CPU interface at EL2.
 */
#ifndef HV_DRIVERS_GICV3_H
#define HV_DRIVERS_GICV3_H

#include <hv/compiler.h>

#define GIC_SGI_BASE 0U
#define GIC_PPI_BASE 16U
#define GIC_SPI_BASE 32U
#define GIC_SPURIOUS 1020U

/* Set up the distributor. redist/redist_size: the redistributor region;
 * stride 0 means "from GICR_TYPER". */
void gicv3_init(paddr_t dist, paddr_t redist, uint64_t redist_size,
		uint64_t stride);

/* Set up this CPU's redistributor and CPU interface; mpidr is this CPU's
 * affinity. Returns false if no redistributor matches. */
bool __must_check gicv3_cpu_init(uint64_t mpidr);

/* Enable an interrupt: an SGI/PPI on this CPU, an SPI routed to the CPU
 * with affinity mpidr. */
void gicv3_enable_irq(unsigned int intid, uint64_t mpidr);

/* Route an SPI to the CPU with affinity mpidr. */
void gicv3_route_irq(unsigned int intid, uint64_t mpidr);

/* Disable an SPI at the distributor. */
void gicv3_disable_irq(unsigned int intid);

/* Send SGI sgi to the CPU with affinity mpidr. */
void gicv3_send_sgi(unsigned int sgi, uint64_t mpidr);

/* Acknowledge the highest-priority pending interrupt (its INTID, or
 * GIC_SPURIOUS). */
unsigned int gicv3_ack(void);

/* Drop the running priority of an acknowledged interrupt (EOImode 1: it
 * stays active). */
void gicv3_eoi(unsigned int intid);

/* Deactivate an interrupt acknowledged by this CPU. */
void gicv3_deactivate(unsigned int intid);

/* Set or clear the pending state of an SPI at the distributor. */
void gicv3_set_pending(unsigned int intid, bool pending);

/* Deactivate an SPI at the distributor, from any CPU. */
void gicv3_clear_active(unsigned int intid);

/* Number of interrupt lines the distributor implements. */
unsigned int gicv3_nr_lines(void);

#endif /* HV_DRIVERS_GICV3_H */
