/*
 * Masking IRQs on this CPU (hv/irq.h): inline, as every lock taken with
 * IRQs masked goes through it.
 */
#ifndef HV_ASM_IRQ_FLAGS_H
#define HV_ASM_IRQ_FLAGS_H

#include <asm/sysregs.h>

/* Mask IRQs on this CPU and return the previous mask state. */
static inline unsigned long arch_irq_save(void)
{
	unsigned long flags = READ_SYSREG(daif);

	__asm__ volatile("msr daifset, #2" : : : "memory");
	return flags;
}

/* Restore the mask state returned by arch_irq_save(). */
static inline void arch_irq_restore(unsigned long flags)
{
	WRITE_SYSREG(daif, flags);
}

#endif /* HV_ASM_IRQ_FLAGS_H */
