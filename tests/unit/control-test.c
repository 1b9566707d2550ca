/*
 * Unit tests for the control domain's domctl and sysctl: each handler's
 * checks and what it reports, driven through hypercall dispatch with the
 * structures in the control domain's (fake) RAM.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <hv/control.h>
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <hv/page-alloc.h>
#include <hv/printk.h>

#include <xen/memory.h>

#include "fake-console.h"
#include "fake-host.h"

extern struct vcpu *fake_current_guest;
extern bool fake_irq_pending;

#define ARENA_SIZE (8U << 20)
#define CTL_RAM 65536U
#define OP_AT 0x1000U /* where the structure sits in dom0's RAM */
#define BUF_AT 0x4000U /* a buffer the structure points to */

static void *arena;
static struct domain *dom0;

static int group_setup(void **state)
{
	struct domain_config cfg = {
		.name = "ctl", .max_vcpus = 2, .ram_bytes = CTL_RAM};

	(void)state;
	arena = fake_host_start(ARENA_SIZE);
	fake_console_start();
	dom0 = domain_create(0, &cfg);
	assert_non_null(dom0);
	dom0->is_hardware_domain = true;
	fake_current_guest = dom0->vcpus[0];
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

static int64_t domctl(struct xen_domctl *op)
{
	const uint64_t args[HYPERCALL_MAX_ARGS] = {OP_AT, 0, 0, 0, 0};
	int64_t rc;

	op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	memcpy(&dom0->arch.ram[OP_AT], op, sizeof(*op));
	rc = hypercall_dispatch(dom0->vcpus[0], args, __HYPERVISOR_domctl);
	memcpy(op, &dom0->arch.ram[OP_AT], sizeof(*op));
	return rc;
}

static int64_t sysctl(struct xen_sysctl *op)
{
	const uint64_t args[HYPERCALL_MAX_ARGS] = {OP_AT, 0, 0, 0, 0};
	int64_t rc;

	op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	memcpy(&dom0->arch.ram[OP_AT], op, sizeof(*op));
	rc = hypercall_dispatch(dom0->vcpus[0], args, __HYPERVISOR_sysctl);
	memcpy(op, &dom0->arch.ram[OP_AT], sizeof(*op));
	return rc;
}

/* createdomain as libxl asks it; the new ID or a negative errno. */
static int64_t create(uint32_t flags, uint32_t vcpus)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_createdomain,
				.domain = DOMID_INVALID};
	int64_t rc;

	op.u.createdomain.flags = flags;
	op.u.createdomain.max_vcpus = vcpus;
	op.u.createdomain.grant_opts = 1;
	op.u.createdomain.max_grant_frames = -1;
	op.u.createdomain.max_maptrack_frames = -1;
	rc = domctl(&op);
	return (rc == 0) ? op.domain : rc;
}

static uint32_t info_flags(domid_t id, domid_t *found)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_getdomaininfo, .domain = id};

	assert_int_equal(domctl(&op), 0);
	*found = op.domain;
	return op.u.getdomaininfo.flags;
}

static const uint32_t HVM_HAP = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;

static void test_create_checks_and_ids(void **state)
{
	int64_t a;
	int64_t b;

	(void)state;
	assert_int_equal(create(XEN_DOMCTL_CDF_hvm, 1), -EINVAL); /* no hap */
	assert_int_equal(create(HVM_HAP, 0), -EINVAL);
	assert_int_equal(create(HVM_HAP, MAX_VCPUS + 1U), -EINVAL);
	assert_int_equal(create(HVM_HAP | XEN_DOMCTL_CDF_iommu, 1),
			 -EOPNOTSUPP);
	a = create(HVM_HAP, 2);
	b = create(HVM_HAP, 1);
	assert_true(a > 0);
	assert_int_equal(b, a + 1); /* IDs keep increasing, as in Xen */
	assert_int_equal(domain_by_id((domid_t)a)->max_vcpus, 2);
	assert_int_equal(domain_by_id((domid_t)a)->tot_pages, 1); /* fake */
}

static void test_new_domain_is_paused_until_unpaused(void **state)
{
	struct xen_domctl op = {0};
	domid_t found;
	int64_t id = create(HVM_HAP, 1);

	(void)state;
	assert_true(id > 0);
	assert_true(info_flags((domid_t)id, &found) & XEN_DOMINF_paused);
	assert_true(info_flags((domid_t)id, &found) & XEN_DOMINF_hvm_guest);
	assert_true(info_flags((domid_t)id, &found) & XEN_DOMINF_hap);
	op.cmd = XEN_DOMCTL_unpausedomain;
	op.domain = (domid_t)id;
	assert_int_equal(domctl(&op), 0);
	assert_false(info_flags((domid_t)id, &found) & XEN_DOMINF_paused);
	op.cmd = XEN_DOMCTL_unpausedomain; /* not paused any more */
	assert_int_equal(domctl(&op), -EINVAL);
	op.cmd = XEN_DOMCTL_pausedomain;
	assert_int_equal(domctl(&op), 0);
	assert_true(info_flags((domid_t)id, &found) & XEN_DOMINF_paused);
	/* Not itself, and dom0 cannot be destroyed. */
	op.domain = 0;
	assert_int_equal(domctl(&op), -EINVAL);
	op.cmd = XEN_DOMCTL_destroydomain;
	assert_int_equal(domctl(&op), -EINVAL);
}

static void test_getdomaininfo_finds_the_next_domain(void **state)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_createdomain};
	domid_t found;
	int64_t id = create(HVM_HAP, 1);

	(void)state;
	/* A domain at an ID of its own choosing, leaving a gap. */
	op.domain = (domid_t)(id + 5);
	op.u.createdomain.flags = HVM_HAP;
	op.u.createdomain.max_vcpus = 1;
	assert_int_equal(domctl(&op), 0);
	assert_int_equal(domctl(&op), -EEXIST);
	(void)info_flags((domid_t)(id + 1), &found); /* first at or above */
	assert_int_equal(found, id + 5);
	memset(&op, 0, sizeof(op));
	op.cmd = XEN_DOMCTL_getdomaininfo;
	op.domain = (domid_t)(id + 6);
	assert_int_equal(domctl(&op), -ESRCH);
	op.domain = DOMID_FIRST_RESERVED;
	assert_int_equal(domctl(&op), -EINVAL);
}

static void test_max_mem_and_domain_list(void **state)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_max_mem};
	struct xen_sysctl sop = {.cmd = XEN_SYSCTL_getdomaininfolist};
	struct xen_domctl_getdomaininfo list[4];
	int64_t id = create(HVM_HAP, 1);

	(void)state;
	op.domain = (domid_t)id;
	op.u.max_mem.max_memkb = 262144 + 1024;
	assert_int_equal(domctl(&op), 0);
	assert_int_equal(domain_by_id((domid_t)id)->max_pages, 65792);
	sop.u.getdomaininfolist.max_domains = 2;
	set_xen_guest_handle_raw(sop.u.getdomaininfolist.buffer,
				 (void *)(uintptr_t)BUF_AT);
	sop.u.getdomaininfolist.first_domain = (domid_t)(id - 1);
	assert_int_equal(sysctl(&sop), 0);
	assert_int_equal(sop.u.getdomaininfolist.num_domains, 2);
	memcpy(list, &dom0->arch.ram[BUF_AT], sizeof(list));
	assert_int_equal(list[0].domain, id - 1);
	assert_int_equal(list[1].domain, id);
	assert_int_equal(list[1].max_pages, 65792);
	/* libxl reads on until a call gives none. */
	sop.u.getdomaininfolist.first_domain = DOMID_FIRST_RESERVED - 1U;
	assert_int_equal(sysctl(&sop), 0);
	assert_int_equal(sop.u.getdomaininfolist.num_domains, 0);
}

static void test_physinfo_pool_and_version(void **state)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_physinfo};
	const uint64_t args[HYPERCALL_MAX_ARGS] = {OP_AT, 0, 0, 0, 0};

	(void)state;
	assert_int_equal(sysctl(&op), 0);
	assert_true(op.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_hap);
	assert_true(op.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v1);
	assert_int_equal(op.u.physinfo.nr_cpus, 1);
	assert_int_equal(op.u.physinfo.max_cpu_id, 0);
	assert_true(op.u.physinfo.free_pages < op.u.physinfo.total_pages);
	memset(&op, 0, sizeof(op));
	op.cmd = XEN_SYSCTL_cpupool_op;
	op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
	assert_int_equal(sysctl(&op), 0);
	assert_int_equal(op.u.cpupool_op.sched_id, CONTROL_SCHED_ID);
	op.u.cpupool_op.cpupool_id = 1; /* xen-init-dom0 expects ENOENT */
	assert_int_equal(sysctl(&op), -ENOENT);
	/* The interface version is checked before anything else. */
	op.interface_version = XEN_SYSCTL_INTERFACE_VERSION - 1U;
	memcpy(&dom0->arch.ram[OP_AT], &op, sizeof(op));
	assert_int_equal(hypercall_dispatch(dom0->vcpus[0], args,
					    __HYPERVISOR_sysctl),
			 -EACCES);
}

static void test_readconsole_is_incremental(void **state)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_readconsole};
	char *out = (char *)&dom0->arch.ram[BUF_AT];
	uint32_t index;

	(void)state;
	printk("first line for the ring\n");
	op.u.readconsole.count = 8192;
	set_xen_guest_handle_raw(op.u.readconsole.buffer,
				 (void *)(uintptr_t)BUF_AT);
	assert_int_equal(sysctl(&op), 0);
	assert_non_null(memmem(out, op.u.readconsole.count,
			       "first line for the ring", 23));
	index = op.u.readconsole.index;
	printk("second line\n");
	memset(&op, 0, sizeof(op));
	op.cmd = XEN_SYSCTL_readconsole;
	op.u.readconsole.count = 8192;
	op.u.readconsole.incremental = 1;
	op.u.readconsole.index = index;
	set_xen_guest_handle_raw(op.u.readconsole.buffer,
				 (void *)(uintptr_t)BUF_AT);
	assert_int_equal(sysctl(&op), 0);
	assert_int_equal(op.u.readconsole.count,
			 strlen("(XENON) second line\n"));
	assert_memory_equal(out, "(XENON) second line\n",
			    op.u.readconsole.count);
}

static void test_vcpu_ops_check_their_vcpu(void **state)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_getvcpuinfo};
	uint8_t none = 0;
	int64_t id = create(HVM_HAP, 1);

	(void)state;
	op.domain = (domid_t)id;
	op.u.getvcpuinfo.vcpu = 1;
	assert_int_equal(domctl(&op), -EINVAL);
	op.u.getvcpuinfo.vcpu = 0;
	assert_int_equal(domctl(&op), 0);
	assert_int_equal(op.u.getvcpuinfo.online, 0);
	/* A hard affinity without an online CPU is refused. */
	memset(&op.u, 0, sizeof(op.u));
	op.cmd = XEN_DOMCTL_setvcpuaffinity;
	op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
	op.u.vcpuaffinity.cpumap_hard.nr_bits = 8;
	memcpy(&dom0->arch.ram[BUF_AT], &none, 1);
	set_xen_guest_handle_raw(op.u.vcpuaffinity.cpumap_hard.bitmap,
				 (void *)(uintptr_t)BUF_AT);
	assert_int_equal(domctl(&op), -EINVAL);
	/* max_vcpus must repeat createdomain's number. */
	memset(&op.u, 0, sizeof(op.u));
	op.cmd = XEN_DOMCTL_max_vcpus;
	op.u.max_vcpus.max = 2;
	assert_int_equal(domctl(&op), -EINVAL);
	op.u.max_vcpus.max = 1;
	assert_int_equal(domctl(&op), 0);
}

/* A cacheflush preempted by an interrupt writes what is left into the
 * structure and continues; the whole range is bounded as in Xen. */
static void test_cacheflush_is_bounded_and_preemptible(void **state)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_cacheflush, .domain = 0};
	struct vcpu *v = dom0->vcpus[0];

	(void)state;
	op.u.cacheflush.nr_pfns = (1ULL << MAX_ORDER) + 1U;
	assert_int_equal(domctl(&op), -EINVAL);
	op.u.cacheflush.start_pfn = ~0ULL - 1U;
	op.u.cacheflush.nr_pfns = 4;
	assert_int_equal(domctl(&op), -EINVAL);

	op.u.cacheflush.start_pfn = 2;
	op.u.cacheflush.nr_pfns = 8;
	fake_irq_pending = true;
	assert_int_equal(domctl(&op), -ERESTART);
	fake_irq_pending = false;
	assert_true(v->hcall_continues);
	assert_int_equal(v->hcall_args[0], OP_AT);
	v->hcall_continues = false;
	/* One frame done per call while the interrupt stays pending. */
	assert_int_equal(op.u.cacheflush.start_pfn, 3);
	assert_int_equal(op.u.cacheflush.nr_pfns, 7);
	assert_int_equal(domctl(&op), 0);
	assert_false(v->hcall_continues);
}

/* destroydomain takes the domain apart in the call, preemptibly: pending
 * interrupts make it continue (-ERESTART), and once it answers 0 the domain
 * is gone and its ID free. */
static void test_destroy_is_synchronous_and_preemptible(void **state)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_destroydomain};
	struct vcpu *v = dom0->vcpus[0];
	int64_t id = create(HVM_HAP, 2);
	unsigned int rounds = 0;
	int64_t rc;

	(void)state;
	assert_true(id > 0);
	op.domain = (domid_t)id;
	fake_irq_pending = true;
	rc = domctl(&op);
	fake_irq_pending = false;
	assert_int_equal(rc, -ERESTART);
	assert_true(v->hcall_continues);
	v->hcall_continues = false;
	assert_non_null(domain_by_id((domid_t)id));
	do {
		rc = domctl(&op);
		v->hcall_continues = false;
		rounds++;
	} while ((rc == -ERESTART) && (rounds < 100U));
	assert_int_equal(rc, 0);
	assert_null(domain_by_id((domid_t)id));
	/* dom0 cannot destroy itself. */
	op.domain = 0;
	assert_int_equal(domctl(&op), -EINVAL);
}

static int64_t acquire(struct xen_mem_acquire_resource *r, uint64_t list)
{
	const uint64_t args[HYPERCALL_MAX_ARGS] = {XENMEM_acquire_resource,
						   OP_AT, 0, 0, 0};
	int64_t rc;

	set_xen_guest_handle_raw(r->frame_list, (void *)(uintptr_t)list);
	memcpy(&dom0->arch.ram[OP_AT], r, sizeof(*r));
	rc = hypercall_dispatch(dom0->vcpus[0], args, __HYPERVISOR_memory_op);
	memcpy(r, &dom0->arch.ram[OP_AT], sizeof(*r));
	return rc;
}

/* acquire_resource of a domU's grant table: its size, Xen's checks, and a
 * mapping that fails leaves no reference behind. */
static void test_acquire_resource_grant_table(void **state)
{
	struct xen_mem_acquire_resource r = {
		.type = XENMEM_resource_grant_table};
	int64_t id = create(HVM_HAP, 1);
	struct domain *d;
	xen_pfn_t gfn = 0x10;

	(void)state;
	d = domain_by_id((domid_t)id);
	r.domid = (domid_t)id;
	assert_int_equal(acquire(&r, 0), 0);
	assert_int_equal(r.nr_frames, 64);
	r.nr_frames = 1;
	assert_int_equal(acquire(&r, 0), -EINVAL); /* a size query has 0 */
	r.id = XENMEM_resource_grant_table_id_status;
	r.nr_frames = 0;
	assert_int_equal(acquire(&r, 0), -EINVAL); /* no v2 status frames */
	r.id = XENMEM_resource_grant_table_id_shared;
	r.type = XENMEM_resource_ioreq_server;
	assert_int_equal(acquire(&r, 0), -EOPNOTSUPP);
	r.type = XENMEM_resource_grant_table;
	memcpy(&dom0->arch.ram[BUF_AT], &gfn, sizeof(gfn));
	r.frame = 64;
	r.nr_frames = 1;
	assert_int_equal(acquire(&r, BUF_AT), -EINVAL); /* past the table */
	r.frame = 0;
	/* The fake arch maps nothing: the error comes back and the
	 * reference taken for the mapping is dropped. */
	assert_int_equal(acquire(&r, BUF_AT), -EOPNOTSUPP);
	assert_int_equal(d->foreign_hyp_maps, 0);
	r.domid = 0;
	assert_int_equal(acquire(&r, BUF_AT), -EPERM); /* not oneself */
	r.domid = (domid_t)id;
	dom0->is_hardware_domain = false;
	assert_int_equal(acquire(&r, BUF_AT), -EPERM);
	dom0->is_hardware_domain = true;
}

/*
 * Found by fuzz/control-fuzz: the control domain creates domains until the
 * hypervisor's list is full. Each failure must be an error that leaves
 * memory as it was; before, the last create failed only after allocating,
 * and giving its pages back hit a BUG (a domain not in the list).
 */
static void test_create_until_the_list_is_full(void **state)
{
	uint64_t free_before;
	int64_t id = 0;
	unsigned int n;

	(void)state;
	for (n = 0; (n < 1000U) && (id >= 0); n++) {
		free_before = page_alloc_free_bytes();
		id = create(HVM_HAP, 1);
	}
	assert_true(id < 0);
	assert_int_equal(page_alloc_free_bytes(), free_before);
	assert_true(create(HVM_HAP, 1) < 0);
	assert_int_equal(page_alloc_free_bytes(), free_before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_checks_and_ids),
		cmocka_unit_test(test_new_domain_is_paused_until_unpaused),
		cmocka_unit_test(test_getdomaininfo_finds_the_next_domain),
		cmocka_unit_test(test_max_mem_and_domain_list),
		cmocka_unit_test(test_physinfo_pool_and_version),
		cmocka_unit_test(test_readconsole_is_incremental),
		cmocka_unit_test(test_vcpu_ops_check_their_vcpu),
		cmocka_unit_test(test_cacheflush_is_bounded_and_preemptible),
		cmocka_unit_test(test_destroy_is_synchronous_and_preemptible),
		cmocka_unit_test(test_acquire_resource_grant_table),
		cmocka_unit_test(test_create_until_the_list_is_full),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
