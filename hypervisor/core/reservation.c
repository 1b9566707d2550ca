/*
 * XENMEM_increase_reservation, _decrease_reservation and _populate_physmap
 * as Xen 4.17 answers them on Arm: each works on a list of extents (2^order
 * pages each) and answers with the number of extents done, preempted and
 * continued with the next extent kept above the command's low 6 bits. A
 * request Xen refuses (unreadable, too large, another domain the caller
 * may not change, bad flags) is answered with the start extent, not an
 * error.
 */
#include <hv/errno.h>
#include <hv/guest-copy.h>
#include <hv/guest-mem.h>
#include <hv/hypercall.h>
#include <hv/memory-op.h>
#include <hv/page-alloc.h>
#include <hv/panic.h>

#include <xen/memory.h>

/* Xen's NUMA_NO_NODE, and the one node Xen 4.17 has on Arm. */
#define NO_NODE 0xffU
#define MAX_NODES 1U

/* Xen's get_order_from_pages(max_page) + PAGE_SHIFT: the address bits
 * that reach every frame. */
static unsigned int ram_address_bits(void)
{
	uint64_t frames = page_alloc_max_frame();
	unsigned int order = 0;

	while ((order < 63U) && ((1ULL << order) < frames)) {
		order++;
	}
	return order + PAGE_SHIFT;
}

bool memop_node_ok(const struct domain *caller, uint32_t flags)
{
	unsigned int node = XENMEMF_get_node(flags);

	if (node == NO_NODE) {
		return true;
	}
	if (caller->is_hardware_domain) {
		return node < MAX_NODES;
	}
	return (flags & XENMEMF_exact_node_request) == 0U;
}

/* Xen's construct_memop_from_reservation(): may the memory flags be
 * served? */
static bool flags_ok(const struct domain *caller, uint32_t flags)
{
	unsigned int bits = XENMEMF_get_address_bits(flags);

	if ((bits != 0U) && (bits < ram_address_bits()) &&
	    (bits <= PAGE_SHIFT)) {
		return false;
	}
	/* No domain has a virtual NUMA layout: a vnode is not checked. */
	return ((flags & XENMEMF_vnode) != 0U) || memop_node_ok(caller, flags);
}

/* The domain a reservation names, when the caller may change it and the
 * request is one Xen serves; else NULL. */
static struct domain *reservation_domain(struct vcpu *v, uint64_t start,
					 const struct xen_memory_reservation *r)
{
	struct domain *d;

	if ((r->nr_extents > (UINT32_MAX >> MEMOP_EXTENT_SHIFT)) ||
	    (start >= r->nr_extents)) {
		return NULL;
	}
	d = domain_by_any_id(v->domain, r->domid);
	if ((d == NULL) || !flags_ok(v->domain, r->mem_flags) ||
	    !domain_may_target(v->domain, d)) {
		return NULL;
	}
	return d;
}

/* Xen's increase_reservation() for a translated guest: the extents are
 * d's but mapped nowhere (the guest populates to place pages). */
static bool give_extent(struct domain *d, uint64_t gfn, unsigned int order)
{
	paddr_t pa = domain_alloc_pages(d, order, false);

	(void)gfn;
	if (pa == INVALID_PADDR) {
		return false;
	}
	domain_keep_unplaced(d, pa, order);
	return true;
}

/* A 1:1 domain may only get back frames it kept: gfn == mfn, each its
 * own and mapped nowhere. */
static bool repopulate_direct(struct domain *d, uint64_t gfn, uint64_t pages)
{
	uint16_t owner = DOMID_INVALID;
	uint64_t j;

	for (j = 0; j < pages; j++) {
		paddr_t pa = (gfn + j) << PAGE_SHIFT;

		if ((arch_gfn_to_maddr(d, gfn + j) != INVALID_PADDR) ||
		    (page_ref_count(pa, &owner) == 0U) ||
		    (owner != d->domain_id)) {
			return false;
		}
	}
	for (j = 0; j < pages; j++) {
		if (arch_map_guest_ram(d, gfn + j, (gfn + j) << PAGE_SHIFT) !=
		    0) {
			return false;
		}
	}
	return true;
}

/* New pages at gfn.. of d, replacing what was there. */
static bool populate_extent(struct domain *d, uint64_t gfn, unsigned int order)
{
	uint64_t pages = 1ULL << order;
	paddr_t pa;
	uint64_t j;
	bool ok;

	if ((gfn >= GFN_LIMIT) || ((GFN_LIMIT - gfn) < pages)) {
		return false;
	}
	spin_lock(&d->physmap_lock);
	if (d->direct_map) {
		ok = repopulate_direct(d, gfn, pages);
		spin_unlock(&d->physmap_lock);
		return ok;
	}
	pa = domain_alloc_pages(d, order, false);
	ok = pa != INVALID_PADDR;
	for (j = 0; ok && (j < pages); j++) {
		paddr_t old = arch_gfn_to_maddr(d, gfn + j);

		physmap_forget(d, gfn + j);
		ok = arch_map_guest_ram(d, gfn + j, pa + (j << PAGE_SHIFT)) ==
		     0;
		if (ok && (old != INVALID_PADDR)) {
			domain_put_pages(old, 1U);
		}
	}
	if (!ok && (pa != INVALID_PADDR)) {
		uint64_t k;

		/* Pages 0..j-2 were mapped; j-1 could not be. A page
		 * just mapped is unmapped without a split. */
		for (k = 0; (k + 1U) < j; k++) {
			int e = arch_unmap_guest_page(d, gfn + k);

			BUG_ON(e != 0);
		}
		domain_put_pages(pa, pages);
	}
	spin_unlock(&d->physmap_lock);
	return ok;
}

/* Give back the pages at gfn..: Xen stops at the first that is not there,
 * with those before it in the extent gone. */
static bool remove_extent(struct domain *d, uint64_t gfn, unsigned int order)
{
	uint64_t j;
	bool ok = gfn < GFN_LIMIT;

	spin_lock(&d->physmap_lock);
	for (j = 0; ok && (j < (1ULL << order)); j++) {
		ok = ((gfn + j) < GFN_LIMIT) && physmap_remove(d, gfn + j);
	}
	spin_unlock(&d->physmap_lock);
	return ok;
}

/* Xen reads no list for increase_reservation on a translated guest. */
static bool read_gfn(uint64_t cmd, uint64_t list, uint64_t i, uint64_t *gfn)
{
	if (cmd == XENMEM_increase_reservation) {
		*gfn = 0;
		return true;
	}
	return copy_from_guest(gfn, list + (i * sizeof(*gfn)), sizeof(*gfn)) ==
	       0;
}

int64_t memop_reservation(struct vcpu *v, const uint64_t *args)
{
	uint64_t cmd = args[0] & MEMOP_CMD_MASK;
	uint64_t start = args[0] >> MEMOP_EXTENT_SHIFT;
	bool (*fn)(struct domain *d, uint64_t gfn, unsigned int order);
	struct xen_memory_reservation r;
	struct domain *d;
	uint64_t list;
	uint64_t gfn = 0;
	uint64_t i;

	if (copy_from_guest(&r, args[1], sizeof(r)) != 0) {
		return (int64_t)start;
	}
	d = reservation_domain(v, start, &r);
	if ((d == NULL) || (r.extent_order > memop_max_order(v->domain))) {
		return (int64_t)start;
	}
	if ((cmd == XENMEM_populate_physmap) &&
	    ((r.mem_flags & XENMEMF_populate_on_demand) != 0U)) {
		return (int64_t)start; /* Arm has no populate-on-demand */
	}
	switch (cmd) {
	case XENMEM_increase_reservation:
		fn = give_extent;
		break;
	case XENMEM_decrease_reservation:
		fn = remove_extent;
		break;
	default:
		fn = populate_extent;
		break;
	}
	list = (uint64_t)(uintptr_t)r.extent_start.p;
	for (i = start; i < r.nr_extents; i++) {
		if ((i != start) && hypercall_preempt_check()) {
			return hypercall_continue(
				v, cmd | (i << MEMOP_EXTENT_SHIFT), args[1],
				0U);
		}
		if (!read_gfn(cmd, list, i, &gfn) ||
		    !fn(d, gfn, r.extent_order)) {
			break;
		}
	}
	return (int64_t)i;
}
