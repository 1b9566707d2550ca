/*
 * Hypercalls: one table of Xen's numbers, handlers and argument counts.
 * The arch code only unpacks registers.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include <hv/domain.h>

#define HYPERCALL_MAX_ARGS 5U

/* Run hypercall nr for v with args; returns Xen's result (>= 0 or a
 * negative errno). */
int64_t hypercall_dispatch(struct vcpu *v, uint64_t nr,
			   const uint64_t args[HYPERCALL_MAX_ARGS]);

#endif /* HV_HYPERCALL_H */
