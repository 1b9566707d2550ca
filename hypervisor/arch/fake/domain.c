/*
 * Host stand-ins for the domain, scheduler and guest-memory arch hooks.
 * Guest RAM is a host buffer; guest virtual addresses equal guest
 * physical ones (as with the guest MMU off).
 */
#include <hv/control.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/grant-table.h>
#include <hv/guest-copy.h>
#include <hv/guest-mem.h>
#include <hv/page-alloc.h>
#include <hv/panic.h>
#include <hv/sched.h>

/* The vCPU the fake guest-copy hooks act for. */
struct vcpu *fake_current_guest;
unsigned int fake_resched_ipis;

/* Guest RAM is one block of the domain's pages, as the real arch gives. */
static unsigned int ram_order(uint64_t bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes) {
		order++;
	}
	return order;
}

int arch_domain_create(struct domain *d, const struct domain_config *cfg)
{
	unsigned int order = ram_order(cfg->ram_bytes);
	paddr_t pa;

	/* The block may be larger than asked: the limit follows it. */
	d->max_pages = MAX(d->max_pages, 1ULL << order);
	pa = domain_alloc_pages(d, order, false);
	if (pa == INVALID_PADDR) {
		return -ENOMEM;
	}
	d->arch.ram = maddr_to_virt(pa);
	d->arch.ram_size = cfg->ram_bytes;
	d->arch.ram_pages = 1ULL << order;
	return 0;
}

int arch_vcpu_create(struct vcpu *v)
{
	(void)v;
	return 0;
}

void arch_domain_stop(struct domain *d)
{
	(void)d;
}

/* Pages given back with fake_unmap_guest_page() keep their place in the
 * buffer but lose their allocation reference: tests track them here. */
int arch_domain_relinquish_memory(struct domain *d)
{
	uint64_t i;

	if (d->arch.ram != NULL) {
		for (i = 0; i < d->arch.ram_pages; i++) {
			if ((d->arch.unmapped == NULL) ||
			    !d->arch.unmapped[i]) {
				domain_put_pages(virt_to_maddr(d->arch.ram) +
							 (i * PAGE_SIZE),
						 1U);
			}
		}
		d->arch.ram = NULL;
	}
	return 0;
}

void arch_domain_destroy(struct domain *d)
{
	xfree(d->arch.unmapped);
	d->arch.unmapped = NULL;
}

void arch_vcpu_enable_events(struct vcpu *v)
{
	v->arch.events_enabled = true;
}

bool arch_vcpu_events_due(struct vcpu *v)
{
	return v->arch.events_enabled && v->arch.has_work;
}

bool arch_vcpu_on_cpu(const struct vcpu *v)
{
	return (v != NULL) && (v->state == VCPU_RUNNING);
}

void arch_domain_console_input(struct domain *d, char c)
{
	d->arch.last_input = c;
}

void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
	(void)prev;
	next->arch.switched_in++;
}

void arch_send_resched_ipi(unsigned int cpu)
{
	(void)cpu;
	fake_resched_ipis++;
}

bool arch_vcpu_has_work(struct vcpu *v)
{
	return v->arch.has_work;
}

/* Guest virtual addresses are guest-physical here. */
paddr_t arch_guest_va_to_ram(uint64_t ipa, bool write)
{
	struct domain *d = fake_current_guest->domain;

	(void)write;
	if (ipa >= d->arch.ram_size) {
		return INVALID_PADDR;
	}
	return virt_to_maddr(&d->arch.ram[ipa]);
}

/* ---- Grant-table hooks (hv/grant-table.h, hv/guest-mem.h) ---- */

/* What the grant-map hooks were last asked, for tests to inspect. */
unsigned int fake_grant_maps;
unsigned int fake_grant_unmaps;
struct domain *fake_grant_domain;
paddr_t fake_grant_gpa;
paddr_t fake_grant_maddr;
bool fake_grant_readonly;
/* What arch_grant_map() returns (a test sets it to make mapping fail). */
int fake_grant_map_result;

int arch_grant_map(struct domain *d, paddr_t gpa, paddr_t maddr, bool readonly)
{
	fake_grant_maps++;
	fake_grant_domain = d;
	fake_grant_gpa = gpa;
	fake_grant_maddr = maddr;
	fake_grant_readonly = readonly;
	return fake_grant_map_result;
}

int arch_grant_unmap(struct domain *d, paddr_t gpa)
{
	fake_grant_unmaps++;
	fake_grant_domain = d;
	fake_grant_gpa = gpa;
	return 0;
}

static bool gfn_present(const struct domain *d, uint64_t gfn)
{
	return (d->arch.ram != NULL) &&
	       (gfn < (d->arch.ram_size >> PAGE_SHIFT)) &&
	       ((d->arch.unmapped == NULL) || !d->arch.unmapped[gfn]);
}

void *arch_guest_page(struct domain *d, uint64_t gfn)
{
	return gfn_present(d, gfn) ? &d->arch.ram[gfn << PAGE_SHIFT] : NULL;
}

paddr_t arch_gfn_to_maddr(struct domain *d, uint64_t gfn)
{
	return gfn_present(d, gfn)
		       ? virt_to_maddr(&d->arch.ram[gfn << PAGE_SHIFT])
		       : INVALID_PADDR;
}

/* ---- Event-channel upcall (hv/event.h) ---- */

/* Upcalls raised so far, and the vCPU of the last one, for tests. */
unsigned int fake_evtchn_upcalls;
struct vcpu *fake_evtchn_upcall_vcpu;

void arch_evtchn_upcall(struct vcpu *v)
{
	fake_evtchn_upcalls++;
	fake_evtchn_upcall_vcpu = v;
}

/* Hypervisor pages placed in a guest (shared_info, grant frames). */
uint64_t fake_hyp_page_gfn = ~(uint64_t)0;
paddr_t fake_hyp_page_maddr;

bool arch_gfn_is_ram(struct domain *d, uint64_t gfn)
{
	return gfn_present(d, gfn) || (gfn == fake_hyp_page_gfn);
}

int arch_map_hypervisor_page(struct domain *d, uint64_t gfn, paddr_t maddr)
{
	(void)d;
	fake_hyp_page_gfn = gfn;
	fake_hyp_page_maddr = maddr;
	return 0;
}

int arch_map_guest_ram(struct domain *d, uint64_t gfn, paddr_t maddr)
{
	(void)d;
	(void)gfn;
	(void)maddr;
	return 0;
}

/* Frames removed from the fake guest (the buffer itself stays). */
unsigned int fake_unmapped_pages;

uint64_t arch_max_mapped_gfn(struct domain *d)
{
	return (d->arch.ram_size >> PAGE_SHIFT) - 1U;
}

int arch_unmap_guest_page(struct domain *d, uint64_t gfn)
{
	if (!gfn_present(d, gfn)) {
		return -ENOENT;
	}
	if (d->arch.unmapped == NULL) {
		d->arch.unmapped = xzalloc(d->arch.ram_pages * sizeof(bool));
		BUG_ON(d->arch.unmapped == NULL);
	}
	d->arch.unmapped[gfn] = true;
	fake_unmapped_pages++;
	return 0;
}

void arch_machine_shutdown(bool reboot)
{
	(void)reboot;
	arch_halt();
}

int64_t arch_domain_config(struct xen_arch_domainconfig *a)
{
	(void)a;
	return 0;
}

void arch_domaininfo(const struct domain *d,
		     struct xen_domctl_getdomaininfo *info)
{
	(void)d;
	info->gpaddr_bits = 48;
}

int arch_set_paging_pool(struct domain *d, uint64_t pages)
{
	(void)d;
	(void)pages;
	return 0;
}

uint64_t arch_paging_pool(const struct domain *d)
{
	(void)d;
	return 0;
}

int arch_vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
	(void)v;
	(void)c;
	return 0;
}

void arch_vcpu_moved(struct vcpu *v)
{
	(void)v;
}

void arch_flush_dcache(const void *va, size_t len)
{
	(void)va;
	(void)len;
}

paddr_t arch_foreign_source(struct domain *d, uint64_t gfn, bool *is_ram)
{
	*is_ram = true;
	return arch_gfn_to_maddr(d, gfn);
}

int arch_map_foreign(struct domain *d, uint64_t gfn, paddr_t maddr)
{
	(void)d;
	(void)gfn;
	(void)maddr;
	return -EOPNOTSUPP;
}

paddr_t arch_foreign_at(struct domain *d, uint64_t gfn)
{
	(void)d;
	(void)gfn;
	return INVALID_PADDR;
}
