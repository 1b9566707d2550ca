/* GICv3: distributor, redistributors, system-register CPU interface. */
#include <xtf/arch.h>
#include <xtf/console.h>
#include <xtf/gic.h>
#include <xtf/platform.h>
#include <xtf/report.h>
#include <xtf/smp.h>

#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_G1NS (1U << 1)
#define GICD_CTLR_ARE_NS (1U << 4)
#define GICD_ISENABLER(n) (0x0100 + 4 * (n))
#define GICD_ICENABLER(n) (0x0180 + 4 * (n))

#define GICR_FRAME_SIZE 0x20000 /* RD_base + SGI_base */
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP (1U << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1U << 2)
#define GICR_TYPER 0x0008
#define GICR_TYPER_LAST (1ULL << 4)
#define GICR_SGI 0x10000 /* SGI_base, from RD_base */
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI + 0x0180)
#define GICR_IPRIORITYR(n) (GICR_SGI + 0x0400 + 4 * (n))

#define IRQ_PRIORITY 0xa0a0a0a0U

/* ICC registers by encoding, so the assembler's naming does not matter. */
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SGI1R_EL1 S3_0_C12_C11_5

static irq_handler_t handlers[GIC_MAX_IRQ];
static uint64_t redist[MAX_CPUS];

uint64_t gic_this_redist(void)
{
	return redist[smp_processor_id()];
}

void irq_set_handler(unsigned int intid, irq_handler_t handler)
{
	if (intid < GIC_MAX_IRQ) {
		WRITE_ONCE(handlers[intid], handler);
	}
}

irq_handler_t irq_get_handler(unsigned int intid)
{
	return intid < GIC_MAX_IRQ ? READ_ONCE(handlers[intid]) : NULL;
}

void gic_dist_init(void)
{
	writel(GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1NS,
	       platform.gicd_base + GICD_CTLR);
}

/* Affinity as GICR_TYPER[63:32] encodes it: Aff3.Aff2.Aff1.Aff0. */
static uint32_t mpidr_to_typer_aff(uint64_t mpidr)
{
	return (uint32_t)((mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24);
}

static uint64_t find_redist(uint64_t mpidr)
{
	uint32_t aff = mpidr_to_typer_aff(mpidr);
	uint64_t rd = platform.gicr_base;
	uint64_t end = platform.gicr_base + platform.gicr_size;

	for (; rd + GICR_FRAME_SIZE <= end; rd += GICR_FRAME_SIZE) {
		uint64_t typer = readq(rd + GICR_TYPER);

		if ((uint32_t)(typer >> 32) == aff) {
			return rd;
		}
		if (typer & GICR_TYPER_LAST) {
			break;
		}
	}
	return 0;
}

int gic_cpu_init(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint64_t rd = find_redist(mpidr);
	unsigned int i;

	if (!rd) {
		xtf_error("no redistributor for MPIDR %#lx", mpidr);
		return -1;
	}
	redist[smp_processor_id()] = rd;

	writel(readl(rd + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP,
	       rd + GICR_WAKER);
	while (readl(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP) {
		cpu_relax();
	}
	writel(~0U, rd + GICR_IGROUPR0);
	writel(~0U, rd + GICR_ICENABLER0);
	for (i = 0; i < GIC_NR_LOCAL_IRQS / 4; i++) {
		writel(IRQ_PRIORITY, rd + GICR_IPRIORITYR(i));
	}

	write_sysreg(read_sysreg(ICC_SRE_EL1) | 1, ICC_SRE_EL1);
	isb();
	write_sysreg(0xff, ICC_PMR_EL1);
	write_sysreg(0, ICC_BPR1_EL1);
	write_sysreg(1, ICC_IGRPEN1_EL1);
	isb();
	return 0;
}

void gic_enable_irq(unsigned int intid)
{
	uint32_t bit = 1U << (intid % 32);

	if (intid < GIC_NR_LOCAL_IRQS) {
		writel(bit, gic_this_redist() + GICR_ISENABLER0);
	} else {
		writel(bit, platform.gicd_base + GICD_ISENABLER(intid / 32));
	}
}

void gic_disable_irq(unsigned int intid)
{
	uint32_t bit = 1U << (intid % 32);

	if (intid < GIC_NR_LOCAL_IRQS) {
		writel(bit, gic_this_redist() + GICR_ICENABLER0);
	} else {
		writel(bit, platform.gicd_base + GICD_ICENABLER(intid / 32));
	}
}

void gic_send_sgi(unsigned int intid, unsigned int cpu)
{
	uint64_t mpidr = platform.cpu_mpidr[cpu];
	uint64_t aff0 = mpidr & 0xff;
	uint64_t v = (1ULL << (aff0 & 0xf)) | /* TargetList */
		     (((mpidr >> 8) & 0xff) << 16) | /* Aff1 */
		     ((uint64_t)(intid & 0xf) << 24) | /* INTID */
		     (((mpidr >> 16) & 0xff) << 32) | /* Aff2 */
		     ((aff0 >> 4) << 44) | /* RS */
		     (((mpidr >> 32) & 0xff) << 48); /* Aff3 */

	dsb(ishst); /* data the receiver will read is visible first */
	write_sysreg(v, ICC_SGI1R_EL1);
	isb();
}

void gic_handle_irq(void)
{
	for (;;) {
		unsigned int intid = (unsigned int)read_sysreg(ICC_IAR1_EL1) &
				     0xffffff;
		irq_handler_t h;

		if (intid >= GIC_SPURIOUS && intid <= 1023) {
			return;
		}
		h = irq_get_handler(intid);
		if (h) {
			h(intid);
		} else {
			xtf_failure("unexpected interrupt %u on vCPU %u", intid,
				    smp_processor_id());
		}
		write_sysreg(intid, ICC_EOIR1_EL1);
		isb();
	}
}
