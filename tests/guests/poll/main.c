/*
 * poll: SCHEDOP_poll as Xen 4.17 answers it. A port already pending ends
 * the poll at once (masked or not); with nothing pending the vCPU sleeps
 * until its timeout; an event sent to the polled port by another vCPU
 * ends the poll long before its timeout; a bad port or more than 128
 * ports is -XEN_EINVAL.
 */
#include <xtf.h>

#include <xtf/xenmem.h>

#include <xen/errno.h>
#include <xen/event_channel.h>

const char test_title[] = "Poll: SCHEDOP_poll wakes on its port or its "
			  "timeout";

#define SLEEP_US 20000U
#define LONG_US 2000000U
/* A timeout surely later than the hypervisor's time, to measure by how
 * much; and the error of that measure. */
#define CALIBRATE_NS 1500000000ULL
#define SLACK_NS 10000000ULL

static volatile bool sender_go;
static evtchn_port_t sent;

/* Nanoseconds of this domain's virtual counter. The timeout is in the
 * hypervisor's system time, which the counter trails by how long the
 * hypervisor ran before this domain was made (on Arm a guest is not told
 * the difference: the test measures it). */
static uint64_t now_ns(void)
{
	return timer_ticks_to_us(timer_now()) * 1000ULL;
}

static long poll(evtchn_port_t *ports, unsigned int nr, uint64_t timeout)
{
	struct sched_poll p = {.nr_ports = nr, .timeout = timeout};

	set_xen_guest_handle(p.ports, ports);
	return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

/* A channel of this domain to itself: returns the end to poll (left
 * idle by the binding, which raises the other end once, as Xen does);
 * *send gets the end whose events reach it. */
static evtchn_port_t loopback(evtchn_port_t *send)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
					 .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain b = {.remote_dom = DOMID_SELF};

	if (HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a) != 0) {
		xtf_error("alloc_unbound failed");
	}
	b.remote_port = a.port;
	if (HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b) != 0) {
		xtf_error("bind_interdomain failed");
	}
	*send = b.local_port;
	return a.port;
}

static void sender(void *arg)
{
	struct evtchn_send s;

	(void)arg;
	while (!sender_go)
		;
	timer_busy_wait_us(SLEEP_US);
	s.port = sent;
	HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

/* Poll port with the timeout `after` ns from now (in the counter's
 * time); the result, and in *took how long it took. */
static long timed_poll(evtchn_port_t *port, uint64_t after, uint64_t *took)
{
	uint64_t t0 = now_ns();
	long rc = poll(port, 1, t0 + after);

	*took = now_ns() - t0;
	return rc;
}

void test_main(void)
{
	struct evtchn_send s;
	evtchn_port_t port = loopback(&s.port);
	evtchn_port_t bad = 4000;
	uint64_t took;
	uint64_t offset;
	long rc;

	/* IRQs masked, as a guest polls: only the port can end the poll. */
	local_irq_disable();
	HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
	rc = timed_poll(&port, LONG_US * 1000ULL, &took);
	printf("poll: pending port: %ld after %llu us\n", rc,
	       (unsigned long long)(took / 1000U));
	if (rc != 0 || took >= LONG_US * 1000ULL / 2U) {
		xtf_failure("a pending port did not end the poll");
		return;
	}

	port = loopback(&s.port); /* nothing is sent to this one */
	(void)timed_poll(&port, CALIBRATE_NS, &took);
	offset = CALIBRATE_NS - took;
	printf("poll: system time is the counter + %llu us\n",
	       (unsigned long long)(offset / 1000U));
	rc = timed_poll(&port, offset + SLEEP_US * 1000ULL, &took);
	printf("poll: timeout: %ld after %llu us (due after %u us)\n", rc,
	       (unsigned long long)(took / 1000U), SLEEP_US);
	if (rc != 0 || took < SLEEP_US * 1000ULL - SLACK_NS ||
	    took > SLEEP_US * 1000ULL * 20U) {
		xtf_failure("the poll did not end at its timeout");
		return;
	}

	port = loopback(&sent);
	smp_start_cpu(1, sender, NULL);
	sender_go = true;
	rc = timed_poll(&port, LONG_US * 1000ULL, &took);
	printf("poll: event from vCPU 1: %ld after %llu us\n", rc,
	       (unsigned long long)(took / 1000U));
	if (rc != 0 || took >= LONG_US * 1000ULL / 2U) {
		xtf_failure("an event on the port did not end the poll");
		return;
	}

	rc = poll(&bad, 1, 0);
	printf("poll: bad port: %ld\n", rc);
	if (rc != -XEN_EINVAL) {
		xtf_failure("a bad port gave %ld, not -EINVAL", rc);
		return;
	}
	rc = poll(&port, 129, 0);
	printf("poll: 129 ports: %ld\n", rc);
	if (rc != -XEN_EINVAL) {
		xtf_failure("129 ports gave %ld, not -EINVAL", rc);
		return;
	}
	xtf_success();
}
