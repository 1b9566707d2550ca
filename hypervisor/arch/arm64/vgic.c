/*
 * Virtual GICv3: interrupt state, delivery through list registers, SGIs.
 *
 * Model, as Xen's and Bao's: list registers stay loaded across exits. An
 * interrupt for the vCPU running here is written straight into a list
 * register (load_here). Everything else (an interrupt for a vCPU elsewhere
 * or not running, no free list register, a change from the vGIC's
 * registers to an interrupt in one) puts the interrupt on the vCPU's
 * pending/active list and sets reload_lrs, with a kick. Before entry, a
 * vCPU with reload_lrs reads its list registers back into the interrupt
 * state and rebuilds them from that list, highest priority first
 * (vgic_flush_lrs_slow). What reads that state for the vCPU running here
 * (its WFI, its accesses to the vGIC's registers) and a context switch
 * read them back first (vgic_sync_lrs). When more interrupts wait than there are list
 * registers, the underflow maintenance interrupt brings the vCPU back to
 * load the rest; an interrupt whose end must be seen (a level line still
 * high, a forwarded one delivered without the HW bit) asks for an EOI
 * maintenance interrupt.
 *
 * A forwarded SPI stays active at the physical GIC from its arrival until
 * the guest deactivates it (hw_active): its list register has the HW bit,
 * so the guest's deactivation reaches the physical interrupt, which
 * cannot fire again meanwhile.
 */
#include <hv/errno.h>
#include <hv/irq.h>
#include <hv/page-alloc.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/string.h>

#include <asm/cpu.h>
#include <asm/gicv3-defs.h>
#include <asm/sysregs.h>
#include <drivers/gicv3.h>
#include <asm/vcpu.h>
#include <asm/vgic.h>

static unsigned int nr_lrs;

#define READ_LR_CASE(n)                                                        \
	case (n):                                                              \
		val = READ_SYSREG(ICH_LR##n##_EL2);                            \
		break

#define WRITE_LR_CASE(n)                                                       \
	case (n):                                                              \
		WRITE_SYSREG(ICH_LR##n##_EL2, val);                            \
		break

/* ICH_LR<n>_EL2, n a list register number below nr_lrs (never a guest's
 * value). Inline, so that the injection's fast path makes no call. */
static inline uint64_t read_lr(unsigned int n)
{
	uint64_t val = 0;

	switch (n) {
		READ_LR_CASE(0);
		READ_LR_CASE(1);
		READ_LR_CASE(2);
		READ_LR_CASE(3);
		READ_LR_CASE(4);
		READ_LR_CASE(5);
		READ_LR_CASE(6);
		READ_LR_CASE(7);
		READ_LR_CASE(8);
		READ_LR_CASE(9);
		READ_LR_CASE(10);
		READ_LR_CASE(11);
		READ_LR_CASE(12);
		READ_LR_CASE(13);
		READ_LR_CASE(14);
		READ_LR_CASE(15);
	default:
		break;
	}
	return val;
}

static inline void write_lr(unsigned int n, uint64_t val)
{
	switch (n) {
		WRITE_LR_CASE(0);
		WRITE_LR_CASE(1);
		WRITE_LR_CASE(2);
		WRITE_LR_CASE(3);
		WRITE_LR_CASE(4);
		WRITE_LR_CASE(5);
		WRITE_LR_CASE(6);
		WRITE_LR_CASE(7);
		WRITE_LR_CASE(8);
		WRITE_LR_CASE(9);
		WRITE_LR_CASE(10);
		WRITE_LR_CASE(11);
		WRITE_LR_CASE(12);
		WRITE_LR_CASE(13);
		WRITE_LR_CASE(14);
		WRITE_LR_CASE(15);
	default:
		break;
	}
}

static void maintenance_irq(unsigned int irq, void *data)
{
	struct vcpu *v = current_vcpu();

	(void)irq;
	(void)data;
	/* Underflow or an EOI: rebuild the list registers before entry, which
	 * also ends the condition. Stop underflow until then. */
	WRITE_SYSREG(ICH_HCR_EL2, READ_SYSREG(ICH_HCR_EL2) & ~ICH_HCR_UIE);
	isb();
	if (!v->is_idle) {
		WRITE_ONCE(v->arch.vgic.reload_lrs, true);
	}
}

void vgic_init_cpu(unsigned int maintenance)
{
	nr_lrs = (unsigned int)ICH_VTR_LISTREGS(READ_SYSREG(ICH_VTR_EL2)) + 1U;
	if (nr_lrs > VGIC_MAX_LRS) {
		nr_lrs = VGIC_MAX_LRS;
	}
	WRITE_SYSREG(ICH_HCR_EL2, 0U);
	if (irq_request(maintenance, maintenance_irq, NULL) != 0) {
		printk(XENLOG_ERR "vGIC: cannot take maintenance IRQ %u\n",
		       maintenance);
	}
}

static void init_irq(struct vgic_irq *irq, uint32_t intid, uint16_t target)
{
	memset(irq, 0, sizeof(*irq));
	irq->intid = intid;
	irq->lr = -1;
	irq->target = target;
	irq->new_target = target;
	irq->edge = intid < 16U; /* SGIs are edge; others level by default */
}

int vgic_domain_init(struct domain *d, unsigned int nr_spis)
{
	struct vgic_dist *dist = &d->arch.vgic;
	unsigned int i;

	spin_lock_init(&dist->lock);
	dist->nr_spis = nr_spis;
	dist->spis = xzalloc(sizeof(struct vgic_irq) * nr_spis);
	if (dist->spis == NULL) {
		return -ENOMEM;
	}
	for (i = 0; i < nr_spis; i++) {
		init_irq(&dist->spis[i], 32U + i, 0);
	}
	return 0;
}

/* Stop forwarding irq's physical SPI; it may fire again for a new owner. */
static void release_hw(struct vgic_irq *irq)
{
	if (irq->hw_intid == 0U) {
		return;
	}
	irq_release(irq->hw_intid);
	if (irq->hw_active) {
		gicv3_clear_active(irq->hw_intid);
		irq->hw_active = false;
	}
	irq->hw_intid = 0;
}

void vgic_domain_destroy(struct domain *d)
{
	unsigned int i;

	for (i = 0; (d->arch.vgic.spis != NULL) && (i < d->arch.vgic.nr_spis);
	     i++) {
		release_hw(&d->arch.vgic.spis[i]);
	}
	xfree(d->arch.vgic.spis);
	d->arch.vgic.spis = NULL;
	d->arch.vgic.nr_spis = 0;
}

void vgic_vcpu_init(struct vcpu *v)
{
	unsigned int i;

	for (i = 0; i < VGIC_NR_PRIVATE; i++) {
		init_irq(&v->arch.vgic.private_irqs[i], i,
			 (uint16_t)v->vcpu_id);
	}
	v->arch.vgic.waker = GICR_WAKER_SLEEP | GICR_WAKER_ASLEEP;
}

struct vgic_irq *vgic_get_irq(struct domain *d, struct vcpu *v, uint32_t intid)
{
	if (intid < VGIC_NR_PRIVATE) {
		return (v != NULL) ? &v->arch.vgic.private_irqs[intid] : NULL;
	}
	if ((intid - VGIC_NR_PRIVATE) < d->arch.vgic.nr_spis) {
		return &d->arch.vgic.spis[intid - VGIC_NR_PRIVATE];
	}
	return NULL;
}

struct vcpu *vgic_target(struct domain *d, const struct vgic_irq *irq)
{
	return (irq->target < d->max_vcpus) ? d->vcpus[irq->target]
					    : d->vcpus[0];
}

static void add_to_ap_list(struct vcpu *t, struct vgic_irq *irq)
{
	if (!irq->on_ap_list) {
		irq->ap_next = t->arch.vgic.ap_list;
		t->arch.vgic.ap_list = irq;
		irq->on_ap_list = true;
	}
}

/* Put irq on its target's list if it should be delivered (lock held), and
 * have the target rebuild its list registers, also when irq is in one of
 * them and changed. Returns the vCPU to kick, or NULL. */
struct vcpu *vgic_queue(struct domain *d, struct vgic_irq *irq)
{
	struct vcpu *t = vgic_target(d, irq);

	if (irq->pending && irq->enabled) {
		add_to_ap_list(t, irq);
	} else if (!irq->active && (irq->lr < 0)) {
		return NULL;
	} else {
		add_to_ap_list(t, irq);
	}
	WRITE_ONCE(t->arch.vgic.reload_lrs, true);
	return t;
}

/* Make t notice new work: wake it, or interrupt the CPU running it. */
void vgic_kick(struct vcpu *t)
{
	if (t == NULL) {
		return;
	}
	if (t->state == VCPU_BLOCKED) {
		vcpu_wake(t);
	} else if ((t->state == VCPU_RUNNING) &&
		   (t->processor != smp_processor_id())) {
		arch_send_kick_ipi(t->processor);
	}
}

/* True if v's list registers are on this CPU (v runs here). */
static bool loaded_here(const struct vcpu *v)
{
	return (v == current_vcpu()) && v->arch.vgic.loaded;
}

static uint64_t make_lr(const struct vgic_irq *irq);

/* A free list register of the vCPU loaded here, or -1. */
static int free_lr(const struct vgic_vcpu *vv)
{
	uint32_t free = ~vv->lr_mask & ((1U << nr_lrs) - 1U);

	return (free != 0U) ? __builtin_ctz(free) : -1;
}

/* irq's list register on this CPU, or 0 if it is in none. */
static uint64_t read_own_lr(const struct vgic_irq *irq)
{
	return (irq->lr >= 0) ? read_lr((unsigned int)irq->lr) : 0U;
}

/* True if irq is in a list register, lr, that the guest is done with and
 * that needs nothing but its pending bit to deliver irq again: no EOI
 * maintenance to wait for. While irq is in a list register, that register
 * holds its state, so irq's own fields need no change. */
static bool refill_ok(const struct vgic_irq *irq, uint64_t lr)
{
	return (irq->lr >= 0) &&
	       ((lr & (ICH_LR_STATE_PENDING | ICH_LR_STATE_ACTIVE)) == 0U) &&
	       (((lr & ICH_LR_HW) != 0U) || ((lr & ICH_LR_EOI) == 0U));
}

/*
 * Make irq pending straight in a list register of v, loaded here and
 * irq's target (lock held; lr is irq's list register, read_own_lr()):
 * into its own if the guest is done with it, else into a free one. False
 * where this cannot be done simply (disabled, still active, no free list
 * register, a rebuild already due): the caller then queues it.
 */
static bool load_here(struct vcpu *v, struct vgic_irq *irq, uint64_t lr)
{
	struct vgic_vcpu *vv = &v->arch.vgic;
	int n = irq->lr;

	if (!irq->enabled || vv->reload_lrs) {
		return false;
	}
	if (refill_ok(irq, lr)) {
		write_lr((unsigned int)n, lr | ICH_LR_STATE_PENDING);
		return true;
	}
	if (n >= 0) {
		if ((lr & ICH_LR_STATE_PENDING) != 0U) {
			return true; /* edge: one delivery covers both */
		}
		if ((lr & ICH_LR_STATE_ACTIVE) != 0U) {
			return false;
		}
		irq->active = false; /* the guest deactivated it */
	} else {
		n = free_lr(vv);
		if (n < 0) {
			return false;
		}
		add_to_ap_list(v, irq);
		irq->lr = (int8_t)n;
		vv->in_lr[n] = irq;
		vv->lr_mask |= 1U << (unsigned int)n;
	}
	irq->pending = true;
	write_lr((unsigned int)n, make_lr(irq));
	return true;
}

/* Make irq pending (lock held). Returns the vCPU to kick. */
static struct vcpu *set_pending(struct domain *d, struct vgic_irq *irq)
{
	struct vcpu *kick;

	irq->pending = true;
	/* The list register's copy, read back when they are rebuilt, must
	 * not undo this. */
	irq->repend = irq->lr >= 0;
	kick = vgic_queue(d, irq);
	if (kick == NULL) {
		/* Not deliverable (disabled): as Xen's vcpu_kick, a blocked
		 * target still wakes and looks again. */
		kick = vgic_target(d, irq);
	}
	return kick;
}

/* Make irq pending for its target t (lock held): in a list register if t
 * is loaded here, else queued. Returns the vCPU to kick. */
static struct vcpu *make_pending(struct domain *d, struct vcpu *t,
				 struct vgic_irq *irq)
{
	if (loaded_here(t) && load_here(t, irq, read_own_lr(irq))) {
		return NULL;
	}
	return set_pending(d, irq);
}

/* The general path: under the lock, straight into a list register if the
 * target is loaded here, else queued with a kick. */
static __noinline void inject_locked(struct domain *d, struct vcpu *v,
				     uint32_t intid)
{
	struct vgic_irq *irq;
	struct vcpu *kick = NULL;
	unsigned long flags = arch_irq_save();

	spin_lock(&d->arch.vgic.lock);
	irq = vgic_get_irq(d, v, intid);
	if (irq != NULL) {
		kick = make_pending(d, vgic_target(d, irq), irq);
	}
	spin_unlock(&d->arch.vgic.lock);
	vgic_kick(kick);
	arch_irq_restore(flags);
}

/*
 * First, without the lock, a private interrupt of v loaded here (the
 * vtimer's, the event channel upcall): only this CPU writes v's list
 * registers (the guest is not running) or moves irq in or out of one.
 * Already pending in one, or waiting for one, it needs nothing more; in
 * one the guest is done with, it only needs the pending bit again. A
 * change from another CPU that this could miss (disabled meanwhile) sets
 * reload_lrs and kicks, so the next entry rebuilds the list registers.
 */
void vgic_inject_irq(struct domain *d, struct vcpu *v, uint32_t intid)
{
	const struct vgic_irq *irq;
	uint64_t lr;

	if ((intid < VGIC_NR_PRIVATE) && (v != NULL) && loaded_here(v)) {
		irq = &v->arch.vgic.private_irqs[intid];
		if (irq->lr < 0) {
			if (irq->pending && irq->on_ap_list) {
				return;
			}
		} else {
			lr = read_lr((unsigned int)irq->lr);
			if ((lr & ICH_LR_STATE_PENDING) != 0U) {
				return;
			}
			if (refill_ok(irq, lr) && irq->enabled &&
			    !READ_ONCE(v->arch.vgic.reload_lrs)) {
				write_lr((unsigned int)irq->lr,
					 lr | ICH_LR_STATE_PENDING);
				return;
			}
		}
	}
	inject_locked(d, v, intid);
}

void vgic_set_level(struct domain *d, uint32_t intid, bool level)
{
	struct vgic_irq *irq;
	struct vcpu *kick = NULL;
	unsigned long flags = arch_irq_save(); /* also over vgic_kick() */

	spin_lock(&d->arch.vgic.lock);
	irq = vgic_get_irq(d, NULL, intid);
	if ((irq != NULL) && (irq->line_level != level)) {
		irq->line_level = level;
		irq->pending = level;
		kick = vgic_queue(d, irq);
	}
	spin_unlock(&d->arch.vgic.lock);
	vgic_kick(kick);
	arch_irq_restore(flags);
}

/* Route irq's physical SPI to the CPU its target vCPU runs on. */
static void route_hw(struct domain *d, const struct vgic_irq *irq)
{
	const struct vcpu *t = vgic_target(d, irq);

	if ((irq->hw_intid != 0U) && (t != NULL)) {
		gicv3_route_irq(irq->hw_intid, cpu_mpidr[t->processor]);
	}
}

/* A forwarded SPI fired (IRQs masked): it stays active until the guest
 * deactivates it. */
static void forwarded_spi(unsigned int intid, void *data)
{
	struct domain *d = data;
	struct vgic_irq *irq;
	struct vcpu *kick = NULL;

	spin_lock(&d->arch.vgic.lock);
	irq = vgic_get_irq(d, NULL, intid);
	if (irq != NULL) {
		irq->hw_active = true;
		kick = make_pending(d, vgic_target(d, irq), irq);
	}
	spin_unlock(&d->arch.vgic.lock);
	vgic_kick(kick);
}

int vgic_forward_spi(struct domain *d, uint32_t intid)
{
	struct vgic_irq *irq = vgic_get_irq(d, NULL, intid);
	unsigned long flags;
	int err;

	if ((irq == NULL) || (intid < VGIC_NR_PRIVATE)) {
		return -EINVAL;
	}
	flags = spin_lock_irqsave(&d->arch.vgic.lock);
	irq->hw_intid = (uint16_t)intid;
	irq->edge = true;
	spin_unlock_irqrestore(&d->arch.vgic.lock, flags);
	err = irq_request_guest(intid, forwarded_spi, d);
	flags = spin_lock_irqsave(&d->arch.vgic.lock);
	if (err == 0) {
		route_hw(d, irq);
	} else {
		irq->hw_intid = 0; /* another domain's (-EBUSY) or invalid */
	}
	spin_unlock_irqrestore(&d->arch.vgic.lock, flags);
	return err;
}

void vgic_settle_hw(struct vgic_irq *irq)
{
	if (irq->hw_active && !irq->pending && !irq->active && (irq->lr < 0)) {
		gicv3_clear_active(irq->hw_intid);
		irq->hw_active = false;
	}
}

struct vcpu *vgic_retarget(struct domain *d, struct vgic_irq *irq,
			   uint16_t new_target)
{
	struct vcpu *old;

	irq->new_target = new_target;
	if (irq->target == new_target) {
		return NULL;
	}
	if (irq->on_ap_list) {
		/* It moves once the old target's list drops it: have that
		 * look at its list registers soon. */
		old = vgic_target(d, irq);
		WRITE_ONCE(old->arch.vgic.reload_lrs, true);
		return old;
	}
	irq->target = new_target;
	route_hw(d, irq);
	return NULL;
}

void vgic_vcpu_moved(struct vcpu *v)
{
	struct domain *d = v->domain;
	struct vgic_irq *irq;
	unsigned long flags;
	unsigned int i;

	flags = spin_lock_irqsave(&d->arch.vgic.lock);
	for (i = 0; i < d->arch.vgic.nr_spis; i++) {
		irq = &d->arch.vgic.spis[i];
		if ((irq->hw_intid != 0U) && (vgic_target(d, irq) == v)) {
			route_hw(d, irq);
		}
	}
	spin_unlock_irqrestore(&d->arch.vgic.lock, flags);
}

static bool deliverable(const struct vgic_irq *irq)
{
	return irq->active || (irq->pending && irq->enabled);
}

/* The undelivered candidate with the highest priority (lowest value). */
static struct vgic_irq *best_candidate(struct vgic_vcpu *vv)
{
	struct vgic_irq *best = NULL;
	struct vgic_irq *irq;

	for (irq = vv->ap_list; irq != NULL; irq = irq->ap_next) {
		if ((irq->lr < 0) && deliverable(irq) &&
		    ((best == NULL) || (irq->priority < best->priority))) {
			best = irq;
		}
	}
	return best;
}

static uint64_t make_lr(const struct vgic_irq *irq)
{
	uint64_t lr = irq->intid | ICH_LR_GROUP1 |
		      ((uint64_t)irq->priority << ICH_LR_PRIORITY_SHIFT);

	/* The physical active state can stand for one occurrence only. Both
	 * pending and active (the virtual one made active by other means, as
	 * ISACTIVER) go as a software interrupt; the physical one is then
	 * deactivated once the vGIC state drops it (vgic_settle_hw()). */
	if (irq->hw_active && !(irq->pending && irq->active)) {
		lr |= ICH_LR_HW |
		      ((uint64_t)irq->hw_intid << ICH_LR_PINTID_SHIFT);
	} else if (irq->hw_active || (!irq->edge && irq->line_level)) {
		/* Its end has work: deactivating the physical one, or
		 * pending it again while the line stays high. */
		lr |= ICH_LR_EOI;
	}
	lr |= irq->pending ? ICH_LR_STATE_PENDING : 0U;
	lr |= irq->active ? ICH_LR_STATE_ACTIVE : 0U;
	return lr;
}

/* Fill v's free list registers, loaded here, from its list (lock held). */
static void fill_lrs(struct vgic_vcpu *vv)
{
	struct vgic_irq *irq;
	uint64_t hcr = ICH_HCR_EN;
	int n = free_lr(vv);

	while (n >= 0) {
		irq = best_candidate(vv);
		if (irq == NULL) {
			break;
		}
		vv->in_lr[n] = irq;
		irq->lr = (int8_t)n;
		vv->lr_mask |= 1U << (unsigned int)n;
		write_lr((unsigned int)n, make_lr(irq));
		n = free_lr(vv);
	}
	if ((n < 0) && (best_candidate(vv) != NULL)) {
		hcr |= ICH_HCR_UIE; /* more wait: come back when LRs drain */
	}
	WRITE_SYSREG(ICH_HCR_EL2, hcr);
}

static void remove_done(struct domain *d, struct vgic_vcpu *vv)
{
	struct vgic_irq **pp = &vv->ap_list;
	struct vgic_irq *irq;

	while (*pp != NULL) {
		irq = *pp;
		if (!irq->pending && !irq->active) {
			*pp = irq->ap_next;
			irq->ap_next = NULL;
			irq->on_ap_list = false;
			vgic_settle_hw(irq);
			(void)vgic_retarget(d, irq, irq->new_target);
		} else {
			pp = &irq->ap_next;
		}
	}
}

/* Read v's list registers, loaded here, back into the interrupt state and
 * empty them (lock held). */
static void pull_lrs(struct vcpu *v)
{
	struct vgic_vcpu *vv = &v->arch.vgic;
	uint32_t mask = vv->lr_mask;
	struct vgic_irq *irq;
	uint64_t lr;
	unsigned int i;

	while (mask != 0U) {
		i = (unsigned int)__builtin_ctz(mask);
		mask &= mask - 1U;
		irq = vv->in_lr[i];
		lr = read_lr(i);
		if ((lr & (ICH_LR_STATE_PENDING | ICH_LR_STATE_ACTIVE |
			   ICH_LR_EOI)) != 0U) {
			/* Empty it; an empty one with EOI would keep the EOI
			 * maintenance interrupt asserted. */
			write_lr(i, 0U);
		}
		if (((lr & ICH_LR_HW) != 0U) && !irq->repend &&
		    ((lr & (ICH_LR_STATE_PENDING | ICH_LR_STATE_ACTIVE)) ==
		     0U)) {
			/* The guest deactivated it, and it has not fired
			 * again since (on another CPU, before this exit). */
			irq->hw_active = false;
		}
		irq->pending = ((lr & ICH_LR_STATE_PENDING) != 0U) ||
			       irq->repend;
		irq->active = (lr & ICH_LR_STATE_ACTIVE) != 0U;
		irq->repend = false;
		if (!irq->edge && irq->line_level && !irq->active) {
			irq->pending = true; /* the line is still asserted */
		}
		irq->lr = -1;
		vv->in_lr[i] = NULL;
	}
	vv->lr_mask = 0;
	remove_done(v->domain, vv);
	if (vv->ap_list != NULL) {
		WRITE_ONCE(vv->reload_lrs, true);
	}
}

void vgic_flush_lrs_slow(struct vcpu *v)
{
	spin_lock(&v->domain->arch.vgic.lock);
	pull_lrs(v);
	WRITE_ONCE(v->arch.vgic.reload_lrs, false);
	fill_lrs(&v->arch.vgic);
	spin_unlock(&v->domain->arch.vgic.lock);
	isb();
}

void vgic_sync_lrs_slow(struct vcpu *v)
{
	unsigned long flags;

	flags = spin_lock_irqsave(&v->domain->arch.vgic.lock);
	pull_lrs(v);
	spin_unlock_irqrestore(&v->domain->arch.vgic.lock, flags);
}

bool vgic_vcpu_pending(struct vcpu *v)
{
	struct vgic_irq *irq;
	bool pending = false;
	unsigned long flags;

	if (v == current_vcpu()) {
		vgic_sync_lrs(v);
	}
	flags = spin_lock_irqsave(&v->domain->arch.vgic.lock);
	for (irq = v->arch.vgic.ap_list; irq != NULL; irq = irq->ap_next) {
		if (irq->pending && irq->enabled) {
			pending = true;
		}
	}
	spin_unlock_irqrestore(&v->domain->arch.vgic.lock, flags);
	return pending;
}

void vgic_save(struct vcpu *v)
{
	vgic_sync_lrs(v);
	v->arch.vgic.loaded = false;
	v->arch.vgic.vmcr = READ_SYSREG(ICH_VMCR_EL2);
	v->arch.vgic.ap0r0 = READ_SYSREG(ICH_AP0R0_EL2);
	v->arch.vgic.ap1r0 = READ_SYSREG(ICH_AP1R0_EL2);
	WRITE_SYSREG(ICH_HCR_EL2, 0U);
}

void vgic_restore(struct vcpu *v)
{
	/* The list registers are empty: load them before entry if anything
	 * waits. Setting reload_lrs needs no lock: only this CPU clears it. */
	if (READ_ONCE(v->arch.vgic.ap_list) != NULL) {
		WRITE_ONCE(v->arch.vgic.reload_lrs, true);
	}
	v->arch.vgic.loaded = true;
	WRITE_SYSREG(ICH_HCR_EL2, ICH_HCR_EN);
	WRITE_SYSREG(ICH_VMCR_EL2, v->arch.vgic.vmcr);
	WRITE_SYSREG(ICH_AP0R0_EL2, v->arch.vgic.ap0r0);
	WRITE_SYSREG(ICH_AP1R0_EL2, v->arch.vgic.ap1r0);
}

void vgic_send_sgi(struct vcpu *v, uint64_t sgir)
{
	struct domain *d = v->domain;
	uint64_t base_aff;
	struct vcpu *t;
	unsigned int i;

	if ((sgir & ICC_SGI1R_IRM) != 0U) {
		for (i = 0; i < d->max_vcpus; i++) {
			if (d->vcpus[i] != v) {
				vgic_inject_irq(d, d->vcpus[i],
						ICC_SGI1R_INTID(sgir));
			}
		}
		return;
	}
	base_aff = (ICC_SGI1R_AFF3(sgir) << 32) | (ICC_SGI1R_AFF2(sgir) << 16) |
		   (ICC_SGI1R_AFF1(sgir) << 8) | (ICC_SGI1R_RS(sgir) << 4);
	for (i = 0; i < 16U; i++) {
		if ((ICC_SGI1R_TARGETS(sgir) & (1U << i)) == 0U) {
			continue;
		}
		t = vcpu_by_mpidr(d, base_aff | i);
		if (t != NULL) {
			vgic_inject_irq(d, t, ICC_SGI1R_INTID(sgir));
		}
	}
}
