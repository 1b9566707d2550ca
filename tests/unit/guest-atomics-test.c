/*
 * Unit tests for the guest atomics (hv/guest-atomics.h, core/guest-atomics.c)
 * with the host arch stand-in (arch/fake/guest-atomics.c), where a test can
 * make the next load/store-exclusive attempts fail, as a guest storing to
 * the word from another CPU would.
 *
 * Shown: each operation gives the right result; a few failed attempts are
 * retried without pausing anyone; when every attempt of the bound fails
 * (a guest that never stops) the operation makes exactly
 * guest_atomic_max_tries attempts, then completes with its owner's vCPUs
 * paused (and nobody else's), and the owner is unpaused after, keeping a
 * pause of its controller.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest-atomics.h>
#include <hv/page-alloc.h>
#include <hv/sched.h>

#include "fake-host.h"

extern unsigned int fake_evtchn_upcalls;

#define ARENA_SIZE (16U << 20)
#define NR_VCPUS 2U
/* The bound the tests use (the arch sets it at boot on arm64). */
#define TRIES 50U

static void *arena;
static struct domain *owner;
static struct domain *other;

/* Guest-writable memory of owner's, for the operations. */
static uint64_t bitmap[4];
static uint32_t word32;
static uint16_t word16;
static uint8_t byte8;

/* What the hook saw when the unbounded operation started. */
static unsigned int hook_calls;
static bool hook_owner_paused;
static bool hook_other_paused;
static bool hook_owner_queued;

static struct domain *make_domain(domid_t id)
{
	struct domain_config cfg = {
		.name = "ga", .max_vcpus = NR_VCPUS, .ram_bytes = 65536U};
	struct domain *d = domain_create(id, &cfg);

	assert_non_null(d);
	return d;
}

/* Whether v is on CPU 0's run queue: the queue is private to the policy,
 * so take everything off it through the policy's hooks and put it back in
 * the same order. */
static bool queued(const struct vcpu *v)
{
	struct sched_cpu *sc = &sched_cpus[0];
	struct vcpu *q[2U * NR_VCPUS];
	unsigned int n = 0;
	unsigned int i;
	bool found = false;

	while ((n < ARRAY_SIZE(q)) &&
	       ((q[n] = sched_rr.pick_next(sc)) != NULL)) {
		found = found || (q[n] == v);
		n++;
	}
	for (i = 0; i < n; i++) {
		sched_rr.enqueue(sc, q[i]);
	}
	return found;
}

static bool all_paused(const struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		if (!d->vcpus[i]->paused) {
			return false;
		}
	}
	return true;
}

static bool none_paused(const struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		if (d->vcpus[i]->paused) {
			return false;
		}
	}
	return true;
}

static void record_pause(void)
{
	hook_calls++;
	hook_owner_paused = all_paused(owner);
	hook_other_paused = !none_paused(other);
	hook_owner_queued = queued(owner->vcpus[0]);
}

static int group_setup(void **state)
{
	(void)state;
	arena = fake_host_start(ARENA_SIZE);
	owner = make_domain(1);
	other = make_domain(2);
	/* A runnable vCPU of the owner: it must leave the run queue while
	 * the owner is paused. */
	vcpu_start(owner->vcpus[0]);
	assert_true(queued(owner->vcpus[0]));
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	guest_atomic_max_tries = TRIES;
	fake_guest_atomic_failures = 0;
	fake_guest_atomic_attempts = 0;
	fake_guest_atomic_unbounded = 0;
	fake_guest_atomic_hook = record_pause;
	guest_atomic_pauses = 0;
	hook_calls = 0;
	hook_owner_paused = false;
	hook_other_paused = true;
	hook_owner_queued = true;
	memset(bitmap, 0, sizeof(bitmap));
	word32 = 0;
	word16 = 0;
	byte8 = 0;
	return 0;
}

/* Nobody paused, nothing left over, vCPU 0 back on the run queue. */
static void assert_unpaused(void)
{
	assert_int_equal(owner->pause_nosync_count, 0);
	assert_true(none_paused(owner));
	assert_true(none_paused(other));
	assert_true(queued(owner->vcpus[0]));
	assert_int_equal(fake_guest_atomic_failures, 0);
}

/* The last operation needed the pause, exactly once, at the bound. */
static void assert_paused_once(void)
{
	assert_int_equal(fake_guest_atomic_attempts, TRIES);
	assert_int_equal(fake_guest_atomic_unbounded, 1);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(guest_atomic_pauses, 1);
	assert_true(hook_owner_paused);
	assert_false(hook_other_paused);
	assert_false(hook_owner_queued);
	fake_guest_atomic_failures = 0;
	assert_unpaused();
}

static void assert_no_pause(unsigned int attempts)
{
	assert_int_equal(fake_guest_atomic_attempts, attempts);
	assert_int_equal(fake_guest_atomic_unbounded, 0);
	assert_int_equal(hook_calls, 0);
	assert_int_equal(guest_atomic_pauses, 0);
	assert_unpaused();
}

static void test_bit_ops_results(void **state)
{
	(void)state;
	assert_false(guest_test_and_set_bit(owner, 3, bitmap));
	assert_true(guest_test_and_set_bit(owner, 3, bitmap));
	/* Bits count through 64-bit words as the event bitmaps do. */
	assert_false(guest_test_and_set_bit(owner, 64 + 40, bitmap));
	assert_true(bitmap[1] == (1ULL << 40));
	guest_set_bit(owner, 127, bitmap);
	assert_true(bitmap[1] == ((1ULL << 40) | (1ULL << 63)));
	assert_true(guest_test_and_clear_bit(owner, 3, bitmap));
	assert_false(guest_test_and_clear_bit(owner, 3, bitmap));
	assert_true(bitmap[0] == 0U);
	guest_clear_bit(owner, 64 + 40, bitmap);
	assert_true(bitmap[1] == (1ULL << 63));
	assert_no_pause(7);
}

static void test_other_ops_results(void **state)
{
	(void)state;
	word16 = 0xffffU;
	guest_clear_mask16(owner, 0x0101U, &word16);
	assert_int_equal(word16, 0xfefeU);

	assert_int_equal(guest_xchg8(owner, &byte8, 1), 0);
	assert_int_equal(guest_xchg8(owner, &byte8, 7), 1);
	assert_int_equal(byte8, 7);

	word32 = 5;
	assert_int_equal(guest_cmpxchg32(owner, &word32, 5, 9), 5);
	assert_int_equal(word32, 9);
	/* A compare that fails stores nothing and is not a failed attempt. */
	assert_int_equal(guest_cmpxchg32(owner, &word32, 5, 11), 9);
	assert_int_equal(word32, 9);
	assert_no_pause(5);
}

/* A guest that gets in the way a few times: retried, nobody paused. */
static void test_retries_within_bound(void **state)
{
	(void)state;
	fake_guest_atomic_failures = TRIES - 1U;
	assert_false(guest_test_and_set_bit(owner, 5, bitmap));
	assert_true(bitmap[0] == (1ULL << 5));
	assert_no_pause(TRIES);

	fake_guest_atomic_attempts = 0;
	fake_guest_atomic_failures = 3;
	assert_int_equal(guest_cmpxchg32(owner, &word32, 0, 4), 0);
	assert_int_equal(word32, 4);
	assert_no_pause(4);
}

/* A guest that never lets a store-exclusive succeed: the operation stops
 * trying at the bound and completes with the owner paused. */
static void test_bound_pauses_owner_bit(void **state)
{
	(void)state;
	fake_guest_atomic_failures = UINT_MAX;
	assert_false(guest_test_and_set_bit(owner, 70, bitmap));
	assert_true(bitmap[1] == (1ULL << 6));
	assert_paused_once();
}

static void test_bound_pauses_owner_clear(void **state)
{
	(void)state;
	bitmap[0] = 0xf0U;
	fake_guest_atomic_failures = UINT_MAX;
	assert_true(guest_test_and_clear_bit(owner, 4, bitmap));
	assert_true(bitmap[0] == 0xe0U);
	assert_paused_once();
}

static void test_bound_pauses_owner_mask16(void **state)
{
	(void)state;
	word16 = 0x0003U;
	fake_guest_atomic_failures = UINT_MAX;
	guest_clear_mask16(owner, 0x0002U, &word16);
	assert_int_equal(word16, 0x0001U);
	assert_paused_once();
}

static void test_bound_pauses_owner_xchg8(void **state)
{
	(void)state;
	byte8 = 2;
	fake_guest_atomic_failures = UINT_MAX;
	assert_int_equal(guest_xchg8(owner, &byte8, 1), 2);
	assert_int_equal(byte8, 1);
	assert_paused_once();
}

static void test_bound_pauses_owner_cmpxchg32(void **state)
{
	(void)state;
	word32 = 0x1234U;
	fake_guest_atomic_failures = UINT_MAX;
	assert_int_equal(guest_cmpxchg32(owner, &word32, 0x1234U, 0x5678U),
			 0x1234U);
	assert_int_equal(word32, 0x5678U);
	assert_paused_once();
}

/* The pause nests with the controller's: it stays paused after. */
static void test_pause_keeps_controller_pause(void **state)
{
	(void)state;
	domain_pause_by_controller(owner);
	assert_true(all_paused(owner));
	fake_guest_atomic_failures = UINT_MAX;
	guest_set_bit(owner, 1, bitmap);
	assert_int_equal(hook_calls, 1);
	assert_true(hook_owner_paused);
	assert_int_equal(owner->pause_nosync_count, 0);
	assert_true(all_paused(owner));
	assert_false(queued(owner->vcpus[0]));
	assert_int_equal(domain_unpause_by_controller(owner), 0);
	fake_guest_atomic_failures = 0;
	assert_unpaused();
}

/* An upcall raised on a vcpu_info the guest keeps writing still gets
 * through (event-channel.c's exchange of evtchn_upcall_pending). */
static void test_upcall_under_contention(void **state)
{
	struct vcpu *v = owner->vcpus[1];

	(void)state;
	v->vcpu_info->evtchn_upcall_pending = 0;
	fake_evtchn_upcalls = 0;
	fake_guest_atomic_failures = UINT_MAX;
	evtchn_vcpu_mark_pending(v);
	assert_int_equal(v->vcpu_info->evtchn_upcall_pending, 1);
	assert_int_equal(fake_evtchn_upcalls, 1);
	assert_paused_once();
}

/* An event raised through the 2-level ABI while the guest keeps every
 * first attempt failing: pending set, selector set, upcall made. */
static void test_2l_send_under_contention(void **state)
{
	struct vcpu *v = owner->vcpus[0];
	struct shared_info *si = owner->shared_info;
	struct evtchn chn;

	(void)state;
	memset(&chn, 0, sizeof(chn));
	chn.port = 67;
	memset(si->evtchn_pending, 0, sizeof(si->evtchn_pending));
	memset(si->evtchn_mask, 0, sizeof(si->evtchn_mask));
	v->vcpu_info->evtchn_pending_sel = 0;
	v->vcpu_info->evtchn_upcall_pending = 0;
	fake_evtchn_upcalls = 0;
	/* Pending bit: paused; the selector and the upcall: retried. */
	fake_guest_atomic_failures = TRIES + 2U;
	evtchn_port_ops_2l.set_pending(v, &chn);
	assert_true(si->evtchn_pending[1] == (1ULL << 3));
	assert_true(v->vcpu_info->evtchn_pending_sel == (1ULL << 1));
	assert_int_equal(v->vcpu_info->evtchn_upcall_pending, 1);
	assert_int_equal(fake_evtchn_upcalls, 1);
	assert_int_equal(fake_guest_atomic_unbounded, 1);
	assert_int_equal(guest_atomic_pauses, 1);
	assert_true(hook_owner_paused);
	assert_unpaused();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_bit_ops_results, setup),
		cmocka_unit_test_setup(test_other_ops_results, setup),
		cmocka_unit_test_setup(test_retries_within_bound, setup),
		cmocka_unit_test_setup(test_bound_pauses_owner_bit, setup),
		cmocka_unit_test_setup(test_bound_pauses_owner_clear, setup),
		cmocka_unit_test_setup(test_bound_pauses_owner_mask16, setup),
		cmocka_unit_test_setup(test_bound_pauses_owner_xchg8, setup),
		cmocka_unit_test_setup(test_bound_pauses_owner_cmpxchg32,
				       setup),
		cmocka_unit_test_setup(test_pause_keeps_controller_pause,
				       setup),
		cmocka_unit_test_setup(test_upcall_under_contention, setup),
		cmocka_unit_test_setup(test_2l_send_under_contention, setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
