/*
 * The hypercall loop every trap benchmark uses, shared by the guests and
 * the bare-metal floor (bench/floor), so that both time the same
 * instructions around each HVC.
 */
#ifndef BENCH_HVC_H
#define BENCH_HVC_H

#include <xtf/hypercall.h>

/* `count` hypercalls `op`(a0, a1), results ignored. */
static inline void bench_hvc_batch(unsigned long op, unsigned long a0,
				   unsigned long a1, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		(void)xen_hypercall3(op, a0, a1, 0);
}

#endif /* BENCH_HVC_H */
