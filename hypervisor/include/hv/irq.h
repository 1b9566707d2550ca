/*
 * Masking interrupts on the current CPU. The arch hooks are implemented by
 * arch/<arch>/ (and by arch/fake for host tests).
 */
#ifndef HV_IRQ_H
#define HV_IRQ_H

#include <hv/types.h>

/* Mask IRQs on this CPU and return the previous mask state. */
unsigned long arch_irq_save(void);

/* Restore the mask state returned by arch_irq_save(). */
void arch_irq_restore(unsigned long flags);

/* Unmask IRQs on this CPU. */
void arch_irq_enable(void);

#endif /* HV_IRQ_H */
