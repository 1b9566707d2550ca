/*
 * sgi: vCPU 0 sends an SGI to vCPU 1 through ICC_SGI1R_EL1, vCPU 1's
 * handler runs and answers with an SGI back to vCPU 0; repeated a few
 * times. Each handler must run on the vCPU the SGI was sent to.
 */
#include <xtf.h>

const char test_title[] = "SGI: ping-pong between vCPU 0 and 1 via ICC_SGI1R";

#define SGI_PING 1
#define SGI_PONG 2
#define ROUNDS 10
#define PATIENCE_US 1000000

static unsigned int pings, pongs; /* handled on vCPU 1 / vCPU 0 */
static unsigned int wrong_cpu;
static unsigned int ready;

static void sgi_handler(unsigned int intid)
{
	unsigned int cpu = smp_processor_id();

	if (intid == SGI_PING && cpu == 1) {
		atomic_inc(&pings);
		gic_send_sgi(SGI_PONG, 0);
	} else if (intid == SGI_PONG && cpu == 0) {
		atomic_inc(&pongs);
	} else {
		atomic_inc(&wrong_cpu);
		printf("sgi: SGI %u handled on vCPU %u\n", intid, cpu);
	}
}

static void secondary(void *arg)
{
	(void)arg;
	gic_enable_irq(SGI_PING);
	gic_enable_irq(SGI_PONG);
	local_irq_enable();
	atomic_set(&ready, 1);
	for (;;) { /* until the domain powers off */
		wfi();
	}
}

void test_main(void)
{
	unsigned int round;
	uint64_t give_up;
	long rc;

	if (platform.nr_cpus < 2) {
		xtf_skip("needs 2 vCPUs, the DT has %u", platform.nr_cpus);
		return;
	}
	irq_set_handler(SGI_PING, sgi_handler);
	irq_set_handler(SGI_PONG, sgi_handler);
	gic_enable_irq(SGI_PING);
	gic_enable_irq(SGI_PONG);
	rc = smp_start_cpu(1, secondary, NULL);
	if (rc) {
		xtf_error("CPU_ON vCPU 1 returned %ld", rc);
		return;
	}
	give_up = timer_now() + timer_us_to_ticks(PATIENCE_US);
	while (!atomic_read(&ready) && !timer_expired(give_up)) {
		cpu_relax();
	}
	if (!atomic_read(&ready)) {
		xtf_error("vCPU 1 did not come up");
		return;
	}
	local_irq_enable();
	for (round = 1; round <= ROUNDS; round++) {
		gic_send_sgi(SGI_PING, 1);
		give_up = timer_now() + timer_us_to_ticks(PATIENCE_US);
		while (atomic_read(&pongs) < round && !timer_expired(give_up)) {
			cpu_relax();
		}
		if (atomic_read(&pongs) < round) {
			xtf_failure("round %u: no answer (pings %u, pongs %u)",
				    round, atomic_read(&pings),
				    atomic_read(&pongs));
			break;
		}
	}
	local_irq_disable();
	printf("sgi: %u pings handled on vCPU 1, %u pongs on vCPU 0, %u on "
	       "the wrong vCPU\n",
	       atomic_read(&pings), atomic_read(&pongs),
	       atomic_read(&wrong_cpu));
	if (atomic_read(&pings) != ROUNDS || atomic_read(&pongs) != ROUNDS) {
		xtf_failure("expected %u pings and pongs", ROUNDS);
	}
	if (atomic_read(&wrong_cpu)) {
		xtf_failure("%u SGIs were handled on the wrong vCPU",
			    atomic_read(&wrong_cpu));
	}
	xtf_success();
}
