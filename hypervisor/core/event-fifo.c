/*
 * The FIFO event-channel ABI (<xen/event_channel.h>, Xen 4.4 and later).
 *
 * Each port has a 32-bit event word in an event array made of guest pages,
 * which the guest adds one at a time with EVTCHNOP_expand_array: the
 * PENDING, MASKED, LINKED and BUSY bits, and a LINK field naming the next
 * port of the queue the event is in. Each vCPU has a control block in
 * guest memory (EVTCHNOP_init_control) holding a ready bitmap and the head
 * of each of its 16 priority queues; the hypervisor keeps the tails.
 *
 * Raising an event sets PENDING and, unless it is masked or already
 * linked, appends it to the queue of its vCPU and priority: into LINK of
 * the tail, or into head when the queue is empty. An event put into an
 * empty queue sets that queue's ready bit, and a ready bit going 0 -> 1
 * marks the vCPU's upcall pending.
 *
 * The guest works on the same words concurrently: it walks each queue from
 * head, clearing LINKED (and LINK) of each event, and may set or clear
 * MASKED and clear PENDING at any time. So the hypervisor only writes LINK
 * of a word that is still LINKED (compare-and-swap), and sets BUSY while it
 * retries, which holds off a guest's unmask as the ABI requires. Every
 * read-modify-write of guest memory is a guest atomic (hv/guest-atomics.h),
 * so a guest that keeps writing a word cannot hold the hypervisor.
 *
 * Guest pages are reached through domain_map_page(), which holds a page
 * reference for as long as the domain uses FIFO: a guest that gives such a
 * page back does not free it under the hypervisor. Everything here runs under the domain's delivery lock,
 * which also serialises the queues.
 */
#include <hv/atomic.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/guest-atomics.h>
#include <hv/guest-mem.h>
#include <hv/page-alloc.h>

#define FIFO_WORDS_PER_PAGE ((unsigned int)(PAGE_SIZE / sizeof(event_word_t)))
#define FIFO_MAX_PAGES (EVTCHN_FIFO_MAX_PORTS / FIFO_WORDS_PER_PAGE)
#define FIFO_LINK_MASK ((event_word_t)EVTCHN_FIFO_LINK_MASK)
/* Attempts at writing LINK while the guest keeps changing the word. */
#define FIFO_LINK_TRIES 4U

_Static_assert(EVTCHN_FIFO_MAX_PORTS <= EVTCHN_FIFO_NR_CHANNELS,
	       "more ports than LINK can name");
_Static_assert((EVTCHN_FIFO_MAX_PORTS % FIFO_WORDS_PER_PAGE) == 0U,
	       "the port limit ends inside an event-array page");

struct evtchn_fifo_queue {
	uint32_t *head; /* in the guest's control block */
	evtchn_port_t tail; /* 0: empty */
};

struct evtchn_fifo_vcpu {
	struct evtchn_fifo_control_block *control_block; /* NULL: none yet */
	struct evtchn_fifo_queue queue[EVTCHN_FIFO_MAX_QUEUES];
};

struct evtchn_fifo_domain {
	event_word_t *event_array[FIFO_MAX_PAGES];
	unsigned int num_words; /* ports that have an event word */
	struct evtchn_fifo_vcpu vcpu[MAX_VCPUS];
};

static event_word_t word_bit(unsigned int bit)
{
	return (event_word_t)1U << bit;
}

static bool word_test(const event_word_t *word, unsigned int bit)
{
	return (read_full(word) & word_bit(bit)) != 0U;
}

/* Set bit of d's word and return whether it was already set. */
static bool word_test_and_set(struct domain *d, event_word_t *word,
			      unsigned int bit)
{
	return guest_test_and_set_bit(d, bit, word);
}

static void word_clear(struct domain *d, event_word_t *word, unsigned int bit)
{
	guest_clear_bit(d, bit, word);
}

/* The event word of port, or NULL while its page is missing. */
static event_word_t *fifo_word(const struct evtchn_fifo_domain *fd,
			       evtchn_port_t port)
{
	if (port >= fd->num_words) {
		return NULL;
	}
	return &fd->event_array[port / FIFO_WORDS_PER_PAGE]
			       [port % FIFO_WORDS_PER_PAGE];
}

/*
 * Write link into LINK of word if the word is still LINKED; returns
 * whether the event is now queued behind word. A guest that keeps changing
 * the word past FIFO_LINK_TRIES only loses this event's place in its queue
 * (as in Xen).
 */
static bool fifo_set_link(struct domain *d, event_word_t *word,
			  evtchn_port_t link)
{
	event_word_t old = read_full(word);
	event_word_t new_word;
	event_word_t seen;
	unsigned int try;

	for (try = 0; try < FIFO_LINK_TRIES; try++) {
		if ((old & word_bit(EVTCHN_FIFO_LINKED)) == 0U) {
			word_clear(d, word, EVTCHN_FIFO_BUSY);
			return false;
		}
		new_word =
			(old & ~(word_bit(EVTCHN_FIFO_BUSY) | FIFO_LINK_MASK)) |
			link;
		seen = guest_cmpxchg32(d, word, old, new_word);
		if (seen == old) {
			return true;
		}
		old = seen;
		if (try == 0U) {
			/* Hold off the guest's unmask while retrying. */
			(void)word_test_and_set(d, word, EVTCHN_FIFO_BUSY);
			old = read_full(word);
		}
	}
	word_clear(d, word, EVTCHN_FIFO_BUSY);
	return true;
}

/*
 * Append chn, just marked LINKED, to v's queue for its priority. Returns
 * whether it went behind another event (false: it is the new head).
 */
static bool fifo_link(struct evtchn_fifo_domain *fd, const struct vcpu *v,
		      struct evtchn *chn)
{
	struct evtchn_fifo_queue *q =
		&fd->vcpu[v->vcpu_id].queue[chn->priority];
	struct evtchn_fifo_queue *old_q =
		&fd->vcpu[chn->last_vcpu].queue[chn->last_priority];
	bool linked = false;

	/* chn was not linked: if it is still the tail of the queue it was
	 * last in, the guest has emptied that queue. Forget the tail, or an
	 * event queued there next would be linked behind chn's new place. */
	if (old_q->tail == chn->port) {
		old_q->tail = 0;
	}
	chn->last_vcpu = (uint16_t)v->vcpu_id;
	chn->last_priority = chn->priority;
	if (q->tail != 0U) {
		linked = fifo_set_link(v->domain, fifo_word(fd, q->tail),
				       chn->port);
	}
	if (!linked) {
		write_full(q->head, chn->port);
	}
	q->tail = chn->port;
	return linked;
}

static void evtchn_fifo_set_pending(struct vcpu *v, struct evtchn *chn)
{
	struct evtchn_fifo_domain *fd = v->domain->evtchn->fifo;
	struct evtchn_fifo_vcpu *efv = &fd->vcpu[v->vcpu_id];
	event_word_t *word = fifo_word(fd, chn->port);

	if (word == NULL) {
		/* Raised when expand_array adds the port's page. */
		chn->pending = true;
		return;
	}
	(void)word_test_and_set(v->domain, word, EVTCHN_FIFO_PENDING);
	/* Masked or already queued: done. Without a control block the vCPU
	 * is not set up yet (the guest must not unmask before): the event
	 * stays pending. */
	if (word_test(word, EVTCHN_FIFO_MASKED) ||
	    (efv->control_block == NULL) ||
	    word_test_and_set(v->domain, word, EVTCHN_FIFO_LINKED)) {
		return;
	}
	if (!fifo_link(fd, v, chn) &&
	    !word_test_and_set(v->domain, &efv->control_block->ready,
			       chn->priority)) {
		evtchn_vcpu_mark_pending(v);
	}
}

static void evtchn_fifo_clear_pending(struct domain *d, struct evtchn *chn)
{
	event_word_t *word = fifo_word(d->evtchn->fifo, chn->port);

	chn->pending = false;
	if (word != NULL) {
		word_clear(d, word, EVTCHN_FIFO_PENDING);
	}
}

static void evtchn_fifo_unmask(struct domain *d, struct evtchn *chn)
{
	event_word_t *word = fifo_word(d->evtchn->fifo, chn->port);

	if (word == NULL) {
		return;
	}
	word_clear(d, word, EVTCHN_FIFO_MASKED);
	if (word_test(word, EVTCHN_FIFO_PENDING)) {
		evtchn_fifo_set_pending(d->vcpus[chn->notify_vcpu], chn);
	}
}

static bool evtchn_fifo_is_pending(const struct domain *d,
				   const struct evtchn *chn)
{
	const event_word_t *word = fifo_word(d->evtchn->fifo, chn->port);

	return (word != NULL) ? word_test(word, EVTCHN_FIFO_PENDING)
			      : chn->pending;
}

static bool evtchn_fifo_is_masked(const struct domain *d,
				  const struct evtchn *chn)
{
	const event_word_t *word = fifo_word(d->evtchn->fifo, chn->port);

	return (word == NULL) || word_test(word, EVTCHN_FIFO_MASKED);
}

static bool evtchn_fifo_is_busy(const struct domain *d,
				const struct evtchn *chn)
{
	const event_word_t *word = fifo_word(d->evtchn->fifo, chn->port);

	return (word != NULL) && word_test(word, EVTCHN_FIFO_LINKED);
}

/* Later events go to the new queue; one already queued stays put. */
static int evtchn_fifo_set_priority(struct domain *d, struct evtchn *chn,
				    unsigned int priority)
{
	(void)d;
	if (priority > EVTCHN_FIFO_PRIORITY_MIN) {
		return -EINVAL;
	}
	chn->priority = (uint8_t)priority;
	return 0;
}

/* The hypervisor's view of d's page gfn, for gfns an address can hold. */
static void *guest_page(struct domain *d, uint64_t gfn)
{
	if (gfn > (UINT64_MAX >> PAGE_SHIFT)) {
		return NULL;
	}
	return domain_map_page(d, gfn);
}

static const struct evtchn_port_ops evtchn_port_ops_fifo = {
	.set_pending = evtchn_fifo_set_pending,
	.set_pending_atomic = false,
	.clear_pending = evtchn_fifo_clear_pending,
	.unmask = evtchn_fifo_unmask,
	.is_pending = evtchn_fifo_is_pending,
	.is_masked = evtchn_fifo_is_masked,
	.is_busy = evtchn_fifo_is_busy,
	.set_priority = evtchn_fifo_set_priority,
};

static void map_control_block(struct evtchn_fifo_vcpu *efv,
			      struct evtchn_fifo_control_block *cb)
{
	unsigned int i;

	efv->control_block = cb;
	for (i = 0; i < EVTCHN_FIFO_MAX_QUEUES; i++) {
		efv->queue[i].head = &cb->head[i];
		efv->queue[i].tail = 0;
	}
}

/*
 * Carry over what 2-level delivery left pending (raised again once the
 * port has an event word), and give every port the default priority.
 */
static void take_over_2l_ports(struct domain *d)
{
	const struct evtchn_domain *ed = d->evtchn;
	struct evtchn *chn;
	evtchn_port_t port;

	for (port = 1; evtchn_port_is_valid(ed, port); port++) {
		chn = evtchn_from_port(ed, port);
		chn->pending = evtchn_port_ops_2l.is_pending(d, chn);
		if (chn->pending) {
			evtchn_port_ops_2l.clear_pending(d, chn);
		}
		chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	}
}

static int fifo_enable(struct domain *d)
{
	struct evtchn_domain *ed = d->evtchn;
	struct evtchn_fifo_domain *fd = xzalloc(sizeof(*fd));

	if (fd == NULL) {
		return -ENOMEM;
	}
	take_over_2l_ports(d);
	ed->fifo = fd;
	ed->ops = &evtchn_port_ops_fifo;
	ed->max_ports = EVTCHN_FIFO_MAX_PORTS;
	return 0;
}

int evtchn_fifo_init_control(struct domain *d, uint64_t gfn, uint32_t offset,
			     uint32_t vcpu_id)
{
	struct evtchn_domain *ed = d->evtchn;
	uint8_t *page;

	if (vcpu_id >= d->max_vcpus) {
		return -ENOENT;
	}
	/* Inside the page, 8-byte aligned. */
	if ((offset > (PAGE_SIZE - sizeof(struct evtchn_fifo_control_block))) ||
	    ((offset & 7U) != 0U)) {
		return -EINVAL;
	}
	if ((ed->fifo != NULL) &&
	    (ed->fifo->vcpu[vcpu_id].control_block != NULL)) {
		return -EINVAL;
	}
	page = guest_page(d, gfn);
	if (page == NULL) {
		return -EINVAL;
	}
	if ((ed->fifo == NULL) && (fifo_enable(d) != 0)) {
		domain_unmap_page(page);
		return -ENOMEM;
	}
	map_control_block(
		&ed->fifo->vcpu[vcpu_id],
		(struct evtchn_fifo_control_block *)(void *)(page + offset));
	return 0;
}

/* Raise the events saved for the ports of the page starting at first. */
static void raise_saved_events(struct domain *d, evtchn_port_t first)
{
	const struct evtchn_domain *ed = d->evtchn;
	struct evtchn *chn;
	evtchn_port_t port;

	for (port = first; (port < (first + FIFO_WORDS_PER_PAGE)) &&
			   evtchn_port_is_valid(ed, port);
	     port++) {
		chn = evtchn_from_port(ed, port);
		if (chn->pending) {
			chn->pending = false;
			evtchn_fifo_set_pending(d->vcpus[chn->notify_vcpu],
						chn);
		}
	}
}

int evtchn_fifo_expand_array(struct domain *d, uint64_t gfn)
{
	struct evtchn_fifo_domain *fd = d->evtchn->fifo;
	event_word_t *page;
	unsigned int slot;

	if (fd == NULL) {
		return -EOPNOTSUPP;
	}
	slot = fd->num_words / FIFO_WORDS_PER_PAGE;
	if (slot >= FIFO_MAX_PAGES) {
		return -ENOSPC;
	}
	page = guest_page(d, gfn);
	if (page == NULL) {
		return -EINVAL;
	}
	fd->event_array[slot] = page;
	fd->num_words += FIFO_WORDS_PER_PAGE;
	raise_saved_events(d, slot * FIFO_WORDS_PER_PAGE);
	return 0;
}

void evtchn_fifo_destroy(struct domain *d)
{
	struct evtchn_domain *ed = d->evtchn;
	struct evtchn_fifo_domain *fd = ed->fifo;
	unsigned int i;

	if (fd == NULL) {
		return;
	}
	/* Drop the page references taken when the guest gave the pages. */
	for (i = 0; i < MAX_VCPUS; i++) {
		if (fd->vcpu[i].control_block != NULL) {
			domain_unmap_page(fd->vcpu[i].control_block);
		}
	}
	for (i = 0; i < (fd->num_words / FIFO_WORDS_PER_PAGE); i++) {
		domain_unmap_page(fd->event_array[i]);
	}
	xfree(ed->fifo);
	ed->fifo = NULL;
	ed->ops = &evtchn_port_ops_2l;
	ed->max_ports = (unsigned int)EVTCHN_2L_NR_CHANNELS;
}
