/*
 * Arch hooks for reaching and changing a domain's guest-physical memory
 * from generic code.
 */
#ifndef HV_GUEST_MEM_H
#define HV_GUEST_MEM_H

#include <hv/domain.h>

/* Hypervisor pointer to d's RAM page gfn, or NULL if gfn is not RAM. */
void *arch_guest_page(struct domain *d, uint64_t gfn);

/* Machine address of d's RAM page gfn, or INVALID_PADDR. */
paddr_t arch_gfn_to_maddr(struct domain *d, uint64_t gfn);

/* Is d's gfn backed by RAM: its own, granted, or a hypervisor page? */
bool arch_gfn_is_ram(struct domain *d, uint64_t gfn);

/* Make the hypervisor page at maddr appear at d's gfn, replacing what was
 * mapped there (shared_info, grant-table frames). 0 or a negative errno. */
int __must_check arch_map_hypervisor_page(struct domain *d, uint64_t gfn,
					  paddr_t maddr);

/* Map the new RAM page maddr at d's gfn (ballooning up). */
int __must_check arch_map_guest_ram(struct domain *d, uint64_t gfn,
				    paddr_t maddr);

/* The highest gfn anything was ever mapped at in d (Xen's
 * max_mapped_gfn, for XENMEM_maximum_gpfn). */
uint64_t arch_max_mapped_gfn(struct domain *d);

/* Remove d's page at gfn from its physical address space. */
int __must_check arch_unmap_guest_page(struct domain *d, uint64_t gfn);

/* A page of d a control domain may map (XENMAPSPACE_gmfn_foreign): d's
 * own RAM (*is_ram) or a hypervisor page placed in d; else
 * INVALID_PADDR. */
paddr_t arch_foreign_source(struct domain *d, uint64_t gfn, bool *is_ram);

/* Map another domain's page maddr at d's gfn, or the machine address of
 * such a mapping at gfn (INVALID_PADDR if gfn holds none). */
int __must_check arch_map_foreign(struct domain *d, uint64_t gfn,
				  paddr_t maddr);
paddr_t arch_foreign_at(struct domain *d, uint64_t gfn);

/* Clean and invalidate the data cache over [va, va + len), to the point
 * of coherency (for a guest that starts with its caches off). */
void arch_flush_dcache(const void *va, size_t len);

#endif /* HV_GUEST_MEM_H */
