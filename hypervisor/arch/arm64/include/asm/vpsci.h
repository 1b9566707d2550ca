/*
 * SMCCC for guests (through HVC #0 or a trapped SMC, in vsmccc.c) and
 * PSCI 1.1, its standard service (vpsci.c), as Xen 4.17 offers them.
 */
#ifndef HV_ASM_VPSCI_H
#define HV_ASM_VPSCI_H

#include <hv/domain.h>

#define SMCCC_VERSION_FID 0x80000000U

/* Handle the SMCCC call in regs (function ID in x0, results in x0..x3).
 * hvc: it came by HVC #0 (else by SMC, whose immediate is imm). */
void vsmccc_handle(struct vcpu *v, struct cpu_regs *regs, bool hvc,
		   uint32_t imm);

/* A PSCI call in regs (result in x0); false if fid is not one of the PSCI
 * functions offered. */
bool vpsci_handle(struct vcpu *v, struct cpu_regs *regs);

/* How many PSCI functions are offered (for the standard service's call
 * count). */
#define VPSCI_NR_FUNCS 12U

#endif /* HV_ASM_VPSCI_H */
