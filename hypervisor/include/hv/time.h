/*
 * System time: nanoseconds since boot, read from the architecture's
 * free-running counter.
 */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <hv/types.h>

typedef int64_t s_time_t;

#define MICROSECS(us) ((s_time_t)(us) * 1000LL)
#define MILLISECS(ms) ((s_time_t)(ms) * 1000000LL)
#define SECONDS(s) ((s_time_t)(s) * 1000000000LL)

/* Current counter value and its frequency in Hz (arch hooks). */
uint64_t arch_counter_read(void);
uint64_t arch_counter_freq(void);

/* Nanoseconds since the counter started. */
s_time_t time_now(void);

/* Convert between counter ticks and nanoseconds. */
uint64_t time_ns_to_ticks(s_time_t ns);
s_time_t time_ticks_to_ns(uint64_t ticks);

/* Busy-wait for at least ns nanoseconds. */
void time_delay(s_time_t ns);

#endif /* HV_TIME_H */
