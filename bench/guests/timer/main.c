/*
 * timer: virtual timer interrupt latency, from the deadline (CNTV_CVAL) to
 * the entry of the guest's handler for the timer's PPI (after the runtime's
 * vector and the ICC_IAR1 read, the same guest code on both hypervisors).
 *
 *   vtimer_running    the vCPU spins while the deadline passes
 *   vtimer_wfi        the vCPU waits in WFI (IRQs masked; unmasked once
 *                     WFI returns), so the hypervisor must wake it
 *   vtimer_wfi_short  the same with the deadline only SHORT_US ahead:
 *                     closer than Xen's timer_slop (50 us), which Xen
 *                     waits for at least before its own timer fires
 *
 * Each sample: deadline = now + DELAY_US (or SHORT_US), one interrupt.
 */
#include <bench.h>

const char test_title[] = "Benchmark: virtual timer interrupt latency";

#define SAMPLES 200
#define DELAY_US 100
#define SHORT_US 20
#define PATIENCE_US 100000

static uint64_t samples[SAMPLES];
static volatile uint64_t fired_at;
static volatile unsigned int fired;

static void timer_irq(unsigned int intid)
{
	(void)intid;
	fired_at = bench_vct();
	fired = 1;
	timer_disable();
}

static bool one(bool use_wfi, unsigned int delay_us, uint64_t *latency)
{
	uint64_t deadline = timer_now() + timer_us_to_ticks(delay_us);
	uint64_t give_up = deadline + timer_us_to_ticks(PATIENCE_US);

	fired = 0;
	timer_arm_at(deadline);
	if (use_wfi) {
		while (!fired && !timer_expired(give_up)) {
			wfi();
			bench_irq_window();
		}
	} else {
		local_irq_enable();
		while (!fired && !timer_expired(give_up))
			cpu_relax();
		local_irq_disable();
	}
	if (!fired) {
		timer_disable();
		return false;
	}
	*latency = fired_at - deadline;
	return fired_at >= deadline;
}

static void measure(const char *name, bool use_wfi, unsigned int delay_us)
{
	unsigned int i;

	for (i = 0; i < SAMPLES; i++) {
		if (!one(use_wfi, delay_us, &samples[i])) {
			xtf_failure("%s: sample %u: no or early interrupt",
				    name, i);
			return;
		}
	}
	bench_report(name, samples, SAMPLES, 1);
}

void test_main(void)
{
	local_irq_disable();
	irq_set_handler(platform.vtimer_irq, timer_irq);
	gic_enable_irq(platform.vtimer_irq);
	measure("vtimer_running", false, DELAY_US);
	measure("vtimer_wfi", true, DELAY_US);
	measure("vtimer_wfi_short", true, SHORT_US);
	xtf_success();
}
