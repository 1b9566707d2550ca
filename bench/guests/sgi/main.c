/*
 * sgi: an SGI from vCPU 0 to vCPU 1 of the same domain, timed from just
 * before the ICC_SGI1R_EL1 write on vCPU 0 to the entry of the handler on
 * vCPU 1 (sgi_oneway); vCPU 1 answers with an SGI back, timed to vCPU 0's
 * handler (sgi_roundtrip). Both vCPUs read the same domain-wide CNTVCT.
 *
 * Run on one physical CPU: vCPU 1 waits in WFI, vCPU 0 sends and then
 * waits in WFI itself, so every SGI includes a switch between the vCPUs.
 */
#include <bench.h>

const char test_title[] = "Benchmark: SGI latency between two vCPUs";

#define SGI_PING 1
#define SGI_PONG 2
#define SAMPLES 200
#define PATIENCE_US 1000000

static uint64_t oneway[SAMPLES], roundtrip[SAMPLES];
static volatile uint64_t ping_at, pong_at;
static volatile unsigned int pongs, ready;

static void sgi_handler(unsigned int intid)
{
	uint64_t now = bench_vct();

	if (intid == SGI_PING) {
		ping_at = now;
		gic_send_sgi(SGI_PONG, 0);
	} else {
		pong_at = now;
		pongs++;
	}
}

static void secondary(void *arg)
{
	(void)arg;
	gic_enable_irq(SGI_PING);
	local_irq_enable();
	ready = 1;
	for (;;)
		wfi();
}

void test_main(void)
{
	uint64_t t0, give_up;
	unsigned int i;
	long rc;

	if (platform.nr_cpus < 2) {
		xtf_error("needs 2 vCPUs, the DT has %u", platform.nr_cpus);
		return;
	}
	local_irq_disable();
	irq_set_handler(SGI_PING, sgi_handler);
	irq_set_handler(SGI_PONG, sgi_handler);
	gic_enable_irq(SGI_PONG);
	rc = smp_start_cpu(1, secondary, NULL);
	if (rc) {
		xtf_error("CPU_ON vCPU 1 returned %ld", rc);
		return;
	}
	give_up = timer_now() + timer_us_to_ticks(PATIENCE_US);
	while (!ready && !timer_expired(give_up))
		wfe(); /* let vCPU 1 run */
	if (!ready) {
		xtf_error("vCPU 1 did not come up");
		return;
	}
	/* Let vCPU 1 reach its WFI before the first ping. */
	timer_sleep_us(1000);
	/*
	 * No timer is armed while vCPU 0 waits (it would add the hypervisor's
	 * timer handling to what is measured): a lost SGI leaves vCPU 0 in WFI
	 * for good, and the runner's timeout reports the boot as failed.
	 */
	for (i = 0; i < SAMPLES; i++) {
		t0 = bench_vct();
		gic_send_sgi(SGI_PING, 1);
		while (pongs <= i) {
			wfi();
			bench_irq_window();
		}
		oneway[i] = ping_at - t0;
		roundtrip[i] = pong_at - t0;
	}
	bench_report("sgi_oneway", oneway, SAMPLES, 1);
	bench_report("sgi_roundtrip", roundtrip, SAMPLES, 1);
	xtf_success();
}
