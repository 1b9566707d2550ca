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

int64_t do_memory_op(struct vcpu *v, const uint64_t *args)
{
	switch (args[0] & MEMOP_CMD_MASK) {
	case XENMEM_add_to_physmap:
		return add_to_physmap(v, args[1]);
	default:
		return -ENOSYS;
	}
}
