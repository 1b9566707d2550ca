/*
 * Round-robin scheduling policy: one FIFO run queue per physical CPU and a
 * fixed time slice.
 */
#include <hv/sched.h>

static void rr_enqueue(struct sched_cpu *sc, struct vcpu *v)
{
	v->runq_next = NULL;
	if (sc->runq_tail == NULL) {
		sc->runq_head = v;
	} else {
		sc->runq_tail->runq_next = v;
	}
	sc->runq_tail = v;
}

static struct vcpu *rr_pick_next(struct sched_cpu *sc)
{
	struct vcpu *v = sc->runq_head;

	if (v != NULL) {
		sc->runq_head = v->runq_next;
		if (sc->runq_head == NULL) {
			sc->runq_tail = NULL;
		}
		v->runq_next = NULL;
	}
	return v;
}

static void rr_dequeue(struct sched_cpu *sc, struct vcpu *v)
{
	struct vcpu **pp = &sc->runq_head;
	struct vcpu *prev = NULL;

	while ((*pp != NULL) && (*pp != v)) {
		prev = *pp;
		pp = &(*pp)->runq_next;
	}
	if (*pp == NULL) {
		return;
	}
	*pp = v->runq_next;
	if (sc->runq_tail == v) {
		sc->runq_tail = prev;
	}
	v->runq_next = NULL;
}

const struct scheduler sched_rr = {
	.name = "round-robin",
	.opt_name = "rr",
	.enqueue = rr_enqueue,
	.pick_next = rr_pick_next,
	.dequeue = rr_dequeue,
	.slice = MILLISECS(10),
};
