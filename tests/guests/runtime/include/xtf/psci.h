/*
 * PSCI 0.2+ through SMCCC `hvc #0` (the guest DT says method = "hvc").
 * Function IDs and return codes are Arm's (DEN0022), not Xen numbers.
 */
#ifndef XTF_PSCI_H
#define XTF_PSCI_H

#include <xtf/lib.h>

#define PSCI_0_2_FN_PSCI_VERSION 0x84000000U
#define PSCI_0_2_FN_CPU_OFF 0x84000002U
#define PSCI_0_2_FN64_CPU_ON 0xC4000003U
#define PSCI_0_2_FN64_AFFINITY_INFO 0xC4000004U
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008U

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INTERNAL_FAILURE (-6)
#define PSCI_NOT_PRESENT (-7)
#define PSCI_DISABLED (-8)
#define PSCI_INVALID_ADDRESS (-9)

/* SMCCC call: function ID in w0, arguments x1..x3, result x0. */
static inline long smccc_hvc(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "memory");
	return (long)x0;
}

static inline long psci_version(void)
{
	return smccc_hvc(PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);
}

static inline long psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
	return smccc_hvc(PSCI_0_2_FN64_CPU_ON, mpidr, entry, ctx);
}

static inline long psci_cpu_off(void)
{
	return smccc_hvc(PSCI_0_2_FN_CPU_OFF, 0, 0, 0);
}

static inline long psci_system_off(void)
{
	return smccc_hvc(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
}

#endif /* XTF_PSCI_H */
