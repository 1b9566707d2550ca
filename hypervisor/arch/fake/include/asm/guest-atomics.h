/*
 * Host stand-in for the arch side of the guest atomics (unit tests): an
 * "attempt" is one compare-and-swap, and tests can make the next attempts
 * fail as a guest writing the word from another CPU would.
 */
#ifndef HV_ASM_GUEST_ATOMICS_H
#define HV_ASM_GUEST_ATOMICS_H

#include <hv/types.h>

/* Attempts still to fail (each failing one counts it down). */
extern unsigned int fake_guest_atomic_failures;
/* Attempts made, and unbounded operations done, since the test zeroed
 * them. */
extern unsigned int fake_guest_atomic_attempts;
extern unsigned int fake_guest_atomic_unbounded;
/* Called at the start of each unbounded operation, if set. */
extern void (*fake_guest_atomic_hook)(void);

bool arch_guest_try_or32(uint32_t *p, uint32_t mask, uint32_t *old);
bool arch_guest_try_andnot32(uint32_t *p, uint32_t mask, uint32_t *old);
bool arch_guest_try_andnot16(uint16_t *p, uint16_t mask, uint16_t *old);
bool arch_guest_try_xchg8(uint8_t *p, uint8_t new_val, uint8_t *old);
bool arch_guest_try_cmpxchg32(uint32_t *p, uint32_t expected, uint32_t new_val,
			      uint32_t *old);

uint32_t arch_guest_or32(uint32_t *p, uint32_t mask);
uint32_t arch_guest_andnot32(uint32_t *p, uint32_t mask);
uint16_t arch_guest_andnot16(uint16_t *p, uint16_t mask);
uint8_t arch_guest_xchg8(uint8_t *p, uint8_t new_val);
uint32_t arch_guest_cmpxchg32(uint32_t *p, uint32_t expected, uint32_t new_val);

struct domain;

/* guest_atomic_slow(), called as a plain function. */
uint64_t arch_guest_atomic_slow(struct domain *d, unsigned int op, void *p,
				uint64_t a, uint64_t b);

#endif /* HV_ASM_GUEST_ATOMICS_H */
