/*
 * The control hypercalls (domctl, sysctl, hypfs_op): the toolstack's. The
 * checks come first and in Xen 4.17's order, so every caller gets Xen's
 * answer: the structure is copied (-EFAULT), its interface version checked
 * (-EACCES), the domain a domctl names looked up (-ESRCH) and a few
 * sub-ops' arguments checked, then the caller must be the control domain
 * (-EPERM). The operations themselves are not there yet (-ENOSYS).
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest-copy.h>
#include <hv/hypercall.h>
#include <hv/page-alloc.h>

/* <xen/hvm/save.h> (through <xen/sysctl.h> and <xen/domctl.h>) refuses
 * strict ISO C for its anonymous unions, which C11 has: its check predates
 * C11. It is lifted for these headers only. */
#undef __STRICT_ANSI__
#include <xen/domctl.h>
#include <xen/sysctl.h>
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

int64_t do_domctl(struct vcpu *v, const uint64_t *args)
{
	struct xen_domctl op;
	struct domain *d = NULL;
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
		return -ENOSYS;
	}
	rc = domctl_refused(&op, d);
	if ((rc == 0) && (copy_to_guest(args[0], &op, sizeof(op)) != 0)) {
		rc = -EFAULT;
	}
	return rc;
}

int64_t do_sysctl(struct vcpu *v, const uint64_t *args)
{
	struct xen_sysctl op;

	if (copy_from_guest(&op, args[0], sizeof(op)) != 0) {
		return -EFAULT;
	}
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION) {
		return -EACCES;
	}
	return v->domain->is_hardware_domain ? -ENOSYS : -EPERM;
}

/* Xen checks the caller before anything else here. */
int64_t do_hypfs_op(struct vcpu *v, const uint64_t *args)
{
	(void)args;
	return v->domain->is_hardware_domain ? -ENOSYS : -EPERM;
}
