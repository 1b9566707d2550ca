/*
 * Host stand-in for the arch side of the guest atomics: one attempt is a
 * load and one strong compare-and-swap, which fails (as a store-exclusive
 * would) if the word changed in between or a test asked for a failure.
 */
#include <hv/guest-atomics.h>

unsigned int fake_guest_atomic_failures;
unsigned int fake_guest_atomic_attempts;
unsigned int fake_guest_atomic_unbounded;
void (*fake_guest_atomic_hook)(void);

/* Whether this attempt is to fail (counting it). */
static bool forced_failure(void)
{
	fake_guest_atomic_attempts++;
	if (fake_guest_atomic_failures > 0U) {
		fake_guest_atomic_failures--;
		return true;
	}
	return false;
}

static void unbounded(void)
{
	fake_guest_atomic_unbounded++;
	if (fake_guest_atomic_hook != NULL) {
		fake_guest_atomic_hook();
	}
}

bool arch_guest_try_or32(uint32_t *p, uint32_t mask, uint32_t *old)
{
	*old = __atomic_load_n(p, __ATOMIC_SEQ_CST);
	return !forced_failure() &&
	       __atomic_compare_exchange_n(p, old, *old | mask, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

bool arch_guest_try_andnot32(uint32_t *p, uint32_t mask, uint32_t *old)
{
	*old = __atomic_load_n(p, __ATOMIC_SEQ_CST);
	return !forced_failure() &&
	       __atomic_compare_exchange_n(p, old, *old & ~mask, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

bool arch_guest_try_andnot16(uint16_t *p, uint16_t mask, uint16_t *old)
{
	*old = __atomic_load_n(p, __ATOMIC_SEQ_CST);
	return !forced_failure() &&
	       __atomic_compare_exchange_n(p, old, (uint16_t)(*old & ~mask),
					   false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

bool arch_guest_try_xchg8(uint8_t *p, uint8_t new_val, uint8_t *old)
{
	*old = __atomic_load_n(p, __ATOMIC_SEQ_CST);
	return !forced_failure() &&
	       __atomic_compare_exchange_n(p, old, new_val, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* A compare that fails is a completed attempt, as on arm64 (no store is
 * tried); only a forced failure fails it. */
bool arch_guest_try_cmpxchg32(uint32_t *p, uint32_t expected, uint32_t new_val,
			      uint32_t *old)
{
	if (forced_failure()) {
		*old = __atomic_load_n(p, __ATOMIC_SEQ_CST);
		return false;
	}
	*old = expected;
	(void)__atomic_compare_exchange_n(p, old, new_val, false,
					  __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return true;
}

uint32_t arch_guest_or32(uint32_t *p, uint32_t mask)
{
	unbounded();
	return __atomic_fetch_or(p, mask, __ATOMIC_SEQ_CST);
}

uint32_t arch_guest_andnot32(uint32_t *p, uint32_t mask)
{
	unbounded();
	return __atomic_fetch_and(p, ~mask, __ATOMIC_SEQ_CST);
}

uint16_t arch_guest_andnot16(uint16_t *p, uint16_t mask)
{
	unbounded();
	return __atomic_fetch_and(p, (uint16_t)~mask, __ATOMIC_SEQ_CST);
}

uint8_t arch_guest_xchg8(uint8_t *p, uint8_t new_val)
{
	unbounded();
	return __atomic_exchange_n(p, new_val, __ATOMIC_SEQ_CST);
}

uint32_t arch_guest_cmpxchg32(uint32_t *p, uint32_t expected, uint32_t new_val)
{
	uint32_t old = expected;

	unbounded();
	(void)__atomic_compare_exchange_n(p, &old, new_val, false,
					  __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

uint64_t arch_guest_atomic_slow(struct domain *d, unsigned int op, void *p,
				uint64_t a, uint64_t b)
{
	return guest_atomic_slow(d, op, p, a, b);
}
