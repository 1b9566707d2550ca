/*
 * Calls to the platform's PSCI firmware (QEMU emulates it).
 */
#ifndef HV_ASM_PSCI_H
#define HV_ASM_PSCI_H

#include <hv/compiler.h>
#include <hv/fdt.h>

#define PSCI_0_2_FN64_CPU_ON 0xC4000003U
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008U
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009U
#define PSCI_0_2_FN_PSCI_VERSION 0x84000000U
#define PSCI_1_0_FN_PSCI_FEATURES 0x8400000AU
#define SMCCC_FW_VERSION_FID 0x80000000U
#define SMCCC_FW_ARCH_FEATURES_FID 0x80000001U

/* Read the conduit from the /psci node; returns 0 or a negative errno
 * (no node, or a method other than "smc"/"hvc"). */
int __must_check psci_init(const struct fdt *fdt);

/* Name of the conduit in use ("smc" or "hvc"). */
const char *psci_method(void);

/* Start the CPU with affinity mpidr at entry (physical) with x0 = ctx. */
int64_t psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t ctx);

/* Returns the PSCI version word (major << 16 | minor). */
uint32_t psci_version(void);

/* The firmware's SMCCC_ARCH_FEATURES for fid: >= 0 if it has it. Asked
 * only of firmware that says it has SMCCC 1.1 (PSCI_FEATURES, then
 * SMCCC_VERSION), as an unknown call may be an undefined instruction. */
int64_t smccc_arch_features(uint32_t fid);

/* Whether the firmware says it has SMCCC 1.1 (asked as above). */
bool smccc_has_1_1(void);

/* Call firmware function fid with a1 (an SMCCC 1.1 fast call). */
int64_t smccc_firmware_call(uint32_t fid, uint64_t a1);

__noreturn void psci_system_off(void);
__noreturn void psci_system_reset(void);

#endif /* HV_ASM_PSCI_H */
