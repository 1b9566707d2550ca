/*
 * wfi: a vCPU that executes WFI with no interrupt pending stays blocked
 * until its virtual timer fires: CNTVCT has passed the deadline when WFI
 * completes, the timer's ISTATUS is set and its interrupt is pending
 * (ISR_EL1.I, IRQs masked). With the interrupt already pending, WFI
 * completes at once. Finally unmasking IRQs delivers the interrupt.
 */
#include <xtf.h>

const char test_title[] = "WFI: blocks until the virtual timer fires";

#define ISR_EL1_I (1U << 7)
#define NO_WAIT_LIMIT_US 100000

static const unsigned int sleeps_us[] = {5000, 10000, 20000};
static volatile unsigned int handled;

static void timer_irq(unsigned int intid)
{
	(void)intid;
	handled++;
	timer_disable();
}

static void blocked_wfi(unsigned int us)
{
	uint64_t start = timer_now();
	uint64_t deadline = start + timer_us_to_ticks(us);
	uint64_t woke, isr;
	uint32_t ctl;

	timer_arm_at(deadline);
	wfi();
	woke = timer_now();
	ctl = timer_ctl();
	isr = read_sysreg(isr_el1);
	timer_disable();
	/* Acknowledge the pending timer interrupt with IRQs still masked. */
	gic_handle_irq();

	printf("wfi: %u us sleep: WFI returned after %lu us, ISTATUS %u, "
	       "ISR_EL1 %#lx\n",
	       us, timer_ticks_to_us(woke - start), !!(ctl & CNT_CTL_ISTATUS),
	       isr);
	if (woke < deadline) {
		xtf_failure("WFI returned %lu us before the %u us deadline",
			    timer_ticks_to_us(deadline - woke), us);
	}
	if (!(ctl & CNT_CTL_ISTATUS)) {
		xtf_failure("timer not fired when WFI returned (CNTV_CTL %#x)",
			    ctl);
	}
	if (!(isr & ISR_EL1_I)) {
		xtf_failure("no IRQ pending when WFI returned (ISR_EL1 %#lx)",
			    isr);
	}
}

/* The interrupt is already pending: WFI must not block. */
static void pending_wfi(void)
{
	uint64_t start = timer_now();
	uint64_t took;

	timer_arm_at(start);
	while (!(read_sysreg(isr_el1) & ISR_EL1_I) &&
	       timer_now() - start < timer_us_to_ticks(NO_WAIT_LIMIT_US)) {
		cpu_relax();
	}
	start = timer_now();
	wfi();
	took = timer_ticks_to_us(timer_now() - start);
	timer_disable();
	gic_handle_irq();
	printf("wfi: with the IRQ pending, WFI returned after %lu us\n", took);
	if (took >= NO_WAIT_LIMIT_US) {
		xtf_failure("WFI with an IRQ pending blocked for %lu us", took);
	}
}

void test_main(void)
{
	unsigned int i;
	uint64_t give_up;

	irq_set_handler(platform.vtimer_irq, timer_irq);
	local_irq_disable();
	gic_enable_irq(platform.vtimer_irq);

	for (i = 0; i < ARRAY_SIZE(sleeps_us); i++) {
		blocked_wfi(sleeps_us[i]);
	}
	pending_wfi();

	/* Now take it as an interrupt, from WFI with IRQs unmasked. */
	handled = 0;
	timer_arm_at(timer_now() + timer_us_to_ticks(1000));
	give_up = timer_now() + timer_us_to_ticks(1000000);
	local_irq_enable();
	while (!handled && !timer_expired(give_up)) {
		wfi();
	}
	local_irq_disable();
	if (handled != 1) {
		xtf_failure("timer interrupt handled %u times after unmasking",
			    handled);
	}
	xtf_success();
}
