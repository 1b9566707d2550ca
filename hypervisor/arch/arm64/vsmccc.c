/*
 * SMCCC calls from guests, dispatched by owner as Xen 4.17 does: the Arm
 * architecture calls, Xen's hypervisor service (its UID and revision),
 * the standard service (PSCI, and the service's own UID). Anything else
 * (SiP, trusted OS, an ID of no one) answers "unknown function". An SMC
 * with a non-zero immediate is not an SMCCC call: an undefined instruction,
 * as Xen.
 */
#include <hv/printk.h>

#include <xen/arch-arm/smccc.h>
#include <xen/xen.h>

#include <asm/spectre.h>
#include <asm/vexception.h>
#include <asm/vpsci.h>

#define SMCCC_UNKNOWN_FUNCTION (~(uint64_t)0)
#define SMCCC_NOT_SUPPORTED (~(uint64_t)0)

#define ARCH_FEATURES_FID 0x80000001U
#define ARCH_WORKAROUND_1_FID 0x80008000U
#define ARCH_WORKAROUND_2_FID 0x80007fffU
#define ARCH_WORKAROUND_3_FID 0x80003fffU

/* The owner of a function ID (bits 29:24), and those Xen serves. */
#define OWNER(fid) (((fid) >> 24) & 0x3fU)
#define OWNER_ARCH 0U
#define OWNER_STANDARD 4U
#define OWNER_HYPERVISOR 5U

/* The "existing APIs" range, not coded by owner (PSCI 0.1's own IDs). */
#define EXISTING_APIS_END 0x0100ffffU

/* Each service's call count, UID and revision calls, by owner. */
#define CALL_COUNT_FID(owner) (0x8000ff00U | ((owner) << 24))
#define CALL_UID_FID(owner) (0x8000ff01U | ((owner) << 24))
#define REVISION_FID(owner) (0x8000ff03U | ((owner) << 24))

/* Xen's hypervisor service has these three functions only. */
#define XEN_SMCCC_FUNCTION_COUNT 3U

/* A UID in x0..x3, four bytes each, first byte lowest. */
static void fill_uid(struct cpu_regs *regs, const xen_uuid_t *uid)
{
	unsigned int n;

	for (n = 0; n < 4U; n++) {
		const uint8_t *b = &uid->a[n * 4U];

		regs->x[n] = (uint64_t)b[0] | ((uint64_t)b[1] << 8) |
			     ((uint64_t)b[2] << 16) | ((uint64_t)b[3] << 24);
	}
}

/*
 * The Arm architecture calls. SMCCC_ARCH_FEATURES answers as Xen 4.17:
 * workarounds 1 and 3 by the CPU models (spectre.c), which the hypervisor
 * applies itself on every exit, and 2 (SSBD) as Xen's ssbd_state; the
 * calls do nothing and return nothing.
 */
static uint64_t arch_features(uint32_t fid)
{
	switch (fid) {
	case ARCH_WORKAROUND_1_FID:
		return (uint64_t)spectre_guest_features(1U);
	case ARCH_WORKAROUND_2_FID:
		return (uint64_t)spectre_guest_features(2U);
	case ARCH_WORKAROUND_3_FID:
		return (uint64_t)spectre_guest_features(3U);
	default:
		return SMCCC_NOT_SUPPORTED;
	}
}

static bool handle_arch(struct cpu_regs *regs)
{
	switch ((uint32_t)regs->x[0]) {
	case SMCCC_VERSION_FID:
		regs->x[0] = 0x10001U; /* SMCCC 1.1 */
		return true;
	case ARCH_FEATURES_FID:
		regs->x[0] = arch_features((uint32_t)regs->x[1]);
		return true;
	case ARCH_WORKAROUND_1_FID:
	case ARCH_WORKAROUND_2_FID:
	case ARCH_WORKAROUND_3_FID:
		return true;
	default:
		return false;
	}
}

/* A service's own calls: its call count, UID and revision. */
static bool service_call(struct cpu_regs *regs, uint32_t owner, uint32_t count,
			 const xen_uuid_t *uid, uint32_t major, uint32_t minor)
{
	uint32_t fid = (uint32_t)regs->x[0];

	if (fid == CALL_COUNT_FID(owner)) {
		regs->x[0] = count;
	} else if (fid == CALL_UID_FID(owner)) {
		fill_uid(regs, uid);
	} else if (fid == REVISION_FID(owner)) {
		regs->x[0] = major;
		regs->x[1] = minor;
	} else {
		return false;
	}
	return true;
}

static bool handle_hypervisor(struct cpu_regs *regs)
{
	xen_uuid_t uid = XEN_SMCCC_UID;

	return service_call(regs, OWNER_HYPERVISOR, XEN_SMCCC_FUNCTION_COUNT,
			    &uid, XEN_SMCCC_MAJOR_REVISION,
			    XEN_SMCCC_MINOR_REVISION);
}

static bool handle_standard(struct vcpu *v, struct cpu_regs *regs)
{
	xen_uuid_t uid = SSSC_SMCCC_UID;

	return vpsci_handle(v, regs) ||
	       service_call(regs, OWNER_STANDARD, 3U + VPSCI_NR_FUNCS, &uid,
			    SSSC_SMCCC_MAJOR_REVISION,
			    SSSC_SMCCC_MINOR_REVISION);
}

/* Xen's fast path for HVC #0: the workaround calls return at once with
 * x0 and x1 cleared (x2 and x3 too for WORKAROUND_2). */
static bool workaround_fast_path(struct cpu_regs *regs)
{
	switch ((uint32_t)regs->x[0]) {
	case ARCH_WORKAROUND_2_FID:
		regs->x[2] = 0U;
		regs->x[3] = 0U;
		regs->x[0] = 0U;
		regs->x[1] = 0U;
		return true;
	case ARCH_WORKAROUND_1_FID:
	case ARCH_WORKAROUND_3_FID:
		regs->x[0] = 0U;
		regs->x[1] = 0U;
		return true;
	default:
		return false;
	}
}

void vsmccc_handle(struct vcpu *v, struct cpu_regs *regs, bool hvc,
		   uint32_t imm)
{
	uint32_t fid = (uint32_t)regs->x[0];
	bool handled = false;

	if (!hvc && (imm != 0U)) {
		inject_undef(regs); /* at the SMC: not an SMCCC call */
		return;
	}
	if (!hvc) {
		advance_pc(regs); /* a trapped SMC returns to itself */
	}
	if (hvc && workaround_fast_path(regs)) {
		return;
	}
	if (fid <= EXISTING_APIS_END) {
		handled = false; /* PSCI 0.1 IDs: not offered */
	} else if (OWNER(fid) == OWNER_ARCH) {
		handled = handle_arch(regs);
	} else if (OWNER(fid) == OWNER_HYPERVISOR) {
		handled = handle_hypervisor(regs);
	} else if (OWNER(fid) == OWNER_STANDARD) {
		handled = handle_standard(v, regs);
	} else {
		handled = false; /* SiP, OEM, trusted apps and OSes: none */
	}
	if (!handled) {
		printk(XENLOG_DEBUG "d%uv%u: unhandled SMCCC call 0x%x\n",
		       v->domain->domain_id, v->vcpu_id, fid);
		regs->x[0] = SMCCC_UNKNOWN_FUNCTION;
	}
}
