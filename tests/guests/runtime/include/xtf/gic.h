/*
 * GICv3 as a guest sees it: distributor, one redistributor per vCPU
 * (found by matching GICR_TYPER's affinity with MPIDR_EL1), system-register
 * CPU interface, all interrupts in Group 1 (non-secure).
 */
#ifndef XTF_GIC_H
#define XTF_GIC_H

#include <xtf/lib.h>

#define GIC_NR_LOCAL_IRQS 32 /* SGIs 0-15, PPIs 16-31 */
#define GIC_MAX_IRQ 64 /* handlers can be registered below this */
#define GIC_SPURIOUS 1020

typedef void (*irq_handler_t)(unsigned int intid);

/* Runtime: distributor once, then each vCPU's redistributor + CPU i/f. */
void gic_dist_init(void);
int gic_cpu_init(void);

/* Register the handler for `intid` (shared by all vCPUs). */
void irq_set_handler(unsigned int intid, irq_handler_t handler);
irq_handler_t irq_get_handler(unsigned int intid);

/* Enable/disable an interrupt; SGIs/PPIs on the calling vCPU only. */
void gic_enable_irq(unsigned int intid);
void gic_disable_irq(unsigned int intid);

/* Send SGI `intid` (0-15) to vCPU `cpu` through ICC_SGI1R_EL1. */
void gic_send_sgi(unsigned int intid, unsigned int cpu);

/*
 * Acknowledge, dispatch and end every pending interrupt. Called by the IRQ
 * vector; may also be called with IRQs masked to poll.
 */
void gic_handle_irq(void);

/* The calling vCPU's redistributor (RD frame). */
uint64_t gic_this_redist(void);

#endif /* XTF_GIC_H */
