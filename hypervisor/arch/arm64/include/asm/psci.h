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

/* Read the conduit from the /psci node; returns 0 or a negative errno
 * (no node, or a method other than "smc"/"hvc"). */
int __must_check psci_init(const struct fdt *fdt);

/* Name of the conduit in use ("smc" or "hvc"). */
const char *psci_method(void);

/* Start the CPU with affinity mpidr at entry (physical) with x0 = ctx. */
int64_t psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t ctx);

/* Returns the PSCI version word (major << 16 | minor). */
uint32_t psci_version(void);

__noreturn void psci_system_off(void);
__noreturn void psci_system_reset(void);

#endif /* HV_ASM_PSCI_H */
