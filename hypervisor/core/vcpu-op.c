/*
 * vcpu_op: where a vCPU's vcpu_info and runstate area live. Xen 4.17 on
 * Arm has only these two sub-ops (vCPUs come up through PSCI, timers are
 * the generic timer's): any other is -EINVAL.
 */
#include <hv/atomic.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/guest-copy.h>
#include <hv/guest-mem.h>
#include <hv/hypercall.h>
#include <hv/page-alloc.h>
#include <hv/string.h>

#include <xen/vcpu.h>
#include <xen/xen.h>

/* The hypervisor keeps a pointer into the page: it holds a page
 * reference (dropped when the domain is destroyed). Another vCPU's area is
 * registered only while that vCPU is down, as in Xen. */
static int64_t register_vcpu_info(struct vcpu *v, uint64_t arg, bool self)
{
	struct vcpu_register_vcpu_info info;
	struct vcpu_info *new_info;
	uint8_t *page;

	if (copy_from_guest(&info, arg, sizeof(info)) != 0) {
		return -EFAULT;
	}
	/* Xen's order and errors: where in the page, then whether one is
	 * registered already, then the page itself. */
	if ((info.offset > (PAGE_SIZE - sizeof(struct vcpu_info))) ||
	    ((info.offset & 7U) != 0U)) {
		return -ENXIO;
	}
	if (v->vcpu_info_registered) {
		return -EINVAL; /* Xen allows it once */
	}
	if (!self && (READ_ONCE(v->state) != VCPU_DOWN)) {
		return -EINVAL;
	}
	page = domain_map_page(v->domain, info.mfn);
	if (page == NULL) {
		return -EINVAL;
	}
	new_info = (struct vcpu_info *)(void *)(page + info.offset);
	if (v->vcpu_info != NULL) {
		memcpy(new_info, v->vcpu_info, sizeof(*new_info));
	} else {
		memset(new_info, 0, sizeof(*new_info));
	}
	/* Events may be pending already: make the guest look at all of them
	 * (as Xen does on registration). */
	write_full(&new_info->evtchn_upcall_pending, 0);
	write_full(&new_info->evtchn_pending_sel, ~(xen_ulong_t)0);
	v->vcpu_info = new_info;
	v->vcpu_info_registered = true;
	evtchn_vcpu_mark_pending(v);
	return 0;
}

static int64_t register_runstate(struct vcpu *v, uint64_t arg)
{
	struct vcpu_register_runstate_memory_area area;

	if (copy_from_guest(&area, arg, sizeof(area)) != 0) {
		return -EFAULT;
	}
	v->runstate_gva = area.addr.p;
	v->runstate_dirty = true;
	return 0;
}

int64_t do_vcpu_op(struct vcpu *v, const uint64_t *args)
{
	struct vcpu *target;

	if (args[1] >= v->domain->max_vcpus) {
		return -ENOENT;
	}
	target = v->domain->vcpus[args[1]];
	switch (args[0]) {
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(target, args[2], target == v);
	case VCPUOP_register_runstate_memory_area:
		return register_runstate(target, args[2]);
	default:
		return -EINVAL;
	}
}
