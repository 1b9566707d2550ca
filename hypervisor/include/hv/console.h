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

/*
 * Input focus (console-input.c): three Ctrl-a in a row move the input to
 * the next domain with a console, then back to the hypervisor, as in Xen.
 * Returns true if c was consumed (by the switch or by a domain).
 */
bool console_input_route(char c);

/* Domain ID that has the input focus, or DOMID_XEN-like 0x7ff2 for the
 * hypervisor. */
unsigned int console_input_focus(void);

/* Take one character from the input ring; false if it is empty. */
bool console_getc(char *c);

/* Drop any console state (host unit tests only). */
void console_reset(void);

#endif /* HV_CONSOLE_H */
