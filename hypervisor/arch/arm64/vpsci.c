/*
 * PSCI 1.1 as Xen offers it to guests (the standard service of SMCCC,
 * reached through core/vsmccc.c).
 */
#include <hv/atomic.h>
#include <hv/printk.h>
#include <hv/sched.h>

#include <xen/sched.h>

#include <asm/cpu.h>
#include <asm/vcpu.h>
#include <asm/vpsci.h>

#define PSCI_VERSION 0x84000000U
#define PSCI_CPU_SUSPEND_32 0x84000001U
#define PSCI_CPU_SUSPEND_64 0xC4000001U
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON_32 0x84000003U
#define PSCI_CPU_ON_64 0xC4000003U
#define PSCI_AFFINITY_INFO_32 0x84000004U
#define PSCI_AFFINITY_INFO_64 0xC4000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_SYSTEM_RESET 0x84000009U
#define PSCI_FEATURES 0x8400000AU

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_AFFINITY_ON 0
#define PSCI_AFFINITY_OFF 1
#define PSCI_AFFINITY_ON_PENDING 2
#define PSCI_TOS_NOT_PRESENT_MP 2

/* A vCPU that is down may still be leaving its physical CPU (it called
 * CPU_OFF a moment ago): it is off once it no longer runs there. */
static bool vcpu_off(const struct vcpu *t)
{
	return (READ_ONCE(t->state) == VCPU_DOWN) && !arch_vcpu_on_cpu(t);
}

/*
 * CPU_ON resets a vCPU only when it is down and off every CPU. on_pending
 * makes concurrent calls for one vCPU take turns: one does the reset and
 * start, the others get ON_PENDING (or ALREADY_ON once it runs).
 */
static int64_t psci_cpu_on(struct vcpu *v, uint64_t target, uint64_t pc,
			   uint64_t ctx)
{
	struct vcpu *t = vcpu_by_mpidr(v->domain, target);
	int64_t rc = PSCI_SUCCESS;

	if (t == NULL) {
		return PSCI_INVALID_PARAMETERS;
	}
	if (xchg(&t->arch.on_pending, true)) {
		return PSCI_ON_PENDING;
	}
	if (!vcpu_off(t)) {
		rc = PSCI_ALREADY_ON;
	} else {
		vcpu_reset(t, pc, ctx);
		vcpu_start(t);
	}
	write_release(&t->arch.on_pending, false);
	return rc;
}

/* Where affinity level n of an MPIDR starts (Aff3 is above bit 32). */
static const unsigned int aff_shift[4] = {0U, 8U, 16U, 32U};

/* As Xen: is any vCPU up whose affinity at lowest level and above is
 * target's? (Xen answers ON or OFF, never ON_PENDING.) */
static int64_t psci_affinity_info(struct vcpu *v, uint64_t target,
				  uint32_t level)
{
	struct domain *d = v->domain;
	uint64_t mask;
	unsigned int i;

	if (level >= 4U) {
		return PSCI_INVALID_PARAMETERS;
	}
	mask = MPIDR_AFF_MASK & ~((1ULL << aff_shift[level]) - 1U);
	for (i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *t = d->vcpus[i];

		if (((t->arch.vmpidr & mask) == (target & mask)) &&
		    (READ_ONCE(t->state) != VCPU_DOWN)) {
			return PSCI_AFFINITY_ON;
		}
	}
	return PSCI_AFFINITY_OFF;
}

static bool psci_implemented(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return true;
	default:
		return false;
	}
}

static int64_t psci_call(struct vcpu *v, uint32_t fid, const uint64_t *a)
{
	/* Only reached for the IDs psci_implemented() lists. */
	switch (fid) {
	case PSCI_VERSION:
		return 0x10001; /* 1.1 */
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		return psci_cpu_on(v, a[1], a[2], a[3]);
	case PSCI_CPU_OFF:
		vcpu_down(v);
		return PSCI_SUCCESS;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		/* Standby: wait for an interrupt, as WFI does. */
		if (!vgic_vcpu_pending(v)) {
			vcpu_block(v);
		}
		return PSCI_SUCCESS;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		return psci_affinity_info(v, a[1], (uint32_t)a[2]);
	case PSCI_MIGRATE_INFO_TYPE:
		return PSCI_TOS_NOT_PRESENT_MP;
	case PSCI_SYSTEM_OFF:
		domain_shutdown(v->domain, SHUTDOWN_poweroff);
		return PSCI_SUCCESS;
	case PSCI_SYSTEM_RESET:
		domain_shutdown(v->domain, SHUTDOWN_reboot);
		return PSCI_SUCCESS;
	default: /* PSCI_FEATURES */
		return (psci_implemented((uint32_t)a[1]) ||
			((uint32_t)a[1] == SMCCC_VERSION_FID))
			       ? PSCI_SUCCESS
			       : PSCI_NOT_SUPPORTED;
	}
}

bool vpsci_handle(struct vcpu *v, struct cpu_regs *regs)
{
	uint32_t fid = (uint32_t)regs->x[0];

	if (!psci_implemented(fid)) {
		return false;
	}
	regs->x[0] = (uint64_t)psci_call(v, fid, regs->x);
	return true;
}
