/*
 * selftest: the runtime itself on this hypervisor: the formatter, what the
 * device tree told us, normal memory with the MMU on (unaligned accesses,
 * exclusives), and the exception path (a BRK caught by a hook).
 */
#include <xtf.h>

const char test_title[] = "Selftest: the guest runtime works here";

#define ESR_EC_BRK64 0x3c

static volatile unsigned int brk_seen;
static volatile uint64_t brk_esr;

static void expect_fmt(const char *want, const char *fmt, ...) __printf(2, 3);

static void expect_fmt(const char *want, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, want)) {
		xtf_error("format \"%s\": got \"%s\", want \"%s\"", fmt, buf,
			  want);
	}
}

static void check_format(void)
{
	char small[4];
	int n;

	expect_fmt("42 -7 0x2a 2A 052", "%d %i %#x %X %#o", 42, -7, 42, 42,
		   052);
	expect_fmt("[   5] [5   ] [0005]", "[%4u] [%-4u] [%04u]", 5U, 5U, 5U);
	expect_fmt("18446744073709551615 -9223372036854775808", "%lu %ld", ~0UL,
		   (long)(-9223372036854775807L - 1));
	expect_fmt("ffffffffffffffff 0x0", "%lx %p", ~0UL, (void *)0);
	expect_fmt("a bc 100%", "%c %s 100%%", 'a', "bc");
	expect_fmt("ff 65535", "%hhx %hu", 0x1ff, 0x1ffff);
	n = snprintf(small, sizeof(small), "%s", "truncated");
	if (n != 9 || strcmp(small, "tru")) {
		xtf_error("snprintf truncation: %d \"%s\"", n, small);
	}
}

static void check_platform(void)
{
	if (platform.nr_cpus < 1 || platform.nr_cpus > MAX_CPUS) {
		xtf_error("nr_cpus %u", platform.nr_cpus);
	}
	if (platform.vtimer_irq < 16 || platform.vtimer_irq > 31) {
		xtf_error("vtimer IRQ %u is not a PPI", platform.vtimer_irq);
	}
	if (!platform.ram_size || !platform.gicd_base || !platform.gicr_base) {
		xtf_error("RAM/GIC not found");
	}
	if ((read_sysreg(mpidr_el1) & MPIDR_AFF_MASK) !=
	    platform.cpu_mpidr[0]) {
		xtf_failure("vCPU 0 MPIDR %#lx, DT cpu@0 reg %#lx",
			    read_sysreg(mpidr_el1), platform.cpu_mpidr[0]);
	}
	if (!gic_this_redist()) {
		xtf_error("no redistributor");
	}
	printf("selftest: bootargs \"%s\", redistributor %#lx\n",
	       platform.bootargs, gic_this_redist());
}

static void check_memory(void)
{
	static uint8_t bytes[32] __aligned(16);
	volatile uint64_t *unaligned = (volatile uint64_t *)(bytes + 3);
	unsigned int counter = 0;
	spinlock_t lock = {0};

	if (!(read_sysreg(sctlr_el1) & 1)) {
		xtf_error("MMU off");
	}
	*unaligned = 0x1122334455667788ULL;
	if (*unaligned != 0x1122334455667788ULL || bytes[3] != 0x88) {
		xtf_error("unaligned access on normal memory broken");
	}
	spin_lock(&lock);
	atomic_inc(&counter);
	spin_unlock(&lock);
	if (counter != 1 || lock.locked) {
		xtf_error("exclusives broken");
	}
}

static bool brk_hook(struct cpu_regs *regs, uint64_t esr, uint64_t far)
{
	(void)far;
	if (ESR_EC(esr) != ESR_EC_BRK64) {
		return false;
	}
	brk_esr = esr;
	brk_seen++;
	regs->elr += 4;
	return true;
}

static void check_exceptions(void)
{
	traps_set_sync_hook(brk_hook);
	__asm__ volatile("brk #0x123" : : : "memory");
	traps_set_sync_hook(NULL);
	if (brk_seen != 1 || (brk_esr & 0xffff) != 0x123) {
		xtf_error("BRK: seen %u times, ESR %#lx", brk_seen, brk_esr);
	}
}

void test_main(void)
{
	check_format();
	check_platform();
	check_memory();
	check_exceptions();
	xtf_success();
}
