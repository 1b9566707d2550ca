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

#ifndef __ASSEMBLY__
#include <hv/types.h>

#define READ_SYSREG(name)                                                      \
	({                                                                     \
		uint64_t _r;                                                   \
		__asm__ volatile("mrs %0, " #name : "=r"(_r));                 \
		_r;                                                            \
	})

#define WRITE_SYSREG(name, v)                                                  \
	do {                                                                   \
		uint64_t _w = (uint64_t)(v);                                   \
		__asm__ volatile("msr " #name ", %0" : : "r"(_w) : "memory");  \
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
