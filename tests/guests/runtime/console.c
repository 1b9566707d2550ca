/*
 * Console backends: the emulated SBSA/PL011 UART (vpl011) when the device
 * tree has one, else HYPERVISOR_console_io(CONSOLEIO_write).
 *
 * The lock is recursive per vCPU, so that an exception taken while printing
 * can still report itself.
 */
#include <xtf/arch.h>
#include <xtf/console.h>
#include <xtf/hypercall.h>
#include <xtf/platform.h>
#include <xtf/smp.h>

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1U << 5)

#define PRINTF_BUF 256

static spinlock_t lock;
static unsigned int owner; /* vCPU index + 1, 0 if free */
static unsigned int depth;

void console_lock(void)
{
	unsigned int me = smp_processor_id() + 1;

	if (READ_ONCE(owner) == me) {
		depth++;
		return;
	}
	spin_lock(&lock);
	WRITE_ONCE(owner, me);
	depth = 1;
}

void console_unlock(void)
{
	if (--depth)
		return;
	WRITE_ONCE(owner, 0);
	spin_unlock(&lock);
}

long console_io_write(const char *s, size_t len)
{
	return HYPERVISOR_console_io(CONSOLEIO_write, (unsigned int)len, s);
}

static void uart_write(const char *s, size_t len)
{
	uint64_t base = platform.uart_base;

	for (; len; len--, s++) {
		while (readl(base + UART_FR) & UART_FR_TXFF)
			cpu_relax();
		writel((unsigned char)*s, base + UART_DR);
	}
}

void console_write_locked(const char *s, size_t len)
{
	if (platform.uart_base)
		uart_write(s, len);
	else
		console_io_write(s, len);
}

const char *console_name(void)
{
	return platform.uart_base ? "vpl011" : "console_io";
}

void console_init(void)
{
	/* Nothing to program: Xen's vpl011 needs no set-up to transmit. */
}

int vprintf(const char *fmt, va_list ap)
{
	char buf[PRINTF_BUF];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1;

	if (n >= (int)sizeof(buf)) /* truncated: still end the line */
		buf[len - 1] = '\n';
	console_lock();
	console_write_locked(buf, len);
	console_unlock();
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
