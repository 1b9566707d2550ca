/*
 * Work done for a vCPU each time it is about to enter its guest.
 */
#include <hv/atomic.h>
#include <hv/event.h>
#include <hv/guest-copy.h>
#include <hv/poll.h>
#include <hv/sched.h>

#include <xen/xen.h>

void vcpu_entry_work_slow(struct vcpu *v)
{
	if (v->poll_port != 0) {
		poll_end(v);
	}
	if (v->runstate_dirty) {
		/* A bad address is the guest's problem: it just sees no
		 * update, as with Xen. Registering an area marks it dirty. */
		if ((v->runstate_gva != 0U) &&
		    (copy_to_guest(v->runstate_gva, &v->runstate,
				   sizeof(v->runstate)) != 0)) {
			v->runstate_gva = 0;
		}
		v->runstate_dirty = false;
	}
}
