/*
 * memory_op: the dispatch, and the sub-ops that query or refuse, answered
 * as Xen 4.17 answers them on Arm (the same checks in the same order, so
 * the same error). Extents are in core/reservation.c, placing pages in
 * core/physmap.c.
 */
#include <hv/errno.h>
#include <hv/grant-table.h>
#include <hv/guest-copy.h>
#include <hv/guest-mem.h>
#include <hv/hypercall.h>
#include <hv/memory-op.h>
#include <hv/page-alloc.h>

#include <xen/memory.h>

/* The domain a query names by the domid_t at arg (Xen's
 * rcu_lock_domain_by_any_id and XSM_TARGET): 0, -EFAULT, -ESRCH or
 * -EPERM. */
static int64_t queried_domain(struct vcpu *v, uint64_t arg, struct domain **d)
{
	domid_t domid;

	if (copy_from_guest(&domid, arg, sizeof(domid)) != 0) {
		return -EFAULT;
	}
	return domain_target(v->domain, domid, d);
}

/* XENMEM_current_reservation, _maximum_reservation, _maximum_gpfn. */
static int64_t domain_size(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
	struct domain *d = NULL;
	int64_t err = queried_domain(v, arg, &d);

	if (err != 0) {
		return err;
	}
	switch (cmd) {
	case XENMEM_current_reservation:
		return (int64_t)READ_ONCE(d->tot_pages);
	case XENMEM_maximum_reservation:
		return (int64_t)d->max_pages;
	default:
		return (int64_t)arch_max_mapped_gfn(d);
	}
}

/* Is anything backed by RAM at d's gfn? (Xen's mfn_valid(gfn_to_mfn)) */
static bool ram_at(struct domain *d, uint64_t gfn)
{
	return (gfn < GFN_LIMIT) && arch_gfn_is_ram(d, gfn);
}

/*
 * The first chunk of an exchange: Xen reads the input frames and takes
 * their pages away from the domain, which Arm cannot do (steal_page() is
 * -EOPNOTSUPP), so it ends there.
 */
static int64_t exchange_first_chunk(struct domain *d,
				    const struct xen_memory_exchange *x,
				    uint64_t chunk, unsigned int in_chunk_order)
{
	uint64_t list = (uint64_t)(uintptr_t)x->in.extent_start.p;
	uint64_t at = chunk << in_chunk_order;
	uint64_t gfn;

	if (copy_from_guest(&gfn, list + (at * 8U), 8U) != 0) {
		return -EFAULT;
	}
	/* Its first page decides: one that cannot be taken, or none. */
	return ram_at(d, gfn) ? -EOPNOTSUPP : -EINVAL;
}

static bool exchange_sizes_ok(const struct xen_memory_exchange *x)
{
	const struct xen_memory_reservation *in = &x->in;
	const struct xen_memory_reservation *out = &x->out;

	return (x->nr_exchanged <= in->nr_extents) &&
	       (in->domid == out->domid) &&
	       ((UINT64_MAX >> in->extent_order) >= in->nr_extents) &&
	       ((UINT64_MAX >> out->extent_order) >= out->nr_extents) &&
	       ((in->nr_extents << in->extent_order) ==
		(out->nr_extents << out->extent_order));
}

/* Xen's memory_exchange() on Arm. *write_back: whether Xen writes
 * nr_exchanged back (all but the "nothing left to do" answer). */
static int64_t exchange_checked(struct vcpu *v, struct xen_memory_exchange *x,
				bool *write_back)
{
	unsigned int in_order = x->in.extent_order;
	unsigned int out_order = x->out.extent_order;
	unsigned int ico = (in_order <= out_order) ? (out_order - in_order)
						   : 0U;
	struct domain *d;
	uint64_t chunk;
	int err;

	*write_back = true;
	if (MAX(in_order, out_order) > memop_max_order(v->domain)) {
		return -EPERM;
	}
	if (!exchange_sizes_ok(x)) {
		return -EINVAL;
	}
	if (x->nr_exchanged == x->in.nr_extents) {
		*write_back = false;
		return 0;
	}
	if (!memop_node_ok(v->domain, x->out.mem_flags)) {
		return -EINVAL;
	}
	err = domain_target(v->domain, x->in.domid, &d);
	if (err != 0) {
		return err;
	}
	chunk = x->nr_exchanged >> ico;
	if (chunk >= (x->in.nr_extents >> ico)) {
		x->nr_exchanged = x->in.nr_extents;
		return 0;
	}
	x->nr_exchanged = chunk << ico;
	return exchange_first_chunk(d, x, chunk, ico);
}

static int64_t exchange(struct vcpu *v, uint64_t arg)
{
	struct xen_memory_exchange x;
	bool write_back = false;
	int64_t rc;

	if (copy_from_guest(&x, arg, sizeof(x)) != 0) {
		return -EFAULT;
	}
	rc = exchange_checked(v, &x, &write_back);
	if (write_back &&
	    (copy_to_guest(arg + offsetof(struct xen_memory_exchange,
					  nr_exchanged),
			   &x.nr_exchanged, sizeof(x.nr_exchanged)) != 0)) {
		rc = -EFAULT;
	}
	return rc;
}

/* XENMEM_claim_pages: only the control domain stakes claims. */
static int64_t claim_pages(struct vcpu *v, uint64_t arg)
{
	struct xen_memory_reservation r;
	struct domain *d;

	if (copy_from_guest(&r, arg, sizeof(r)) != 0) {
		return -EFAULT;
	}
	if ((r.extent_start.p != NULL) || (r.extent_order != 0U) ||
	    (r.mem_flags != 0U)) {
		return -EINVAL;
	}
	d = domain_by_id(r.domid);
	if (d == NULL) {
		return -EINVAL;
	}
	if (!v->domain->is_hardware_domain) {
		return -EPERM;
	}
	return domain_set_claim(d, r.nr_extents);
}

/* XENMEM_get_vnumainfo: no domain has a virtual NUMA layout. */
static int64_t vnuma_info(struct vcpu *v, uint64_t arg)
{
	struct xen_vnuma_topology_info t;
	struct domain *d;
	int err;

	if (copy_from_guest(&t, arg, sizeof(t)) != 0) {
		return -EFAULT;
	}
	if (t.pad != 0U) {
		return -EINVAL;
	}
	err = domain_target(v->domain, t.domid, &d);
	return (err != 0) ? err : -EOPNOTSUPP;
}

/* XENMEM_reserved_device_memory_map: no IOMMU reserves any. */
static int64_t reserved_device_memory(uint64_t arg)
{
	struct xen_reserved_device_memory_map map;

	if (copy_from_guest(&map, arg, sizeof(map)) != 0) {
		return -EFAULT;
	}
	if ((map.flags & ~(uint32_t)XENMEM_RDM_ALL) != 0U) {
		return -EINVAL;
	}
	map.nr_entries = 0;
	return (copy_to_guest(arg, &map, sizeof(map)) != 0) ? -EFAULT : 0;
}

/* The frames of a resource of d (Xen's resource_max_frames): the grant
 * table's shared frames; v1 has no status frames. */
static int64_t resource_frames(const struct domain *d, uint32_t type,
			       uint32_t id)
{
	if (type != XENMEM_resource_grant_table) {
		return -EOPNOTSUPP; /* no ioreq servers or trace buffers */
	}
	return (id == XENMEM_resource_grant_table_id_shared)
		       ? (int64_t)grant_table_max_frames(d)
		       : 0;
}

/* Map frames [start, r->nr_frames) of d's grant table at the gfns of
 * r->frame_list, continued from the last one done when preempted. */
static int64_t map_grant_frames(struct vcpu *v, struct domain *d,
				const struct xen_mem_acquire_resource *r,
				uint64_t start, uint64_t arg)
{
	uint64_t list = GUEST_HANDLE_ADDR(r->frame_list);
	xen_pfn_t gfn;
	uint64_t i;
	int err;

	for (i = start; i < r->nr_frames; i++) {
		if ((i != start) && hypercall_preempt_check()) {
			return hypercall_continue(
				v,
				XENMEM_acquire_resource |
					(i << MEMOP_EXTENT_SHIFT),
				arg, 0U);
		}
		if (copy_from_guest(&gfn, list + (i * sizeof(gfn)),
				    sizeof(gfn)) != 0) {
			return -EFAULT;
		}
		err = physmap_map_grant_frame(
			v->domain, d, (unsigned int)(r->frame + i), gfn);
		if (err != 0) {
			/* Xen's -EIO: the earlier frames are mapped. */
			return (i == 0U) ? err : -EIO;
		}
	}
	return 0;
}

/*
 * XENMEM_acquire_resource: Xen's checks in its order. Only a device model
 * or the control domain may map another domain's resources; the control
 * domain maps a domU's grant table frames (the domain builder seeds the
 * table through them). A null frame list asks for the resource's size.
 */
static int64_t acquire_resource(struct vcpu *v, uint64_t start, uint64_t arg)
{
	struct xen_mem_acquire_resource r;
	struct domain *d;
	int64_t max;

	if (copy_from_guest(&r, arg, sizeof(r)) != 0) {
		return -EFAULT;
	}
	if (r.pad != 0U) {
		return -EINVAL;
	}
	if (((r.frame >> 32) != 0U) ||
	    (((r.frame + r.nr_frames) >> 32) != 0U)) {
		return -EINVAL;
	}
	d = domain_by_id(r.domid);
	if (d == NULL) {
		return -ESRCH;
	}
	if (d == v->domain) {
		return -EPERM;
	}
	if (!v->domain->is_hardware_domain) {
		return -EPERM;
	}
	max = resource_frames(d, r.type, r.id);
	if (max <= 0) {
		return (max < 0) ? max : -EINVAL;
	}
	if (GUEST_HANDLE_ADDR(r.frame_list) == 0U) {
		if ((r.nr_frames != 0U) || (start != 0U)) {
			return -EINVAL;
		}
		r.nr_frames = (uint32_t)max;
		return (copy_to_guest(arg, &r, sizeof(r)) != 0) ? -EFAULT : 0;
	}
	if ((start >= r.nr_frames) ||
	    (r.nr_frames > (UINT32_MAX >> MEMOP_EXTENT_SHIFT))) {
		return -EINVAL;
	}
	return map_grant_frames(v, d, &r, start, arg);
}

/* Sub-ops that take no start extent: Xen refuses one with -EINVAL. */
static int64_t no_extent_op(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
	switch (cmd) {
	case XENMEM_maximum_ram_page:
		return (int64_t)page_alloc_max_frame();
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
		return domain_size(v, cmd, arg);
	case XENMEM_exchange:
		return exchange(v, arg);
	case XENMEM_remove_from_physmap:
		return memop_remove_from_physmap(v, arg);
	case XENMEM_claim_pages:
		return claim_pages(v, arg);
	case XENMEM_get_vnumainfo:
		return vnuma_info(v, arg);
	default:
		return reserved_device_memory(arg);
	}
}

int64_t do_memory_op(struct vcpu *v, const uint64_t *args)
{
	uint64_t cmd = args[0] & MEMOP_CMD_MASK;
	bool extent = (args[0] >> MEMOP_EXTENT_SHIFT) != 0U;

	switch (cmd) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		return memop_reservation(v, args);
	case XENMEM_maximum_ram_page:
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
	case XENMEM_exchange:
	case XENMEM_remove_from_physmap:
	case XENMEM_claim_pages:
	case XENMEM_get_vnumainfo:
	case XENMEM_reserved_device_memory_map:
		return extent ? -EINVAL : no_extent_op(v, cmd, args[1]);
	case XENMEM_add_to_physmap:
		return memop_add_to_physmap(v, args);
	case XENMEM_add_to_physmap_batch:
		return memop_add_to_physmap_batch(v, args);
	case XENMEM_acquire_resource:
		/* A start extent is only for continuing a mapping. */
		return acquire_resource(v, args[0] >> MEMOP_EXTENT_SHIFT,
					args[1]);
	case XENMEM_get_sharing_freed_pages:
	case XENMEM_get_sharing_shared_pages:
		/* Xen's Arm code compares the whole (32-bit) command. */
		return ((uint32_t)args[0] == cmd) ? 0 : -ENOSYS;
	default:
		return -ENOSYS;
	}
}
