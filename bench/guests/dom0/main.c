/*
 * dom0: booted as the hardware domain (dom0_mem=512M), not as a dom0less
 * domU. Two figures:
 *
 *   boot_to_dom0     reset to dom0's first instruction: booted as
 *                    dom0-stamped.bin (boot-prefix.S, as the boot
 *                    benchmark), whose first instruction reads CNTPCT_EL0
 *   passthrough_irq  a device interrupt passed through to dom0: QEMU virt's
 *                    PL031 RTC (its SPI, from the device tree). With its
 *                    interrupt unmasked (IMSC), writing MR = DR makes QEMU
 *                    raise the level interrupt at once; figure = CNTVCT at
 *                    the entry of the guest's handler (after the runtime's
 *                    vector and ICC_IAR1 read) minus CNTVCT just before the
 *                    MR write. The handler clears it (ICR), the runtime
 *                    EOIs. The vCPU spins with IRQs unmasked.
 *
 * No exit between samples: the guest's EOI of the last one deactivates
 * the physical interrupt itself (a hypervisor that unmasks the line only
 * at the guest's next exit would never raise the next one).
 *
 * The RTC's second may change between the DR read and the MR write (then
 * MR is in the past and nothing is raised): such a sample is taken again.
 */
#include <bench.h>
#include <xen/version.h>

const char test_title[] = "Benchmark: reset to dom0, passthrough interrupt";

#define PL031_DR 0x00
#define PL031_MR 0x04
#define PL031_IMSC 0x10
#define PL031_ICR 0x1c
#define SPI_BASE 32
#define SAMPLES 200
#define TRIES 3
#define PATIENCE_US 1000

static uint64_t samples[SAMPLES];
static uint64_t rtc;
static volatile uint64_t fired_at;
static volatile unsigned int fired;

static void rtc_irq(unsigned int intid)
{
	(void)intid;
	fired_at = bench_vct();
	fired = 1;
	writel(1, rtc + PL031_ICR);
}

/* The PL031's MMIO base and INTID; -1 if the tree has none usable. */
static int find_rtc(uint64_t *base, unsigned int *intid)
{
	const void *fdt = platform.fdt;
	int node = fdt_find_compatible(fdt, -1, "arm,pl031");
	unsigned int ac = fdt_getprop_u32(fdt, 0, "#address-cells", 2);
	const uint32_t *reg, *irq;
	int len, ilen;

	if (node < 0)
		return -1;
	reg = fdt_getprop(fdt, node, "reg", &len);
	irq = fdt_getprop(fdt, node, "interrupts", &ilen);
	if (!reg || len < (int)(ac * 4) || !irq || ilen < 12 ||
	    fdt32_to_cpu(irq[0]) != 0) /* an SPI */
		return -1;
	*base = fdt_read_cells(&reg, ac);
	*intid = fdt32_to_cpu(irq[1]) + SPI_BASE;
	return 0;
}

/* One interrupt: false if none came (the second changed: try again). */
static bool one(uint64_t *latency)
{
	uint32_t now = readl(rtc + PL031_DR);
	uint64_t start, give_up;

	fired = 0;
	start = bench_vct();
	writel(now, rtc + PL031_MR);
	give_up = start + timer_us_to_ticks(PATIENCE_US);
	while (!fired && bench_vct() < give_up)
		cpu_relax();
	if (!fired)
		return false;
	*latency = fired_at - start;
	return true;
}

static void measure_irq(void)
{
	unsigned int intid, i, tries;

	if (find_rtc(&rtc, &intid)) {
		bench_unsupported("passthrough_irq",
				  "no arm,pl031 SPI in dom0's tree");
		return;
	}
	irq_set_handler(intid, rtc_irq);
	gic_enable_irq(intid);
	writel(1, rtc + PL031_ICR);
	writel(1, rtc + PL031_IMSC);
	local_irq_enable();
	for (i = 0; i < SAMPLES; i++) {
		for (tries = 0; tries < TRIES && !one(&samples[i]); tries++)
			;
		if (tries == TRIES) {
			local_irq_disable();
			xtf_failure("passthrough_irq: sample %u: no interrupt "
				    "from the PL031 (INTID %u)", i, intid);
			return;
		}
	}
	local_irq_disable();
	writel(0, rtc + PL031_IMSC);
	gic_disable_irq(intid);
	printf("dom0: PL031 at %#lx, INTID %u\n", rtc, intid);
	bench_report("passthrough_irq", samples, SAMPLES, 1);
}

void test_main(void)
{
	uint64_t stamp = bench_boot_stamp();

	if (!stamp) {
		xtf_error("no entry stamp (not dom0-stamped.bin?)");
		return;
	}
	printf("bench: boot_to_dom0 %lu ticks min=%lu max=%lu n=1 per=1\n",
	       stamp, stamp, stamp);
	measure_irq();
	xtf_success();
}
