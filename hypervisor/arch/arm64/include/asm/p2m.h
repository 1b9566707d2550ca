/*
 * Stage-2 translation (guest physical -> machine), 4 KiB granule, 40-bit
 * IPA space starting at level 1 with two concatenated root tables.
 * Table pages come from a pool set aside when the domain is created (as in
 * Xen 4.17), so one domain cannot exhaust memory another needs.
 */
#ifndef HV_ASM_P2M_H
#define HV_ASM_P2M_H

#include <hv/compiler.h>
#include <hv/spinlock.h>

/* The size of every guest's physical address space, in bits (the CPU's
 * physical address size, 32 to 48, as Xen 4.17). */
unsigned int p2m_ipa_bits(void);

enum p2m_type {
	P2M_RAM, /* normal memory, read/write/execute */
	P2M_DEVICE, /* device memory, read/write, no execute */
	P2M_GRANT_RW, /* another domain's page mapped through a grant */
	P2M_GRANT_RO, /* the same, read only */
	P2M_HYP_PAGE, /* a hypervisor page: shared_info, grant frames */
	P2M_FOREIGN, /* another domain's page, mapped by the control domain */
};

struct p2m {
	spinlock_t lock;
	paddr_t root; /* 8 KiB: two level-1 tables */
	uint16_t vmid;
	paddr_t pool; /* the page-table pool */
	uint64_t pool_pages;
	uint64_t pool_used;
	uint64_t mapped_blocks[3]; /* 1 GiB, 2 MiB, 4 KiB mappings made */
	paddr_t max_mapped_ipa; /* the last page ever mapped */
};

/* Set up an empty p2m with a pool of pool_pages pages; 0 or -ENOMEM. */
int __must_check p2m_init(struct p2m *p2m, uint16_t vmid, uint64_t pool_pages);

/* Give p2m a table pool of pages (rounded up to a power of two) while it
 * maps nothing yet: 0, -EINVAL, -ENOMEM or -EBUSY (tables in use). */
int __must_check p2m_set_pool(struct p2m *p2m, uint64_t pages);

/*
 * Map [ipa, ipa + size) to [pa, pa + size) with the largest blocks the
 * alignment of both allows. 0, -EINVAL (unaligned, outside the IPA space)
 * or -ENOMEM (pool exhausted).
 */
int __must_check p2m_map(struct p2m *p2m, paddr_t ipa, paddr_t pa,
			 uint64_t size, enum p2m_type type);

/* Map one 4 KiB page at ipa, replacing what is there (a block around it
 * is split first). 0, -EINVAL or -ENOMEM (pool exhausted). */
int __must_check p2m_set_page(struct p2m *p2m, paddr_t ipa, paddr_t pa,
			      enum p2m_type type);

/* Unmap the 4 KiB page at ipa. 0, -EINVAL, -ENOENT (not mapped) or
 * -ENOMEM (a block had to be split). */
int __must_check p2m_clear_page(struct p2m *p2m, paddr_t ipa);

/* Machine address of the RAM backing ipa, or INVALID_PADDR if ipa is
 * unmapped or not RAM. */
paddr_t p2m_lookup(struct p2m *p2m, paddr_t ipa);

/* Machine address of the domain's own RAM at ipa: not a granted page of
 * another domain nor a hypervisor page (for granting and event pages). */
paddr_t p2m_lookup_own(struct p2m *p2m, paddr_t ipa);

/* Whether ipa is mapped, once any change in progress is done: a guest
 * access that faulted while a block was split (break-before-make) on
 * another CPU is retried. */
bool p2m_mapped_now(struct p2m *p2m, paddr_t ipa);

/* The normal memory at ipa and what kind it is (P2M_RAM for the domain's
 * own); INVALID_PADDR if there is none. */
paddr_t p2m_lookup_type(struct p2m *p2m, paddr_t ipa, enum p2m_type *type);

/*
 * Hand each mapping of the domain's own RAM to fn (machine address, pages)
 * and remove it, until budget pages are done: -EAGAIN if some may be left
 * (call again), 0 when none is. For a domain that no longer runs.
 */
int __must_check
p2m_relinquish(struct p2m *p2m, uint64_t budget,
	       void (*fn)(paddr_t pa, uint64_t pages, void *data), void *data);

/* Free the tables and the pool, and the TLB entries of the VMID. */
void p2m_destroy(struct p2m *p2m);

/* VTTBR_EL2 value for this p2m. */
uint64_t p2m_vttbr(const struct p2m *p2m);

/* Program VTCR_EL2 on this CPU (once per CPU at boot). */
void p2m_init_cpu(void);

#endif /* HV_ASM_P2M_H */
