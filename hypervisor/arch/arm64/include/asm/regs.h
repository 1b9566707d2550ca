/*
 * The register frame saved on the hypervisor stack at each exception.
 * entry.S lays it out; the offsets below must match it.
 */
#ifndef HV_ASM_REGS_H
#define HV_ASM_REGS_H

#define FRAME_X30 240
#define FRAME_SP 248
#define FRAME_ELR 256
#define FRAME_ESR 272
#define FRAME_SIZE 288
/* Above a vCPU's frame, at the top of its own stack: the vCPU itself (and
 * 8 bytes of padding), so that its exits find it with one load. */
#define FRAME_VCPU FRAME_SIZE
#define VCPU_STACK_TOP_SIZE (FRAME_SIZE + 16)

#ifndef __ASSEMBLY__
#include <hv/types.h>

#include <asm/esr.h>

struct cpu_regs {
	uint64_t x[31];
	uint64_t sp; /* the interrupted stack pointer (hypervisor frames) */
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far; /* in a guest's frame, only on an abort's exit */
};

_Static_assert(sizeof(struct cpu_regs) == FRAME_SIZE, "frame size");

struct vcpu;

/* The vCPU whose guest frame regs is (at the top of that vCPU's stack). */
static inline struct vcpu **frame_vcpu_slot(struct cpu_regs *regs)
{
	return (struct vcpu **)(void *)((char *)regs + FRAME_VCPU);
}

static inline struct vcpu *frame_vcpu(struct cpu_regs *regs)
{
	return *frame_vcpu_slot(regs);
}

/* Step the guest past the instruction that trapped (its length is in
 * the syndrome, ESR.IL). */
static inline void advance_pc(struct cpu_regs *regs)
{
	regs->elr += esr_insn_len(regs->esr);
}

/* Step the guest back onto the instruction that trapped, for an HVC or
 * SVC, whose exception returns past it. */
static inline void rewind_pc(struct cpu_regs *regs)
{
	regs->elr -= esr_insn_len(regs->esr);
}

/* A trapped instruction's register operand n (31 is xzr). */
static inline uint64_t get_reg(const struct cpu_regs *regs, unsigned int n)
{
	return (n < 31U) ? regs->x[n] : 0U;
}

static inline void set_reg(struct cpu_regs *regs, unsigned int n, uint64_t val)
{
	if (n < 31U) {
		regs->x[n] = val;
	}
}

/* Exception kinds passed by entry.S to do_bad_exception(). */
enum exc_kind {
	EXC_SYNC_SP0,
	EXC_IRQ_SP0,
	EXC_FIQ_SP0,
	EXC_SERROR_SP0,
	EXC_SYNC_SPX,
	EXC_IRQ_SPX,
	EXC_FIQ_SPX,
	EXC_SERROR_SPX,
	EXC_SYNC_A64,
	EXC_IRQ_A64,
	EXC_FIQ_A64,
	EXC_SERROR_A64,
	EXC_SYNC_A32,
	EXC_IRQ_A32,
	EXC_FIQ_A32,
	EXC_SERROR_A32,
};

/* C handlers called by entry.S. */
void do_bad_exception(struct cpu_regs *regs, unsigned int kind);
void do_hyp_sync(struct cpu_regs *regs);
void do_guest_bad_exception(struct cpu_regs *regs, unsigned int kind);
void do_irq(struct cpu_regs *regs);
void guest_sync_entry(struct vcpu *v, struct cpu_regs *regs);
void leave_hypervisor_to_guest(struct vcpu *v);
void do_guest_serror(struct cpu_regs *regs);
void do_hyp_serror(struct cpu_regs *regs);
#endif

#endif /* HV_ASM_REGS_H */
