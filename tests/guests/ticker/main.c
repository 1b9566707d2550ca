/*
 * ticker: the companion of the isolation and poweroff tests. Prints
 * "tick N" every 10 ms (sleeping in WFI on the virtual timer) forever, so
 * the runner can see that this domain keeps running while the other one
 * faults or powers off. Never reports a result.
 */
#include <xtf.h>

const char test_title[] = "Ticker: prints 'tick N' every 10 ms, forever";

void test_main(void)
{
	unsigned int n;

	for (n = 1;; n++) {
		timer_sleep_us(10000);
		printf("tick %u\n", n);
	}
}
