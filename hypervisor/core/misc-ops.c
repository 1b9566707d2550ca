/*
 * The small hypercalls Linux makes on Arm: hvm_op parameters, vm_assist,
 * platform_op (dom0 sets the wallclock) and physdev_op (nothing on Arm).
 */
#include <hv/errno.h>
#include <hv/guest-copy.h>
#include <hv/hypercall.h>

#include <xen/hvm/hvm_op.h>
#include <xen/platform.h>
#include <xen/xen.h>

static int64_t hvm_param(struct vcpu *v, uint64_t arg, bool set)
{
	struct xen_hvm_param p;
	struct domain *d = v->domain;

	if (copy_from_guest(&p, arg, sizeof(p)) != 0) {
		return -EFAULT;
	}
	if ((p.domid != DOMID_SELF) && (p.domid != d->domain_id)) {
		/* Xen looks the domain up first. */
		return (domain_by_id(p.domid) == NULL) ? -ESRCH : -EPERM;
	}
	if (p.index >= HVM_NR_PARAMS) {
		return -EINVAL;
	}
	if (set) {
		/* Guests may not move their own xenstore or console. */
		if ((p.index == HVM_PARAM_STORE_PFN) ||
		    (p.index == HVM_PARAM_STORE_EVTCHN) ||
		    (p.index == HVM_PARAM_CONSOLE_PFN) ||
		    (p.index == HVM_PARAM_CONSOLE_EVTCHN)) {
			return -EPERM;
		}
		d->hvm_params[p.index] = p.value;
		return 0;
	}
	p.value = d->hvm_params[p.index];
	return copy_to_guest(arg, &p, sizeof(p));
}

int64_t do_hvm_op(struct vcpu *v, const uint64_t *args)
{
	switch (args[0]) {
	case HVMOP_get_param:
		return hvm_param(v, args[1], false);
	case HVMOP_set_param:
		return hvm_param(v, args[1], true);
	default:
		return -ENOSYS;
	}
}

int64_t do_vm_assist(struct vcpu *v, const uint64_t *args)
{
	(void)v;
	if ((args[0] == VMASST_CMD_enable) &&
	    (args[1] == VMASST_TYPE_runstate_update_flag)) {
		return 0;
	}
	return -EINVAL;
}

int64_t do_platform_op(struct vcpu *v, const uint64_t *args)
{
	struct xen_platform_op op;

	/* Xen's order: copy, interface version, then the caller. */
	if (copy_from_guest(&op, args[0], sizeof(op)) != 0) {
		return -EFAULT;
	}
	if (op.interface_version != XENPF_INTERFACE_VERSION) {
		return -EACCES;
	}
	if (!v->domain->is_hardware_domain) {
		return -EPERM;
	}
	/* XENPF_settime64: Xenon keeps no wallclock of its own yet. */
	return (op.cmd == XENPF_settime64) ? 0 : -ENOSYS;
}

int64_t do_physdev_op(struct vcpu *v, const uint64_t *args)
{
	(void)v;
	(void)args;
	return -ENOSYS; /* as Xen 4.17 on Arm, for PCI device reports */
}
