/*
 * The hypervisor's own timers: a per-CPU queue ordered by deadline, behind
 * one hardware timer per CPU (the EL2 physical timer on Arm).
 *
 * Lock order: a CPU's timer lock is a leaf lock.
 */
#ifndef HV_TIMER_H
#define HV_TIMER_H

#include <hv/time.h>

struct timer {
	s_time_t expires;
	void (*fn)(void *data);
	void *data;
	unsigned int cpu;
	bool active;
	struct timer *next;
};

/* Program this CPU's hardware timer to fire at deadline (ns since boot);
 * 0 turns it off (arch hook). */
void arch_timer_program(s_time_t deadline);

/* Prepare t to call fn(data) on cpu; t must not be active. */
void timer_init(struct timer *t, void (*fn)(void *data), void *data,
		unsigned int cpu);

/* (Re)arm t for expires; a deadline in the past fires at the next
 * timer interrupt of t's CPU. */
void timer_set(struct timer *t, s_time_t expires);

/* Disarm t if it is armed. */
void timer_stop(struct timer *t);

/* Run this CPU's expired timers and reprogram the hardware (called from
 * the timer interrupt). */
void timer_interrupt(void);

#endif /* HV_TIMER_H */
