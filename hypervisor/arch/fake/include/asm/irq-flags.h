/*
 * Masking IRQs on the fake CPU of the host tests (hv/irq.h).
 */
#ifndef HV_ASM_IRQ_FLAGS_H
#define HV_ASM_IRQ_FLAGS_H

/* 1 while "IRQs" are masked (arch/fake/fake.c). */
extern unsigned long fake_irq_masked;

static inline unsigned long arch_irq_save(void)
{
	unsigned long old = fake_irq_masked;

	fake_irq_masked = 1;
	return old;
}

static inline void arch_irq_restore(unsigned long flags)
{
	fake_irq_masked = flags;
}

#endif /* HV_ASM_IRQ_FLAGS_H */
