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

/* Handlers in their own files (args[] as in hypercall_dispatch). */
int64_t do_memory_op(struct vcpu *v, const uint64_t *args);
int64_t do_vcpu_op(struct vcpu *v, const uint64_t *args);
int64_t do_hvm_op(struct vcpu *v, const uint64_t *args);
int64_t do_vm_assist(struct vcpu *v, const uint64_t *args);
int64_t do_platform_op(struct vcpu *v, const uint64_t *args);
int64_t do_physdev_op(struct vcpu *v, const uint64_t *args);

#endif /* HV_HYPERCALL_H */
