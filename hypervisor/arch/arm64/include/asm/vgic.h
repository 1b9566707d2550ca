/*
 * Virtual GICv3: per-domain distributor, one redistributor per vCPU, and
 * list-register management through the ICH_* interface.
 *
 * The interrupt state of a domain (each struct vgic_irq, the vCPUs'
 * ap_list, in_lr and reload_lrs) is protected by its vgic lock (struct
 * vgic_dist), taken with IRQs masked; reload_lrs is also read without it
 * at entry. The ICH_* registers of a vCPU (list registers, vmcr, ap0r0,
 * ap1r0, loaded) belong to the CPU running it: only that CPU reads or
 * writes a list register, and only it changes an interrupt's lr.
 */
#ifndef HV_ASM_VGIC_H
#define HV_ASM_VGIC_H

#include <hv/compiler.h>
#include <hv/spinlock.h>

#define VGIC_NR_PRIVATE 32U
#define VGIC_MAX_LRS 16U

struct vcpu;
struct domain;

struct vgic_irq {
	uint32_t intid;
	uint8_t priority;
	bool enabled;
	bool pending;
	bool active;
	bool edge; /* ICFGR: edge-triggered */
	bool line_level; /* level of the emulated device's line */
	int8_t lr; /* list register holding it, or -1 */
	bool repend; /* made pending again while in a list register */
	uint16_t hw_intid; /* the forwarded physical SPI, or 0 */
	bool hw_active; /* hw_intid is active: the guest deactivates it */
	uint16_t target; /* vCPU it is delivered to */
	uint16_t new_target; /* target once it leaves the ap_list */
	uint64_t irouter; /* SPIs: GICD_IROUTER as the guest wrote it */
	struct vgic_irq *ap_next; /* on the target's pending/active list */
	bool on_ap_list;
};

struct vgic_vcpu {
	struct vgic_irq private_irqs[VGIC_NR_PRIVATE];
	struct vgic_irq *ap_list; /* pending or active, for this vCPU */
	struct vgic_irq *in_lr[VGIC_MAX_LRS];
	uint32_t lr_mask; /* list registers holding an interrupt (in_lr) */
	bool loaded; /* its ICH_* state is on this CPU (restore to save) */
	/* The list registers must be rebuilt from ap_list before the next
	 * entry: something waits for one, or an interrupt in one changed. */
	bool reload_lrs;
	uint64_t vmcr;
	uint64_t ap0r0;
	uint64_t ap1r0;
	uint32_t waker;
	uint32_t rd_ctlr;
};

struct vgic_dist {
	spinlock_t lock;
	uint32_t ctlr;
	unsigned int nr_spis;
	struct vgic_irq *spis;
};

/* Set up the domain's distributor with nr_spis SPIs (its MMIO ranges are
 * registered by vgic_register_mmio()); 0 or -ENOMEM. */
int __must_check vgic_domain_init(struct domain *d, unsigned int nr_spis);
void vgic_vcpu_init(struct vcpu *v);
/* Free what vgic_domain_init() allocated. */
void vgic_domain_destroy(struct domain *d);

/* Register the distributor and redistributor MMIO ranges of d. */
int __must_check vgic_register_mmio(struct domain *d);

/* Make intid pending (edge semantics): a private one (SGI/PPI) of vCPU v,
 * an SPI for the vCPU it targets (v is not used). */
void vgic_inject_irq(struct domain *d, struct vcpu *v, uint32_t intid);

/* Forward physical SPI intid to d as the same virtual INTID, routed to the
 * CPU of its target vCPU. Each occurrence stays active at the physical GIC
 * and is delivered through a hardware list register, so that the guest's
 * deactivation of the virtual interrupt deactivates the physical one.
 * 0 or a negative errno. */
int __must_check vgic_forward_spi(struct domain *d, uint32_t intid);

/* Deactivate the physical interrupt behind irq if the guest no longer has
 * it pending or active and it is in no list register (lock held). */
void vgic_settle_hw(struct vgic_irq *irq);

/* Deliver irq to vCPU new_target from now on, or once it leaves the
 * current target's ap_list (lock held). Returns the vCPU to kick so that
 * it does so soon, or NULL. */
struct vcpu *vgic_retarget(struct domain *d, struct vgic_irq *irq,
			   uint16_t new_target);

/* v now runs on another physical CPU: route its forwarded SPIs there. */
void vgic_vcpu_moved(struct vcpu *v);

/* Set the level of an emulated level-triggered line. */
void vgic_set_level(struct domain *d, uint32_t intid, bool level);

/* The work of vgic_flush_lrs() and vgic_sync_lrs() (asm/vcpu.h) when
 * there is some. */
void vgic_flush_lrs_slow(struct vcpu *v);
void vgic_sync_lrs_slow(struct vcpu *v);

/* True if v has an interrupt pending and enabled. */
bool vgic_vcpu_pending(struct vcpu *v);

/* Save and restore the ICH_* state on context switch. */
void vgic_save(struct vcpu *v);
void vgic_restore(struct vcpu *v);

/* Emulate a write of ICC_SGI1R_EL1 by v. */
void vgic_send_sgi(struct vcpu *v, uint64_t sgir);

/* Internal to the vGIC, with the lock held where noted: vgic_target() is
 * used by vgic.c only, the others by vgic.c and vgic-mmio.c. */
struct vgic_irq *vgic_get_irq(struct domain *d, struct vcpu *v, uint32_t intid);
struct vcpu *vgic_target(struct domain *d, const struct vgic_irq *irq);
struct vcpu *vgic_queue(struct domain *d, struct vgic_irq *irq); /* locked */
void vgic_kick(struct vcpu *t);

/* Arch IPI that makes a CPU leave its guest (and so reload LRs). */
void arch_send_kick_ipi(unsigned int cpu);

/* Host set-up of the ICH_* interface on this CPU; the maintenance PPI. */
void vgic_init_cpu(unsigned int maintenance_irq);

#endif /* HV_ASM_VGIC_H */
