/*
 * passthrough-irq: booted as dom0, the guest owns QEMU virt's PL031 RTC
 * (found in its device tree) and its level-triggered SPI, which the
 * hypervisor forwards. Setting IMSC and writing MR equal to DR raises
 * the line at once; writing ICR lowers it. With IRQs masked, the guest
 * polls ICC_IAR1_EL1 and checks that:
 *   - each raise is delivered once, and N rounds deliver exactly N;
 *   - a line still asserted when the guest ends the interrupt comes back;
 *   - a line cleared before the end does not come back;
 *   - with split EOI (ICC_CTLR_EL1.EOImode 1), a still-asserted line is
 *     not delivered after the priority drop, only after ICC_DIR_EL1;
 *   - disabled at the virtual distributor (ICENABLER) it is not delivered,
 *     and enabling it with the line still asserted delivers it;
 *   - made pending with ISPENDR (line low, or while active) it is
 *     delivered once more, and the device's line still works afterwards;
 *   - routed to vCPU 1 (GICD_IROUTER), each raise is handled there and
 *     never on vCPU 0; routed back, vCPU 0 gets it again.
 */
#include <xtf.h>

const char test_title[] = "Forwarded level SPI (PL031) to dom0";

#define RTC_DR 0x00
#define RTC_MR 0x04
#define RTC_IMSC 0x10
#define RTC_RIS 0x14
#define RTC_ICR 0x1c

#define GICD_ISENABLER(n) (0x0100 + 4 * (n))
#define GICD_ICENABLER(n) (0x0180 + 4 * (n))
#define GICD_ISPENDR(n) (0x0200 + 4 * (n))
#define GICD_ICPENDR(n) (0x0280 + 4 * (n))
#define GICD_IPRIORITYR(n) (0x0400 + 4 * (n))
#define GICD_ICFGR(n) (0x0c00 + 4 * (n))
#define GICD_IROUTER(n) (0x6000 + 8 * (n))

#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_DIR_EL1 S3_0_C12_C11_1
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_CTLR_EOIMODE (1U << 1)

#define ARRIVE_US 200000 /* how long a raised line may take to arrive */
#define QUIET_US 20000 /* how long a line that must not arrive is watched */
#define ROUNDS 8
#define REASSERTS 4

static inline void writeq(uint64_t v, uint64_t addr)
{
	__asm__ volatile("str %0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static uint64_t rtc;
static unsigned int spi;

/* The PL031's registers and SPI, from the device tree. */
static int find_rtc(void)
{
	const void *fdt = platform.fdt;
	int node = fdt_find_compatible(fdt, -1, "arm,pl031");
	unsigned int ac = fdt_getprop_u32(fdt, 0, "#address-cells", 2);
	const uint32_t *p;
	int len;

	if (node < 0) {
		return -1;
	}
	p = fdt_getprop(fdt, node, "reg", &len);
	if (!p || (unsigned int)len < ac * 4) {
		return -1;
	}
	rtc = fdt_read_cells(&p, ac);
	p = fdt_getprop(fdt, node, "interrupts", &len);
	if (!p || len < 12 || fdt32_to_cpu(p[0]) != 0) {
		return -1; /* not an SPI of a 3-cell GIC binding */
	}
	spi = fdt32_to_cpu(p[1]) + 32;
	return 0;
}

/* The next interrupt acknowledged within us microseconds, or 1023. */
static unsigned int poll_ack(uint64_t us)
{
	uint64_t give_up = timer_now() + timer_us_to_ticks(us);
	unsigned int intid;

	do {
		intid = (unsigned int)read_sysreg(ICC_IAR1_EL1) & 0xffffff;
		if (intid < GIC_SPURIOUS) {
			return intid;
		}
	} while (!timer_expired(give_up));
	return 1023;
}

static void eoi(unsigned int intid)
{
	write_sysreg(intid, ICC_EOIR1_EL1);
	isb();
}

/* Raise the RTC's line: match now, interrupt unmasked. */
static bool raise_line(void)
{
	unsigned int tries;

	writel(1, rtc + RTC_IMSC);
	for (tries = 0; tries < 5; tries++) {
		/* DR may tick between the read and the write: then MR is in
		 * the past and nothing matches, so try again. */
		writel(readl(rtc + RTC_DR), rtc + RTC_MR);
		if (readl(rtc + RTC_RIS) & 1) {
			return true;
		}
	}
	xtf_error("the PL031 did not raise its interrupt");
	return false;
}

static void clear_line(void)
{
	writel(1, rtc + RTC_ICR);
}

/* Wait for the RTC's SPI; anything else is a failure. */
static bool expect_spi(const char *what)
{
	unsigned int intid = poll_ack(ARRIVE_US);

	if (intid == spi) {
		return true;
	}
	if (intid == 1023) {
		xtf_failure("%s: SPI %u not delivered", what, spi);
	} else {
		xtf_failure("%s: got interrupt %u, not %u", what, intid, spi);
		eoi(intid);
	}
	return false;
}

/* Nothing may be delivered for a while. */
static bool expect_quiet(const char *what)
{
	unsigned int intid = poll_ack(QUIET_US);

	if (intid == 1023) {
		return true;
	}
	xtf_failure("%s: interrupt %u delivered", what, intid);
	eoi(intid);
	return false;
}

/* Lower the line, end the delivered interrupt, and expect nothing more. */
static bool clear_and_end(const char *what)
{
	clear_line();
	eoi(spi);
	return expect_quiet(what);
}

/* N raises, each cleared before the end of the interrupt: N deliveries. */
static bool test_rounds(void)
{
	unsigned int i;

	for (i = 0; i < ROUNDS; i++) {
		if (!raise_line() || !expect_spi("round")) {
			return false;
		}
		if (!clear_and_end("after a cleared round")) {
			return false;
		}
	}
	printf("passthrough-irq: %u rounds, %u interrupts\n", ROUNDS, ROUNDS);
	return true;
}

/* Ended with the line still high: it comes back, until cleared. */
static bool test_reassert(void)
{
	unsigned int i;

	if (!raise_line() || !expect_spi("raise")) {
		return false;
	}
	for (i = 0; i < REASSERTS; i++) {
		eoi(spi);
		if (!expect_spi("level still asserted after EOI")) {
			return false;
		}
	}
	if (!clear_and_end("cleared after re-assertions")) {
		return false;
	}
	printf("passthrough-irq: came back %u times while asserted\n",
	       REASSERTS);
	return true;
}

/* EOImode 1: the priority drop leaves it active, ICC_DIR_EL1 ends it. */
static bool test_split_eoi(void)
{
	bool ok = false;

	write_sysreg(ICC_CTLR_EOIMODE, ICC_CTLR_EL1);
	isb();
	if (raise_line() && expect_spi("split EOI")) {
		eoi(spi);
		if (expect_quiet("active after the priority drop")) {
			write_sysreg(spi, ICC_DIR_EL1);
			isb();
			ok = expect_spi("asserted after ICC_DIR_EL1");
			clear_line();
			eoi(spi);
			write_sysreg(spi, ICC_DIR_EL1);
			isb();
			ok = ok && expect_quiet("cleared after split EOI");
		}
	}
	write_sysreg(0, ICC_CTLR_EL1);
	isb();
	if (ok) {
		printf("passthrough-irq: split EOI held it until DIR\n");
	}
	return ok;
}

/* Disabled at the virtual distributor: held back until enabled. */
static bool test_mask(void)
{
	uint32_t bit = 1U << (spi % 32);
	bool ok = false;

	writel(bit, platform.gicd_base + GICD_ICENABLER(spi / 32));
	if (raise_line() && expect_quiet("disabled in GICD_ICENABLER")) {
		writel(bit, platform.gicd_base + GICD_ISENABLER(spi / 32));
		if (expect_spi("enabled with the line asserted")) {
			ok = clear_and_end("cleared after enable");
		}
	}
	if (ok) {
		printf("passthrough-irq: masked, then delivered on enable\n");
	}
	return ok;
}

static void set_pending(void)
{
	writel(1U << (spi % 32), platform.gicd_base + GICD_ISPENDR(spi / 32));
}

/* Pending from the distributor: once, then the line works as before. */
static bool test_soft_pending(void)
{
	set_pending();
	if (!expect_spi("ISPENDR with the line low")) {
		return false;
	}
	eoi(spi);
	if (!expect_quiet("after the ISPENDR interrupt") || !raise_line() ||
	    !expect_spi("line raised after ISPENDR")) {
		return false;
	}
	clear_line();
	set_pending(); /* pending and active */
	eoi(spi);
	if (!expect_spi("ISPENDR while active")) {
		return false;
	}
	eoi(spi);
	if (!expect_quiet("after ISPENDR while active") || !raise_line() ||
	    !expect_spi("line raised after pending and active")) {
		return false;
	}
	if (!clear_and_end("cleared after ISPENDR rounds")) {
		return false;
	}
	printf("passthrough-irq: ISPENDR delivered once, line still works\n");
	return true;
}

static unsigned int v1_got, v1_other, v1_done;
static bool v1_stop;

/* vCPU 1: take the RTC's SPI whenever it comes, until told to stop. */
static void vcpu1_main(void *arg)
{
	unsigned int intid;

	(void)arg;
	local_irq_disable();
	while (!READ_ONCE(v1_stop)) {
		intid = (unsigned int)read_sysreg(ICC_IAR1_EL1) & 0xffffff;
		if (intid == spi) {
			clear_line();
			eoi(spi);
			atomic_inc(&v1_got);
		} else if (intid < GIC_SPURIOUS) {
			WRITE_ONCE(v1_other, intid);
			eoi(intid);
		}
	}
	WRITE_ONCE(v1_done, 1);
}

static void route_to(unsigned int cpu)
{
	writeq(platform.cpu_mpidr[cpu] & MPIDR_AFF_MASK,
	       platform.gicd_base + GICD_IROUTER(spi));
}

/* Each raise routed to vCPU 1 is handled there, none on vCPU 0. */
static bool rounds_on_vcpu1(void)
{
	uint64_t give_up;
	unsigned int i;

	for (i = 0; i < ROUNDS; i++) {
		if (!raise_line()) {
			return false;
		}
		give_up = timer_now() + timer_us_to_ticks(ARRIVE_US);
		while (atomic_read(&v1_got) <= i && !timer_expired(give_up)) {
			cpu_relax();
		}
		if (atomic_read(&v1_got) != i + 1) {
			xtf_failure("routed to vCPU 1: %u of %u raises handled",
				    atomic_read(&v1_got), i + 1);
			return false;
		}
	}
	return expect_quiet("on vCPU 0 while routed to vCPU 1");
}

static bool test_route(void)
{
	bool ok;

	if (platform.nr_cpus < 2 || smp_start_cpu(1, vcpu1_main, NULL) ||
	    !smp_wait_online(2, 1000000)) {
		xtf_error("vCPU 1 did not start");
		return false;
	}
	route_to(1);
	ok = rounds_on_vcpu1();
	WRITE_ONCE(v1_stop, true);
	while (!READ_ONCE(v1_done)) {
		cpu_relax();
	}
	timer_busy_wait_us(10000); /* vCPU 1 calls CPU_OFF */
	if (READ_ONCE(v1_other)) {
		xtf_failure("vCPU 1 got interrupt %u", READ_ONCE(v1_other));
		ok = false;
	}
	route_to(0);
	if (!ok || !raise_line() || !expect_spi("routed back to vCPU 0")) {
		return false;
	}
	if (!clear_and_end("cleared after routing back")) {
		return false;
	}
	printf("passthrough-irq: %u raises on vCPU 1, then back on vCPU 0\n",
	       ROUNDS);
	return true;
}

void test_main(void)
{
	uint32_t cfg, prio;

	local_irq_disable();
	if (find_rtc()) {
		xtf_skip("no PL031 with an SPI in the device tree");
		return;
	}
	printf("passthrough-irq: PL031 at %#lx, SPI %u\n", rtc, spi);
	writel(0, rtc + RTC_IMSC);
	clear_line();
	prio = readl(platform.gicd_base + GICD_IPRIORITYR(spi / 4));
	prio &= ~(0xffU << (8 * (spi % 4)));
	prio |= 0xa0U << (8 * (spi % 4));
	writel(prio, platform.gicd_base + GICD_IPRIORITYR(spi / 4));
	cfg = readl(platform.gicd_base + GICD_ICFGR(spi / 16));
	cfg &= ~(2U << (2 * (spi % 16))); /* level */
	writel(cfg, platform.gicd_base + GICD_ICFGR(spi / 16));
	route_to(0);
	writel(1U << (spi % 32), platform.gicd_base + GICD_ICPENDR(spi / 32));
	gic_enable_irq(spi);
	if (!expect_quiet("before the line was raised")) {
		return;
	}
	if (test_rounds() && test_reassert() && test_split_eoi() &&
	    test_mask() && test_soft_pending() && test_route()) {
		xtf_success();
	}
	writel(0, rtc + RTC_IMSC);
}
