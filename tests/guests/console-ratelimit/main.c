/*
 * A domU floods its console through console_io: under
 * guest_loglvl=info/all (run.py) its lines are Xen's rate-limited guest
 * messages, so the console shows a burst of 10 and drops the rest (run.py
 * counts them). Its own UART output is not limited.
 */
#include <xtf.h>

#include <xen/xen.h>

const char test_title[] = "console_io lines of a domU are rate-limited "
			  "as guest_loglvl says";

#define LINES 30U

void test_main(void)
{
	char line[40];
	unsigned int i;
	long rc;
	int n;

	for (i = 0; i < LINES; i++) {
		n = snprintf(line, sizeof(line), "flood line %u\n", i);
		rc = HYPERVISOR_console_io(CONSOLEIO_write, (unsigned int)n,
					   line);
		if (rc != 0) {
			xtf_failure("console_io write %u: %ld", i, rc);
			return;
		}
	}
	printf("console-ratelimit: %u lines written\n", LINES);
	xtf_success();
}
