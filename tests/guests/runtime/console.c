/*
 * Console backends: the emulated SBSA/PL011 UART (vpl011) when the device
 * tree has one; Xen's PV console ring (the page and event channel of
 * HVM_PARAM_CONSOLE_PFN/EVTCHN, read by xenconsoled in dom0) when the
 * command line says console=xenpv, as for a guest xl builds; else
 * HYPERVISOR_console_io(CONSOLEIO_write).
 *
 * The lock is recursive per vCPU, so that an exception taken while printing
 * can still report itself.
 */
#include <xtf/arch.h>
#include <xtf/console.h>
#include <xtf/hypercall.h>
#include <xtf/platform.h>
#include <xtf/smp.h>

#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>

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
	if (--depth) {
		return;
	}
	WRITE_ONCE(owner, 0);
	spin_unlock(&lock);
}

/* The PV console ring, when in use (mapped Device by head.S: below 1 GiB). */
static volatile struct xencons_interface *xencons;
static evtchn_port_t xencons_port;

/* How long to wait for xenconsoled to make room before dropping output. */
#define XENCONS_SPINS 100000000UL

static void xencons_write(const char *s, size_t len)
{
	struct evtchn_send send = {.port = xencons_port};
	XENCONS_RING_IDX prod = xencons->out_prod;
	unsigned long spins = 0;

	for (; len; len--, s++) {
		while (prod - READ_ONCE(xencons->out_cons) >=
		       sizeof(xencons->out)) {
			if (++spins > XENCONS_SPINS) {
				return;
			}
			cpu_relax();
		}
		xencons->out[MASK_XENCONS_IDX(prod, xencons->out)] = *s;
		prod++;
	}
	__asm__ volatile("dmb ish" ::: "memory");
	xencons->out_prod = prod;
	xen_hypercall3(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
		       (unsigned long)&send, 0);
}

/* Whether the command line holds word w. */
static bool has_word(const char *line, const char *w)
{
	size_t n = strlen(w);

	while (*line) {
		if (!strncmp(line, w, n) && (line[n] == ' ' || !line[n])) {
			return true;
		}
		while (*line && *line != ' ') {
			line++;
		}
		while (*line == ' ') {
			line++;
		}
	}
	return false;
}

long console_io_write(const char *s, size_t len)
{
	return HYPERVISOR_console_io(CONSOLEIO_write, (unsigned int)len, s);
}

static void uart_write(const char *s, size_t len)
{
	uint64_t base = platform.uart_base;

	for (; len; len--, s++) {
		while (readl(base + UART_FR) & UART_FR_TXFF) {
			cpu_relax();
		}
		writel((unsigned char)*s, base + UART_DR);
	}
}

void console_write_locked(const char *s, size_t len)
{
	if (platform.uart_base) {
		uart_write(s, len);
	} else if (xencons) {
		xencons_write(s, len);
	} else {
		console_io_write(s, len);
	}
}

const char *console_name(void)
{
	if (platform.uart_base) {
		return "vpl011";
	}
	return xencons ? "xenpv" : "console_io";
}

void console_init(void)
{
	uint64_t pfn, port;

	/* Nothing to program for Xen's vpl011 to transmit. */
	if (platform.uart_base || !platform.bootargs ||
	    !has_word(platform.bootargs, "console=xenpv")) {
		return;
	}
	if (xtf_hvm_get_param(HVM_PARAM_CONSOLE_PFN, &pfn) &&
	    xtf_hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, &port) && pfn &&
	    (pfn << 12) < (1UL << 30)) {
		xencons = (volatile struct xencons_interface *)(pfn << 12);
		xencons_port = (evtchn_port_t)port;
	}
}

int vprintf(const char *fmt, va_list ap)
{
	char buf[PRINTF_BUF];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1;

	if (n >= (int)sizeof(buf)) { /* truncated: still end the line */
		buf[len - 1] = '\n';
	}
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
