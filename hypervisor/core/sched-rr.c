/*
 * Round-robin scheduling policy: one FIFO run queue per physical CPU and a
 * fixed time slice. Its data: a queue entry per vCPU, a queue per CPU.
 */
#include <hv/page-alloc.h>
#include <hv/sched.h>

struct rr_vcpu {
	struct vcpu *vcpu;
	struct rr_vcpu *next; /* on the run queue */
};

struct rr_cpu {
	struct rr_vcpu *head;
	struct rr_vcpu *tail;
};

/* Static: a CPU's queue is needed before the heap is, and never freed. */
static struct rr_cpu rr_cpus[NR_CPUS];

static void *rr_alloc_vdata(struct vcpu *v)
{
	struct rr_vcpu *rv = xzalloc(sizeof(*rv));

	if (rv != NULL) {
		rv->vcpu = v;
	}
	return rv;
}

static void rr_free_vdata(void *priv)
{
	xfree(priv);
}

static void *rr_init_pdata(unsigned int cpu)
{
	struct rr_cpu *rc = &rr_cpus[cpu];

	rc->head = NULL;
	rc->tail = NULL;
	return rc;
}

static void rr_enqueue(struct sched_cpu *sc, struct vcpu *v)
{
	struct rr_cpu *rc = sc->sched_priv;
	struct rr_vcpu *rv = v->sched_priv;

	rv->next = NULL;
	if (rc->tail == NULL) {
		rc->head = rv;
	} else {
		rc->tail->next = rv;
	}
	rc->tail = rv;
}

static struct vcpu *rr_pick_next(struct sched_cpu *sc)
{
	struct rr_cpu *rc = sc->sched_priv;
	struct rr_vcpu *rv = rc->head;

	if (rv == NULL) {
		return NULL;
	}
	rc->head = rv->next;
	if (rc->head == NULL) {
		rc->tail = NULL;
	}
	rv->next = NULL;
	return rv->vcpu;
}

static void rr_dequeue(struct sched_cpu *sc, struct vcpu *v)
{
	struct rr_cpu *rc = sc->sched_priv;
	struct rr_vcpu *rv = v->sched_priv;
	struct rr_vcpu **pp = &rc->head;
	struct rr_vcpu *prev = NULL;

	while ((*pp != NULL) && (*pp != rv)) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if (*pp == NULL) {
		return;
	}
	*pp = rv->next;
	if (rc->tail == rv) {
		rc->tail = prev;
	}
	rv->next = NULL;
}

static bool rr_has_waiting(const struct sched_cpu *sc)
{
	const struct rr_cpu *rc = sc->sched_priv;

	return rc->head != NULL;
}

const struct scheduler sched_rr = {
	.name = "round-robin",
	.opt_name = "rr",
	.alloc_vdata = rr_alloc_vdata,
	.free_vdata = rr_free_vdata,
	.init_pdata = rr_init_pdata,
	.enqueue = rr_enqueue,
	.pick_next = rr_pick_next,
	.dequeue = rr_dequeue,
	.has_waiting = rr_has_waiting,
	.slice = MILLISECS(10),
};
