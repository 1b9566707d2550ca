/*
 * Spectre-v2 and Spectre-BHB: what each CPU needs on exit from a guest,
 * found from its MIDR and ID registers as Xen 4.17 does, and what guests
 * are told through SMCCC_ARCH_FEATURES.
 */
#ifndef HV_ASM_SPECTRE_H
#define HV_ASM_SPECTRE_H

#include <hv/config.h>
#include <hv/types.h>

/* What entry.S runs on this CPU at every guest exit (spectre_exit_work). */
enum spectre_exit_kind {
	SPECTRE_EXIT_NONE,
	SPECTRE_EXIT_LOOP, /* the branch-history loop; count in bits 8-15 */
	SPECTRE_EXIT_CLRBHB, /* the CLRBHB instruction */
	SPECTRE_EXIT_FW_WA1, /* firmware's ARCH_WORKAROUND_1 */
	SPECTRE_EXIT_FW_WA3, /* firmware's ARCH_WORKAROUND_3 */
};

/* Each CPU's work, read by entry.S: enum spectre_exit_kind | loops << 8. */
extern uint32_t spectre_exit_work[NR_CPUS];

/* Decide this CPU's exit work (each CPU calls it once). */
void spectre_init_cpu(unsigned int cpu);

/* SMCCC_ARCH_FEATURES of ARCH_WORKAROUND_n (n = 1, 2, 3) for a guest, as
 * Xen 4.17 answers: 0 (offered), -1 (not supported) or -2 (not required). */
int64_t spectre_guest_features(unsigned int n);

#endif /* HV_ASM_SPECTRE_H */
