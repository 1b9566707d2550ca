/* Statistics and the "bench:" lines (see bench.h). */
#include <bench.h>

static uint64_t sorted[BENCH_MAX_SAMPLES];

void bench_stats(const uint64_t *samples, unsigned int n,
		 struct bench_stats *out)
{
	unsigned int i, j;
	uint64_t v;

	if (n > BENCH_MAX_SAMPLES)
		n = BENCH_MAX_SAMPLES;
	/* Insertion sort: n is small and the samples are mostly equal. */
	for (i = 0; i < n; i++) {
		v = samples[i];
		for (j = i; j > 0 && sorted[j - 1] > v; j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = v;
	}
	out->n = n;
	out->min = n ? sorted[0] : 0;
	out->max = n ? sorted[n - 1] : 0;
	out->median = n ? sorted[n / 2] : 0;
}

void bench_report(const char *name, const uint64_t *samples, unsigned int n,
		  unsigned int per)
{
	struct bench_stats st;

	bench_stats(samples, n, &st);
	printf("bench: %s %lu ticks min=%lu max=%lu n=%u per=%u\n", name,
	       st.median, st.min, st.max, st.n, per);
}

void bench_unsupported(const char *name, const char *fmt, ...)
{
	char why[100];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printf("bench: %s unsupported %s\n", name, why);
}

uint64_t bench_boot_stamp(void)
{
	extern const char _start[]; /* the runtime image (head.S) */
	const char magic[4] = {'A', 'R', 'M', 0x64};
	uintptr_t prefix = (uintptr_t)_start - BENCH_PREFIX_SIZE;

	/* The prefix is there only if it carries an Image header itself; the
	 * plain image starts at the RAM base, the prefixed one 4 KiB later. */
	if ((uintptr_t)_start < platform.ram_base + BENCH_PREFIX_SIZE ||
	    memcmp((const void *)(prefix + 56), magic, 4) != 0)
		return 0;
	return *(const volatile uint64_t *)(prefix + BENCH_PREFIX_STAMP);
}
