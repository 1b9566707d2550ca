/*
 * A console device for unit tests that records everything printed.
 */
#ifndef TESTS_UNIT_FAKE_CONSOLE_H
#define TESTS_UNIT_FAKE_CONSOLE_H

#include <string.h>

#include <hv/console.h>

static char fake_console_buf[65536];
static size_t fake_console_len;

static void fake_console_putc(char c)
{
	if (fake_console_len < (sizeof(fake_console_buf) - 1U)) {
		fake_console_buf[fake_console_len] = c;
		fake_console_len++;
		fake_console_buf[fake_console_len] = '\0';
	}
}

static const struct console_ops fake_console_ops = {
	.putc = fake_console_putc,
};

/* Forget what was printed and record from now on. */
static inline void fake_console_start(void)
{
	console_reset();
	fake_console_len = 0;
	fake_console_buf[0] = '\0';
	console_register(&fake_console_ops);
}

static inline const char *fake_console_text(void)
{
	return fake_console_buf;
}

#endif /* TESTS_UNIT_FAKE_CONSOLE_H */
