/*
 * The hypervisor's log. Each message may start with a level marker, as in
 * Xen: printk(XENLOG_WARNING "...\n"). Messages above the threshold set by
 * loglvl= are dropped. Every line on the console starts with "(XENON) ".
 */
#ifndef HV_PRINTK_H
#define HV_PRINTK_H

#include <hv/compiler.h>
#include <stdarg.h>

#define XENLOG_ERR "<0>"
#define XENLOG_WARNING "<1>"
#define XENLOG_INFO "<2>"
#define XENLOG_DEBUG "<3>"

enum log_level {
	LOG_LEVEL_ERR = 0,
	LOG_LEVEL_WARNING = 1,
	LOG_LEVEL_INFO = 2,
	LOG_LEVEL_DEBUG = 3,
};

/* Print a formatted message on the hypervisor console. */
void printk(const char *fmt, ...) __printf(1, 2);

struct domain;

/* Print one line of d's output as "(dN) text" (d = NULL: no prefix). */
void printk_guest_line(const struct domain *d, const char *text, size_t len);

/* Set the most verbose level printed; returns the previous one. */
enum log_level printk_set_level(enum log_level level);

/*
 * Format into buf (always NUL-terminated when size > 0). Supports %d %i %u
 * %x %X %o %c %s %p %% with the flags '-', '0', width, precision for %s and
 * the length modifiers hh h l ll z. Returns the length the output would have.
 */
int format_vstring(char *buf, size_t size, const char *fmt, va_list ap);
int format_string(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* HV_PRINTK_H */
