/*
 * printk: the hypervisor's log, with levels set by loglvl= and a
 * "(XENON) " prefix at the start of every line.
 */
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/irq.h>
#include <hv/printk.h>
#include <hv/spinlock.h>
#include <hv/string.h>

#define PRINTK_BUF_SIZE 512U
static const char line_prefix[] = "(XENON) ";

static enum log_level log_threshold = LOG_LEVEL_INFO;
static bool at_line_start = true;
static spinlock_t printk_lock = SPINLOCK_INIT;

enum log_level printk_set_level(enum log_level level)
{
	enum log_level old = log_threshold;

	log_threshold = level;
	return old;
}

/* Strip a "<N>" level marker from the front of fmt. */
static const char *take_level(const char *fmt, enum log_level *level)
{
	if ((fmt[0] == '<') && (fmt[1] >= '0') && (fmt[1] <= '3') &&
	    (fmt[2] == '>')) {
		*level = (enum log_level)(fmt[1] - '0');
		return fmt + 3;
	}
	*level = LOG_LEVEL_INFO;
	return fmt;
}

static void emit_lines(const char *s, size_t len)
{
	size_t start = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (at_line_start) {
			console_write(line_prefix, sizeof(line_prefix) - 1U);
			at_line_start = false;
		}
		if (s[i] == '\n') {
			console_write(&s[start], i + 1U - start);
			start = i + 1U;
			at_line_start = true;
		}
	}
	if (start < len) {
		console_write(&s[start], len - start);
	}
}

static void vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_BUF_SIZE];
	enum log_level level;
	unsigned long flags;
	int n;

	fmt = take_level(fmt, &level);
	if (level > log_threshold) {
		return;
	}
	n = format_vstring(buf, sizeof(buf), fmt, ap);
	if (n < 0) {
		return;
	}
	flags = spin_lock_irqsave(&printk_lock);
	emit_lines(buf, MIN((size_t)n, sizeof(buf) - 1U));
	spin_unlock_irqrestore(&printk_lock, flags);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

/* Xen's level names; "all" is the most verbose. */
static int level_from_name(const char *s, size_t len, enum log_level *out)
{
	static const char *const names[] = {"error", "warning", "info",
					    "debug"};
	size_t i;

	if ((len == 3U) && (strncmp(s, "all", 3) == 0)) {
		*out = LOG_LEVEL_DEBUG;
		return 0;
	}
	if ((len == 4U) && (strncmp(s, "none", 4) == 0)) {
		*out = LOG_LEVEL_ERR;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if ((strlen(names[i]) == len) &&
		    (strncmp(s, names[i], len) == 0)) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* loglvl=<level>[/<rate-limited level>]: the second part is accepted and
 * ignored, as Xenon does not rate-limit its own messages. */
static int param_loglvl(const char *value)
{
	const char *slash;
	enum log_level level;
	size_t len;

	if (value == NULL) {
		return -EINVAL;
	}
	slash = strchr(value, '/');
	len = (slash != NULL) ? (size_t)(slash - value) : strlen(value);
	if (level_from_name(value, len, &level) != 0) {
		return -EINVAL;
	}
	log_threshold = level;
	return 0;
}
HV_PARAM("loglvl", param_loglvl);

void printk_guest_line(const struct domain *d, const char *text, size_t len)
{
	char prefix[16];
	unsigned long flags;
	int n = 0;

	if (d != NULL) {
		n = format_string(prefix, sizeof(prefix), "(d%u) ",
				  d->domain_id);
	}
	/* As in Xen, the hardware domain's output is not kept in the
	 * console ring (XEN_SYSCTL_readconsole), the other domains' is. */
	bool keep = d != NULL;

	flags = spin_lock_irqsave(&printk_lock);
	if (!at_line_start) {
		console_write("\n", 1);
		at_line_start = true;
	}
	console_output(prefix, (size_t)n, keep);
	console_output(text, len, keep);
	console_output("\n", 1, keep);
	spin_unlock_irqrestore(&printk_lock, flags);
}
