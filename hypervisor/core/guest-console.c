/*
 * Guests' console lines and console input: what a domain prints (through
 * its emulated UART or console_io) and what is typed to it.
 */
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/irq.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/time.h>

#include <xen/xen.h>

/*
 * guest_loglvl=<lower>[/<upper>], Xen's option and levels (none 0, error 1,
 * warning 2, info 3, debug and all 4). A domU's console_io lines are Xen's
 * guest debug messages (level 3): printed if below lower, rate-limited if
 * below upper, else dropped. The default is Xen's for a release build,
 * none/warning: console_io output of domUs is not printed. The rate limit
 * is Xen's printk_ratelimit (a burst of 10 lines, then one every 5 s), but
 * per domain, so that one domain's flood does not silence the others.
 */
#define GUEST_IO_LEVEL 3U
#define RATELIMIT_MS 5000U
#define RATELIMIT_BURST 10U

static unsigned int guest_lower;
static unsigned int guest_upper = 2U;

static bool level_from_name(const char **s, unsigned int *out)
{
	static const char *const names[] = {"none", "error", "warning",
					    "info", "debug", "all"};
	static const unsigned int levels[] = {0U, 1U, 2U, 3U, 4U, 4U};
	size_t i;
	size_t len;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		len = strlen(names[i]);
		if (strncmp(*s, names[i], len) == 0) {
			*s += len;
			*out = levels[i];
			return true;
		}
	}
	return false;
}

static int param_guest_loglvl(const char *value)
{
	const char *s = value;
	unsigned int lower;
	unsigned int upper;

	if ((s == NULL) || !level_from_name(&s, &lower)) {
		return -EINVAL;
	}
	upper = lower;
	if ((*s == '/') && (s++, !level_from_name(&s, &upper))) {
		return -EINVAL;
	}
	if (*s != '\0') {
		return -EINVAL;
	}
	guest_lower = lower;
	guest_upper = (upper < lower) ? lower : upper;
	return 0;
}
HV_PARAM("guest_loglvl", param_guest_loglvl);

/* May a console_io line of d be printed now? Called with its lock held. */
static bool io_line_allowed(struct domain *d)
{
	struct guest_console *con = &d->console;
	uint64_t now_ms = (uint64_t)time_now() / 1000000U;
	uint64_t cap = (uint64_t)RATELIMIT_BURST * RATELIMIT_MS;

	if (GUEST_IO_LEVEL < guest_lower) {
		return true;
	}
	if (GUEST_IO_LEVEL >= guest_upper) {
		return false;
	}
	if (!con->bucket_started) {
		con->bucket_started = true;
		con->tokens_ms = cap;
		con->last_ms = now_ms;
	}
	con->tokens_ms += now_ms - con->last_ms;
	con->last_ms = now_ms;
	if (con->tokens_ms > cap) {
		con->tokens_ms = cap;
	}
	if (con->tokens_ms < RATELIMIT_MS) {
		con->missed++;
		return false;
	}
	con->tokens_ms -= RATELIMIT_MS;
	if (con->missed != 0U) {
		printk(XENLOG_WARNING "d%u: %u console lines suppressed\n",
		       d->domain_id, con->missed);
		con->missed = 0;
	}
	return true;
}

/* Is c shown as it is? Printable ASCII and tab. */
static bool printable(char c)
{
	return ((c >= ' ') && (c <= '~')) || (c == '\t');
}

static void console_putc(struct domain *d, char c, bool io)
{
	struct guest_console *con = &d->console;
	unsigned long flags;

	/* A domU's control bytes (escape sequences) reach the operator's
	 * terminal only while its console has the input: the one being
	 * typed to is interactive, the others cannot drive the terminal
	 * (Xen strips them from a domU's console_io output). */
	if (!printable(c) && (c != '\n') && !d->is_hardware_domain &&
	    (io || (console_input_focus() != d->domain_id))) {
		return;
	}
	flags = spin_lock_irqsave(&con->lock);
	con->line_from_io = con->line_from_io || io;
	if ((c != '\n') && (c != '\r')) {
		con->line[con->len] = c;
		con->len++;
	}
	if ((c == '\n') || (con->len == (sizeof(con->line) - 1U))) {
		if (!con->line_from_io || d->is_hardware_domain ||
		    io_line_allowed(d)) {
			printk_guest_line(d->is_hardware_domain ? NULL : d,
					  con->line, con->len);
		}
		con->len = 0;
		con->line_from_io = false;
	}
	spin_unlock_irqrestore(&con->lock, flags);
}

void guest_console_putc(struct domain *d, char c)
{
	console_putc(d, c, false);
}

void guest_console_io_putc(struct domain *d, char c)
{
	console_putc(d, c, true);
}

void guest_console_input(struct domain *d, char c)
{
	struct guest_console *con = &d->console;
	unsigned long flags;

	flags = spin_lock_irqsave(&con->lock);
	if (con->in_count < GUEST_CONSOLE_IN) {
		con->in[(con->in_head + con->in_count) % GUEST_CONSOLE_IN] = c;
		con->in_count++;
	}
	spin_unlock_irqrestore(&con->lock, flags);
	(void)evtchn_send_virq(d, VIRQ_CONSOLE);
}

size_t guest_console_read(struct domain *d, char *buf, size_t max)
{
	struct guest_console *con = &d->console;
	unsigned long flags;
	size_t n = 0;

	flags = spin_lock_irqsave(&con->lock);
	while ((n < max) && (con->in_count > 0U)) {
		buf[n] = con->in[con->in_head];
		con->in_head = (con->in_head + 1U) % GUEST_CONSOLE_IN;
		con->in_count--;
		n++;
	}
	spin_unlock_irqrestore(&con->lock, flags);
	return n;
}
