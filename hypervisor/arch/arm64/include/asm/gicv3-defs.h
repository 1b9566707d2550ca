/*
 * GICv3 architecture: distributor and redistributor register offsets, and
 * the fields of those and of the CPU interface system registers, shared by
 * the host driver (drivers/gicv3.c) and the vGIC (vgic.c, vgic-mmio.c).
 * The system registers themselves are named in asm/sysregs.h.
 */
#ifndef HV_ASM_GICV3_DEFS_H
#define HV_ASM_GICV3_DEFS_H

#include <hv/types.h>

/* Distributor (GICD_*), offsets from its base. An *_END is the first
 * offset past a register array. */
#define GICD_CTLR 0x0000U
#define GICD_TYPER 0x0004U
#define GICD_IIDR 0x0008U
#define GICD_IGROUPR 0x0080U
#define GICD_ISENABLER 0x0100U
#define GICD_ICENABLER 0x0180U
#define GICD_ISPENDR 0x0200U
#define GICD_ICPENDR 0x0280U
#define GICD_ISACTIVER 0x0300U
#define GICD_ICACTIVER 0x0380U
#define GICD_IPRIORITYR 0x0400U
#define GICD_IPRIORITYR_END 0x0800U
#define GICD_ICFGR 0x0C00U
#define GICD_ICFGR_END 0x0D00U
#define GICD_IROUTER 0x6000U
#define GICD_IROUTER_END 0x8000U
#define GICD_PIDR2 0xFFE8U

/* GICD_CTLR, non-secure view (and a single security state's Grp1). */
#define GICD_CTLR_ENABLE_G1 (1U << 0)
#define GICD_CTLR_ENABLE_G1A (1U << 1)
#define GICD_CTLR_ARE (1U << 4)
#define GICD_CTLR_RWP (1U << 31)

/* GICD_TYPER: ITLinesNumber (32 * (n + 1) lines) and IDbits (n + 1). */
#define GICD_TYPER_ITLINES(typer) ((typer) & 0x1fU)
#define GICD_TYPER_IDBITS_SHIFT 19U

/* GICD_PIDR2 and GICR_PIDR2: ArchRev 3. */
#define GIC_PIDR2_ARCH_GICV3 0x30U

/* Redistributor (GICR_*), offsets from one redistributor's base. */
#define GICR_CTLR 0x0000U
#define GICR_IIDR 0x0004U
#define GICR_TYPER 0x0008U
#define GICR_WAKER 0x0014U
#define GICR_PIDR2 0xFFE8U
/* The SGI/PPI frame: the distributor's GICD_IGROUPR..GICD_ICFGR layout for
 * interrupts 0-31 of this redistributor's CPU. */
#define GICR_SGI_BASE 0x10000U
/* One redistributor: its RD and SGI 64 KiB frames, and with the two more
 * frames of virtual LPIs (GICR_TYPER.VLPIS). */
#define GICR_SIZE 0x20000U
#define GICR_SIZE_VLPIS 0x40000U

/* GICR_TYPER. */
#define GICR_TYPER_VLPIS (1U << 1)
#define GICR_TYPER_LAST (1U << 4)
#define GICR_TYPER_PROC_NUM_SHIFT 8U
#define GICR_TYPER_AFF_SHIFT 32U

/* GICR_WAKER. */
#define GICR_WAKER_SLEEP (1U << 1)
#define GICR_WAKER_ASLEEP (1U << 2)

/* ICC_SRE_EL2: system registers at EL2, and lower ELs may use them. */
#define ICC_SRE_SRE (1U << 0)
#define ICC_SRE_ENABLE (1U << 3)

/* ICC_CTLR_EL1.EOImode: EOIR only drops priority; DIR deactivates. */
#define ICC_CTLR_EOIMODE (1U << 1)

/* ICC_IAR1_EL1: the INTID acknowledged. */
#define ICC_IAR_INTID_MASK 0xffffffU

/* ICC_SGI1R_EL1 fields. */
#define ICC_SGI1R_TARGETS(x) ((x) & 0xffffU)
#define ICC_SGI1R_AFF1_SHIFT 16U
#define ICC_SGI1R_INTID_SHIFT 24U
#define ICC_SGI1R_AFF2_SHIFT 32U
#define ICC_SGI1R_IRM (1ULL << 40)
#define ICC_SGI1R_RS_SHIFT 44U
#define ICC_SGI1R_AFF3_SHIFT 48U
#define ICC_SGI1R_AFF1(x) (((x) >> ICC_SGI1R_AFF1_SHIFT) & 0xffU)
#define ICC_SGI1R_INTID(x) ((uint32_t)(((x) >> ICC_SGI1R_INTID_SHIFT) & 0xfU))
#define ICC_SGI1R_AFF2(x) (((x) >> ICC_SGI1R_AFF2_SHIFT) & 0xffU)
#define ICC_SGI1R_RS(x) (((x) >> ICC_SGI1R_RS_SHIFT) & 0xfU)
#define ICC_SGI1R_AFF3(x) (((x) >> ICC_SGI1R_AFF3_SHIFT) & 0xffU)

/* ICH_HCR_EL2. */
#define ICH_HCR_EN (1ULL << 0)
#define ICH_HCR_UIE (1ULL << 1)

/* ICH_VTR_EL2.ListRegs: the number of list registers minus one. */
#define ICH_VTR_LISTREGS(vtr) ((vtr) & 0x1fU)

/* ICH_LR<n>_EL2. */
#define ICH_LR_PRIORITY_SHIFT 48U
#define ICH_LR_GROUP1 (1ULL << 60)
/* HW: the guest's deactivation of the virtual interrupt deactivates the
 * physical one, pINTID. */
#define ICH_LR_HW (1ULL << 61)
#define ICH_LR_PINTID_SHIFT 32U
#define ICH_LR_PINTID_MASK 0x3ffULL
/* EOI (HW = 0 only): an EOI maintenance interrupt once the guest
 * deactivates it. */
#define ICH_LR_EOI (1ULL << 41)
#define ICH_LR_STATE_PENDING (1ULL << 62)
#define ICH_LR_STATE_ACTIVE (1ULL << 63)

/* An MPIDR affinity in GICR_TYPER[63:32] form: Aff3.Aff2.Aff1.Aff0. */
static inline uint32_t gicr_typer_aff(uint64_t mpidr)
{
	return (uint32_t)(((mpidr >> 8) & 0xff000000U) | (mpidr & 0xffffffU));
}

#endif /* HV_ASM_GICV3_DEFS_H */
