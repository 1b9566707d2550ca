/*
 * Exceptions injected into the guest running on this CPU: its EL1 state is
 * live in the registers, so they are written directly.
 */
#include <hv/types.h>

#include <xen/arch-arm.h>

#include <asm/sysregs.h>
#include <asm/vexception.h>

#define ESR_EC_SHIFT 26U
#define ESR_IL (1ULL << 25)
#define EC_IABT_LOWER 0x20U
#define EC_IABT_CURRENT 0x21U
#define EC_DABT_LOWER 0x24U
#define EC_DABT_CURRENT 0x25U

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
	inject_sync(regs, ESR_IL); /* EC 0: unknown reason */
}

void inject_abort(struct cpu_regs *regs, bool data, uint64_t addr)
{
	unsigned int ec;

	if (data) {
		ec = from_el0(regs) ? EC_DABT_LOWER : EC_DABT_CURRENT;
	} else {
		ec = from_el0(regs) ? EC_IABT_LOWER : EC_IABT_CURRENT;
	}
	WRITE_SYSREG(far_el1, addr);
	inject_sync(regs, ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL);
}
