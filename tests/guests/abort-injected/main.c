/*
 * abort-injected: a load or store to a guest-physical address that is
 * neither the guest's RAM nor an emulated device gets a data abort, as on
 * Xen 4.17: ESR_EL1 0x96000000 (EC 0x25 from the same EL, IL set, DFSC 0),
 * FAR_EL1 the address; the guest handles it and carries on.
 */
#include <xtf.h>

const char test_title[] = "Abort injected: unbacked accesses fault into "
			  "the guest";

#define XEN_DABT_ESR 0x96000000UL
#define HOLE_ADDR 0x10000000UL

static volatile uint64_t got_esr, got_far;
static volatile unsigned int aborts;

static bool abort_hook(struct cpu_regs *regs, uint64_t esr, uint64_t far)
{
	if (ESR_EC(esr) != ESR_EC_DABT_CUR) {
		return false;
	}
	got_esr = esr;
	got_far = far;
	aborts++;
	regs->elr += 4; /* skip the faulting access */
	return true;
}

static bool expect(const char *what, uint64_t addr, unsigned int before)
{
	printf("abort-injected: %s %#lx: %u abort(s), ESR_EL1 %#lx, FAR_EL1 "
	       "%#lx\n",
	       what, (unsigned long)addr, aborts - before,
	       (unsigned long)got_esr, (unsigned long)got_far);
	if (aborts != before + 1) {
		xtf_failure("%s %#lx: %u aborts, want 1", what,
			    (unsigned long)addr, aborts - before);
		return false;
	}
	if (got_esr != XEN_DABT_ESR || got_far != addr) {
		xtf_failure("%s %#lx: ESR_EL1 %#lx FAR_EL1 %#lx, want %#lx "
			    "and the address",
			    what, (unsigned long)addr, (unsigned long)got_esr,
			    (unsigned long)got_far, XEN_DABT_ESR);
		return false;
	}
	return true;
}

void test_main(void)
{
	uint64_t past_ram = platform.ram_base + platform.ram_size;
	unsigned int before;

	traps_set_sync_hook(abort_hook);
	before = aborts;
	(void)readl(past_ram);
	if (!expect("read", past_ram, before)) {
		return;
	}
	before = aborts;
	writel(0x5a5a5a5a, HOLE_ADDR);
	if (!expect("write", HOLE_ADDR, before)) {
		return;
	}
	traps_set_sync_hook(NULL);
	xtf_success();
}
