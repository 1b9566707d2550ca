/*
 * Exception syndromes (ESR_ELx): the exception class, the instruction
 * length, and the ISS fields of the classes Xenon decodes or injects.
 * Only <hv/types.h> is needed, so host tests can include it.
 */
#ifndef HV_ASM_ESR_H
#define HV_ASM_ESR_H

#include <hv/types.h>

#define ESR_EC_SHIFT 26U
#define ESR_EC_MASK 0x3fU
/* IL: the trapped instruction is 32 bits (else a 16-bit T32 one from an
 * AArch32 guest). */
#define ESR_IL (1ULL << 25)
#define ESR_ISS_MASK 0x1ffffffU

/* Exception classes. */
#define ESR_EC_UNKNOWN 0x00U
#define ESR_EC_WFX 0x01U
#define ESR_EC_SVC32 0x11U
#define ESR_EC_HVC32 0x12U
#define ESR_EC_SVC64 0x15U
#define ESR_EC_HVC64 0x16U
#define ESR_EC_SMC64 0x17U
#define ESR_EC_SYSREG 0x18U
#define ESR_EC_IABT_LOW 0x20U
#define ESR_EC_IABT_CUR 0x21U
#define ESR_EC_DABT_LOW 0x24U
#define ESR_EC_DABT_CUR 0x25U

static inline unsigned int esr_ec(uint64_t esr)
{
	return (unsigned int)((esr >> ESR_EC_SHIFT) & ESR_EC_MASK);
}

static inline uint32_t esr_iss(uint64_t esr)
{
	return (uint32_t)(esr & ESR_ISS_MASK);
}

/* Bytes the trapped instruction takes: 4, or 2 when IL is clear. */
static inline unsigned int esr_insn_len(uint64_t esr)
{
	return ((esr & ESR_IL) != 0U) ? 4U : 2U;
}

/* A syndrome to inject, for a 32-bit instruction. */
static inline uint64_t esr_make(unsigned int ec, uint32_t iss)
{
	return ((uint64_t)(ec & ESR_EC_MASK) << ESR_EC_SHIFT) | ESR_IL |
	       (iss & ESR_ISS_MASK);
}

/* WFI or WFE (EC 0x01): ISS.TI bit 0 is set for WFE. */
static inline bool esr_wfx_is_wfe(uint32_t iss)
{
	return (iss & 1U) != 0U;
}

/* HVC or SMC (EC 0x16, 0x17): the instruction's 16-bit immediate. */
static inline uint32_t esr_imm16(uint32_t iss)
{
	return iss & 0xffffU;
}

/*
 * Data abort (EC 0x24, 0x25) ISS: ISV says whether the access is
 * described (SAS size, SSE sign extension, SRT register, SF 64-bit
 * register, WnR write).
 */
#define ESR_DABT_ISV (1U << 24)
#define ESR_DABT_SAS_SHIFT 22U
#define ESR_DABT_SSE (1U << 21)
#define ESR_DABT_SRT_SHIFT 16U
#define ESR_DABT_SF (1U << 15)
#define ESR_DABT_WNR (1U << 6)

static inline bool esr_dabt_isv(uint32_t iss)
{
	return (iss & ESR_DABT_ISV) != 0U;
}

/* The access size in bytes: 1, 2, 4 or 8. */
static inline unsigned int esr_dabt_size(uint32_t iss)
{
	return 1U << ((iss >> ESR_DABT_SAS_SHIFT) & 3U);
}

static inline bool esr_dabt_sse(uint32_t iss)
{
	return (iss & ESR_DABT_SSE) != 0U;
}

static inline unsigned int esr_dabt_srt(uint32_t iss)
{
	return (iss >> ESR_DABT_SRT_SHIFT) & 0x1fU;
}

static inline bool esr_dabt_sf(uint32_t iss)
{
	return (iss & ESR_DABT_SF) != 0U;
}

static inline bool esr_dabt_write(uint32_t iss)
{
	return (iss & ESR_DABT_WNR) != 0U;
}

/* Instruction or data abort ISS: the fault status code (IFSC/DFSC); a
 * translation fault at any level is 0b0001LL. */
#define ESR_FSC_MASK 0x3fU
#define ESR_FSC_TRANSLATION 0x04U

static inline bool esr_abort_is_translation(uint32_t iss)
{
	return (iss & ESR_FSC_MASK & ~3U) == ESR_FSC_TRANSLATION;
}

/*
 * Trapped MSR/MRS (EC 0x18) ISS: Op0, Op2, Op1, CRn, Rt, CRm and the
 * direction. ESR_SYSREG() is a register's encoding there, to compare with
 * esr_sysreg_reg() (the ISS without Rt and direction).
 */
#define ESR_SYSREG_OP0_SHIFT 20U
#define ESR_SYSREG_OP2_SHIFT 17U
#define ESR_SYSREG_OP1_SHIFT 14U
#define ESR_SYSREG_CRN_SHIFT 10U
#define ESR_SYSREG_RT_SHIFT 5U
#define ESR_SYSREG_CRM_SHIFT 1U
#define ESR_SYSREG_READ (1U << 0)
#define ESR_SYSREG(op0, op1, crn, crm, op2)                                    \
	(((uint32_t)(op0) << ESR_SYSREG_OP0_SHIFT) |                           \
	 ((uint32_t)(op2) << ESR_SYSREG_OP2_SHIFT) |                           \
	 ((uint32_t)(op1) << ESR_SYSREG_OP1_SHIFT) |                           \
	 ((uint32_t)(crn) << ESR_SYSREG_CRN_SHIFT) |                           \
	 ((uint32_t)(crm) << ESR_SYSREG_CRM_SHIFT))
#define ESR_SYSREG_MASK ESR_SYSREG(3U, 7U, 15U, 15U, 7U)
/* The same without CRm: registers numbered by CRm (debug). */
#define ESR_SYSREG_MASK_NO_CRM ESR_SYSREG(3U, 7U, 15U, 0U, 7U)

static inline uint32_t esr_sysreg_reg(uint32_t iss)
{
	return iss & ESR_SYSREG_MASK;
}

static inline unsigned int esr_sysreg_op0(uint32_t iss)
{
	return (iss >> ESR_SYSREG_OP0_SHIFT) & 3U;
}

static inline unsigned int esr_sysreg_op1(uint32_t iss)
{
	return (iss >> ESR_SYSREG_OP1_SHIFT) & 7U;
}

static inline unsigned int esr_sysreg_crn(uint32_t iss)
{
	return (iss >> ESR_SYSREG_CRN_SHIFT) & 0xfU;
}

static inline unsigned int esr_sysreg_crm(uint32_t iss)
{
	return (iss >> ESR_SYSREG_CRM_SHIFT) & 0xfU;
}

static inline unsigned int esr_sysreg_op2(uint32_t iss)
{
	return (iss >> ESR_SYSREG_OP2_SHIFT) & 7U;
}

static inline unsigned int esr_sysreg_rt(uint32_t iss)
{
	return (iss >> ESR_SYSREG_RT_SHIFT) & 0x1fU;
}

/* MRS (a read of the register), else MSR. */
static inline bool esr_sysreg_is_read(uint32_t iss)
{
	return (iss & ESR_SYSREG_READ) != 0U;
}

#endif /* HV_ASM_ESR_H */
