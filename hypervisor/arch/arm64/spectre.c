/*
 * Spectre-v2 (CVE-2017-5715) and Spectre-BHB (CVE-2022-23960) on guest
 * exit, per CPU, with Xen 4.17's table of cores:
 *
 *   Cortex-A57, A72 up to r1p0     branch predictor hardening: firmware's
 *                                  SMCCC_ARCH_WORKAROUND_1
 *   Cortex-A73, A75                firmware's ARCH_WORKAROUND_3 (or 1)
 *   Cortex-A72 r1p0 and later      a loop of 8 taken branches
 *   Cortex-A76, A77, Neoverse-N1   a loop of 24
 *   A78, A78C, X1, X2, A710, N2, V1  a loop of 32
 *
 * A core that reports CSV2 (v2) or CSV2 = 3 / ECBHB (BHB) needs nothing;
 * one with CLRBHB uses that instruction. Firmware workarounds are used only
 * where the firmware says it has them (SMCCC_ARCH_FEATURES); otherwise, as
 * Xen, a warning. entry.S runs the work at every exit from a guest, before
 * any indirect branch the guest could have trained: on the CPUs that need
 * it only, through a vector table of their own.
 */
#include <hv/config.h>
#include <hv/printk.h>

#include <asm/psci.h>
#include <asm/spectre.h>
#include <asm/sysregs.h>

/* entry.S: the vectors with the exit work. */
extern char hyp_vectors_spectre[];

#define ARCH_WORKAROUND_1_FID 0x80008000U
#define ARCH_WORKAROUND_3_FID 0x80003fffU
#define ARCH_WORKAROUND_2_FID 0x80007fffU
#define SMCCC_NOT_SUPPORTED (-1)
#define SMCCC_NOT_REQUIRED (-2)

#define MIDR_ARM 0x41U
#define MIDR_PART(midr) (((midr) >> 4) & 0xfffU)
#define MIDR_IMPL(midr) (((midr) >> 24) & 0xffU)
/* Variant and revision, as one number: r1p0 = 0x100000. */
#define MIDR_VARREV(midr) ((midr) & 0xf0000fU)
#define R1P0 0x100000U

enum harden {
	HARDEN_NONE,
	HARDEN_FW_WA1,
	HARDEN_FW_WA3,
	HARDEN_LOOP,
};

struct affected_core {
	uint16_t part;
	uint8_t loops; /* for HARDEN_LOOP */
	uint8_t harden;
};

/* Arm Ltd parts and what Xen 4.17 applies (A72 is split by revision in
 * core_harden()). */
static const struct affected_core affected[] = {
	{0xd07U, 0U, HARDEN_FW_WA1}, /* Cortex-A57 */
	{0xd09U, 0U, HARDEN_FW_WA3}, /* Cortex-A73 */
	{0xd0aU, 0U, HARDEN_FW_WA3}, /* Cortex-A75 */
	{0xd0bU, 24U, HARDEN_LOOP}, /* Cortex-A76 */
	{0xd0dU, 24U, HARDEN_LOOP}, /* Cortex-A77 */
	{0xd0cU, 24U, HARDEN_LOOP}, /* Neoverse-N1 */
	{0xd41U, 32U, HARDEN_LOOP}, /* Cortex-A78 */
	{0xd4bU, 32U, HARDEN_LOOP}, /* Cortex-A78C */
	{0xd44U, 32U, HARDEN_LOOP}, /* Cortex-X1 */
	{0xd48U, 32U, HARDEN_LOOP}, /* Cortex-X2 */
	{0xd47U, 32U, HARDEN_LOOP}, /* Cortex-A710 */
	{0xd49U, 32U, HARDEN_LOOP}, /* Neoverse-N2 */
	{0xd40U, 32U, HARDEN_LOOP}, /* Neoverse-V1 */
};

#define PART_A72 0xd08U

uint32_t spectre_exit_work[NR_CPUS];

/* Models seen that Xen marks for workaround 1 and 3 (its capabilities). */
static bool seen_wa1;
static bool seen_wa3;
/* SSBD (workaround 2), as Xen's ssbd_state: what guests are told. */
static int64_t ssbd_answer;
static bool ssbd_known;

static struct affected_core core_harden(uint64_t midr)
{
	struct affected_core none = {0U, 0U, HARDEN_NONE};
	unsigned int i;

	if (MIDR_IMPL(midr) != MIDR_ARM) {
		return none;
	}
	if (MIDR_PART(midr) == PART_A72) {
		none.part = PART_A72;
		none.harden = HARDEN_LOOP;
		none.loops = 8U;
		if (MIDR_VARREV(midr) <= R1P0) {
			none.harden = HARDEN_FW_WA1; /* r0pN and r1p0 */
		}
		return none;
	}
	for (i = 0; i < ARRAY_SIZE(affected); i++) {
		if (affected[i].part == MIDR_PART(midr)) {
			return affected[i];
		}
	}
	return none;
}

static bool firmware_has(uint32_t fid)
{
	return smccc_arch_features(fid) >= 0;
}

static const char *exit_work_name(uint32_t work)
{
	switch (work & 0xffU) {
	case SPECTRE_EXIT_CLRBHB:
		return "CLRBHB";
	case SPECTRE_EXIT_FW_WA1:
		return "firmware ARCH_WORKAROUND_1";
	case SPECTRE_EXIT_FW_WA3:
		return "firmware ARCH_WORKAROUND_3";
	default:
		return "nothing";
	}
}

static uint32_t exit_work(uint64_t midr)
{
	uint64_t pfr0 = READ_SYSREG(id_aa64pfr0_el1);
	uint64_t mmfr1 = READ_SYSREG(id_aa64mmfr1_el1);
	uint64_t isar2 = READ_SYSREG(ID_AA64ISAR2_EL1);
	unsigned int csv2 = (unsigned int)(pfr0 >> 56) & 0xfU;
	struct affected_core c = core_harden(midr);

	if (c.harden == HARDEN_FW_WA1) {
		seen_wa1 = true;
		if ((csv2 == 0U) && firmware_has(ARCH_WORKAROUND_1_FID)) {
			return SPECTRE_EXIT_FW_WA1;
		}
		return (csv2 == 0U) ? 0xffU : SPECTRE_EXIT_NONE;
	}
	if (c.harden == HARDEN_NONE) {
		return SPECTRE_EXIT_NONE;
	}
	if (c.harden == HARDEN_FW_WA3) {
		seen_wa3 = true;
	}
	if ((csv2 == 3U) || (((mmfr1 >> 60) & 0xfU) != 0U)) {
		return SPECTRE_EXIT_NONE; /* CSV2_3 or ECBHB */
	}
	if (((isar2 >> 28) & 0xfU) != 0U) {
		return SPECTRE_EXIT_CLRBHB;
	}
	if (c.harden == HARDEN_LOOP) {
		return SPECTRE_EXIT_LOOP | ((uint32_t)c.loops << 8);
	}
	if (firmware_has(ARCH_WORKAROUND_3_FID)) {
		return SPECTRE_EXIT_FW_WA3;
	}
	if ((csv2 == 0U) && firmware_has(ARCH_WORKAROUND_1_FID)) {
		return SPECTRE_EXIT_FW_WA1;
	}
	return 0xffU;
}

/*
 * Speculative Store Bypass (workaround 2), as Xen 4.17: firmware without
 * SMCCC 1.1 leaves Xen's default state "runtime" (guests are told it is
 * there); otherwise the firmware's answer decides, and where it says the
 * mitigation is needed it is turned on for good (Xen turns it off while a
 * guest asks; Xenon keeps it on, the safe side).
 */
static void ssbd_init(void)
{
	int64_t fw = smccc_arch_features(ARCH_WORKAROUND_2_FID);

	if (fw == SMCCC_NOT_SUPPORTED) {
		/* Either no SMCCC 1.1, or no SSBD control: Xen tells them
		 * apart by the SMCCC version, and answers 0 for the first. */
		ssbd_answer = smccc_has_1_1() ? SMCCC_NOT_SUPPORTED : 0;
	} else if (fw == SMCCC_NOT_REQUIRED) {
		ssbd_answer = SMCCC_NOT_REQUIRED;
	} else {
		ssbd_answer = 0;
		if (fw == 0) {
			(void)smccc_firmware_call(ARCH_WORKAROUND_2_FID, 1U);
		}
	}
	ssbd_known = true;
}

void spectre_init_cpu(unsigned int cpu)
{
	uint64_t midr = READ_SYSREG(midr_el1);
	uint32_t work = exit_work(midr);

	if (!ssbd_known) {
		ssbd_init();
	}

	if (work == 0xffU) {
		printk(XENLOG_WARNING
		       "CPU%u (MIDR 0x%lx): affected by Spectre-v2/BHB, and the "
		       "firmware has no workaround for it\n",
		       cpu, (unsigned long)midr);
		work = SPECTRE_EXIT_NONE;
	} else if ((work & 0xffU) == SPECTRE_EXIT_LOOP) {
		printk("CPU%u (MIDR 0x%lx): Spectre-BHB: a loop of %u branches "
		       "on guest exit\n",
		       cpu, (unsigned long)midr, work >> 8);
	} else if (work != SPECTRE_EXIT_NONE) {
		printk("CPU%u (MIDR 0x%lx): Spectre-v2/BHB: %s on guest exit\n",
		       cpu, (unsigned long)midr, exit_work_name(work));
	} else {
		/* Not affected, or the CPU protects itself. */
	}
	if (cpu < (unsigned int)NR_CPUS) {
		spectre_exit_work[cpu] = work;
	}
	if (work != SPECTRE_EXIT_NONE) {
		/* The vectors that run the work on every exit from a guest. */
		WRITE_SYSREG(vbar_el2,
			     (uint64_t)(uintptr_t)hyp_vectors_spectre);
		isb();
	}
}

int64_t spectre_guest_features(unsigned int n)
{
	if (n == 1U) {
		return (seen_wa1 || seen_wa3) ? 0 : SMCCC_NOT_SUPPORTED;
	}
	if (n == 2U) {
		return ssbd_answer;
	}
	return ((n == 3U) && seen_wa3) ? 0 : SMCCC_NOT_SUPPORTED;
}
