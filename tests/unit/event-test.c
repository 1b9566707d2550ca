/*
 * Unit tests for event channels (core/event-channel.c, event-2l.c,
 * event-fifo.c) with the host arch stand-ins (arch/fake): guest RAM is a
 * host buffer, guest address n is byte n of the domain's RAM, and
 * arch_evtchn_upcall() only counts.
 *
 * Two domains with two vCPUs each; every test starts from fresh event
 * channel state, zeroed guest RAM and a zeroed shared_info page. vCPU 0
 * uses shared_info's vcpu_info, vCPU 1 one "registered" at VCPU1_INFO.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdlib.h>

#include <hv/cmdline.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest-atomics.h>
#include <hv/event.h>
#include <hv/hypercall.h>
#include <hv/page-alloc.h>
#include <hv/sched.h>
#include <hv/smp.h>

#include <xen/event_channel.h>

#include "fake-console.h"
#include "fake-host.h"

extern struct vcpu *fake_current_guest;
extern unsigned int fake_evtchn_upcalls;
extern struct vcpu *fake_evtchn_upcall_vcpu;

#define ARENA_SIZE (16U << 20)
#define GUEST_RAM 65536U

/* Guest addresses: the hypercall argument, vCPU 1's vcpu_info, the FIFO
 * control blocks (vCPU n at CB_GFN page + n * CB_STRIDE) and the first
 * event-array page. */
#define ARG 0x100U
#define VCPU1_INFO 0x400U
#define CB_GFN 2U
#define CB_STRIDE 128U
#define ARRAY_GFN 3U

#define BIT(n) (1UL << (n))
#define WORD_PENDING BIT(EVTCHN_FIFO_PENDING)
#define WORD_MASKED BIT(EVTCHN_FIFO_MASKED)
#define WORD_LINKED BIT(EVTCHN_FIFO_LINKED)

static void *arena;
static struct domain *d1;
static struct domain *d2;

static struct domain *make_domain(domid_t id)
{
	struct domain_config cfg = {
		.name = "evt", .max_vcpus = 2, .ram_bytes = GUEST_RAM};
	struct domain *d = domain_create(id, &cfg);

	assert_non_null(d);
	return d;
}

static int group_setup(void **state)
{
	(void)state;
	arena = fake_host_start(ARENA_SIZE);
	d1 = make_domain(1);
	d2 = make_domain(2);
	/* Most tests join two domUs, which Xen's default silo policy
	 * forbids; test_silo_policy checks that policy. */
	assert_int_equal(cmdline_parse("xsm=dummy"), 0);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

static void reset_domain(struct domain *d)
{
	evtchn_domain_destroy(d);
	assert_null(d->evtchn);
	memset(d->arch.ram, 0, GUEST_RAM);
	if (d->shared_info == NULL) {
		d->shared_info = xzalloc(PAGE_SIZE);
		assert_non_null(d->shared_info);
	}
	memset(d->shared_info, 0, sizeof(*d->shared_info));
	d->vcpus[0]->vcpu_info = &d->shared_info->vcpu_info[0];
	d->vcpus[1]->vcpu_info =
		(struct vcpu_info *)(void *)&d->arch.ram[VCPU1_INFO];
	d->is_hardware_domain = false;
	d->is_dying = false;
	assert_int_equal(evtchn_domain_init(d), 0);
}

static int setup(void **state)
{
	(void)state;
	fake_guest_atomic_failures = 0;
	fake_console_start();
	reset_domain(d1);
	reset_domain(d2);
	fake_evtchn_upcalls = 0;
	fake_evtchn_upcall_vcpu = NULL;
	return 0;
}

/* --- Calling EVTCHNOP_* as d's vCPU 0, argument at guest address ARG --- */

static int64_t call_at(struct domain *d, unsigned int cmd, uint64_t gva)
{
	const uint64_t args[HYPERCALL_MAX_ARGS] = {cmd, gva, 0, 0, 0};

	fake_current_guest = d->vcpus[0];
	return do_event_channel_op(d->vcpus[0], args);
}

static int64_t call(struct domain *d, unsigned int cmd, void *arg, size_t size)
{
	int64_t rc;

	memcpy(&d->arch.ram[ARG], arg, size);
	rc = call_at(d, cmd, ARG);
	memcpy(arg, &d->arch.ram[ARG], size);
	return rc;
}

static int64_t alloc_unbound(struct domain *d, domid_t remote,
			     evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = {.dom = DOMID_SELF,
					  .remote_dom = remote};
	int64_t rc = call(d, EVTCHNOP_alloc_unbound, &op, sizeof(op));

	*port = op.port;
	return rc;
}

static int64_t bind_interdomain(struct domain *d, domid_t remote,
				evtchn_port_t rport, evtchn_port_t *lport)
{
	struct evtchn_bind_interdomain op = {.remote_dom = remote,
					     .remote_port = rport};
	int64_t rc = call(d, EVTCHNOP_bind_interdomain, &op, sizeof(op));

	*lport = op.local_port;
	return rc;
}

static int64_t bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu,
			 evtchn_port_t *port)
{
	struct evtchn_bind_virq op = {.virq = virq, .vcpu = vcpu};
	int64_t rc = call(d, EVTCHNOP_bind_virq, &op, sizeof(op));

	*port = op.port;
	return rc;
}

static int64_t bind_ipi(struct domain *d, uint32_t vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_ipi op = {.vcpu = vcpu};
	int64_t rc = call(d, EVTCHNOP_bind_ipi, &op, sizeof(op));

	*port = op.port;
	return rc;
}

static int64_t evt_close(struct domain *d, evtchn_port_t port)
{
	struct evtchn_close op = {.port = port};

	return call(d, EVTCHNOP_close, &op, sizeof(op));
}

static int64_t evt_send(struct domain *d, evtchn_port_t port)
{
	struct evtchn_send op = {.port = port};

	return call(d, EVTCHNOP_send, &op, sizeof(op));
}

static int64_t evt_unmask(struct domain *d, evtchn_port_t port)
{
	struct evtchn_unmask op = {.port = port};

	return call(d, EVTCHNOP_unmask, &op, sizeof(op));
}

static int64_t evt_status(struct domain *d, domid_t dom, evtchn_port_t port,
			  struct evtchn_status *st)
{
	memset(st, 0xa5, sizeof(*st));
	st->dom = dom;
	st->port = port;
	return call(d, EVTCHNOP_status, st, sizeof(*st));
}

static int64_t bind_vcpu(struct domain *d, evtchn_port_t port, uint32_t vcpu)
{
	struct evtchn_bind_vcpu op = {.port = port, .vcpu = vcpu};

	return call(d, EVTCHNOP_bind_vcpu, &op, sizeof(op));
}

static int64_t init_control(struct domain *d, uint64_t gfn, uint32_t offset,
			    uint32_t vcpu)
{
	struct evtchn_init_control op = {
		.control_gfn = gfn, .offset = offset, .vcpu = vcpu};
	int64_t rc = call(d, EVTCHNOP_init_control, &op, sizeof(op));

	if (rc == 0) {
		assert_int_equal(op.link_bits, EVTCHN_FIFO_LINK_BITS);
	}
	return rc;
}

static int64_t expand_array(struct domain *d, uint64_t gfn)
{
	struct evtchn_expand_array op = {.array_gfn = gfn};

	return call(d, EVTCHNOP_expand_array, &op, sizeof(op));
}

static int64_t set_priority(struct domain *d, evtchn_port_t port,
			    uint32_t priority)
{
	struct evtchn_set_priority op = {.port = port, .priority = priority};

	return call(d, EVTCHNOP_set_priority, &op, sizeof(op));
}

static int64_t evt_reset(struct domain *d, domid_t dom)
{
	struct evtchn_reset op = {.dom = dom};

	return call(d, EVTCHNOP_reset, &op, sizeof(op));
}

/* An interdomain channel: *p1 in d1, *p2 in d2. The binding raises *p2
 * once (as Xen does); that is acknowledged here. */
static void connect_pair(evtchn_port_t *p1, evtchn_port_t *p2)
{
	assert_int_equal(alloc_unbound(d1, 2, p1), 0);
	assert_int_equal(bind_interdomain(d2, 1, *p1, p2), 0);
}

/* --- Guest-visible 2-level state --- */

static bool pending_2l(const struct domain *d, evtchn_port_t port)
{
	return (d->shared_info->evtchn_pending[port / 64U] & BIT(port % 64U)) !=
	       0U;
}

static bool masked_2l(const struct domain *d, evtchn_port_t port)
{
	return (d->shared_info->evtchn_mask[port / 64U] & BIT(port % 64U)) !=
	       0U;
}

static void mask_2l(struct domain *d, evtchn_port_t port)
{
	d->shared_info->evtchn_mask[port / 64U] |= BIT(port % 64U);
}

static xen_ulong_t pending_sel(const struct vcpu *v)
{
	return v->vcpu_info->evtchn_pending_sel;
}

static uint8_t upcall_pending(const struct vcpu *v)
{
	return v->vcpu_info->evtchn_upcall_pending;
}

/* What a guest's upcall handler does: take all events of d. */
static void guest_handle_all(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		d->vcpus[i]->vcpu_info->evtchn_upcall_pending = 0;
		d->vcpus[i]->vcpu_info->evtchn_pending_sel = 0;
	}
	memset(d->shared_info->evtchn_pending, 0,
	       sizeof(d->shared_info->evtchn_pending));
}

/* --- Guest-visible FIFO state --- */

static event_word_t *fifo_word(struct domain *d, evtchn_port_t port)
{
	assert_true(port < (PAGE_SIZE / sizeof(event_word_t)));
	return (event_word_t *)(void *)&d->arch
		.ram[(ARRAY_GFN * PAGE_SIZE) + (port * sizeof(event_word_t))];
}

static struct evtchn_fifo_control_block *control_block(struct domain *d,
						       unsigned int vcpu)
{
	return (struct evtchn_fifo_control_block *)(void *)&d->arch
		.ram[(CB_GFN * PAGE_SIZE) + (vcpu * CB_STRIDE)];
}

static void enable_fifo(struct domain *d)
{
	assert_int_equal(init_control(d, CB_GFN, 0, 0), 0);
	assert_int_equal(init_control(d, CB_GFN, CB_STRIDE, 1), 0);
	assert_int_equal(expand_array(d, ARRAY_GFN), 0);
}

/* --- Tests: ports and binding --- */

static void test_port0_reserved(void **state)
{
	struct evtchn_status st;
	evtchn_port_t port;

	(void)state;
	assert_int_equal(evt_status(d1, DOMID_SELF, 0, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	assert_int_equal(evt_close(d1, 0), -EINVAL);
	assert_int_equal(evt_send(d1, 0), -EINVAL);
	assert_int_equal(bind_vcpu(d1, 0, 1), -EINVAL);
	assert_int_equal(alloc_unbound(d1, 2, &port), 0);
	assert_int_equal(port, 1);
}

static void test_alloc_unbound(void **state)
{
	struct evtchn_alloc_unbound op = {.dom = 2, .remote_dom = 2};
	struct evtchn_status st;
	evtchn_port_t port;

	(void)state;
	assert_int_equal(alloc_unbound(d1, 2, &port), 0);
	assert_int_equal(port, 1);
	assert_int_equal(evt_status(d1, DOMID_SELF, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 2);
	assert_int_equal(st.vcpu, 0);
	/* DOMID_SELF as the remote domain means the caller. */
	assert_int_equal(alloc_unbound(d1, DOMID_SELF, &port), 0);
	assert_int_equal(port, 2);
	assert_int_equal(evt_status(d1, 1, 2, &st), 0);
	assert_int_equal(st.u.unbound.dom, 1);
	/* Only for itself (by DOMID_SELF or its own ID). */
	assert_int_equal(call(d1, EVTCHNOP_alloc_unbound, &op, sizeof(op)),
			 -EPERM);
	op.dom = 1;
	assert_int_equal(call(d1, EVTCHNOP_alloc_unbound, &op, sizeof(op)), 0);
	assert_int_equal(op.port, 3);
	/* Sending on an unbound port goes nowhere. */
	assert_int_equal(evt_send(d1, 1), 0);
	assert_false(pending_2l(d1, 1));
	assert_int_equal(fake_evtchn_upcalls, 0);
}

/* xsm=silo: a domU talks only to itself and the control domain. */
static void test_silo_policy(void **state)
{
	struct evtchn_bind_interdomain bind = {.remote_dom = 2};
	evtchn_port_t port;

	(void)state;
	assert_int_equal(cmdline_parse("xsm=silo"), 0);
	assert_int_equal(alloc_unbound(d1, 2, &port), -EPERM);
	/* The remote domain must exist. */
	assert_int_equal(alloc_unbound(d1, 9, &port), -ESRCH);
	assert_int_equal(alloc_unbound(d1, DOMID_SELF, &port), 0);
	assert_int_equal(alloc_unbound(d2, 1, &port), -EPERM);
	d2->is_hardware_domain = true;
	assert_int_equal(alloc_unbound(d2, 1, &port), 0);
	bind.remote_port = port;
	assert_int_equal(
		call(d1, EVTCHNOP_bind_interdomain, &bind, sizeof(bind)), 0);
	d2->is_hardware_domain = false;
	assert_int_equal(alloc_unbound(d2, 1, &port), -EPERM);
	bind.remote_port = port;
	assert_int_equal(cmdline_parse("xsm=dummy"), 0);
	assert_int_equal(alloc_unbound(d2, 1, &port), 0);
	assert_int_equal(cmdline_parse("xsm=silo"), 0);
	bind.remote_port = port;
	assert_int_equal(call(d1, EVTCHNOP_bind_interdomain, &bind,
			      sizeof(bind)),
			 -EPERM);
	assert_int_equal(cmdline_parse("xsm=dummy"), 0);
}

static void test_interdomain_send_notifies_peer(void **state)
{
	struct evtchn_status st;
	evtchn_port_t p1;
	evtchn_port_t p2;

	(void)state;
	assert_int_equal(alloc_unbound(d1, 2, &p1), 0);
	assert_int_equal(bind_interdomain(d2, 1, p1, &p2), 0);
	assert_int_equal(p2, 1);
	/* Binding raises the new port once. */
	assert_true(pending_2l(d2, p2));
	assert_int_equal(fake_evtchn_upcalls, 1);
	assert_ptr_equal(fake_evtchn_upcall_vcpu, d2->vcpus[0]);
	assert_int_equal(evt_status(d1, DOMID_SELF, p1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 2);
	assert_int_equal(st.u.interdomain.port, p2);
	assert_int_equal(evt_status(d2, DOMID_SELF, p2, &st), 0);
	assert_int_equal(st.u.interdomain.dom, 1);
	assert_int_equal(st.u.interdomain.port, p1);

	assert_int_equal(evt_send(d2, p2), 0);
	assert_true(pending_2l(d1, p1));
	assert_int_equal(pending_sel(d1->vcpus[0]), 1U);
	assert_int_equal(upcall_pending(d1->vcpus[0]), 1);
	assert_int_equal(fake_evtchn_upcalls, 2);
	assert_ptr_equal(fake_evtchn_upcall_vcpu, d1->vcpus[0]);
	/* Still pending: no second upcall. */
	assert_int_equal(evt_send(d2, p2), 0);
	assert_int_equal(fake_evtchn_upcalls, 2);
	/* Handled by the guest: the next event raises the upcall again. */
	guest_handle_all(d1);
	assert_int_equal(evt_send(d2, p2), 0);
	assert_int_equal(fake_evtchn_upcalls, 3);
	/* And the other way. */
	guest_handle_all(d2);
	assert_int_equal(evt_send(d1, p1), 0);
	assert_true(pending_2l(d2, p2));
	assert_int_equal(fake_evtchn_upcalls, 4);
	assert_ptr_equal(fake_evtchn_upcall_vcpu, d2->vcpus[0]);
}

static void test_upcall_only_on_0_to_1(void **state)
{
	evtchn_port_t port;
	unsigned int i;

	(void)state;
	for (i = 1; i <= 70U; i++) {
		assert_int_equal(bind_ipi(d1, 0, &port), 0);
		assert_int_equal(port, i);
	}
	assert_int_equal(evt_send(d1, 1), 0);
	assert_int_equal(fake_evtchn_upcalls, 1);
	/* Another word: its selector bit is set, the upcall already is. */
	assert_int_equal(evt_send(d1, 65), 0);
	assert_int_equal(pending_sel(d1->vcpus[0]), 3U);
	assert_int_equal(fake_evtchn_upcalls, 1);
	/* The guest cleared upcall_pending but not yet word 1 of the
	 * selector: it will scan that word anyway, no upcall. */
	d1->vcpus[0]->vcpu_info->evtchn_upcall_pending = 0;
	assert_int_equal(evt_send(d1, 66), 0);
	assert_true(pending_2l(d1, 66));
	assert_int_equal(fake_evtchn_upcalls, 1);
	assert_int_equal(upcall_pending(d1->vcpus[0]), 0);
	/* Selector taken too: the next event makes upcall_pending 0 -> 1. */
	d1->vcpus[0]->vcpu_info->evtchn_pending_sel = 0;
	assert_int_equal(evt_send(d1, 67), 0);
	assert_int_equal(upcall_pending(d1->vcpus[0]), 1);
	assert_int_equal(fake_evtchn_upcalls, 2);
}

static void test_masked_port_notifies_on_unmask(void **state)
{
	evtchn_port_t p1;
	evtchn_port_t p2;

	(void)state;
	connect_pair(&p1, &p2);
	fake_evtchn_upcalls = 0;
	mask_2l(d1, p1);
	assert_int_equal(evt_send(d2, p2), 0);
	assert_true(pending_2l(d1, p1));
	assert_int_equal(pending_sel(d1->vcpus[0]), 0U);
	assert_int_equal(upcall_pending(d1->vcpus[0]), 0);
	assert_int_equal(fake_evtchn_upcalls, 0);

	assert_int_equal(evt_unmask(d1, p1), 0);
	assert_false(masked_2l(d1, p1));
	assert_int_equal(pending_sel(d1->vcpus[0]), 1U);
	assert_int_equal(upcall_pending(d1->vcpus[0]), 1);
	assert_int_equal(fake_evtchn_upcalls, 1);
	/* Unmasking a port with nothing pending raises nothing. */
	guest_handle_all(d1);
	mask_2l(d1, p1);
	assert_int_equal(evt_unmask(d1, p1), 0);
	assert_false(masked_2l(d1, p1));
	assert_int_equal(fake_evtchn_upcalls, 1);
}

static void test_close_interdomain_leaves_peer_unbound(void **state)
{
	struct evtchn_status st;
	evtchn_port_t p1;
	evtchn_port_t p2;
	evtchn_port_t again;

	(void)state;
	connect_pair(&p1, &p2);
	assert_int_equal(evt_send(d2, p2), 0);
	assert_true(pending_2l(d1, p1));
	assert_int_equal(evt_close(d1, p1), 0);
	/* Closed, and its pending event gone with it. */
	assert_false(pending_2l(d1, p1));
	assert_int_equal(evt_status(d1, DOMID_SELF, p1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	assert_int_equal(evt_status(d2, DOMID_SELF, p2, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
	assert_int_equal(evt_close(d1, p1), -EINVAL);
	/* The peer's sends go nowhere now. */
	guest_handle_all(d1);
	assert_int_equal(evt_send(d2, p2), 0);
	assert_false(pending_2l(d1, p1));

	/* d1 may bind to it again (and gets the lowest free port). */
	assert_int_equal(bind_interdomain(d1, 2, p2, &again), 0);
	assert_int_equal(again, p1);
	/* Closing the other end leaves d1's port waiting for d2. */
	assert_int_equal(evt_close(d2, p2), 0);
	assert_int_equal(evt_status(d1, DOMID_SELF, again, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 2);
	assert_int_equal(evt_status(d2, DOMID_SELF, p2, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	assert_int_equal(evt_close(d2, p2), -EINVAL);
	assert_int_equal(evt_close(d1, again), 0);
}

static void test_loopback_channel(void **state)
{
	struct evtchn_status st;
	evtchn_port_t a;
	evtchn_port_t b;

	(void)state;
	assert_int_equal(alloc_unbound(d1, DOMID_SELF, &a), 0);
	assert_int_equal(bind_interdomain(d1, DOMID_SELF, a, &b), 0);
	assert_int_not_equal(a, b);
	guest_handle_all(d1);
	assert_int_equal(evt_send(d1, a), 0);
	assert_true(pending_2l(d1, b));
	assert_false(pending_2l(d1, a));
	assert_int_equal(evt_send(d1, b), 0);
	assert_true(pending_2l(d1, a));
	assert_int_equal(evt_close(d1, a), 0);
	assert_int_equal(evt_status(d1, DOMID_SELF, b, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
}

static void test_bind_interdomain_errors(void **state)
{
	evtchn_port_t for_d3;
	evtchn_port_t ipi;
	evtchn_port_t p1;
	evtchn_port_t port;

	(void)state;
	assert_int_equal(bind_interdomain(d2, 77, 1, &port), -ESRCH);
	assert_int_equal(alloc_unbound(d1, 3, &for_d3), 0);
	assert_int_equal(bind_interdomain(d2, 1, for_d3, &port), -EINVAL);
	assert_int_equal(bind_interdomain(d2, 1, 0, &port), -EINVAL);
	assert_int_equal(bind_interdomain(d2, 1, 5000, &port), -EINVAL);
	assert_int_equal(bind_interdomain(d2, 1, 100, &port), -EINVAL);
	assert_int_equal(bind_ipi(d1, 0, &ipi), 0);
	assert_int_equal(bind_interdomain(d2, 1, ipi, &port), -EINVAL);
	/* Only once. */
	assert_int_equal(alloc_unbound(d1, 2, &p1), 0);
	assert_int_equal(bind_interdomain(d2, 1, p1, &port), 0);
	assert_int_equal(port, 1); /* the failures took no port */
	assert_int_equal(bind_interdomain(d2, 1, p1, &port), -EINVAL);
}

static void test_bind_virq(void **state)
{
	struct evtchn_status st;
	evtchn_port_t console;
	evtchn_port_t timer1;
	evtchn_port_t timer0;
	evtchn_port_t port;

	(void)state;
	assert_int_equal(bind_virq(d1, VIRQ_CONSOLE, 0, &console), 0);
	assert_int_equal(bind_virq(d1, VIRQ_CONSOLE, 0, &port), -EEXIST);
	/* Global VIRQs are bound on vCPU 0 only. */
	assert_int_equal(bind_virq(d1, VIRQ_CONSOLE, 1, &port), -EINVAL);
	assert_int_equal(bind_virq(d1, VIRQ_DOM_EXC, 1, &port), -EINVAL);
	/* Per-vCPU VIRQs once per vCPU. */
	assert_int_equal(bind_virq(d1, VIRQ_TIMER, 1, &timer1), 0);
	assert_int_equal(bind_virq(d1, VIRQ_TIMER, 1, &port), -EEXIST);
	assert_int_equal(bind_virq(d1, VIRQ_TIMER, 0, &timer0), 0);
	assert_int_equal(bind_virq(d1, VIRQ_TIMER, 2, &port), -ENOENT);
	assert_int_equal(bind_virq(d1, NR_VIRQS, 0, &port), -EINVAL);
	assert_int_equal(bind_virq(d1, UINT32_MAX, 0, &port), -EINVAL);
	assert_int_equal(evt_status(d1, DOMID_SELF, console, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_virq);
	assert_int_equal(st.u.virq, VIRQ_CONSOLE);
	assert_int_equal(st.vcpu, 0);
	assert_int_equal(evt_status(d1, DOMID_SELF, timer1, &st), 0);
	assert_int_equal(st.vcpu, 1);
	/* Guests cannot send on VIRQ ports. */
	assert_int_equal(evt_send(d1, console), -EINVAL);
	assert_int_equal(fake_evtchn_upcalls, 0);
}

static void test_send_virq(void **state)
{
	evtchn_port_t console;
	evtchn_port_t timer1;
	evtchn_port_t port;

	(void)state;
	assert_int_equal(bind_virq(d1, VIRQ_CONSOLE, 0, &console), 0);
	assert_int_equal(bind_virq(d1, VIRQ_TIMER, 1, &timer1), 0);
	assert_int_equal(evtchn_send_virq(d1, VIRQ_CONSOLE), 0);
	assert_true(pending_2l(d1, console));
	assert_ptr_equal(fake_evtchn_upcall_vcpu, d1->vcpus[0]);
	assert_int_equal(fake_evtchn_upcalls, 1);
	/* The wrong kind of VIRQ for the call. */
	assert_int_equal(evtchn_send_virq(d1, VIRQ_TIMER), -EINVAL);
	assert_false(pending_2l(d1, timer1));
	assert_int_equal(evtchn_send_virq(d1, NR_VIRQS), -EINVAL);
	/* Not bound: nothing happens. */
	guest_handle_all(d1);
	assert_int_equal(evtchn_send_virq(d1, VIRQ_DOM_EXC), 0);
	assert_int_equal(evtchn_send_virq(d2, VIRQ_CONSOLE), 0);
	assert_int_equal(fake_evtchn_upcalls, 1);
	/* Closing unbinds the VIRQ; it can be bound again. */
	assert_int_equal(evt_close(d1, console), 0);
	assert_int_equal(evtchn_send_virq(d1, VIRQ_CONSOLE), 0);
	assert_false(pending_2l(d1, console));
	assert_int_equal(bind_virq(d1, VIRQ_CONSOLE, 0, &port), 0);
	assert_int_equal(port, console);
}

static void test_ipi(void **state)
{
	struct evtchn_status st;
	evtchn_port_t port;
	evtchn_port_t bad;

	(void)state;
	assert_int_equal(bind_ipi(d1, 1, &port), 0);
	assert_int_equal(evt_status(d1, DOMID_SELF, port, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_ipi);
	assert_int_equal(st.vcpu, 1);
	assert_int_equal(evt_send(d1, port), 0);
	assert_true(pending_2l(d1, port));
	assert_int_equal(pending_sel(d1->vcpus[1]), 1U);
	assert_int_equal(upcall_pending(d1->vcpus[1]), 1);
	assert_int_equal(upcall_pending(d1->vcpus[0]), 0);
	assert_int_equal(fake_evtchn_upcalls, 1);
	assert_ptr_equal(fake_evtchn_upcall_vcpu, d1->vcpus[1]);
	assert_int_equal(bind_ipi(d1, 2, &bad), -ENOENT);
	assert_int_equal(bind_ipi(d1, UINT32_MAX, &bad), -ENOENT);
	/* IPIs stay on their vCPU. */
	assert_int_equal(bind_vcpu(d1, port, 0), -EINVAL);
	assert_int_equal(evt_close(d1, port), 0);
}

static void test_bind_vcpu(void **state)
{
	struct evtchn_status st;
	evtchn_port_t console;
	evtchn_port_t unbound;
	evtchn_port_t timer;
	evtchn_port_t p1;
	evtchn_port_t p2;

	(void)state;
	connect_pair(&p1, &p2);
	assert_int_equal(bind_vcpu(d1, p1, 1), 0);
	assert_int_equal(evt_status(d1, DOMID_SELF, p1, &st), 0);
	assert_int_equal(st.vcpu, 1);
	assert_int_equal(evt_send(d2, p2), 0);
	assert_int_equal(upcall_pending(d1->vcpus[1]), 1);
	assert_int_equal(upcall_pending(d1->vcpus[0]), 0);
	assert_ptr_equal(fake_evtchn_upcall_vcpu, d1->vcpus[1]);
	assert_int_equal(bind_vcpu(d1, p1, 2), -ENOENT);
	/* Per-vCPU VIRQs stay; global ones move. */
	assert_int_equal(bind_virq(d1, VIRQ_TIMER, 0, &timer), 0);
	assert_int_equal(bind_vcpu(d1, timer, 1), -EINVAL);
	assert_int_equal(bind_virq(d1, VIRQ_CONSOLE, 0, &console), 0);
	assert_int_equal(bind_vcpu(d1, console, 1), 0);
	guest_handle_all(d1);
	assert_int_equal(evtchn_send_virq(d1, VIRQ_CONSOLE), 0);
	assert_int_equal(upcall_pending(d1->vcpus[1]), 1);
	assert_int_equal(upcall_pending(d1->vcpus[0]), 0);
	/* Unbound ports too. */
	assert_int_equal(alloc_unbound(d1, 2, &unbound), 0);
	assert_int_equal(bind_vcpu(d1, unbound, 1), 0);
}

static void test_status_of_other_domains(void **state)
{
	struct evtchn_status st;
	evtchn_port_t p1;

	(void)state;
	assert_int_equal(alloc_unbound(d1, 2, &p1), 0);
	assert_int_equal(evt_status(d2, 1, p1, &st), -EPERM);
	d2->is_hardware_domain = true;
	assert_int_equal(evt_status(d2, 1, p1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 2);
	assert_int_equal(evt_status(d2, 77, 1, &st), -ESRCH);
	assert_int_equal(evt_status(d2, DOMID_SELF, 5000, &st), -EINVAL);
}

static void test_2l_port_limit(void **state)
{
	evtchn_port_t port;
	unsigned int i;

	(void)state;
	for (i = 1; i < EVTCHN_2L_NR_CHANNELS; i++) {
		assert_int_equal(bind_ipi(d1, 0, &port), 0);
		assert_int_equal(port, i);
	}
	assert_int_equal(bind_ipi(d1, 0, &port), -ENOSPC);
	assert_int_equal(alloc_unbound(d1, 2, &port), -ENOSPC);
	assert_int_equal(bind_virq(d1, VIRQ_CONSOLE, 0, &port), -ENOSPC);
	/* The highest port works like any other. */
	assert_int_equal(evt_send(d1, EVTCHN_2L_NR_CHANNELS - 1U), 0);
	assert_true(pending_2l(d1, EVTCHN_2L_NR_CHANNELS - 1U));
	assert_int_equal(pending_sel(d1->vcpus[0]), BIT(63));
	/* A closed port is handed out again. */
	assert_int_equal(evt_close(d1, 100), 0);
	assert_int_equal(bind_ipi(d1, 1, &port), 0);
	assert_int_equal(port, 100);
}

static void test_dying_domain_gets_no_ports(void **state)
{
	evtchn_port_t port;

	(void)state;
	d1->is_dying = true;
	assert_int_equal(alloc_unbound(d1, 2, &port), -EINVAL);
	assert_int_equal(bind_ipi(d1, 0, &port), -EINVAL);
	d1->is_dying = false;
}

/* --- Tests: hostile arguments --- */

/* Everything a call could change: guest RAM, shared_info, upcalls. */
struct snapshot {
	uint8_t ram[GUEST_RAM];
	uint8_t shared[PAGE_SIZE];
	unsigned int upcalls;
};

static struct snapshot before;

static void take_snapshot(struct snapshot *s, const struct domain *d)
{
	memcpy(s->ram, d->arch.ram, GUEST_RAM);
	memcpy(s->shared, d->shared_info, sizeof(*d->shared_info));
	s->upcalls = fake_evtchn_upcalls;
}

static void assert_unchanged(const struct snapshot *s, const struct domain *d)
{
	/* The argument itself is the caller's to lose. */
	assert_memory_equal(s->ram, d->arch.ram, ARG);
	assert_memory_equal(&s->ram[ARG + 64U], &d->arch.ram[ARG + 64U],
			    GUEST_RAM - ARG - 64U);
	assert_memory_equal(s->shared, d->shared_info, sizeof(*d->shared_info));
	assert_int_equal(s->upcalls, fake_evtchn_upcalls);
}

static void test_bad_ports_change_nothing(void **state)
{
	static const evtchn_port_t bad[] = {
		128, 4095, 4096, 5000, EVTCHN_FIFO_MAX_PORTS, UINT32_MAX};
	struct evtchn_status st;
	evtchn_port_t p1;
	evtchn_port_t p2;
	size_t i;

	(void)state;
	connect_pair(&p1, &p2);
	mask_2l(d1, p1);
	assert_int_equal(evt_send(d2, p2), 0); /* pending, masked */
	take_snapshot(&before, d1);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(evt_send(d1, bad[i]), -EINVAL);
		assert_int_equal(evt_close(d1, bad[i]), -EINVAL);
		assert_int_equal(evt_unmask(d1, bad[i]), -EINVAL);
		assert_int_equal(bind_vcpu(d1, bad[i], 1), -EINVAL);
		assert_int_equal(set_priority(d1, bad[i], 0), -EINVAL);
		assert_int_equal(evt_status(d1, DOMID_SELF, bad[i], &st),
				 -EINVAL);
	}
	/* A free port in an allocated bucket. */
	assert_int_equal(evt_send(d1, 5), -EINVAL);
	assert_int_equal(evt_close(d1, 5), -EINVAL);
	assert_int_equal(bind_vcpu(d1, 5, 1), -EINVAL);
	assert_int_equal(evt_status(d1, DOMID_SELF, 5, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	assert_unchanged(&before, d1);
	assert_int_equal(evt_status(d1, DOMID_SELF, p1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
}

static void test_hostile_addresses_fault(void **state)
{
	static const uint64_t gvas[] = {GUEST_RAM - 1U, GUEST_RAM,
					UINT64_MAX - 3U, 1ULL << 40};
	struct evtchn_status st;
	evtchn_port_t port;
	unsigned int cmd;
	size_t i;

	(void)state;
	take_snapshot(&before, d1);
	for (cmd = EVTCHNOP_bind_interdomain; cmd <= EVTCHNOP_set_priority;
	     cmd++) {
		if (cmd == EVTCHNOP_bind_pirq) {
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(gvas); i++) {
			assert_int_equal(call_at(d1, cmd, gvas[i]), -EFAULT);
		}
	}
	assert_unchanged(&before, d1);
	/* No port was taken and the domain is still on 2-level. */
	assert_int_equal(evt_status(d1, DOMID_SELF, 1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	assert_int_equal(expand_array(d1, ARRAY_GFN), -EOPNOTSUPP);
	assert_int_equal(bind_ipi(d1, 0, &port), 0);
	assert_int_equal(port, 1);
}

static void test_unknown_ops(void **state)
{
	uint32_t arg[4] = {0};

	(void)state;
	/* As Xen on Arm, which checks a PIRQ against its limit, then cannot
	 * make one. */
	assert_int_equal(call(d1, EVTCHNOP_bind_pirq, arg, sizeof(arg)),
			 -ENOMEM);
	arg[0] = 1024;
	assert_int_equal(call(d1, EVTCHNOP_bind_pirq, arg, sizeof(arg)),
			 -EINVAL);
	assert_int_equal(call(d1, 99, arg, sizeof(arg)), -ENOSYS);
	assert_int_equal(call_at(d1, 1U << 31, ARG), -ENOSYS);
}

/* --- Tests: FIFO --- */

static void test_fifo_send_links_into_queue(void **state)
{
	struct evtchn_fifo_control_block *cb = control_block(d1, 0);
	evtchn_port_t p;
	evtchn_port_t q;
	evtchn_port_t r;

	(void)state;
	enable_fifo(d1);
	assert_int_equal(bind_ipi(d1, 0, &p), 0);
	assert_int_equal(bind_ipi(d1, 0, &q), 0);
	assert_int_equal(evt_send(d1, p), 0);
	assert_int_equal(*fifo_word(d1, p), WORD_PENDING | WORD_LINKED);
	assert_int_equal(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], p);
	assert_int_equal(cb->ready, BIT(EVTCHN_FIFO_PRIORITY_DEFAULT));
	assert_int_equal(upcall_pending(d1->vcpus[0]), 1);
	assert_int_equal(fake_evtchn_upcalls, 1);
	/* The second event goes behind the first. */
	assert_int_equal(evt_send(d1, q), 0);
	assert_int_equal(*fifo_word(d1, p), WORD_PENDING | WORD_LINKED | q);
	assert_int_equal(*fifo_word(d1, q), WORD_PENDING | WORD_LINKED);
	assert_int_equal(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], p);
	assert_int_equal(fake_evtchn_upcalls, 1);
	/* Sending again changes nothing. */
	assert_int_equal(evt_send(d1, p), 0);
	assert_int_equal(*fifo_word(d1, p), WORD_PENDING | WORD_LINKED | q);
	/* Another priority: another queue and ready bit. */
	assert_int_equal(bind_ipi(d1, 0, &r), 0);
	assert_int_equal(set_priority(d1, r, 3), 0);
	assert_int_equal(set_priority(d1, r, EVTCHN_FIFO_PRIORITY_MIN + 1),
			 -EINVAL);
	d1->vcpus[0]->vcpu_info->evtchn_upcall_pending = 0;
	assert_int_equal(evt_send(d1, r), 0);
	assert_int_equal(cb->head[3], r);
	assert_int_equal(cb->ready, BIT(3) | BIT(EVTCHN_FIFO_PRIORITY_DEFAULT));
	assert_int_equal(fake_evtchn_upcalls, 2);
	/* Nothing reached the 2-level bitmaps. */
	assert_false(pending_2l(d1, p));
}

static void test_fifo_other_vcpu_queue(void **state)
{
	struct evtchn_fifo_control_block *cb1 = control_block(d1, 1);
	evtchn_port_t p;

	(void)state;
	enable_fifo(d1);
	assert_int_equal(bind_ipi(d1, 1, &p), 0);
	assert_int_equal(evt_send(d1, p), 0);
	assert_int_equal(cb1->head[EVTCHN_FIFO_PRIORITY_DEFAULT], p);
	assert_int_equal(cb1->ready, BIT(EVTCHN_FIFO_PRIORITY_DEFAULT));
	assert_int_equal(control_block(d1, 0)->ready, 0);
	assert_ptr_equal(fake_evtchn_upcall_vcpu, d1->vcpus[1]);
}

static void test_fifo_consumed_tail_starts_new_queue(void **state)
{
	struct evtchn_fifo_control_block *cb = control_block(d1, 0);
	evtchn_port_t p;
	evtchn_port_t q;

	(void)state;
	enable_fifo(d1);
	assert_int_equal(bind_ipi(d1, 0, &p), 0);
	assert_int_equal(bind_ipi(d1, 0, &q), 0);
	assert_int_equal(evt_send(d1, p), 0);
	/* The guest takes p: queue empty, ready bit and upcall cleared. */
	*fifo_word(d1, p) = 0;
	cb->ready = 0;
	d1->vcpus[0]->vcpu_info->evtchn_upcall_pending = 0;
	assert_int_equal(evt_send(d1, q), 0);
	assert_int_equal(*fifo_word(d1, p), 0);
	assert_int_equal(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], q);
	assert_int_equal(cb->ready, BIT(EVTCHN_FIFO_PRIORITY_DEFAULT));
	assert_int_equal(fake_evtchn_upcalls, 2);
}

/* An event that moves to another queue must not stay that queue's tail:
 * the next event of the old queue would be linked behind it. */
static void test_fifo_event_moving_queue_leaves_old_tail(void **state)
{
	struct evtchn_fifo_control_block *cb = control_block(d1, 0);
	evtchn_port_t p;
	evtchn_port_t q;

	(void)state;
	enable_fifo(d1);
	assert_int_equal(bind_ipi(d1, 0, &p), 0);
	assert_int_equal(bind_ipi(d1, 0, &q), 0);
	assert_int_equal(evt_send(d1, p), 0);
	/* The guest takes p; p moves to priority 3 and is raised again. */
	*fifo_word(d1, p) = 0;
	cb->ready = 0;
	assert_int_equal(set_priority(d1, p, 3), 0);
	assert_int_equal(evt_send(d1, p), 0);
	assert_int_equal(cb->head[3], p);
	/* q starts the default queue afresh instead of following p. */
	assert_int_equal(evt_send(d1, q), 0);
	assert_int_equal(*fifo_word(d1, p), WORD_PENDING | WORD_LINKED);
	assert_int_equal(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], q);
	assert_int_equal(cb->ready, BIT(3) | BIT(EVTCHN_FIFO_PRIORITY_DEFAULT));
}

/* A closed port still linked in a queue is not handed out again until the
 * guest has taken it off the queue. */
static void test_fifo_linked_port_not_reused(void **state)
{
	evtchn_port_t p;
	evtchn_port_t port;

	(void)state;
	enable_fifo(d1);
	assert_int_equal(bind_ipi(d1, 0, &p), 0);
	assert_int_equal(evt_send(d1, p), 0);
	assert_int_equal(evt_close(d1, p), 0);
	/* Closing cleared PENDING; LINKED is the guest's to clear. */
	assert_int_equal(*fifo_word(d1, p), WORD_LINKED);
	assert_int_equal(bind_ipi(d1, 0, &port), 0);
	assert_int_not_equal(port, p);
	*fifo_word(d1, p) = 0;
	assert_int_equal(bind_ipi(d1, 0, &port), 0);
	assert_int_equal(port, p);
}

static void test_fifo_masked_until_unmask(void **state)
{
	struct evtchn_fifo_control_block *cb = control_block(d1, 0);
	evtchn_port_t p;

	(void)state;
	enable_fifo(d1);
	assert_int_equal(bind_ipi(d1, 0, &p), 0);
	*fifo_word(d1, p) = WORD_MASKED;
	assert_int_equal(evt_send(d1, p), 0);
	assert_int_equal(*fifo_word(d1, p), WORD_MASKED | WORD_PENDING);
	assert_int_equal(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], 0);
	assert_int_equal(cb->ready, 0);
	assert_int_equal(fake_evtchn_upcalls, 0);
	assert_int_equal(evt_unmask(d1, p), 0);
	assert_int_equal(*fifo_word(d1, p), WORD_PENDING | WORD_LINKED);
	assert_int_equal(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], p);
	assert_int_equal(fake_evtchn_upcalls, 1);
}

static void test_fifo_bad_init_control(void **state)
{
	evtchn_port_t p;

	(void)state;
	/* Misaligned, crossing the page end, far outside it. */
	assert_int_equal(init_control(d1, CB_GFN, 4, 0), -EINVAL);
	assert_int_equal(init_control(d1, CB_GFN, PAGE_SIZE - 8U, 0), -EINVAL);
	assert_int_equal(init_control(d1, CB_GFN, PAGE_SIZE, 0), -EINVAL);
	assert_int_equal(init_control(d1, CB_GFN, UINT32_MAX - 7U, 0), -EINVAL);
	/* No such vCPU; frames that are not the domain's RAM. */
	assert_int_equal(init_control(d1, CB_GFN, 0, 2), -ENOENT);
	assert_int_equal(init_control(d1, GUEST_RAM / PAGE_SIZE, 0, 0),
			 -EINVAL);
	assert_int_equal(init_control(d1, UINT64_MAX, 0, 0), -EINVAL);
	/* Still 2-level. */
	assert_int_equal(expand_array(d1, ARRAY_GFN), -EOPNOTSUPP);
	assert_int_equal(bind_ipi(d1, 0, &p), 0);
	assert_int_equal(set_priority(d1, p, 3), -ENOSYS);
	assert_int_equal(evt_send(d1, p), 0);
	assert_true(pending_2l(d1, p));
	/* Once per vCPU; event-array pages must be RAM. */
	assert_int_equal(init_control(d1, CB_GFN, 0, 0), 0);
	assert_int_equal(init_control(d1, CB_GFN, 0, 0), -EINVAL);
	assert_int_equal(expand_array(d1, GUEST_RAM / PAGE_SIZE), -EINVAL);
	assert_int_equal(expand_array(d1, ARRAY_GFN), 0);
}

static void test_fifo_switch_keeps_bound_ports(void **state)
{
	struct evtchn_fifo_control_block *cb = control_block(d1, 0);
	struct evtchn_status st;
	evtchn_port_t console;
	evtchn_port_t p1;
	evtchn_port_t p2;

	(void)state;
	connect_pair(&p1, &p2);
	assert_int_equal(bind_virq(d1, VIRQ_CONSOLE, 0, &console), 0);
	assert_int_equal(evt_send(d2, p2), 0);
	assert_true(pending_2l(d1, p1));
	assert_int_equal(init_control(d1, CB_GFN, 0, 0), 0);
	/* The pending event moved over; it waits for its event word. */
	assert_false(pending_2l(d1, p1));
	assert_int_equal(evt_status(d1, DOMID_SELF, p1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.port, p2);
	guest_handle_all(d1);
	fake_evtchn_upcalls = 0;
	assert_int_equal(evtchn_send_virq(d1, VIRQ_CONSOLE), 0);
	assert_int_equal(fake_evtchn_upcalls, 0);
	assert_int_equal(expand_array(d1, ARRAY_GFN), 0);
	/* Both raised, in port order. */
	assert_int_equal(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], p1);
	assert_int_equal(*fifo_word(d1, p1),
			 WORD_PENDING | WORD_LINKED | console);
	assert_int_equal(*fifo_word(d1, console), WORD_PENDING | WORD_LINKED);
	assert_int_equal(fake_evtchn_upcalls, 1);
	/* The channel works both ways, d2 still on 2-level. */
	guest_handle_all(d2);
	assert_int_equal(evt_send(d1, p1), 0);
	assert_true(pending_2l(d2, p2));
	*fifo_word(d1, p1) = 0;
	*fifo_word(d1, console) = 0;
	assert_int_equal(evt_send(d2, p2), 0);
	assert_int_equal(*fifo_word(d1, p1), WORD_PENDING | WORD_LINKED);
}

static void test_fifo_more_ports_than_2l(void **state)
{
	evtchn_port_t port;
	unsigned int i;

	(void)state;
	enable_fifo(d1);
	for (i = 1; i <= EVTCHN_2L_NR_CHANNELS + 10U; i++) {
		assert_int_equal(bind_ipi(d1, 0, &port), 0);
		assert_int_equal(port, i);
	}
	/* No event word yet for a port beyond the array: kept pending. */
	assert_int_equal(evt_send(d1, port), 0);
	assert_int_equal(fake_evtchn_upcalls, 0);
	assert_int_equal(evt_close(d1, port), 0);
}

static void test_fifo_event_array_limit(void **state)
{
	unsigned int i;

	(void)state;
	assert_int_equal(init_control(d1, CB_GFN, 0, 0), 0);
	for (i = 0; i < EVTCHN_FIFO_MAX_PORTS / 1024U; i++) {
		assert_int_equal(expand_array(d1, ARRAY_GFN), 0);
	}
	assert_int_equal(expand_array(d1, ARRAY_GFN), -ENOSPC);
}

/* --- Tests: reset and destroy --- */

static void test_reset(void **state)
{
	struct evtchn_status st;
	evtchn_port_t p1;
	evtchn_port_t p2;

	(void)state;
	connect_pair(&p1, &p2);
	enable_fifo(d1);
	assert_int_equal(evt_reset(d1, 2), -EPERM);
	assert_int_equal(evt_reset(d1, DOMID_SELF), 0);
	assert_int_equal(evt_status(d1, DOMID_SELF, p1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	assert_int_equal(evt_status(d2, DOMID_SELF, p2, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
	/* Back on 2-level, and FIFO can be set up again. */
	assert_int_equal(expand_array(d1, ARRAY_GFN), -EOPNOTSUPP);
	assert_int_equal(init_control(d1, CB_GFN, 0, 0), 0);
	assert_int_equal(expand_array(d1, ARRAY_GFN), 0);
}

/* Back on 2-level after using more than 4096 ports under FIFO: the ports
 * above 4095 are gone (2-level has no bits for them). */
static void test_reset_from_fifo_limits_ports_again(void **state)
{
	evtchn_port_t port;
	unsigned int i;

	(void)state;
	enable_fifo(d1);
	for (i = 1; i <= EVTCHN_2L_NR_CHANNELS + 4U; i++) {
		assert_int_equal(bind_ipi(d1, 0, &port), 0);
	}
	assert_int_equal(evt_reset(d1, DOMID_SELF), 0);
	assert_int_equal(evt_unmask(d1, EVTCHN_2L_NR_CHANNELS + 1U), -EINVAL);
	assert_int_equal(bind_vcpu(d1, EVTCHN_2L_NR_CHANNELS, 0), -EINVAL);
	for (i = 1; i < EVTCHN_2L_NR_CHANNELS; i++) {
		assert_int_equal(bind_ipi(d1, 0, &port), 0);
		assert_int_equal(port, i);
	}
	assert_int_equal(bind_ipi(d1, 0, &port), -ENOSPC);
}

static void test_destroy_unbinds_peers(void **state)
{
	struct evtchn_status st;
	evtchn_port_t p1;
	evtchn_port_t p2;
	uint32_t arg = 0;

	(void)state;
	connect_pair(&p1, &p2);
	evtchn_domain_destroy(d1);
	assert_null(d1->evtchn);
	assert_int_equal(evt_status(d2, DOMID_SELF, p2, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
	assert_int_equal(call(d1, EVTCHNOP_send, &arg, sizeof(arg)), -ENOSYS);
	/* A domain without event channels is not there to bind to. */
	assert_int_equal(bind_interdomain(d2, 1, p1, &p2), -ESRCH);
	assert_int_equal(evtchn_send_virq(d1, VIRQ_CONSOLE), 0);
}

/* Run test with every load/store-exclusive attempt on guest memory failing,
 * as if the guest stored to each word all the time: each guest atomic
 * then completes through the pause of its owner (core/guest-atomics.c),
 * and the results must be the same. */
static void contended(void (*test)(void **), void **state)
{
	uint64_t pauses = guest_atomic_pauses;

	fake_guest_atomic_failures = UINT_MAX;
	test(state);
	fake_guest_atomic_failures = 0;
	assert_true(guest_atomic_pauses > pauses);
}

static void test_upcall_only_on_0_to_1_contended(void **state)
{
	contended(test_upcall_only_on_0_to_1, state);
}

static void test_masked_port_notifies_on_unmask_contended(void **state)
{
	contended(test_masked_port_notifies_on_unmask, state);
}

static void test_fifo_send_links_into_queue_contended(void **state)
{
	contended(test_fifo_send_links_into_queue, state);
}

static void test_fifo_masked_until_unmask_contended(void **state)
{
	contended(test_fifo_masked_until_unmask, state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_port0_reserved, setup),
		cmocka_unit_test_setup(test_alloc_unbound, setup),
		cmocka_unit_test_setup(test_silo_policy, setup),
		cmocka_unit_test_setup(test_interdomain_send_notifies_peer,
				       setup),
		cmocka_unit_test_setup(test_upcall_only_on_0_to_1, setup),
		cmocka_unit_test_setup(test_masked_port_notifies_on_unmask,
				       setup),
		cmocka_unit_test_setup(
			test_close_interdomain_leaves_peer_unbound, setup),
		cmocka_unit_test_setup(test_loopback_channel, setup),
		cmocka_unit_test_setup(test_bind_interdomain_errors, setup),
		cmocka_unit_test_setup(test_bind_virq, setup),
		cmocka_unit_test_setup(test_send_virq, setup),
		cmocka_unit_test_setup(test_ipi, setup),
		cmocka_unit_test_setup(test_bind_vcpu, setup),
		cmocka_unit_test_setup(test_status_of_other_domains, setup),
		cmocka_unit_test_setup(test_2l_port_limit, setup),
		cmocka_unit_test_setup(test_dying_domain_gets_no_ports, setup),
		cmocka_unit_test_setup(test_bad_ports_change_nothing, setup),
		cmocka_unit_test_setup(test_hostile_addresses_fault, setup),
		cmocka_unit_test_setup(test_unknown_ops, setup),
		cmocka_unit_test_setup(test_fifo_send_links_into_queue, setup),
		cmocka_unit_test_setup(test_fifo_other_vcpu_queue, setup),
		cmocka_unit_test_setup(test_fifo_consumed_tail_starts_new_queue,
				       setup),
		cmocka_unit_test_setup(
			test_fifo_event_moving_queue_leaves_old_tail, setup),
		cmocka_unit_test_setup(test_fifo_linked_port_not_reused, setup),
		cmocka_unit_test_setup(test_fifo_masked_until_unmask, setup),
		cmocka_unit_test_setup(test_fifo_bad_init_control, setup),
		cmocka_unit_test_setup(test_fifo_switch_keeps_bound_ports,
				       setup),
		cmocka_unit_test_setup(test_fifo_more_ports_than_2l, setup),
		cmocka_unit_test_setup(test_fifo_event_array_limit, setup),
		cmocka_unit_test_setup(test_reset, setup),
		cmocka_unit_test_setup(test_reset_from_fifo_limits_ports_again,
				       setup),
		cmocka_unit_test_setup(test_destroy_unbinds_peers, setup),
		cmocka_unit_test_setup(test_upcall_only_on_0_to_1_contended,
				       setup),
		cmocka_unit_test_setup(
			test_masked_port_notifies_on_unmask_contended, setup),
		cmocka_unit_test_setup(
			test_fifo_send_links_into_queue_contended, setup),
		cmocka_unit_test_setup(test_fifo_masked_until_unmask_contended,
				       setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
