/*
 * Emulated PL011 for guests.
 */
#include <hv/errno.h>
#include <hv/irq.h>
#include <hv/page-alloc.h>
#include <hv/spinlock.h>
#include <hv/vmmio.h>

#include <xen/arch-arm.h>

#include <asm/vgic.h>
#include <asm/vpl011.h>

#define UARTDR 0x000U
#define UARTFR 0x018U
#define UARTCR 0x030U
#define UARTIMSC 0x038U
#define UARTRIS 0x03CU
#define UARTMIS 0x040U
#define UARTICR 0x044U
#define UARTPERIPHID0 0xFE0U

#define FR_RXFE (1U << 4)
#define FR_RXFF (1U << 6)
#define FR_TXFE (1U << 7)
#define INT_RX (1U << 4)
#define INT_TX (1U << 5)
#define INT_RT (1U << 6)

#define RX_SIZE 64U

struct vpl011 {
	spinlock_t lock;
	uint32_t imsc;
	uint32_t cr;
	char rx[RX_SIZE];
	unsigned int rx_head;
	unsigned int rx_count;
};

/* PL011 peripheral and cell ID bytes, read at 0xFE0-0xFFC. */
static const uint8_t id_regs[8] = {0x11, 0x10, 0x14, 0x00,
				   0x0d, 0xf0, 0x05, 0xb1};

/* The transmitter is always empty: characters leave at once. */
static uint32_t raw_status(const struct vpl011 *u)
{
	return INT_TX | ((u->rx_count > 0U) ? (INT_RX | INT_RT) : 0U);
}

static void update_irq(struct domain *d, const struct vpl011 *u)
{
	vgic_set_level(d, GUEST_VPL011_SPI, (raw_status(u) & u->imsc) != 0U);
}

static uint32_t pop_rx(struct vpl011 *u)
{
	uint32_t c;

	if (u->rx_count == 0U) {
		return 0;
	}
	c = (uint8_t)u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1U) % RX_SIZE;
	u->rx_count--;
	return c;
}

static uint32_t read_reg(struct vpl011 *u, uint64_t off)
{
	switch (off) {
	case UARTDR:
		return pop_rx(u);
	case UARTFR:
		return FR_TXFE | ((u->rx_count == 0U) ? FR_RXFE : 0U) |
		       ((u->rx_count == RX_SIZE) ? FR_RXFF : 0U);
	case UARTCR:
		return u->cr;
	case UARTIMSC:
		return u->imsc;
	case UARTRIS:
		return raw_status(u);
	case UARTMIS:
		return raw_status(u) & u->imsc;
	default:
		if ((off >= UARTPERIPHID0) && (off < 0x1000U)) {
			return id_regs[(off - UARTPERIPHID0) / 4U];
		}
		return 0;
	}
}

static bool vpl011_read(struct vcpu *v, uint64_t off, unsigned int size,
			uint64_t *val, void *priv)
{
	struct vpl011 *u = priv;
	unsigned long flags = arch_irq_save();

	(void)size;
	spin_lock(&u->lock);
	*val = read_reg(u, off & ~3ULL);
	spin_unlock(&u->lock);
	update_irq(v->domain, u);
	arch_irq_restore(flags);
	return true;
}

static bool vpl011_write(struct vcpu *v, uint64_t off, unsigned int size,
			 uint64_t val, void *priv)
{
	struct vpl011 *u = priv;
	unsigned long flags = arch_irq_save();

	(void)size;
	spin_lock(&u->lock);
	switch (off & ~3ULL) {
	case UARTIMSC:
		u->imsc = (uint32_t)val & 0x7ffU;
		break;
	case UARTCR:
		u->cr = (uint32_t)val;
		break;
	default:
		break; /* ICR and line settings have no effect */
	}
	spin_unlock(&u->lock);
	if ((off & ~3ULL) == UARTDR) {
		guest_console_putc(v->domain, (char)(val & 0xffU));
	}
	update_irq(v->domain, u);
	arch_irq_restore(flags);
	return true;
}

static const struct vmmio_ops vpl011_ops = {
	.read = vpl011_read,
	.write = vpl011_write,
};

int vpl011_init(struct domain *d)
{
	struct vpl011 *u = xzalloc(sizeof(*u));

	if (u == NULL) {
		return -ENOMEM;
	}
	spin_lock_init(&u->lock);
	d->arch.vpl011 = u;
	return vmmio_register(&d->mmio, GUEST_PL011_BASE, GUEST_PL011_SIZE,
			      &vpl011_ops, u);
}

void vpl011_destroy(struct domain *d)
{
	xfree(d->arch.vpl011);
	d->arch.vpl011 = NULL;
}

void vpl011_rx_char(struct domain *d, char c)
{
	struct vpl011 *u = d->arch.vpl011;
	unsigned long flags;

	if (u == NULL) {
		return;
	}
	flags = arch_irq_save(); /* also over update_irq() */
	spin_lock(&u->lock);
	if (u->rx_count < RX_SIZE) {
		u->rx[(u->rx_head + u->rx_count) % RX_SIZE] = c;
		u->rx_count++;
	}
	spin_unlock(&u->lock);
	update_irq(d, u);
	arch_irq_restore(flags);
}
