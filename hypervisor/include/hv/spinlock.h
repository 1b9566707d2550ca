/*
 * Ticket spinlocks built on hv/atomic.h, so the same code runs on the
 * target and in host unit tests.
 */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include <hv/atomic.h>
#include <hv/irq.h>
#include <hv/types.h>

typedef struct {
	unsigned int next; /* the ticket the next taker gets */
	unsigned int owner; /* the ticket that holds the lock */
} spinlock_t;

/* clang-format off */
#define SPINLOCK_INIT {0U, 0U}
/* clang-format on */

static inline void spin_lock(spinlock_t *lock)
{
	unsigned int ticket = fetch_add_relaxed(&lock->next, 1U);

	while (read_acquire(&lock->owner) != ticket) {
		/* Spin. */
	}
}

/* Take the lock if it is free; true if taken. */
static inline bool spin_trylock(spinlock_t *lock)
{
	unsigned int owner = read_acquire(&lock->owner);
	unsigned int ticket = owner;

	return cmpxchg_acquire(&lock->next, &ticket, owner + 1U);
}

static inline void spin_unlock(spinlock_t *lock)
{
	unsigned int owner = read_relaxed(&lock->owner);

	write_release(&lock->owner, owner + 1U);
}

/* Mask IRQs on this CPU, then take lock (for locks also taken by interrupt
 * handlers); returns the mask state for spin_unlock_irqrestore(). */
static inline unsigned long spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags = arch_irq_save();

	spin_lock(lock);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	arch_irq_restore(flags);
}

/*
 * Take the locks of one kind that two domains hold (a domain's grant
 * table, its event channels) in the documented order: that of the
 * domain with the lower ID first. b may be NULL or a itself: then only a
 * is taken. id_a and id_b are the domains' IDs.
 */
static inline void spin_lock_pair(spinlock_t *a, unsigned int id_a,
				  spinlock_t *b, unsigned int id_b)
{
	if ((b == NULL) || (b == a)) {
		spin_lock(a);
	} else if (id_b < id_a) {
		spin_lock(b);
		spin_lock(a);
	} else {
		spin_lock(a);
		spin_lock(b);
	}
}

static inline void spin_unlock_pair(spinlock_t *a, spinlock_t *b)
{
	if ((b != NULL) && (b != a)) {
		spin_unlock(b);
	}
	spin_unlock(a);
}

static inline void spin_lock_init(spinlock_t *lock)
{
	write_relaxed(&lock->next, 0U);
	write_relaxed(&lock->owner, 0U);
}

#endif /* HV_SPINLOCK_H */
