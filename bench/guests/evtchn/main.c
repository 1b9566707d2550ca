/*
 * evtchn: event-channel notification latency. The guest maps its
 * shared_info page (XENMEM_add_to_physmap, XENMAPSPACE_shared_info), binds
 * an IPI event channel to vCPU 0 (EVTCHNOP_bind_ipi) and times
 * EVTCHNOP_send on it, from just before the hypercall to the entry of the
 * handler of the event-channel upcall PPI (2-level ABI, vcpu_info in
 * shared_info). The handler clears upcall_pending, the selector and the
 * port's pending bit, as Linux does, so the next send raises it again.
 *
 * A hypervisor without these hypercalls gets "bench: evtchn_upcall
 * unsupported ...".
 */
#include <bench.h>
#include <xen/event_channel.h>
#include <xen/memory.h>

const char test_title[] = "Benchmark: event channel send to upcall";

/* GUEST_EVTCHN_PPI of Xen's public arch-arm.h (visible there to tools only);
 * Xen raises it for every domU. */
#define EVTCHN_PPI 31
#define SAMPLES 200
#define PATIENCE_US 100000

static uint8_t shared_page[4096] __aligned(4096);
static struct shared_info *shared;
static evtchn_port_t port;
static uint64_t samples[SAMPLES];
static volatile uint64_t upcall_at;
static volatile unsigned int upcalls;

static void upcall(unsigned int intid)
{
	struct vcpu_info *vi = &shared->vcpu_info[0];
	xen_ulong_t bit = (xen_ulong_t)1 << (port % (sizeof(xen_ulong_t) * 8));

	(void)intid;
	upcall_at = bench_vct();
	WRITE_ONCE(vi->evtchn_upcall_pending, 0);
	__atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	__atomic_and_fetch(&shared->evtchn_pending[port / (sizeof(bit) * 8)],
			   ~bit, __ATOMIC_SEQ_CST);
	upcalls++;
}

static long evtchn_op(unsigned int cmd, void *arg)
{
	return xen_hypercall3(__HYPERVISOR_event_channel_op, cmd,
			      (unsigned long)arg, 0);
}

void test_main(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = (uintptr_t)shared_page >> 12,
	};
	struct evtchn_bind_ipi bind = {.vcpu = 0};
	struct evtchn_send send;
	uint64_t t0, give_up;
	unsigned int i;
	long rc;

	local_irq_disable();
	rc = xen_hypercall3(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
			    (unsigned long)&xatp, 0);
	if (rc) {
		bench_unsupported("evtchn_upcall",
				  "memory_op(XENMEM_add_to_physmap, "
				  "shared_info) = %ld",
				  rc);
		xtf_skip("no shared_info mapping");
		return;
	}
	shared = (struct shared_info *)shared_page;
	rc = evtchn_op(EVTCHNOP_bind_ipi, &bind);
	if (rc) {
		bench_unsupported("evtchn_upcall",
				  "event_channel_op(EVTCHNOP_bind_ipi) = %ld",
				  rc);
		xtf_skip("no event channels");
		return;
	}
	port = bind.port;
	send.port = port;
	irq_set_handler(EVTCHN_PPI, upcall);
	gic_enable_irq(EVTCHN_PPI);
	printf("evtchn: IPI port %u on vCPU 0\n", port);
	for (i = 0; i < SAMPLES; i++) {
		give_up = timer_now() + timer_us_to_ticks(PATIENCE_US);
		t0 = bench_vct();
		rc = evtchn_op(EVTCHNOP_send, &send);
		while (upcalls <= i && !timer_expired(give_up))
			bench_irq_window();
		if (rc || upcalls <= i) {
			xtf_failure("send %u: EVTCHNOP_send = %ld, %u upcalls",
				    i, rc, upcalls);
			return;
		}
		samples[i] = upcall_at - t0;
	}
	bench_report("evtchn_upcall", samples, SAMPLES, 1);
	xtf_success();
}
