/*
 * Host GICv3 driver. Every interrupt is Group 1, priority 0xa0, EOImode 1:
 * the end of an interrupt is a priority drop (gicv3_eoi()) and a separate
 * deactivation (gicv3_deactivate()), which for an interrupt forwarded to a
 * guest the guest does itself, through a hardware list register.
 */
#include <hv/mmio.h>
#include <hv/smp.h>
#include <hv/time.h>

#include <asm/cpu.h>
#include <asm/gicv3-defs.h>
#include <asm/sysregs.h>

#include "gicv3.h"

/* EnableGrp1 and EnableGrp1A (of the non-secure view), and ARE. */
#define GICD_CTLR_ENABLE                                                       \
	(GICD_CTLR_ENABLE_G1 | GICD_CTLR_ENABLE_G1A | GICD_CTLR_ARE)

#define DEFAULT_PRIORITY 0xa0U
#define PRIORITY_WORD                                                          \
	((DEFAULT_PRIORITY << 24) | (DEFAULT_PRIORITY << 16) |                 \
	 (DEFAULT_PRIORITY << 8) | DEFAULT_PRIORITY)

static paddr_t gicd;
static paddr_t gicr_region;
static uint64_t gicr_region_size;
static uint64_t gicr_stride;
static unsigned int nr_lines;
/* Each CPU's redistributor, found by gicv3_cpu_init(). */
static paddr_t cpu_redist[NR_CPUS];

static void wait_rwp(paddr_t reg)
{
	s_time_t deadline = time_now() + MILLISECS(100);

	while ((mmio_read32(reg) & GICD_CTLR_RWP) != 0U) {
		if (time_now() > deadline) {
			break;
		}
	}
}

void gicv3_init(paddr_t dist, paddr_t redist, uint64_t redist_size,
		uint64_t stride)
{
	unsigned int i;

	gicd = dist;
	gicr_region = redist;
	gicr_region_size = redist_size;
	gicr_stride = stride;
	nr_lines =
		(GICD_TYPER_ITLINES(mmio_read32(gicd + GICD_TYPER)) + 1U) * 32U;
	if (nr_lines > GIC_SPURIOUS) {
		nr_lines = GIC_SPURIOUS;
	}
	mmio_write32(gicd + GICD_CTLR, 0);
	wait_rwp(gicd + GICD_CTLR);
	for (i = GIC_SPI_BASE; i < nr_lines; i += 32U) {
		mmio_write32(gicd + GICD_ICENABLER + (i / 8U), 0xffffffffU);
		mmio_write32(gicd + GICD_IGROUPR + (i / 8U), 0xffffffffU);
	}
	for (i = GIC_SPI_BASE; i < nr_lines; i += 4U) {
		mmio_write32(gicd + GICD_IPRIORITYR + i, PRIORITY_WORD);
	}
	for (i = GIC_SPI_BASE; i < nr_lines; i += 16U) {
		mmio_write32(gicd + GICD_ICFGR + (i / 4U), 0); /* level */
	}
	wait_rwp(gicd + GICD_CTLR);
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ENABLE);
	wait_rwp(gicd + GICD_CTLR);
}

static paddr_t find_redist(uint64_t mpidr)
{
	uint32_t aff = gicr_typer_aff(mpidr);
	paddr_t rd = gicr_region;
	uint64_t typer;
	uint64_t step;

	while ((rd + GICR_SIZE) <= (gicr_region + gicr_region_size)) {
		typer = mmio_read64(rd + GICR_TYPER);
		if ((uint32_t)(typer >> GICR_TYPER_AFF_SHIFT) == aff) {
			return rd;
		}
		if ((typer & GICR_TYPER_LAST) != 0U) {
			break;
		}
		step = (gicr_stride != 0U) ? gicr_stride
					   : (((typer & GICR_TYPER_VLPIS) != 0U)
						      ? GICR_SIZE_VLPIS
						      : GICR_SIZE);
		rd += step;
	}
	return 0;
}

static void wake_redist(paddr_t rd)
{
	s_time_t deadline = time_now() + MILLISECS(100);
	uint32_t waker = mmio_read32(rd + GICR_WAKER);

	mmio_write32(rd + GICR_WAKER, waker & ~GICR_WAKER_SLEEP);
	while ((mmio_read32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP) != 0U) {
		if (time_now() > deadline) {
			break;
		}
	}
}

static void init_cpu_interface(void)
{
	/* SRE and Enable: system registers for EL2 and for EL1. */
	WRITE_SYSREG(ICC_SRE_EL2,
		     READ_SYSREG(ICC_SRE_EL2) | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	WRITE_SYSREG(ICC_PMR_EL1, 0xffU); /* all priorities */
	WRITE_SYSREG(ICC_BPR1_EL1, 0U);
	WRITE_SYSREG(ICC_CTLR_EL1, ICC_CTLR_EOIMODE);
	WRITE_SYSREG(ICC_IGRPEN1_EL1, 1U);
	isb();
}

bool gicv3_cpu_init(uint64_t mpidr)
{
	paddr_t rd = find_redist(mpidr);
	paddr_t sgi;
	unsigned int i;

	if (rd == 0U) {
		return false;
	}
	cpu_redist[smp_processor_id()] = rd;
	sgi = rd + GICR_SGI_BASE;
	wake_redist(rd);
	mmio_write32(sgi + GICD_ICENABLER, 0xffffffffU);
	mmio_write32(sgi + GICD_IGROUPR, 0xffffffffU);
	for (i = 0; i < 32U; i += 4U) {
		mmio_write32(sgi + GICD_IPRIORITYR + i, PRIORITY_WORD);
	}
	wait_rwp(rd + GICR_CTLR);
	init_cpu_interface();
	return true;
}

void gicv3_enable_irq(unsigned int intid, uint64_t mpidr)
{
	uint32_t bit = 1U << (intid % 32U);
	paddr_t rd;

	if (intid < GIC_SPI_BASE) {
		rd = cpu_redist[smp_processor_id()];
		if (rd != 0U) {
			mmio_write32(rd + GICR_SGI_BASE + GICD_ISENABLER, bit);
		}
		return;
	}
	if (intid >= nr_lines) {
		return;
	}
	gicv3_route_irq(intid, mpidr);
	mmio_write32(gicd + GICD_ISENABLER + ((intid / 32U) * 4U), bit);
}

void gicv3_route_irq(unsigned int intid, uint64_t mpidr)
{
	if ((intid >= GIC_SPI_BASE) && (intid < nr_lines)) {
		/* GICD_IROUTER holds the affinity as MPIDR does (IRM = 0). */
		mmio_write64(gicd + GICD_IROUTER + (8U * intid),
			     mpidr & MPIDR_AFF_MASK);
	}
}

void gicv3_disable_irq(unsigned int intid)
{
	uint32_t bit = 1U << (intid % 32U);

	if ((intid >= GIC_SPI_BASE) && (intid < nr_lines)) {
		mmio_write32(gicd + GICD_ICENABLER + ((intid / 32U) * 4U), bit);
	}
}

void gicv3_send_sgi(unsigned int sgi, uint64_t mpidr)
{
	uint64_t aff0 = mpidr & 0xffU;
	uint64_t val = (1ULL << (aff0 % 16U)) |
		       (((mpidr >> 8) & 0xffU) << ICC_SGI1R_AFF1_SHIFT) |
		       ((uint64_t)(sgi & 0xfU) << ICC_SGI1R_INTID_SHIFT) |
		       (((mpidr >> 16) & 0xffU) << ICC_SGI1R_AFF2_SHIFT) |
		       ((aff0 / 16U) << ICC_SGI1R_RS_SHIFT) |
		       (((mpidr >> 32) & 0xffU) << ICC_SGI1R_AFF3_SHIFT);

	dsb_ish();
	WRITE_SYSREG(ICC_SGI1R_EL1, val);
	isb();
}

unsigned int gicv3_ack(void)
{
	uint64_t iar = READ_SYSREG(ICC_IAR1_EL1);

	dsb_sy();
	return (unsigned int)(iar & ICC_IAR_INTID_MASK);
}

void gicv3_eoi(unsigned int intid)
{
	WRITE_SYSREG(ICC_EOIR1_EL1, intid);
	isb();
}

void gicv3_deactivate(unsigned int intid)
{
	WRITE_SYSREG(ICC_DIR_EL1, intid);
	isb();
}

void gicv3_set_pending(unsigned int intid, bool pending)
{
	uint32_t reg = pending ? GICD_ISPENDR : GICD_ICPENDR;

	if ((intid >= GIC_SPI_BASE) && (intid < nr_lines)) {
		mmio_write32(gicd + reg + ((intid / 32U) * 4U),
			     1U << (intid % 32U));
	}
}

void gicv3_clear_active(unsigned int intid)
{
	if ((intid >= GIC_SPI_BASE) && (intid < nr_lines)) {
		mmio_write32(gicd + GICD_ICACTIVER + ((intid / 32U) * 4U),
			     1U << (intid % 32U));
	}
}

unsigned int gicv3_nr_lines(void)
{
	return nr_lines;
}
