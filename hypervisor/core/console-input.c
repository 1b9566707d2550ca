/*
 * Console input focus: the hypervisor (debug keys) or one domain's
 * console. Three Ctrl-a in a row switch to the next one.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/printk.h>

#define CTRL_A '\x01'
#define SWITCH_PRESSES 3U

static unsigned int ctrl_a_count;
static domid_t focus = DOMID_XEN;

unsigned int console_input_focus(void)
{
	return focus;
}

/* The next domain after the focused one, or the hypervisor after the
 * last domain. */
static void switch_focus(void)
{
	struct domain *d;
	unsigned int i;
	bool take_next = (focus == DOMID_XEN);

	for (i = 0; (d = domain_at(i)) != NULL; i++) {
		if (take_next && !d->is_dying) {
			focus = d->domain_id;
			printk("*** Serial input to DOM%u (type 'CTRL-a' three "
			       "times to switch input)\n",
			       focus);
			return;
		}
		take_next = take_next || (d->domain_id == focus);
	}
	focus = DOMID_XEN;
	printk("*** Serial input to Xenon (type 'CTRL-a' three times to "
	       "switch input)\n");
}

/* Returns true if c was consumed (by the switch or by a domain). */
static bool console_input_route(char c)
{
	struct domain *d;

	if (c == CTRL_A) {
		ctrl_a_count++;
		if (ctrl_a_count == SWITCH_PRESSES) {
			ctrl_a_count = 0;
			switch_focus();
		}
		return true;
	}
	ctrl_a_count = 0;
	if (focus == DOMID_XEN) {
		return false;
	}
	d = domain_by_id(focus);
	if ((d != NULL) && !d->is_dying) {
		arch_domain_console_input(d, c);
	}
	return true;
}

void console_input_endboot(void)
{
	const struct domain *d = domain_by_id(0);

	console_set_input_route(console_input_route);
	if ((d != NULL) && d->is_hardware_domain) {
		focus = 0;
		printk("*** Serial input to DOM0 (type 'CTRL-a' three times "
		       "to switch input)\n");
	}
}
