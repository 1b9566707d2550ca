/*
 * memory_op, split by job: core/memory-op.c dispatches and answers the
 * queries, core/reservation.c gives and takes pages by extents,
 * core/physmap.c places pages in a domain's physical address space.
 */
#ifndef HV_MEMORY_OP_H
#define HV_MEMORY_OP_H

#include <hv/domain.h>

/* The command is in the low 6 bits of the first argument; Xen keeps a
 * continuation's start extent above them. */
#define MEMOP_CMD_MASK 0x3fU
#define MEMOP_EXTENT_SHIFT 6U

/* Frame numbers an address can hold (checked before any shift). */
#define GFN_LIMIT (1ULL << (64U - PAGE_SHIFT))

/* Xen's INVALID_GFN: no frame, or a page not placed anywhere. */
#define NO_GFN (~(uint64_t)0)

/* Largest extent orders of Xen 4.17 on Arm (CONFIG_DOMU_MAX_ORDER, and
 * CONFIG_PAGEALLOC_MAX_ORDER for the control domain). */
#define DOMU_MAX_ORDER 9U
#define CTLDOM_MAX_ORDER 18U

/* The largest extent order d may ask for. */
static inline unsigned int memop_max_order(const struct domain *d)
{
	return d->is_hardware_domain ? CTLDOM_MAX_ORDER : DOMU_MAX_ORDER;
}

/* Xen's propagate_node(): may caller ask for the NUMA node in a
 * request's memory flags (Xen 4.17 has one node on Arm)? */
bool memop_node_ok(const struct domain *caller, uint32_t flags);

/* XENMEM_increase_reservation, _decrease_reservation, _populate_physmap:
 * the number of extents done (Xen answers every refusal so). */
int64_t memop_reservation(struct vcpu *v, const uint64_t *args);

/* XENMEM_add_to_physmap, _add_to_physmap_batch, _remove_from_physmap. */
int64_t memop_add_to_physmap(struct vcpu *v, const uint64_t *args);
int64_t memop_add_to_physmap_batch(struct vcpu *v, const uint64_t *args);
int64_t memop_remove_from_physmap(struct vcpu *v, uint64_t arg);

/*
 * Take d's page at gfn out of its physical address space: its own RAM
 * (the allocation reference is dropped) or a hypervisor page it placed
 * (shared_info, a grant frame). False if there is none of these at gfn.
 * Caller holds d->physmap_lock.
 */
bool physmap_remove(struct domain *d, uint64_t gfn);

/* od's shared grant frame idx at d's gfn, for XENMEM_acquire_resource
 * (Xen's set_foreign_p2m_entry): a foreign mapping, which keeps od a
 * zombie until d removes it. */
int physmap_map_grant_frame(struct domain *d, struct domain *od,
			    unsigned int idx, uint64_t gfn);

/* Something else is about to be mapped at d's gfn: a hypervisor page
 * placed there is no longer placed (Xen resets its gfn). Caller holds
 * d->physmap_lock. */
void physmap_forget(struct domain *d, uint64_t gfn);

#endif /* HV_MEMORY_OP_H */
