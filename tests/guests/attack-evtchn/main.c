/*
 * attack-evtchn: event-channel calls with hostile arguments, each answered
 * with Xen 4.17's error, and the domain's events still work afterwards:
 *  - ports 0 (reserved), 0x7fffffff, ~0 for send/close/status/unmask/
 *    bind_vcpu; vCPUs past the domain's for bind_virq/bind_vcpu/
 *    init_control; virq numbers out of range; domains that do not exist
 *    (XSA-343/XSA-344-like event channel state confusion);
 *  - EVTCHNOP_init_control (FIFO) with the control block unaligned, past
 *    the page, on the GIC distributor, in a hole, at a huge gfn: -EINVAL,
 *    and the domain stays on the 2-level ABI (XSA-311-like);
 *  - FIFO set up, EVTCHNOP_expand_array on MMIO/holes (-EINVAL) and past
 *    the hypervisor's limit (-ENOSPC): Xen 4.17 takes the 128 pages of
 *    2^17 events, Xenon 32 pages (its limit of 32768 ports);
 *  - EVTCHNOP_reset while a loopback event is pending and linked on a FIFO
 *    queue: the domain is back on the 2-level ABI with every port closed.
 * A loopback event (alloc_unbound + bind_interdomain to itself) is checked
 * to arrive (pending bit set) before and after each group.
 */
#include <xtf.h>
#include <xtf/xenmem.h>
#include <xen/event_channel.h>

const char test_title[] = "Attack: event channel fuzz, FIFO control and "
			  "reset (XSA-311/343/344-like)";

#define PAGE_SIZE 4096UL
#define SHINFO_GPA (XTF_FREE_GPA + 0x00100000UL)
#define HOLE_GPA (XTF_FREE_GPA + 0x00200000UL)
#define ARRAY_PAGES 128U /* EVTCHN_FIFO_NR_CHANNELS / words per page */
#define WORDS_PER_PAGE (PAGE_SIZE / sizeof(event_word_t))

static uint8_t control[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint32_t array[ARRAY_PAGES + 1][WORDS_PER_PAGE] __aligned(PAGE_SIZE);
static volatile struct shared_info *const shinfo =
	(volatile struct shared_info *)SHINFO_GPA;
static bool fifo;

static long op(unsigned int cmd, void *arg)
{
	return HYPERVISOR_event_channel_op(cmd, arg);
}

static bool expect(const char *what, long got, long want)
{
	if (got == want) {
		return true;
	}
	xtf_failure("%s: %ld, want %ld", what, got, want);
	return false;
}

static long send(evtchn_port_t port)
{
	struct evtchn_send a = {.port = port};

	return op(EVTCHNOP_send, &a);
}

static long close_port(evtchn_port_t port)
{
	struct evtchn_close a = {.port = port};

	return op(EVTCHNOP_close, &a);
}

static long status(evtchn_port_t port, uint32_t *state)
{
	struct evtchn_status a = {.dom = DOMID_SELF, .port = port};
	long rc = op(EVTCHNOP_status, &a);

	*state = a.status;
	return rc;
}

static long unmask(evtchn_port_t port)
{
	struct evtchn_unmask a = {.port = port};

	return op(EVTCHNOP_unmask, &a);
}

static long bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
	struct evtchn_bind_vcpu a = {.port = port, .vcpu = vcpu};

	return op(EVTCHNOP_bind_vcpu, &a);
}

static long bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_virq a = {.virq = virq, .vcpu = vcpu};
	long rc = op(EVTCHNOP_bind_virq, &a);

	*port = a.port;
	return rc;
}

static long init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu)
{
	struct evtchn_init_control a = {
		.control_gfn = gfn, .offset = offset, .vcpu = vcpu};

	return op(EVTCHNOP_init_control, &a);
}

static long expand(uint64_t gfn)
{
	struct evtchn_expand_array a = {.array_gfn = gfn};

	return op(EVTCHNOP_expand_array, &a);
}

static long reset(domid_t dom)
{
	struct evtchn_reset a = {.dom = dom};

	return op(EVTCHNOP_reset, &a);
}

static bool is_pending(evtchn_port_t port)
{
	const unsigned int bits = sizeof(xen_ulong_t) * 8;

	if (fifo) {
		return array[port / WORDS_PER_PAGE][port % WORDS_PER_PAGE] &
		       (1U << EVTCHN_FIFO_PENDING);
	}
	return shinfo->evtchn_pending[port / bits] & (1UL << (port % bits));
}

/* A loopback pair: send on one end, the other end's event is pending. */
static bool loopback(const char *when)
{
	struct evtchn_bind_interdomain b = {.remote_dom = DOMID_SELF};
	evtchn_port_t a;
	long rc = xtf_evtchn_alloc_unbound(DOMID_SELF, &a);

	if (rc) {
		xtf_failure("%s: alloc_unbound %ld", when, rc);
		return false;
	}
	b.remote_port = a;
	rc = op(EVTCHNOP_bind_interdomain, &b);
	if (rc) {
		xtf_failure("%s: bind_interdomain %ld", when, rc);
		return false;
	}
	if (is_pending(a)) {
		xtf_failure("%s: port %u pending before the send", when, a);
		return false;
	}
	rc = send(b.local_port);
	if (rc || !is_pending(a)) {
		xtf_failure("%s: send %u -> %u: %ld, pending %d", when,
			    b.local_port, a, rc, is_pending(a));
		return false;
	}
	printf("attack-evtchn: %s: loopback %u -> %u delivered (%s)\n", when,
	       b.local_port, a, fifo ? "FIFO" : "2-level");
	return expect("close", close_port(a), 0) &&
	       expect("close", close_port(b.local_port), 0);
}

static bool bad_ports(void)
{
	static const evtchn_port_t ports[] = {0, 0x7fffffff, 0xffffffff, 4096};
	uint32_t state;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ports); i++) {
		evtchn_port_t p = ports[i];

		if (!expect("send to a bad port", send(p), -XEN_EINVAL) ||
		    !expect("close of a bad port", close_port(p),
			    -XEN_EINVAL) ||
		    !expect("bind_vcpu of a bad port", bind_vcpu(p, 0),
			    -XEN_EINVAL) ||
		    (p != 0 && !expect("status of a bad port",
				       status(p, &state), -XEN_EINVAL)) ||
		    (p != 0 &&
		     !expect("unmask of a bad port", unmask(p), -XEN_EINVAL))) {
			return false;
		}
	}
	if (!expect("status of port 0", status(0, &state), 0) ||
	    !expect("port 0's state", state, EVTCHNSTAT_closed)) {
		return false;
	}
	printf("attack-evtchn: bad ports refused\n");
	return true;
}

static bool bad_vcpus_and_domains(void)
{
	struct evtchn_alloc_unbound au = {.dom = 0x7000,
					  .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain bi = {.remote_dom = 0x7000,
					     .remote_port = 1};
	struct evtchn_bind_ipi ipi;
	struct evtchn_status st;
	evtchn_port_t port, v;

	if (!expect("bind_virq(VIRQ_TIMER, vCPU 1000)",
		    bind_virq(VIRQ_TIMER, 1000, &v), -XEN_ENOENT) ||
	    !expect("bind_virq(VIRQ_TIMER, vCPU ~0)",
		    bind_virq(VIRQ_TIMER, ~0U, &v), -XEN_ENOENT) ||
	    !expect("bind_virq(NR_VIRQS)", bind_virq(NR_VIRQS, 0, &v),
		    -XEN_EINVAL) ||
	    !expect("bind_virq(~0)", bind_virq(~0U, 0, &v), -XEN_EINVAL) ||
	    !expect("bind_virq(global VIRQ_CONSOLE, vCPU 1)",
		    bind_virq(VIRQ_CONSOLE, 1, &v), -XEN_EINVAL)) {
		return false;
	}
	if (!expect("bind_virq(VIRQ_TIMER, vCPU 0)",
		    bind_virq(VIRQ_TIMER, 0, &v), 0) ||
	    !expect("bind_virq(VIRQ_TIMER) again",
		    bind_virq(VIRQ_TIMER, 0, &port), -XEN_EEXIST) ||
	    !expect("bind_vcpu(vCPU 1000)", bind_vcpu(v, 1000), -XEN_ENOENT) ||
	    !expect("bind_vcpu of a per-vCPU virq", bind_vcpu(v, 0),
		    -XEN_EINVAL) ||
	    !expect("close", close_port(v), 0)) {
		return false;
	}
	ipi.vcpu = 1000;
	st.dom = 0x7000;
	st.port = 1;
	if (!expect("bind_ipi(vCPU 1000)", op(EVTCHNOP_bind_ipi, &ipi),
		    -XEN_ENOENT) ||
	    !expect("status in domain 0x7000", op(EVTCHNOP_status, &st),
		    -XEN_ESRCH)) {
		return false;
	}
	if (!expect("alloc_unbound in domain 0x7000",
		    op(EVTCHNOP_alloc_unbound, &au), -XEN_ESRCH) ||
	    !expect("bind_interdomain to domain 0x7000",
		    op(EVTCHNOP_bind_interdomain, &bi), -XEN_ESRCH) ||
	    !expect("reset of domain 0x7000", reset(0x7000), -XEN_ESRCH)) {
		return false;
	}
	/* To itself, with a port that is not unbound for it. */
	bi.remote_dom = DOMID_SELF;
	bi.remote_port = 0x7fffffff;
	if (!expect("bind_interdomain to its own port 0x7fffffff",
		    op(EVTCHNOP_bind_interdomain, &bi), -XEN_EINVAL)) {
		return false;
	}
	printf("attack-evtchn: bad vCPUs, virqs and domains refused\n");
	return true;
}

static bool bad_control(void)
{
	uint64_t gfn = (uint64_t)control >> 12;

	if (!expect("init_control(vCPU 1000)", init_control(gfn, 0, 1000),
		    -XEN_ENOENT) ||
	    !expect("init_control(offset 4)", init_control(gfn, 4, 0),
		    -XEN_EINVAL) ||
	    !expect("init_control(offset past the page)",
		    init_control(gfn, PAGE_SIZE - 8, 0), -XEN_EINVAL) ||
	    !expect("init_control(offset ~0)", init_control(gfn, ~0U, 0),
		    -XEN_EINVAL) ||
	    !expect("init_control(GICD)",
		    init_control(platform.gicd_base >> 12, 0, 0),
		    -XEN_EINVAL) ||
	    !expect("init_control(a hole)", init_control(HOLE_GPA >> 12, 0, 0),
		    -XEN_EINVAL) ||
	    !expect("init_control(gfn 2^50)", init_control(1ULL << 50, 0, 0),
		    -XEN_EINVAL) ||
	    !expect("expand_array before FIFO",
		    expand((uint64_t)array[0] >> 12), -XEN_EOPNOTSUPP)) {
		return false;
	}
	printf("attack-evtchn: bad FIFO control blocks refused\n");
	return true;
}

static bool fifo_limits(void)
{
	unsigned int i;
	long rc = 0;

	if (!expect("init_control",
		    init_control((uint64_t)control >> 12, 64, 0), 0)) {
		return false;
	}
	if (!expect("init_control again",
		    init_control((uint64_t)control >> 12, 64, 0),
		    -XEN_EINVAL)) {
		return false;
	}
	if (!expect("expand_array(GICD)", expand(platform.gicd_base >> 12),
		    -XEN_EINVAL) ||
	    !expect("expand_array(a hole)", expand(HOLE_GPA >> 12),
		    -XEN_EINVAL)) {
		return false;
	}
	/* Pages until the hypervisor's limit: Xen 4.17 takes the 128 pages
	 * 2^17 events need, Xenon 32 (its limit of 32768 ports). */
	for (i = 0; i <= ARRAY_PAGES; i++) {
		rc = expand((uint64_t)array[i] >> 12);
		if (rc) {
			break;
		}
	}
	if (rc != -XEN_ENOSPC || i == 0 || i > ARRAY_PAGES) {
		xtf_failure("expand_array page %u: %ld, want -ENOSPC at the "
			    "limit, at most %u pages",
			    i, rc, ARRAY_PAGES);
		return false;
	}
	if (!expect("expand_array past the limit again",
		    expand((uint64_t)array[i] >> 12), -XEN_ENOSPC)) {
		return false;
	}
	fifo = true;
	printf("attack-evtchn: FIFO with %u array pages, the next refused\n",
	       i);
	return true;
}

/* Leave events pending and linked on a FIFO queue, then reset. */
static bool reset_linked(void)
{
	struct evtchn_bind_interdomain b = {.remote_dom = DOMID_SELF};
	evtchn_port_t a, c;
	uint32_t state;
	uint32_t word;

	if (!expect("alloc_unbound", xtf_evtchn_alloc_unbound(DOMID_SELF, &a),
		    0)) {
		return false;
	}
	b.remote_port = a;
	if (!expect("bind_interdomain", op(EVTCHNOP_bind_interdomain, &b), 0) ||
	    !expect("unmask", unmask(a), 0) ||
	    !expect("send", send(b.local_port), 0) ||
	    !expect("bind_virq(VIRQ_TIMER)", bind_virq(VIRQ_TIMER, 0, &c), 0) ||
	    !expect("send to itself", send(b.local_port), 0)) {
		return false;
	}
	word = array[a / WORDS_PER_PAGE][a % WORDS_PER_PAGE];
	printf("attack-evtchn: port %u's event word %#x before the reset\n", a,
	       word);
	if (!(word & (1U << EVTCHN_FIFO_PENDING))) {
		xtf_failure("port %u not pending: word %#x", a, word);
		return false;
	}
	if (!expect("reset", reset(DOMID_SELF), 0)) {
		return false;
	}
	fifo = false;
	if (!expect("status after the reset", status(a, &state), 0) ||
	    !expect("the state after the reset", state, EVTCHNSTAT_closed) ||
	    !expect("status of the virq port", status(c, &state), 0) ||
	    !expect("its state", state, EVTCHNSTAT_closed) ||
	    !expect("expand_array after the reset",
		    expand((uint64_t)array[0] >> 12), -XEN_EOPNOTSUPP)) {
		return false;
	}
	printf("attack-evtchn: reset with a linked event: back to 2-level\n");
	return true;
}

void test_main(void)
{
	if (xtf_add_to_physmap(XENMAPSPACE_shared_info, 0, SHINFO_GPA >> 12)) {
		xtf_error("cannot map shared_info");
		return;
	}
	if (!loopback("at first") || !bad_ports() ||
	    !loopback("after bad ports") || !bad_vcpus_and_domains() ||
	    !loopback("after bad vCPUs and domains") || !bad_control() ||
	    !loopback("after bad control blocks") || !fifo_limits() ||
	    !loopback("on FIFO") || !reset_linked() ||
	    !loopback("after the reset")) {
		return;
	}
	xtf_success();
}
