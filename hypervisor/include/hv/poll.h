/*
 * SCHEDOP_poll: a vCPU blocks until one of a list of its domain's event
 * channels is pending (masked or not), a timeout passes, or anything else
 * wakes it (a virtual interrupt), as in Xen.
 */
#ifndef HV_POLL_H
#define HV_POLL_H

#include <hv/domain.h>

/* SCHEDOP_poll for the current vCPU v, arg the guest's sched_poll: 0
 * (woken, or an event was pending already), -EINVAL (more than 128 ports,
 * or one that is not valid) or -EFAULT. */
int64_t sched_poll(struct vcpu *v, uint64_t arg);

/* d's port became pending: wake the vCPUs polling it. */
void poll_check_pollers(struct domain *d, evtchn_port_t port);

/* v runs again: whatever poll it was in is over (from vcpu_entry_work). */
void poll_end(struct vcpu *v);

/* v's poll timer: set up when v is made, stopped before it is freed. */
void poll_vcpu_init(struct vcpu *v);
void poll_vcpu_destroy(struct vcpu *v);

#endif /* HV_POLL_H */
