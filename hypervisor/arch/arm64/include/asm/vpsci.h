/*
 * PSCI 1.1 and SMCCC for guests (through HVC #0 or a trapped SMC).
 */
#ifndef HV_ASM_VPSCI_H
#define HV_ASM_VPSCI_H

#include <hv/domain.h>

/* Handle the SMCCC call in regs (function ID in x0, result in x0). */
void vsmccc_handle(struct vcpu *v, struct cpu_regs *regs);

#endif /* HV_ASM_VPSCI_H */
