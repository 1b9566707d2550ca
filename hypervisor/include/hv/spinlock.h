/*
 * Ticket spinlocks built on C11 atomics, so the same code runs on the
 * target and in host unit tests.
 */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include <hv/types.h>
#include <stdatomic.h>

typedef struct {
	atomic_uint next;
	atomic_uint owner;
} spinlock_t;

/* clang-format off */
#define SPINLOCK_INIT {0U, 0U}
/* clang-format on */

static inline void spin_lock(spinlock_t *lock)
{
	unsigned int ticket = atomic_fetch_add_explicit(&lock->next, 1U,
							memory_order_relaxed);

	while (atomic_load_explicit(&lock->owner, memory_order_acquire) !=
	       ticket) {
		/* Spin. */
	}
}

/* Take the lock if it is free; true if taken. */
static inline bool spin_trylock(spinlock_t *lock)
{
	unsigned int owner =
		atomic_load_explicit(&lock->owner, memory_order_acquire);
	unsigned int ticket = owner;

	return atomic_compare_exchange_strong_explicit(&lock->next, &ticket,
						       owner + 1U,
						       memory_order_acquire,
						       memory_order_relaxed);
}

static inline void spin_unlock(spinlock_t *lock)
{
	unsigned int owner =
		atomic_load_explicit(&lock->owner, memory_order_relaxed);

	atomic_store_explicit(&lock->owner, owner + 1U, memory_order_release);
}

static inline void spin_lock_init(spinlock_t *lock)
{
	atomic_init(&lock->next, 0U);
	atomic_init(&lock->owner, 0U);
}

#endif /* HV_SPINLOCK_H */
