/*
 * The hypervisor console: one output device found through the device tree,
 * and an input ring filled by the device's receive interrupt.
 */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <hv/compiler.h>

struct console_ops {
	/* Write one character, waiting for room. Called with the console
	 * lock held and interrupts masked. */
	void (*putc)(char c);
};

/* Attach the output device; text logged before this is replayed on it. */
void console_register(const struct console_ops *ops);

/* Write len bytes as they are (no prefix). */
void console_write(const char *s, size_t len);

/* Called by the device driver for each received character (IRQ context). */
void console_rx_char(char c);

/* Take one character from the input ring; false if it is empty. */
bool console_getc(char *c);

/* Drop any console state (host unit tests only). */
void console_reset(void);

#endif /* HV_CONSOLE_H */
