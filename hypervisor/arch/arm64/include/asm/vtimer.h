/*
 * Virtual timer: the guest owns CNTV; when its vCPU is not running, a
 * hypervisor timer injects the interrupt and wakes it at the deadline.
 */
#ifndef HV_ASM_VTIMER_H
#define HV_ASM_VTIMER_H

#include <hv/timer.h>

struct vcpu;

/* The guest's virtual timer PPI (INTID), as in Xen's guest DT. */
#define VTIMER_PPI 27U
/* Physical PPI of the EL1 physical timer (trapped and emulated as off). */
#define PTIMER_PPI 30U

struct vtimer {
	uint64_t ctl;
	uint64_t cval;
	struct timer wake;
};

void vtimer_vcpu_init(struct vcpu *v);
void vtimer_save(struct vcpu *v);
void vtimer_restore(struct vcpu *v);

/* Host interrupt handler of the physical virtual-timer PPI (per CPU). */
void vtimer_init_cpu(void);

#endif /* HV_ASM_VTIMER_H */
