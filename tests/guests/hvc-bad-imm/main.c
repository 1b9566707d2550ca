/*
 * hvc-bad-imm: an HVC whose immediate is neither Xen's hypercall tag nor 0
 * (SMCCC) is an undefined instruction for the guest, as on Xen 4.17: the
 * guest takes an Unknown-reason exception (ESR_EL1 EC 0, IL set) whose
 * ELR_EL1 is the instruction after the HVC, and carries on.
 */
#include <xtf.h>

const char test_title[] = "HVC with an unknown immediate: undefined "
			  "instruction";

#define ESR_EC_UNKNOWN 0x00
#define ESR_IL (1UL << 25)

static volatile uint64_t got_esr, got_elr;
static volatile unsigned int undefs;

static bool undef_hook(struct cpu_regs *regs, uint64_t esr, uint64_t far)
{
	(void)far;
	if (ESR_EC(esr) != ESR_EC_UNKNOWN) {
		return false;
	}
	got_esr = esr;
	got_elr = regs->elr;
	undefs++;
	return true; /* ELR is past the HVC already */
}

void test_main(void)
{
	uint64_t hvc_pc;

	traps_set_sync_hook(undef_hook);
	__asm__ volatile("adr %0, 1f\n"
			 "1: hvc #0x1234"
			 : "=r"(hvc_pc)
			 :
			 : "memory");
	traps_set_sync_hook(NULL);
	printf("hvc-bad-imm: %u exception(s), ESR_EL1 %#lx, ELR_EL1 = HVC + "
	       "%ld\n",
	       undefs, (unsigned long)got_esr, (long)(got_elr - hvc_pc));
	if (undefs != 1) {
		xtf_failure("HVC #0x1234 raised %u undefined-instruction "
			    "exceptions, want 1",
			    undefs);
	} else if (got_esr != ESR_IL) {
		xtf_failure("ESR_EL1 %#lx, want %#lx (EC 0, IL)",
			    (unsigned long)got_esr, (unsigned long)ESR_IL);
	} else if (got_elr != hvc_pc + 4) {
		xtf_failure("ELR_EL1 is the HVC + %ld, want + 4",
			    (long)(got_elr - hvc_pc));
	} else {
		xtf_success();
	}
}
