/*
 * Guests' console lines and console input: what a domain prints (through
 * its emulated UART or console_io) and what is typed to it.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/irq.h>
#include <hv/printk.h>

#include <xen/xen.h>

/* Is c shown as it is? Printable ASCII and tab. */
static bool printable(char c)
{
	return ((c >= ' ') && (c <= '~')) || (c == '\t');
}

void guest_console_putc(struct domain *d, char c)
{
	struct guest_console *con = &d->console;
	unsigned long flags;

	/* A domU's control bytes (escape sequences) reach the operator's
	 * terminal only while its console has the input: the one being
	 * typed to is interactive, the others cannot drive the terminal
	 * (Xen strips them from a domU's console_io output). */
	if (!printable(c) && (c != '\n') && !d->is_hardware_domain &&
	    (console_input_focus() != d->domain_id)) {
		return;
	}
	flags = arch_irq_save();
	spin_lock(&con->lock);
	if ((c != '\n') && (c != '\r')) {
		con->line[con->len] = c;
		con->len++;
	}
	if ((c == '\n') || (con->len == (sizeof(con->line) - 1U))) {
		printk_guest_line(d->is_hardware_domain ? NULL : d, con->line,
				  con->len);
		con->len = 0;
	}
	spin_unlock(&con->lock);
	arch_irq_restore(flags);
}

void guest_console_input(struct domain *d, char c)
{
	struct guest_console *con = &d->console;
	unsigned long flags = arch_irq_save();

	spin_lock(&con->lock);
	if (con->in_count < GUEST_CONSOLE_IN) {
		con->in[(con->in_head + con->in_count) % GUEST_CONSOLE_IN] = c;
		con->in_count++;
	}
	spin_unlock(&con->lock);
	arch_irq_restore(flags);
	(void)evtchn_send_virq(d, VIRQ_CONSOLE);
}

size_t guest_console_read(struct domain *d, char *buf, size_t max)
{
	struct guest_console *con = &d->console;
	unsigned long flags = arch_irq_save();
	size_t n = 0;

	spin_lock(&con->lock);
	while ((n < max) && (con->in_count > 0U)) {
		buf[n] = con->in[con->in_head];
		con->in_head = (con->in_head + 1U) % GUEST_CONSOLE_IN;
		con->in_count--;
		n++;
	}
	spin_unlock(&con->lock);
	arch_irq_restore(flags);
	return n;
}
