/* Results that only get worse, and the domain's last words. */
#include <xtf/arch.h>
#include <xtf/console.h>
#include <xtf/hypercall.h>
#include <xtf/psci.h>
#include <xtf/report.h>

static unsigned int result = XTF_NONE;

static const char *const result_names[] = {
	[XTF_NONE] = "ERROR", /* the test reported nothing */
	[XTF_SUCCESS] = "SUCCESS", [XTF_SKIP] = "SKIP",
	[XTF_ERROR] = "ERROR",	   [XTF_FAILURE] = "FAILURE",
};

static void worsen(enum xtf_result r)
{
	unsigned int old = __atomic_load_n(&result, __ATOMIC_RELAXED);

	while (old < (unsigned int)r &&
	       !__atomic_compare_exchange_n(&result, &old, (unsigned int)r,
					    false, __ATOMIC_SEQ_CST,
					    __ATOMIC_RELAXED))
		;
}

static void report(enum xtf_result r, const char *what, const char *fmt,
		   va_list ap)
{
	char msg[200];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	printf("%s: %s%s", what, msg,
	       msg[0] && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
	worsen(r);
}

enum xtf_result xtf_result(void)
{
	return (enum xtf_result)__atomic_load_n(&result, __ATOMIC_ACQUIRE);
}

void xtf_success(void)
{
	worsen(XTF_SUCCESS);
}

void xtf_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(XTF_SKIP, "Skip", fmt, ap);
	va_end(ap);
}

void xtf_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(XTF_ERROR, "Error", fmt, ap);
	va_end(ap);
}

void xtf_failure(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(XTF_FAILURE, "Failure", fmt, ap);
	va_end(ap);
}

static void say(const char *s)
{
	console_write_locked(s, strlen(s));
}

void xtf_exit(void)
{
	struct sched_shutdown sd = {.reason = SHUTDOWN_poweroff};
	char line[64];
	long rc;

	if (xtf_result() == XTF_NONE) {
		printf("Error: the test reported no result\n");
	}
	/*
	 * Keep the console locked to the end: nothing this domain prints can
	 * follow the verdict.
	 */
	console_lock();
	snprintf(line, sizeof(line), "Test result: %s\n",
		 result_names[xtf_result()]);
	say(line);
	rc = psci_system_off();
	snprintf(line, sizeof(line), "Failure: PSCI SYSTEM_OFF returned %ld\n",
		 rc);
	say(line);
	say("Test result: FAILURE\n");
	HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
	for (;;) {
		local_irq_disable();
		wfi();
	}
}
