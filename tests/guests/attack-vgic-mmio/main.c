/*
 * attack-vgic-mmio: the emulated GIC under hostile accesses.
 *  - Every register offset of the distributor's first 4 KiB, the IROUTER
 *    and ID ranges, and the redistributor's RD and SGI frames, read with
 *    every size (1, 2, 4, 8 bytes) and written back with what was read,
 *    plus misaligned accesses: each access either completes or gives the
 *    guest a data abort (EC 0x25), as Xen 4.17 (RAZ/WI or an injected
 *    abort) - never anything else, never a hypervisor fault.
 *  - Redistributor frames past the last vCPU's: abort or RAZ, never an
 *    alias of vCPU 0's frame (its GICR_TYPER, its WAKER state).
 *  - GICD_IROUTER with bogus values (IRM, Aff3, all ones), SPI and SGI
 *    ranges (XSA-159/XSA-303-like vGIC state corruption).
 *  - ICC_SGI1R_EL1 with odd fields: an empty target list, target-list
 *    bits or Aff1 naming vCPUs that do not exist, IRM with no other vCPU,
 *    RES0 bits: no SGI reaches this (only) vCPU; the plain self-SGI does.
 *    Xen 4.17 ignores Aff2, Aff3 and RS (it "assumes only AFF1 is used")
 *    and delivers an SGI for Aff2, Aff3 or RS of 1 to vCPU 0: these checks
 *    come last and fail on Xen 4.17 (at the first, Aff2).
 *  - All ones written to every distributor and SGI-frame register, then
 *    every interrupt enabled, pending, inactive, priority 0xa0: the vCPU
 *    acknowledges each SGI, PPI and SPI exactly once (far more than the
 *    list registers hold); switched off again, nothing more arrives.
 * After the fuzz the GIC is set up again and an SGI and the timer still
 * arrive.
 */
#include <xtf.h>

const char test_title[] = "Attack: vGIC MMIO fuzz, IROUTER, SGI1R odd fields "
			  "(XSA-159/303-like)";

#define GICR_FRAME 0x20000UL
#define GICR_SGI 0x10000UL
#define POISON 0x5a5a5a5a5a5a5a5aULL
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define SGI_ODD 5U
#define SGI_PING 3U

static volatile unsigned int aborts, others;
static volatile uint64_t last_esr;
static unsigned int done, aborted;

static bool hook(struct cpu_regs *regs, uint64_t esr, uint64_t far)
{
	(void)far;
	if (ESR_EC(esr) != ESR_EC_DABT_CUR) {
		return false;
	}
	last_esr = esr;
	aborts++;
	regs->elr += 4; /* skip the access */
	return true;
}

/* One access; false if it gave a data abort. */
static bool rd(uint64_t addr, unsigned int size, uint64_t *val)
{
	unsigned int before = aborts;
	uint64_t v = POISON;

	switch (size) {
	case 1:
		__asm__ volatile("ldrb %w0, [%1]"
				 : "+r"(v)
				 : "r"(addr)
				 : "memory");
		break;
	case 2:
		__asm__ volatile("ldrh %w0, [%1]"
				 : "+r"(v)
				 : "r"(addr)
				 : "memory");
		break;
	case 4:
		__asm__ volatile("ldr %w0, [%1]"
				 : "+r"(v)
				 : "r"(addr)
				 : "memory");
		break;
	default:
		__asm__ volatile("ldr %0, [%1]"
				 : "+r"(v)
				 : "r"(addr)
				 : "memory");
		break;
	}
	*val = v;
	done++;
	if (aborts != before) {
		aborted++;
	}
	return aborts == before;
}

static bool wr(uint64_t addr, unsigned int size, uint64_t v)
{
	unsigned int before = aborts;

	switch (size) {
	case 1:
		__asm__ volatile("strb %w0, [%1]"
				 :
				 : "r"(v), "r"(addr)
				 : "memory");
		break;
	case 2:
		__asm__ volatile("strh %w0, [%1]"
				 :
				 : "r"(v), "r"(addr)
				 : "memory");
		break;
	case 4:
		__asm__ volatile("str %w0, [%1]"
				 :
				 : "r"(v), "r"(addr)
				 : "memory");
		break;
	default:
		__asm__ volatile("str %0, [%1]"
				 :
				 : "r"(v), "r"(addr)
				 : "memory");
		break;
	}
	done++;
	if (aborts != before) {
		aborted++;
	}
	return aborts == before;
}

/* Every size at every 4-byte offset of [from, to): read, write back. */
static void sweep(uint64_t base, uint64_t from, uint64_t to)
{
	static const unsigned int sizes[] = {1, 2, 4, 8};
	uint64_t off, v;
	unsigned int i;

	for (off = from; off < to; off += 4) {
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			if (sizes[i] == 8 && (off & 7)) {
				continue;
			}
			if (rd(base + off, sizes[i], &v)) {
				(void)wr(base + off, sizes[i], v);
			}
		}
	}
}

/* Misaligned: on hardware the guest's own MMU faults them (Device
 * memory); QEMU lets them through to the hypervisor, which either
 * emulates them (Xen 4.17 and Xenon take the aligned register) or
 * aborts. Either is fine; a fault in the hypervisor is not. */
static void misaligned(uint64_t addr)
{
	uint64_t v;

	(void)rd(addr + 1, 2, &v);
	(void)rd(addr + 2, 4, &v);
	(void)rd(addr + 4, 8, &v);
	(void)rd(addr + 3, 4, &v);
	(void)wr(addr + 1, 2, v);
	(void)wr(addr + 2, 4, v);
	(void)wr(addr + 4, 8, v);
}

static bool fuzz_mmio(void)
{
	uint64_t d = platform.gicd_base, r = gic_this_redist();
	unsigned int first = done;

	sweep(d, 0, 0x1000);
	sweep(d, 0x6000, 0x6200); /* IROUTER of SGIs/PPIs (reserved), SPIs */
	sweep(d, 0x7f00, 0x8000);
	sweep(d, 0xc000, 0xc080); /* reserved */
	sweep(d, 0xffc0, 0x10000); /* ID registers */
	sweep(r, 0, 0x200);
	sweep(r, 0xffc0, 0x10000);
	sweep(r, GICR_SGI, GICR_SGI + 0xd00);
	misaligned(d);
	misaligned(d + 0x400);
	misaligned(d + 0x6100);
	misaligned(r);
	misaligned(r + GICR_SGI + 0x400);
	printf("attack-vgic-mmio: %u accesses, %u gave a data abort (last "
	       "ESR_EL1 %#lx)\n",
	       done - first, aborted, (unsigned long)last_esr);
	return true;
}

/* Frames past the last vCPU's: an abort, or values that are not vCPU 0's. */
static bool past_last_frame(void)
{
	uint64_t r0 = gic_this_redist(), typer0, waker0, v;
	uint64_t end = platform.gicr_base + platform.gicr_size;
	uint64_t frame = platform.gicr_base + platform.nr_cpus * GICR_FRAME;
	unsigned int n = 0, answered = 0;

	if (!rd(r0 + 8, 8, &typer0) || !rd(r0 + 0x14, 4, &waker0)) {
		xtf_failure("vCPU 0's GICR_TYPER/WAKER abort");
		return false;
	}
	for (; frame + GICR_FRAME <= end && n < 4; frame += GICR_FRAME, n++) {
		if (rd(frame + 8, 8, &v)) {
			answered++;
			if (v == typer0) {
				xtf_failure("GICR_TYPER at %#lx is vCPU 0's",
					    (unsigned long)frame);
				return false;
			}
		}
		(void)wr(frame + 0x14, 4, 2); /* WAKER.ProcessorSleep */
		(void)wr(frame + GICR_SGI + 0x180, 4, ~0U); /* ICENABLER0 */
		(void)rd(frame + GICR_SGI + 0x100, 4, &v);
	}
	(void)rd(end - 8, 8, &v);
	(void)wr(end - 8, 8, ~0ULL);
	(void)rd(end, 4, &v);
	if (!rd(r0 + 0x14, 4, &v) || v != waker0) {
		xtf_failure("vCPU 0's GICR_WAKER %#lx, was %#lx",
			    (unsigned long)v, (unsigned long)waker0);
		return false;
	}
	printf("attack-vgic-mmio: %u frames past the last vCPU, %u answered "
	       "a read, none is vCPU 0's\n",
	       n, answered);
	return true;
}

static bool bogus_irouter(void)
{
	static const uint64_t vals[] = {
		~0ULL,
		1ULL << 31,
		0xff00000000ULL,
		0x00ff00ffULL,
		0x0100000000ULL | (1ULL << 31),
		0xdead00beefULL,
	};
	uint64_t d = platform.gicd_base, typer, v;
	unsigned int i, spis;

	if (!rd(d + 4, 4, &typer)) {
		xtf_failure("GICD_TYPER aborts");
		return false;
	}
	spis = ((unsigned int)typer & 0x1f) * 32;
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		(void)wr(d + 0x6100, 8, vals[i]); /* SPI 32 */
		(void)rd(d + 0x6100, 8, &v);
		(void)wr(d + 0x6000 + 8 * 5, 8, vals[i]); /* SGI 5: reserved */
		(void)wr(d + 0x6000 + 8 * (spis + 32), 8, vals[i]); /* none */
		(void)wr(d + 0x6000 + 8 * 1020, 8, vals[i]);
		(void)wr(d + 0x7ff8, 8, vals[i]);
	}
	(void)wr(d + 0x6100, 8, 0);
	printf("attack-vgic-mmio: bogus IROUTER values taken (%u SPIs)\n",
	       spis);
	return true;
}

static unsigned int drained; /* interrupts acknowledged by drain() */

/* SGIs pending for this vCPU, acknowledged; IRQs are masked. */
static uint32_t drain(void)
{
	uint32_t seen = 0;
	unsigned int idle = 0;
	uint64_t intid;

	while (idle < 3) {
		intid = read_sysreg(ICC_IAR1_EL1) & 0xffffff;
		if (intid >= 1020 && intid <= 1023) {
			idle++;
			timer_busy_wait_us(100);
			continue;
		}
		if (intid < 32) {
			seen |= 1U << intid;
		}
		drained++;
		write_sysreg(intid, ICC_EOIR1_EL1);
		isb();
	}
	return seen;
}

/* Every register of [from, to) of base written with v, 4 bytes at once. */
static void fill(uint64_t base, uint64_t from, uint64_t to, uint32_t v)
{
	uint64_t off;

	for (off = from; off < to; off += 4) {
		(void)wr(base + off, 4, v);
	}
}

/*
 * All ones into every distributor and SGI-frame register: every interrupt
 * enabled, pending, edge, active, priority 0xff; then priority 0xa0 so
 * they are delivered, far more than there are list registers. The vCPU
 * acknowledges them with IRQs masked; then everything is switched off
 * again and nothing more arrives.
 */
static bool all_ones(void)
{
	uint64_t d = platform.gicd_base, sgi = gic_this_redist() + GICR_SGI;
	uint64_t typer;
	unsigned int first;

	(void)wr(d, 4, ~0U); /* GICD_CTLR */
	fill(d, 0x80, 0x1000, ~0U);
	fill(d, 0x6100, 0x8000, ~0U); /* IROUTER: Aff 0xff.., IRM */
	fill(sgi, 0x80, 0xd00, ~0U);
	/* Then every interrupt enabled, pending, inactive, at vCPU 0. */
	fill(d, 0x6100, 0x8000, 0);
	fill(d, 0x100, 0x180, ~0U); /* ISENABLER */
	fill(d, 0x200, 0x280, ~0U); /* ISPENDR */
	fill(d, 0x380, 0x400, ~0U); /* ICACTIVER */
	fill(sgi, 0x100, 0x104, ~0U);
	fill(sgi, 0x200, 0x204, ~0U);
	fill(sgi, 0x380, 0x384, ~0U);
	fill(d, 0x400, 0x800, 0xa0a0a0a0);
	fill(sgi, 0x400, 0x420, 0xa0a0a0a0);
	gic_dist_init();
	first = drained;
	(void)drain();
	printf("attack-vgic-mmio: all ones everywhere: %u interrupts "
	       "acknowledged\n",
	       drained - first);
	/* Each pending, enabled edge interrupt arrives exactly once. */
	if (!rd(d + 4, 4, &typer) ||
	    drained - first != ((unsigned int)typer & 0x1f) * 32 + 32) {
		xtf_failure("%u interrupts acknowledged, want %u (every SGI, "
			    "PPI and SPI once)",
			    drained - first,
			    ((unsigned int)typer & 0x1f) * 32 + 32);
		return false;
	}
	fill(d, 0x180, 0x200, ~0U); /* ICENABLER */
	fill(d, 0x280, 0x300, ~0U); /* ICPENDR */
	fill(d, 0x380, 0x400, ~0U); /* ICACTIVER */
	fill(d, 0xc00, 0xd00, 0); /* ICFGR: level */
	fill(sgi, 0x180, 0x184, ~0U);
	fill(sgi, 0x280, 0x284, ~0U);
	fill(sgi, 0x380, 0x384, ~0U);
	first = drained;
	(void)drain();
	if (drained != first) {
		xtf_failure("%u interrupts still arrive with all disabled",
			    drained - first);
		return false;
	}
	return true;
}

static bool sgi(const char *what, uint64_t sgir, bool to_self)
{
	uint32_t seen;

	write_sysreg(sgir | ((uint64_t)SGI_ODD << 24), ICC_SGI1R_EL1);
	isb();
	seen = drain();
	if (seen != (to_self ? 1U << SGI_ODD : 0)) {
		xtf_failure(
			"SGI1R %s (%#lx): SGIs %#x reached vCPU 0, want %#x",
			what, (unsigned long)(sgir | (SGI_ODD << 24)), seen,
			to_self ? 1U << SGI_ODD : 0);
		return false;
	}
	return true;
}

static bool odd_sgis(void)
{
	if (platform.nr_cpus != 1 || (platform.cpu_mpidr[0] & 0xff00ffffff)) {
		xtf_error("wants one vCPU with MPIDR affinity 0");
		return false;
	}
	gic_enable_irq(SGI_ODD);
	(void)drain();
	if (!sgi("to itself", 1, true) || !sgi("empty target list", 0, false) ||
	    !sgi("to vCPUs 1-15", 0xfffe, false) ||
	    !sgi("Aff1 1 (vCPU 16)", (1ULL << 16) | 1, false) ||
	    !sgi("Aff1 0xff, every target", (0xffULL << 16) | 0xffff, false) ||
	    !sgi("IRM, no other vCPU", 1ULL << 40, false) ||
	    !sgi("IRM with a target list", (1ULL << 40) | 0xffff, false) ||
	    !sgi("RES0 bits and itself", 0xff000000000001ULL & ~(0xffULL << 48),
		 true)) {
		return false;
	}
	printf("attack-vgic-mmio: odd SGI1R target fields reach nobody\n");
	return true;
}

/* Affinity levels Xen 4.17 ignores: last, as they fail there. */
static bool sgi_high_affinity(void)
{
	gic_enable_irq(SGI_ODD);
	(void)drain();
	if (!sgi("to itself", 1, true) ||
	    !sgi("Aff2 1", (1ULL << 32) | 1, false) ||
	    !sgi("Aff3 1", (1ULL << 48) | 1, false) ||
	    !sgi("RS 1", (1ULL << 44) | 1, false)) {
		return false;
	}
	printf("attack-vgic-mmio: SGIs for Aff2/Aff3/RS 1 reach nobody\n");
	return true;
}

static volatile unsigned int pings, ticks;

static void on_ping(unsigned int intid)
{
	(void)intid;
	pings++;
}

static void on_tick(unsigned int intid)
{
	(void)intid;
	ticks++;
	timer_disable();
}

/* Set the GIC up again, then an SGI and the timer must still arrive. */
static bool still_works(void)
{
	uint64_t give_up;

	pings = ticks = 0;
	gic_dist_init();
	if (gic_cpu_init()) {
		return false;
	}
	(void)drain();
	irq_set_handler(SGI_PING, on_ping);
	irq_set_handler(platform.vtimer_irq, on_tick);
	gic_enable_irq(SGI_PING);
	gic_enable_irq(platform.vtimer_irq);
	local_irq_enable();
	gic_send_sgi(SGI_PING, 0);
	timer_arm_at(timer_now() + timer_us_to_ticks(1000));
	give_up = timer_now() + timer_us_to_ticks(1000000);
	while ((!pings || !ticks) && !timer_expired(give_up)) {
		cpu_relax();
	}
	local_irq_disable();
	if (pings != 1 || ticks != 1) {
		xtf_failure("after the fuzz: %u SGIs, %u timer IRQs, want 1 "
			    "each",
			    pings, ticks);
		return false;
	}
	printf("attack-vgic-mmio: after the fuzz an SGI and the timer "
	       "arrive\n");
	return true;
}

void test_main(void)
{
	local_irq_disable();
	traps_set_sync_hook(hook);
	if (!fuzz_mmio() || !past_last_frame() || !bogus_irouter() ||
	    !all_ones() || !still_works() || !odd_sgis() || !still_works()) {
		return;
	}
	if (!sgi_high_affinity()) {
		return;
	}
	traps_set_sync_hook(NULL);
	xtf_success();
}
