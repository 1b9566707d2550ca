/*
 * The control hypercalls (domctl, sysctl, hypfs_op): the toolstack's. The
 * checks come first and in Xen 4.17's order, so every caller gets Xen's
 * answer: the structure is copied (-EFAULT), its interface version checked
 * (-EACCES), then the caller must be the control domain (-EPERM). The
 * operations themselves are not there yet (-ENOSYS).
 */
#include <hv/errno.h>
#include <hv/guest-copy.h>
#include <hv/hypercall.h>

/* <xen/hvm/save.h> (through <xen/sysctl.h> and <xen/domctl.h>) refuses
 * strict ISO C for its anonymous unions, which C11 has: its check predates
 * C11. It is lifted for these headers only. */
#undef __STRICT_ANSI__
#include <xen/domctl.h>
#include <xen/sysctl.h>

int64_t do_domctl(struct vcpu *v, const uint64_t *args)
{
	struct xen_domctl op;

	if (copy_from_guest(&op, args[0], sizeof(op)) != 0) {
		return -EFAULT;
	}
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION) {
		return -EACCES;
	}
	return v->domain->is_hardware_domain ? -ENOSYS : -EPERM;
}

int64_t do_sysctl(struct vcpu *v, const uint64_t *args)
{
	struct xen_sysctl op;

	if (copy_from_guest(&op, args[0], sizeof(op)) != 0) {
		return -EFAULT;
	}
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION) {
		return -EACCES;
	}
	return v->domain->is_hardware_domain ? -ENOSYS : -EPERM;
}

/* Xen checks the caller before anything else here. */
int64_t do_hypfs_op(struct vcpu *v, const uint64_t *args)
{
	(void)args;
	return v->domain->is_hardware_domain ? -ENOSYS : -EPERM;
}
