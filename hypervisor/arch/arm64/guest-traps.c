/*
 * Synchronous exceptions from guests: hypercalls, SMCCC/PSCI, WFI/WFE,
 * trapped system registers and stage-2 aborts. Anything else crashes the
 * guest's domain, never the hypervisor.
 */
#include <hv/errno.h>
#include <hv/guest-copy.h>
#include <hv/hypercall.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/vmmio.h>

#include <xen/arch-arm.h>

#include <asm/esr.h>
#include <asm/mm.h>
#include <asm/sysregs.h>
#include <asm/vcpu.h>
#include <asm/vexception.h>
#include <asm/vpsci.h>
#include <asm/vsysreg.h>

/* HVC #XEN_HYPERCALL_TAG from AArch64: the commonest exit, told apart
 * with one compare of the whole syndrome. */
static bool is_xen_hypercall(uint64_t esr)
{
	/* ISS bits 24:16 and ESR bits 63:32 are RES0 for an HVC. */
	return esr == esr_make(ESR_EC_HVC64, XEN_HYPERCALL_TAG);
}

/* -ERESTART: a continuation, if the handler made one, issues the hvc
 * again (ELR is past it) with what is left; else the guest gets it. */
static __noinline void hypercall_restart(struct vcpu *v, struct cpu_regs *regs)
{
	unsigned int i;

	if (!v->hcall_continues) {
		regs->x[0] = (uint64_t)-ERESTART;
		return;
	}
	v->hcall_continues = false;
	for (i = 0; i < HYPERCALL_MAX_ARGS; i++) {
		regs->x[i] = v->hcall_args[i];
	}
	rewind_pc(regs);
}

/* The arguments are read in place: x0-x4 of the guest's frame. Only regs
 * is kept across the call (its vCPU is at the top of the stack). */
static __noinline void do_hypercall(struct vcpu *v, struct cpu_regs *regs)
{
	int64_t ret = hypercall_dispatch(v, regs->x, regs->x[16]);

	if (ret == -ERESTART) {
		hypercall_restart(frame_vcpu(regs), regs);
	} else {
		regs->x[0] = (uint64_t)ret;
	}
}

static void do_hvc(struct vcpu *v, struct cpu_regs *regs, uint64_t esr)
{
	uint32_t imm = esr_imm16(esr_iss(esr));

	if (imm == XEN_HYPERCALL_TAG) {
		do_hypercall(v, regs);
	} else if (imm == 0U) {
		vsmccc_handle(v, regs, true, 0U);
	} else {
		/* As Xen: an undefined instruction for the guest. */
		printk(XENLOG_DEBUG "d%uv%u: HVC #0x%x at PC 0x%lx: undefined "
				    "instruction injected\n",
		       v->domain->domain_id, v->vcpu_id, imm,
		       (unsigned long)(regs->elr - esr_insn_len(esr)));
		inject_undef(regs);
	}
}

static void do_wfx(struct vcpu *v, struct cpu_regs *regs, uint64_t esr)
{
	advance_pc(regs);
	if (esr_wfx_is_wfe(esr_iss(esr))) {
		vcpu_yield(v); /* WFE: let others run */
	} else if (!vgic_vcpu_pending(v)) {
		vcpu_block(v);
	}
}

/* The guest-physical address of a stage-2 abort. */
static paddr_t fault_ipa(uint64_t far)
{
	uint64_t hpfar = READ_SYSREG(hpfar_el2);

	return ((hpfar & HPFAR_FIPA_MASK) << HPFAR_FIPA_SHIFT) | (far & 0xfffU);
}

/* A stage-2 translation fault at an address mapped by the time we look:
 * another CPU was changing the mapping (a block split with
 * break-before-make). The guest retries the access. */
static bool fault_was_transient(struct vcpu *v, uint64_t esr, paddr_t ipa)
{
	return esr_abort_is_translation(esr_iss(esr)) &&
	       p2m_mapped_now(&v->domain->arch.p2m, ipa);
}

static void do_data_abort(struct vcpu *v, struct cpu_regs *regs, uint64_t esr)
{
	uint32_t iss = esr_iss(esr);
	paddr_t ipa = fault_ipa(regs->far);
	unsigned int size = esr_dabt_size(iss);
	unsigned int rt = esr_dabt_srt(iss);
	bool write = esr_dabt_write(iss);
	uint64_t val = write ? get_reg(regs, rt) : 0U;

	if (!esr_dabt_isv(iss) ||
	    !vmmio_dispatch(&v->domain->mmio, v, ipa, size, write, &val)) {
		/* Checked only here, off the emulated-MMIO path. */
		if (fault_was_transient(v, esr, ipa)) {
			return;
		}
		/* Neither RAM nor an emulated device: as Xen, the guest gets
		 * a data abort (a guest probing for a device survives). */
		printk(XENLOG_DEBUG "d%uv%u: data abort at IPA 0x%lx (PC "
				    "0x%lx) injected\n",
		       v->domain->domain_id, v->vcpu_id, (unsigned long)ipa,
		       (unsigned long)regs->elr);
		inject_abort(regs, true, regs->far);
		return;
	}
	if (!write) {
		if (esr_dabt_sse(iss) && (size < 8U)) {
			/* Sign-extend a signed load. */
			val = (uint64_t)(((int64_t)(val
						    << (64U - 8U * size))) >>
					 (64U - 8U * size));
		}
		if (!esr_dabt_sf(iss)) {
			val &= 0xffffffffU;
		}
		set_reg(regs, rt, val);
	}
	advance_pc(regs);
}

/* Every exit but a Xen hypercall. */
static __noinline void do_guest_sync(struct vcpu *v, struct cpu_regs *regs)
{
	uint64_t esr = regs->esr;

	/* The frame has no FAR yet: only aborts need it. */
	regs->far = READ_SYSREG(far_el2);
	switch (esr_ec(esr)) {
	case ESR_EC_WFX:
		do_wfx(v, regs, esr);
		break;
	case ESR_EC_HVC64:
		do_hvc(v, regs, esr);
		break;
	case ESR_EC_SMC64:
		vsmccc_handle(v, regs, false, esr_imm16(esr_iss(esr)));
		break;
	case ESR_EC_SYSREG:
		vsysreg_trap(v, regs, esr_iss(esr));
		break;
	case ESR_EC_DABT_LOW:
		do_data_abort(v, regs, esr);
		break;
	case ESR_EC_IABT_LOW:
		if (fault_was_transient(v, esr, fault_ipa(regs->far))) {
			break;
		}
		printk(XENLOG_DEBUG "d%uv%u: instruction abort at IPA 0x%lx "
				    "injected\n",
		       v->domain->domain_id, v->vcpu_id,
		       (unsigned long)fault_ipa(regs->far));
		inject_abort(regs, false, regs->far);
		break;
	default:
		vcpu_crash(v, "unhandled exception", esr_ec(esr));
		break;
	}
}

/* Only tail calls, so that the hypercall path builds no frame here. */
void guest_sync_entry(struct vcpu *v, struct cpu_regs *regs)
{
	uint64_t esr = regs->esr;

	if (likely(is_xen_hypercall(esr))) {
		do_hypercall(v, regs);
	} else {
		do_guest_sync(v, regs);
	}
}
