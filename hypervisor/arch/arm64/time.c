/*
 * The generic timer: CNTPCT for time, the EL2 physical timer (CNTHP) for
 * the hypervisor's own timers.
 */
#include <hv/errno.h>
#include <hv/irq.h>
#include <hv/panic.h>
#include <hv/printk.h>
#include <hv/smp.h>
#include <hv/timer.h>

#include <asm/cpu.h>
#include <asm/sysregs.h>
#include <asm/time.h>

#define CNTHP_CTL_ENABLE (1U << 0)
#define CNTHP_CTL_IMASK (1U << 1)

static uint64_t counter_freq;
static unsigned int hyp_timer_irq;

uint64_t arch_counter_read(void)
{
	isb();
	return READ_SYSREG(cntpct_el0);
}

uint64_t arch_counter_freq(void)
{
	if (counter_freq == 0U) {
		counter_freq = READ_SYSREG(cntfrq_el0);
	}
	return (counter_freq != 0U) ? counter_freq : 1U;
}

void arch_timer_program(s_time_t deadline)
{
	if (deadline == 0) {
		WRITE_SYSREG(cnthp_ctl_el2, 0U);
		return;
	}
	WRITE_SYSREG(cnthp_cval_el2, time_ns_to_ticks(deadline));
	WRITE_SYSREG(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	isb();
}

static void hyp_timer_interrupt(unsigned int irq, void *data)
{
	(void)irq;
	(void)data;
	/* Silence the line until the queue reprograms it. */
	WRITE_SYSREG(cnthp_ctl_el2, CNTHP_CTL_ENABLE | CNTHP_CTL_IMASK);
	timer_interrupt();
}

/* The fourth entry of the timer's "interrupts" is the EL2 timer PPI. */
int time_init(const struct fdt *fdt)
{
	int node = fdt_find_compatible(fdt, -1, "arm,armv8-timer");
	const uint8_t *val;
	uint32_t len;
	uint32_t ppi;

	if ((node < 0) ||
	    (fdt_getprop(fdt, node, "interrupts", (const void **)&val, &len) !=
	     0) ||
	    (len < 48U)) {
		return -ENODEV;
	}
	ppi = (uint32_t)fdt_read_cells(val + 40, 1);
	hyp_timer_irq = ppi + 16U;
	printk("Timer: %lu Hz, hypervisor timer PPI %u (IRQ %u)\n",
	       (unsigned long)arch_counter_freq(), ppi, hyp_timer_irq);
	return 0;
}

void time_init_cpu(void)
{
	WRITE_SYSREG(cnthp_ctl_el2, 0U);
	BUG_ON(irq_request(hyp_timer_irq, hyp_timer_interrupt, NULL) != 0);
}
