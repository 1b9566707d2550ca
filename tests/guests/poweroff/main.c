/*
 * poweroff: PSCI SYSTEM_OFF stops the whole domain: vCPU 1 prints "alive"
 * lines until vCPU 0 calls SYSTEM_OFF (the runtime does, after the verdict
 * line). The runner checks that nothing of this domain is printed after
 * the verdict and that the other domain keeps running. If SYSTEM_OFF
 * returns, the runtime prints a second verdict, FAILURE.
 */
#include <xtf.h>

const char test_title[] = "Poweroff: PSCI SYSTEM_OFF stops this domain only";

#define ALIVE_BEFORE_OFF 3

static unsigned int alive;

static void chatter(void *arg)
{
	(void)arg;
	for (;;) {
		printf("poweroff: vCPU 1 alive %u\n", atomic_inc(&alive));
		timer_busy_wait_us(2000);
	}
}

void test_main(void)
{
	uint64_t give_up;

	if (platform.nr_cpus >= 2) {
		long rc = smp_start_cpu(1, chatter, NULL);

		if (rc) {
			xtf_error("CPU_ON vCPU 1 returned %ld", rc);
			return;
		}
		give_up = timer_now() + timer_us_to_ticks(1000000);
		while (atomic_read(&alive) < ALIVE_BEFORE_OFF &&
		       !timer_expired(give_up)) {
			cpu_relax();
		}
	}
	printf("poweroff: calling PSCI SYSTEM_OFF with vCPU 1 running\n");
	xtf_success();
	/* The runtime prints the verdict and calls SYSTEM_OFF. */
}
