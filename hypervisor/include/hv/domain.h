/*
 * Domains and their virtual CPUs.
 *
 * Lock order: domain_list_lock, then a domain's arch locks (vgic, vpl011),
 * then a physical CPU's scheduler lock.
 */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <hv/compiler.h>
#include <hv/spinlock.h>
#include <hv/timer.h>
#include <hv/vmmio.h>

#include <xen/hvm/params.h>
#include <xen/vcpu.h>
#include <xen/xen.h>

#include <asm/domain.h>

#define MAX_DOMAINS 64U
#define MAX_VCPUS 16U
#define DOMAIN_NAME_LEN 32U

enum vcpu_state {
	VCPU_DOWN, /* not started, or stopped (PSCI CPU_OFF, domain dead) */
	VCPU_RUNNABLE, /* waiting on a run queue */
	VCPU_RUNNING, /* on a physical CPU */
	VCPU_BLOCKED, /* waiting for an interrupt (WFI) */
};

struct domain;
struct evtchn_domain; /* hv/event.h */
struct grant_table; /* hv/grant-table.h */
struct shared_info; /* <xen/xen.h> */
struct vcpu_info; /* <xen/xen.h> */

struct vcpu {
	unsigned int vcpu_id;
	struct domain *domain;
	unsigned int processor; /* the physical CPU it runs on */
	enum vcpu_state state; /* under the scheduler lock of processor */
	bool is_idle;
	struct vcpu *runq_next;
	uint64_t run_count; /* times it was switched to */
	/* Where the guest sees its vcpu_info: in shared_info until it
	 * registers one (VCPUOP_register_vcpu_info). Hypervisor address. */
	struct vcpu_info *vcpu_info;
	bool vcpu_info_registered;
	/* Time spent in each RUNSTATE_*, and where the guest wants it. */
	struct vcpu_runstate_info runstate;
	uint64_t runstate_gva; /* 0: not registered */
	bool runstate_dirty;
	struct arch_vcpu arch;
};

/* Output collected from a guest until a whole line can be printed, and
 * console input for a guest without an emulated UART (dom0's hvc0). */
#define GUEST_CONSOLE_IN 128U

struct guest_console {
	spinlock_t lock;
	char line[256];
	unsigned int len;
	char in[GUEST_CONSOLE_IN];
	unsigned int in_head;
	unsigned int in_count;
};

struct domain {
	domid_t domain_id;
	char name[DOMAIN_NAME_LEN];
	unsigned int max_vcpus;
	struct vcpu *vcpus[MAX_VCPUS];
	bool is_dying;
	bool crashed;
	bool is_hardware_domain; /* dom0 */
	bool direct_map; /* guest physical = machine addresses */
	struct shared_info *shared_info; /* one page, hypervisor address */
	struct evtchn_domain *evtchn;
	struct grant_table *grant_table;
	uint64_t ram_bytes;
	uint64_t hypercalls_seen; /* bit n: hypercall n was made */
	uint64_t hvm_params[HVM_NR_PARAMS];
	struct guest_console console;
	struct vmmio mmio;
	struct arch_domain arch;
};

struct domain_config {
	const char *name;
	unsigned int max_vcpus;
	uint64_t ram_bytes;
	uint64_t p2m_pages; /* 0: a default sized from RAM and vCPUs */
	bool vpl011;
	/* The hardware domain: memory mapped 1:1 by its builder, the vGIC at
	 * the host GIC's addresses with the host's number of SPIs. */
	bool direct_map;
	paddr_t host_gicd;
	paddr_t host_gicr;
	unsigned int nr_spis;
};

/*
 * Create domain domid: memory, stage-2 tables and vCPUs (all down). Returns
 * NULL and logs why on failure (e.g. not enough memory).
 */
struct domain *domain_create(domid_t domid, const struct domain_config *cfg);

/* The domain with this ID, or NULL. */
struct domain *domain_by_id(domid_t domid);

/* Iterate over existing domains: index 0.. until NULL. */
struct domain *domain_at(unsigned int index);

/* Crash d: stop all its vCPUs and log why. Never returns to the guest if
 * called for the current domain (the caller must go back through the
 * scheduler). */
void domain_crash(struct domain *d, const char *why);

/* Shut d down on its own request (PSCI SYSTEM_OFF, SCHEDOP_shutdown). */
void domain_shutdown(struct domain *d, unsigned int reason);

/* Arch hooks. */
int __must_check arch_domain_create(struct domain *d,
				    const struct domain_config *cfg);
int __must_check arch_vcpu_create(struct vcpu *v);
void arch_domain_stop(struct domain *d);

/* Power the machine off, or reset it (after the hardware domain's
 * shutdown). */
__noreturn void arch_machine_shutdown(bool reboot);

/* Deliver a character typed on the console to d's console device. */
void arch_domain_console_input(struct domain *d, char c);

/* Print one character of guest output: lines are prefixed "(dN) ", except
 * the hardware domain's, which are printed as they are (as Xen does). */
void guest_console_putc(struct domain *d, char c);

/* Queue console input for d (read with CONSOLEIO_read; VIRQ_CONSOLE). */
void guest_console_input(struct domain *d, char c);

/* Take up to max queued input characters; returns how many. */
size_t guest_console_read(struct domain *d, char *buf, size_t max);

#endif /* HV_DOMAIN_H */
