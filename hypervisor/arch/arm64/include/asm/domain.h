/*
 * arm64 state of domains and vCPUs.
 */
#ifndef HV_ASM_DOMAIN_H
#define HV_ASM_DOMAIN_H

#include <asm/p2m.h>
#include <asm/regs.h>
#include <asm/vgic.h>
#include <asm/vtimer.h>

/* Callee-saved registers of a vCPU's hypervisor context (switch.S). */
struct switch_ctx {
	uint64_t x19_x28[10];
	uint64_t fp;
	uint64_t lr;
	uint64_t sp;
};

/* EL1 system registers switched with the vCPU. */
struct el1_sysregs {
	uint64_t sctlr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1, sp_el0, sp_el1;
	uint64_t elr_el1, spsr_el1, esr, far, afsr0, afsr1, par, cpacr;
	uint64_t cntkctl, csselr, mdscr;
};

struct fpsimd_state {
	uint64_t v[64]; /* q0-q31 */
	uint64_t fpsr;
	uint64_t fpcr;
};

struct arch_vcpu {
	void *stack; /* STACK_SIZE bytes; the guest frame sits at the top */
	struct cpu_regs *regs;
	struct switch_ctx ctx;
	struct el1_sysregs sys;
	struct fpsimd_state fp;
	uint64_t vmpidr;
	uint64_t hcr; /* HCR_EL2: HCR_GUEST, and VSE while an SError waits */
	bool on_pending; /* a PSCI CPU_ON of this vCPU is under way */
	struct vgic_vcpu vgic;
	struct vtimer vtimer;
};

struct vpl011;

/* XENVER_capabilities: the guest kinds this hypervisor runs. */
#define ARCH_XEN_CAPABILITIES "xen-3.0-aarch64"

/* What the builder of a domain asks of the Arm parts of domain_create(). */
struct arch_domain_config {
	bool vpl011; /* an emulated SBSA UART at GUEST_PL011_BASE */
	/* For a direct-mapped domain (dom0): the vGIC at the host GIC's
	 * addresses with the host's number of SPIs. */
	paddr_t host_gicd;
	paddr_t host_gicr;
	unsigned int nr_spis;
};

struct arch_domain {
	struct p2m p2m;
	uint64_t ram_size[2]; /* at GUEST_RAM0_BASE and GUEST_RAM1_BASE */
	uint64_t cntvoff;
	uint32_t evtchn_ppi; /* INTID of the event-channel upcall */
	paddr_t gicd_base; /* where the guest sees its vGIC */
	paddr_t gicr_base;
	struct vgic_dist vgic;
	struct vpl011 *vpl011;
};

#endif /* HV_ASM_DOMAIN_H */
