/*
 * XEN_SYSCTL: the toolstack's view of the machine (physinfo, topology,
 * the CPU pool, every domain, the console log), and XEN_HYPFS_OP. Xen
 * 4.17's checks first: the structure is copied (-EFAULT), its interface
 * version checked (-EACCES), then the caller must be the control domain
 * (-EPERM).
 */
#include <hv/console.h>
#include <hv/control.h>
#include <hv/errno.h>
#include <hv/guest-copy.h>
#include <hv/hypercall.h>
#include <hv/page-alloc.h>
#include <hv/printk.h>
#include <hv/smp.h>
#include <hv/string.h>
#include <hv/time.h>

/* Xen 4.17 on Arm has one NUMA node; its distance to itself. */
#define NODE_DISTANCE 20U

static unsigned int highest_cpu(void)
{
	uint64_t online = control_online_cpus();
	unsigned int cpu = 0;

	while ((online >> cpu) > 1U) {
		cpu++;
	}
	return cpu;
}

static int64_t physinfo(struct xen_sysctl_physinfo *pi)
{
	unsigned int i;

	memset(pi, 0, sizeof(*pi));
	pi->threads_per_core = 1;
	pi->cores_per_socket = 1; /* as Xen 4.17 counts on Arm */
	pi->nr_cpus = smp_num_online();
	pi->max_cpu_id = highest_cpu();
	pi->nr_nodes = 1;
	pi->max_node_id = 0;
	pi->cpu_khz = (uint32_t)(arch_counter_freq() / 1000U);
	pi->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap |
			   XEN_SYSCTL_PHYSCAP_gnttab_v1;
	pi->total_pages = page_alloc_total_bytes() >> PAGE_SHIFT;
	pi->free_pages = page_alloc_free_bytes() >> PAGE_SHIFT;
	for (i = 0; domain_at(i) != NULL; i++) {
		pi->outstanding_pages += domain_at(i)->claimed_pages;
	}
	pi->max_mfn = page_alloc_max_frame() - 1U;
	return 0;
}

/* Up to max_domains of the domains from first_domain up, in ID order. */
static int64_t domaininfo_list(struct xen_sysctl_getdomaininfolist *l)
{
	struct xen_domctl_getdomaininfo info;
	struct domain *next;
	struct domain *d;
	uint32_t n = 0;
	domid_t from = l->first_domain;
	unsigned int i;

	while (n < l->max_domains) {
		next = NULL;
		for (i = 0; domain_at(i) != NULL; i++) {
			d = domain_at(i);
			if ((d->domain_id >= from) &&
			    ((next == NULL) ||
			     (d->domain_id < next->domain_id))) {
				next = d;
			}
		}
		if (next == NULL) {
			break;
		}
		control_domaininfo(next, &info);
		if (copy_to_guest(GUEST_HANDLE_ADDR(l->buffer) +
					  (n * sizeof(info)),
				  &info, sizeof(info)) != 0) {
			return -EFAULT;
		}
		n++;
		if (next->domain_id == (DOMID_FIRST_RESERVED - 1U)) {
			break;
		}
		from = next->domain_id + 1U;
	}
	l->num_domains = n;
	return 0;
}

/* One pool, 0, holding every CPU and domain. */
static int64_t cpupool_op(struct xen_sysctl_cpupool_op *c)
{
	unsigned int i;

	switch (c->op) {
	case XEN_SYSCTL_CPUPOOL_OP_INFO:
		if (c->cpupool_id != 0U) {
			return -ENOENT; /* the first pool at or above it */
		}
		c->sched_id = CONTROL_SCHED_ID;
		for (c->n_dom = 0, i = 0; domain_at(i) != NULL; i++) {
			c->n_dom++;
		}
		return control_bitmap_out(&c->cpumap, control_online_cpus());
	case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
		return control_bitmap_out(&c->cpumap, 0U);
	default:
		return -ENOSYS; /* one pool only */
	}
}

static int64_t numainfo(struct xen_sysctl_numainfo *ni)
{
	struct xen_sysctl_meminfo mem = {0};
	uint32_t distance = NODE_DISTANCE;

	if ((GUEST_HANDLE_ADDR(ni->meminfo) != 0U) ||
	    (GUEST_HANDLE_ADDR(ni->distance) != 0U)) {
		if (ni->num_nodes == 0U) {
			return 0;
		}
		mem.memsize = page_alloc_total_bytes();
		mem.memfree = page_alloc_free_bytes();
		if ((GUEST_HANDLE_ADDR(ni->meminfo) != 0U) &&
		    (copy_to_guest(GUEST_HANDLE_ADDR(ni->meminfo), &mem,
				   sizeof(mem)) != 0)) {
			return -EFAULT;
		}
		if ((GUEST_HANDLE_ADDR(ni->distance) != 0U) &&
		    (copy_to_guest(GUEST_HANDLE_ADDR(ni->distance), &distance,
				   sizeof(distance)) != 0)) {
			return -EFAULT;
		}
	}
	ni->num_nodes = 1;
	return 0;
}

/* Every CPU in core 0 of socket 0, node 0, as Xen 4.17 reports on Arm. */
static int64_t cputopoinfo(struct xen_sysctl_cputopoinfo *ti)
{
	struct xen_sysctl_cputopo topo = {0};
	uint32_t n = highest_cpu() + 1U;
	uint32_t i;

	if (GUEST_HANDLE_ADDR(ti->cputopo) != 0U) {
		n = MIN(n, ti->num_cpus);
		for (i = 0; i < n; i++) {
			if (copy_to_guest(GUEST_HANDLE_ADDR(ti->cputopo) +
						  (i * sizeof(topo)),
					  &topo, sizeof(topo)) != 0) {
				return -EFAULT;
			}
		}
	}
	ti->num_cpus = n;
	return 0;
}

/* XEN_SYSCTL_readconsole, as Xen's read_console_ring(). */
static int64_t readconsole(struct xen_sysctl_readconsole *r)
{
	const char *ring = console_ring();
	uint32_t sofar = 0;
	uint32_t idx;
	uint32_t len;
	uint32_t c;
	uint32_t p;

	console_ring_state(&c, &p);
	if ((r->incremental != 0U) &&
	    ((c <= p) ? ((c < r->index) && (r->index <= p))
		      : ((c < r->index) || (r->index <= p)))) {
		c = r->index;
	}
	while ((c != p) && (sofar < r->count)) {
		idx = c % CONSOLE_RING_SIZE;
		len = MIN(p - c, CONSOLE_RING_SIZE - idx);
		len = MIN(len, r->count - sofar);
		if (copy_to_guest(GUEST_HANDLE_ADDR(r->buffer) + sofar,
				  &ring[idx], len) != 0) {
			return -EFAULT;
		}
		sofar += len;
		c += len;
	}
	if (r->clear != 0U) {
		console_ring_clear(c);
	}
	r->count = sofar;
	r->index = c;
	return 0;
}

static int64_t sysctl_op(struct xen_sysctl *op)
{
	switch (op->cmd) {
	case XEN_SYSCTL_physinfo:
		return physinfo(&op->u.physinfo);
	case XEN_SYSCTL_sched_id:
		op->u.sched_id.sched_id = CONTROL_SCHED_ID;
		return 0;
	case XEN_SYSCTL_getdomaininfolist:
		return domaininfo_list(&op->u.getdomaininfolist);
	case XEN_SYSCTL_cpupool_op:
		return cpupool_op(&op->u.cpupool_op);
	case XEN_SYSCTL_numainfo:
		return numainfo(&op->u.numainfo);
	case XEN_SYSCTL_cputopoinfo:
		return cputopoinfo(&op->u.cputopoinfo);
	case XEN_SYSCTL_readconsole:
		return readconsole(&op->u.readconsole);
	default:
		return -ENOSYS;
	}
}

int64_t do_sysctl(struct vcpu *v, const uint64_t *args)
{
	struct xen_sysctl op;
	int64_t rc;

	if (copy_from_guest(&op, args[0], sizeof(op)) != 0) {
		return -EFAULT;
	}
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION) {
		return -EACCES;
	}
	if (!v->domain->is_hardware_domain) {
		return -EPERM;
	}
	rc = sysctl_op(&op);
	if (hypercall_tracing()) {
		printk("d%u: sysctl %u = %ld\n", v->domain->domain_id, op.cmd,
		       (long)rc);
	}
	if ((rc == 0) && (copy_to_guest(args[0], &op, sizeof(op)) != 0)) {
		rc = -EFAULT;
	}
	return rc;
}

/* Xen checks the caller before anything else here. */
int64_t do_hypfs_op(struct vcpu *v, const uint64_t *args)
{
	(void)args;
	return v->domain->is_hardware_domain ? -ENOSYS : -EPERM;
}
