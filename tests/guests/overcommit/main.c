/*
 * overcommit: a domain with more vCPUs than the host has CPUs (4 on 1).
 * Every vCPU comes up and goes through ROUNDS busy-waiting barriers (plain
 * loads, no WFI/WFE: a waiting vCPU never gives its pCPU away), so each
 * round completes only if the hypervisor preempts the spinners and runs
 * every vCPU in turn. Between barriers all vCPUs increment a shared counter
 * (exclusives under contention and preemption). Each vCPU reports.
 */
#include <xtf.h>

const char test_title[] =
	"Overcommit: 4 vCPUs on fewer pCPUs all make progress";

#define ROUNDS 5
#define INCREMENTS 1000
#define PATIENCE_US 3000000

static unsigned int arrived;
static unsigned int shared_counter;
static unsigned int finished;
static unsigned int gave_up;
static uint64_t deadline;

/* Wait, spinning, for all n vCPUs to reach barrier `round`. */
static bool barrier(unsigned int round, unsigned int n)
{
	atomic_inc(&arrived);
	while (atomic_read(&arrived) < n * (round + 1)) {
		if (atomic_read(&gave_up) || timer_expired(deadline)) {
			atomic_set(&gave_up, 1);
			return false;
		}
	}
	return true;
}

static void work(void)
{
	unsigned int cpu = smp_processor_id(), n = platform.nr_cpus;
	unsigned int round, i;
	uint64_t start = timer_now();

	for (round = 0; round < ROUNDS; round++) {
		if (!barrier(round, n)) {
			printf("overcommit: vCPU %u gave up at barrier %u "
			       "(%u arrivals)\n",
			       cpu, round, atomic_read(&arrived));
			return;
		}
		for (i = 0; i < INCREMENTS; i++) {
			atomic_inc(&shared_counter);
		}
	}
	printf("overcommit: vCPU %u (MPIDR %#lx) passed %u barriers in %lu "
	       "us\n",
	       cpu, read_sysreg(mpidr_el1), ROUNDS,
	       timer_ticks_to_us(timer_now() - start));
	atomic_inc(&finished);
}

static void secondary(void *arg)
{
	(void)arg;
	work();
}

void test_main(void)
{
	unsigned int n = platform.nr_cpus, cpu;
	unsigned int want = n * ROUNDS * INCREMENTS;

	if (n < 2) {
		xtf_skip("needs several vCPUs, the DT has %u", n);
		return;
	}
	deadline = timer_now() + timer_us_to_ticks(PATIENCE_US);
	dsb(ish);
	for (cpu = 1; cpu < n; cpu++) {
		long rc = smp_start_cpu(cpu, secondary, NULL);

		if (rc) {
			xtf_failure("CPU_ON vCPU %u returned %ld", cpu, rc);
		}
	}
	work();
	while (atomic_read(&finished) < n && !atomic_read(&gave_up) &&
	       !timer_expired(deadline))
		; /* busy: the others run only if this vCPU is preempted */
	printf("overcommit: %u of %u vCPUs finished, counter %u (want %u)\n",
	       atomic_read(&finished), n, atomic_read(&shared_counter), want);
	if (atomic_read(&finished) != n) {
		xtf_failure("only %u of %u vCPUs finished within %u ms",
			    atomic_read(&finished), n, PATIENCE_US / 1000);
	} else if (atomic_read(&shared_counter) != want) {
		xtf_failure("counter %u, want %u: lost increments",
			    atomic_read(&shared_counter), want);
	}
	xtf_success();
}
