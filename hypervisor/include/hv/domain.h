/*
 * Domains and their virtual CPUs.
 *
 * Lock order: domain_list_lock, then a domain's arch locks (vgic, vpl011),
 * then a physical CPU's scheduler lock.
 */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <hv/compiler.h>
#include <hv/config.h>
#include <hv/spinlock.h>
#include <hv/timer.h>
#include <hv/vmmio.h>

#include <xen/hvm/params.h>
#include <xen/vcpu.h>
#include <xen/xen.h>

#include <asm/domain.h>

#define MAX_DOMAINS 64U
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
	/* Paused by its domain's controller: kept off the run queue while
	 * runnable (under the scheduler lock of processor). */
	bool paused;
	/* CPUs it may run on (XEN_VCPUAFFINITY_HARD, _SOFT), bit n for CPU
	 * n; it runs on processor, one of the hard ones. */
	uint64_t affinity_hard;
	uint64_t affinity_soft;
	void *sched_priv; /* the scheduling policy's (alloc_vdata) */
	uint64_t run_count; /* times it was switched to */
	/* Where the guest sees its vcpu_info: in shared_info until it
	 * registers one (VCPUOP_register_vcpu_info). Hypervisor address. */
	struct vcpu_info *vcpu_info;
	bool vcpu_info_registered;
	/* Time spent in each RUNSTATE_*, and where the guest wants it. */
	struct vcpu_runstate_info runstate;
	uint64_t runstate_gva; /* 0: not registered */
	bool runstate_dirty;
	/* A hypercall to be issued again with these arguments (set by
	 * hypercall_continue(), consumed by the arch trap code). */
	bool hcall_continues;
	uint64_t hcall_args[5];
	/* SCHEDOP_poll (core/event-poll.c): the port polled, -1 for several, 0
	 * when not polling; and the timeout. */
	int32_t poll_port;
	struct timer poll_timer;
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
	bool line_from_io; /* the line holds console_io output */
	bool bucket_started; /* the rate limit below has been used */
	uint64_t tokens_ms; /* console_io lines' rate limit (as Xen's) */
	uint64_t last_ms;
	unsigned int missed;
};

/* How far a domain is on its way out (Xen's DOMDYING_*). */
enum domain_death {
	DOMAIN_ALIVE,
	DOMAIN_DYING, /* being taken apart by the reaper */
	DOMAIN_ZOMBIE, /* taken apart; some pages still used elsewhere */
};

struct domain {
	domid_t domain_id;
	char name[DOMAIN_NAME_LEN];
	xen_domain_handle_t handle; /* the toolstack's UUID */
	/* Pauses by the control domain (XEN_DOMCTL_pausedomain); a domain
	 * the toolstack creates starts with one. Under domain_list_lock. */
	unsigned int pause_count;
	/* Pauses by the hypervisor itself (domain_pause_nosync()), atomic. */
	unsigned int pause_nosync_count;
	uint32_t sched_weight; /* as set with XEN_DOMCTL_scheduler_op */
	uint32_t sched_cap;
	void *sched_priv; /* the scheduling policy's (alloc_domdata) */
	unsigned int max_vcpus;
	struct vcpu *vcpus[MAX_VCPUS];
	bool is_dying; /* no vCPU runs again */
	bool is_shut_down; /* by its own request; shutdown_code says why */
	unsigned int shutdown_code;
	enum domain_death death;
	/* Its controller's destroydomain takes it apart (the reaper leaves
	 * it alone until it is a zombie). */
	bool destroy_by_controller;
	struct domain *reap_next; /* on the reaper's list */
	/* Pages the domain owns (allocated for it and not yet freed), and the
	 * most it may own (Xen's tot_pages and max_pages). */
	uint64_t tot_pages;
	uint64_t max_pages;
	uint64_t claimed_pages; /* claimed and not yet allocated */
	/* Its hypervisor pages the control domain maps (core/physmap.c):
	 * the final free waits for none. */
	uint32_t foreign_hyp_maps;
	uint64_t poll_mask; /* bit n: vCPU n is in SCHEDOP_poll */
	bool crashed;
	bool is_hardware_domain; /* dom0 */
	bool direct_map; /* guest physical = machine addresses */
	struct shared_info *shared_info; /* one page, hypervisor address */
	/* physmap_lock serialises memory_op's changes to the physical
	 * address space: where shared_info is placed (a gfn or ~0), and
	 * the pages given without a place (core/reservation.c). */
	spinlock_t physmap_lock;
	uint64_t shared_info_gfn;
	paddr_t unplaced_pages;
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
	/* The hardware domain: memory mapped 1:1 by its builder, its
	 * devices at the host's addresses (arch says which, in arch). */
	bool direct_map;
	struct arch_domain_config arch;
	/* Created by the toolstack (XEN_DOMCTL_createdomain): no memory yet
	 * (ram_bytes 0, populated later), and paused. */
	bool by_toolstack;
};

/*
 * Create domain domid: memory, stage-2 tables and vCPUs (all down). Returns
 * NULL and logs why on failure (e.g. not enough memory).
 */
struct domain *domain_create(domid_t domid, const struct domain_config *cfg);

/* A free domain ID for a domain the toolstack creates: the next after the
 * last one given, as Xen picks them (they keep increasing); 0 if none. */
domid_t domain_next_free_id(void);

/* The controller's pause (XEN_DOMCTL_pausedomain / unpausedomain): no
 * vCPU of d runs while its pause count is not zero. Unpausing a domain
 * that is not paused is -EINVAL. */
void domain_pause_by_controller(struct domain *d);
int domain_unpause_by_controller(struct domain *d);

/* The hypervisor's own pause, as Xen's domain_pause_nosync(): no vCPU of d
 * is scheduled until the matching domain_unpause_nosync(), and each one
 * running is made to leave its CPU, but this does not wait for that. It
 * nests with the controller's pause, takes only scheduler locks and works
 * with IRQs masked (core/guest-atomics.c uses it under the event lock). */
void domain_pause_nosync(struct domain *d);
void domain_unpause_nosync(struct domain *d);

/* The domain with this ID, or NULL. */
struct domain *domain_by_id(domid_t domid);

/* The same, DOMID_SELF naming caller's own (Xen's
 * rcu_lock_domain_by_any_id). */
struct domain *domain_by_any_id(struct domain *caller, domid_t domid);

/* May caller act on d where Xen's XSM_TARGET rule applies: its own
 * domain, or any for the control domain (dom0)? */
static inline bool domain_may_target(const struct domain *caller,
				     const struct domain *d)
{
	return (caller == d) || caller->is_hardware_domain;
}

/* Both, as Xen checks them: *d is the domain domid names; 0, -ESRCH (no
 * such domain) or -EPERM (caller may not act on it). */
int domain_target(struct domain *caller, domid_t domid, struct domain **d);

/* Iterate over existing domains: index 0.. until NULL. */
struct domain *domain_at(unsigned int index);

/* Crash d: stop all its vCPUs and log why. Never returns to the guest if
 * called for the current domain (the caller must go back through the
 * scheduler). */
void domain_crash(struct domain *d, const char *why);

/* Shut d down on its own request (PSCI SYSTEM_OFF, SCHEDOP_shutdown). */
void domain_shutdown(struct domain *d, unsigned int reason);

/*
 * Destroy d (stopping it first if it runs): the reaper, run by idle CPUs,
 * takes it apart in preemptible steps once none of its vCPUs is on a CPU,
 * then frees it when the last of its pages is free. A domain whose pages
 * are still mapped elsewhere stays a zombie until they are released; its ID
 * is free again only after the final free.
 */
void domain_kill(struct domain *d);

/*
 * One bounded step of d's teardown, for its controller's destroydomain (as
 * Xen's domain_kill, continued while it answers -ERESTART): -ERESTART while
 * more remains, 0 once d is a zombie whose pages are used elsewhere or is
 * freed. d must not be used after 0. d must have been killed.
 */
int domain_destroy_step(struct domain *d);

/* From now on only its controller's destroydomain advances d until it is a
 * zombie (the reaper leaves it alone), so d still exists each time that
 * call continues. Called before domain_kill(). */
void domain_destroy_by_controller(struct domain *d);

/*
 * One bounded step of the reaper's work; returns true if more remains.
 * Called by idle vCPUs with interrupts enabled.
 */
bool domain_reap_step(void);

/* Whether there is a control domain to decide what happens to a domU that
 * shuts down (set when dom0 is built). */
void domain_set_control_domain(struct domain *d);

/*
 * d's pages: domain_alloc_pages() gives d 2^order scrubbed pages (or, with
 * no_scrub, pages as they are: for the hardware domain at boot, as Xen),
 * counted against its max_pages; INVALID_PADDR if over the limit, d is
 * dying or memory is short. domain_put_pages() drops one reference on each
 * of [pa, pa + pages) of one owner, and accounts for those that are freed.
 */
paddr_t domain_alloc_pages(struct domain *d, unsigned int order, bool no_scrub);
void domain_put_pages(paddr_t pa, uint64_t pages);

/* Keep the block of 2^order pages at pa, given to d but placed nowhere
 * (increase_reservation for an Arm guest), on d's list of such blocks. */
void domain_keep_unplaced(struct domain *d, paddr_t pa, unsigned int order);

/* Free up to budget of the blocks on d's unplaced list; true if some
 * remain. */
bool domain_release_unplaced(struct domain *d, unsigned int budget);

/*
 * Stake a claim (Xen's domain_set_outstanding_pages): the free memory d
 * needs to reach pages in all is kept for d, its allocations use the claim
 * first, and others cannot allocate into it. pages == 0 drops d's claim.
 * 0, -EINVAL (d has a claim, or pages is not above what d has or is above
 * its max_pages) or -ENOMEM (not that much free).
 */
int domain_set_claim(struct domain *d, uint64_t pages);

/* Take a reference on d's own RAM page at gfn, for a long-lived hypervisor
 * pointer to it; NULL if gfn is not d's RAM. Drop it with
 * domain_unmap_page(). */
void *domain_map_page(struct domain *d, uint64_t gfn);
void domain_unmap_page(void *va);

/* Arch hooks. */
int __must_check arch_domain_create(struct domain *d,
				    const struct domain_config *cfg);
int __must_check arch_vcpu_create(struct vcpu *v);
void arch_domain_stop(struct domain *d);
/* Drop the allocation reference of (part of) d's RAM; -EAGAIN while more
 * remains (called again after a preemption point). */
int __must_check arch_domain_relinquish_memory(struct domain *d);
/* Free everything arch_domain_create() and arch_vcpu_create() allocated;
 * for a domain that is not running and whose memory is relinquished. */
void arch_domain_destroy(struct domain *d);
/* Set v's registers from the toolstack's context (XEN_DOMCTL_
 * setvcpucontext); v is not running. 0 or -EINVAL. */
int __must_check arch_vcpu_set_context(struct vcpu *v,
				       const struct vcpu_guest_context *c);
/* The stage-2 table pool (XEN_DOMCTL_set_paging_mempool_size), in
 * pages; it can be set while the domain maps nothing yet. */
int __must_check arch_set_paging_pool(struct domain *d, uint64_t pages);
uint64_t arch_paging_pool(const struct domain *d);
/* Is v still on a CPU (its context not yet switched out)? */
bool arch_vcpu_on_cpu(const struct vcpu *v);
/* Let the current vCPU v take event upcalls again (Xen's
 * local_event_delivery_enable(): on Arm, its IRQs are unmasked). */
void arch_vcpu_enable_events(struct vcpu *v);
/* Would the current vCPU v take an interrupt as soon as it ran (Xen's
 * local_events_need_delivery(): one pending and IRQs unmasked)? */
bool arch_vcpu_events_due(struct vcpu *v);

/* Power the machine off, or reset it (after the hardware domain's
 * shutdown). */
__noreturn void arch_machine_shutdown(bool reboot);

/* Deliver a character typed on the console to d's console device. */
void arch_domain_console_input(struct domain *d, char c);

/* Print one character of guest output: lines are prefixed "(dN) ", except
 * the hardware domain's, which are printed as they are (as Xen does). */
void guest_console_putc(struct domain *d, char c);

/* The same for console_io output: a domU's lines are Xen's guest debug
 * messages, printed as guest_loglvl= says (guest-console.c). */
void guest_console_io_putc(struct domain *d, char c);

/* Queue console input for d (read with CONSOLEIO_read; VIRQ_CONSOLE). */
void guest_console_input(struct domain *d, char c);

/* Take up to max queued input characters; returns how many. */
size_t guest_console_read(struct domain *d, char *buf, size_t max);

#endif /* HV_DOMAIN_H */
