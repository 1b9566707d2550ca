/*
 * Domain and vCPU life cycle.
 */
#include <hv/domain.h>
#include <hv/irq.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/grant-table.h>
#include <hv/page-alloc.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/string.h>

#include <xen/sched.h>

static struct domain *domains[MAX_DOMAINS];
static spinlock_t domain_list_lock = SPINLOCK_INIT;

struct domain *domain_at(unsigned int index)
{
	unsigned int i;
	unsigned int seen = 0;

	for (i = 0; i < MAX_DOMAINS; i++) {
		if (domains[i] == NULL) {
			continue;
		}
		if (seen == index) {
			return domains[i];
		}
		seen++;
	}
	return NULL;
}

struct domain *domain_by_id(domid_t domid)
{
	unsigned int i;

	for (i = 0; i < MAX_DOMAINS; i++) {
		if ((domains[i] != NULL) && (domains[i]->domain_id == domid)) {
			return domains[i];
		}
	}
	return NULL;
}

static bool insert_domain(struct domain *d)
{
	bool done = false;
	unsigned int i;

	spin_lock(&domain_list_lock);
	if (domain_by_id(d->domain_id) == NULL) {
		for (i = 0; (i < MAX_DOMAINS) && !done; i++) {
			if (domains[i] == NULL) {
				domains[i] = d;
				done = true;
			}
		}
	}
	spin_unlock(&domain_list_lock);
	return done;
}

static void free_vcpus(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < MAX_VCPUS; i++) {
		xfree(d->vcpus[i]);
		d->vcpus[i] = NULL;
	}
}

static int create_vcpus(struct domain *d)
{
	struct vcpu *v;
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		v = xzalloc(sizeof(*v));
		if (v == NULL) {
			return -ENOMEM;
		}
		d->vcpus[i] = v;
		v->vcpu_id = i;
		v->domain = d;
		v->state = VCPU_DOWN;
		v->runstate.state = RUNSTATE_offline;
		v->processor = sched_place_vcpu();
		if (i < XEN_LEGACY_MAX_VCPUS) {
			v->vcpu_info = &d->shared_info->vcpu_info[i];
		}
		if (arch_vcpu_create(v) != 0) {
			return -ENOMEM;
		}
	}
	return 0;
}

_Static_assert(sizeof(struct shared_info) <= PAGE_SIZE,
	       "shared_info fits in a page");

/* Default grant-table size, as Xen 4.17's max_grant_frames. */
#define GRANT_FRAMES_MAX 64U

/* The shared_info page, event channels and grant table. */
static int create_xen_interfaces(struct domain *d)
{
	paddr_t page = alloc_pages(0);

	if (page == INVALID_PADDR) {
		return -ENOMEM;
	}
	d->shared_info = maddr_to_virt(page);
	memset(d->shared_info, 0, PAGE_SIZE);
	if (evtchn_domain_init(d) != 0) {
		return -ENOMEM;
	}
	return grant_table_init(d, GRANT_FRAMES_MAX);
}

static const char *check_config(domid_t domid, const struct domain_config *cfg)
{
	if (domid >= DOMID_FIRST_RESERVED) {
		return "domain ID out of range";
	}
	if ((cfg->max_vcpus == 0U) || (cfg->max_vcpus > MAX_VCPUS)) {
		return "bad number of vCPUs";
	}
	if (cfg->ram_bytes < PAGE_SIZE) {
		return "no memory";
	}
	if (domain_by_id(domid) != NULL) {
		return "domain ID already in use";
	}
	if (cfg->ram_bytes > page_alloc_free_bytes()) {
		return "more memory requested than is free";
	}
	return NULL;
}

struct domain *domain_create(domid_t domid, const struct domain_config *cfg)
{
	const char *why = check_config(domid, cfg);
	struct domain *d = NULL;

	if (why == NULL) {
		d = xzalloc(sizeof(*d));
		why = (d == NULL) ? "out of memory" : NULL;
	}
	if (why == NULL) {
		d->domain_id = domid;
		d->max_vcpus = cfg->max_vcpus;
		d->ram_bytes = cfg->ram_bytes;
		(void)format_string(d->name, sizeof(d->name), "%s",
				    (cfg->name != NULL) ? cfg->name : "");
		spin_lock_init(&d->console.lock);
		if (arch_domain_create(d, cfg) != 0) {
			why = "cannot set up memory or devices";
		} else if (create_xen_interfaces(d) != 0) {
			why = "out of memory for the shared info page, event "
			      "channels or grant table";
		} else if (create_vcpus(d) != 0) {
			why = "out of memory for vCPUs";
		} else if (!insert_domain(d)) {
			why = "too many domains";
		}
	}
	if (why != NULL) {
		printk(XENLOG_ERR "Cannot create domain %u (%s): %s\n", domid,
		       (cfg->name != NULL) ? cfg->name : "", why);
		if (d != NULL) {
			free_vcpus(d);
			evtchn_domain_destroy(d);
			grant_table_destroy(d);
			xfree(d);
		}
		return NULL;
	}
	return d;
}

static bool stop_domain(struct domain *d)
{
	unsigned int i;

	if (__atomic_exchange_n(&d->is_dying, true, __ATOMIC_ACQ_REL)) {
		return false;
	}
	for (i = 0; i < d->max_vcpus; i++) {
		vcpu_down(d->vcpus[i]);
	}
	arch_domain_stop(d);
	return true;
}

void domain_crash(struct domain *d, const char *why)
{
	if (stop_domain(d)) {
		d->crashed = true;
		printk(XENLOG_ERR "Domain %u (%s) crashed: %s\n", d->domain_id,
		       d->name, why);
	}
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	static const char *const reasons[] = {"poweroff", "reboot",
					      "suspend",  "crash",
					      "watchdog", "soft_reset"};

	if (stop_domain(d)) {
		printk("Domain %u (%s) shut down: %s\n", d->domain_id, d->name,
		       (reason < ARRAY_SIZE(reasons)) ? reasons[reason] : "?");
	}
	/* As in Xen, the hardware domain takes the machine with it. */
	if (d->is_hardware_domain) {
		printk("Hardware domain shut down: %s the machine\n",
		       (reason == SHUTDOWN_reboot) ? "rebooting"
						   : "powering off");
		arch_machine_shutdown(reason == SHUTDOWN_reboot);
	}
}

void guest_console_putc(struct domain *d, char c)
{
	struct guest_console *con = &d->console;
	unsigned long flags = arch_irq_save();

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
