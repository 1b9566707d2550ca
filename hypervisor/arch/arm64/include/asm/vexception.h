/*
 * Synchronous exceptions injected into a guest, as Xen 4.17 injects them
 * on Arm: where Xen gives the guest an exception instead of crashing it.
 */
#ifndef HV_ASM_VEXCEPTION_H
#define HV_ASM_VEXCEPTION_H

#include <hv/types.h>

#include <asm/regs.h>

/* An undefined-instruction exception (EC 0), returning to regs->elr. */
void inject_undef(struct cpu_regs *regs);

/* A data abort (instruction abort if !data) at addr, for the instruction
 * at regs->elr; ISS 0, as Xen gives it. */
void inject_abort(struct cpu_regs *regs, bool data, uint64_t addr);

#endif /* HV_ASM_VEXCEPTION_H */
