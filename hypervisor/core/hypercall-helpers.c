/*
 * What hypercall handlers share: continuations and the preemption check.
 * Apart from the hypercall table, which calls the handlers, so that
 * handlers depend on this file and not on the table.
 */
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <hv/irq.h>
#include <hv/sched.h>
#include <hv/smp.h>

int64_t hypercall_continue(struct vcpu *v, uint64_t a0, uint64_t a1,
			   uint64_t a2)
{
	v->hcall_continues = true;
	v->hcall_args[0] = a0;
	v->hcall_args[1] = a1;
	v->hcall_args[2] = a2;
	v->hcall_args[3] = 0U;
	v->hcall_args[4] = 0U;
	return -ERESTART;
}

bool hypercall_preempt_check(void)
{
	return READ_ONCE(sched_cpus[smp_processor_id()].need_resched) ||
	       arch_irq_pending();
}
