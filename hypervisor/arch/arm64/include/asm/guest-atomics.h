/*
 * The arm64 side of hv/guest-atomics.h: each read-modify-write as one
 * load/store-exclusive attempt (which a guest writing the same memory can
 * make fail), and as the unbounded retry loop the compiler's __atomic
 * builtins give on armv8.0 without LSE.
 *
 * An attempt is LDAXR / modify / STLXR, the instructions GCC emits for a
 * __ATOMIC_SEQ_CST read-modify-write, so one successful attempt orders
 * memory as the builtins did. Each returns whether the store-exclusive
 * succeeded (a compare that fails is a completed operation) and the value
 * the memory held in *old.
 */
#ifndef HV_ASM_GUEST_ATOMICS_H
#define HV_ASM_GUEST_ATOMICS_H

#include <hv/types.h>

static inline bool arch_guest_try_or32(uint32_t *p, uint32_t mask,
				       uint32_t *old)
{
	uint32_t val;
	uint32_t tmp;
	uint32_t fail;

	__asm__ volatile("ldaxr	%w[val], %[mem]\n"
			 "orr	%w[tmp], %w[val], %w[mask]\n"
			 "stlxr	%w[fail], %w[tmp], %[mem]\n"
			 : [val] "=&r"(val), [tmp] "=&r"(tmp),
			   [fail] "=&r"(fail), [mem] "+Q"(*p)
			 : [mask] "r"(mask)
			 : "memory");
	*old = val;
	return fail == 0U;
}

/* Clears the bits of mask. */
static inline bool arch_guest_try_andnot32(uint32_t *p, uint32_t mask,
					   uint32_t *old)
{
	uint32_t val;
	uint32_t tmp;
	uint32_t fail;

	__asm__ volatile("ldaxr	%w[val], %[mem]\n"
			 "bic	%w[tmp], %w[val], %w[mask]\n"
			 "stlxr	%w[fail], %w[tmp], %[mem]\n"
			 : [val] "=&r"(val), [tmp] "=&r"(tmp),
			   [fail] "=&r"(fail), [mem] "+Q"(*p)
			 : [mask] "r"(mask)
			 : "memory");
	*old = val;
	return fail == 0U;
}

static inline bool arch_guest_try_andnot16(uint16_t *p, uint16_t mask,
					   uint16_t *old)
{
	uint32_t val;
	uint32_t tmp;
	uint32_t fail;

	__asm__ volatile("ldaxrh	%w[val], %[mem]\n"
			 "bic	%w[tmp], %w[val], %w[mask]\n"
			 "stlxrh	%w[fail], %w[tmp], %[mem]\n"
			 : [val] "=&r"(val), [tmp] "=&r"(tmp),
			   [fail] "=&r"(fail), [mem] "+Q"(*p)
			 : [mask] "r"((uint32_t)mask)
			 : "memory");
	*old = (uint16_t)val;
	return fail == 0U;
}

static inline bool arch_guest_try_xchg8(uint8_t *p, uint8_t new_val,
					uint8_t *old)
{
	uint32_t val;
	uint32_t fail;

	__asm__ volatile("ldaxrb	%w[val], %[mem]\n"
			 "stlxrb	%w[fail], %w[new_val], %[mem]\n"
			 : [val] "=&r"(val), [fail] "=&r"(fail), [mem] "+Q"(*p)
			 : [new_val] "r"((uint32_t)new_val)
			 : "memory");
	*old = (uint8_t)val;
	return fail == 0U;
}

/* Stores new_val only if the memory holds expected. */
static inline bool arch_guest_try_cmpxchg32(uint32_t *p, uint32_t expected,
					    uint32_t new_val, uint32_t *old)
{
	uint32_t val;
	uint32_t fail;

	__asm__ volatile("mov	%w[fail], #0\n"
			 "ldaxr	%w[val], %[mem]\n"
			 "cmp	%w[val], %w[expected]\n"
			 "b.ne	1f\n"
			 "stlxr	%w[fail], %w[new_val], %[mem]\n"
			 "1:\n"
			 : [val] "=&r"(val), [fail] "=&r"(fail), [mem] "+Q"(*p)
			 : [expected] "r"(expected), [new_val] "r"(new_val)
			 : "cc", "memory");
	*old = val;
	return fail == 0U;
}

/* The same without a bound: only while the memory's owner is paused. */
static inline uint32_t arch_guest_or32(uint32_t *p, uint32_t mask)
{
	return __atomic_fetch_or(p, mask, __ATOMIC_SEQ_CST);
}

static inline uint32_t arch_guest_andnot32(uint32_t *p, uint32_t mask)
{
	return __atomic_fetch_and(p, ~mask, __ATOMIC_SEQ_CST);
}

static inline uint16_t arch_guest_andnot16(uint16_t *p, uint16_t mask)
{
	return __atomic_fetch_and(p, (uint16_t)~mask, __ATOMIC_SEQ_CST);
}

static inline uint8_t arch_guest_xchg8(uint8_t *p, uint8_t new_val)
{
	return __atomic_exchange_n(p, new_val, __ATOMIC_SEQ_CST);
}

static inline uint32_t arch_guest_cmpxchg32(uint32_t *p, uint32_t expected,
					    uint32_t new_val)
{
	uint32_t old = expected;

	(void)__atomic_compare_exchange_n(p, &old, new_val, false,
					  __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

struct domain;

/*
 * Call guest_atomic_slow(d, op, p, a, b) through guest_atomic_slow_call
 * (guest-atomics-call.S), which keeps every register but x0 (the result),
 * x16, x17 and x30: a caller whose fast path never calls out then needs no
 * callee-saved registers for the values it keeps across this call.
 */
static inline uint64_t arch_guest_atomic_slow(struct domain *d, unsigned int op,
					      void *p, uint64_t a, uint64_t b)
{
	register uint64_t x0 __asm__("x0") = (uint64_t)(uintptr_t)d;
	register uint64_t x1 __asm__("x1") = op;
	register uint64_t x2 __asm__("x2") = (uint64_t)(uintptr_t)p;
	register uint64_t x3 __asm__("x3") = a;
	register uint64_t x4 __asm__("x4") = b;

	__asm__ volatile("bl	guest_atomic_slow_call"
			 : "+r"(x0)
			 : "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "x16", "x17", "x30", "cc", "memory");
	return x0;
}

/* Find this CPU's bound on attempts (arch/arm64/guest-atomics.c). */
void guest_atomics_init_cpu(unsigned int cpu);

#endif /* HV_ASM_GUEST_ATOMICS_H */
