/*
 * psci-race: vCPU 1 powers itself off (CPU_OFF) as soon as it starts, while
 * vCPU 0 and vCPU 2 both keep calling CPU_ON for it. Every CPU_ON that
 * succeeds must start vCPU 1 exactly once at the entry point it gave: the
 * number of successes equals the number of times vCPU 1 entered. Losers
 * get ALREADY_ON or ON_PENDING, nothing else.
 */
#include <xtf.h>

const char test_title[] = "PSCI race: concurrent CPU_ON of one vCPU";

#define ATTEMPTS 300U
#define PSCI_0_2_FN64_AFFINITY_INFO_OFF 1

void secondary_entry(void); /* runtime/head.S */

static unsigned int entries;
static unsigned int successes;
static unsigned int bad_results;
static unsigned int hammers_done;

static void entered(void *arg)
{
	(void)arg;
	atomic_inc(&entries);
	/* Returning powers vCPU 1 off (CPU_OFF) at once. */
}

static void hammer(void)
{
	unsigned int i;
	long rc;

	for (i = 0; i < ATTEMPTS; i++) {
		rc = psci_cpu_on(platform.cpu_mpidr[1],
				 (uint64_t)(uintptr_t)secondary_entry, 1);
		if (rc == PSCI_SUCCESS) {
			atomic_inc(&successes);
		} else if (rc != PSCI_ALREADY_ON && rc != PSCI_ON_PENDING) {
			atomic_inc(&bad_results);
		}
		timer_busy_wait_us(50);
	}
}

static void second_hammer(void *arg)
{
	(void)arg;
	hammer();
	atomic_inc(&hammers_done);
	for (;;) {
		wfi();
	}
}

static long affinity_info(unsigned int cpu)
{
	return smccc_hvc(PSCI_0_2_FN64_AFFINITY_INFO, platform.cpu_mpidr[cpu],
			 0, 0);
}

void test_main(void)
{
	uint64_t give_up;
	long rc;

	if (platform.nr_cpus < 3) {
		xtf_skip("needs 3 vCPUs");
		return;
	}
	/* vCPU 1's entry (the runtime calls it, then CPU_OFF). */
	rc = smp_start_cpu(1, entered, NULL);
	if (rc) {
		xtf_error("first CPU_ON of vCPU 1: %ld", rc);
		return;
	}
	atomic_inc(&successes);
	rc = smp_start_cpu(2, second_hammer, NULL);
	if (rc) {
		xtf_error("CPU_ON of vCPU 2: %ld", rc);
		return;
	}
	hammer();
	give_up = timer_now() + timer_us_to_ticks(5000000);
	while (atomic_read(&hammers_done) < 1 ||
	       affinity_info(1) != PSCI_0_2_FN64_AFFINITY_INFO_OFF) {
		if (timer_expired(give_up)) {
			xtf_failure("vCPU 2 or vCPU 1 never settled");
			return;
		}
		timer_busy_wait_us(100);
	}
	printf("psci-race: %u CPU_ON successes, %u entries of vCPU 1, %u bad "
	       "results\n",
	       atomic_read(&successes), atomic_read(&entries),
	       atomic_read(&bad_results));
	if (atomic_read(&bad_results)) {
		xtf_failure("CPU_ON returned something other than success, "
			    "ALREADY_ON or ON_PENDING");
	} else if (atomic_read(&successes) != atomic_read(&entries)) {
		xtf_failure("%u successful CPU_ONs but %u entries",
			    atomic_read(&successes), atomic_read(&entries));
	} else if (atomic_read(&entries) < 2) {
		xtf_failure("vCPU 1 was restarted only %u time(s)",
			    atomic_read(&entries));
	} else {
		xtf_success();
	}
}
