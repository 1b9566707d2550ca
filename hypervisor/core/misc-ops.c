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

/* Xen 4.17's hvm_allow_set_param()/hvm_allow_get_param() on Arm: the
 * parameters a toolstack sets, which a domain may read of itself. */
static int64_t hvm_param_allowed(const struct vcpu *v, const struct domain *d,
				 uint32_t index, bool set)
{
	switch (index) {
	case HVM_PARAM_CALLBACK_IRQ:
	case HVM_PARAM_STORE_PFN:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_PFN:
	case HVM_PARAM_CONSOLE_EVTCHN:
		return (set && (d == v->domain)) ? -EPERM : 0;
	case HVM_PARAM_MONITOR_RING_PFN:
		return (d == v->domain) ? -EPERM : 0;
	default:
		return -EINVAL;
	}
}

static int64_t hvm_param(struct vcpu *v, uint64_t arg, bool set)
{
	struct xen_hvm_param p;
	struct domain *d;
	int64_t err;

	if (copy_from_guest(&p, arg, sizeof(p)) != 0) {
		return -EFAULT;
	}
	err = domain_target(v->domain, p.domid, &d);
	if (err == 0) {
		err = hvm_param_allowed(v, d, p.index, set);
	}
	if (err != 0) {
		return err;
	}
	if (set) {
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
	case HVMOP_guest_request_vm_event:
		/* No monitor ever listens: a request is dropped. */
		return (args[1] == 0U) ? 0 : -EINVAL;
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
