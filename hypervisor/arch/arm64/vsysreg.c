/*
 * Trapped system-register accesses of guests, as Xen 4.17's arm64 vreg
 * handling answers them:
 * - GICv3 SGI generation goes to the vGIC; the EL1 physical timer reads
 *   as zero.
 * - Debug registers (MDCR_EL2.TDA, TDOSA, TDRA) are RAZ/WI, OSLSR_EL1
 *   reads "OS lock not implemented", MDRAR_EL1 and MDCCSR_EL0 read as
 *   zero: a guest sets no breakpoint or watchpoint.
 * - PMU registers (MDCR_EL2.TPM, TPMCR) are RAZ/WI: a guest counts
 *   nothing, and sees no other domain's events.
 * - ACTLR_EL1 (HCR_EL2.TACR) reads the CPU's boot value, writes are
 *   ignored; IMPLEMENTATION DEFINED registers (HCR_EL2.TIDCP) and anything
 *   else trapped are undefined instructions.
 * Registers that are EL1-only are undefined from EL0, as in Xen.
 */
#include <hv/printk.h>
#include <hv/smp.h>

#include <asm/esr.h>
#include <asm/sysregs.h>
#include <asm/vexception.h>
#include <asm/vgic.h>
#include <asm/vsysreg.h>

#define SR_ICC_SGI1R ESR_SYSREG(3, 0, 12, 11, 5)
#define SR_ICC_ASGI1R ESR_SYSREG(3, 1, 12, 11, 6)
#define SR_ICC_SGI0R ESR_SYSREG(3, 2, 12, 11, 7)
#define SR_CNTP_TVAL ESR_SYSREG(3, 3, 14, 2, 0)
#define SR_CNTP_CTL ESR_SYSREG(3, 3, 14, 2, 1)
#define SR_CNTP_CVAL ESR_SYSREG(3, 3, 14, 2, 2)
#define SR_ACTLR_EL1 ESR_SYSREG(3, 0, 1, 0, 1)
/* Debug (op0 2). */
#define SR_MDRAR_EL1 ESR_SYSREG(2, 0, 1, 0, 0)
#define SR_OSLAR_EL1 ESR_SYSREG(2, 0, 1, 0, 4)
#define SR_OSLSR_EL1 ESR_SYSREG(2, 0, 1, 1, 4)
#define SR_OSDLR_EL1 ESR_SYSREG(2, 0, 1, 3, 4)
#define SR_MDSCR_EL1 ESR_SYSREG(2, 0, 0, 2, 2)
#define SR_MDCCSR_EL0 ESR_SYSREG(2, 3, 0, 1, 0)
#define SR_DBGBVR_EL1 ESR_SYSREG(2, 0, 0, 0, 4) /* CRm = n */
#define SR_DBGBCR_EL1 ESR_SYSREG(2, 0, 0, 0, 5)
#define SR_DBGWVR_EL1 ESR_SYSREG(2, 0, 0, 0, 6)
#define SR_DBGWCR_EL1 ESR_SYSREG(2, 0, 0, 0, 7)
/* PMU. */
#define SR_PMINTENSET_EL1 ESR_SYSREG(3, 0, 9, 14, 1)
#define SR_PMINTENCLR_EL1 ESR_SYSREG(3, 0, 9, 14, 2)
#define SR_PMUSERENR_EL0 ESR_SYSREG(3, 3, 9, 14, 0)
#define SR_PMCR_EL0 ESR_SYSREG(3, 3, 9, 12, 0)
#define SR_PMCNTENSET_EL0 ESR_SYSREG(3, 3, 9, 12, 1)
#define SR_PMCNTENCLR_EL0 ESR_SYSREG(3, 3, 9, 12, 2)
#define SR_PMOVSCLR_EL0 ESR_SYSREG(3, 3, 9, 12, 3)
#define SR_PMSWINC_EL0 ESR_SYSREG(3, 3, 9, 12, 4)
#define SR_PMSELR_EL0 ESR_SYSREG(3, 3, 9, 12, 5)
#define SR_PMCEID0_EL0 ESR_SYSREG(3, 3, 9, 12, 6)
#define SR_PMCEID1_EL0 ESR_SYSREG(3, 3, 9, 12, 7)
#define SR_PMCCNTR_EL0 ESR_SYSREG(3, 3, 9, 13, 0)
#define SR_PMXEVTYPER_EL0 ESR_SYSREG(3, 3, 9, 13, 1)
#define SR_PMXEVCNTR_EL0 ESR_SYSREG(3, 3, 9, 13, 2)
#define SR_PMOVSSET_EL0 ESR_SYSREG(3, 3, 9, 14, 3)

/* OSLSR_EL1.OSLM: "OS lock not implemented" (Xen's 1 << 3). */
#define OSLSR_OSLM_NONE (1ULL << 3)

/* SPSR_EL2.M[3:0] of an access from EL0. */
#define SPSR_MODE_MASK 0xfULL

static uint64_t boot_actlr[NR_CPUS];

void vsysreg_init_cpu(void)
{
	boot_actlr[smp_processor_id()] = READ_SYSREG(actlr_el1);
}

/* How a register behaves for an access: reads, writes, from which EL. */
enum access {
	RAZ_WI, /* reads zero, writes ignored */
	RO_RAZ, /* reads zero, writes undefined */
	WO_WI, /* writes ignored, reads undefined */
	RO_OSLSR, /* reads OSLSR's value, writes undefined */
	UNDEF,
};

struct access_rule {
	enum access kind;
	bool el1_only; /* undefined from EL0 */
};

static bool from_el0(const struct cpu_regs *regs)
{
	return (regs->spsr & SPSR_MODE_MASK) == 0U;
}

/* The rule for a debug or PMU register (Xen's vsysreg.c). */
static struct access_rule debug_pmu_rule(uint32_t reg,
					 const struct cpu_regs *regs)
{
	switch (reg & ESR_SYSREG_MASK_NO_CRM) {
	case SR_DBGBVR_EL1:
	case SR_DBGBCR_EL1:
	case SR_DBGWVR_EL1:
	case SR_DBGWCR_EL1:
		return (struct access_rule){RAZ_WI, true};
	default:
		break;
	}
	switch (reg) {
	case SR_MDRAR_EL1:
		return (struct access_rule){RO_RAZ, true};
	case SR_OSLAR_EL1:
		return (struct access_rule){WO_WI, true};
	case SR_OSDLR_EL1:
	case SR_MDSCR_EL1:
	case SR_PMINTENSET_EL1:
	case SR_PMINTENCLR_EL1:
		return (struct access_rule){RAZ_WI, true};
	case SR_OSLSR_EL1:
		return (struct access_rule){RO_OSLSR, true};
	case SR_MDCCSR_EL0:
		return (struct access_rule){RO_RAZ, false};
	case SR_PMUSERENR_EL0:
		/* Read-only zero at EL0, RAZ/WI at EL1. */
		return from_el0(regs) ? (struct access_rule){RO_RAZ, false}
				      : (struct access_rule){RAZ_WI, true};
	case SR_PMCR_EL0:
	case SR_PMCNTENSET_EL0:
	case SR_PMCNTENCLR_EL0:
	case SR_PMOVSCLR_EL0:
	case SR_PMSWINC_EL0:
	case SR_PMSELR_EL0:
	case SR_PMCEID0_EL0:
	case SR_PMCEID1_EL0:
	case SR_PMCCNTR_EL0:
	case SR_PMXEVTYPER_EL0:
	case SR_PMXEVCNTR_EL0:
	case SR_PMOVSSET_EL0:
		/* EL0 may use them only if PMUSERENR_EL0 (zero) allowed. */
		return (struct access_rule){RAZ_WI, true};
	default:
		return (struct access_rule){UNDEF, false};
	}
}

/* Apply rule to the access; false if it is undefined. */
static bool apply(struct access_rule rule, struct cpu_regs *regs,
		  unsigned int rt, bool read)
{
	if ((rule.kind == UNDEF) || (rule.el1_only && from_el0(regs))) {
		return false;
	}
	switch (rule.kind) {
	case RAZ_WI:
		if (read) {
			set_reg(regs, rt, 0U);
		}
		return true;
	case RO_RAZ:
		if (read) {
			set_reg(regs, rt, 0U);
		}
		return read;
	case WO_WI:
		return !read;
	default: /* RO_OSLSR */
		if (read) {
			set_reg(regs, rt, OSLSR_OSLM_NONE);
		}
		return read;
	}
}

/* The registers Xenon gives a meaning of its own to. */
static bool emulate(struct vcpu *v, struct cpu_regs *regs, uint32_t reg,
		    unsigned int rt, bool read)
{
	switch (reg) {
	case SR_ICC_SGI1R:
	case SR_ICC_ASGI1R:
		if (!read) {
			vgic_send_sgi(v, get_reg(regs, rt));
		}
		return true;
	case SR_ICC_SGI0R:
		return true; /* Group 0 is not available to guests. */
	case SR_CNTP_TVAL:
	case SR_CNTP_CTL:
	case SR_CNTP_CVAL:
		/* The EL1 physical timer is not offered: reads as zero. */
		if (read) {
			set_reg(regs, rt, 0U);
		}
		return true;
	case SR_ACTLR_EL1:
		if (from_el0(regs)) {
			return false;
		}
		if (read) {
			set_reg(regs, rt, boot_actlr[smp_processor_id()]);
		}
		return true;
	default:
		return apply(debug_pmu_rule(reg, regs), regs, rt, read);
	}
}

void vsysreg_trap(struct vcpu *v, struct cpu_regs *regs, uint32_t iss)
{
	unsigned int rt = esr_sysreg_rt(iss);
	bool read = esr_sysreg_is_read(iss);

	if (emulate(v, regs, esr_sysreg_reg(iss), rt, read)) {
		advance_pc(regs);
		return;
	}
	/* As Xen's vreg handling: undefined for the guest. */
	printk(XENLOG_DEBUG "d%uv%u: system register S%u_%u_C%u_C%u_%u (%s) "
			    "at PC 0x%lx: undefined instruction injected\n",
	       v->domain->domain_id, v->vcpu_id, esr_sysreg_op0(iss),
	       esr_sysreg_op1(iss), esr_sysreg_crn(iss), esr_sysreg_crm(iss),
	       esr_sysreg_op2(iss), read ? "read" : "write",
	       (unsigned long)regs->elr);
	inject_undef(regs);
}
