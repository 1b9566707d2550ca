/*
 * ticker: the companion of the isolation, poweroff and long-batch tests.
 * Prints "tick N +G us" every 10 ms (sleeping in WFI on the virtual timer;
 * G is the time since the previous tick) forever, so the runner can see
 * that this domain keeps running, and how promptly, while the other one
 * faults, powers off or makes long hypercalls. Never reports a result.
 */
#include <xtf.h>

const char test_title[] = "Ticker: prints 'tick N' every 10 ms, forever";

void test_main(void)
{
	uint64_t last = timer_now();
	uint64_t now;
	unsigned int n;

	for (n = 1;; n++) {
		timer_sleep_us(10000);
		now = timer_now();
		/* The time since the last tick shows how long this domain
		 * was kept from running. */
		printf("tick %u +%llu us\n", n,
		       (unsigned long long)timer_ticks_to_us(now - last));
		last = now;
	}
}
