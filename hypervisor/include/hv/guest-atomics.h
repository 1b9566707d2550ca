/*
 * Atomic read-modify-writes on memory a guest can write (its shared_info
 * and vcpu_info, FIFO event pages, grant table), as Xen's guest_atomics.
 *
 * Without LSE an atomic read-modify-write is a load/store-exclusive loop
 * that retries until its store-exclusive succeeds; a guest storing to the
 * same memory from another CPU can keep it failing, and so hold the
 * hypervisor for ever (Xen's XSA-295). Here each operation makes one
 * attempt inline (all it takes when nobody else writes the word, so the
 * common case costs what a plain __atomic builtin did), then retries out
 * of line up to guest_atomic_max_tries attempts in all, and if every one
 * failed pauses the domain d that owns the memory (domain_pause_nosync():
 * its vCPUs are made to leave their CPUs), completes the operation
 * without a bound, and unpauses d.
 *
 * Each operation is sequentially consistent, as __ATOMIC_SEQ_CST. The
 * memory must be writable by d and the hypervisor only: a page another
 * domain also maps could still be written by that one while d is paused
 * (as in Xen, only the control domain can map such pages).
 */
#ifndef HV_GUEST_ATOMICS_H
#define HV_GUEST_ATOMICS_H

#include <hv/compiler.h>
#include <hv/domain.h>

#include <asm/guest-atomics.h>

/* Bit numbers count through an array of little-endian 32-bit words, which
 * is also how they count through an array of 64-bit words. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "guest bit operations assume a little-endian CPU"
#endif

/* Attempts an operation makes before pausing the owner (at least 1): set
 * by the arch at boot from how many attempts one CPU makes in 1 us. */
extern unsigned int guest_atomic_max_tries;

/* Times an operation needed the pause (a guest kept it from finishing). */
extern uint64_t guest_atomic_pauses;

/* The operations, as the slow path names them. */
#define GUEST_ATOMIC_OR32 0U /* *p |= a */
#define GUEST_ATOMIC_ANDNOT32 1U /* *p &= ~a */
#define GUEST_ATOMIC_ANDNOT16 2U /* 16-bit *p &= ~a */
#define GUEST_ATOMIC_XCHG8 3U /* 8-bit *p = a */
#define GUEST_ATOMIC_CMPXCHG32 4U /* *p = b if *p == a */

/*
 * The rest of operation op on p after a failed first attempt: retries up
 * to the bound, then the pause (core/guest-atomics.c). Returns the old
 * value. Called through arch_guest_atomic_slow(), which on arm64 keeps
 * every register but the result, so that the inline fast path of the
 * caller saves no more registers than a plain __atomic builtin needed.
 */
uint64_t guest_atomic_slow(struct domain *d, unsigned int op, void *p,
			   uint64_t a, uint64_t b);

static inline uint32_t *guest_bit_word(void *bitmap, unsigned int nr)
{
	return (uint32_t *)bitmap + (nr / 32U);
}

static inline uint32_t guest_bit_mask(unsigned int nr)
{
	return (uint32_t)1U << (nr % 32U);
}

/* Set bit nr of the bitmap; returns whether it was set already. */
static inline bool guest_test_and_set_bit(struct domain *d, unsigned int nr,
					  void *bitmap)
{
	uint32_t *word = guest_bit_word(bitmap, nr);
	uint32_t mask = guest_bit_mask(nr);
	uint32_t old;

	if (unlikely(!arch_guest_try_or32(word, mask, &old))) {
		old = (uint32_t)arch_guest_atomic_slow(d, GUEST_ATOMIC_OR32,
						       word, mask, 0U);
	}
	return (old & mask) != 0U;
}

/* Clear bit nr of the bitmap; returns whether it was set. */
static inline bool guest_test_and_clear_bit(struct domain *d, unsigned int nr,
					    void *bitmap)
{
	uint32_t *word = guest_bit_word(bitmap, nr);
	uint32_t mask = guest_bit_mask(nr);
	uint32_t old;

	if (unlikely(!arch_guest_try_andnot32(word, mask, &old))) {
		old = (uint32_t)arch_guest_atomic_slow(d, GUEST_ATOMIC_ANDNOT32,
						       word, mask, 0U);
	}
	return (old & mask) != 0U;
}

static inline void guest_set_bit(struct domain *d, unsigned int nr,
				 void *bitmap)
{
	(void)guest_test_and_set_bit(d, nr, bitmap);
}

static inline void guest_clear_bit(struct domain *d, unsigned int nr,
				   void *bitmap)
{
	(void)guest_test_and_clear_bit(d, nr, bitmap);
}

/* Clear the bits of mask in *p (Xen's guest_clear_mask16). */
static inline void guest_clear_mask16(struct domain *d, uint16_t mask,
				      uint16_t *p)
{
	uint16_t old;

	if (unlikely(!arch_guest_try_andnot16(p, mask, &old))) {
		(void)arch_guest_atomic_slow(d, GUEST_ATOMIC_ANDNOT16, p, mask,
					     0U);
	}
}

/* Store new_val in *p; returns what *p held. */
static inline uint8_t guest_xchg8(struct domain *d, uint8_t *p, uint8_t new_val)
{
	uint8_t old;

	if (unlikely(!arch_guest_try_xchg8(p, new_val, &old))) {
		old = (uint8_t)arch_guest_atomic_slow(d, GUEST_ATOMIC_XCHG8, p,
						      new_val, 0U);
	}
	return old;
}

/* Store new_val in *p if it holds expected; returns what *p held (the
 * store happened if that is expected). */
static inline uint32_t guest_cmpxchg32(struct domain *d, uint32_t *p,
				       uint32_t expected, uint32_t new_val)
{
	uint32_t old;

	if (unlikely(!arch_guest_try_cmpxchg32(p, expected, new_val, &old))) {
		old = (uint32_t)arch_guest_atomic_slow(
			d, GUEST_ATOMIC_CMPXCHG32, p, expected, new_val);
	}
	return old;
}

#endif /* HV_GUEST_ATOMICS_H */
