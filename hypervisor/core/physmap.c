/*
 * Placing pages in a domain's physical address space with memory_op, as
 * Xen 4.17 does on Arm (XENMEM_add_to_physmap, _add_to_physmap_batch,
 * _remove_from_physmap).
 *
 * shared_info and the grant-table frames are hypervisor pages. Each is
 * placed at one gfn at a time: placing it again is -EBUSY until the guest
 * removes it (or maps something else over it), so a page never shows at
 * two addresses. The gfn of each is recorded, for GNTTABOP_setup_table.
 */
#include <hv/atomic.h>
#include <hv/errno.h>
#include <hv/grant-table.h>
#include <hv/guest-copy.h>
#include <hv/guest-mem.h>
#include <hv/hypercall.h>
#include <hv/memory-op.h>
#include <hv/page-alloc.h>
#include <hv/sched.h>

#include <xen/memory.h>

/* d's own RAM page that was at a gfn now holds something else: d gives
 * it up (a 1:1 domain keeps it, to get the same frame back later). */
static void release_replaced(struct domain *d, paddr_t old)
{
	if ((old != INVALID_PADDR) && !d->direct_map) {
		domain_put_pages(old, 1U);
	}
}

/* Whether a hypervisor page was placed at gfn; it is placed nowhere
 * now. */
static bool forget(struct domain *d, uint64_t gfn)
{
	bool was = d->shared_info_gfn == gfn;

	if (was) {
		d->shared_info_gfn = NO_GFN;
	}
	return grant_table_forget_gfn(d, gfn) || was;
}

void physmap_forget(struct domain *d, uint64_t gfn)
{
	(void)forget(d, gfn);
}

/*
 * Hypervisor pages of other domains the control domain maps (the domain
 * builder seeds a new guest's grant table through one): the domain stays
 * a zombie, and the page allocated, until each such mapping is gone.
 */
#define FOREIGN_HYP_MAPS 32U

static struct {
	paddr_t maddr;
	struct domain *owner;
} foreign_hyp[FOREIGN_HYP_MAPS];
static spinlock_t foreign_hyp_lock = SPINLOCK_INIT;

static bool foreign_hyp_get(struct domain *owner, paddr_t maddr)
{
	bool done = false;
	unsigned int i;

	spin_lock(&foreign_hyp_lock);
	for (i = 0; (i < FOREIGN_HYP_MAPS) && !done; i++) {
		if (foreign_hyp[i].owner == NULL) {
			foreign_hyp[i].maddr = maddr;
			foreign_hyp[i].owner = owner;
			add_return(&owner->foreign_hyp_maps, 1U);
			done = true;
		}
	}
	spin_unlock(&foreign_hyp_lock);
	return done;
}

/* Drop the reference a foreign mapping of maddr held. */
static void foreign_put(paddr_t maddr)
{
	bool hyp = false;
	unsigned int i;

	spin_lock(&foreign_hyp_lock);
	for (i = 0; (i < FOREIGN_HYP_MAPS) && !hyp; i++) {
		if ((foreign_hyp[i].owner != NULL) &&
		    (foreign_hyp[i].maddr == maddr)) {
			sub_return(&foreign_hyp[i].owner->foreign_hyp_maps, 1U);
			foreign_hyp[i].owner = NULL;
			hyp = true;
		}
	}
	spin_unlock(&foreign_hyp_lock);
	if (!hyp) {
		domain_put_pages(maddr, 1U);
	}
}

/* What was at d's gfn before something else was placed there. */
static void release_old(struct domain *d, paddr_t own, paddr_t foreign)
{
	release_replaced(d, own);
	if (foreign != INVALID_PADDR) {
		foreign_put(foreign);
	}
}

bool physmap_remove(struct domain *d, uint64_t gfn)
{
	paddr_t maddr;

	if (forget(d, gfn)) {
		return arch_unmap_guest_page(d, gfn) == 0;
	}
	maddr = arch_foreign_at(d, gfn);
	if (maddr != INVALID_PADDR) {
		if (arch_unmap_guest_page(d, gfn) != 0) {
			return false;
		}
		foreign_put(maddr);
		return true;
	}
	maddr = arch_gfn_to_maddr(d, gfn);
	if ((maddr == INVALID_PADDR) || (arch_unmap_guest_page(d, gfn) != 0)) {
		return false;
	}
	release_replaced(d, maddr);
	return true;
}

/* Map the hypervisor page maddr at d's gfn, over what was there. */
static int place(struct domain *d, uint64_t gfn, paddr_t maddr)
{
	paddr_t foreign;
	paddr_t old;
	int err;

	if (gfn >= GFN_LIMIT) {
		return -EINVAL;
	}
	foreign = arch_foreign_at(d, gfn);
	old = arch_gfn_to_maddr(d, gfn);
	err = arch_map_hypervisor_page(d, gfn, maddr);
	if (err == 0) {
		physmap_forget(d, gfn);
		release_old(d, old, foreign);
	}
	return err;
}

static int place_grant_frame(struct domain *d, uint64_t idx, uint64_t gfn)
{
	paddr_t maddr;
	int err;

	if (idx >= GNTTAB_MAX_FRAMES) {
		return -EINVAL; /* the status bit too: there are none in v1 */
	}
	err = grant_table_frame(d, (unsigned int)idx, &maddr);
	if (err != 0) {
		return err;
	}
	if (grant_table_frame_gfn(d, (unsigned int)idx) != NO_GFN) {
		return -EBUSY;
	}
	err = place(d, gfn, maddr);
	if (err == 0) {
		grant_table_set_frame_gfn(d, (unsigned int)idx, gfn);
	}
	return err;
}

static int place_shared_info(struct domain *d, uint64_t idx, uint64_t gfn)
{
	int err;

	if (idx != 0U) {
		return -EINVAL;
	}
	if (d->shared_info_gfn != NO_GFN) {
		return -EBUSY;
	}
	err = place(d, gfn, virt_to_maddr(d->shared_info));
	if (err == 0) {
		d->shared_info_gfn = gfn;
	}
	return err;
}

/*
 * Another domain's page at d's gfn, for the control domain (Xen's
 * gmfn_foreign): Xen's checks, in its order, then a reference on the page
 * for as long as it is mapped (dropped by remove_from_physmap or by
 * mapping something else there).
 */
static int place_foreign(struct domain *d, uint64_t idx, uint64_t gfn,
			 domid_t foreign)
{
	struct domain *caller = current_vcpu()->domain;
	paddr_t own = arch_gfn_to_maddr(d, gfn);
	paddr_t old = arch_foreign_at(d, gfn);
	struct domain *od;
	bool is_ram = false;
	paddr_t maddr;
	int err;

	if (foreign == caller->domain_id) {
		return -ESRCH;
	}
	od = domain_by_any_id(caller, foreign);
	if ((od == NULL) && (foreign != DOMID_IO) && (foreign != DOMID_XEN)) {
		return -ESRCH;
	}
	if (od == d) {
		return -EINVAL;
	}
	if (!d->is_hardware_domain) {
		return -EPERM;
	}
	if ((od == NULL) || (gfn >= GFN_LIMIT)) {
		return -EINVAL; /* DOMID_IO and DOMID_XEN: not mapped */
	}
	maddr = arch_foreign_source(od, idx, &is_ram);
	if ((maddr == INVALID_PADDR) || READ_ONCE(od->is_dying)) {
		return -EINVAL;
	}
	if (is_ram ? !page_get(maddr, od->domain_id)
		   : !foreign_hyp_get(od, maddr)) {
		return is_ram ? -EINVAL : -ENOMEM;
	}
	err = arch_map_foreign(d, gfn, maddr);
	if (err != 0) {
		foreign_put(maddr);
		return err;
	}
	physmap_forget(d, gfn);
	release_old(d, own, old);
	return 0;
}

int physmap_map_grant_frame(struct domain *d, struct domain *od,
			    unsigned int idx, uint64_t gfn)
{
	paddr_t maddr;
	paddr_t own;
	paddr_t old;
	int err;

	if (gfn >= GFN_LIMIT) {
		return -EINVAL;
	}
	err = grant_table_frame(od, idx, &maddr);
	if (err != 0) {
		return err;
	}
	if (READ_ONCE(od->is_dying) || !foreign_hyp_get(od, maddr)) {
		return READ_ONCE(od->is_dying) ? -EINVAL : -ENOMEM;
	}
	spin_lock(&d->physmap_lock);
	own = arch_gfn_to_maddr(d, gfn);
	old = arch_foreign_at(d, gfn);
	err = arch_map_foreign(d, gfn, maddr);
	if (err == 0) {
		physmap_forget(d, gfn);
		release_old(d, own, old);
	}
	spin_unlock(&d->physmap_lock);
	if (err != 0) {
		foreign_put(maddr);
	}
	return err;
}

/* Xen's xenmem_add_to_physmap_one() on Arm, under d->physmap_lock. */
static int add_one(struct domain *d, unsigned int space, uint64_t idx,
		   uint64_t gfn, domid_t foreign)
{
	switch (space) {
	case XENMAPSPACE_shared_info:
		return place_shared_info(d, idx, gfn);
	case XENMAPSPACE_grant_table:
		return place_grant_frame(d, idx, gfn);
	case XENMAPSPACE_gmfn_foreign:
		return place_foreign(d, idx, gfn, foreign);
	case XENMAPSPACE_dev_mmio:
		/* Only the hardware domain gets here, whose devices are
		 * mapped 1:1 when it is built. */
		return 0;
	default:
		return -ENOSYS;
	}
}

static int add_one_locked(struct domain *d, unsigned int space, uint64_t idx,
			  uint64_t gfn, domid_t foreign)
{
	int err;

	spin_lock(&d->physmap_lock);
	err = add_one(d, space, idx, gfn, foreign);
	spin_unlock(&d->physmap_lock);
	return err;
}

/* Xen's xatp_permission_check(): device memory only for the hardware
 * domain into itself; otherwise the XSM_TARGET rule. */
static int64_t may_add(struct vcpu *v, struct domain *d, unsigned int space)
{
	if ((space == XENMAPSPACE_dev_mmio) &&
	    (!d->is_hardware_domain || (d != v->domain))) {
		return -EACCES;
	}
	return domain_may_target(v->domain, d) ? 0 : -EPERM;
}

/* A range of guest frames (XENMAPSPACE_gmfn_range): Xen checks it, then
 * finds it cannot move RAM on Arm. */
static int64_t add_range(const struct xen_add_to_physmap *xatp, uint64_t start)
{
	if (xatp->size < start) {
		return -EILSEQ;
	}
	if (((xatp->gpfn + xatp->size) < xatp->gpfn) ||
	    ((xatp->idx + xatp->size) < xatp->idx)) {
		return -EOVERFLOW;
	}
	return (xatp->size > start) ? -ENOSYS : 0;
}

int64_t memop_add_to_physmap(struct vcpu *v, const uint64_t *args)
{
	uint64_t start = args[0] >> MEMOP_EXTENT_SHIFT;
	struct xen_add_to_physmap xatp;
	struct domain *d;
	int64_t err;

	if (start > UINT16_MAX) {
		return -EDOM;
	}
	if (copy_from_guest(&xatp, args[1], sizeof(xatp)) != 0) {
		return -EFAULT;
	}
	if (xatp.space == XENMAPSPACE_gmfn_foreign) {
		return -ENOSYS; /* only through add_to_physmap_batch */
	}
	d = domain_by_any_id(v->domain, xatp.domid);
	if (d == NULL) {
		return -ESRCH;
	}
	err = may_add(v, d, xatp.space);
	if (err != 0) {
		return err;
	}
	if (xatp.gpfn == NO_GFN) {
		return -EINVAL;
	}
	if (xatp.space == XENMAPSPACE_gmfn_range) {
		return add_range(&xatp, start);
	}
	return add_one_locked(d, xatp.space, xatp.idx, xatp.gpfn,
			      DOMID_INVALID);
}

/* The batch's entries from start on: each result in errs[]; continued
 * (with the next entry above the command) when preempted. */
static int64_t add_batch(struct vcpu *v, struct domain *d,
			 const struct xen_add_to_physmap_batch *b,
			 uint64_t start, uint64_t arg)
{
	uint64_t idxs = (uint64_t)(uintptr_t)b->idxs.p;
	uint64_t gpfns = (uint64_t)(uintptr_t)b->gpfns.p;
	uint64_t errs = (uint64_t)(uintptr_t)b->errs.p;
	uint64_t i;

	for (i = start; i < b->size; i++) {
		uint64_t idx = 0;
		uint64_t gfn = 0;
		int32_t rc;

		if ((i != start) && hypercall_preempt_check()) {
			return hypercall_continue(
				v,
				XENMEM_add_to_physmap_batch |
					(i << MEMOP_EXTENT_SHIFT),
				arg, 0U);
		}
		if ((copy_from_guest(&idx, idxs + (i * 8U), 8U) != 0) ||
		    (copy_from_guest(&gfn, gpfns + (i * 8U), 8U) != 0)) {
			return -EFAULT;
		}
		if (gfn == NO_GFN) {
			return -EINVAL;
		}
		rc = add_one_locked(d, b->space, idx, gfn, b->u.foreign_domid);
		if (copy_to_guest(errs + (i * sizeof(rc)), &rc, sizeof(rc)) !=
		    0) {
			return -EFAULT;
		}
	}
	return 0;
}

int64_t memop_add_to_physmap_batch(struct vcpu *v, const uint64_t *args)
{
	uint64_t start = args[0] >> MEMOP_EXTENT_SHIFT;
	struct xen_add_to_physmap_batch b;
	struct domain *d;
	int64_t err;

	if (start > UINT16_MAX) {
		return -EDOM;
	}
	if (copy_from_guest(&b, args[1], sizeof(b)) != 0) {
		return -EFAULT;
	}
	if (b.space == XENMAPSPACE_gmfn_range) {
		return -EOPNOTSUPP;
	}
	d = domain_by_any_id(v->domain, b.domid);
	if (d == NULL) {
		return -ESRCH;
	}
	err = may_add(v, d, b.space);
	if (err != 0) {
		return err;
	}
	if (b.size <= start) {
		return ((b.size < start) || (start != 0U)) ? -EILSEQ : 0;
	}
	if ((b.space == XENMAPSPACE_dev_mmio) && (b.u.res0 != 0U)) {
		return -EOPNOTSUPP;
	}
	return add_batch(v, d, &b, start, args[1]);
}

int64_t memop_remove_from_physmap(struct vcpu *v, uint64_t arg)
{
	struct xen_remove_from_physmap xrfp;
	struct domain *d;
	bool removed;
	int err;

	if (copy_from_guest(&xrfp, arg, sizeof(xrfp)) != 0) {
		return -EFAULT;
	}
	err = domain_target(v->domain, xrfp.domid, &d);
	if (err != 0) {
		return err;
	}
	spin_lock(&d->physmap_lock);
	removed = (xrfp.gpfn < GFN_LIMIT) && physmap_remove(d, xrfp.gpfn);
	spin_unlock(&d->physmap_lock);
	return removed ? 0 : -ENOENT;
}
