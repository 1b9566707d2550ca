/*
 * SCHEDOP_poll (hv/poll.h). A polling vCPU has its bit in its domain's
 * poll_mask and its port in poll_port (-1 while it polls several, or
 * before it is known). Whoever ends the poll (an event on the port, the
 * timeout) clears the bit first, so that exactly one of them wakes it.
 * The vCPU is marked blocked before the ports are checked, as in Xen, so
 * that an event sent in between is not missed.
 */
#include <hv/atomic.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/guest-copy.h>
#include <hv/poll.h>
#include <hv/sched.h>
#include <hv/timer.h>

#include <xen/sched.h>

/* Xen's limit on the ports of one poll. */
#define POLL_MAX_PORTS 128U

static uint64_t poll_bit(const struct vcpu *v)
{
	return 1ULL << v->vcpu_id;
}

/* Clear v's bit; true if it was set (the caller then ends the poll). */
static bool take_poll(struct vcpu *v)
{
	uint64_t old = fetch_and(&v->domain->poll_mask, ~poll_bit(v));

	return (old & poll_bit(v)) != 0U;
}

static void poll_timeout(void *data)
{
	struct vcpu *v = data;

	if (take_poll(v)) {
		vcpu_wake(v);
	}
}

void poll_vcpu_init(struct vcpu *v)
{
	timer_init(&v->poll_timer, poll_timeout, v, v->processor);
}

void poll_vcpu_destroy(struct vcpu *v)
{
	timer_stop(&v->poll_timer);
}

void poll_check_pollers(struct domain *d, evtchn_port_t port)
{
	uint64_t mask = read_acquire(&d->poll_mask);
	unsigned int i;

	for (i = 0; (mask != 0U) && (i < d->max_vcpus); i++) {
		struct vcpu *v = d->vcpus[i];
		int32_t want;

		if ((mask & (1ULL << i)) == 0U) {
			continue;
		}
		want = READ_ONCE(v->poll_port);
		if (((want < 0) || ((evtchn_port_t)want == port)) &&
		    take_poll(v)) {
			vcpu_wake(v);
		}
	}
}

void poll_end(struct vcpu *v)
{
	(void)take_poll(v);
	timer_stop(&v->poll_timer);
	WRITE_ONCE(v->poll_port, 0);
}

/* Is anything already there for v: an interrupt it would take, or a
 * polled port pending? 1 or 0, or a negative errno. */
static int64_t poll_ready(struct vcpu *v, const struct sched_poll *p,
			  evtchn_port_t *last)
{
	uint64_t list = (uint64_t)(uintptr_t)p->ports.p;
	unsigned int i;
	int rc;

	if (arch_vcpu_events_due(v)) {
		return 1;
	}
	for (i = 0; i < p->nr_ports; i++) {
		if (copy_from_guest(last, list + (i * sizeof(*last)),
				    sizeof(*last)) != 0) {
			return -EFAULT;
		}
		rc = evtchn_port_poll(v->domain, *last);
		if (rc != 0) {
			return rc;
		}
	}
	return 0;
}

int64_t sched_poll(struct vcpu *v, uint64_t arg)
{
	struct sched_poll p;
	evtchn_port_t port = 0;
	int64_t rc;

	if (copy_from_guest(&p, arg, sizeof(p)) != 0) {
		return -EFAULT;
	}
	if (p.nr_ports > POLL_MAX_PORTS) {
		return -EINVAL;
	}
	WRITE_ONCE(v->poll_port, -1);
	fetch_or(&v->domain->poll_mask, poll_bit(v));
	vcpu_block(v);
	rc = poll_ready(v, &p, &port);
	if (rc != 0) {
		/* Not blocking after all. */
		poll_end(v);
		vcpu_wake(v);
		return (rc > 0) ? 0 : rc;
	}
	if (p.nr_ports == 1U) {
		WRITE_ONCE(v->poll_port, (int32_t)port);
	}
	if (p.timeout != 0U) {
		timer_set(&v->poll_timer, (s_time_t)p.timeout);
	}
	return 0;
}
