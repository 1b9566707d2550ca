/*
 * SErrors, as Xen 4.17's `serrors=` option has them.
 *
 * diverse (the default): an SError the guest caused is charged to that
 * guest. Every exit from a guest first unmasks SErrors for one
 * instruction, with everything the guest did synchronised (entry.S,
 * serror_window): one taken there, or taken while the guest ran, is
 * forwarded to the vCPU that was running as a virtual SError (HCR_EL2.VSE),
 * as Xen does. Every return to a guest does the same with the hypervisor's
 * own accesses, so that what the hypervisor caused can never be charged to
 * the next guest: that stops the machine.
 *
 * panic: any SError stops the machine (for trusted guests only, as in
 * Xen). The windows stay: they cost a few instructions, and an SError
 * taken in one stops the machine too.
 */
#include <hv/cmdline.h>
#include <hv/errno.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/string.h>

#include <asm/esr.h>
#include <asm/regs.h>
#include <asm/sysregs.h>
#include <asm/vcpu.h>

static bool serrors_diverse = true;

/* The one-instruction windows of serror_window (entry.S). */
extern char serror_window_sync_start[];
extern char serror_window_sync_end[];
extern char serror_window_irq_start[];
extern char serror_window_irq_end[];

static int param_serrors(const char *value)
{
	if (value == NULL) {
		return -EINVAL;
	}
	if (strcmp(value, "diverse") == 0) {
		serrors_diverse = true;
	} else if (strcmp(value, "panic") == 0) {
		serrors_diverse = false;
	} else {
		return -EINVAL;
	}
	return 0;
}
HV_PARAM("serrors", param_serrors);

/*
 * Forward an SError to the running vCPU, whose exit frame is regs. An
 * SVC or HVC that trapped has its PC past the instruction already: step
 * back, so that it runs again once the guest has taken the SError (as
 * Xen's inject_vabt_exception).
 */
void do_guest_serror(struct cpu_regs *regs)
{
	struct vcpu *v = current_vcpu();
	unsigned int ec = esr_ec(regs->esr);

	if (!serrors_diverse) {
		do_bad_exception(regs, EXC_SERROR_SPX);
	}
	if ((ec == ESR_EC_SVC32) || (ec == ESR_EC_HVC32) ||
	    (ec == ESR_EC_SVC64) || (ec == ESR_EC_HVC64)) {
		rewind_pc(regs);
	}
	printk(XENLOG_WARNING "d%uv%u: SError, forwarded to the guest\n",
	       v->domain->domain_id, v->vcpu_id);
	vcpu_inject_serror(v);
}

/* entry.S: where an SError taken in a window goes on. */
extern char guest_serror[];

#define PSR_A (1UL << 8)

static bool in_window(uint64_t pc)
{
	return (pc == (uint64_t)(uintptr_t)serror_window_sync_start) ||
	       (pc == (uint64_t)(uintptr_t)serror_window_sync_end) ||
	       (pc == (uint64_t)(uintptr_t)serror_window_irq_start) ||
	       (pc == (uint64_t)(uintptr_t)serror_window_irq_end);
}

/*
 * An SError taken at EL2. In serror_window it is the guest's: go on at
 * guest_serror (with SErrors masked again), which charges it to the guest
 * instead of handling the exit. Anywhere else the hypervisor caused it,
 * and nothing can be trusted after it.
 */
void do_hyp_serror(struct cpu_regs *regs)
{
	if (serrors_diverse && in_window(regs->elr)) {
		regs->elr = (uint64_t)(uintptr_t)guest_serror;
		regs->spsr |= PSR_A;
		return;
	}
	do_bad_exception(regs, EXC_SERROR_SPX);
}
