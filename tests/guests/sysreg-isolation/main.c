/*
 * sysreg-isolation: a guest programs no PMU counter and no breakpoint,
 * as on Xen 4.17, which traps both (MDCR_EL2.TPM, TPMCR, TDA, TDOSA,
 * TDRA) and makes them read as zero and ignore writes: what one domain
 * sets up, the next to run on the CPU cannot find, and no domain counts
 * another's events. OSLSR_EL1 reads "OS lock not implemented"; a write
 * to a read-only register and a read of a write-only one are undefined
 * instructions.
 */
#include <xtf.h>

const char test_title[] = "PMU and debug registers: read as zero, writes "
			  "ignored";

#define ESR_EC_UNKNOWN 0x00

static volatile unsigned int undefs;

static bool undef_hook(struct cpu_regs *regs, uint64_t esr, uint64_t far)
{
	(void)far;
	if (ESR_EC(esr) != ESR_EC_UNKNOWN) {
		return false;
	}
	undefs++;
	regs->elr += 4; /* the trapped access itself */
	return true;
}

#define READ(reg)                                                              \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mrs %0, " reg : "=r"(v_) : : "memory");      \
		v_;                                                            \
	})
#define WRITE(reg, v)                                                          \
	__asm__ volatile("msr " reg ", %0" : : "r"((uint64_t)(v)) : "memory")

static unsigned int failures;

static void expect(const char *what, uint64_t got, uint64_t want)
{
	printf("sysreg-isolation: %s = %#lx\n", what, (unsigned long)got);
	if (got != want) {
		xtf_failure("%s is %#lx, want %#lx", what, (unsigned long)got,
			    (unsigned long)want);
		failures++;
	}
}

void test_main(void)
{
	volatile unsigned int spin;
	uint64_t before;

	traps_set_sync_hook(undef_hook);

	/* PMU: enable the cycle counter and count a loop. */
	WRITE("pmcr_el0", 1);
	WRITE("pmcntenset_el0", 1UL << 31);
	before = READ("pmccntr_el0");
	for (spin = 0; spin < 1000; spin++)
		;
	expect("PMCCNTR_EL0 after a loop", READ("pmccntr_el0") - before, 0);
	expect("PMCR_EL0", READ("pmcr_el0"), 0);
	expect("PMCNTENSET_EL0", READ("pmcntenset_el0"), 0);
	WRITE("pmselr_el0", 0);
	WRITE("pmxevtyper_el0", 0x11);
	expect("PMXEVTYPER_EL0", READ("pmxevtyper_el0"), 0);

	/* Debug: a breakpoint and a watchpoint, monitor debug on. */
	WRITE("dbgbvr0_el1", (uint64_t)(uintptr_t)test_main);
	WRITE("dbgbcr0_el1", 0x1e7);
	WRITE("dbgwvr0_el1", (uint64_t)(uintptr_t)&failures);
	WRITE("dbgwcr0_el1", 0x1ff7);
	WRITE("mdscr_el1", (1UL << 15) | (1UL << 13));
	expect("DBGBVR0_EL1", READ("dbgbvr0_el1"), 0);
	expect("DBGBCR0_EL1", READ("dbgbcr0_el1"), 0);
	expect("DBGWCR0_EL1", READ("dbgwcr0_el1"), 0);
	expect("MDSCR_EL1", READ("mdscr_el1"), 0);
	expect("OSLSR_EL1", READ("S2_0_C1_C1_4"), 1UL << 3);
	expect("MDRAR_EL1", READ("S2_0_C1_C0_0"), 0);
	WRITE("S2_0_C1_C0_4", 1); /* OSLAR_EL1: ignored */
	expect("undefined instructions so far", undefs, 0);

	/* A write to MDRAR_EL1 (read only), a read of OSLAR_EL1 (write
	 * only). */
	WRITE("S2_0_C1_C0_0", 1);
	(void)READ("S2_0_C1_C0_4");
	expect("undefined instructions", undefs, 2);

	traps_set_sync_hook(NULL);
	if (failures == 0) {
		xtf_success();
	}
}
