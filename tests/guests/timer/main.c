/*
 * timer: the virtual timer's interrupt (the PPI the DT's timer node gives
 * as the third interrupt) arrives for a deadline ~1 ms ahead, not before
 * it, both programmed with CNTV_CVAL and with CNTV_TVAL; CNTV_CTL.ISTATUS
 * is set when it fires.
 */
#include <xtf.h>

const char test_title[] = "Timer: virtual timer IRQ arrives at its deadline";

#define ROUNDS 3
#define DELAY_US 1000
#define PATIENCE_US 1000000

static volatile uint64_t fired_at;
static volatile uint32_t fired_ctl;
static volatile unsigned int fired_intid, fired_cpu;
static volatile unsigned int fired_count;

static void timer_irq(unsigned int intid)
{
	fired_at = timer_now();
	fired_ctl = timer_ctl();
	fired_intid = intid;
	fired_cpu = smp_processor_id();
	fired_count++;
	timer_disable(); /* the timer's interrupt is level: quiet it */
}

static void one_round(unsigned int round, bool use_tval)
{
	uint64_t ticks = timer_us_to_ticks(DELAY_US);
	uint64_t start, deadline, give_up;

	fired_count = 0;
	start = timer_now();
	deadline = start + ticks;
	if (use_tval) {
		write_sysreg(ticks, cntv_tval_el0);
		write_sysreg(CNT_CTL_ENABLE, cntv_ctl_el0);
		isb();
		deadline = read_sysreg(cntv_cval_el0);
	} else {
		timer_arm_at(deadline);
	}
	give_up = start + timer_us_to_ticks(PATIENCE_US);
	while (!fired_count && !timer_expired(give_up)) {
		cpu_relax();
	}

	if (!fired_count) {
		xtf_failure("round %u: no timer interrupt within %u ms "
			    "(CNTV_CTL %#x)",
			    round, PATIENCE_US / 1000, timer_ctl());
		timer_disable();
		return;
	}
	printf("timer: round %u (%s): IRQ %u on vCPU %u, %lu us after "
	       "arming, %lu us after the deadline\n",
	       round, use_tval ? "TVAL" : "CVAL", fired_intid, fired_cpu,
	       timer_ticks_to_us(fired_at - start),
	       fired_at >= deadline ? timer_ticks_to_us(fired_at - deadline)
				    : 0);
	if (fired_at < deadline) {
		xtf_failure("round %u: interrupt %lu ticks before the deadline",
			    round, deadline - fired_at);
	}
	if (!(fired_ctl & CNT_CTL_ISTATUS)) {
		xtf_failure("round %u: CNTV_CTL.ISTATUS clear in the handler "
			    "(CNTV_CTL %#x)",
			    round, fired_ctl);
	}
	if (fired_intid != platform.vtimer_irq) {
		xtf_failure("round %u: got IRQ %u, the DT says %u", round,
			    fired_intid, platform.vtimer_irq);
	}
	if (fired_count != 1) {
		xtf_failure("round %u: handler ran %u times", round,
			    fired_count);
	}
}

void test_main(void)
{
	unsigned int round;

	if (!timer_freq()) {
		xtf_error("CNTFRQ_EL0 is 0");
		return;
	}
	irq_set_handler(platform.vtimer_irq, timer_irq);
	gic_enable_irq(platform.vtimer_irq);
	local_irq_enable();
	for (round = 0; round < ROUNDS; round++) {
		one_round(round, round % 2);
	}
	local_irq_disable();
	xtf_success();
}
