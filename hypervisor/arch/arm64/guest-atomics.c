/*
 * The bound of the guest atomics (hv/guest-atomics.h) on arm64: as Xen
 * does, each CPU counts the load/store-exclusive attempts it makes in 1 us
 * on memory nobody else writes. guest_atomic_max_tries is the smallest
 * count over the CPUs, so an operation a guest keeps failing holds a CPU
 * for about as long as 1 us of uncontended attempts before the owner is
 * paused (each contended attempt costs more: a cache-line transfer).
 *
 * It stays at or below the default of core/guest-atomics.c (1000) and at
 * GUEST_ATOMIC_MIN_TRIES or more: under emulation reading
 * the counter can cost more than an attempt, and a guest that only
 * sometimes writes the word at the same moment must not get paused.
 *
 * The CPUs this runs on have no LSE (the build is armv8.0); where a CPU
 * has it, its single-instruction atomics would need no bound at all.
 */
#include <hv/guest-atomics.h>
#include <hv/printk.h>
#include <hv/time.h>

#define GUEST_ATOMIC_MIN_TRIES 16U

void guest_atomics_init_cpu(unsigned int cpu)
{
	uint64_t deadline =
		arch_counter_read() + time_ns_to_ticks(MICROSECS(1));
	uint32_t word = 0;
	uint32_t old;
	unsigned int measured = 0;
	unsigned int count;
	unsigned int cur;

	do {
		(void)arch_guest_try_or32(&word, 1U, &old);
		measured++;
	} while (arch_counter_read() < deadline);
	count = MAX(measured, GUEST_ATOMIC_MIN_TRIES);

	/* CPUs may come up together: keep the smallest. */
	cur = __atomic_load_n(&guest_atomic_max_tries, __ATOMIC_RELAXED);
	while (count < cur) {
		if (__atomic_compare_exchange_n(&guest_atomic_max_tries, &cur,
						count, false, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED)) {
			break;
		}
	}
	printk(XENLOG_DEBUG "CPU%u: %u load/store-exclusive attempts in 1 us; "
			    "guest atomics try %u times before pausing the "
			    "domain\n",
	       cpu, measured,
	       __atomic_load_n(&guest_atomic_max_tries, __ATOMIC_RELAXED));
}
