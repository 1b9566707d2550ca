/*
 * Domain and vCPU life cycle.
 */
#include <hv/atomic.h>
#include <hv/domain.h>
#include <hv/irq.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/grant-table.h>
#include <hv/guest-mem.h>
#include <hv/panic.h>
#include <hv/memory-op.h>
#include <hv/page-alloc.h>
#include <hv/poll.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/string.h>

#include <xen/sched.h>

static struct domain *domains[MAX_DOMAINS];
static spinlock_t domain_list_lock = SPINLOCK_INIT;

/* Domains being destroyed, newest first. reap_list_lock covers the list
 * (held briefly: domain_kill() may run with interrupts masked);
 * reaper_lock makes one CPU at a time work on it, and is held across grace
 * periods, so nothing that can wait for another CPU may take it. */
static struct domain *reap_list;
static spinlock_t reap_list_lock = SPINLOCK_INIT;
static spinlock_t reaper_lock = SPINLOCK_INIT;
static struct domain *control_domain;
static domid_t last_given_id; /* by domain_next_free_id() */

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

/* The domain each CPU is creating: not in the list yet, but its pages
 * may be given back already (domain_create's error path). */
static struct domain *being_built[NR_CPUS];

/* A domain by ID, or the one this CPU is creating. */
static struct domain *page_owner(domid_t domid)
{
	struct domain *d = domain_by_id(domid);
	struct domain *b = being_built[smp_processor_id()];

	if ((d == NULL) && (b != NULL) && (b->domain_id == domid)) {
		d = b;
	}
	return d;
}

/* Is there room in the list for one more domain? (Checked before anything
 * is allocated, so that a full list never fails a half-built domain.) */
static bool domain_slot_free(void)
{
	unsigned int i;

	for (i = 0; i < MAX_DOMAINS; i++) {
		if (domains[i] == NULL) {
			return true;
		}
	}
	return false;
}

struct domain *domain_by_any_id(struct domain *caller, domid_t domid)
{
	return (domid == DOMID_SELF) ? caller : domain_by_id(domid);
}

int domain_target(struct domain *caller, domid_t domid, struct domain **d)
{
	*d = domain_by_any_id(caller, domid);
	if (*d == NULL) {
		return -ESRCH;
	}
	return domain_may_target(caller, *d) ? 0 : -EPERM;
}

domid_t domain_next_free_id(void)
{
	domid_t id = last_given_id;
	unsigned int tries;

	spin_lock(&domain_list_lock);
	for (tries = 0; tries < DOMID_FIRST_RESERVED; tries++) {
		id = (id + 1U < DOMID_FIRST_RESERVED) ? (domid_t)(id + 1U) : 1U;
		if (domain_by_id(id) == NULL) {
			last_given_id = id;
			spin_unlock(&domain_list_lock);
			return id;
		}
	}
	spin_unlock(&domain_list_lock);
	return 0;
}

void domain_pause_by_controller(struct domain *d)
{
	unsigned int i;

	spin_lock(&domain_list_lock);
	d->pause_count++;
	for (i = 0; i < d->max_vcpus; i++) {
		vcpu_update_paused(d->vcpus[i]);
	}
	spin_unlock(&domain_list_lock);
}

int domain_unpause_by_controller(struct domain *d)
{
	unsigned int i;

	spin_lock(&domain_list_lock);
	if (d->pause_count == 0U) {
		spin_unlock(&domain_list_lock);
		return -EINVAL;
	}
	d->pause_count--;
	for (i = 0; (i < d->max_vcpus) && (d->pause_count == 0U); i++) {
		vcpu_update_paused(d->vcpus[i]);
	}
	spin_unlock(&domain_list_lock);
	return 0;
}

/* Make each vCPU of d follow d's pause counts (a zombie's vCPUs are gone,
 * and its grant entries may still be used). */
static void update_paused(struct domain *d)
{
	struct vcpu *v;
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		v = READ_ONCE(d->vcpus[i]);
		if (v != NULL) {
			vcpu_update_paused(v);
		}
	}
}

void domain_pause_nosync(struct domain *d)
{
	(void)add_return(&d->pause_nosync_count, 1U);
	update_paused(d);
}

void domain_unpause_nosync(struct domain *d)
{
	if (sub_return(&d->pause_nosync_count, 1U) == 0U) {
		update_paused(d);
	}
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
		sched_destroy_vcpu(d->vcpus[i]);
		xfree(d->vcpus[i]);
		d->vcpus[i] = NULL;
	}
	sched_destroy_domain(d);
}

/* The hypervisor's pointers into d's pages (registered vcpu_info areas),
 * and its vCPUs' poll timers (a grace period follows before they are
 * freed). */
static void release_vcpu_pages(struct domain *d)
{
	struct vcpu *v;
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		v = d->vcpus[i];
		if (v != NULL) {
			poll_vcpu_destroy(v);
		}
		if ((v != NULL) && v->vcpu_info_registered) {
			v->vcpu_info_registered = false;
			domain_unmap_page(v->vcpu_info);
			v->vcpu_info = NULL;
		}
	}
}

static int create_vcpus(struct domain *d)
{
	struct vcpu *v;
	unsigned int i;

	if (sched_init_domain(d) != 0) {
		return -ENOMEM;
	}
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
		if (sched_init_vcpu(v) != 0) {
			return -ENOMEM;
		}
		v->affinity_hard = ~(uint64_t)0;
		v->affinity_soft = ~(uint64_t)0;
		v->paused = d->pause_count != 0U;
		poll_vcpu_init(v);
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

/* Give back the hypervisor memory a domain holds: the last step of its
 * destruction, once no page of its is used anywhere. */
static void free_domain(struct domain *d)
{
	grant_table_destroy(d);
	if (d->shared_info != NULL) {
		free_pages(virt_to_maddr(d->shared_info), 0);
	}
	xfree(d);
}

/* Blocks of pages given and not placed freed in one reaper step. */
#define UNPLACED_BUDGET 1024U

/* Take apart a domain that never ran (domain_create's error path): the
 * same steps as the reaper's, without preemption. */
static void teardown(struct domain *d)
{
	evtchn_domain_destroy(d);
	grant_table_release_mappings(d);
	release_vcpu_pages(d);
	while (domain_release_unplaced(d, UNPLACED_BUDGET)) {
	}
	while (arch_domain_relinquish_memory(d) == -EAGAIN) {
	}
	arch_domain_destroy(d);
	free_vcpus(d);
	/* Pages of a domain that never ran are used by nobody else. */
	BUG_ON(d->tot_pages != 0U);
	free_domain(d);
}

static const char *check_config(domid_t domid, const struct domain_config *cfg)
{
	if (domid >= DOMID_FIRST_RESERVED) {
		return "domain ID out of range";
	}
	if ((cfg->max_vcpus == 0U) || (cfg->max_vcpus > MAX_VCPUS)) {
		return "bad number of vCPUs";
	}
	if ((cfg->ram_bytes < PAGE_SIZE) && !cfg->by_toolstack) {
		return "no memory";
	}
	if (domain_by_id(domid) != NULL) {
		return "domain ID already in use";
	}
	if (!domain_slot_free()) {
		return "too many domains";
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
		being_built[smp_processor_id()] = d;
		d->domain_id = domid;
		d->max_vcpus = cfg->max_vcpus;
		d->ram_bytes = cfg->ram_bytes;
		d->max_pages = ALIGN_UP(cfg->ram_bytes, PAGE_SIZE) >>
			       PAGE_SHIFT;
		(void)format_string(d->name, sizeof(d->name), "%s",
				    (cfg->name != NULL) ? cfg->name : "");
		spin_lock_init(&d->console.lock);
		spin_lock_init(&d->physmap_lock);
		d->shared_info_gfn = ~(uint64_t)0;
		d->unplaced_pages = INVALID_PADDR;
		d->pause_count = cfg->by_toolstack ? 1U : 0U;
		d->sched_weight = 256U; /* Xen's default credit2 weight */
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
			d->is_dying = true;
			teardown(d);
		}
		being_built[smp_processor_id()] = NULL;
		return NULL;
	}
	being_built[smp_processor_id()] = NULL;
	return d;
}

static bool stop_domain(struct domain *d)
{
	unsigned int i;

	if (xchg(&d->is_dying, true)) {
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

void domain_set_control_domain(struct domain *d)
{
	control_domain = d;
}

/* Tell the control domain that a domain shut down, is being destroyed
 * or is gone (VIRQ_DOM_EXC: xenstored then looks at every domain). */
static void tell_control_domain(const struct domain *d)
{
	struct domain *ctl = control_domain;

	if ((ctl != NULL) && (ctl != d) && !READ_ONCE(ctl->is_dying)) {
		(void)evtchn_send_virq(ctl, VIRQ_DOM_EXC);
	}
}

/*
 * With a control domain, a domain that shut down waits for it (it gets
 * VIRQ_DOM_EXC), as in Xen. Without one (dom0less), it is destroyed: xl's
 * default on_poweroff=destroy, and for a reboot too, since Xenon keeps no
 * boot modules to build it again.
 */
static void shutdown_policy(struct domain *d, unsigned int reason)
{
	struct domain *ctl = control_domain;

	if ((ctl != NULL) && (ctl != d) && !ctl->is_dying) {
		tell_control_domain(d);
		return;
	}
	if (reason == SHUTDOWN_reboot) {
		printk("Domain %u (%s): no control domain and no kept boot "
		       "modules to rebuild it: destroying it\n",
		       d->domain_id, d->name);
	}
	domain_kill(d);
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	static const char *const reasons[] = {"poweroff", "reboot",
					      "suspend",  "crash",
					      "watchdog", "soft_reset"};

	if (stop_domain(d)) {
		d->is_shut_down = true;
		d->shutdown_code = reason;
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
	shutdown_policy(d, reason);
}

/* ---- Destruction ---- */

void domain_kill(struct domain *d)
{
	bool killed = false;

	(void)stop_domain(d);
	spin_lock(&reap_list_lock);
	if (d->death == DOMAIN_ALIVE) {
		d->death = DOMAIN_DYING;
		d->reap_next = reap_list;
		reap_list = d;
		killed = true;
	}
	spin_unlock(&reap_list_lock);
	if (killed) {
		tell_control_domain(d);
	}
	sched_kick(0U); /* CPU 0's idle loop reaps if no other does */
}

static bool vcpus_off_cpu(const struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		if (arch_vcpu_on_cpu(d->vcpus[i])) {
			return false;
		}
	}
	return true;
}

static void grace_period_fn(void *data)
{
	(void)data;
}

/* Wait until every other CPU has taken an interrupt: one that looked d up
 * before it left the domain list has finished with it (hypervisor code
 * runs with interrupts masked). */
static void grace_period(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < (unsigned int)NR_CPUS; cpu++) {
		if ((cpu != smp_processor_id()) && smp_cpu_online(cpu)) {
			BUG_ON(smp_call_function(cpu, grace_period_fn, NULL) !=
			       0);
		}
	}
}

static void remove_domain(const struct domain *d)
{
	unsigned int i;

	spin_lock(&domain_list_lock);
	for (i = 0; i < MAX_DOMAINS; i++) {
		if (domains[i] == d) {
			domains[i] = NULL;
		}
	}
	spin_unlock(&domain_list_lock);
}

/* The final free of a zombie whose last page is free (reaper lock held). */
static void final_free(struct domain *d)
{
	struct domain **pp = &reap_list;
	domid_t id = d->domain_id;

	spin_lock(&reap_list_lock);
	while (*pp != d) {
		pp = &(*pp)->reap_next;
	}
	*pp = d->reap_next;
	spin_unlock(&reap_list_lock);
	remove_domain(d);
	grace_period();
	free_domain(d);
	printk("Domain %u destroyed: %lu KiB free\n", id,
	       (unsigned long)(page_alloc_free_bytes() >> 10));
	tell_control_domain(NULL);
}

/* One step on d; false if d has nothing to do now (a zombie whose pages
 * are still used, or vCPUs not yet off their CPUs). */
static bool reap_one(struct domain *d)
{
	if (d->death == DOMAIN_ZOMBIE) {
		if ((READ_ONCE(d->tot_pages) != 0U) ||
		    (read_acquire(&d->foreign_hyp_maps) != 0U)) {
			return false;
		}
		final_free(d);
		return true;
	}
	if (!vcpus_off_cpu(d)) {
		return false;
	}
	if (d->evtchn != NULL) {
		/* Calls that found d before it was dying finish first; then
		 * the remote ends see their channels closed. */
		grace_period();
		evtchn_domain_destroy(d);
		grant_table_release_mappings(d);
		release_vcpu_pages(d);
		(void)domain_set_claim(d, 0U);
		return true;
	}
	if (domain_release_unplaced(d, UNPLACED_BUDGET) ||
	    (arch_domain_relinquish_memory(d) == -EAGAIN)) {
		return true;
	}
	grace_period(); /* a timer or IPI may still be using a vCPU */
	arch_domain_destroy(d);
	free_vcpus(d);
	d->max_vcpus = 0;
	d->death = DOMAIN_ZOMBIE;
	/* Xen's DOMDYING_dead: xenstored now sees it dying and lets go of
	 * the pages it maps. */
	tell_control_domain(d);
	if (READ_ONCE(d->tot_pages) != 0U) {
		printk("Domain %u (%s) is a zombie: %llu pages still in use\n",
		       d->domain_id, d->name,
		       (unsigned long long)READ_ONCE(d->tot_pages));
	}
	return true;
}

void domain_destroy_by_controller(struct domain *d)
{
	/* Not under the reaper lock: its holder may wait for this CPU to
	 * take an interrupt. The reaper reads it after the list lock that
	 * domain_kill() takes. */
	WRITE_ONCE(d->destroy_by_controller, true);
}

int domain_destroy_step(struct domain *d)
{
	bool zombie;

	if (!spin_trylock(&reaper_lock)) {
		return -ERESTART; /* an idle CPU is reaping: try again */
	}
	if (d->death != DOMAIN_ZOMBIE) {
		(void)reap_one(d);
	}
	zombie = d->death == DOMAIN_ZOMBIE;
	if (zombie) {
		/* Frees d unless some of its pages are used elsewhere. */
		(void)reap_one(d);
	}
	spin_unlock(&reaper_lock);
	return zombie ? 0 : -ERESTART;
}

bool domain_reap_step(void)
{
	struct domain *d;
	bool worked = false;

	if (READ_ONCE(reap_list) == NULL) {
		return false;
	}
	if (!spin_trylock(&reaper_lock)) {
		return false; /* another CPU is reaping */
	}
	/* Only the reaper removes entries, so the list can be walked from
	 * its head without the list lock; reap_one() may free d: nothing is
	 * read from it after it worked. */
	spin_lock(&reap_list_lock);
	d = reap_list;
	spin_unlock(&reap_list_lock);
	while ((d != NULL) && !worked) {
		struct domain *next = d->reap_next;

		if (!READ_ONCE(d->destroy_by_controller) ||
		    (d->death == DOMAIN_ZOMBIE)) {
			worked = reap_one(d);
		}
		d = next;
	}
	spin_unlock(&reaper_lock);
	return worked;
}

/* ---- Pages ---- */

/* Pages claimed by domains and not yet allocated (Xen's
 * outstanding_claims), and the lock over every domain's claim. */
static spinlock_t claim_lock = SPINLOCK_INIT;
static uint64_t claimed_pages;

/* Free pages beyond claimed ones (claim_lock held). */
static uint64_t unclaimed_pages(uint64_t claimed)
{
	uint64_t avail = page_alloc_free_bytes() >> PAGE_SHIFT;

	return avail - MIN(claimed, avail);
}

int domain_set_claim(struct domain *d, uint64_t pages)
{
	uint64_t tot = READ_ONCE(d->tot_pages);
	int err = 0;

	spin_lock(&claim_lock);
	if (pages == 0U) {
		claimed_pages -= d->claimed_pages;
		d->claimed_pages = 0;
	} else if ((d->claimed_pages != 0U) || (pages <= tot) ||
		   (pages > d->max_pages)) {
		err = -EINVAL;
	} else if ((pages - tot) > unclaimed_pages(claimed_pages)) {
		err = -ENOMEM;
	} else {
		d->claimed_pages = pages - tot;
		claimed_pages += d->claimed_pages;
	}
	spin_unlock(&claim_lock);
	return err;
}

/* May d take n pages with the claims as they are? Its own claim is used
 * first; what is left must fit beside the other domains' claims. */
static bool take_claimed(struct domain *d, uint64_t n)
{
	uint64_t own;
	bool ok;

	if (READ_ONCE(claimed_pages) == 0U) {
		return true;
	}
	spin_lock(&claim_lock);
	own = MIN(n, d->claimed_pages);
	ok = unclaimed_pages(claimed_pages - d->claimed_pages) >= n;
	if (ok) {
		d->claimed_pages -= own;
		claimed_pages -= own;
	}
	spin_unlock(&claim_lock);
	return ok;
}

paddr_t domain_alloc_pages(struct domain *d, unsigned int order, bool no_scrub)
{
	uint64_t n = 1ULL << order;
	uint64_t tot = add_return(&d->tot_pages, n);
	paddr_t pa = INVALID_PADDR;

	if ((tot <= d->max_pages) && !READ_ONCE(d->is_dying) &&
	    take_claimed(d, n)) {
		pa = alloc_domain_pages(order, d->domain_id, no_scrub);
	}
	if (pa == INVALID_PADDR) {
		(void)sub_return(&d->tot_pages, n);
	}
	return pa;
}

void domain_put_pages(paddr_t pa, uint64_t pages)
{
	uint16_t owner = 0;
	uint64_t freed = page_put_range(pa, pages, &owner);
	struct domain *d;

	if (freed == 0U) {
		return;
	}
	/* The owner exists while it owns a page: these were its last ones at
	 * most, and its final free waits for tot_pages to reach 0. */
	d = page_owner(owner);
	BUG_ON(d == NULL);
	if ((sub_return(&d->tot_pages, freed) == 0U) &&
	    (READ_ONCE(d->death) == DOMAIN_ZOMBIE)) {
		sched_kick(0U);
	}
}

void *domain_map_page(struct domain *d, uint64_t gfn)
{
	void *page = arch_guest_page(d, gfn);

	if ((page == NULL) || !page_get(virt_to_maddr(page), d->domain_id)) {
		return NULL;
	}
	return page;
}

void domain_unmap_page(void *va)
{
	domain_put_pages(ALIGN_DOWN(virt_to_maddr(va), PAGE_SIZE), 1U);
}

/* An unplaced block's first words hold the list's link and the block's
 * order: nothing else uses the page. */
void domain_keep_unplaced(struct domain *d, paddr_t pa, unsigned int order)
{
	uint64_t *link = maddr_to_virt(pa);

	spin_lock(&d->physmap_lock);
	link[0] = d->unplaced_pages;
	link[1] = order;
	d->unplaced_pages = pa;
	spin_unlock(&d->physmap_lock);
}

bool domain_release_unplaced(struct domain *d, unsigned int budget)
{
	unsigned int n;

	for (n = 0; (n < budget) && (d->unplaced_pages != INVALID_PADDR); n++) {
		paddr_t pa = d->unplaced_pages;
		const uint64_t *link = maddr_to_virt(pa);

		d->unplaced_pages = link[0];
		domain_put_pages(pa, 1ULL << link[1]);
	}
	return d->unplaced_pages != INVALID_PADDR;
}
