/*
 * The console device and its input ring.
 *
 * Lock order: console_lock is a leaf; callers (printk) mask interrupts
 * before taking it because the receive interrupt takes rx_lock, never
 * console_lock.
 */
#include <hv/atomic.h>
#include <hv/console.h>
#include <hv/irq.h>
#include <hv/spinlock.h>

/* Output kept until a device registers, so early messages are not lost. */
#define EARLY_BUF_SIZE 8192U
#define RX_RING_SIZE 256U

static const struct console_ops *console_dev;
static char early_buf[EARLY_BUF_SIZE];
static size_t early_len;
static spinlock_t console_lock = SPINLOCK_INIT;

/* Everything written, for XEN_SYSCTL_readconsole (Xen's conring): bytes
 * [conring_c, conring_p) are kept, indices taken modulo the size. */
static char conring[CONSOLE_RING_SIZE];
static uint32_t conring_c;
static uint32_t conring_p;

static char rx_ring[RX_RING_SIZE];
static unsigned int rx_head; /* next slot to write */
static unsigned int rx_tail; /* next slot to read */
static spinlock_t rx_lock = SPINLOCK_INIT;
static console_input_route_fn input_route;

static void early_write(const char *s, size_t len)
{
	size_t i;

	for (i = 0; (i < len) && (early_len < EARLY_BUF_SIZE); i++) {
		early_buf[early_len] = s[i];
		early_len++;
	}
}

/* Write to the device, or keep until there is one (lock held). */
static void device_write(const char *s, size_t len)
{
	size_t i;

	if (console_dev == NULL) {
		early_write(s, len);
		return;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			console_dev->putc('\r');
		}
		console_dev->putc(s[i]);
	}
}

void console_write(const char *s, size_t len)
{
	console_output(s, len, true);
}

void console_output(const char *s, size_t len, bool keep)
{
	unsigned long flags;
	size_t i;

	flags = spin_lock_irqsave(&console_lock);
	for (i = 0; keep && (i < len); i++) {
		conring[conring_p % CONSOLE_RING_SIZE] = s[i];
		conring_p++;
	}
	if ((conring_p - conring_c) > CONSOLE_RING_SIZE) {
		conring_c = conring_p - CONSOLE_RING_SIZE;
	}
	device_write(s, len);
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_ring_state(uint32_t *c, uint32_t *p)
{
	*c = read_acquire(&conring_c);
	*p = read_acquire(&conring_p);
}

const char *console_ring(void)
{
	return conring;
}

void console_ring_clear(uint32_t upto)
{
	unsigned long flags;

	flags = spin_lock_irqsave(&console_lock);
	conring_c = ((conring_p - upto) > CONSOLE_RING_SIZE)
			    ? (conring_p - CONSOLE_RING_SIZE)
			    : upto;
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_register(const struct console_ops *ops)
{
	unsigned long flags;
	size_t len;

	flags = spin_lock_irqsave(&console_lock);
	console_dev = ops;
	len = early_len;
	early_len = 0;
	device_write(early_buf, len); /* already in the ring */
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_set_input_route(console_input_route_fn route)
{
	WRITE_ONCE(input_route, route);
}

void console_rx_char(char c)
{
	console_input_route_fn route = READ_ONCE(input_route);
	unsigned long flags;
	unsigned int next;

	if ((route != NULL) && route(c)) {
		return;
	}
	flags = spin_lock_irqsave(&rx_lock);
	next = (rx_head + 1U) % RX_RING_SIZE;
	if (next != rx_tail) { /* drop the character when full */
		rx_ring[rx_head] = c;
		rx_head = next;
	}
	spin_unlock_irqrestore(&rx_lock, flags);
}

bool console_getc(char *c)
{
	unsigned long flags;
	bool got = false;

	flags = spin_lock_irqsave(&rx_lock);
	if (rx_tail != rx_head) {
		*c = rx_ring[rx_tail];
		rx_tail = (rx_tail + 1U) % RX_RING_SIZE;
		got = true;
	}
	spin_unlock_irqrestore(&rx_lock, flags);
	return got;
}

__host_test_only void console_reset(void)
{
	console_dev = NULL;
	early_len = 0;
	conring_c = 0;
	conring_p = 0;
	rx_head = 0;
	rx_tail = 0;
	input_route = NULL;
}
