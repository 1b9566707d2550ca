/*
 * Event channels: Xen's notification ports between domains, from the
 * hypervisor to a domain (VIRQs) and between the vCPUs of a domain (IPIs).
 *
 * The guest ABI is Xen's (<xen/event_channel.h>): the EVTCHNOP_* sub-ops of
 * do_event_channel_op(), and one of two delivery ABIs per domain: 2-level
 * (bitmaps in shared_info and vcpu_info) until the guest switches to FIFO
 * (an event array and per-vCPU control blocks in guest memory) with
 * EVTCHNOP_init_control.
 *
 * core/event-channel.c keeps the ports and their bindings and implements
 * the hypercall; core/event-2l.c and core/event-fifo.c implement the two
 * delivery ABIs behind struct evtchn_port_ops. The lock order is written
 * at the top of core/event-channel.c.
 */
#ifndef HV_EVENT_H
#define HV_EVENT_H

#include <hv/atomic.h>
#include <hv/compiler.h>
#include <hv/domain.h>
#include <hv/guest-atomics.h>
#include <hv/spinlock.h>

#include <xen/event_channel.h>
#include <xen/xen.h>

/*
 * Set up d's event channels: no ports bound, port 0 reserved, 2-level
 * delivery. d->shared_info must already be allocated (2-level delivery
 * writes to it). 0, -EINVAL (no shared_info) or -ENOMEM.
 */
int __must_check evtchn_domain_init(struct domain *d);

/*
 * Close all of d's ports (the peers of its interdomain channels go back to
 * unbound, waiting for d) and free its event-channel state. Call it once d
 * is dying (so that nothing binds to it any more) and nothing else uses
 * d->evtchn: no hypercall of d's running, no evtchn_send_virq() for d.
 * Safe when evtchn_domain_init() failed or was never called.
 */
void evtchn_domain_destroy(struct domain *d);

/*
 * The event_channel_op hypercall for v: args[0] is the EVTCHNOP_* sub-op,
 * args[1] the guest address of its argument structure. Returns 0 or a
 * negative Xen errno.
 */
int64_t do_event_channel_op(struct vcpu *v, const uint64_t *args);

/*
 * Raise the global VIRQ virq (VIRQ_CONSOLE, VIRQ_DOM_EXC, ...) of d on the
 * port bound to it. 0 (also when no port is bound), or -EINVAL if virq is
 * not a global VIRQ. May be called from interrupt handlers.
 */
int evtchn_send_virq(struct domain *d, unsigned int virq);

/* Is d's port pending (SCHEDOP_poll)? 1 or 0, or -EINVAL for a port that
 * is not valid. */
int evtchn_port_poll(struct domain *d, evtchn_port_t port);

/*
 * Arch hook: v's evtchn_upcall_pending went from 0 to 1; inject the
 * event-channel upcall interrupt into v (and wake it if it is blocked).
 * Called with event-channel locks held and IRQs masked.
 */
void arch_evtchn_upcall(struct vcpu *v);

/*
 * Set v's evtchn_upcall_pending and, if it was clear, call
 * arch_evtchn_upcall(v), as Xen's vcpu_mark_events_pending(). Does nothing
 * while v has no vcpu_info. Inline: it is on every event delivery.
 */
static inline void evtchn_vcpu_mark_pending(struct vcpu *v)
{
	struct vcpu_info *vi = read_acquire(&v->vcpu_info);

	if ((vi != NULL) &&
	    (guest_xchg8(v->domain, &vi->evtchn_upcall_pending, 1U) == 0U)) {
		arch_evtchn_upcall(v);
	}
}

/*
 * --- Internal interfaces between core/event-channel.c, event-2l.c and
 * event-fifo.c; nothing else should need them. ---
 */

/* Ports are allocated in buckets of this many. */
#define EVTCHN_BUCKET_PORTS 128U
/* Xenon's limit on ports per domain under FIFO (the ABI allows 2^17). */
#define EVTCHN_FIFO_MAX_PORTS 32768U
#define EVTCHN_MAX_BUCKETS (EVTCHN_FIFO_MAX_PORTS / EVTCHN_BUCKET_PORTS)

/* A port's state, as Xen's ECS_* (Xenon has no PIRQs). */
enum evtchn_state {
	ECS_FREE, /* not in use */
	ECS_RESERVED, /* port 0 */
	ECS_UNBOUND, /* waiting for remote_domid to bind to it */
	ECS_INTERDOMAIN, /* connected to remote_port of remote */
	ECS_VIRQ, /* raised by the hypervisor for virq */
	ECS_IPI, /* raised by the domain itself */
};

/*
 * One port. The binding (state to remote) changes under the domain's
 * evtchn lock (for an interdomain channel, both domains' locks); the
 * notify vCPU and priority of a bound port also under its delivery lock;
 * the FIFO fields (last_vcpu to pending) only under the delivery lock.
 */
struct evtchn {
	evtchn_port_t port; /* its own number */
	enum evtchn_state state;
	uint8_t virq; /* ECS_VIRQ */
	domid_t remote_domid; /* ECS_UNBOUND: who may bind to it */
	evtchn_port_t remote_port; /* ECS_INTERDOMAIN */
	struct domain *remote; /* ECS_INTERDOMAIN */
	uint16_t notify_vcpu; /* the vCPU its events go to */
	uint8_t priority; /* FIFO queue (EVTCHN_FIFO_PRIORITY_*) */
	/* The FIFO queue it was last linked in, and a pending event waiting
	 * for its event-array page. */
	uint16_t last_vcpu;
	uint8_t last_priority;
	bool pending;
};

/*
 * A delivery ABI, with Xen's evtchn_port_ops shape. All are called with
 * the domain's delivery lock held, for ports of that domain; set_pending,
 * where set_pending_atomic says so, may instead be called with only the
 * domain's evtchn lock held.
 */
struct evtchn_port_ops {
	/* Mark chn pending and notify v if it is unmasked. */
	void (*set_pending)(struct vcpu *v, struct evtchn *chn);
	/* set_pending only changes event state in guest memory, with guest
	 * atomics in an order that lets two of them, or one and an unmask,
	 * overlap (2-level: the guest changes the same bits concurrently). */
	bool set_pending_atomic;
	void (*clear_pending)(struct domain *d, struct evtchn *chn);
	/* Unmask chn and notify its vCPU if it is pending. */
	void (*unmask)(struct domain *d, struct evtchn *chn);
	bool (*is_pending)(const struct domain *d, const struct evtchn *chn);
	bool (*is_masked)(const struct domain *d, const struct evtchn *chn);
	/* Still linked in a queue: not to be reused yet. */
	bool (*is_busy)(const struct domain *d, const struct evtchn *chn);
	int (*set_priority)(struct domain *d, struct evtchn *chn,
			    unsigned int priority);
};

struct evtchn_fifo_domain; /* core/event-fifo.c */

/* A domain's event channels (struct domain's evtchn). */
struct evtchn_domain {
	spinlock_t lock; /* port states, bindings, buckets, virq_to_port */
	spinlock_t delivery_lock; /* ops, fifo, guest-visible event state */
	const struct evtchn_port_ops *ops;
	unsigned int valid_ports; /* ports in allocated buckets */
	unsigned int max_ports; /* the delivery ABI's limit */
	struct evtchn *buckets[EVTCHN_MAX_BUCKETS];
	/* The port bound to each VIRQ (global VIRQs: vCPU 0's), or 0. */
	evtchn_port_t virq_to_port[MAX_VCPUS][NR_VIRQS];
	struct evtchn_fifo_domain *fifo; /* NULL while 2-level */
};

/* The 2-level ABI (core/event-2l.c). */
extern const struct evtchn_port_ops evtchn_port_ops_2l;

/* Whether port is allocated (in a bucket) and below the ABI's limit. */
bool evtchn_port_is_valid(const struct evtchn_domain *ed, evtchn_port_t port);

/* The state of a valid port. */
struct evtchn *evtchn_from_port(const struct evtchn_domain *ed,
				evtchn_port_t port);

/*
 * FIFO (core/event-fifo.c), called with d's evtchn lock and delivery lock
 * held. init_control maps vCPU vcpu_id's control block at offset in guest
 * frame gfn, switching d to FIFO on the first call; 0, -ENOENT (no such
 * vCPU), -EINVAL (bad frame or offset, or already set up) or -ENOMEM.
 */
int __must_check evtchn_fifo_init_control(struct domain *d, uint64_t gfn,
					  uint32_t offset, uint32_t vcpu_id);

/* Add guest frame gfn as the next event-array page. 0, -EOPNOTSUPP (not
 * FIFO), -ENOSPC (array full) or -EINVAL (bad frame). */
int __must_check evtchn_fifo_expand_array(struct domain *d, uint64_t gfn);

/* Drop FIFO state and go back to 2-level (all ports must be closed);
 * d's evtchn lock and delivery lock are held. */
void evtchn_fifo_destroy(struct domain *d);

#endif /* HV_EVENT_H */
