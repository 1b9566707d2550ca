/*
 * Hypercalls: one table (core/hypercall.c) of Xen's numbers with each
 * handler and its name for the logs. The arch code only moves registers:
 * the number and arguments in, the result out, or the arguments of a
 * continuation back before the guest issues the call again.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include <hv/domain.h>

#define HYPERCALL_MAX_ARGS 5U

/* Run hypercall nr for v with args; returns Xen's result (>= 0 or a
 * negative errno). nr last, so that args stays in the register a handler
 * takes it in. */
int64_t hypercall_dispatch(struct vcpu *v,
			   const uint64_t args[HYPERCALL_MAX_ARGS],
			   uint64_t nr);

/*
 * Continuations, as Xen's on Arm: a handler whose work a guest sized (a
 * batch, a long buffer) stops when hypercall_preempt_check() says so and
 * returns hypercall_continue() with the arguments that describe what is
 * left. The guest then re-executes its hypercall instruction with those
 * arguments, after pending interrupts (and the scheduler) have run. Inside
 * a multicall, the multicall continues from that entry.
 */
int64_t hypercall_continue(struct vcpu *v, uint64_t a0, uint64_t a1,
			   uint64_t a2);

/* Should a long hypercall stop for now (an interrupt or a reschedule is
 * pending on this CPU)? */
bool hypercall_preempt_check(void);

/* Whether failing hypercalls are logged (hypercall_trace on the command
 * line): handlers with sub-ops log theirs too. */
#define HYPERCALL_LOG_FIRST_USE 1U /* hypercall_debug */
#define HYPERCALL_LOG_FAILURES 2U /* hypercall_trace */
extern uint8_t hypercall_log;

static inline bool hypercall_tracing(void)
{
	return (hypercall_log & HYPERCALL_LOG_FAILURES) != 0U;
}

/* Handlers defined outside hypercall.c whose headers do not declare them
 * (args[] as in hypercall_dispatch): memory-op.c, vcpu-op.c, misc-ops.c
 * (hvm_op, vm_assist, platform_op, physdev_op), domctl.c, sysctl.c
 * (sysctl, hypfs_op) and xsm.c. */
int64_t do_memory_op(struct vcpu *v, const uint64_t *args);
int64_t do_vcpu_op(struct vcpu *v, const uint64_t *args);
int64_t do_hvm_op(struct vcpu *v, const uint64_t *args);
int64_t do_vm_assist(struct vcpu *v, const uint64_t *args);
int64_t do_platform_op(struct vcpu *v, const uint64_t *args);
int64_t do_physdev_op(struct vcpu *v, const uint64_t *args);
int64_t do_domctl(struct vcpu *v, const uint64_t *args);
int64_t do_sysctl(struct vcpu *v, const uint64_t *args);
int64_t do_hypfs_op(struct vcpu *v, const uint64_t *args);
int64_t do_xsm_op(struct vcpu *v, const uint64_t *args);

#endif /* HV_HYPERCALL_H */
