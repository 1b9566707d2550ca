/*
 * Physical interrupt handlers.
 */
#include <hv/errno.h>
#include <hv/irq.h>
#include <hv/printk.h>
#include <hv/spinlock.h>

struct irq_desc {
	irq_handler_t handler;
	void *data;
};

static struct irq_desc irq_descs[NR_IRQS];
static spinlock_t irq_lock = SPINLOCK_INIT;

int irq_request(unsigned int irq, irq_handler_t handler, void *data)
{
	struct irq_desc *desc;
	unsigned long flags;
	int err = 0;

	if ((irq >= NR_IRQS) || (handler == NULL)) {
		return -EINVAL;
	}
	desc = &irq_descs[irq];
	flags = spin_lock_irqsave(&irq_lock);
	if ((desc->handler != NULL) &&
	    ((desc->handler != handler) || (desc->data != data))) {
		err = -EBUSY;
	} else {
		desc->handler = handler;
		desc->data = data;
	}
	spin_unlock_irqrestore(&irq_lock, flags);
	if (err == 0) {
		arch_irq_unmask_line(irq);
	}
	return err;
}

void irq_handle(unsigned int irq)
{
	struct irq_desc *desc;

	if (irq >= NR_IRQS) {
		return;
	}
	desc = &irq_descs[irq];
	if (desc->handler == NULL) {
		printk(XENLOG_WARNING "Spurious interrupt %u\n", irq);
		return;
	}
	desc->handler(irq, desc->data);
}
