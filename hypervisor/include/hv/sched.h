/*
 * The scheduler: which vCPU each physical CPU runs. Policies plug in
 * through struct scheduler (round-robin now; credit2, credit, RTDS,
 * ARINC653 and null have Xen's names reserved for later). A policy keeps
 * its own data per vCPU, per domain and per physical CPU (as Xen's
 * alloc_udata, alloc_domdata, alloc_pdata), reached through the sched_priv
 * pointers, so a new policy changes neither struct vcpu nor struct domain.
 *
 * Lock order: each physical CPU has one scheduler lock; nothing is taken
 * inside it except the timer lock.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <hv/atomic.h>
#include <hv/domain.h>
#include <hv/smp.h>

#include <xen/xen.h>

struct sched_cpu;

struct scheduler {
	const char *name;
	const char *opt_name; /* as given with sched= */
	/* The policy's data for a new vCPU (not the idle ones), or NULL if
	 * there is no memory; freed once the vCPU is off every CPU. NULL
	 * hooks: the policy keeps no such data. */
	void *(*alloc_vdata)(struct vcpu *v);
	void (*free_vdata)(void *priv);
	/* The same for a new domain, before its vCPUs. */
	void *(*alloc_domdata)(struct domain *d);
	void (*free_domdata)(void *priv);
	/* The policy's data for physical CPU cpu (its run queue), set up
	 * empty each time its scheduler starts: required, never NULL, kept
	 * for good. */
	void *(*init_pdata)(unsigned int cpu);
	/* Put v on cpu's run queue (lock held). */
	void (*enqueue)(struct sched_cpu *sc, struct vcpu *v);
	/* Take the next vCPU to run off the queue, or NULL (lock held). */
	struct vcpu *(*pick_next)(struct sched_cpu *sc);
	/* Remove v from the queue if it is there (lock held). */
	void (*dequeue)(struct sched_cpu *sc, struct vcpu *v);
	/* Whether vCPUs wait on the queue, so the running one has a time
	 * slice (lock held). */
	bool (*has_waiting)(const struct sched_cpu *sc);
	/* Length of a time slice. */
	s_time_t slice;
};

/* One cache line per CPU, no false sharing; also indexed with a shift. */
struct __aligned(64) sched_cpu {
	spinlock_t lock;
	struct vcpu *curr;
	struct vcpu *idle;
	void *sched_priv; /* the policy's (init_pdata) */
	struct timer slice_timer;
	bool need_resched;
	unsigned int nr_assigned; /* vCPUs placed on this CPU */
};

/* The policies. */
extern const struct scheduler sched_rr;

/* Set up the scheduler on cpu with its idle vCPU (the boot stack). */
void sched_init_cpu(unsigned int cpu, struct vcpu *idle);

/* Set up the scheduler's part of a new domain d, before its vCPUs, and
 * of each new vCPU v: v is placed on a physical CPU (the least loaded)
 * and gets the policy's data. 0, or -ENOMEM (nothing is left to undo). */
int sched_init_domain(struct domain *d);
int sched_init_vcpu(struct vcpu *v);

/* Free what they set up, once v (every vCPU of d) is off all CPUs and
 * will not be scheduled again; nothing to do for what never was. */
void sched_destroy_vcpu(struct vcpu *v);
void sched_destroy_domain(struct domain *d);

/* Make a blocked v runnable (an interrupt arrived). */
void vcpu_wake(struct vcpu *v);

/* Make a down v runnable (PSCI CPU_ON, domain start). */
void vcpu_start(struct vcpu *v);

/* Block the current vCPU until vcpu_wake(); the caller returns through
 * the scheduler. */
void vcpu_block(struct vcpu *v);

/* Stop v (PSCI CPU_OFF, domain death). */
void vcpu_down(struct vcpu *v);

/* Keep v off its CPU while its domain is paused (pause_count or
 * pause_nosync_count not zero), or let it run again: called after either
 * count changes. Safe with IRQs masked, under any lock but a scheduler
 * lock. */
void vcpu_update_paused(struct vcpu *v);

/* Time v has spent running, in ns. */
uint64_t vcpu_cpu_time(const struct vcpu *v);

/* Set v's hard and/or soft affinity (NULL: unchanged); a vCPU that never
 * ran moves to a CPU of its hard affinity. */
int vcpu_set_affinity(struct vcpu *v, const uint64_t *hard,
		      const uint64_t *soft);

/* Give up the rest of the time slice. */
void vcpu_yield(struct vcpu *v);

/* Every physical CPU's scheduler state. */
extern struct sched_cpu sched_cpus[NR_CPUS];

/* The vCPU running on this physical CPU. */
static inline struct vcpu *current_vcpu(void)
{
	return sched_cpus[smp_processor_id()].curr;
}

/* Run the scheduler while this CPU needs to. */
void schedule_pending(void);

/* Run the scheduler if this CPU needs to (called with IRQs masked, before
 * returning to a guest and in the idle loop; inline, as it is on every
 * return to a guest). Returns the vCPU that runs here now. */
static inline struct vcpu *schedule_if_needed(void)
{
	const struct sched_cpu *sc = &sched_cpus[smp_processor_id()];

	if (READ_ONCE(sc->need_resched)) {
		schedule_pending();
		/* This stack may have moved to another CPU meanwhile. */
		sc = &sched_cpus[smp_processor_id()];
	}
	return sc->curr;
}

/* Ask cpu to reschedule (sends an IPI when it is another CPU). */
void sched_kick(unsigned int cpu);

/* Per-entry work for v (poll end, runstate area): called with IRQs
 * masked just before v, a guest's vCPU, enters its guest: if
 * vcpu_entry_work_due(), inline as it runs on every entry, then
 * vcpu_entry_work_slow(). The event channel upcall is raised when
 * evtchn_upcall_pending goes from 0 to 1 (evtchn_vcpu_mark_pending()), as
 * Xen 4.17 does on Arm, not again on every entry. */
void vcpu_entry_work_slow(struct vcpu *v);

static inline bool vcpu_entry_work_due(const struct vcpu *v)
{
	return (v->poll_port != 0) || v->runstate_dirty;
}

/* Name of the active scheduler. */
const char *sched_name(void);

/* Arch hooks: switch from prev to next (returns when prev runs again),
 * and the IPI that makes cpu look at its scheduler. */
void arch_context_switch(struct vcpu *prev, struct vcpu *next);
void arch_send_resched_ipi(unsigned int cpu);

/* v now belongs to another physical CPU (its timers follow it). */
void arch_vcpu_moved(struct vcpu *v);
/* True if v has an interrupt to take, so it must not stay blocked. */
bool arch_vcpu_has_work(struct vcpu *v);

#endif /* HV_SCHED_H */
