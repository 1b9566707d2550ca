/*
 * Scheduler core: state changes of vCPUs and the switch between them. The
 * policy (struct scheduler) only orders the run queue.
 *
 * Each vCPU stays on the physical CPU it was placed on at creation, so a
 * vCPU's state is only changed under that CPU's lock.
 */
#include <hv/atomic.h>
#include <hv/cmdline.h>
#include <hv/errno.h>
#include <hv/irq.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/string.h>
#include <hv/time.h>

static const struct scheduler *const schedulers[] = {&sched_rr};
static const struct scheduler *ops = &sched_rr;
struct sched_cpu sched_cpus[NR_CPUS];

/* sched=<name>: Xen's option; only the round-robin policy exists so far,
 * so Xen's policy names are accepted with a warning. */
static int param_sched(const char *value)
{
	unsigned int i;

	if (value == NULL) {
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(schedulers); i++) {
		if (strcmp(value, schedulers[i]->opt_name) == 0) {
			ops = schedulers[i];
			return 0;
		}
	}
	printk(XENLOG_WARNING "Scheduler '%s' not available: using %s\n", value,
	       ops->name);
	return 0;
}
HV_PARAM("sched", param_sched);

static const int runstate_of[] = {
	[VCPU_DOWN] = RUNSTATE_offline,
	[VCPU_RUNNABLE] = RUNSTATE_runnable,
	[VCPU_RUNNING] = RUNSTATE_running,
	[VCPU_BLOCKED] = RUNSTATE_blocked,
};

/* Change v's state and account the time spent in the old one. */
static void set_state(struct vcpu *v, enum vcpu_state state)
{
	s_time_t now = time_now();
	struct vcpu_runstate_info *rs = &v->runstate;

	if ((rs->state >= 0) && (rs->state < 4)) {
		rs->time[rs->state] += (uint64_t)now - rs->state_entry_time;
	}
	rs->state = runstate_of[state];
	rs->state_entry_time = (uint64_t)now;
	v->state = state;
	v->runstate_dirty = true;
}

const char *sched_name(void)
{
	return ops->name;
}

static void slice_expired(void *data)
{
	struct sched_cpu *sc = data;

	sc->need_resched = true;
}

void sched_init_cpu(unsigned int cpu, struct vcpu *idle)
{
	struct sched_cpu *sc = &sched_cpus[cpu];

	spin_lock_init(&sc->lock);
	sc->sched_priv = ops->init_pdata(cpu);
	sc->need_resched = false;
	sc->nr_assigned = 0;
	idle->is_idle = true;
	idle->processor = cpu;
	idle->state = VCPU_RUNNING;
	sc->idle = idle;
	sc->curr = idle;
	timer_init(&sc->slice_timer, slice_expired, sc, cpu);
}

/* The online CPU with the fewest vCPUs placed on it. */
static unsigned int place_vcpu(void)
{
	unsigned int best = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < (unsigned int)NR_CPUS; cpu++) {
		if (smp_cpu_online(cpu) && (sched_cpus[cpu].nr_assigned <
					    sched_cpus[best].nr_assigned)) {
			best = cpu;
		}
	}
	sched_cpus[best].nr_assigned++;
	return best;
}

int sched_init_domain(struct domain *d)
{
	if (ops->alloc_domdata != NULL) {
		d->sched_priv = ops->alloc_domdata(d);
		if (d->sched_priv == NULL) {
			return -ENOMEM;
		}
	}
	return 0;
}

int sched_init_vcpu(struct vcpu *v)
{
	if (ops->alloc_vdata != NULL) {
		v->sched_priv = ops->alloc_vdata(v);
		if (v->sched_priv == NULL) {
			return -ENOMEM;
		}
	}
	v->processor = place_vcpu();
	return 0;
}

void sched_destroy_vcpu(struct vcpu *v)
{
	if ((v != NULL) && (v->sched_priv != NULL)) {
		ops->free_vdata(v->sched_priv);
		v->sched_priv = NULL;
	}
}

void sched_destroy_domain(struct domain *d)
{
	if (d->sched_priv != NULL) {
		ops->free_domdata(d->sched_priv);
		d->sched_priv = NULL;
	}
}

void sched_kick(unsigned int cpu)
{
	sched_cpus[cpu].need_resched = true;
	if (cpu != smp_processor_id()) {
		arch_send_resched_ipi(cpu);
	}
}

/* Move v from state "from" to runnable; the caller holds no lock. */
static void make_runnable(struct vcpu *v, enum vcpu_state from)
{
	struct sched_cpu *sc = &sched_cpus[v->processor];
	unsigned long flags = arch_irq_save();
	bool kick = false;

	spin_lock(&sc->lock);
	if ((v->state == from) && !v->domain->is_dying) {
		set_state(v, VCPU_RUNNABLE);
		if (!v->paused) {
			ops->enqueue(sc, v);
			kick = true;
		}
	}
	spin_unlock(&sc->lock);
	if (kick) {
		sched_kick(v->processor);
	}
	arch_irq_restore(flags);
}

void vcpu_wake(struct vcpu *v)
{
	make_runnable(v, VCPU_BLOCKED);
}

void vcpu_start(struct vcpu *v)
{
	make_runnable(v, VCPU_DOWN);
}

static void set_state_and_resched(struct vcpu *v, enum vcpu_state state)
{
	struct sched_cpu *sc = &sched_cpus[v->processor];
	unsigned long flags = arch_irq_save();

	spin_lock(&sc->lock);
	if (v->state == VCPU_RUNNABLE) {
		ops->dequeue(sc, v);
	}
	if ((state != VCPU_BLOCKED) || (v->state == VCPU_RUNNING)) {
		set_state(v, state);
	}
	spin_unlock(&sc->lock);
	if (sc->curr == v) {
		sched_kick(v->processor);
	}
	arch_irq_restore(flags);
}

void vcpu_block(struct vcpu *v)
{
	set_state_and_resched(v, VCPU_BLOCKED);
}

void vcpu_down(struct vcpu *v)
{
	set_state_and_resched(v, VCPU_DOWN);
}

/* Whether v's domain is paused, by its controller or by the hypervisor. */
static bool domain_is_paused(const struct domain *d)
{
	return (READ_ONCE(d->pause_count) != 0U) ||
	       (read_acquire(&d->pause_nosync_count) != 0U);
}

void vcpu_update_paused(struct vcpu *v)
{
	struct sched_cpu *sc = &sched_cpus[v->processor];
	unsigned long flags = arch_irq_save();
	bool kick = false;
	bool paused;

	spin_lock(&sc->lock);
	/* Read under the lock: of two updates racing after two changes of
	 * the counts, the later one sees both. */
	paused = domain_is_paused(v->domain);
	if (v->paused != paused) {
		v->paused = paused;
		if (v->state == VCPU_RUNNABLE) {
			/* A runnable vCPU is queued exactly when not paused. */
			if (paused) {
				ops->dequeue(sc, v);
			} else {
				ops->enqueue(sc, v);
			}
		}
		kick = paused ? (sc->curr == v) : (v->state == VCPU_RUNNABLE);
	}
	spin_unlock(&sc->lock);
	if (kick) {
		sched_kick(v->processor);
	}
	arch_irq_restore(flags);
}

uint64_t vcpu_cpu_time(const struct vcpu *v)
{
	struct sched_cpu *sc = &sched_cpus[v->processor];
	unsigned long flags;
	uint64_t t;

	flags = spin_lock_irqsave(&sc->lock);
	t = v->runstate.time[RUNSTATE_running];
	if (v->runstate.state == RUNSTATE_running) {
		t += (uint64_t)time_now() - v->runstate.state_entry_time;
	}
	spin_unlock_irqrestore(&sc->lock, flags);
	return t;
}

/* t, not active, now fires on cpu (its callback unchanged). */
static void timer_move(struct timer *t, unsigned int cpu)
{
	timer_init(t, t->fn, t->data, cpu);
}

/* The first online CPU of mask, or NR_CPUS. */
static unsigned int first_online(uint64_t mask)
{
	unsigned int cpu;

	for (cpu = 0; cpu < (unsigned int)NR_CPUS; cpu++) {
		if (((mask & (1ULL << cpu)) != 0U) && smp_cpu_online(cpu)) {
			return cpu;
		}
	}
	return NR_CPUS;
}

int vcpu_set_affinity(struct vcpu *v, const uint64_t *hard,
		      const uint64_t *soft)
{
	struct sched_cpu *sc = &sched_cpus[v->processor];
	unsigned long flags;
	unsigned int to;

	flags = spin_lock_irqsave(&sc->lock);
	if (hard != NULL) {
		v->affinity_hard = *hard;
	}
	if (soft != NULL) {
		v->affinity_soft = *soft;
	}
	/* A vCPU that never ran has no timer or queue entry on its CPU yet:
	 * it moves to the first CPU its hard affinity allows. */
	to = first_online(v->affinity_hard);
	if ((v->state == VCPU_DOWN) && (v->run_count == 0U) &&
	    (to < (unsigned int)NR_CPUS) &&
	    ((v->affinity_hard & (1ULL << v->processor)) == 0U)) {
		sc->nr_assigned--;
		sched_cpus[to].nr_assigned++;
		v->processor = to;
		timer_move(&v->poll_timer, to);
		arch_vcpu_moved(v);
	}
	spin_unlock_irqrestore(&sc->lock, flags);
	return 0;
}

void vcpu_yield(struct vcpu *v)
{
	sched_kick(v->processor);
}

/* Put prev back on the queue if it can still run (lock held). */
static void requeue_prev(struct sched_cpu *sc, struct vcpu *prev)
{
	if (prev->is_idle) {
		return;
	}
	if ((prev->state == VCPU_BLOCKED) && arch_vcpu_has_work(prev)) {
		set_state(prev, VCPU_RUNNING);
	}
	if (prev->state == VCPU_RUNNING) {
		set_state(prev, VCPU_RUNNABLE);
		if (!prev->paused) {
			ops->enqueue(sc, prev);
		}
	}
}

static void schedule(struct sched_cpu *sc)
{
	struct vcpu *prev;
	struct vcpu *next;
	bool sliced;

	spin_lock(&sc->lock);
	sc->need_resched = false;
	prev = sc->curr;
	requeue_prev(sc, prev);
	next = ops->pick_next(sc);
	if (next == NULL) {
		next = sc->idle;
	} else {
		set_state(next, VCPU_RUNNING);
	}
	sc->curr = next;
	sliced = !next->is_idle && ops->has_waiting(sc);
	spin_unlock(&sc->lock);
	if (sliced) {
		timer_set(&sc->slice_timer, time_now() + ops->slice);
	} else {
		timer_stop(&sc->slice_timer);
	}
	if (next != prev) {
		next->run_count++;
		arch_context_switch(prev, next);
	}
}

void schedule_pending(void)
{
	struct sched_cpu *sc = &sched_cpus[smp_processor_id()];

	while (sc->need_resched) {
		schedule(sc);
	}
}
