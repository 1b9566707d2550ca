/*
 * XEN_DOMCTL: the toolstack's domain operations. The checks come first
 * and in Xen 4.17's order, so every caller gets Xen's answer: the
 * structure is copied (-EFAULT), its interface version checked (-EACCES),
 * the domain it names looked up (-ESRCH) and a few sub-ops' arguments
 * checked, then the caller must be the control domain (-EPERM). The
 * domain-wide operations are here, the vCPU ones in domctl-vcpu.c.
 */
#include <hv/control.h>
#include <hv/errno.h>
#include <hv/grant-table.h>
#include <hv/guest-copy.h>
#include <hv/guest-mem.h>
#include <hv/hypercall.h>
#include <hv/page-alloc.h>
#include <hv/printk.h>
#include <hv/string.h>

#include <xen/vm_event.h>

/* Xen's nr_pirqs and paddr_bits on arm64. */
#define NR_PIRQS 1024U
#define PADDR_BITS 48U

/* Sub-ops that may name no domain (Xen sets d to NULL for them). */
static bool names_no_domain(const struct xen_domctl *op)
{
	switch (op->cmd) {
	case XEN_DOMCTL_createdomain:
		return true;
	case XEN_DOMCTL_assign_device:
	case XEN_DOMCTL_deassign_device:
		return op->domain == DOMID_IO; /* Xen's dom_io */
	case XEN_DOMCTL_test_assign_device:
	case XEN_DOMCTL_vm_event_op:
		return op->domain == DOMID_INVALID;
	default:
		return false;
	}
}

/* The domain op names, looked up as Xen does first: 0 with *d (NULL if
 * it names none), or -ESRCH. */
static int64_t domctl_domain(const struct xen_domctl *op, struct domain **d)
{
	*d = NULL;
	if (((op->cmd == XEN_DOMCTL_assign_device) ||
	     (op->cmd == XEN_DOMCTL_deassign_device)) &&
	    (op->domain == DOMID_INVALID)) {
		return -ESRCH;
	}
	if (names_no_domain(op)) {
		return 0;
	}
	*d = domain_by_id(op->domain);
	return ((*d == NULL) && (op->cmd != XEN_DOMCTL_getdomaininfo)) ? -ESRCH
								       : 0;
}

/* XEN_DOMCTL_getdomaininfo names the first domain at or after its ID. */
static int64_t domaininfo_refused(const struct xen_domctl *op,
				  const struct domain *d)
{
	unsigned int i;

	if (d == NULL) {
		if (op->domain >= DOMID_FIRST_RESERVED) {
			return -EINVAL;
		}
		for (i = 0; domain_at(i) != NULL; i++) {
			if (domain_at(i)->domain_id >= op->domain) {
				return -EPERM;
			}
		}
		return -ESRCH;
	}
	return -EPERM;
}

static bool range_wraps(uint64_t first, uint64_t nr)
{
	return (first + nr - 1U) < first;
}

static int64_t memory_mapping_refused(const struct xen_domctl *op)
{
	const struct xen_domctl_memory_mapping *m = &op->u.memory_mapping;
	uint64_t mfn_end = m->first_mfn + m->nr_mfns - 1U;

	if ((mfn_end < m->first_mfn) ||
	    (((m->first_mfn | mfn_end) >> (PADDR_BITS - PAGE_SHIFT)) != 0U) ||
	    range_wraps(m->first_gfn, m->nr_mfns)) {
		return -EINVAL;
	}
	return -EPERM;
}

static int64_t pt_irq_refused(const struct xen_domctl *op)
{
	const struct xen_domctl_bind_pt_irq *b = &op->u.bind_pt_irq;

	if (b->irq_type != (uint32_t)PT_IRQ_TYPE_SPI) {
		return -EOPNOTSUPP;
	}
	return (b->u.spi.spi != b->machine_irq) ? -EINVAL : -EPERM;
}

static int64_t set_target_refused(const struct xen_domctl *op,
				  const struct domain *d)
{
	const struct domain *e = domain_by_id(op->u.set_target.target);

	if (e == NULL) {
		return -ESRCH;
	}
	return (d == e) ? -EINVAL : -EPERM;
}

/*
 * Xen 4.17's answer on Arm to a caller that is not the control domain,
 * once d is found: a few sub-ops check their arguments before the caller
 * (or, on Arm, answer without checking it), the rest refuse it.
 * XEN_VM_EVENT_GET_VERSION answers anyone: 0 with the version in *op.
 */
static int64_t domctl_refused(struct xen_domctl *op, const struct domain *d)
{
	switch (op->cmd) {
	case XEN_DOMCTL_getdomaininfo:
		return domaininfo_refused(op, d);
	case XEN_DOMCTL_iomem_permission:
		return range_wraps(op->u.iomem_permission.first_mfn,
				   op->u.iomem_permission.nr_mfns)
			       ? -EINVAL
			       : -EPERM;
	case XEN_DOMCTL_memory_mapping:
		return memory_mapping_refused(op);
	case XEN_DOMCTL_irq_permission:
		return (op->u.irq_permission.pirq >= NR_PIRQS) ? -EINVAL
							       : -EPERM;
	case XEN_DOMCTL_set_target:
		return set_target_refused(op, d);
	case XEN_DOMCTL_vm_event_op:
		if (op->u.vm_event_op.op == XEN_VM_EVENT_GET_VERSION) {
			op->u.vm_event_op.u.version =
				VM_EVENT_INTERFACE_VERSION;
			return 0;
		}
		return (d == NULL) ? -ESRCH : -EPERM;
	case XEN_DOMCTL_get_device_group:
		return -EOPNOTSUPP; /* no IOMMU */
	case XEN_DOMCTL_ioport_permission:
	case XEN_DOMCTL_ioport_mapping:
		return -ENOSYS; /* x86 only */
	case XEN_DOMCTL_bind_pt_irq:
	case XEN_DOMCTL_unbind_pt_irq:
		return pt_irq_refused(op);
	default:
		return -EPERM;
	}
}

/* XEN_DOMCTL_createdomain, with Xen's checks: an HVM guest with hardware
 * paging, and the arch's own (on Arm: the host's GIC, no TEE). The ID is
 * chosen first, as in Xen, so a refused domain still uses one up. The ID is the one asked
 * for or, for none, the next free one. The domain starts paused, without
 * memory: the toolstack sets its limit and populates it. */
static int64_t create_domain(struct xen_domctl *op)
{
	struct xen_domctl_createdomain *c = &op->u.createdomain;
	struct domain_config cfg = {0};
	domid_t id = op->domain;
	struct domain *d;
	int64_t err;

	if ((id > 0U) && (id < DOMID_FIRST_RESERVED)) {
		if (domain_by_id(id) != NULL) {
			return -EEXIST;
		}
	} else {
		id = domain_next_free_id();
		if (id == 0U) {
			return -ENOMEM;
		}
	}
	if ((c->flags & ~(XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap |
			  XEN_DOMCTL_CDF_iommu)) != 0U) {
		return -EINVAL;
	}
	if ((c->flags & (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap)) !=
	    (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap)) {
		return -EINVAL;
	}
	if ((c->flags & XEN_DOMCTL_CDF_iommu) != 0U) {
		return -EOPNOTSUPP; /* no IOMMU */
	}
	err = arch_domain_config(&c->arch);
	if (err != 0) {
		return err;
	}
	if ((c->max_vcpus == 0U) || (c->max_vcpus > MAX_VCPUS) ||
	    (XEN_DOMCTL_GRANT_version(c->grant_opts) > 1U) ||
	    (c->cpupool_id != 0U) || (c->vmtrace_size != 0U)) {
		return -EINVAL;
	}
	cfg.max_vcpus = c->max_vcpus;
	cfg.by_toolstack = true;
	d = domain_create(id, &cfg);
	if (d == NULL) {
		return -ENOMEM;
	}
	memcpy(d->handle, c->handle, sizeof(d->handle));
	op->domain = id;
	return 0;
}

/* XEN_DOMCTL_getdomaininfo: the domain named or, if none, the first one
 * at or above that ID. */
static int64_t get_domaininfo(struct domain *d, struct xen_domctl *op)
{
	struct domain *e;
	unsigned int i;

	if (d == NULL) {
		if (op->domain >= DOMID_FIRST_RESERVED) {
			return -EINVAL;
		}
		for (i = 0; domain_at(i) != NULL; i++) {
			e = domain_at(i);
			if ((e->domain_id >= op->domain) &&
			    ((d == NULL) || (e->domain_id < d->domain_id))) {
				d = e;
			}
		}
		if (d == NULL) {
			return -ESRCH;
		}
	}
	control_domaininfo(d, &op->u.getdomaininfo);
	op->domain = d->domain_id;
	return 0;
}

/* The most pauses Xen counts before it refuses another (-EOVERFLOW). */
#define MAX_PAUSES 255U

static int64_t pause_domain(struct vcpu *v, struct domain *d)
{
	if (d == v->domain) {
		return -EINVAL;
	}
	if (d->pause_count >= MAX_PAUSES) {
		return -EOVERFLOW;
	}
	domain_pause_by_controller(d);
	return 0;
}

/* XEN_DOMCTL_destroydomain: the caller takes d apart itself, preemptibly
 * (continued with -ERESTART, as Xen), so its memory is free when the call
 * returns; a domain whose pages are still mapped elsewhere stays a zombie,
 * freed later by the reaper. VIRQ_DOM_EXC follows each stage. */
static int64_t destroy_domain(struct vcpu *v, struct domain *d)
{
	int rc;

	if ((d == v->domain) || d->is_hardware_domain) {
		return -EINVAL;
	}
	/* Before the kill queues d for the reaper: from then on only this
	 * call advances d until it is a zombie, so d exists while the call
	 * continues. */
	domain_destroy_by_controller(d);
	domain_kill(d);
	do {
		rc = domain_destroy_step(d);
	} while ((rc == -ERESTART) && !hypercall_preempt_check());
	return rc;
}

/* XEN_DOMCTL_scheduler_op for a domain: credit2's weight and cap. */
static int64_t scheduler_op(struct domain *d, struct xen_domctl *op)
{
	struct xen_domctl_scheduler_op *s = &op->u.scheduler_op;

	if (s->sched_id != CONTROL_SCHED_ID) {
		return -EINVAL;
	}
	switch (s->cmd) {
	case XEN_DOMCTL_SCHEDOP_getinfo:
		s->u.credit2.weight = d->sched_weight;
		s->u.credit2.cap = d->sched_cap;
		return 0;
	case XEN_DOMCTL_SCHEDOP_putinfo:
		if (s->u.credit2.cap > (100U * d->max_vcpus)) {
			return -EINVAL;
		}
		if (s->u.credit2.weight != 0U) {
			d->sched_weight = s->u.credit2.weight;
		}
		d->sched_cap = s->u.credit2.cap;
		return 0;
	default:
		return -EINVAL;
	}
}

/* XEN_DOMCTL_cacheflush: clean and invalidate the data cache over guest
 * frames the toolstack wrote (the guest starts with its caches off). At
 * most 2^MAX_ORDER frames at once, as Xen. Preempted, it writes what is
 * left back into the structure and answers -ERESTART, so the control
 * domain's call continues from there (Xen 4.17 loops without preemption
 * here). */
static int64_t cache_flush(struct domain *d, struct xen_domctl *op,
			   bool *copyback)
{
	uint64_t first = op->u.cacheflush.start_pfn;
	uint64_t nr = op->u.cacheflush.nr_pfns;
	uint64_t gfn;
	paddr_t pa;

	if ((nr > (1ULL << MAX_ORDER)) || ((first + nr) < first)) {
		return -EINVAL;
	}
	for (gfn = first; gfn < (first + nr); gfn++) {
		if ((gfn != first) && hypercall_preempt_check()) {
			op->u.cacheflush.start_pfn = gfn;
			op->u.cacheflush.nr_pfns = (first + nr) - gfn;
			*copyback = true;
			return -ERESTART;
		}
		pa = arch_gfn_to_maddr(d, gfn);
		if (pa != INVALID_PADDR) {
			arch_flush_dcache(maddr_to_virt(pa), PAGE_SIZE);
		}
	}
	return 0;
}

/* The node affinity: Xen 4.17 has one NUMA node on Arm. */
static int64_t node_affinity(struct xen_domctl *op, bool *copyback)
{
	uint64_t mask = 0;
	int err;

	if (op->cmd == XEN_DOMCTL_getnodeaffinity) {
		*copyback = true;
		return control_bitmap_out(&op->u.nodeaffinity.nodemap, 1U);
	}
	err = control_bitmap_in(&op->u.nodeaffinity.nodemap, &mask);
	if (err != 0) {
		return err;
	}
	return ((mask & 1U) == 0U) ? -EINVAL : 0;
}

static int64_t paging_pool(struct domain *d, struct xen_domctl *op,
			   bool *copyback)
{
	uint64_t size = op->u.paging_mempool.size;

	if (op->cmd == XEN_DOMCTL_get_paging_mempool_size) {
		op->u.paging_mempool.size = arch_paging_pool(d) * PAGE_SIZE;
		*copyback = true;
		return 0;
	}
	if ((size % PAGE_SIZE) != 0U) {
		return -EINVAL;
	}
	return arch_set_paging_pool(d, size / PAGE_SIZE);
}

static int64_t address_size(struct xen_domctl *op, bool *copyback)
{
	if (op->cmd == XEN_DOMCTL_get_address_size) {
		op->u.address_size.size = 64;
		*copyback = true;
		return 0;
	}
	/* AArch64 guests only. */
	return (op->u.address_size.size == 64U) ? 0 : -EINVAL;
}

/* A sub-op of the control domain on d (NULL only for createdomain and
 * getdomaininfo). */
static int64_t domctl_op(struct vcpu *v, struct domain *d,
			 struct xen_domctl *op, bool *copyback)
{
	switch (op->cmd) {
	case XEN_DOMCTL_createdomain:
		*copyback = true;
		return create_domain(op);
	case XEN_DOMCTL_getdomaininfo:
		*copyback = true;
		return get_domaininfo(d, op);
	case XEN_DOMCTL_destroydomain:
		return destroy_domain(v, d);
	case XEN_DOMCTL_pausedomain:
		return pause_domain(v, d);
	case XEN_DOMCTL_unpausedomain:
		return domain_unpause_by_controller(d);
	case XEN_DOMCTL_max_mem:
		/* Above what it has now, it may allocate no more until it
		 * gives some back, as in Xen. */
		d->max_pages = op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10U);
		return 0;
	case XEN_DOMCTL_setdomainhandle:
		memcpy(d->handle, op->u.setdomainhandle.handle,
		       sizeof(d->handle));
		return 0;
	case XEN_DOMCTL_scheduler_op:
		*copyback = true;
		return scheduler_op(d, op);
	case XEN_DOMCTL_set_address_size:
	case XEN_DOMCTL_get_address_size:
		return address_size(op, copyback);
	case XEN_DOMCTL_cacheflush:
		return cache_flush(d, op, copyback);
	case XEN_DOMCTL_setnodeaffinity:
	case XEN_DOMCTL_getnodeaffinity:
		return node_affinity(op, copyback);
	case XEN_DOMCTL_set_paging_mempool_size:
	case XEN_DOMCTL_get_paging_mempool_size:
		return paging_pool(d, op, copyback);
	default:
		return domctl_vcpu_op(d, op, copyback);
	}
}

/* Set with hypercall_trace: a failing sub-op is logged. */
int64_t do_domctl(struct vcpu *v, const uint64_t *args)
{
	struct xen_domctl op;
	struct domain *d = NULL;
	bool copyback = false;
	int64_t rc;

	if (copy_from_guest(&op, args[0], sizeof(op)) != 0) {
		return -EFAULT;
	}
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION) {
		return -EACCES;
	}
	rc = domctl_domain(&op, &d);
	if (rc != 0) {
		return rc;
	}
	if (v->domain->is_hardware_domain) {
		rc = domctl_op(v, d, &op, &copyback);
		if (hypercall_tracing()) {
			printk("d%u: domctl %u on d%u = %ld\n",
			       v->domain->domain_id, op.cmd, op.domain,
			       (long)rc);
		}
	} else {
		rc = domctl_refused(&op, d);
		copyback = rc == 0;
	}
	if (copyback && (copy_to_guest(args[0], &op, sizeof(op)) != 0)) {
		rc = -EFAULT;
	}
	/* A preempted sub-op left what remains in the structure. */
	return (rc == -ERESTART) ? hypercall_continue(v, args[0], 0U, 0U) : rc;
}
