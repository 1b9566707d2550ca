/*
 * Interrupts: masking on the current CPU, and handlers for physical
 * interrupt lines. The arch_* hooks are implemented by arch/<arch>/ (and
 * by arch/fake for host tests).
 */
#ifndef HV_IRQ_H
#define HV_IRQ_H

#include <hv/compiler.h>

/* Highest interrupt number handled (GICv3 SPIs end at 1019). */
#define NR_IRQS 1020U

typedef void (*irq_handler_t)(unsigned int irq, void *data);

/* arch_irq_save(): mask IRQs on this CPU and return the previous mask
 * state; arch_irq_restore(): restore it. */
#include <asm/irq-flags.h>

/* Unmask IRQs on this CPU. */
void arch_irq_enable(void);

/* Is an interrupt pending at this CPU, masked or not? (For long operations
 * that run with interrupts masked, to know when to stop for a while.) */
bool arch_irq_pending(void);

/* Enable line irq at the interrupt controller, routed to this CPU (per-CPU
 * lines are enabled for this CPU only). */
void arch_irq_unmask_line(unsigned int irq);

/* Disable line irq at the interrupt controller. */
void arch_irq_mask_line(unsigned int irq);

/*
 * Install handler for irq and unmask the line. Returns 0, -EINVAL for a bad
 * number or -EBUSY if a different handler is installed. A per-CPU line
 * (SGI/PPI) is registered once and unmasked by each CPU that calls this.
 */
int __must_check irq_request(unsigned int irq, irq_handler_t handler,
			     void *data);

/* As irq_request(), for a line forwarded to a guest: the handler passes
 * it on, and the guest, not the hypervisor, ends (deactivates) it. */
int __must_check irq_request_guest(unsigned int irq, irq_handler_t handler,
				   void *data);

/* Mask irq and remove its handler. */
void irq_release(unsigned int irq);

/* Run the handler of irq (called by the arch code after acknowledging).
 * Returns false if a guest deactivates irq, true if the caller must. */
bool irq_handle(unsigned int irq);

#endif /* HV_IRQ_H */
