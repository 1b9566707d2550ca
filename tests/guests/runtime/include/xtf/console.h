/*
 * Console: printf-like output, one call = one chunk written under a lock so
 * lines from different vCPUs do not mix (keep lines under 120 characters:
 * Xen's vpl011 flushes its per-domain buffer at 128).
 *
 * Goes to the emulated PL011 (vpl011) when the device tree has an
 * "arm,sbsa-uart" or "arm,pl011" node, else to HYPERVISOR_console_io.
 *
 * Formats: %d %i %u %x %X %o %c %s %p %%, flags '-' '0' '#' and width,
 * length modifiers hh h l ll z.
 */
#ifndef XTF_CONSOLE_H
#define XTF_CONSOLE_H

#include <xtf/lib.h>

int printf(const char *fmt, ...) __printf(1, 2);
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Which backend is in use, for the banner: "vpl011" or "console_io". */
const char *console_name(void);

/* Set up the backend from the platform description (runtime only). */
void console_init(void);

/*
 * The console lock, for the runtime's last words: held from the result line
 * to SYSTEM_OFF so that no other vCPU prints after the result.
 */
void console_lock(void);
void console_unlock(void);
/* Write text with the lock already held. */
void console_write_locked(const char *s, size_t len);

/* Write through HYPERVISOR_console_io whatever the backend; returns x0. */
long console_io_write(const char *s, size_t len);

#endif /* XTF_CONSOLE_H */
