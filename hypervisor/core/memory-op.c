/*
 * memory_op: what an auto-translated Arm guest uses of it.
 * XENMEM_add_to_physmap places the shared_info page and grant-table frames
 * in the guest's physical address space.
 */
#include <hv/errno.h>
#include <hv/grant-table.h>
#include <hv/guest-copy.h>
#include <hv/guest-mem.h>
#include <hv/hypercall.h>
#include <hv/page-alloc.h>
#include <hv/string.h>

#include <xen/memory.h>

/* The command is in the low 6 bits of the first argument; Xen keeps a
 * continuation's start extent above them. */
#define MEMOP_CMD_MASK 0x3fU
#define MEMOP_EXTENT_SHIFT 6U

static bool is_self(const struct domain *d, domid_t domid)
{
	return (domid == DOMID_SELF) || (domid == d->domain_id);
}

/* Another domain named where only the caller's own is served: Xen looks
 * it up first (-ESRCH), then refuses the caller (-EPERM). */
static int64_t other_domain_error(domid_t domid)
{
	return (domain_by_id(domid) == NULL) ? -ESRCH : -EPERM;
}

/* Frame numbers an address can hold (checked before any shift). */
#define GFN_LIMIT (1ULL << (64U - PAGE_SHIFT))

/* d's own RAM page that was at a gfn now holds something else: d gives
 * it up (a 1:1 domain keeps it, to get the same frame back later). */
static void release_replaced(struct domain *d, paddr_t old)
{
	if ((old != INVALID_PADDR) && !d->direct_map) {
		domain_put_pages(old, 1U);
	}
}

static int map_space(struct domain *d, unsigned int space, uint64_t idx,
		     uint64_t gpfn)
{
	paddr_t maddr;
	paddr_t old;
	int err;

	if (gpfn >= GFN_LIMIT) {
		return -EINVAL;
	}
	switch (space) {
	case XENMAPSPACE_shared_info:
		if (idx != 0U) {
			return -EINVAL;
		}
		maddr = virt_to_maddr(d->shared_info);
		break;
	case XENMAPSPACE_grant_table:
		if ((idx & XENMAPIDX_grant_table_status) != 0U) {
			return -EINVAL; /* no status frames in version 1 */
		}
		err = grant_table_frame(d, (unsigned int)idx, &maddr);
		if (err != 0) {
			return err;
		}
		break;
	default:
		return -ENOSYS;
	}
	old = arch_gfn_to_maddr(d, gpfn);
	err = arch_map_hypervisor_page(d, gpfn, maddr);
	if (err == 0) {
		release_replaced(d, old);
	}
	return err;
}

static int64_t add_to_physmap(struct vcpu *v, uint64_t arg)
{
	struct xen_add_to_physmap xatp;

	if (copy_from_guest(&xatp, arg, sizeof(xatp)) != 0) {
		return -EFAULT;
	}
	if (!is_self(v->domain, xatp.domid)) {
		return other_domain_error(xatp.domid);
	}
	return map_space(v->domain, xatp.space, xatp.idx, xatp.gpfn);
}

/*
 * Read a reservation and check it in Xen's order: nothing to do (past its
 * extents, or extents larger than a page, which Xenon does not give) is
 * answered before the domain is looked up. Returns 1 when the call is done
 * with start extents, else 0 or an error.
 */
static int64_t read_reservation(struct vcpu *v, uint64_t arg, uint64_t start,
				struct xen_memory_reservation *r)
{
	if (copy_from_guest(r, arg, sizeof(*r)) != 0) {
		return -EFAULT;
	}
	if ((r->nr_extents > (UINT64_MAX >> MEMOP_EXTENT_SHIFT)) ||
	    (start >= r->nr_extents) || (r->extent_order != 0U)) {
		return 1;
	}
	if (!is_self(v->domain, r->domid)) {
		return other_domain_error(r->domid);
	}
	return 0;
}

/* Give up d's page at gfn: it leaves d's physical address space and its
 * allocation reference is dropped (freed once nothing else uses it). A
 * 1:1 domain keeps the page, to get the same frame back (gfn == mfn). */
static bool remove_page(struct domain *d, uint64_t gfn)
{
	paddr_t maddr = arch_gfn_to_maddr(d, gfn);

	if ((maddr == INVALID_PADDR) || (arch_unmap_guest_page(d, gfn) != 0)) {
		return false;
	}
	release_replaced(d, maddr);
	return true;
}

/*
 * Run one reservation command over extents start.. of r, giving each gfn
 * to fn; continued when preempted, with the next extent in the command's
 * high bits. Returns the number of extents done in all (as Xen: fewer than
 * asked when one fails).
 */
static int64_t for_each_extent(struct vcpu *v, const uint64_t *args,
			       bool (*fn)(struct domain *d, uint64_t gfn))
{
	struct xen_memory_reservation r;
	uint64_t start = args[0] >> MEMOP_EXTENT_SHIFT;
	uint64_t list;
	uint64_t gfn;
	uint64_t i;
	int64_t err = read_reservation(v, args[1], start, &r);

	if (err != 0) {
		return (err > 0) ? (int64_t)start : err;
	}
	list = (uint64_t)(uintptr_t)r.extent_start.p;
	for (i = start; i < r.nr_extents; i++) {
		if ((i != start) && hypercall_preempt_check()) {
			return hypercall_continue(
				v,
				(args[0] & MEMOP_CMD_MASK) |
					(i << MEMOP_EXTENT_SHIFT),
				args[1], 0U);
		}
		if ((copy_from_guest(&gfn, list + (i * sizeof(gfn)),
				     sizeof(gfn)) != 0) ||
		    !fn(v->domain, gfn)) {
			break;
		}
	}
	return (int64_t)i;
}

/* A page at gfn of d: a new one, or for a 1:1 domain the machine frame
 * gfn itself, which must be a page d kept when it gave it back. */
static bool add_page(struct domain *d, uint64_t gfn)
{
	uint16_t owner = DOMID_INVALID;
	paddr_t old;
	paddr_t pa;

	if (gfn >= GFN_LIMIT) {
		return false;
	}
	old = arch_gfn_to_maddr(d, gfn);
	if (d->direct_map) {
		pa = gfn << PAGE_SHIFT;
		return (old == INVALID_PADDR) &&
		       (page_ref_count(pa, &owner) != 0U) &&
		       (owner == d->domain_id) &&
		       (arch_map_guest_ram(d, gfn, pa) == 0);
	}
	pa = domain_alloc_pages(d, 0, false);
	if (pa == INVALID_PADDR) {
		return false;
	}
	if (arch_map_guest_ram(d, gfn, pa) != 0) {
		domain_put_pages(pa, 1U);
		return false;
	}
	release_replaced(d, old);
	return true;
}

/* The domain a query names by the domid_t at arg: the caller's own, or
 * any for the hardware domain. 0, or -EFAULT, or Xen's -ESRCH (no such
 * domain) or -EPERM. */
static int64_t queried_domain(struct vcpu *v, uint64_t arg, struct domain **d)
{
	domid_t domid;

	if (copy_from_guest(&domid, arg, sizeof(domid)) != 0) {
		return -EFAULT;
	}
	if (is_self(v->domain, domid)) {
		*d = v->domain;
		return 0;
	}
	*d = domain_by_id(domid);
	if (*d == NULL) {
		return -ESRCH;
	}
	return v->domain->is_hardware_domain ? 0 : -EPERM;
}

/* XENMEM_current_reservation / XENMEM_maximum_reservation: a domain's
 * tot_pages or max_pages (its own; any for the hardware domain). */
static int64_t reservation_of(struct vcpu *v, uint64_t arg, bool max)
{
	struct domain *d = NULL;
	int64_t err = queried_domain(v, arg, &d);

	if (err != 0) {
		return err;
	}
	return (int64_t)(max ? d->max_pages : READ_ONCE(d->tot_pages));
}

/* XENMEM_maximum_gpfn: the highest frame mapped in a domain. */
static int64_t maximum_gpfn(struct vcpu *v, uint64_t arg)
{
	struct domain *d = NULL;
	int64_t err = queried_domain(v, arg, &d);

	return (err != 0) ? err : (int64_t)arch_max_mapped_gfn(d);
}

/* XENMEM_remove_from_physmap: the guest gives up a page of its own RAM
 * at gpfn (-ENOENT where there is none). */
static int64_t remove_from_physmap(struct vcpu *v, uint64_t arg)
{
	struct xen_remove_from_physmap xrfp;

	if (copy_from_guest(&xrfp, arg, sizeof(xrfp)) != 0) {
		return -EFAULT;
	}
	if (!is_self(v->domain, xrfp.domid)) {
		return other_domain_error(xrfp.domid);
	}
	return remove_page(v->domain, xrfp.gpfn) ? 0 : -ENOENT;
}

static int64_t increase_reservation(struct vcpu *v, uint64_t arg)
{
	struct xen_memory_reservation r;
	int64_t err = read_reservation(v, arg, 0U, &r);

	return (err > 0) ? 0 : err;
}

int64_t do_memory_op(struct vcpu *v, const uint64_t *args)
{
	switch (args[0] & MEMOP_CMD_MASK) {
	case XENMEM_increase_reservation:
		/* Pages outside the physical address space are of no use to
		 * an Arm guest (it populates): none are given. */
		return increase_reservation(v, args[1]);
	case XENMEM_maximum_ram_page:
		return (int64_t)page_alloc_max_frame();
	case XENMEM_maximum_gpfn:
		return maximum_gpfn(v, args[1]);
	case XENMEM_remove_from_physmap:
		return remove_from_physmap(v, args[1]);
	case XENMEM_get_sharing_freed_pages:
	case XENMEM_get_sharing_shared_pages:
		return 0; /* no memory sharing on Arm */
	case XENMEM_current_reservation:
		return reservation_of(v, args[1], false);
	case XENMEM_maximum_reservation:
		return reservation_of(v, args[1], true);
	case XENMEM_add_to_physmap:
		return add_to_physmap(v, args[1]);
	case XENMEM_decrease_reservation:
		/* The guest gives pages back. */
		return for_each_extent(v, args, remove_page);
	case XENMEM_populate_physmap:
		/* Pages at the gfns named, up to the domain's max_pages. */
		return for_each_extent(v, args, add_page);
	default:
		return -ENOSYS;
	}
}
