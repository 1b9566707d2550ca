/* Bringing up secondary vCPUs with PSCI CPU_ON. */
#include <xtf/arch.h>
#include <xtf/gic.h>
#include <xtf/platform.h>
#include <xtf/psci.h>
#include <xtf/report.h>
#include <xtf/smp.h>
#include <xtf/timer.h>

void secondary_entry(void); /* head.S */
void secondary_main(unsigned int cpu);

struct boot_slot {
	smp_fn_t fn;
	void *arg;
};

static struct boot_slot slots[MAX_CPUS];
static unsigned int nr_online = 1; /* vCPU 0 */

unsigned int smp_nr_online(void)
{
	return atomic_read(&nr_online);
}

long smp_start_cpu(unsigned int cpu, smp_fn_t fn, void *arg)
{
	if (cpu == 0 || cpu >= platform.nr_cpus) {
		return PSCI_INVALID_PARAMETERS;
	}
	slots[cpu].fn = fn;
	slots[cpu].arg = arg;
	dsb(ish);
	return psci_cpu_on(platform.cpu_mpidr[cpu],
			   (uint64_t)(uintptr_t)secondary_entry, cpu);
}

bool smp_wait_online(unsigned int count, uint64_t us)
{
	uint64_t end = timer_now() + timer_us_to_ticks(us);

	while (smp_nr_online() < count) {
		if (timer_expired(end)) {
			return false;
		}
		cpu_relax();
	}
	return true;
}

/* C entry of a secondary vCPU: MMU on, own stack, VBAR set (head.S). */
void secondary_main(unsigned int cpu)
{
	long rc;

	if (gic_cpu_init() == 0) {
		atomic_inc(&nr_online);
		slots[cpu].fn(slots[cpu].arg);
	}
	rc = psci_cpu_off();
	xtf_failure("vCPU %u: PSCI CPU_OFF returned %ld", cpu, rc);
	for (;;) {
		wfi();
	}
}
