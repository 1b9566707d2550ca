/* The architected virtual timer (CNTV_*, CNTVCT_EL0). */
#ifndef XTF_TIMER_H
#define XTF_TIMER_H

#include <xtf/lib.h>

#define CNT_CTL_ENABLE (1U << 0)
#define CNT_CTL_IMASK (1U << 1)
#define CNT_CTL_ISTATUS (1U << 2)

uint64_t timer_freq(void);
uint64_t timer_now(void); /* CNTVCT_EL0, ordered by an ISB */
uint64_t timer_us_to_ticks(uint64_t us);
uint64_t timer_ticks_to_us(uint64_t ticks);

/* Fire (CNTV_CTL.ISTATUS, interrupt) when CNTVCT >= cval. */
void timer_arm_at(uint64_t cval);
void timer_disable(void);
uint32_t timer_ctl(void);

/* Spin (no WFI) for `us` microseconds. */
void timer_busy_wait_us(uint64_t us);

/*
 * Sleep `us` microseconds in WFI with IRQs masked, woken by the virtual
 * timer's interrupt (enabled in the GIC by this call). Returns the CNTVCT
 * when it woke.
 */
uint64_t timer_sleep_us(uint64_t us);

/* Has `deadline` (a CNTVCT value) passed? */
static inline bool timer_expired(uint64_t deadline)
{
	return timer_now() >= deadline;
}

#endif /* XTF_TIMER_H */
