/*
 * SErrors, as Xen 4.17's `serrors=` option has them.
 *
 * diverse (the default): an SError the guest caused is charged to that
 * guest. Every exit from a guest first unmasks SErrors for one
 * instruction, with everything the guest did synchronised (entry.S,
 * check_guest_serror): one taken there, or taken while the guest ran, is
 * forwarded to the vCPU that was running as a virtual SError (HCR_EL2.VSE),
 * as Xen does. Every return to a guest does the same with the hypervisor's
 * own accesses (sync_hyp_serror), so that what the hypervisor caused can
 * never be charged to the next guest: that stops the machine.
 *
 * panic: no synchronisation at all, any SError stops the machine (for
 * trusted guests only, as in Xen).
 */
#include <hv/cmdline.h>
#include <hv/errno.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/string.h>

#include <asm/regs.h>
#include <asm/sysregs.h>
#include <asm/vcpu.h>

/* Read by entry.S: 0 skips both of its windows. */
uint8_t serrors_diverse = 1;

/* The one-instruction window of check_guest_serror (entry.S). */
extern char serror_window_start[];
extern char serror_window_end[];

#define ESR_EC_SHIFT 26U
#define EC_SVC32 0x11U
#define EC_HVC32 0x12U
#define EC_SVC64 0x15U
#define EC_HVC64 0x16U

static int param_serrors(const char *value)
{
	if (value == NULL) {
		return -EINVAL;
	}
	if (strcmp(value, "diverse") == 0) {
		serrors_diverse = 1;
	} else if (strcmp(value, "panic") == 0) {
		serrors_diverse = 0;
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
	uint64_t ec = (regs->esr >> ESR_EC_SHIFT) & 0x3fU;

	if (serrors_diverse == 0U) {
		do_bad_exception(regs, EXC_SERROR_SPX);
	}
	if ((ec == EC_SVC32) || (ec == EC_HVC32) || (ec == EC_SVC64) ||
	    (ec == EC_HVC64)) {
		regs->elr -= ((regs->esr & ESR_IL) != 0U) ? 4U : 2U;
	}
	printk(XENLOG_WARNING "d%uv%u: SError, forwarded to the guest\n",
	       v->domain->domain_id, v->vcpu_id);
	vcpu_inject_serror(v);
}

/*
 * An SError taken at EL2. In check_guest_serror's window it is the guest's:
 * the window sees ELR_EL2 change and calls do_guest_serror(). Anywhere else
 * the hypervisor caused it, and nothing can be trusted after it.
 */
void do_hyp_serror(struct cpu_regs *regs)
{
	if ((serrors_diverse != 0U) &&
	    ((regs->elr == (uint64_t)(uintptr_t)serror_window_start) ||
	     (regs->elr == (uint64_t)(uintptr_t)serror_window_end))) {
		return;
	}
	do_bad_exception(regs, EXC_SERROR_SPX);
}
