/* Virtual timer helpers. */
#include <xtf/arch.h>
#include <xtf/gic.h>
#include <xtf/platform.h>
#include <xtf/timer.h>

uint64_t timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

uint64_t timer_now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

uint64_t timer_us_to_ticks(uint64_t us)
{
	return us * timer_freq() / 1000000;
}

uint64_t timer_ticks_to_us(uint64_t ticks)
{
	uint64_t f = timer_freq();

	return f ? ticks * 1000000 / f : 0;
}

void timer_arm_at(uint64_t cval)
{
	write_sysreg(cval, cntv_cval_el0);
	write_sysreg(CNT_CTL_ENABLE, cntv_ctl_el0);
	isb();
}

void timer_disable(void)
{
	write_sysreg(0, cntv_ctl_el0);
	isb();
}

uint32_t timer_ctl(void)
{
	isb();
	return (uint32_t)read_sysreg(cntv_ctl_el0);
}

void timer_busy_wait_us(uint64_t us)
{
	uint64_t end = timer_now() + timer_us_to_ticks(us);

	while (!timer_expired(end)) {
		cpu_relax();
	}
}

/* Used by timer_sleep_us() when the test has no handler of its own. */
static void timer_irq_quiet(unsigned int intid)
{
	(void)intid;
	timer_disable();
}

uint64_t timer_sleep_us(uint64_t us)
{
	uint64_t deadline = timer_now() + timer_us_to_ticks(us);
	uint64_t now;

	local_irq_disable();
	if (!irq_get_handler(platform.vtimer_irq)) {
		irq_set_handler(platform.vtimer_irq, timer_irq_quiet);
	}
	gic_enable_irq(platform.vtimer_irq);
	timer_arm_at(deadline);
	/* WFI may also return early for other reasons: loop until due. */
	while ((now = timer_now()) < deadline) {
		wfi();
	}
	timer_disable();
	/*
	 * The interrupt that woke us may still be pending in the GIC (Xen
	 * keeps an injected virtual timer interrupt until it is acknowledged):
	 * take it now, with IRQs still masked, instead of later.
	 */
	gic_handle_irq();
	return now;
}
