/*
 * arm64 vCPU helpers.
 */
#ifndef HV_ASM_VCPU_H
#define HV_ASM_VCPU_H

#include <hv/domain.h>

/* HCR_EL2 while a guest runs: stage 2, physical interrupts to EL2,
 * trapped WFI/WFE and SMC, AArch64 EL1. */
#define HCR_VM (1UL << 0)
#define HCR_SWIO (1UL << 1)
#define HCR_PTW (1UL << 2)
#define HCR_VSE (1UL << 8) /* a virtual SError is pending */
#define HCR_FB (1UL << 9)
#define HCR_BSU_IS (1UL << 10)
#define HCR_TWI (1UL << 13)
#define HCR_TWE (1UL << 14)
#define HCR_TSC (1UL << 19)
#define HCR_TACR (1UL << 21) /* ACTLR_EL1 traps */
#define HCR_RW (1UL << 31)
#define HCR_TIDCP (1UL << 52) /* IMPLEMENTATION DEFINED registers trap */
#define HCR_GUEST                                                              \
	(HCR_VM | HCR_SWIO | HCR_PTW | HCR_FB | HCR_BSU_IS | HCR_TWI |         \
	 HCR_TWE | HCR_TSC | HCR_TACR | HCR_RW | HCR_TIDCP | HCR_HOST_DEFAULT)

/*
 * List registers stay loaded across exits: an interrupt injected into the
 * vCPU running here goes straight into one (vgic.c), and the guest's
 * progress through them is read back only when needed. Before entering
 * the guest they are rebuilt from the pending list only if reload_lrs
 * says so (an interrupt waits for one, or one in them was changed from
 * elsewhere; such changes come with a kick, which brings the vCPU straight
 * back here). Inline: this is on every entry.
 */
static inline bool vgic_flush_due(const struct vcpu *v)
{
	return READ_ONCE(v->arch.vgic.reload_lrs);
}

static inline void vgic_flush_lrs(struct vcpu *v)
{
	if (vgic_flush_due(v)) {
		vgic_flush_lrs_slow(v);
	}
}

/* Read the list registers back into the interrupt state and empty them,
 * before anything that reads that state for the vCPU running here. */
static inline void vgic_sync_lrs(struct vcpu *v)
{
	if (v->arch.vgic.lr_mask != 0U) {
		vgic_sync_lrs_slow(v);
	}
}

/* Reset v to start at pc in EL1h with x0 = arg (boot and PSCI CPU_ON). */
void vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t arg);

/* Make a virtual SError pending for v, the running vCPU. */
void vcpu_inject_serror(struct vcpu *v);

/* Stop v's timers and free its stack (v is down and off every CPU). */
void arch_vcpu_destroy(struct vcpu *v);

/* MPIDR a vCPU gets (Xen's layout: Aff0 = id % 16, Aff1 = id / 16). */
uint64_t vcpu_mpidr(unsigned int vcpu_id);

/* The vCPU of d with MPIDR affinity mpidr, or NULL. */
struct vcpu *vcpu_by_mpidr(struct domain *d, uint64_t mpidr);

/* Per-CPU EL2 set-up for running guests, and the idle vCPU. */
void vcpu_init_cpu(unsigned int cpu);

/* Stop a vCPU that misbehaved: crash its domain with a log line. */
void vcpu_crash(struct vcpu *v, const char *what, uint64_t addr);

/* Assembly helpers (switch.S). */
void switch_to(struct switch_ctx *prev, struct switch_ctx *next);
void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);
extern char vcpu_first_entry[];

/* Idle loop of every physical CPU. */
__noreturn void idle_loop(void);

#endif /* HV_ASM_VCPU_H */
