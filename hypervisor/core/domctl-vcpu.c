/*
 * XEN_DOMCTL sub-ops on one vCPU of a domain: its state, its affinity and,
 * for a domain the toolstack builds, its first register context.
 */
#include <hv/control.h>
#include <hv/errno.h>
#include <hv/guest-copy.h>
#include <hv/sched.h>
#include <hv/string.h>

/* The vCPU op names, as Xen looks it up: -EINVAL past max_vcpus. */
static int64_t named_vcpu(struct domain *d, uint32_t id, struct vcpu **v)
{
	if (id >= d->max_vcpus) {
		return -EINVAL;
	}
	*v = d->vcpus[id];
	return (*v == NULL) ? -ESRCH : 0;
}

static int64_t get_vcpuinfo(struct domain *d, struct xen_domctl *op)
{
	struct xen_domctl_getvcpuinfo *info = &op->u.getvcpuinfo;
	struct vcpu *v = NULL;
	int64_t err = named_vcpu(d, info->vcpu, &v);

	if (err != 0) {
		return err;
	}
	info->online = (v->state != VCPU_DOWN) ? 1U : 0U;
	info->blocked = (v->state == VCPU_BLOCKED) ? 1U : 0U;
	info->running = (v->state == VCPU_RUNNING) ? 1U : 0U;
	info->cpu_time = vcpu_cpu_time(v);
	info->cpu = v->processor;
	return 0;
}

/*
 * XEN_DOMCTL_setvcpuaffinity / getvcpuaffinity. A hard affinity must keep
 * an online CPU; both masks are written back as they now are. A vCPU stays
 * on the CPU it was placed on: it is moved only while it is down.
 */
static int64_t vcpu_affinity(struct domain *d, struct xen_domctl *op)
{
	struct xen_domctl_vcpuaffinity *a = &op->u.vcpuaffinity;
	uint64_t hard = 0;
	uint64_t soft = 0;
	struct vcpu *v = NULL;
	int64_t err = named_vcpu(d, a->vcpu, &v);

	if ((err == 0) && ((a->flags & (XEN_VCPUAFFINITY_HARD |
					XEN_VCPUAFFINITY_SOFT)) == 0U)) {
		err = -EINVAL;
	}
	if ((err == 0) && (op->cmd == XEN_DOMCTL_setvcpuaffinity)) {
		if ((a->flags & XEN_VCPUAFFINITY_HARD) != 0U) {
			err = control_bitmap_in(&a->cpumap_hard, &hard);
			if ((err == 0) &&
			    ((hard & control_online_cpus()) == 0U)) {
				err = -EINVAL;
			}
		}
		if ((err == 0) && ((a->flags & XEN_VCPUAFFINITY_SOFT) != 0U)) {
			err = control_bitmap_in(&a->cpumap_soft, &soft);
		}
		if (err == 0) {
			err = vcpu_set_affinity(
				v,
				((a->flags & XEN_VCPUAFFINITY_HARD) != 0U)
					? &hard
					: NULL,
				((a->flags & XEN_VCPUAFFINITY_SOFT) != 0U)
					? &soft
					: NULL);
		}
	}
	if ((err == 0) && ((a->flags & XEN_VCPUAFFINITY_HARD) != 0U)) {
		err = control_bitmap_out(&a->cpumap_hard, v->affinity_hard);
	}
	if ((err == 0) && ((a->flags & XEN_VCPUAFFINITY_SOFT) != 0U)) {
		err = control_bitmap_out(&a->cpumap_soft, v->affinity_soft);
	}
	return err;
}

/* XEN_DOMCTL_setvcpucontext: the registers a vCPU starts with, for a
 * vCPU not yet started or of a paused domain that is off its CPU. */
static int64_t set_vcpucontext(struct domain *d, struct xen_domctl *op)
{
	struct vcpu_guest_context ctx;
	struct vcpu *v = NULL;
	int64_t err = named_vcpu(d, op->u.vcpucontext.vcpu, &v);

	if ((err == 0) && (d == current_vcpu()->domain)) {
		err = -EINVAL;
	}
	if (err != 0) {
		return err;
	}
	if (GUEST_HANDLE_ADDR(op->u.vcpucontext.ctxt) == 0U) {
		return -EINVAL; /* Xen's "reset", for x86 guests only */
	}
	if (copy_from_guest(&ctx, GUEST_HANDLE_ADDR(op->u.vcpucontext.ctxt),
			    sizeof(ctx)) != 0) {
		return -EFAULT;
	}
	if ((v->state != VCPU_DOWN) &&
	    ((d->pause_count == 0U) || arch_vcpu_on_cpu(v))) {
		return -EBUSY;
	}
	err = arch_vcpu_set_context(v, &ctx);
	if (err != 0) {
		return err;
	}
	if ((ctx.flags & VGCF_online) != 0U) {
		vcpu_start(v);
	} else {
		vcpu_down(v);
	}
	return 0;
}

int64_t domctl_vcpu_op(struct domain *d, struct xen_domctl *op, bool *copyback)
{
	if (d == NULL) {
		return -ENOSYS;
	}
	switch (op->cmd) {
	case XEN_DOMCTL_max_vcpus:
		/* Made at createdomain; Xen 4.17 only checks the number. */
		return (op->u.max_vcpus.max == d->max_vcpus) ? 0 : -EINVAL;
	case XEN_DOMCTL_getvcpuinfo:
		*copyback = true;
		return get_vcpuinfo(d, op);
	case XEN_DOMCTL_setvcpuaffinity:
	case XEN_DOMCTL_getvcpuaffinity:
		*copyback = true;
		return vcpu_affinity(d, op);
	case XEN_DOMCTL_setvcpucontext:
		return set_vcpucontext(d, op);
	default:
		return -ENOSYS;
	}
}
