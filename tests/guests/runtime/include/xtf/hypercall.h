/*
 * Xen hypercalls: `hvc #XEN_HYPERCALL_TAG`, number in x16, arguments in
 * x0..x4, result in x0. Xen may clobber x1..x4 and x16 (debug builds do), so
 * they are all outputs here. Numbers and structures come from Xen's public
 * headers only.
 */
#ifndef XTF_HYPERCALL_H
#define XTF_HYPERCALL_H

#include <xtf/lib.h>

#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#define XTF_HVC_XEN "hvc #" STR(XEN_HYPERCALL_TAG)

static inline long xen_hypercall3(unsigned long op, unsigned long a0,
				  unsigned long a1, unsigned long a2)
{
	register unsigned long x0 __asm__("x0") = a0;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = 0;
	register unsigned long x4 __asm__("x4") = 0;
	register unsigned long x16 __asm__("x16") = op;

	__asm__ volatile(XTF_HVC_XEN
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4),
			   "+r"(x16)
			 :
			 : "memory");
	return (long)x0;
}

static inline long HYPERVISOR_console_io(unsigned int cmd, unsigned int count,
					 const char *buf)
{
	return xen_hypercall3(__HYPERVISOR_console_io, cmd, count,
			      (unsigned long)buf);
}

static inline long HYPERVISOR_xen_version(unsigned int cmd, void *arg)
{
	return xen_hypercall3(__HYPERVISOR_xen_version, cmd, (unsigned long)arg,
			      0);
}

static inline long HYPERVISOR_sched_op(unsigned int cmd, void *arg)
{
	return xen_hypercall3(__HYPERVISOR_sched_op, cmd, (unsigned long)arg,
			      0);
}

/* This domain's HVM parameter index (HVMOP_get_param); false if refused. */
static inline bool xtf_hvm_get_param(uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = {
		.domid = DOMID_SELF, .index = index, .value = 0};

	if (xen_hypercall3(__HYPERVISOR_hvm_op, HVMOP_get_param,
			   (unsigned long)&p, 0)) {
		return false;
	}
	*value = p.value;
	return true;
}

#endif /* XTF_HYPERCALL_H */
