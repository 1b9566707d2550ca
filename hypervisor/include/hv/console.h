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

/* Write len bytes as they are (no prefix), and keep them in the ring. */
void console_write(const char *s, size_t len);

/* The same, kept in the ring only if keep is set. */
void console_output(const char *s, size_t len, bool keep);

/* The ring of everything written (Xen's conring): the oldest kept byte is
 * at index *c, the next to write at *p (free-running, taken modulo
 * CONSOLE_RING_SIZE into console_ring()). console_ring_clear() drops the
 * bytes before upto. */
#define CONSOLE_RING_SIZE 16384U
void console_ring_state(uint32_t *c, uint32_t *p);
const char *console_ring(void);
void console_ring_clear(uint32_t upto);

/* Called by the device driver for each received character (IRQ context). */
void console_rx_char(char c);

/* Offer each received character to route first (IRQ context); it returns
 * true if it consumed c, false to leave c to the hypervisor's input ring.
 * A callback, so the console needs nothing above it (no domains). */
typedef bool (*console_input_route_fn)(char c);
void console_set_input_route(console_input_route_fn route);

/*
 * Input focus (console-input.c): three Ctrl-a in a row move the input to
 * the next domain with a console, then back to the hypervisor, as in Xen.
 * At the end of boot it takes the input (registers its router) and gives
 * it to dom0, if there is one, as in Xen; until then all input is the
 * hypervisor's.
 */
void console_input_endboot(void);

/* Domain ID that has the input focus, or DOMID_XEN-like 0x7ff2 for the
 * hypervisor. */
unsigned int console_input_focus(void);

/* Take one character from the input ring; false if it is empty. */
bool console_getc(char *c);

/* Drop any console state (host unit tests only: not linked into the
 * image). */
void console_reset(void);

#endif /* HV_CONSOLE_H */
