/*
 * Guest memory seen from the generic code: guest frames for the event
 * channel and grant table code, grant mappings, and the event upcall.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/grant-table.h>
#include <hv/guest-mem.h>
#include <hv/page-alloc.h>

#include <asm/p2m.h>
#include <asm/sysregs.h>
#include <asm/vgic.h>

/* Only the domain's own RAM: never a page granted to it by another
 * domain nor a hypervisor page, so it cannot grant or hand those on. */
void *arch_guest_page(struct domain *d, uint64_t gfn)
{
	paddr_t pa = arch_gfn_to_maddr(d, gfn);

	return (pa == INVALID_PADDR) ? NULL : maddr_to_virt(pa);
}

paddr_t arch_gfn_to_maddr(struct domain *d, uint64_t gfn)
{
	if (gfn > (UINT64_MAX >> PAGE_SHIFT)) {
		return INVALID_PADDR;
	}
	return p2m_lookup_own(&d->arch.p2m, gfn << PAGE_SHIFT);
}

bool arch_gfn_is_ram(struct domain *d, uint64_t gfn)
{
	return (gfn <= (UINT64_MAX >> PAGE_SHIFT)) &&
	       (p2m_lookup(&d->arch.p2m, gfn << PAGE_SHIFT) != INVALID_PADDR);
}

int arch_grant_map(struct domain *d, paddr_t gpa, paddr_t maddr, bool readonly)
{
	return p2m_set_page(&d->arch.p2m, gpa, maddr,
			    readonly ? P2M_GRANT_RO : P2M_GRANT_RW);
}

int arch_grant_unmap(struct domain *d, paddr_t gpa)
{
	return p2m_clear_page(&d->arch.p2m, gpa);
}

void arch_evtchn_upcall(struct vcpu *v)
{
	vgic_inject_irq(v->domain, v, v->domain->arch.evtchn_ppi);
}

int arch_map_hypervisor_page(struct domain *d, uint64_t gfn, paddr_t maddr)
{
	return p2m_set_page(&d->arch.p2m, gfn << PAGE_SHIFT, maddr,
			    P2M_HYP_PAGE);
}

int arch_map_guest_ram(struct domain *d, uint64_t gfn, paddr_t maddr)
{
	if (gfn > (UINT64_MAX >> PAGE_SHIFT)) {
		return -EINVAL;
	}
	return p2m_set_page(&d->arch.p2m, gfn << PAGE_SHIFT, maddr, P2M_RAM);
}

paddr_t arch_foreign_source(struct domain *d, uint64_t gfn, bool *is_ram)
{
	enum p2m_type type = P2M_RAM;
	paddr_t pa;

	if (gfn > (UINT64_MAX >> PAGE_SHIFT)) {
		return INVALID_PADDR;
	}
	pa = p2m_lookup_type(&d->arch.p2m, gfn << PAGE_SHIFT, &type);
	*is_ram = type == P2M_RAM;
	return ((type == P2M_RAM) || (type == P2M_HYP_PAGE)) ? pa
							     : INVALID_PADDR;
}

int arch_map_foreign(struct domain *d, uint64_t gfn, paddr_t maddr)
{
	if (gfn > (UINT64_MAX >> PAGE_SHIFT)) {
		return -EINVAL;
	}
	return p2m_set_page(&d->arch.p2m, gfn << PAGE_SHIFT, maddr,
			    P2M_FOREIGN);
}

paddr_t arch_foreign_at(struct domain *d, uint64_t gfn)
{
	enum p2m_type type = P2M_RAM;
	paddr_t pa;

	if (gfn > (UINT64_MAX >> PAGE_SHIFT)) {
		return INVALID_PADDR;
	}
	pa = p2m_lookup_type(&d->arch.p2m, gfn << PAGE_SHIFT, &type);
	return (type == P2M_FOREIGN) ? pa : INVALID_PADDR;
}

uint64_t arch_max_mapped_gfn(struct domain *d)
{
	return READ_ONCE(d->arch.p2m.max_mapped_ipa) >> PAGE_SHIFT;
}

int arch_unmap_guest_page(struct domain *d, uint64_t gfn)
{
	return p2m_clear_page(&d->arch.p2m, gfn << PAGE_SHIFT);
}

void arch_flush_dcache(const void *va, size_t len)
{
	/* CTR_EL0.DminLine: log2 of the smallest data-cache line in words. */
	uint64_t line = 4ULL << ((READ_SYSREG(ctr_el0) >> 16) & 0xfU);
	uintptr_t a = (uintptr_t)va & ~(uintptr_t)(line - 1U);

	for (; a < ((uintptr_t)va + len); a += line) {
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	}
	dsb_sy();
}
