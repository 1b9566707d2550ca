/*
 * Interrupt masking and dispatch on arm64, over the GICv3 driver.
 */
#include <hv/irq.h>
#include <hv/smp.h>

#include <asm/cpu.h>
#include <asm/regs.h>
#include <asm/sysregs.h>

#include <drivers/gicv3.h>

#define DAIF_I (1U << 7)

void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

/* ISR_EL1 read at EL2 shows the physical IRQ and FIQ lines. */
#define ISR_I (1U << 7)
#define ISR_F (1U << 6)

bool arch_irq_pending(void)
{
	return (READ_SYSREG(isr_el1) & (ISR_I | ISR_F)) != 0U;
}

void arch_irq_unmask_line(unsigned int irq)
{
	gicv3_enable_irq(irq, cpu_mpidr[smp_processor_id()]);
}

void arch_irq_mask_line(unsigned int irq)
{
	gicv3_disable_irq(irq);
}

void do_irq(struct cpu_regs *regs)
{
	unsigned int intid;
	bool ours;

	(void)regs;
	for (;;) {
		intid = gicv3_ack();
		if (intid >= GIC_SPURIOUS) {
			break;
		}
		ours = irq_handle(intid);
		gicv3_eoi(intid);
		if (ours) {
			gicv3_deactivate(intid);
		}
	}
}
