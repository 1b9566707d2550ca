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

static bool is_self(const struct domain *d, domid_t domid)
{
	return (domid == DOMID_SELF) || (domid == d->domain_id);
}

static int map_space(struct domain *d, unsigned int space, uint64_t idx,
		     uint64_t gpfn)
{
	paddr_t maddr;
	int err;

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
	return arch_map_hypervisor_page(d, gpfn, maddr);
}

static int64_t add_to_physmap(struct vcpu *v, uint64_t arg)
{
	struct xen_add_to_physmap xatp;

	if (copy_from_guest(&xatp, arg, sizeof(xatp)) != 0) {
		return -EFAULT;
	}
	if (!is_self(v->domain, xatp.domid)) {
		return -EPERM;
	}
	return map_space(v->domain, xatp.space, xatp.idx, xatp.gpfn);
}

/* Most extents one reservation call handles (Xen would continue the
 * call; a balloon driver asks again for the rest). */
#define RESERVATION_MAX_EXTENTS 512U

static int64_t read_reservation(struct vcpu *v, uint64_t arg,
				struct xen_memory_reservation *r)
{
	if (copy_from_guest(r, arg, sizeof(*r)) != 0) {
		return -EFAULT;
	}
	if (!is_self(v->domain, r->domid) || (r->extent_order != 0U)) {
		return -EINVAL; /* 4 KiB extents only */
	}
	return 0;
}

/*
 * XENMEM_decrease_reservation: the guest gives pages back. They leave its
 * physical address space; the memory stays with the domain (it was
 * allocated in large blocks) until the domain is gone.
 */
static int64_t decrease_reservation(struct vcpu *v, uint64_t arg)
{
	struct xen_memory_reservation r;
	uint64_t list;
	uint64_t gfn;
	uint64_t i;
	int64_t err = read_reservation(v, arg, &r);

	if (err != 0) {
		return err;
	}
	list = (uint64_t)(uintptr_t)r.extent_start.p;
	for (i = 0; (i < r.nr_extents) && (i < RESERVATION_MAX_EXTENTS); i++) {
		if ((copy_from_guest(&gfn, list + (i * sizeof(gfn)),
				     sizeof(gfn)) != 0) ||
		    (arch_guest_page(v->domain, gfn) == NULL) ||
		    (arch_unmap_guest_page(v->domain, gfn) != 0)) {
			break;
		}
	}
	return (int64_t)i;
}

/* XENMEM_populate_physmap: new pages at the guest frames it names (not
 * for a 1:1 domain, whose frames are machine frames). */
static int64_t populate_physmap(struct vcpu *v, uint64_t arg)
{
	struct xen_memory_reservation r;
	uint64_t list;
	uint64_t gfn;
	uint64_t i;
	paddr_t pa;
	int64_t err = read_reservation(v, arg, &r);

	if ((err == 0) && v->domain->direct_map) {
		err = -EOPNOTSUPP;
	}
	if (err != 0) {
		return err;
	}
	list = (uint64_t)(uintptr_t)r.extent_start.p;
	for (i = 0; (i < r.nr_extents) && (i < RESERVATION_MAX_EXTENTS); i++) {
		if (copy_from_guest(&gfn, list + (i * sizeof(gfn)),
				    sizeof(gfn)) != 0) {
			break;
		}
		pa = alloc_pages(0);
		if (pa == INVALID_PADDR) {
			break;
		}
		memset(maddr_to_virt(pa), 0, PAGE_SIZE);
		if (arch_map_guest_ram(v->domain, gfn, pa) != 0) {
			free_pages(pa, 0);
			break;
		}
	}
	return (int64_t)i;
}

int64_t do_memory_op(struct vcpu *v, const uint64_t *args)
{
	switch (args[0] & MEMOP_CMD_MASK) {
	case XENMEM_add_to_physmap:
		return add_to_physmap(v, args[1]);
	case XENMEM_decrease_reservation:
		return decrease_reservation(v, args[1]);
	case XENMEM_populate_physmap:
		return populate_physmap(v, args[1]);
	default:
		return -ENOSYS;
	}
}
