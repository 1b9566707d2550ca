/*
 * Virtual GICv3 distributor and redistributor registers, at the guest
 * addresses of Xen's public arch-arm.h. Affinity routing is always on;
 * there are no LPIs and a single security state (all Group 1).
 */
#include <hv/errno.h>
#include <hv/irq.h>
#include <hv/sched.h>
#include <hv/vmmio.h>

#include <xen/arch-arm.h>

#include <asm/cpu.h>
#include <asm/gicv3-defs.h>
#include <asm/vcpu.h>
#include <asm/vgic.h>
#include <drivers/gicv3.h>

/* GICD_IIDR and GICR_IIDR: implementer Arm, as Xen reports. */
#define IIDR_XENON 0x0000043bU

/* Registers with one bit per interrupt. */
enum bit_reg {
	REG_GROUP,
	REG_SET_ENABLE,
	REG_CLEAR_ENABLE,
	REG_SET_PENDING,
	REG_CLEAR_PENDING,
	REG_SET_ACTIVE,
	REG_CLEAR_ACTIVE,
};

static bool bit_value(const struct vgic_irq *irq, enum bit_reg reg)
{
	switch (reg) {
	case REG_GROUP:
		return true;
	case REG_SET_ENABLE:
	case REG_CLEAR_ENABLE:
		return irq->enabled;
	case REG_SET_PENDING:
	case REG_CLEAR_PENDING:
		return irq->pending;
	default:
		return irq->active;
	}
}

static void bit_write(struct vgic_irq *irq, enum bit_reg reg)
{
	switch (reg) {
	case REG_SET_ENABLE:
		irq->enabled = true;
		break;
	case REG_CLEAR_ENABLE:
		irq->enabled = false;
		break;
	case REG_SET_PENDING:
		if (irq->hw_intid != 0U) {
			/* At the physical GIC, as Xen does: it comes back as the
			 * device's own would, after the guest's deactivation if
			 * it is active. */
			gicv3_set_pending(irq->hw_intid, true);
		} else {
			irq->pending = true;
		}
		break;
	case REG_CLEAR_PENDING:
		if (irq->hw_intid != 0U) {
			gicv3_set_pending(irq->hw_intid, false);
		}
		irq->pending = irq->line_level && !irq->edge;
		break;
	case REG_SET_ACTIVE:
		irq->active = true;
		break;
	case REG_CLEAR_ACTIVE:
		irq->active = false;
		break;
	default:
		break; /* groups are fixed */
	}
}

/* Read or write 32 interrupts from first (lock held); kicks as needed. */
static uint32_t access_bits(struct domain *d, struct vcpu *v, uint32_t first,
			    enum bit_reg reg, bool write, uint32_t val,
			    uint64_t *kick_mask)
{
	struct vgic_irq *irq;
	struct vcpu *t;
	uint32_t out = 0;
	unsigned int i;

	for (i = 0; i < 32U; i++) {
		irq = vgic_get_irq(d, v, first + i);
		if (irq == NULL) {
			continue;
		}
		if (!write) {
			out |= bit_value(irq, reg) ? (1U << i) : 0U;
		} else if ((val & (1U << i)) != 0U) {
			bit_write(irq, reg);
			vgic_settle_hw(irq);
			t = vgic_queue(d, irq);
			*kick_mask |= (t != NULL) ? (1ULL << t->vcpu_id) : 0U;
		}
	}
	return out;
}

static uint64_t access_priority(struct domain *d, struct vcpu *v,
				uint32_t first, unsigned int size, bool write,
				uint64_t val)
{
	struct vgic_irq *irq;
	uint64_t out = 0;
	unsigned int i;

	for (i = 0; i < size; i++) {
		irq = vgic_get_irq(d, v, first + i);
		if (irq == NULL) {
			continue;
		}
		if (write) {
			irq->priority = (uint8_t)((val >> (8U * i)) & 0xf8U);
			if (irq->lr >= 0) {
				/* In another vCPU's list register: its next
				 * entry rebuilds them with the new priority. */
				WRITE_ONCE(vgic_target(d, irq)
						   ->arch.vgic.reload_lrs,
					   true);
			}
		} else {
			out |= (uint64_t)irq->priority << (8U * i);
		}
	}
	return out;
}

static uint32_t access_config(struct domain *d, struct vcpu *v, uint32_t first,
			      bool write, uint32_t val)
{
	struct vgic_irq *irq;
	uint32_t out = 0;
	unsigned int i;

	for (i = 0; i < 16U; i++) {
		irq = vgic_get_irq(d, v, first + i);
		if (irq == NULL) {
			continue;
		}
		if (write && (first + i >= 16U)) {
			irq->edge = ((val >> (2U * i + 1U)) & 1U) != 0U;
		}
		out |= irq->edge ? (2U << (2U * i)) : 0U;
	}
	return out;
}

static void kick_all(struct domain *d, uint64_t mask)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		if ((mask & (1ULL << i)) != 0U) {
			vgic_kick(d->vcpus[i]);
		}
	}
}

/*
 * Registers shared by the distributor (SPIs; v = NULL) and the
 * redistributor's SGI frame (SGIs and PPIs of v).
 */
static bool access_irq_regs(struct domain *d, struct vcpu *v, uint64_t off,
			    unsigned int size, bool write, uint64_t *val)
{
	static const enum bit_reg bit_regs[] = {
		REG_GROUP,	  REG_SET_ENABLE,    REG_CLEAR_ENABLE,
		REG_SET_PENDING,  REG_CLEAR_PENDING, REG_SET_ACTIVE,
		REG_CLEAR_ACTIVE,
	};
	uint64_t kick_mask = 0;
	unsigned long flags = arch_irq_save(); /* also over kick_all() */
	bool ok = true;

	/* The accessing vCPU's own interrupts may be in its list registers. */
	vgic_sync_lrs(current_vcpu());
	spin_lock(&d->arch.vgic.lock);
	if ((off >= GICD_IGROUPR) && (off < GICD_IPRIORITYR) && (size == 4U)) {
		*val = access_bits(d, v, (uint32_t)((off & 0x7fU) * 8U),
				   bit_regs[(off - GICD_IGROUPR) / 0x80U],
				   write, (uint32_t)*val, &kick_mask);
	} else if ((off >= GICD_IPRIORITYR) && (off < GICD_IPRIORITYR_END)) {
		*val = access_priority(d, v, (uint32_t)(off - GICD_IPRIORITYR),
				       size, write, *val);
	} else if ((off >= GICD_ICFGR) && (off < GICD_ICFGR_END) &&
		   (size == 4U)) {
		*val = access_config(d, v, (uint32_t)((off - GICD_ICFGR) * 4U),
				     write, (uint32_t)*val);
	} else {
		ok = false;
	}
	spin_unlock(&d->arch.vgic.lock);
	kick_all(d, kick_mask);
	arch_irq_restore(flags);
	return ok;
}

static uint64_t irouter_read(struct domain *d, uint32_t intid)
{
	struct vgic_irq *irq = vgic_get_irq(d, NULL, intid);

	return (irq != NULL) ? irq->irouter : 0U;
}

static void irouter_write(struct domain *d, uint32_t intid, uint64_t val)
{
	struct vgic_irq *irq = vgic_get_irq(d, NULL, intid);
	unsigned long flags;
	struct vcpu *kick;
	struct vcpu *t;

	if ((irq == NULL) || (intid < VGIC_NR_PRIVATE)) {
		return;
	}
	flags = spin_lock_irqsave(&d->arch.vgic.lock);
	irq->irouter = val & MPIDR_AFF_MASK;
	t = vcpu_by_mpidr(d, val);
	kick = vgic_retarget(d, irq, (t != NULL) ? (uint16_t)t->vcpu_id : 0U);
	spin_unlock(&d->arch.vgic.lock);
	vgic_kick(kick);
	arch_irq_restore(flags);
}

static bool gicd_read(struct vcpu *v, uint64_t off, unsigned int size,
		      uint64_t *val, void *priv)
{
	struct domain *d = v->domain;
	uint32_t lines = d->arch.vgic.nr_spis + VGIC_NR_PRIVATE;

	(void)priv;
	*val = 0;
	if (off == GICD_CTLR) {
		*val = d->arch.vgic.ctlr | GICD_CTLR_ARE;
	} else if (off == GICD_TYPER) {
		/* ITLinesNumber, IDbits = 10 bits (ID 0-1019). */
		*val = ((lines / 32U) - 1U) | (9U << GICD_TYPER_IDBITS_SHIFT);
	} else if (off == GICD_IIDR) {
		*val = IIDR_XENON;
	} else if ((off >= GICD_IROUTER) && (off < GICD_IROUTER_END)) {
		*val = irouter_read(d, (uint32_t)((off - GICD_IROUTER) / 8U));
	} else if (off == GICD_PIDR2) {
		*val = GIC_PIDR2_ARCH_GICV3;
	} else if ((off >= GICD_IGROUPR) && (off < GICD_ICFGR_END)) {
		/* With v = NULL, SGIs and PPIs read as zero here, as they
		 * live in the redistributors when affinity routing is on. */
		return access_irq_regs(d, NULL, off, size, false, val);
	}
	return true; /* everything else reads as zero */
}

static bool gicd_write(struct vcpu *v, uint64_t off, unsigned int size,
		       uint64_t val, void *priv)
{
	struct domain *d = v->domain;

	(void)priv;
	if (off == GICD_CTLR) {
		d->arch.vgic.ctlr = (uint32_t)val & (GICD_CTLR_ENABLE_G1A |
						     GICD_CTLR_ENABLE_G1);
	} else if ((off >= GICD_IROUTER) && (off < GICD_IROUTER_END)) {
		irouter_write(d, (uint32_t)((off - GICD_IROUTER) / 8U), val);
	} else if ((off >= GICD_IGROUPR) && (off < GICD_ICFGR_END)) {
		return access_irq_regs(d, NULL, off, size, true, &val);
	}
	return true; /* everything else ignores writes */
}

/* True if off (in the SGI frame) addresses interrupts 0-31 only. */
static bool private_reg(uint64_t off)
{
	return (((off >= GICD_IGROUPR) && (off < GICD_IPRIORITYR) &&
		 ((off & 0x7fU) == 0U)) ||
		((off >= GICD_IPRIORITYR) && (off < (GICD_IPRIORITYR + 32U))) ||
		((off >= GICD_ICFGR) && (off < (GICD_ICFGR + 8U))));
}

/* The vCPU whose redistributor frame contains off, and off in it. */
static struct vcpu *gicr_vcpu(struct domain *d, uint64_t *off)
{
	uint64_t index = *off / GICR_SIZE;

	*off %= GICR_SIZE;
	return (index < d->max_vcpus) ? d->vcpus[index] : NULL;
}

static uint64_t gicr_typer(const struct vcpu *t)
{
	uint64_t typer = (uint64_t)gicr_typer_aff(t->arch.vmpidr)
			 << GICR_TYPER_AFF_SHIFT;

	typer |= (uint64_t)t->vcpu_id << GICR_TYPER_PROC_NUM_SHIFT;
	if (t->vcpu_id == (t->domain->max_vcpus - 1U)) {
		typer |= GICR_TYPER_LAST;
	}
	return typer;
}

static bool gicr_read(struct vcpu *v, uint64_t off, unsigned int size,
		      uint64_t *val, void *priv)
{
	struct vcpu *t = gicr_vcpu(v->domain, &off);

	(void)priv;
	*val = 0;
	if (t == NULL) {
		return true;
	}
	if (off >= GICR_SGI_BASE) {
		off -= GICR_SGI_BASE;
		if (private_reg(off)) {
			return access_irq_regs(v->domain, t, off, size, false,
					       val);
		}
		return true;
	}
	if (off == GICR_TYPER) {
		*val = gicr_typer(t);
	} else if (off == (GICR_TYPER + 4U)) {
		*val = gicr_typer(t) >> 32;
	} else if (off == GICR_WAKER) {
		*val = t->arch.vgic.waker;
	} else if (off == GICR_IIDR) {
		*val = IIDR_XENON;
	} else if (off == GICR_PIDR2) {
		*val = GIC_PIDR2_ARCH_GICV3;
	}
	return true;
}

static bool gicr_write(struct vcpu *v, uint64_t off, unsigned int size,
		       uint64_t val, void *priv)
{
	struct vcpu *t = gicr_vcpu(v->domain, &off);

	(void)priv;
	if (t == NULL) {
		return true;
	}
	if (off >= GICR_SGI_BASE) {
		off -= GICR_SGI_BASE;
		if (private_reg(off)) {
			return access_irq_regs(v->domain, t, off, size, true,
					       &val);
		}
		return true;
	}
	if (off == GICR_WAKER) {
		/* ChildrenAsleep follows ProcessorSleep at once. */
		t->arch.vgic.waker =
			((val & GICR_WAKER_SLEEP) != 0U)
				? (GICR_WAKER_SLEEP | GICR_WAKER_ASLEEP)
				: 0U;
	}
	return true;
}

static const struct vmmio_ops gicd_ops = {
	.read = gicd_read,
	.write = gicd_write,
};

static const struct vmmio_ops gicr_ops = {
	.read = gicr_read,
	.write = gicr_write,
};

int vgic_register_mmio(struct domain *d)
{
	int err = vmmio_register(&d->mmio, d->arch.gicd_base,
				 GUEST_GICV3_GICD_SIZE, &gicd_ops, NULL);

	if (err == 0) {
		err = vmmio_register(&d->mmio, d->arch.gicr_base,
				     (uint64_t)d->max_vcpus * GICR_SIZE,
				     &gicr_ops, NULL);
	}
	return err;
}
