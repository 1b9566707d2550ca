/*
 * The slow path of the guest atomics (hv/guest-atomics.h): the first
 * attempt, made inline, failed because something else wrote the word
 * between the load- and the store-exclusive. Retry up to
 * guest_atomic_max_tries attempts in all; if the guest still keeps the
 * store from succeeding, pause the owner, finish without a bound and
 * unpause it, as Xen's guest_atomics do.
 *
 * While d is paused its vCPUs are being taken off their CPUs (an IPI each,
 * which a guest cannot mask), so the unbounded loop ends as soon as the
 * last one has left the guest. This runs with IRQs masked under the event
 * or grant locks; the pause takes only scheduler locks, which nest inside
 * those.
 */
#include <hv/atomic.h>
#include <hv/guest-atomics.h>
#include <hv/panic.h>

/* Before arch calibration (no guest runs yet): a generous fixed bound. */
#define GUEST_ATOMIC_DEFAULT_TRIES 1000U

unsigned int guest_atomic_max_tries = GUEST_ATOMIC_DEFAULT_TRIES;
uint64_t guest_atomic_pauses;

/* Attempts left after the first one. */
static unsigned int retries(void)
{
	unsigned int max = READ_ONCE(guest_atomic_max_tries);

	return (max > 1U) ? (max - 1U) : 0U;
}

static void pause_owner(struct domain *d)
{
	(void)add_return_relaxed(&guest_atomic_pauses, 1U);
	domain_pause_nosync(d);
}

static uint32_t or32_slow(struct domain *d, uint32_t *p, uint32_t mask)
{
	unsigned int n = retries();
	uint32_t old;

	while (n > 0U) {
		if (arch_guest_try_or32(p, mask, &old)) {
			return old;
		}
		n--;
	}
	pause_owner(d);
	old = arch_guest_or32(p, mask);
	domain_unpause_nosync(d);
	return old;
}

static uint32_t andnot32_slow(struct domain *d, uint32_t *p, uint32_t mask)
{
	unsigned int n = retries();
	uint32_t old;

	while (n > 0U) {
		if (arch_guest_try_andnot32(p, mask, &old)) {
			return old;
		}
		n--;
	}
	pause_owner(d);
	old = arch_guest_andnot32(p, mask);
	domain_unpause_nosync(d);
	return old;
}

static uint16_t andnot16_slow(struct domain *d, uint16_t *p, uint16_t mask)
{
	unsigned int n = retries();
	uint16_t old;

	while (n > 0U) {
		if (arch_guest_try_andnot16(p, mask, &old)) {
			return old;
		}
		n--;
	}
	pause_owner(d);
	old = arch_guest_andnot16(p, mask);
	domain_unpause_nosync(d);
	return old;
}

static uint8_t xchg8_slow(struct domain *d, uint8_t *p, uint8_t new_val)
{
	unsigned int n = retries();
	uint8_t old;

	while (n > 0U) {
		if (arch_guest_try_xchg8(p, new_val, &old)) {
			return old;
		}
		n--;
	}
	pause_owner(d);
	old = arch_guest_xchg8(p, new_val);
	domain_unpause_nosync(d);
	return old;
}

static uint32_t cmpxchg32_slow(struct domain *d, uint32_t *p, uint32_t expected,
			       uint32_t new_val)
{
	unsigned int n = retries();
	uint32_t old;

	while (n > 0U) {
		if (arch_guest_try_cmpxchg32(p, expected, new_val, &old)) {
			return old;
		}
		n--;
	}
	pause_owner(d);
	old = arch_guest_cmpxchg32(p, expected, new_val);
	domain_unpause_nosync(d);
	return old;
}

uint64_t guest_atomic_slow(struct domain *d, unsigned int op, void *p,
			   uint64_t a, uint64_t b)
{
	switch (op) {
	case GUEST_ATOMIC_OR32:
		return or32_slow(d, p, (uint32_t)a);
	case GUEST_ATOMIC_ANDNOT32:
		return andnot32_slow(d, p, (uint32_t)a);
	case GUEST_ATOMIC_ANDNOT16:
		return andnot16_slow(d, p, (uint16_t)a);
	case GUEST_ATOMIC_XCHG8:
		return xchg8_slow(d, p, (uint8_t)a);
	case GUEST_ATOMIC_CMPXCHG32:
		return cmpxchg32_slow(d, p, (uint32_t)a, (uint32_t)b);
	default:
		BUG_ON(true);
		return 0;
	}
}
