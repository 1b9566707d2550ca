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
	bool guest; /* a guest deactivates it */
};

static struct irq_desc irq_descs[NR_IRQS];
static spinlock_t irq_lock = SPINLOCK_INIT;

static int request(unsigned int irq, irq_handler_t handler, void *data,
		   bool guest)
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
		desc->guest = guest;
	}
	spin_unlock_irqrestore(&irq_lock, flags);
	if (err == 0) {
		arch_irq_unmask_line(irq);
	}
	return err;
}

int irq_request(unsigned int irq, irq_handler_t handler, void *data)
{
	return request(irq, handler, data, false);
}

int irq_request_guest(unsigned int irq, irq_handler_t handler, void *data)
{
	return request(irq, handler, data, true);
}

void irq_release(unsigned int irq)
{
	unsigned long flags;

	if (irq >= NR_IRQS) {
		return;
	}
	arch_irq_mask_line(irq);
	flags = spin_lock_irqsave(&irq_lock);
	irq_descs[irq].handler = NULL;
	irq_descs[irq].data = NULL;
	irq_descs[irq].guest = false;
	spin_unlock_irqrestore(&irq_lock, flags);
}

bool irq_handle(unsigned int irq)
{
	struct irq_desc *desc;

	if (irq >= NR_IRQS) {
		return true;
	}
	desc = &irq_descs[irq];
	if (desc->handler == NULL) {
		printk(XENLOG_WARNING "Spurious interrupt %u\n", irq);
		return true;
	}
	desc->handler(irq, desc->data);
	return !desc->guest;
}
