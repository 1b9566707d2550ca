/*
 * isolation: the guest touches guest-physical addresses that are not its
 * RAM nor an emulated device: just past the end of its RAM (read) and
 * 0x10000000 (write, a hole in Xen's guest memory map). The access must not
 * complete. A hypervisor may stop the domain there (the runner then sees
 * nothing after the marker line) or inject a synchronous external abort,
 * which this test catches and reports; any access that returns is a
 * FAILURE. The runner checks that another domain keeps running.
 */
#include <xtf.h>

const char test_title[] =
	"Isolation: accesses outside the guest's memory fault";

#define HOLE_ADDR 0x10000000UL

static volatile uint64_t fault_esr, fault_far;
static volatile unsigned int faults;

static bool abort_hook(struct cpu_regs *regs, uint64_t esr, uint64_t far)
{
	if (ESR_EC(esr) != ESR_EC_DABT_CUR) {
		return false;
	}
	fault_esr = esr;
	fault_far = far;
	faults++;
	regs->elr += 4; /* skip the faulting load/store */
	return true;
}

static void check(const char *what, uint64_t addr, unsigned int before)
{
	if (faults == before) {
		xtf_failure("%s %#lx completed: memory outside the guest is "
			    "accessible",
			    what, addr);
		return;
	}
	printf("isolation: %s %#lx: data abort injected, ESR_EL1 %#lx "
	       "(EC %#lx, DFSC %#lx), FAR_EL1 %#lx\n",
	       what, addr, fault_esr, ESR_EC(fault_esr), fault_esr & 0x3f,
	       fault_far);
	if (fault_far != addr) {
		xtf_failure("FAR_EL1 %#lx, expected %#lx", fault_far, addr);
	}
}

void test_main(void)
{
	uint64_t past_ram = platform.ram_base + platform.ram_size;
	unsigned int before;
	uint32_t v;

	traps_set_sync_hook(abort_hook);

	printf("%s\n", "isolation: about to fault");
	before = faults;
	v = *(volatile uint32_t *)(uintptr_t)past_ram;
	if (faults == before) {
		printf("isolation: read %#lx returned %#x\n", past_ram, v);
	}
	check("read", past_ram, before);

	before = faults;
	*(volatile uint32_t *)HOLE_ADDR = 0x5a5a5a5a;
	check("write", HOLE_ADDR, before);

	traps_set_sync_hook(NULL);
	xtf_success();
}
