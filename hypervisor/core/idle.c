/*
 * What an idle CPU does before it waits for an interrupt: take dying
 * domains apart and scrub free memory, a bounded step at a time.
 */
#include <hv/cmdline.h>
#include <hv/domain.h>
#include <hv/idle.h>
#include <hv/page-alloc.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/string.h>

/* bootscrub=<bool>|idle (Xen's option): whether memory found at boot is
 * scrubbed before a domain gets it. Xenon always scrubs it lazily (in the
 * idle loop, or when a domain is given a page not yet scrubbed), as Xen's
 * bootscrub=idle, so "true" and "idle" mean the same. */
static int param_bootscrub(const char *value)
{
	bool on = true;

	if ((value == NULL) || (strcmp(value, "idle") != 0)) {
		if (parse_bool(value, &on) != 0) {
			return -1;
		}
	}
	page_alloc_set_bootscrub(on);
	return 0;
}
HV_PARAM("bootscrub", param_bootscrub);

/* Set once the boot CPU has built the boot domains: until then idle CPUs
 * would only slow it down. */
static bool idle_work_started;

void idle_work_start(void)
{
	WRITE_ONCE(idle_work_started, true);
}

/* A vCPU waits for this CPU: idle work stops at once. */
static bool cpu_wanted(void)
{
	return READ_ONCE(sched_cpus[smp_processor_id()].need_resched);
}

bool idle_work(void)
{
	if (!READ_ONCE(idle_work_started)) {
		return false;
	}
	if (domain_reap_step()) {
		return true;
	}
	return !cpu_wanted() && page_scrub_step(cpu_wanted);
}
