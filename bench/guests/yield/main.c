/*
 * yield: two domains (this image, twice) share one physical CPU and call
 * sched_op(SCHEDOP_yield) in a loop. With the other domain runnable, each
 * yield switches to it; it records its own sample and yields back. So one
 * sample, CNTVCT before and after the hypercall, is a round trip: two
 * yield hypercalls and two domain switches (plus a few instructions of the
 * other domain's loop).
 *
 * The domains share nothing, so they agree on when to start by the
 * physical counter (CNTPCT_EL0, the same for every domain): both sleep
 * until START_TICKS after reset, then yield WARMUP times untimed, SAMPLES
 * times timed, COOLDOWN times untimed (so that the other domain is still
 * yielding while this one measures).
 */
#include <bench.h>

const char test_title[] = "Benchmark: domain switch by SCHEDOP_yield";

#define START_TICKS 62500000ULL /* 1 s after reset */
#define WARMUP 20
#define SAMPLES 200
#define COOLDOWN 40

static uint64_t samples[SAMPLES];

static void yield(void)
{
	long rc = HYPERVISOR_sched_op(SCHEDOP_yield, NULL);

	if (rc)
		xtf_failure("sched_op(SCHEDOP_yield) = %ld", rc);
}

/* Sleep in WFI until CNTPCT reaches `when`; false if it already has. */
static bool sleep_until_pct(uint64_t when)
{
	uint64_t offset = bench_pct() - bench_vct(); /* CNTVOFF, +- 1 */

	if (bench_pct() >= when)
		return false;
	timer_sleep_us(timer_ticks_to_us(when - offset - timer_now()) + 1);
	while (bench_pct() < when)
		cpu_relax();
	return true;
}

void test_main(void)
{
	unsigned int i;
	uint64_t t0;

	local_irq_disable();
	if (!sleep_until_pct(START_TICKS)) {
		xtf_error("booted after the agreed start (CNTPCT %lu >= %llu)",
			  bench_pct(), START_TICKS);
		return;
	}
	for (i = 0; i < WARMUP; i++)
		yield();
	for (i = 0; i < SAMPLES; i++) {
		t0 = bench_vct();
		yield();
		samples[i] = bench_vct() - t0;
	}
	for (i = 0; i < COOLDOWN; i++)
		yield();
	bench_report("yield_switch", samples, SAMPLES, 1);
	xtf_success();
}
