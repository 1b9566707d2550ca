/*
 * Test results. A result only gets worse: SUCCESS < SKIP < ERROR < FAILURE.
 * The messages are printed at once; the verdict is printed when the test
 * ends, as the domain's last line: "Test result: <NAME>".
 *
 *   xtf_success  the test ran and the behaviour is right
 *   xtf_skip     the test cannot run here (e.g. too few vCPUs)
 *   xtf_error    the test itself or its environment is broken
 *   xtf_failure  the behaviour under test is wrong
 */
#ifndef XTF_REPORT_H
#define XTF_REPORT_H

#include <xtf/lib.h>

enum xtf_result {
	XTF_NONE, /* nothing reported yet: ends as ERROR */
	XTF_SUCCESS,
	XTF_SKIP,
	XTF_ERROR,
	XTF_FAILURE,
};

void xtf_success(void);
void xtf_skip(const char *fmt, ...) __printf(1, 2);
void xtf_error(const char *fmt, ...) __printf(1, 2);
void xtf_failure(const char *fmt, ...) __printf(1, 2);

enum xtf_result xtf_result(void);

/*
 * Print the verdict and power the domain off (PSCI SYSTEM_OFF). May be
 * called on any vCPU; test_main() returning on vCPU 0 calls it.
 */
void xtf_exit(void) __noreturn;

#endif /* XTF_REPORT_H */
