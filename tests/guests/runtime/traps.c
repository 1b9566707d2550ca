/* Exception dispatch: IRQs to the GIC, the rest to a hook or a FAILURE. */
#include <xtf/arch.h>
#include <xtf/console.h>
#include <xtf/gic.h>
#include <xtf/report.h>
#include <xtf/smp.h>
#include <xtf/traps.h>

void exception_dispatch(struct cpu_regs *regs, unsigned long index);

static sync_hook_t sync_hook;

static const char *const vector_names[16] = {
	"EL1t sync",	"EL1t IRQ",    "EL1t FIQ",    "EL1t SError",
	"EL1h sync",	"EL1h IRQ",    "EL1h FIQ",    "EL1h SError",
	"lower64 sync", "lower64 IRQ", "lower64 FIQ", "lower64 SError",
	"lower32 sync", "lower32 IRQ", "lower32 FIQ", "lower32 SError",
};

void traps_set_sync_hook(sync_hook_t hook)
{
	WRITE_ONCE(sync_hook, hook);
	dsb(ish);
}

static void __noreturn unexpected(struct cpu_regs *regs, unsigned long index)
{
	uint64_t esr = read_sysreg(esr_el1);
	uint64_t far = read_sysreg(far_el1);

	xtf_failure("unexpected exception (%s) on vCPU %u: ESR_EL1 %#lx "
		    "FAR_EL1 %#lx ELR_EL1 %#lx",
		    vector_names[index & 15], smp_processor_id(), esr, far,
		    regs->elr);
	xtf_exit();
}

void exception_dispatch(struct cpu_regs *regs, unsigned long index)
{
	sync_hook_t hook;

	if (index == 4 + VEC_IRQ) {
		gic_handle_irq();
		return;
	}
	hook = READ_ONCE(sync_hook);
	if (index == 4 + VEC_SYNC && hook &&
	    hook(regs, read_sysreg(esr_el1), read_sysreg(far_el1))) {
		return;
	}
	unexpected(regs, index);
}
