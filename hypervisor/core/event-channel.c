/*
 * Event channels: ports, their bindings and the event_channel_op
 * hypercall. Delivery, the pending and mask state in guest memory, is the
 * job of the domain's evtchn_port_ops (event-2l.c or event-fifo.c).
 *
 * A domain has up to max_ports ports (4096 with 2-level delivery,
 * EVTCHN_FIFO_MAX_PORTS with FIFO), allocated EVTCHN_BUCKET_PORTS at a
 * time. Port 0 is reserved and the lowest free port is handed out, as in
 * Xen. A port is free, unbound (waiting for a given domain to bind to it),
 * interdomain (connected to a port of another domain, or of the same
 * one), bound to a VIRQ, or an IPI; events on it go to its notify vCPU.
 *
 * Lock order:
 * 1. Domains' evtchn locks (ed->lock): port states and bindings, the
 *    bucket table and the VIRQ table. Binding or closing an interdomain
 *    channel holds the locks of both domains: always take the lock of the
 *    domain with the lower domain ID first.
 * 2. One domain's delivery lock (ed->delivery_lock): its ops and FIFO
 *    state, the event state in its memory, and its ports' notify vCPU and
 *    priority. Sending on an interdomain channel holds the sender's evtchn
 *    lock (closing either end needs it, so the peer port stays bound) and
 *    takes the receiver's delivery lock. Never two delivery locks at once.
 *    Everything that changes the ops or a notify vCPU also holds the
 *    evtchn lock, so a delivery made with the receiver's evtchn lock held
 *    needs no delivery lock if its set_pending is atomic (2-level).
 * 3. The receiving domain's arch locks (the vGIC, in arch_evtchn_upcall()).
 * IRQs stay masked while any of them is held: VIRQs are sent from
 * interrupt handlers.
 */
#include <hv/atomic.h>
#include <hv/errno.h>
#include <hv/xsm.h>
#include <hv/event.h>
#include <hv/guest-copy.h>
#include <hv/guest-atomics.h>
#include <hv/irq.h>
#include <hv/page-alloc.h>
#include <hv/poll.h>
#include <hv/string.h>

/* --- Ports --- */

bool evtchn_port_is_valid(const struct evtchn_domain *ed, evtchn_port_t port)
{
	return (port < ed->valid_ports) && (port < ed->max_ports);
}

struct evtchn *evtchn_from_port(const struct evtchn_domain *ed,
				evtchn_port_t port)
{
	return &ed->buckets[port / EVTCHN_BUCKET_PORTS]
			   [port % EVTCHN_BUCKET_PORTS];
}

/* Add a bucket of free ports; returns its first port or a negative errno. */
static int add_bucket(struct evtchn_domain *ed)
{
	unsigned int first = ed->valid_ports;
	struct evtchn *bucket;
	unsigned int i;

	if (first >= ed->max_ports) {
		return -ENOSPC;
	}
	bucket = xzalloc(sizeof(*bucket) * EVTCHN_BUCKET_PORTS);
	if (bucket == NULL) {
		return -ENOMEM;
	}
	for (i = 0; i < EVTCHN_BUCKET_PORTS; i++) {
		bucket[i].port = first + i;
		bucket[i].state = ECS_FREE;
		bucket[i].priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
		bucket[i].last_priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	}
	ed->buckets[first / EVTCHN_BUCKET_PORTS] = bucket;
	/* Atomic for close_all_ports(), which reads it unlocked. */
	write_release(&ed->valid_ports, first + EVTCHN_BUCKET_PORTS);
	return (int)first;
}

/* The lowest free port of d that is not still queued, or a negative
 * errno. d's evtchn lock is held. */
static int get_free_port(struct domain *d)
{
	struct evtchn_domain *ed = d->evtchn;
	const struct evtchn *chn;
	evtchn_port_t port;

	if (d->is_dying) {
		return -EINVAL;
	}
	for (port = 1; evtchn_port_is_valid(ed, port); port++) {
		chn = evtchn_from_port(ed, port);
		if ((chn->state == ECS_FREE) && !ed->ops->is_busy(d, chn)) {
			return (int)port;
		}
	}
	return add_bucket(ed);
}

/* Put d's free port into state, with its events going to vcpu. */
static struct evtchn *bind_port(struct domain *d, evtchn_port_t port,
				enum evtchn_state state, unsigned int vcpu)
{
	struct evtchn *chn = evtchn_from_port(d->evtchn, port);

	chn->state = state;
	chn->notify_vcpu = (uint16_t)vcpu;
	chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	return chn;
}

/* --- Locks and delivery --- */

/*
 * Lock d's event channels and, if other is another domain, other's too
 * (spin_lock_pair's order), with IRQs masked. Returns the IRQ state for
 * unlock_channels().
 */
static unsigned long lock_channels(const struct domain *d,
				   const struct domain *other)
{
	unsigned long flags = arch_irq_save();

	spin_lock_pair(&d->evtchn->lock, d->domain_id,
		       (other != NULL) ? &other->evtchn->lock : NULL,
		       (other != NULL) ? other->domain_id : 0U);
	return flags;
}

static void unlock_channels(const struct domain *d, const struct domain *other,
			    unsigned long flags)
{
	spin_unlock_pair(&d->evtchn->lock,
			 (other != NULL) ? &other->evtchn->lock : NULL);
	arch_irq_restore(flags);
}

/* Lock d's event channels and its delivery state. */
static unsigned long lock_all(const struct domain *d)
{
	unsigned long flags = lock_channels(d, NULL);

	spin_lock(&d->evtchn->delivery_lock);
	return flags;
}

static void unlock_all(const struct domain *d, unsigned long flags)
{
	spin_unlock(&d->evtchn->delivery_lock);
	unlock_channels(d, NULL, flags);
}

/* Raise chn, a bound port of d, on its notify vCPU; the caller holds d's
 * evtchn lock (own_locked), or only the sender's. */
static void port_deliver(struct domain *d, struct evtchn *chn, bool own_locked)
{
	struct evtchn_domain *ed = d->evtchn;

	if (own_locked && ed->ops->set_pending_atomic) {
		ed->ops->set_pending(d->vcpus[chn->notify_vcpu], chn);
	} else {
		spin_lock(&ed->delivery_lock);
		ed->ops->set_pending(d->vcpus[chn->notify_vcpu], chn);
		spin_unlock(&ed->delivery_lock);
	}
	/* Pending even if masked: a vCPU polling the port wakes. */
	if (READ_ONCE(d->poll_mask) != 0U) {
		poll_check_pollers(d, chn->port);
	}
}

static void port_clear_pending(struct domain *d, struct evtchn *chn)
{
	struct evtchn_domain *ed = d->evtchn;

	spin_lock(&ed->delivery_lock);
	ed->ops->clear_pending(d, chn);
	spin_unlock(&ed->delivery_lock);
}

int evtchn_port_poll(struct domain *d, evtchn_port_t port)
{
	unsigned long flags = lock_channels(d, NULL);
	int rc = -EINVAL;

	if (evtchn_port_is_valid(d->evtchn, port)) {
		rc = d->evtchn->ops->is_pending(d, evtchn_from_port(d->evtchn,
								    port))
			     ? 1
			     : 0;
	}
	unlock_channels(d, NULL, flags);
	return rc;
}

/* --- VIRQs --- */

/* VIRQs of the whole domain (bound on vCPU 0) rather than of a vCPU. */
static bool virq_is_global(unsigned int virq)
{
	switch (virq) {
	case VIRQ_TIMER:
	case VIRQ_DEBUG:
	case VIRQ_XENOPROF:
	case VIRQ_XENPMU:
		return false;
	default:
		return true; /* VIRQ_ARCH_* included, as on Arm in Xen */
	}
}

static void raise_virq(struct domain *d, unsigned int vcpu, unsigned int virq)
{
	struct evtchn_domain *ed = d->evtchn;
	unsigned long flags;
	evtchn_port_t port;

	if (ed == NULL) {
		return;
	}
	flags = lock_channels(d, NULL);
	port = ed->virq_to_port[vcpu][virq];
	if (port != 0U) {
		port_deliver(d, evtchn_from_port(ed, port), true);
	}
	unlock_channels(d, NULL, flags);
}

int evtchn_send_virq(struct domain *d, unsigned int virq)
{
	if ((virq >= NR_VIRQS) || !virq_is_global(virq)) {
		return -EINVAL;
	}
	raise_virq(d, 0, virq);
	return 0;
}

/* --- Closing --- */

static void unbind_virq(struct evtchn_domain *ed, const struct evtchn *chn)
{
	unsigned int i;

	for (i = 0; i < MAX_VCPUS; i++) {
		if (ed->virq_to_port[i][chn->virq] == chn->port) {
			ed->virq_to_port[i][chn->virq] = 0;
		}
	}
}

/* The other end of d's interdomain port chn waits for d again. */
static void unbind_peer(const struct domain *d, const struct evtchn *chn)
{
	struct evtchn *peer =
		evtchn_from_port(chn->remote->evtchn, chn->remote_port);

	peer->state = ECS_UNBOUND;
	peer->remote_domid = d->domain_id;
	peer->remote = NULL;
	peer->remote_port = 0;
}

/* Free chn, leaving no pending event behind for its next user. */
static void free_port(struct domain *d, struct evtchn *chn)
{
	port_clear_pending(d, chn);
	chn->state = ECS_FREE;
	chn->notify_vcpu = 0;
	chn->remote_domid = 0;
	chn->remote = NULL;
	chn->remote_port = 0;
	chn->virq = 0;
}

/*
 * Close d's port with d's and *peer's evtchn locks held. An interdomain
 * port whose remote end is in a domain not locked yet gives -EAGAIN, with
 * *peer set to that domain.
 */
static int close_locked(struct domain *d, evtchn_port_t port,
			struct domain **peer)
{
	struct evtchn *chn;

	if (!evtchn_port_is_valid(d->evtchn, port)) {
		return -EINVAL;
	}
	chn = evtchn_from_port(d->evtchn, port);
	switch (chn->state) {
	case ECS_UNBOUND:
	case ECS_IPI:
		break;
	case ECS_VIRQ:
		unbind_virq(d->evtchn, chn);
		break;
	case ECS_INTERDOMAIN:
		if ((chn->remote != d) && (chn->remote != *peer)) {
			*peer = chn->remote;
			return -EAGAIN;
		}
		unbind_peer(d, chn);
		break;
	default:
		return -EINVAL; /* free or reserved */
	}
	free_port(d, chn);
	return 0;
}

/*
 * Close d's port. The peer of an interdomain port is only known once d is
 * locked, and its lock may have to come first: then drop d's lock and
 * start again with both. Another try is only needed if the port was closed
 * and bound elsewhere meanwhile, by the guest racing itself.
 */
static int close_port(struct domain *d, evtchn_port_t port)
{
	struct domain *peer = NULL;
	struct domain *locked;
	unsigned long flags;
	int rc = -EAGAIN;

	while (rc == -EAGAIN) {
		locked = peer;
		flags = lock_channels(d, locked);
		rc = close_locked(d, port, &peer);
		unlock_channels(d, locked, flags);
	}
	return rc;
}

static void close_all_ports(struct domain *d)
{
	const unsigned int *valid = &d->evtchn->valid_ports;
	evtchn_port_t port;

	for (port = 1; port < read_acquire(valid); port++) {
		(void)close_port(d, port);
	}
}

/* --- Binding --- */

/* The domain domid names for d, if it exists, has event channels and is
 * not dying (the reaper frees a dying domain's channels after a grace
 * period, which lets a call that found it before finish first). */
static struct domain *find_domain(struct domain *d, domid_t domid)
{
	struct domain *found = domain_by_any_id(d, domid);

	return ((found != NULL) && (found->evtchn != NULL) &&
		!READ_ONCE(found->is_dying))
		       ? found
		       : NULL;
}

/*
 * Allocate a port of d in state (unbound or IPI) for vcpu; remote is the
 * domain that may bind to an unbound port. The port or a negative errno.
 */
static int alloc_port(struct domain *d, enum evtchn_state state,
		      unsigned int vcpu, domid_t remote)
{
	unsigned long flags = lock_channels(d, NULL);
	int port = get_free_port(d);

	if (port >= 0) {
		bind_port(d, (evtchn_port_t)port, state, vcpu)->remote_domid =
			remote;
	}
	unlock_channels(d, NULL, flags);
	return port;
}

/* Connect chn to remote_port of remote. */
static void connect_port(struct evtchn *chn, struct domain *remote,
			 evtchn_port_t remote_port)
{
	chn->state = ECS_INTERDOMAIN;
	chn->remote = remote;
	chn->remote_port = remote_port;
	chn->remote_domid = 0;
}

static int bind_interdomain_locked(struct domain *ld, struct domain *rd,
				   evtchn_port_t rport)
{
	struct evtchn *rchn;
	struct evtchn *lchn;
	int lport;

	if (!evtchn_port_is_valid(rd->evtchn, rport)) {
		return -EINVAL;
	}
	rchn = evtchn_from_port(rd->evtchn, rport);
	if ((rchn->state != ECS_UNBOUND) ||
	    (rchn->remote_domid != ld->domain_id)) {
		return -EINVAL;
	}
	lport = get_free_port(ld);
	if (lport < 0) {
		return lport;
	}
	lchn = bind_port(ld, (evtchn_port_t)lport, ECS_INTERDOMAIN, 0);
	connect_port(lchn, rd, rport);
	connect_port(rchn, ld, (evtchn_port_t)lport);
	/* Events sent to the remote port while it was unbound were dropped:
	 * raise the new port once, as Xen does, so that none is lost. */
	port_deliver(ld, lchn, true);
	return lport;
}

static int bind_virq_locked(struct domain *d, unsigned int virq,
			    unsigned int vcpu)
{
	struct evtchn_domain *ed = d->evtchn;
	int port;

	if (ed->virq_to_port[vcpu][virq] != 0U) {
		return -EEXIST;
	}
	port = get_free_port(d);
	if (port >= 0) {
		bind_port(d, (evtchn_port_t)port, ECS_VIRQ, vcpu)->virq =
			(uint8_t)virq;
		ed->virq_to_port[vcpu][virq] = (evtchn_port_t)port;
	}
	return port;
}

/* Global VIRQs and channels from other domains may move to another vCPU;
 * per-vCPU VIRQs and IPIs may not. */
static int bind_vcpu_locked(struct domain *d, evtchn_port_t port,
			    unsigned int vcpu)
{
	struct evtchn_domain *ed = d->evtchn;
	struct evtchn *chn;

	if (!evtchn_port_is_valid(ed, port)) {
		return -EINVAL;
	}
	chn = evtchn_from_port(ed, port);
	if (!((chn->state == ECS_UNBOUND) || (chn->state == ECS_INTERDOMAIN) ||
	      ((chn->state == ECS_VIRQ) && virq_is_global(chn->virq)))) {
		return -EINVAL;
	}
	spin_lock(&ed->delivery_lock);
	chn->notify_vcpu = (uint16_t)vcpu;
	spin_unlock(&ed->delivery_lock);
	return 0;
}

/* --- Sending and state --- */

static int send_locked(struct domain *ld, evtchn_port_t lport)
{
	struct evtchn *lchn;

	if (!evtchn_port_is_valid(ld->evtchn, lport)) {
		return -EINVAL;
	}
	lchn = evtchn_from_port(ld->evtchn, lport);
	switch (lchn->state) {
	case ECS_INTERDOMAIN:
		port_deliver(lchn->remote,
			     evtchn_from_port(lchn->remote->evtchn,
					      lchn->remote_port),
			     lchn->remote == ld);
		return 0;
	case ECS_IPI:
		port_deliver(ld, lchn, true);
		return 0;
	case ECS_UNBOUND:
		return 0; /* nobody to tell yet: dropped, as in Xen */
	default:
		return -EINVAL;
	}
}

/* Only the fields of the port's state are written: the rest of the
 * union keeps what the caller passed, as in Xen. */
static void fill_status(const struct evtchn *chn, struct evtchn_status *st)
{
	st->vcpu = chn->notify_vcpu;
	switch (chn->state) {
	case ECS_UNBOUND:
		st->status = EVTCHNSTAT_unbound;
		st->u.unbound.dom = chn->remote_domid;
		break;
	case ECS_INTERDOMAIN:
		st->status = EVTCHNSTAT_interdomain;
		st->u.interdomain.dom = chn->remote->domain_id;
		st->u.interdomain.port = chn->remote_port;
		break;
	case ECS_VIRQ:
		st->status = EVTCHNSTAT_virq;
		st->u.virq = chn->virq;
		break;
	case ECS_IPI:
		st->status = EVTCHNSTAT_ipi;
		break;
	default:
		st->status = EVTCHNSTAT_closed;
		break;
	}
}

/* Whether any port but the reserved one is in use. */
static bool any_port_bound(const struct evtchn_domain *ed)
{
	evtchn_port_t port;

	for (port = 1; port < ed->valid_ports; port++) {
		if (evtchn_from_port(ed, port)->state != ECS_FREE) {
			return true;
		}
	}
	return false;
}

/* Close every port and go back to 2-level delivery; -EAGAIN if the
 * guest bound a new port meanwhile. */
static int reset_ports(struct domain *d)
{
	unsigned long flags;
	int rc = 0;

	close_all_ports(d);
	flags = lock_all(d);
	if (any_port_bound(d->evtchn)) {
		rc = -EAGAIN;
	} else if (d->evtchn->fifo != NULL) {
		evtchn_fifo_destroy(d);
	}
	unlock_all(d, flags);
	return rc;
}

/* --- EVTCHNOP_* --- */

/*
 * Hand a new port back to the guest through the argument structure; if it
 * cannot be written, close the port again so that the call changes
 * nothing.
 */
static int return_port(struct domain *d, uint64_t gva, const void *op,
		       size_t size, evtchn_port_t port)
{
	if (copy_to_guest(gva, op, size) != 0) {
		(void)close_port(d, port);
		return -EFAULT;
	}
	return 0;
}

/* Xen's continuation of EVTCHNOP_reset, which guests may also call; the
 * public header defines it for Xen's own build only (under __XEN__,
 * which changes other structures), as ERESTART in hv/errno.h. */
#define EVTCHNOP_RESET_CONT 14U

/* A port of the domain op.dom names (d itself, or any for the control
 * domain) that op.remote_dom may bind, if the XSM policy allows it. */
static int op_alloc_unbound(struct domain *d, uint64_t gva)
{
	struct evtchn_alloc_unbound op;
	struct domain *target;
	int port;

	if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
		return -EFAULT;
	}
	/* A dying domain is found, and gets no port (-EINVAL). */
	target = domain_by_any_id(d, op.dom);
	if ((target == NULL) || (target->evtchn == NULL)) {
		return -ESRCH;
	}
	port = xsm_evtchn_unbound(d, target,
				  domain_by_any_id(d, op.remote_dom));
	if (port == 0) {
		port = alloc_port(target, ECS_UNBOUND, 0,
				  (op.remote_dom == DOMID_SELF)
					  ? d->domain_id
					  : op.remote_dom);
	}
	if (port < 0) {
		return port;
	}
	op.port = (evtchn_port_t)port;
	return return_port(target, gva, &op, sizeof(op), op.port);
}

static int op_bind_interdomain(struct domain *ld, uint64_t gva)
{
	struct evtchn_bind_interdomain op;
	struct domain *rd;
	unsigned long flags;
	int port;

	if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
		return -EFAULT;
	}
	rd = find_domain(ld, op.remote_dom);
	if (rd == NULL) {
		return -ESRCH;
	}
	if (!xsm_may_communicate(ld, ld, rd)) {
		return -EPERM;
	}
	flags = lock_channels(ld, rd);
	port = bind_interdomain_locked(ld, rd, op.remote_port);
	unlock_channels(ld, rd, flags);
	if (port < 0) {
		return port;
	}
	op.local_port = (evtchn_port_t)port;
	return return_port(ld, gva, &op, sizeof(op), op.local_port);
}

static int op_bind_virq(struct domain *d, uint64_t gva)
{
	struct evtchn_bind_virq op;
	unsigned long flags;
	int port;

	if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
		return -EFAULT;
	}
	if ((op.virq >= NR_VIRQS) ||
	    (virq_is_global(op.virq) && (op.vcpu != 0U))) {
		return -EINVAL;
	}
	if (op.vcpu >= d->max_vcpus) {
		return -ENOENT;
	}
	flags = lock_channels(d, NULL);
	port = bind_virq_locked(d, op.virq, op.vcpu);
	unlock_channels(d, NULL, flags);
	if (port < 0) {
		return port;
	}
	op.port = (evtchn_port_t)port;
	return return_port(d, gva, &op, sizeof(op), op.port);
}

static int op_bind_ipi(struct domain *d, uint64_t gva)
{
	struct evtchn_bind_ipi op;
	int port;

	if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
		return -EFAULT;
	}
	if (op.vcpu >= d->max_vcpus) {
		return -ENOENT;
	}
	port = alloc_port(d, ECS_IPI, op.vcpu, 0);
	if (port < 0) {
		return port;
	}
	op.port = (evtchn_port_t)port;
	return return_port(d, gva, &op, sizeof(op), op.port);
}

/* Xen's nr_pirqs on Arm: Xen checks a PIRQ against it, finds a free port,
 * then cannot make the PIRQ (Arm has none for guests): -ENOMEM. */
#define NR_PIRQS 1024U

static int op_bind_pirq(struct domain *d, uint64_t gva)
{
	struct evtchn_bind_pirq op;
	unsigned long flags;
	int port;

	if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
		return -EFAULT;
	}
	if (op.pirq >= NR_PIRQS) {
		return -EINVAL;
	}
	flags = lock_channels(d, NULL);
	port = get_free_port(d);
	unlock_channels(d, NULL, flags);
	return (port < 0) ? port : -ENOMEM;
}

static int op_close(struct domain *d, uint64_t gva)
{
	struct evtchn_close op;

	if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
		return -EFAULT;
	}
	return close_port(d, op.port);
}

/* The commonest operation: its own function, ahead of the others' switch
 * and stack frame (do_event_channel_op()). */
static int op_send(struct domain *d, uint64_t gva)
{
	struct evtchn_send op;
	unsigned long flags;
	int rc;

	if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
		return -EFAULT;
	}
	flags = arch_irq_save();
	spin_lock(&d->evtchn->lock);
	rc = send_locked(d, op.port);
	spin_unlock(&d->evtchn->lock);
	arch_irq_restore(flags);
	return rc;
}

/* Of d's own ports, or any domain's for the hardware domain. */
static int op_status(struct domain *d, uint64_t gva)
{
	struct evtchn_status op;
	struct domain *target;
	unsigned long flags;
	bool valid;

	if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
		return -EFAULT;
	}
	target = find_domain(d, op.dom);
	if (target == NULL) {
		return -ESRCH;
	}
	/* Xen checks the port, then the caller. */
	flags = lock_channels(target, NULL);
	valid = evtchn_port_is_valid(target->evtchn, op.port);
	if (valid && domain_may_target(d, target)) {
		fill_status(evtchn_from_port(target->evtchn, op.port), &op);
	}
	unlock_channels(target, NULL, flags);
	if (!valid) {
		return -EINVAL;
	}
	if (!domain_may_target(d, target)) {
		return -EPERM;
	}
	return (copy_to_guest(gva, &op, sizeof(op)) != 0) ? -EFAULT : 0;
}

static int op_bind_vcpu(struct domain *d, uint64_t gva)
{
	struct evtchn_bind_vcpu op;
	unsigned long flags;
	int rc;

	if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
		return -EFAULT;
	}
	if (op.vcpu >= d->max_vcpus) {
		return -ENOENT;
	}
	flags = lock_channels(d, NULL);
	rc = bind_vcpu_locked(d, op.port, op.vcpu);
	unlock_channels(d, NULL, flags);
	return rc;
}

static int op_unmask(struct domain *d, uint64_t gva)
{
	struct evtchn_unmask op;
	unsigned long flags;
	bool valid;

	if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
		return -EFAULT;
	}
	flags = lock_all(d);
	valid = evtchn_port_is_valid(d->evtchn, op.port);
	if (valid) {
		d->evtchn->ops->unmask(d, evtchn_from_port(d->evtchn, op.port));
	}
	unlock_all(d, flags);
	return valid ? 0 : -EINVAL;
}

/*
 * Only of d itself (Xen also lets a toolstack reset a domain it paused).
 * A reset here is never preempted, so none is ever in progress for
 * reset_cont to continue: -EBUSY, as Xen answers then.
 */
static int op_reset(struct domain *d, uint64_t gva, bool cont)
{
	struct evtchn_reset op;
	struct domain *target;
	int err;

	if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
		return -EFAULT;
	}
	err = domain_target(d, op.dom, &target);
	if (err != 0) {
		return err;
	}
	if (target != d) {
		return -EINVAL; /* not paused by its controller */
	}
	return cont ? -EBUSY : reset_ports(d);
}

static int op_init_control(struct domain *d, uint64_t gva)
{
	struct evtchn_init_control op;
	unsigned long flags;
	int rc;

	if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
		return -EFAULT;
	}
	flags = lock_all(d);
	rc = evtchn_fifo_init_control(d, op.control_gfn, op.offset, op.vcpu);
	unlock_all(d, flags);
	/* link_bits is written back on success only, as Xen does (FIFO
	 * stays on if that write fails). */
	op.link_bits = EVTCHN_FIFO_LINK_BITS;
	if ((rc == 0) && (copy_to_guest(gva, &op, sizeof(op)) != 0)) {
		rc = -EFAULT;
	}
	return rc;
}

static int op_expand_array(struct domain *d, uint64_t gva)
{
	struct evtchn_expand_array op;
	unsigned long flags;
	int rc;

	if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
		return -EFAULT;
	}
	flags = lock_all(d);
	rc = evtchn_fifo_expand_array(d, op.array_gfn);
	unlock_all(d, flags);
	return rc;
}

static int op_set_priority(struct domain *d, uint64_t gva)
{
	struct evtchn_set_priority op;
	unsigned long flags;
	int rc = -EINVAL;

	if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
		return -EFAULT;
	}
	flags = lock_all(d);
	if (evtchn_port_is_valid(d->evtchn, op.port)) {
		rc = d->evtchn->ops->set_priority(
			d, evtchn_from_port(d->evtchn, op.port), op.priority);
	}
	unlock_all(d, flags);
	return rc;
}

static __noinline int64_t other_op(struct domain *d, uint64_t cmd, uint64_t gva)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		return op_alloc_unbound(d, gva);
	case EVTCHNOP_bind_interdomain:
		return op_bind_interdomain(d, gva);
	case EVTCHNOP_bind_virq:
		return op_bind_virq(d, gva);
	case EVTCHNOP_bind_ipi:
		return op_bind_ipi(d, gva);
	case EVTCHNOP_close:
		return op_close(d, gva);
	case EVTCHNOP_status:
		return op_status(d, gva);
	case EVTCHNOP_bind_vcpu:
		return op_bind_vcpu(d, gva);
	case EVTCHNOP_unmask:
		return op_unmask(d, gva);
	case EVTCHNOP_reset:
		return op_reset(d, gva, false);
	case EVTCHNOP_RESET_CONT:
		return op_reset(d, gva, true);
	case EVTCHNOP_bind_pirq:
		return op_bind_pirq(d, gva);
	case EVTCHNOP_init_control:
		return op_init_control(d, gva);
	case EVTCHNOP_expand_array:
		return op_expand_array(d, gva);
	case EVTCHNOP_set_priority:
		return op_set_priority(d, gva);
	default:
		return -ENOSYS;
	}
}

int64_t do_event_channel_op(struct vcpu *v, const uint64_t *args)
{
	struct domain *d = v->domain;

	if (d->evtchn == NULL) {
		return -ENOSYS;
	}
	if (args[0] == EVTCHNOP_send) {
		return op_send(d, args[1]);
	}
	return other_op(d, args[0], args[1]);
}

/* --- Domains --- */

int evtchn_domain_init(struct domain *d)
{
	struct evtchn_domain *ed;
	int port;

	if (d->shared_info == NULL) {
		return -EINVAL;
	}
	ed = xzalloc(sizeof(*ed));
	if (ed == NULL) {
		return -ENOMEM;
	}
	spin_lock_init(&ed->lock);
	spin_lock_init(&ed->delivery_lock);
	ed->ops = &evtchn_port_ops_2l;
	ed->max_ports = (unsigned int)EVTCHN_2L_NR_CHANNELS;
	port = add_bucket(ed);
	if (port < 0) {
		xfree(ed);
		return port;
	}
	evtchn_from_port(ed, 0)->state = ECS_RESERVED;
	d->evtchn = ed;
	return 0;
}

void evtchn_domain_destroy(struct domain *d)
{
	struct evtchn_domain *ed = d->evtchn;
	unsigned long flags;
	unsigned int i;

	if (ed == NULL) {
		return;
	}
	close_all_ports(d);
	flags = lock_all(d);
	evtchn_fifo_destroy(d);
	unlock_all(d, flags);
	for (i = 0; i < EVTCHN_MAX_BUCKETS; i++) {
		xfree(ed->buckets[i]);
	}
	d->evtchn = NULL;
	xfree(ed);
}
