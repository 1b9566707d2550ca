/*
 * System time derived from the architecture's counter.
 */
#include <hv/time.h>

s_time_t time_ticks_to_ns(uint64_t ticks)
{
	uint64_t freq = arch_counter_freq();
	uint64_t secs = ticks / freq;
	uint64_t rem = ticks % freq;

	/* Split to avoid overflowing 64 bits for large tick counts. */
	return (s_time_t)((secs * 1000000000ULL) +
			  ((rem * 1000000000ULL) / freq));
}

uint64_t time_ns_to_ticks(s_time_t ns)
{
	uint64_t freq = arch_counter_freq();
	uint64_t n = (ns > 0) ? (uint64_t)ns : 0U;
	uint64_t secs = n / 1000000000ULL;
	uint64_t rem = n % 1000000000ULL;

	return (secs * freq) + (((rem * freq) + 999999999ULL) / 1000000000ULL);
}

s_time_t time_now(void)
{
	return time_ticks_to_ns(arch_counter_read());
}

void time_delay(s_time_t ns)
{
	uint64_t end = arch_counter_read() + time_ns_to_ticks(ns);

	while (arch_counter_read() < end) {
		/* Spin. */
	}
}
