/*
 * Trapped system-register accesses of guests (EC 0x18), emulated as Xen
 * 4.17 emulates them on arm64.
 */
#ifndef HV_ASM_VSYSREG_H
#define HV_ASM_VSYSREG_H

#include <hv/domain.h>

#include <asm/regs.h>

/* MDCR_EL2 while guests run: PMU and debug registers trap (TPM, TPMCR,
 * TDA, TDOSA, TDRA), so that no guest programs counters or breakpoints
 * another domain would see. */
#define MDCR_EL2_GUEST                                                         \
	((1ULL << 5) | (1ULL << 6) | (1ULL << 9) | (1ULL << 10) | (1ULL << 11))

/* Handle the access described by ESR's ISS: done (PC advanced) or an
 * undefined instruction injected. */
void vsysreg_trap(struct vcpu *v, struct cpu_regs *regs, uint32_t iss);

/* Read once per CPU before guests run: the ACTLR_EL1 guests read. */
void vsysreg_init_cpu(void);

#endif /* HV_ASM_VSYSREG_H */
