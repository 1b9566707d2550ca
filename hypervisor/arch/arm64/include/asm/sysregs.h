/*
 * AArch64 system register access and the bit values Xenon uses.
 */
#ifndef HV_ASM_SYSREGS_H
#define HV_ASM_SYSREGS_H

/* Memory attribute indices in MAIR_EL2 (see head.S). */
#define MT_DEVICE_nGnRnE 0
#define MT_NORMAL 1
#define MT_DEVICE_nGnRE 2
#define MT_NORMAL_NC 3
#define MAIR_VALUE 0x4404FF00

/* SCTLR_EL2 (non-VHE): RES1 bits, plus M, C, SA and I. */
#define SCTLR_EL2_RES1 0x30C50830
#define SCTLR_EL2_SET (SCTLR_EL2_RES1 | 0x100D)
/* SCTLR_EL1: RES1 bits, plus M, C, SA and I (used only to report a wrong
 * entry level). */
#define SCTLR_EL1_SET (0x30D00800 | 0x100D)

/* TCR: 48-bit VA, 4 KiB granule, inner-shareable write-back walks. */
#define TCR_T0SZ_48 16
#define TCR_WALK_ATTRS ((3 << 12) | (1 << 10) | (1 << 8))
#define TCR_EL2_RES1 ((1 << 31) | (1 << 23))
#define TCR_EL1_EPD1 (1 << 23)

#define CURRENTEL_EL2 (2 << 2)

/* HCR_EL2: physical FIQ, IRQ and SError are taken to EL2 (without these,
 * interrupts "routed to EL1" are masked while EL2 runs). */
#define HCR_FMO (1UL << 3)
#define HCR_IMO (1UL << 4)
#define HCR_AMO (1UL << 5)
#define HCR_HOST_DEFAULT (HCR_FMO | HCR_IMO | HCR_AMO)

/* HPFAR_EL2.FIPA (bits 43:4) holds bits 51:12 of a stage-2 fault's IPA. */
#define HPFAR_FIPA_MASK 0xffffffffff0ULL
#define HPFAR_FIPA_SHIFT 8

/* PAR_EL1 after an address translation: F (it failed), else the PA. */
#define PAR_F 1ULL
#define PAR_PA_MASK 0xfffffffff000ULL

/*
 * Registers the assembler may not know by name (an architecture extension
 * or the GIC system-register interface), written as their encoding
 * S<op0>_<op1>_C<CRn>_C<CRm>_<op2>: the only place such encodings appear.
 */
#define ID_AA64ISAR2_EL1 S3_0_C0_C6_2

/* GICv3 CPU interface, EL1 registers the hypervisor uses itself. */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_DIR_EL1 S3_0_C12_C11_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SRE_EL2 S3_4_C12_C9_5

/* GICv3 virtualisation control (ICH_*_EL2). */
#define ICH_AP0R0_EL2 S3_4_C12_C8_0
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VTR_EL2 S3_4_C12_C11_1
#define ICH_VMCR_EL2 S3_4_C12_C11_7
#define ICH_LR0_EL2 S3_4_C12_C12_0
#define ICH_LR1_EL2 S3_4_C12_C12_1
#define ICH_LR2_EL2 S3_4_C12_C12_2
#define ICH_LR3_EL2 S3_4_C12_C12_3
#define ICH_LR4_EL2 S3_4_C12_C12_4
#define ICH_LR5_EL2 S3_4_C12_C12_5
#define ICH_LR6_EL2 S3_4_C12_C12_6
#define ICH_LR7_EL2 S3_4_C12_C12_7
#define ICH_LR8_EL2 S3_4_C12_C13_0
#define ICH_LR9_EL2 S3_4_C12_C13_1
#define ICH_LR10_EL2 S3_4_C12_C13_2
#define ICH_LR11_EL2 S3_4_C12_C13_3
#define ICH_LR12_EL2 S3_4_C12_C13_4
#define ICH_LR13_EL2 S3_4_C12_C13_5
#define ICH_LR14_EL2 S3_4_C12_C13_6
#define ICH_LR15_EL2 S3_4_C12_C13_7

#ifndef __ASSEMBLY__
#include <hv/types.h>

/* A register's name as the assembler is given it: a name defined above
 * is replaced by its encoding first. */
#define SYSREG_NAME(name) #name

#define READ_SYSREG(name)                                                      \
	({                                                                     \
		uint64_t _r;                                                   \
		__asm__ volatile("mrs %0, " SYSREG_NAME(name) : "=r"(_r));     \
		_r;                                                            \
	})

#define WRITE_SYSREG(name, v)                                                  \
	do {                                                                   \
		uint64_t _w = (uint64_t)(v);                                   \
		__asm__ volatile("msr " SYSREG_NAME(name) ", %0"               \
				 :                                             \
				 : "r"(_w)                                     \
				 : "memory");                                  \
	} while (0)

static inline void isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" : : : "memory");
}

static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" : : : "memory");
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" : : : "memory");
}
#endif

#endif /* HV_ASM_SYSREGS_H */
