/*
 * Unit tests for the syndrome accessors of asm/esr.h, on the ESR_EL2
 * values real trapped instructions produce (the header needs only
 * <hv/types.h>, so the arm64 one is used as it is).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../hypervisor/arch/arm64/include/asm/esr.h"

/* HVC #0xea1 (Xen's hypercall tag) from AArch64. */
#define ESR_HVC_XEN 0x5a000ea1ULL
/* WFI as a 16-bit T32 instruction (IL clear). */
#define ESR_WFI_T16 0x04000000ULL
/* WFE, 32-bit. */
#define ESR_WFE 0x06000001ULL
/* ldrsh w3, [x1] from a lower EL: level 3 translation fault. */
#define ESR_LDRSH_W3 0x93630007ULL
/* str x5, [x0] from a lower EL: level 2 translation fault. */
#define ESR_STR_X5 0x93c58046ULL
/* A data abort without a valid ISS (ISV clear): access flag fault. */
#define ESR_DABT_NO_ISV 0x9200000bULL
/* mrs x2, actlr_el1. */
#define ESR_MRS_ACTLR 0x62320441ULL
/* msr icc_sgi1r_el1, x30. */
#define ESR_MSR_SGI1R 0x623a33d6ULL

static void test_class_and_length(void **state)
{
	(void)state;
	assert_int_equal(esr_ec(ESR_HVC_XEN), ESR_EC_HVC64);
	assert_int_equal(esr_ec(ESR_WFI_T16), ESR_EC_WFX);
	assert_int_equal(esr_ec(ESR_LDRSH_W3), ESR_EC_DABT_LOW);
	assert_int_equal(esr_ec(ESR_MRS_ACTLR), ESR_EC_SYSREG);
	assert_int_equal(esr_insn_len(ESR_HVC_XEN), 4);
	assert_int_equal(esr_insn_len(ESR_WFI_T16), 2);
	assert_int_equal(esr_iss(ESR_HVC_XEN), 0xea1);
}

static void test_hvc_and_wfx(void **state)
{
	(void)state;
	assert_int_equal(esr_imm16(esr_iss(ESR_HVC_XEN)), 0xea1);
	assert_false(esr_wfx_is_wfe(esr_iss(ESR_WFI_T16)));
	assert_true(esr_wfx_is_wfe(esr_iss(ESR_WFE)));
}

static void test_data_abort(void **state)
{
	uint32_t load = esr_iss(ESR_LDRSH_W3);
	uint32_t store = esr_iss(ESR_STR_X5);
	uint32_t no_isv = esr_iss(ESR_DABT_NO_ISV);

	(void)state;
	assert_true(esr_dabt_isv(load));
	assert_int_equal(esr_dabt_size(load), 2);
	assert_true(esr_dabt_sse(load));
	assert_int_equal(esr_dabt_srt(load), 3);
	assert_false(esr_dabt_sf(load));
	assert_false(esr_dabt_write(load));
	assert_true(esr_abort_is_translation(load));

	assert_true(esr_dabt_isv(store));
	assert_int_equal(esr_dabt_size(store), 8);
	assert_false(esr_dabt_sse(store));
	assert_int_equal(esr_dabt_srt(store), 5);
	assert_true(esr_dabt_sf(store));
	assert_true(esr_dabt_write(store));
	assert_true(esr_abort_is_translation(store));

	assert_false(esr_dabt_isv(no_isv));
	assert_false(esr_abort_is_translation(no_isv));
}

static void test_sysreg(void **state)
{
	uint32_t mrs = esr_iss(ESR_MRS_ACTLR);
	uint32_t msr = esr_iss(ESR_MSR_SGI1R);

	(void)state;
	assert_true(esr_sysreg_is_read(mrs));
	assert_int_equal(esr_sysreg_rt(mrs), 2);
	assert_int_equal(esr_sysreg_op0(mrs), 3);
	assert_int_equal(esr_sysreg_op1(mrs), 0);
	assert_int_equal(esr_sysreg_crn(mrs), 1);
	assert_int_equal(esr_sysreg_crm(mrs), 0);
	assert_int_equal(esr_sysreg_op2(mrs), 1);
	assert_int_equal(esr_sysreg_reg(mrs), ESR_SYSREG(3, 0, 1, 0, 1));

	assert_false(esr_sysreg_is_read(msr));
	assert_int_equal(esr_sysreg_rt(msr), 30);
	assert_int_equal(esr_sysreg_reg(msr), ESR_SYSREG(3, 0, 12, 11, 5));
	assert_int_equal(esr_sysreg_reg(msr) & ESR_SYSREG_MASK_NO_CRM,
			 ESR_SYSREG(3, 0, 12, 0, 5));
}

static void test_make(void **state)
{
	(void)state;
	assert_int_equal(esr_make(ESR_EC_UNKNOWN, 0), ESR_IL);
	assert_int_equal(esr_make(ESR_EC_DABT_CUR, 0), 0x96000000ULL);
	assert_int_equal(esr_make(ESR_EC_HVC64, 0xea1), ESR_HVC_XEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_class_and_length),
		cmocka_unit_test(test_hvc_and_wfx),
		cmocka_unit_test(test_data_abort),
		cmocka_unit_test(test_sysreg),
		cmocka_unit_test(test_make),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
