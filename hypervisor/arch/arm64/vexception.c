/*
 * Exceptions injected into the guest running on this CPU: its EL1 state is
 * live in the registers, so they are written directly.
 */
#include <hv/types.h>

#include <xen/arch-arm.h>

#include <asm/esr.h>
#include <asm/sysregs.h>
#include <asm/vexception.h>

/* Vector offsets from VBAR_EL1 (Arm ARM D1.10.2). */
#define VECTOR_CURRENT_SP0 0x000U
#define VECTOR_CURRENT_SPX 0x200U
#define VECTOR_LOWER_A64 0x400U
#define VECTOR_LOWER_A32 0x600U
#define PSR_MODE_MASK 0x1fU

static bool from_el0(const struct cpu_regs *regs)
{
	uint64_t mode = regs->spsr & PSR_MODE_MASK;

	return ((mode & PSR_MODE_BIT) != 0U) || (mode == PSR_MODE_EL0t);
}

static uint64_t vector_offset(const struct cpu_regs *regs)
{
	uint64_t mode = regs->spsr & PSR_MODE_MASK;

	if ((mode & PSR_MODE_BIT) != 0U) {
		return VECTOR_LOWER_A32;
	}
	if (mode == PSR_MODE_EL0t) {
		return VECTOR_LOWER_A64;
	}
	return (mode == PSR_MODE_EL1t) ? VECTOR_CURRENT_SP0
				       : VECTOR_CURRENT_SPX;
}

/* Take a synchronous exception to the guest's EL1 with this syndrome. */
static void inject_sync(struct cpu_regs *regs, uint64_t esr)
{
	WRITE_SYSREG(elr_el1, regs->elr);
	WRITE_SYSREG(spsr_el1, regs->spsr);
	WRITE_SYSREG(esr_el1, esr);
	regs->elr = READ_SYSREG(vbar_el1) + vector_offset(regs);
	regs->spsr = PSR_MODE_EL1h | PSR_DBG_MASK | PSR_ABT_MASK |
		     PSR_IRQ_MASK | PSR_FIQ_MASK;
}

void inject_undef(struct cpu_regs *regs)
{
	inject_sync(regs, esr_make(ESR_EC_UNKNOWN, 0U));
}

void inject_abort(struct cpu_regs *regs, bool data, uint64_t addr)
{
	unsigned int ec;

	if (data) {
		ec = from_el0(regs) ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR;
	} else {
		ec = from_el0(regs) ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR;
	}
	WRITE_SYSREG(far_el1, addr);
	inject_sync(regs, esr_make(ec, 0U));
}
