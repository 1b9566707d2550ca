/*
 * Benchmark helpers for guests built on the tests/guests runtime.
 *
 * Every figure is a count of ticks of the generic counter (CNTVCT_EL0 for
 * intervals inside a domain, CNTPCT_EL0 for "since reset"). The guest prints
 * one line per figure, which bench/run.py parses:
 *
 *     bench: <name> <median> ticks min=<min> max=<max> n=<samples> per=<per>
 *
 * A sample covers `per` repetitions of the operation (batching, so that a
 * cheap operation spans many ticks); the runner divides by `per`. When an
 * operation is not available the line is
 *
 *     bench: <name> unsupported <reason>
 *
 * Nothing here checks timing: a benchmark fails only when the operation
 * itself misbehaves (a wrong return value, an interrupt that never comes).
 */
#ifndef BENCH_H
#define BENCH_H

#include <xtf.h>

#define BENCH_MAX_SAMPLES 1024

/* Where boot-prefix.S leaves the CNTPCT of the first instruction. */
#define BENCH_PREFIX_SIZE 0x1000
#define BENCH_PREFIX_STAMP 0x800

/* The generic counter, ordered after everything before it. */
static inline uint64_t bench_vct(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static inline uint64_t bench_pct(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v) : : "memory");
	return v;
}

/* PSTATE.I clear then set again: a pending IRQ is taken in between. */
static inline void bench_irq_window(void)
{
	__asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2"
			 :
			 :
			 : "memory");
}

struct bench_stats {
	uint64_t min, median, max;
	unsigned int n;
};

/* Sort a copy of samples[0..n) and take min/median/max (n <= MAX). */
void bench_stats(const uint64_t *samples, unsigned int n,
		 struct bench_stats *out);

/* Print the "bench:" line for samples of `per` operations each. */
void bench_report(const char *name, const uint64_t *samples, unsigned int n,
		  unsigned int per);

/* Print "bench: <name> unsupported <why>". */
void bench_unsupported(const char *name, const char *fmt, ...) __printf(2, 3);

/* The CNTPCT value boot-prefix.S stored at the domain's first instruction;
 * 0 if the image was not built with the prefix. */
uint64_t bench_boot_stamp(void);

#endif /* BENCH_H */
