/*
 * Physical memory: a boot allocator used while the hypervisor sets itself
 * up, then a buddy allocator of 4 KiB pages for everything after.
 *
 * The hypervisor maps all RAM 1:1, so a physical address is also the
 * address at which the hypervisor reads the memory (maddr_to_virt()).
 */
#ifndef HV_PAGE_ALLOC_H
#define HV_PAGE_ALLOC_H

#include <hv/compiler.h>

#define PAGE_SHIFT 12U
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_ORDER_2M 9U
#define PAGE_ORDER_1G 18U
#define MAX_ORDER 18U /* largest block: 1 GiB */

/* The most separate ranges the boot allocator tracks. */
#define BOOTMEM_MAX_RANGES 64U

static inline void *maddr_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}

static inline paddr_t virt_to_maddr(const void *va)
{
	return (paddr_t)(uintptr_t)va;
}

/* --- Boot allocator --- */

/* Add RAM [start, end) (page-aligned inward). 0 or -ENOSPC. */
int __must_check bootmem_add(paddr_t start, paddr_t end);

/* Remove [start, end) (page-aligned outward) from the free ranges, e.g. the
 * hypervisor image, the DTB, boot modules, reserved memory. 0 or -ENOSPC if
 * splitting a range needs more slots than there are. */
int __must_check bootmem_reserve(paddr_t start, paddr_t end);

/* Iterate the free ranges: index 0.. until it returns false. */
bool bootmem_range(unsigned int index, paddr_t *start, paddr_t *end);

/*
 * Hand every remaining free range to the buddy allocator; the boot
 * allocator may not be used afterwards. Metadata for the buddy allocator
 * (a frame table) is carved out of the ranges themselves.
 */
void bootmem_handoff(void);

/* Reset the buddy allocator's state: host unit tests only (not linked
 * into the image), with bootmem_reset() and heap_reset()
 * (tests/unit/fake-alloc.h resets all three). */
void page_alloc_reset(void);

/* --- Buddy allocator --- */

/* Allocate 2^order contiguous, naturally aligned pages; INVALID_PADDR if
 * none. Safe from any CPU. */
paddr_t alloc_pages(unsigned int order);

/* Free pages allocated by alloc_pages with the same order. Freeing memory
 * that is not allocated, or with the wrong order, panics (BUG_ON). */
void free_pages(paddr_t pa, unsigned int order);

/* --- Pages given to domains: owners and references ---
 *
 * Every page the hypervisor gives a domain has an owner (a domain ID) and
 * a reference count, with the rules of Xen's get_page()/put_page():
 *
 * - alloc_domain_pages() hands out scrubbed pages owned by the domain, each
 *   with one reference: the allocation reference, which the owner holds
 *   for as long as the page is in its physical address space.
 * - Whatever else uses the page takes a reference of its own with
 *   page_get() and drops it with page_put() when it stops: a grant mapping
 *   in another domain's stage 2, a foreign mapping, and the hypervisor's
 *   long-lived pointers into guest memory (vcpu_info, FIFO event-channel
 *   control blocks and event arrays).
 * - The owner gives a page up (decrease_reservation, a gfn replaced, its
 *   destruction) by dropping the allocation reference. The page returns
 *   to the allocator when its last reference is dropped, never before;
 *   until then it still belongs to (and is counted for) its owner.
 * - page_get() refuses a page that is not allocated, has another owner,
 *   has no reference left (it is being freed) or would overflow its count.
 * - A freed page is dirty: it is scrubbed before any domain gets it again
 *   (at allocation, or earlier by page_scrub_step() in the idle loop).
 *
 * Large blocks stay whole while all their pages are in use; freeing part
 * of one splits it.
 */

/* Most references one page can hold. */
#define PAGE_REF_MAX 0x1fffU

/* 2^order pages for domain owner, each with one reference, scrubbed
 * unless no_scrub; INVALID_PADDR if there are none. */
paddr_t alloc_domain_pages(unsigned int order, uint16_t owner, bool no_scrub);

/* Take a reference on the page at pa for a user of owner's page; false
 * (nothing taken) if the page is not owner's allocated page. */
bool __must_check page_get(paddr_t pa, uint16_t owner);

/* Drop one reference on each of the pages [pa, pa + pages * PAGE_SIZE),
 * freeing those whose count reaches zero (in the largest blocks possible).
 * Returns the number of pages freed; *owner is set to the pages' owner.
 * Dropping a reference that is not held panics (BUG). */
uint64_t page_put_range(paddr_t pa, uint64_t pages, uint16_t *owner);

/* The owner of the allocated page at pa, and its reference count (0 for
 * a page not given to a domain). */
uint32_t page_ref_count(paddr_t pa, uint16_t *owner);

/* Scrub some free dirty memory: a bounded amount, less if stop() turns
 * true between two pages (the caller has better things to do). Returns
 * false when nothing is left to scrub. */
bool page_scrub_step(bool (*stop)(void));

/* Xen's bootscrub=: whether memory the hypervisor found at boot must be
 * scrubbed before a domain gets it (default true). */
void page_alloc_set_bootscrub(bool on);

/* One past the highest RAM frame the allocator manages (Xen's max_page). */
uint64_t page_alloc_max_frame(void);

/* Bytes currently free in the buddy allocator. */
uint64_t page_alloc_free_bytes(void);

/* Bytes handed to the buddy allocator in total (free + allocated). */
uint64_t page_alloc_total_bytes(void);

/* Number of free blocks of the given order (for tests and statistics). */
uint64_t page_alloc_free_blocks(unsigned int order);

/* --- Small-object heap (on top of the buddy allocator) --- */

/* Allocate size bytes aligned to 16 (or a page multiple for large sizes);
 * NULL on failure. xzalloc zeroes the memory. */
void *xmalloc(size_t size);
void *xzalloc(size_t size);
/* Free a block from xmalloc/xzalloc; NULL is ignored. */
void xfree(void *p);

/*
 * --- Internal interfaces between the boot allocator, the buddy allocator
 * and the heap; nothing else should need them. ---
 */

/* Bytes of frame table (a whole number of pages) that [start, end) needs. */
uint64_t page_alloc_table_bytes(paddr_t start, paddr_t end);

/* Register the zone [start, end) with its frame table at table. Zones must
 * be added in increasing address order; all their pages start reserved. */
void page_alloc_add_zone(paddr_t start, paddr_t end, paddr_t table);

/* Give the reserved pages [start, end) of one zone to the buddy allocator. */
void page_alloc_add_free(paddr_t start, paddr_t end);

/* The start of the allocated block that contains pa; stores its order in
 * *order. Panics (BUG) if pa is not inside an allocated block. */
paddr_t page_alloc_block_head(paddr_t pa, unsigned int *order);

/* Reset the boot allocator and the heap (host unit tests only). */
void bootmem_reset(void);
void heap_reset(void);

#endif /* HV_PAGE_ALLOC_H */
