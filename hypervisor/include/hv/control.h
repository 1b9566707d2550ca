/*
 * What the control hypercalls (domctl, sysctl) share: the domain
 * information both report and Xen's CPU bitmaps in guest memory.
 */
#ifndef HV_CONTROL_H
#define HV_CONTROL_H

#include <hv/domain.h>

/* <xen/hvm/save.h> (through <xen/sysctl.h> and <xen/domctl.h>) refuses
 * strict ISO C for its anonymous unions, which C11 has: its check predates
 * C11. It is lifted for these headers only. */
#undef __STRICT_ANSI__
#include <xen/domctl.h>
#include <xen/sysctl.h>

/* The scheduler Xenon reports to the toolstack: Xen 4.17's default, whose
 * parameters (weight, cap) it keeps per domain. */
#define CONTROL_SCHED_ID XEN_SCHEDULER_CREDIT2

/* Fill info for d, as Xen's getdomaininfo(). */
void control_domaininfo(const struct domain *d,
			struct xen_domctl_getdomaininfo *info);

/* Arch hook: the arch's part of info (the guest address size, the
 * arch_config the domain was created with). */
void arch_domaininfo(const struct domain *d,
		     struct xen_domctl_getdomaininfo *info);

/* Arch hook: check the arch part of a createdomain and complete what it
 * returns (on Arm, the GIC version chosen); 0 or an errno. */
int64_t arch_domain_config(struct xen_arch_domainconfig *a);

/* Copy mask (bit n: CPU n) out to a guest's bitmap, or in from one:
 * Xen's bitmap_to_xenctl_bitmap() and xenctl_bitmap_to_bitmap(). 0 or
 * -EFAULT. */
int control_bitmap_out(const struct xenctl_bitmap *b, uint64_t mask);
int control_bitmap_in(const struct xenctl_bitmap *b, uint64_t *mask);

/* Online physical CPUs, bit n for CPU n. */
uint64_t control_online_cpus(void);

/* Sub-op handlers of the control domain: 0 or an errno, with *copyback
 * set when op is to be copied back. */
int64_t domctl_vcpu_op(struct domain *d, struct xen_domctl *op, bool *copyback);

#endif /* HV_CONTROL_H */
