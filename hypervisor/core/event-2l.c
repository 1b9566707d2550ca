/*
 * The 2-level event-channel ABI: port p is bit p of shared_info's
 * evtchn_pending and evtchn_mask bitmaps; bit p / 64 of a vCPU's
 * evtchn_pending_sel says which word of evtchn_pending to look at.
 *
 * The guest changes all of these concurrently (it clears pending bits and
 * the selector, sets and clears mask bits), so every access is atomic and
 * the steps of set_pending and unmask happen in Xen's order. The
 * read-modify-writes are guest atomics (hv/guest-atomics.h): a guest
 * writing these words cannot hold the hypervisor in a retry loop.
 */
#include <hv/atomic.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/guest-atomics.h>

#define BITS_PER_EVTCHN_WORD (sizeof(xen_ulong_t) * 8U)

static xen_ulong_t bit_mask(unsigned int bit)
{
	return (xen_ulong_t)1U << (bit % BITS_PER_EVTCHN_WORD);
}

static bool bit_test(const xen_ulong_t *words, unsigned int bit)
{
	xen_ulong_t word = read_full(&words[bit / BITS_PER_EVTCHN_WORD]);

	return (word & bit_mask(bit)) != 0U;
}

/* Flag word port / 64 in v's selector; notify v if it was not flagged.
 * Inline: it is on every send. */
static inline void select_word(struct vcpu *v, evtchn_port_t port)
{
	struct vcpu_info *vi = read_acquire(&v->vcpu_info);

	/* Without a vcpu_info the guest has not set the vCPU up yet; it
	 * looks at all words when it registers one. */
	if ((vi != NULL) &&
	    !guest_test_and_set_bit(v->domain, port / BITS_PER_EVTCHN_WORD,
				    &vi->evtchn_pending_sel)) {
		evtchn_vcpu_mark_pending(v);
	}
}

static void evtchn_2l_set_pending(struct vcpu *v, struct evtchn *chn)
{
	struct shared_info *si = v->domain->shared_info;

	if (guest_test_and_set_bit(v->domain, chn->port, si->evtchn_pending)) {
		return;
	}
	if (!bit_test(si->evtchn_mask, chn->port)) {
		select_word(v, chn->port);
	}
}

static void evtchn_2l_clear_pending(struct domain *d, struct evtchn *chn)
{
	guest_clear_bit(d, chn->port, d->shared_info->evtchn_pending);
}

static void evtchn_2l_unmask(struct domain *d, struct evtchn *chn)
{
	struct shared_info *si = d->shared_info;

	if (guest_test_and_clear_bit(d, chn->port, si->evtchn_mask) &&
	    bit_test(si->evtchn_pending, chn->port)) {
		select_word(d->vcpus[chn->notify_vcpu], chn->port);
	}
}

static bool evtchn_2l_is_pending(const struct domain *d,
				 const struct evtchn *chn)
{
	return bit_test(d->shared_info->evtchn_pending, chn->port);
}

static bool evtchn_2l_is_masked(const struct domain *d,
				const struct evtchn *chn)
{
	return bit_test(d->shared_info->evtchn_mask, chn->port);
}

/* 2-level ports are never linked anywhere. */
static bool evtchn_2l_is_busy(const struct domain *d, const struct evtchn *chn)
{
	(void)d;
	(void)chn;
	return false;
}

/* Priorities are a FIFO feature. */
static int evtchn_2l_set_priority(struct domain *d, struct evtchn *chn,
				  unsigned int priority)
{
	(void)d;
	(void)chn;
	(void)priority;
	return -ENOSYS;
}

const struct evtchn_port_ops evtchn_port_ops_2l = {
	.set_pending = evtchn_2l_set_pending,
	.set_pending_atomic = true,
	.clear_pending = evtchn_2l_clear_pending,
	.unmask = evtchn_2l_unmask,
	.is_pending = evtchn_2l_is_pending,
	.is_masked = evtchn_2l_is_masked,
	.is_busy = evtchn_2l_is_busy,
	.set_priority = evtchn_2l_set_priority,
};
