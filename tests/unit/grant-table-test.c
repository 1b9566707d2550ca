/*
 * Unit tests for grant tables (core/grant-table.c) with the host arch
 * stand-ins (arch/fake): guest RAM is a host buffer, guest address n is
 * byte n of the domain's RAM, and the stage-2 hooks only record what they
 * are asked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdlib.h>

#include <hv/cmdline.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest-atomics.h>
#include <hv/hypercall.h>
#include <hv/grant-table.h>
#include <hv/page-alloc.h>
#include <hv/sched.h>
#include <hv/smp.h>

#include <xen/grant_table.h>
#include <xen/memory.h>

#include "fake-console.h"
#include "fake-host.h"

extern struct vcpu *fake_current_guest;
extern unsigned int fake_grant_maps;
extern unsigned int fake_grant_unmaps;
extern struct domain *fake_grant_domain;
extern paddr_t fake_grant_gpa;
extern paddr_t fake_grant_maddr;
extern bool fake_grant_readonly;
extern int fake_grant_map_result;

#define ARENA_SIZE (16U << 20)
#define GUEST_RAM 65536U

/* Guest addresses (in every domain) used by the tests: the op array, a
 * frame list, and the guest frames that are granted. */
#define OPS 0x1000U
#define LIST 0x3000U
#define GFN_A1 5U
#define GFN_A2 6U
#define GFN_A3 7U
#define GFN_B 8U
#define GFN_C 9U
#define MAP_GPA 0x9000U

enum {
	DOM_A = 1,
	DOM_B = 2,
	DOM_C = 3,
	DOM_D = 4
};

static void *arena;
static struct domain *dom_a; /* grants */
static struct domain *dom_b; /* maps */
static struct domain *dom_c; /* a third party */
static struct domain *dom_d; /* a table of at most three frames */

static struct domain *make_domain(domid_t id)
{
	struct domain_config cfg = {
		.name = "gnt", .max_vcpus = 1, .ram_bytes = GUEST_RAM};
	struct domain *d = domain_create(id, &cfg);

	assert_non_null(d);
	return d;
}

static int group_setup(void **state)
{
	(void)state;
	arena = fake_host_start(ARENA_SIZE);
	dom_a = make_domain(DOM_A);
	dom_b = make_domain(DOM_B);
	dom_c = make_domain(DOM_C);
	dom_d = make_domain(DOM_D);
	/* Most tests join two domUs, which Xen's default silo policy
	 * forbids; test_map_silo checks that policy. */
	assert_int_equal(cmdline_parse("xsm=dummy"), 0);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

/* Fresh grant tables and hook records for each test. All tables go before
 * any is made again, so no mapping outlives the table it pins. */
static int setup(void **state)
{
	struct domain *all[] = {dom_a, dom_b, dom_c, dom_d};
	size_t i;

	(void)state;
	fake_guest_atomic_failures = 0;
	fake_console_start();
	for (i = 0; i < ARRAY_SIZE(all); i++) {
		grant_table_destroy(all[i]);
		memset(all[i]->arch.ram, 0, GUEST_RAM);
	}
	assert_int_equal(grant_table_init(dom_a, GNTTAB_MAX_FRAMES), 0);
	assert_int_equal(grant_table_init(dom_b, GNTTAB_MAX_FRAMES), 0);
	assert_int_equal(grant_table_init(dom_c, GNTTAB_MAX_FRAMES), 0);
	assert_int_equal(grant_table_init(dom_d, 3), 0);
	fake_grant_maps = 0;
	fake_grant_unmaps = 0;
	fake_grant_domain = NULL;
	fake_grant_map_result = 0;
	return 0;
}

static int64_t gnttab(struct domain *d, uint64_t cmd, uint64_t gva,
		      uint64_t count)
{
	const uint64_t args[3] = {cmd, gva, count};

	fake_current_guest = d->vcpus[0];
	return do_grant_table_op(d->vcpus[0], args);
}

static grant_entry_v1_t *entry(struct domain *d, grant_ref_t ref)
{
	paddr_t maddr;
	grant_entry_v1_t *frame;

	assert_int_equal(grant_table_frame(d, ref / 512U, &maddr), 0);
	frame = maddr_to_virt(maddr);
	return &frame[ref % 512U];
}

static void grant(struct domain *d, grant_ref_t ref, domid_t to, uint32_t gfn,
		  uint16_t extra_flags)
{
	grant_entry_v1_t *e = entry(d, ref);

	e->domid = to;
	e->frame = gfn;
	e->flags = (uint16_t)(GTF_permit_access | extra_flags);
}

static uint16_t flags_of(struct domain *d, grant_ref_t ref)
{
	return entry(d, ref)->flags;
}

static paddr_t maddr_of(struct domain *d, uint32_t gfn)
{
	return virt_to_maddr(&d->arch.ram[gfn * PAGE_SIZE]);
}

static struct gnttab_map_grant_ref map_op(domid_t dom, grant_ref_t ref,
					  uint32_t flags, uint64_t host_addr)
{
	struct gnttab_map_grant_ref op = {.host_addr = host_addr,
					  .flags = flags,
					  .ref = ref,
					  .dom = dom,
					  .status = 99,
					  .handle = 0xdead};

	return op;
}

/* Map ref of dom into d at host_addr; the status, and the handle in
 * *handle (if not NULL). */
static int16_t map(struct domain *d, domid_t dom, grant_ref_t ref,
		   uint32_t flags, uint64_t host_addr, grant_handle_t *handle)
{
	struct gnttab_map_grant_ref op = map_op(dom, ref, flags, host_addr);

	memcpy(&d->arch.ram[OPS], &op, sizeof(op));
	assert_int_equal(gnttab(d, GNTTABOP_map_grant_ref, OPS, 1), 0);
	memcpy(&op, &d->arch.ram[OPS], sizeof(op));
	if (handle != NULL) {
		*handle = op.handle;
	}
	return op.status;
}

static int16_t unmap(struct domain *d, grant_handle_t handle,
		     uint64_t host_addr)
{
	struct gnttab_unmap_grant_ref op = {
		.host_addr = host_addr, .handle = handle, .status = 99};

	memcpy(&d->arch.ram[OPS], &op, sizeof(op));
	assert_int_equal(gnttab(d, GNTTABOP_unmap_grant_ref, OPS, 1), 0);
	memcpy(&op, &d->arch.ram[OPS], sizeof(op));
	return op.status;
}

static int16_t copy(struct domain *d, const struct gnttab_copy *in)
{
	struct gnttab_copy op = *in;

	op.status = 99;
	memcpy(&d->arch.ram[OPS], &op, sizeof(op));
	assert_int_equal(gnttab(d, GNTTABOP_copy, OPS, 1), 0);
	memcpy(&op, &d->arch.ram[OPS], sizeof(op));
	return op.status;
}

static struct gnttab_query_size query(struct domain *d, domid_t dom,
				      int64_t expect_rc)
{
	struct gnttab_query_size op = {.dom = dom, .status = 99};

	memcpy(&d->arch.ram[OPS], &op, sizeof(op));
	assert_int_equal(gnttab(d, GNTTABOP_query_size, OPS, 1), expect_rc);
	memcpy(&op, &d->arch.ram[OPS], sizeof(op));
	return op;
}

/* ---- Map ---- */

/* xsm=silo: a domU maps only grants of the control domain (or its own). */
static void test_map_silo(void **state)
{
	grant_handle_t handle = 0;

	(void)state;
	grant(dom_a, 10, DOM_B, GFN_A1, 0);
	assert_int_equal(cmdline_parse("xsm=silo"), 0);
	assert_int_equal(map(dom_b, DOM_A, 10, GNTMAP_host_map, MAP_GPA,
			     &handle),
			 GNTST_permission_denied);
	assert_int_equal(fake_grant_maps, 0);
	dom_a->is_hardware_domain = true;
	assert_int_equal(map(dom_b, DOM_A, 10, GNTMAP_host_map, MAP_GPA,
			     &handle),
			 GNTST_okay);
	dom_a->is_hardware_domain = false;
	assert_int_equal(cmdline_parse("xsm=dummy"), 0);
}

static int16_t swap(struct domain *d, grant_ref_t a, grant_ref_t b)
{
	struct gnttab_swap_grant_ref op = {.ref_a = a, .ref_b = b};

	memcpy(&d->arch.ram[OPS], &op, sizeof(op));
	assert_int_equal(gnttab(d, GNTTABOP_swap_grant_ref, OPS, 1), 0);
	memcpy(&op, &d->arch.ram[OPS], sizeof(op));
	return op.status;
}

/* Two unused entries change places; a mapped one stays. */
static void test_swap_grant_ref(void **state)
{
	grant_handle_t handle = 0;

	(void)state;
	grant(dom_a, 10, DOM_B, GFN_A1, 0);
	assert_int_equal(swap(dom_a, 10, 11), GNTST_okay);
	assert_int_equal(flags_of(dom_a, 10), 0);
	assert_int_equal(entry(dom_a, 11)->domid, DOM_B);
	assert_int_equal(entry(dom_a, 11)->frame, GFN_A1);
	assert_int_equal(swap(dom_a, 11, 11), GNTST_okay);
	assert_int_equal(swap(dom_a, 11, 0x7fffffffU), GNTST_bad_gntref);
	assert_int_equal(map(dom_b, DOM_A, 11, GNTMAP_host_map, MAP_GPA,
			     &handle),
			 GNTST_okay);
	assert_int_equal(swap(dom_a, 10, 11), GNTST_eagain);
	assert_int_equal(entry(dom_a, 11)->frame, GFN_A1);
}

static void test_map_writable(void **state)
{
	grant_handle_t handle = 0;
	struct gnttab_map_grant_ref op;

	(void)state;
	grant(dom_a, 10, DOM_B, GFN_A1, 0);
	assert_int_equal(map(dom_b, DOM_A, 10, GNTMAP_host_map, MAP_GPA,
			     &handle),
			 GNTST_okay);
	assert_int_equal(fake_grant_maps, 1);
	assert_ptr_equal(fake_grant_domain, dom_b);
	assert_int_equal(fake_grant_gpa, MAP_GPA);
	assert_int_equal(fake_grant_maddr, maddr_of(dom_a, GFN_A1));
	assert_false(fake_grant_readonly);
	memcpy(&op, &dom_b->arch.ram[OPS], sizeof(op));
	assert_int_equal(op.dev_bus_addr, maddr_of(dom_a, GFN_A1));
	assert_int_equal(flags_of(dom_a, 10),
			 GTF_permit_access | GTF_reading | GTF_writing);
}

static void test_map_readonly_then_writable(void **state)
{
	(void)state;
	grant(dom_a, 11, DOM_B, GFN_A2, 0);
	assert_int_equal(map(dom_b, DOM_A, 11,
			     GNTMAP_host_map | GNTMAP_readonly, MAP_GPA, NULL),
			 GNTST_okay);
	assert_true(fake_grant_readonly);
	assert_int_equal(fake_grant_maddr, maddr_of(dom_a, GFN_A2));
	assert_int_equal(flags_of(dom_a, 11), GTF_permit_access | GTF_reading);
	assert_int_equal(map(dom_b, DOM_A, 11, GNTMAP_host_map,
			     MAP_GPA + PAGE_SIZE, NULL),
			 GNTST_okay);
	assert_false(fake_grant_readonly);
	assert_int_equal(fake_grant_gpa, MAP_GPA + PAGE_SIZE);
	assert_int_equal(flags_of(dom_a, 11),
			 GTF_permit_access | GTF_reading | GTF_writing);
}

/* Xen answers GNTST_general_error when the entry names another domain
 * (GNTST_permission_denied is for the XSM policy, which allows maps). */
static void test_map_by_domain_not_named_fails(void **state)
{
	(void)state;
	grant(dom_a, 12, DOM_B, GFN_A1, 0);
	assert_int_equal(map(dom_c, DOM_A, 12, GNTMAP_host_map, MAP_GPA, NULL),
			 GNTST_general_error);
	assert_int_equal(fake_grant_maps, 0);
	assert_int_equal(flags_of(dom_a, 12), GTF_permit_access);
	/* Not while B has it mapped either. */
	assert_int_equal(map(dom_b, DOM_A, 12, GNTMAP_host_map, MAP_GPA, NULL),
			 GNTST_okay);
	assert_int_equal(map(dom_c, DOM_A, 12,
			     GNTMAP_host_map | GNTMAP_readonly, MAP_GPA, NULL),
			 GNTST_general_error);
}

static void test_writable_map_of_readonly_grant_fails(void **state)
{
	(void)state;
	grant(dom_a, 13, DOM_B, GFN_A1, GTF_readonly);
	assert_int_equal(map(dom_b, DOM_A, 13, GNTMAP_host_map, MAP_GPA, NULL),
			 GNTST_general_error);
	assert_int_equal(flags_of(dom_a, 13), GTF_permit_access | GTF_readonly);
	assert_int_equal(map(dom_b, DOM_A, 13,
			     GNTMAP_host_map | GNTMAP_readonly, MAP_GPA, NULL),
			 GNTST_okay);
	/* Pinned read-only, a writable map is still refused. */
	assert_int_equal(map(dom_b, DOM_A, 13, GNTMAP_host_map, MAP_GPA, NULL),
			 GNTST_general_error);
	assert_int_equal(flags_of(dom_a, 13),
			 GTF_permit_access | GTF_readonly | GTF_reading);
}

static void test_map_checks(void **state)
{
	(void)state;
	grant(dom_a, 14, DOM_B, GFN_A1, 0);
	assert_int_equal(map(dom_b, DOM_A, 14, 0, MAP_GPA, NULL),
			 GNTST_bad_gntref);
	assert_int_equal(map(dom_b, DOM_A, 14,
			     GNTMAP_host_map | GNTMAP_device_map, MAP_GPA,
			     NULL),
			 GNTST_general_error);
	assert_int_equal(map(dom_b, 999, 14, GNTMAP_host_map, MAP_GPA, NULL),
			 GNTST_bad_domain);
	assert_int_equal(map(dom_b, DOMID_SELF, 14, GNTMAP_host_map, MAP_GPA,
			     NULL),
			 GNTST_bad_domain);
	/* Extra flag bits are refused when mapping, as on Arm. */
	assert_int_equal(map(dom_b, DOM_A, 14, GNTMAP_host_map | (1U << 16),
			     MAP_GPA, NULL),
			 GNTST_general_error);
	assert_int_equal(flags_of(dom_a, 14), GTF_permit_access);
	/* A sub-page entry may not be mapped. */
	grant(dom_a, 15, DOM_B, GFN_A1, GTF_sub_page);
	assert_int_equal(map(dom_b, DOM_A, 15, GNTMAP_host_map, MAP_GPA, NULL),
			 GNTST_general_error);
	assert_int_equal(fake_grant_maps, 0);
}

static void test_out_of_range_ref(void **state)
{
	struct gnttab_copy op = {.source = {.u.ref = 512, .domid = DOM_A},
				 .dest = {.u.gmfn = GFN_B, .domid = DOMID_SELF},
				 .len = 8,
				 .flags = GNTCOPY_source_gref};

	(void)state;
	assert_int_equal(map(dom_b, DOM_A, 512, GNTMAP_host_map, MAP_GPA, NULL),
			 GNTST_bad_gntref);
	assert_int_equal(map(dom_b, DOM_A, UINT32_MAX, GNTMAP_host_map, MAP_GPA,
			     NULL),
			 GNTST_bad_gntref);
	assert_int_equal(copy(dom_b, &op), GNTST_bad_gntref);
}

static void test_map_frame_not_ram(void **state)
{
	(void)state;
	grant(dom_a, 16, DOM_B, 1000, 0);
	assert_int_equal(map(dom_b, DOM_A, 16, GNTMAP_host_map, MAP_GPA, NULL),
			 GNTST_bad_page);
	assert_int_equal(flags_of(dom_a, 16), GTF_permit_access);
}

static void test_map_arch_failure_undone(void **state)
{
	grant_handle_t handle = 0;

	(void)state;
	grant(dom_a, 17, DOM_B, GFN_A1, 0);
	fake_grant_map_result = -ENOMEM;
	assert_int_equal(map(dom_b, DOM_A, 17, GNTMAP_host_map, MAP_GPA,
			     &handle),
			 GNTST_general_error);
	assert_int_equal(flags_of(dom_a, 17), GTF_permit_access);
	fake_grant_map_result = 0;
	assert_int_equal(map(dom_b, DOM_A, 17, GNTMAP_host_map, MAP_GPA,
			     &handle),
			 GNTST_okay);
	assert_int_equal(unmap(dom_b, handle, MAP_GPA), GNTST_okay);
	assert_int_equal(flags_of(dom_a, 17), GTF_permit_access);
}

static void test_map_own_grant(void **state)
{
	grant_handle_t handle = 0;

	(void)state;
	grant(dom_a, 18, DOM_A, GFN_A1, 0);
	assert_int_equal(map(dom_a, DOM_A, 18, GNTMAP_host_map, MAP_GPA,
			     &handle),
			 GNTST_okay);
	assert_int_equal(unmap(dom_a, handle, MAP_GPA), GNTST_okay);
	assert_int_equal(flags_of(dom_a, 18), GTF_permit_access);
}

/* Batches of maps: handles beyond the first maptrack page, and the pin
 * count limit (Xen refuses a 129th mapping of one kind). */
static void test_many_mappings(void **state)
{
	struct gnttab_map_grant_ref ops[128];
	grant_handle_t handles[266];
	unsigned int n = 0;
	unsigned int i;
	unsigned int r;

	(void)state;
	for (r = 0; r < 3U; r++) {
		grant(dom_a, 20 + r, DOM_B, GFN_A1 + r, 0);
		for (i = 0; i < 128U; i++) {
			ops[i] = map_op(DOM_A, 20 + r,
					GNTMAP_host_map | GNTMAP_readonly,
					MAP_GPA);
		}
		memcpy(&dom_b->arch.ram[OPS], ops, sizeof(ops));
		assert_int_equal(gnttab(dom_b, GNTTABOP_map_grant_ref, OPS,
					(r == 2U) ? 10U : 128U),
				 0);
		memcpy(ops, &dom_b->arch.ram[OPS], sizeof(ops));
		for (i = 0; i < ((r == 2U) ? 10U : 128U); i++) {
			assert_int_equal(ops[i].status, GNTST_okay);
			handles[n++] = ops[i].handle;
		}
	}
	for (i = 1; i < n; i++) {
		assert_int_not_equal(handles[i], handles[i - 1U]);
	}
	assert_int_equal(map(dom_b, DOM_A, 20,
			     GNTMAP_host_map | GNTMAP_readonly, MAP_GPA, NULL),
			 GNTST_general_error);
	for (i = 0; i < n; i++) {
		assert_int_equal(unmap(dom_b, handles[i], MAP_GPA), GNTST_okay);
	}
	for (r = 0; r < 3U; r++) {
		assert_int_equal(flags_of(dom_a, 20 + r), GTF_permit_access);
	}
}

/* ---- Unmap ---- */

static void test_unmap_bad_handle(void **state)
{
	grant_handle_t handle = 0;

	(void)state;
	assert_int_equal(unmap(dom_b, 0, MAP_GPA), GNTST_bad_handle);
	assert_int_equal(unmap(dom_b, 12345, MAP_GPA), GNTST_bad_handle);
	grant(dom_a, 30, DOM_B, GFN_A1, 0);
	assert_int_equal(map(dom_b, DOM_A, 30, GNTMAP_host_map, MAP_GPA,
			     &handle),
			 GNTST_okay);
	assert_int_equal(unmap(dom_b, handle + 1U, MAP_GPA), GNTST_bad_handle);
	/* Handles are the mapping domain's: A cannot use B's. */
	assert_int_equal(unmap(dom_a, handle, MAP_GPA), GNTST_bad_handle);
	assert_int_equal(fake_grant_unmaps, 0);
}

static void test_double_unmap_fails(void **state)
{
	grant_handle_t handle = 0;

	(void)state;
	grant(dom_a, 31, DOM_B, GFN_A1, 0);
	assert_int_equal(map(dom_b, DOM_A, 31, GNTMAP_host_map, MAP_GPA,
			     &handle),
			 GNTST_okay);
	assert_int_equal(unmap(dom_b, handle, MAP_GPA), GNTST_okay);
	assert_int_equal(fake_grant_unmaps, 1);
	assert_ptr_equal(fake_grant_domain, dom_b);
	assert_int_equal(fake_grant_gpa, MAP_GPA);
	assert_int_equal(unmap(dom_b, handle, MAP_GPA), GNTST_bad_handle);
	assert_int_equal(fake_grant_unmaps, 1);
}

static void test_busy_flags_clear_after_last_unmap(void **state)
{
	grant_handle_t rw = 0;
	grant_handle_t ro = 0;

	(void)state;
	grant(dom_a, 32, DOM_B, GFN_A1, 0);
	assert_int_equal(map(dom_b, DOM_A, 32, GNTMAP_host_map, MAP_GPA, &rw),
			 GNTST_okay);
	assert_int_equal(map(dom_b, DOM_A, 32,
			     GNTMAP_host_map | GNTMAP_readonly,
			     MAP_GPA + PAGE_SIZE, &ro),
			 GNTST_okay);
	assert_int_equal(flags_of(dom_a, 32),
			 GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(unmap(dom_b, rw, MAP_GPA), GNTST_okay);
	assert_int_equal(flags_of(dom_a, 32), GTF_permit_access | GTF_reading);
	assert_int_equal(unmap(dom_b, ro, MAP_GPA + PAGE_SIZE), GNTST_okay);
	assert_int_equal(flags_of(dom_a, 32), GTF_permit_access);
}

/* As in Xen: a wrong address fails, no address does nothing. */
static void test_unmap_address(void **state)
{
	grant_handle_t handle = 0;

	(void)state;
	grant(dom_a, 33, DOM_B, GFN_A1, 0);
	assert_int_equal(map(dom_b, DOM_A, 33, GNTMAP_host_map, MAP_GPA,
			     &handle),
			 GNTST_okay);
	assert_int_equal(unmap(dom_b, handle, MAP_GPA + PAGE_SIZE),
			 GNTST_general_error);
	assert_int_equal(unmap(dom_b, handle, 0), GNTST_okay);
	assert_int_equal(fake_grant_unmaps, 0);
	assert_int_equal(flags_of(dom_a, 33),
			 GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(unmap(dom_b, handle, MAP_GPA + 0x10U), GNTST_okay);
	assert_int_equal(flags_of(dom_a, 33), GTF_permit_access);
}

/* ---- Copy ---- */

static void fill(struct domain *d, uint32_t gfn, uint8_t seed)
{
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++) {
		d->arch.ram[(gfn * PAGE_SIZE) + i] = (uint8_t)(seed + i);
	}
}

static void test_copy_between_grants(void **state)
{
	struct gnttab_copy op = {
		.source = {.u.ref = 40, .domid = DOM_A, .offset = 100},
		.dest = {.u.ref = 41, .domid = DOM_B, .offset = 200},
		.len = 500,
		.flags = GNTCOPY_source_gref | GNTCOPY_dest_gref};

	(void)state;
	grant(dom_a, 40, DOM_C, GFN_A1, GTF_readonly);
	grant(dom_b, 41, DOM_C, GFN_B, 0);
	fill(dom_a, GFN_A1, 7);
	assert_int_equal(copy(dom_c, &op), GNTST_okay);
	assert_memory_equal(&dom_b->arch.ram[(GFN_B * PAGE_SIZE) + 200],
			    &dom_a->arch.ram[(GFN_A1 * PAGE_SIZE) + 100], 500);
	assert_int_equal(dom_b->arch.ram[(GFN_B * PAGE_SIZE) + 199], 0);
	assert_int_equal(dom_b->arch.ram[(GFN_B * PAGE_SIZE) + 700], 0);
	assert_int_equal(flags_of(dom_a, 40), GTF_permit_access | GTF_readonly);
	assert_int_equal(flags_of(dom_b, 41), GTF_permit_access);
}

static void test_copy_to_readonly_grant_refused(void **state)
{
	struct gnttab_copy op = {.source = {.u.ref = 41, .domid = DOM_B},
				 .dest = {.u.ref = 40, .domid = DOM_A},
				 .len = 16,
				 .flags = GNTCOPY_source_gref |
					  GNTCOPY_dest_gref};

	(void)state;
	grant(dom_a, 40, DOM_C, GFN_A1, GTF_readonly);
	grant(dom_b, 41, DOM_C, GFN_B, 0);
	fill(dom_b, GFN_B, 1);
	assert_int_equal(copy(dom_c, &op), GNTST_general_error);
	assert_int_equal(dom_a->arch.ram[GFN_A1 * PAGE_SIZE], 0);
	/* The source was pinned and is released again. */
	assert_int_equal(flags_of(dom_b, 41), GTF_permit_access);
	assert_int_equal(flags_of(dom_a, 40), GTF_permit_access | GTF_readonly);
}

static void test_copy_frames_and_checks(void **state)
{
	struct gnttab_copy op = {
		.source = {.u.gmfn = GFN_C, .domid = DOMID_SELF},
		.dest = {.u.ref = 42, .domid = DOM_B, .offset = 4000},
		.len = 96,
		.flags = GNTCOPY_dest_gref};

	(void)state;
	grant(dom_b, 42, DOM_C, GFN_B, 0);
	fill(dom_c, GFN_C, 3);
	assert_int_equal(copy(dom_c, &op), GNTST_okay);
	assert_memory_equal(&dom_b->arch.ram[(GFN_B * PAGE_SIZE) + 4000],
			    &dom_c->arch.ram[GFN_C * PAGE_SIZE], 96);
	op.len = 97; /* past the end of the page */
	assert_int_equal(copy(dom_c, &op), GNTST_bad_copy_arg);
	op.len = 8;
	op.source.offset = 4089;
	assert_int_equal(copy(dom_c, &op), GNTST_bad_copy_arg);
	op.source.offset = 0;
	op.source.domid = DOM_C; /* frames only with DOMID_SELF */
	assert_int_equal(copy(dom_c, &op), GNTST_permission_denied);
	op.source.domid = DOMID_SELF;
	op.source.u.gmfn = 1000;
	assert_int_equal(copy(dom_c, &op), GNTST_bad_page);
	op.source.u.gmfn = GFN_C;
	op.dest.domid = 999;
	assert_int_equal(copy(dom_c, &op), GNTST_bad_domain);
	op.dest.domid = DOM_B;
	assert_int_equal(copy(dom_a, &op), GNTST_general_error); /* not A's */
	assert_int_equal(flags_of(dom_b, 42), GTF_permit_access);
}

/* ---- Query, setup, version, cache flush, dispatch ---- */

static void test_query_size(void **state)
{
	struct gnttab_query_size op;

	(void)state;
	op = query(dom_b, DOMID_SELF, 0);
	assert_int_equal(op.status, GNTST_okay);
	assert_int_equal(op.nr_frames, 1);
	assert_int_equal(op.max_nr_frames, GNTTAB_MAX_FRAMES);
	op = query(dom_d, DOM_D, 0);
	assert_int_equal(op.max_nr_frames, 3);
	assert_int_equal(query(dom_b, DOM_A, 0).status,
			 GNTST_permission_denied);
	assert_int_equal(query(dom_b, 999, 0).status, GNTST_bad_domain);
	dom_b->is_hardware_domain = true;
	op = query(dom_b, DOM_D, 0);
	dom_b->is_hardware_domain = false;
	assert_int_equal(op.status, GNTST_okay);
	assert_int_equal(op.max_nr_frames, 3);
	assert_int_equal(gnttab(dom_b, GNTTABOP_query_size, OPS, 2), -EINVAL);
}

static void test_set_version(void **state)
{
	struct gnttab_set_version op = {.version = 1};

	(void)state;
	memcpy(&dom_b->arch.ram[OPS], &op, sizeof(op));
	assert_int_equal(gnttab(dom_b, GNTTABOP_set_version, OPS, 1), 0);
	op.version = 2;
	memcpy(&dom_b->arch.ram[OPS], &op, sizeof(op));
	assert_int_equal(gnttab(dom_b, GNTTABOP_set_version, OPS, 1), -ENOSYS);
	memcpy(&op, &dom_b->arch.ram[OPS], sizeof(op));
	assert_int_equal(op.version, 1);
	op.version = 0;
	memcpy(&dom_b->arch.ram[OPS], &op, sizeof(op));
	assert_int_equal(gnttab(dom_b, GNTTABOP_set_version, OPS, 1), -EINVAL);
}

static void test_setup_table(void **state)
{
	struct gnttab_setup_table op = {.dom = DOMID_SELF, .nr_frames = 2};
	uint64_t list = LIST;
	uint64_t gfns[2];

	(void)state;
	memcpy(&op.frame_list, &list, sizeof(list));
	memcpy(&dom_b->arch.ram[OPS], &op, sizeof(op));
	assert_int_equal(gnttab(dom_b, GNTTABOP_setup_table, OPS, 1), 0);
	memcpy(&op, &dom_b->arch.ram[OPS], sizeof(op));
	assert_int_equal(op.status, GNTST_okay);
	memcpy(gfns, &dom_b->arch.ram[LIST], sizeof(gfns));
	assert_int_equal(gfns[0], GNTTAB_INVALID_GFN);
	assert_int_equal(gfns[1], GNTTAB_INVALID_GFN);
	assert_int_equal(query(dom_b, DOMID_SELF, 0).nr_frames, 2);
	/* Where the guest placed frame 1 is reported. */
	assert_int_equal(grant_table_frame_gfn(dom_b, 1), GNTTAB_INVALID_GFN);
	grant_table_set_frame_gfn(dom_b, 1, 0x40201);
	assert_int_equal(gnttab(dom_b, GNTTABOP_setup_table, OPS, 1), 0);
	memcpy(gfns, &dom_b->arch.ram[LIST], sizeof(gfns));
	assert_int_equal(gfns[1], 0x40201);
	assert_int_equal(grant_table_frame_gfn(dom_b, 1), 0x40201);
	/* Something else placed at that gfn: the frame is placed nowhere. */
	assert_true(grant_table_forget_gfn(dom_b, 0x40201));
	assert_int_equal(grant_table_frame_gfn(dom_b, 1), GNTTAB_INVALID_GFN);
	grant_table_set_frame_gfn(dom_b, 5, 0x50000);
	assert_int_equal(grant_table_frame_gfn(dom_b, 5), GNTTAB_INVALID_GFN);
	op.nr_frames = GNTTAB_MAX_FRAMES + 1U;
	memcpy(&dom_b->arch.ram[OPS], &op, sizeof(op));
	assert_int_equal(gnttab(dom_b, GNTTABOP_setup_table, OPS, 1), 0);
	memcpy(&op, &dom_b->arch.ram[OPS], sizeof(op));
	assert_int_equal(op.status, GNTST_general_error);
	op.nr_frames = 1;
	list = GUEST_RAM - 4U;
	memcpy(&op.frame_list, &list, sizeof(list));
	memcpy(&dom_b->arch.ram[OPS], &op, sizeof(op));
	assert_int_equal(gnttab(dom_b, GNTTABOP_setup_table, OPS, 1), 0);
	memcpy(&op, &dom_b->arch.ram[OPS], sizeof(op));
	assert_int_equal(op.status, GNTST_bad_virt_addr);
	assert_int_equal(gnttab(dom_b, GNTTABOP_setup_table, OPS, 2), -EINVAL);
}

/* ---- Grant frames placed with memory_op ---- */

extern uint64_t fake_hyp_page_gfn;
extern paddr_t fake_hyp_page_maddr;

/* Guest frames of dom_c where its grant frames are placed (its RAM's last
 * two pages, which no other test uses). */
#define GFN_P 14U
#define GFN_Q 15U

static int64_t memop(struct domain *d, uint64_t cmd, const void *arg,
		     size_t size)
{
	const uint64_t args[HYPERCALL_MAX_ARGS] = {cmd, OPS};

	memcpy(&d->arch.ram[OPS], arg, size);
	fake_current_guest = d->vcpus[0];
	return hypercall_dispatch(d->vcpus[0], args, __HYPERVISOR_memory_op);
}

static int64_t place_frame(struct domain *d, unsigned int space, uint64_t idx,
			   uint64_t gfn)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF, .space = space, .idx = idx, .gpfn = gfn};

	return memop(d, XENMEM_add_to_physmap, &xatp, sizeof(xatp));
}

static int64_t remove_gfn(struct domain *d, uint64_t gfn)
{
	struct xen_remove_from_physmap x = {.domid = DOMID_SELF, .gpfn = gfn};

	return memop(d, XENMEM_remove_from_physmap, &x, sizeof(x));
}

/* What GNTTABOP_setup_table of d reports for its frame idx. */
static uint64_t reported_gfn(struct domain *d, unsigned int idx)
{
	struct gnttab_setup_table op = {.dom = DOMID_SELF,
					.nr_frames = idx + 1U};
	uint64_t list = LIST;
	uint64_t gfn;

	memcpy(&op.frame_list, &list, sizeof(list));
	memcpy(&d->arch.ram[OPS], &op, sizeof(op));
	assert_int_equal(gnttab(d, GNTTABOP_setup_table, OPS, 1), 0);
	memcpy(&op, &d->arch.ram[OPS], sizeof(op));
	assert_int_equal(op.status, GNTST_okay);
	memcpy(&gfn, &d->arch.ram[LIST + (idx * sizeof(gfn))], sizeof(gfn));
	return gfn;
}

static paddr_t frame_maddr(struct domain *d, unsigned int idx)
{
	paddr_t maddr;

	assert_int_equal(grant_table_frame(d, idx, &maddr), 0);
	return maddr;
}

/*
 * XENMEM_add_to_physmap of a grant frame records where it is placed, and
 * setup_table reports it. As Xen 4.17 on Arm, a placed frame is not
 * placed again (-EBUSY) until it is removed, which unmaps it there
 * (guests/grant-frame-move shows the same on Xen 4.17, and that a page
 * placed over a frame leaves it placed nowhere, which arch/fake cannot
 * model: test_setup_table calls grant_table_forget_gfn() for it).
 */
static void test_add_to_physmap_places_frame(void **state)
{
	(void)state;
	/* Placing a frame gives up the RAM page there; an extra reference
	 * keeps arch/fake's RAM whole for the later tests. */
	assert_true(page_get(arch_gfn_to_maddr(dom_c, GFN_P), DOM_C));
	assert_true(page_get(arch_gfn_to_maddr(dom_c, GFN_Q), DOM_C));
	assert_int_equal(place_frame(dom_c, XENMAPSPACE_grant_table, 1, GFN_P),
			 0);
	assert_int_equal(fake_hyp_page_gfn, GFN_P);
	assert_int_equal(fake_hyp_page_maddr, frame_maddr(dom_c, 1));
	assert_int_equal(reported_gfn(dom_c, 1), GFN_P);
	assert_int_equal(reported_gfn(dom_c, 0), GNTTAB_INVALID_GFN);
	/* Moving it without removing it first: refused, left where it is. */
	fake_hyp_page_gfn = 0;
	assert_int_equal(place_frame(dom_c, XENMAPSPACE_grant_table, 1, GFN_Q),
			 -EBUSY);
	assert_int_equal(fake_hyp_page_gfn, 0);
	assert_int_equal(reported_gfn(dom_c, 1), GFN_P);
	/* Removed: unmapped from the stage 2 and reported nowhere. */
	assert_int_equal(remove_gfn(dom_c, GFN_P), 0);
	assert_int_equal(arch_gfn_to_maddr(dom_c, GFN_P), INVALID_PADDR);
	assert_int_equal(reported_gfn(dom_c, 1), GNTTAB_INVALID_GFN);
	assert_int_equal(remove_gfn(dom_c, GFN_P), -ENOENT);
	/* Placed at its new gfn. */
	assert_int_equal(place_frame(dom_c, XENMAPSPACE_grant_table, 1, GFN_Q),
			 0);
	assert_int_equal(fake_hyp_page_gfn, GFN_Q);
	assert_int_equal(reported_gfn(dom_c, 1), GFN_Q);
	/* Past the table's maximum: -EINVAL, nothing recorded. */
	assert_int_equal(place_frame(dom_c, XENMAPSPACE_grant_table,
				     GNTTAB_MAX_FRAMES, GFN_P),
			 -EINVAL);
	assert_int_equal(remove_gfn(dom_c, GFN_Q), 0);
	assert_int_equal(arch_gfn_to_maddr(dom_c, GFN_Q), INVALID_PADDR);
	assert_int_equal(reported_gfn(dom_c, 1), GNTTAB_INVALID_GFN);
}

static int64_t cache_flush(const struct gnttab_cache_flush *op, uint64_t cmd)
{
	memcpy(&dom_b->arch.ram[OPS], op, sizeof(*op));
	return gnttab(dom_b, cmd, OPS, 1);
}

static void test_cache_flush(void **state)
{
	struct gnttab_cache_flush op = {0};

	(void)state;
	/* Linux's probe. */
	assert_int_equal(cache_flush(&op, GNTTABOP_cache_flush), 0);
	op.offset = 4096;
	assert_int_equal(cache_flush(&op, GNTTABOP_cache_flush), -EINVAL);
	op.offset = 4000;
	op.length = 97;
	assert_int_equal(cache_flush(&op, GNTTABOP_cache_flush), -EINVAL);
	op.length = 96;
	op.op = GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL;
	assert_int_equal(cache_flush(&op, GNTTABOP_cache_flush), 0);
	op.op = GNTTAB_CACHE_SOURCE_GREF;
	assert_int_equal(cache_flush(&op, GNTTABOP_cache_flush), -EINVAL);
	op.op = 0;
	assert_int_equal(cache_flush(&op, GNTTABOP_cache_flush | (1U << 12)),
			 -XEN_EILSEQ);
}

/* get_version and get_status_frames answer as Xen 4.17 does with v1. */
static void test_version_queries(void **state)
{
	struct gnttab_get_version gv = {.dom = DOMID_SELF, .version = 99};
	struct gnttab_get_status_frames gs = {.nr_frames = 1,
					      .dom = DOMID_SELF};

	(void)state;
	memcpy(&dom_b->arch.ram[OPS], &gv, sizeof(gv));
	assert_int_equal(gnttab(dom_b, GNTTABOP_get_version, OPS, 1), 0);
	memcpy(&gv, &dom_b->arch.ram[OPS], sizeof(gv));
	assert_int_equal(gv.version, 1);
	gv.dom = 77; /* no such domain */
	memcpy(&dom_b->arch.ram[OPS], &gv, sizeof(gv));
	assert_int_equal(gnttab(dom_b, GNTTABOP_get_version, OPS, 1), -ESRCH);
	gv.dom = DOM_A; /* another domain: not for a domU */
	memcpy(&dom_b->arch.ram[OPS], &gv, sizeof(gv));
	assert_int_equal(gnttab(dom_b, GNTTABOP_get_version, OPS, 1), -EPERM);
	memcpy(&dom_b->arch.ram[OPS], &gs, sizeof(gs));
	assert_int_equal(gnttab(dom_b, GNTTABOP_get_status_frames, OPS, 1), 0);
	memcpy(&gs, &dom_b->arch.ram[OPS], sizeof(gs));
	assert_int_equal(gs.status, GNTST_general_error);
}

static void test_other_commands(void **state)
{
	(void)state;
	assert_int_equal(gnttab(dom_b, GNTTABOP_transfer, OPS, 1), -EOPNOTSUPP);
	assert_int_equal(gnttab(dom_b, 99, OPS, 1), -ENOSYS);
	/* Continuation bits belong to cache_flush only; count is an int. */
	assert_int_equal(gnttab(dom_b, GNTTABOP_query_size | (1U << 12), OPS,
				1),
			 -EINVAL);
	assert_int_equal(gnttab(dom_b, GNTTABOP_map_grant_ref, OPS,
				0x80000000U),
			 -EINVAL);
	/* Nothing to do. */
	assert_int_equal(gnttab(dom_b, GNTTABOP_map_grant_ref, OPS, 0), 0);
}

/* Every operation reads its array through the checked copies. */
static void test_hostile_op_address(void **state)
{
	static const uint64_t cmds[] = {
		GNTTABOP_map_grant_ref, GNTTABOP_unmap_grant_ref,
		GNTTABOP_setup_table,	GNTTABOP_copy,
		GNTTABOP_query_size,	GNTTABOP_set_version,
		GNTTABOP_cache_flush};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		assert_int_equal(gnttab(dom_b, cmds[i], GUEST_RAM - 2U, 1),
				 -EFAULT);
		assert_int_equal(gnttab(dom_b, cmds[i], UINT64_MAX - 2U, 1),
				 -EFAULT);
	}
}

/* A fault on the second element stops there, the first one done. */
static void test_fault_mid_array(void **state)
{
	struct gnttab_map_grant_ref op =
		map_op(DOM_A, 50, GNTMAP_host_map, MAP_GPA);
	uint64_t gva = GUEST_RAM - sizeof(op) - 16U;

	(void)state;
	grant(dom_a, 50, DOM_B, GFN_A1, 0);
	memcpy(&dom_b->arch.ram[gva], &op, sizeof(op));
	assert_int_equal(gnttab(dom_b, GNTTABOP_map_grant_ref, gva, 2),
			 -EFAULT);
	memcpy(&op, &dom_b->arch.ram[gva], sizeof(op));
	assert_int_equal(op.status, GNTST_okay);
	assert_int_equal(fake_grant_maps, 1);
	assert_int_equal(flags_of(dom_a, 50),
			 GTF_permit_access | GTF_reading | GTF_writing);
}

/* ---- Frames and life cycle ---- */

static void test_frames_grow_to_max(void **state)
{
	paddr_t maddr[3];
	paddr_t other;
	unsigned int i;

	(void)state;
	assert_int_equal(query(dom_d, DOMID_SELF, 0).nr_frames, 1);
	assert_int_equal(grant_table_frame(dom_d, 2, &maddr[2]), 0);
	assert_int_equal(query(dom_d, DOMID_SELF, 0).nr_frames, 3);
	assert_int_equal(grant_table_frame(dom_d, 0, &maddr[0]), 0);
	assert_int_equal(grant_table_frame(dom_d, 1, &maddr[1]), 0);
	for (i = 0; i < 3U; i++) {
		assert_true(IS_ALIGNED(maddr[i], PAGE_SIZE));
	}
	assert_int_not_equal(maddr[0], maddr[1]);
	assert_int_not_equal(maddr[1], maddr[2]);
	assert_int_not_equal(maddr[0], maddr[2]);
	assert_int_equal(grant_table_frame(dom_d, 3, &other), -EINVAL);
	assert_int_equal(grant_table_frame(dom_d, UINT32_MAX, &other), -EINVAL);
	assert_int_equal(query(dom_d, DOMID_SELF, 0).nr_frames, 3);
	/* Entries of a grown frame work. */
	grant(dom_d, (2U * 512U) + 5U, DOM_B, GFN_A1, 0);
	assert_int_equal(map(dom_b, DOM_D, (2U * 512U) + 5U, GNTMAP_host_map,
			     MAP_GPA, NULL),
			 GNTST_okay);
	assert_int_equal(fake_grant_maddr, maddr_of(dom_d, GFN_A1));
	assert_int_equal(map(dom_b, DOM_D, 3U * 512U, GNTMAP_host_map, MAP_GPA,
			     NULL),
			 GNTST_bad_gntref);
}

static void test_init_limits(void **state)
{
	(void)state;
	assert_int_equal(grant_table_init(dom_a, 1), -EEXIST);
	grant_table_destroy(dom_a);
	assert_int_equal(grant_table_init(dom_a, 0), -EINVAL);
	assert_int_equal(grant_table_init(dom_a, GNTTAB_MAX_FRAMES + 1U),
			 -EINVAL);
	assert_int_equal(gnttab(dom_a, GNTTABOP_query_size, OPS, 1), -ENOSYS);
	assert_int_equal(grant_table_init(dom_a, 1), 0);
}

/* Destroying a mapping domain's table ends its mappings, and all memory
 * comes back. */
static void test_destroy_releases(void **state)
{
	uint64_t free_before;
	paddr_t maddr;

	(void)state;
	grant_table_destroy(dom_c);
	free_before = page_alloc_free_bytes();
	assert_int_equal(grant_table_init(dom_c, GNTTAB_MAX_FRAMES), 0);
	assert_int_equal(grant_table_frame(dom_c, 7, &maddr), 0);
	grant(dom_a, 60, DOM_C, GFN_A1, 0);
	assert_int_equal(map(dom_c, DOM_A, 60, GNTMAP_host_map, MAP_GPA, NULL),
			 GNTST_okay);
	assert_int_equal(flags_of(dom_a, 60),
			 GTF_permit_access | GTF_reading | GTF_writing);
	grant_table_destroy(dom_c);
	assert_null(dom_c->grant_table);
	assert_int_equal(flags_of(dom_a, 60), GTF_permit_access);
	assert_int_equal(page_alloc_free_bytes(), free_before);
}

/* A mapping of a grant table that was freed and made again is stale: it
 * pins nothing in the new table, and unmapping it crashes the mapping
 * domain (as Xen does when the granting domain is gone). */
static void test_granting_table_replaced(void **state)
{
	struct domain *e = make_domain(5);
	grant_handle_t stale = 0;
	grant_handle_t handle = 0;

	(void)state;
	grant_table_destroy(e);
	assert_int_equal(grant_table_init(e, GNTTAB_MAX_FRAMES), 0);
	grant(dom_a, 70, 5, GFN_A1, 0);
	assert_int_equal(map(e, DOM_A, 70, GNTMAP_host_map, MAP_GPA, &stale),
			 GNTST_okay);
	grant_table_destroy(dom_a);
	assert_int_equal(grant_table_init(dom_a, GNTTAB_MAX_FRAMES), 0);
	grant(dom_a, 70, DOM_B, GFN_A1, 0);
	assert_int_equal(map(dom_b, DOM_A, 70, GNTMAP_host_map, MAP_GPA,
			     &handle),
			 GNTST_okay);
	assert_int_equal(unmap(e, stale, MAP_GPA), GNTST_general_error);
	assert_true(e->crashed);
	grant_table_destroy(e);
	assert_int_equal(flags_of(dom_a, 70),
			 GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(unmap(dom_b, handle, MAP_GPA), GNTST_okay);
	assert_int_equal(flags_of(dom_a, 70), GTF_permit_access);
}

/* A granter that dies while its page is mapped stays a zombie, with its
 * page and grant table, until the mapping goes; then the reaper frees it
 * and every byte it had. */
static void test_granter_stays_zombie_until_unmapped(void **state)
{
	uint64_t free_before;
	struct domain *g;
	grant_handle_t handle = 0;

	(void)state;
	/* dom_b's first mapping gives it a maptrack page: make it first. */
	grant(dom_a, 81, DOM_B, GFN_A1, 0);
	assert_int_equal(map(dom_b, DOM_A, 81, GNTMAP_host_map, MAP_GPA,
			     &handle),
			 GNTST_okay);
	assert_int_equal(unmap(dom_b, handle, MAP_GPA), GNTST_okay);
	free_before = page_alloc_free_bytes();
	g = make_domain(6);
	grant(g, 80, DOM_B, GFN_A1, 0);
	assert_int_equal(map(dom_b, 6, 80, GNTMAP_host_map, MAP_GPA, &handle),
			 GNTST_okay);
	domain_kill(g);
	while (domain_reap_step()) {
	}
	assert_int_equal(g->death, DOMAIN_ZOMBIE);
	assert_int_equal(g->tot_pages, 1);
	assert_ptr_equal(domain_by_id(6), g);
	/* Its grants can no longer be put in use, but the mapping can end. */
	assert_int_equal(map(dom_b, 6, 80, GNTMAP_host_map, MAP_GPA + PAGE_SIZE,
			     NULL),
			 GNTST_bad_domain);
	assert_int_equal(unmap(dom_b, handle, MAP_GPA), GNTST_okay);
	assert_int_equal(g->tot_pages, 0);
	assert_true(domain_reap_step()); /* the final free */
	assert_false(domain_reap_step());
	assert_null(domain_by_id(6));
	assert_int_equal(page_alloc_free_bytes(), free_before);
}

/* Run test with every load/store-exclusive attempt on guest memory failing,
 * as if the guest stored to each word all the time: each guest atomic
 * then completes through the pause of its owner (core/guest-atomics.c),
 * and the results must be the same. */
static void contended(void (*test)(void **), void **state)
{
	uint64_t pauses = guest_atomic_pauses;

	fake_guest_atomic_failures = UINT_MAX;
	test(state);
	fake_guest_atomic_failures = 0;
	assert_true(guest_atomic_pauses > pauses);
}

static void test_map_readonly_then_writable_contended(void **state)
{
	contended(test_map_readonly_then_writable, state);
}

static void test_busy_flags_clear_after_last_unmap_contended(void **state)
{
	contended(test_busy_flags_clear_after_last_unmap, state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_map_silo, setup),
		cmocka_unit_test_setup(test_swap_grant_ref, setup),
		cmocka_unit_test_setup(test_map_writable, setup),
		cmocka_unit_test_setup(test_map_readonly_then_writable, setup),
		cmocka_unit_test_setup(test_map_by_domain_not_named_fails,
				       setup),
		cmocka_unit_test_setup(
			test_writable_map_of_readonly_grant_fails, setup),
		cmocka_unit_test_setup(test_map_checks, setup),
		cmocka_unit_test_setup(test_out_of_range_ref, setup),
		cmocka_unit_test_setup(test_map_frame_not_ram, setup),
		cmocka_unit_test_setup(test_map_arch_failure_undone, setup),
		cmocka_unit_test_setup(test_map_own_grant, setup),
		cmocka_unit_test_setup(test_many_mappings, setup),
		cmocka_unit_test_setup(test_unmap_bad_handle, setup),
		cmocka_unit_test_setup(test_double_unmap_fails, setup),
		cmocka_unit_test_setup(test_busy_flags_clear_after_last_unmap,
				       setup),
		cmocka_unit_test_setup(test_unmap_address, setup),
		cmocka_unit_test_setup(test_copy_between_grants, setup),
		cmocka_unit_test_setup(test_copy_to_readonly_grant_refused,
				       setup),
		cmocka_unit_test_setup(test_copy_frames_and_checks, setup),
		cmocka_unit_test_setup(test_query_size, setup),
		cmocka_unit_test_setup(test_set_version, setup),
		cmocka_unit_test_setup(test_setup_table, setup),
		cmocka_unit_test_setup(test_add_to_physmap_places_frame, setup),
		cmocka_unit_test_setup(test_cache_flush, setup),
		cmocka_unit_test_setup(test_version_queries, setup),
		cmocka_unit_test_setup(test_other_commands, setup),
		cmocka_unit_test_setup(test_hostile_op_address, setup),
		cmocka_unit_test_setup(test_fault_mid_array, setup),
		cmocka_unit_test_setup(test_frames_grow_to_max, setup),
		cmocka_unit_test_setup(test_init_limits, setup),
		cmocka_unit_test_setup(test_destroy_releases, setup),
		cmocka_unit_test_setup(test_granting_table_replaced, setup),
		cmocka_unit_test_setup(test_granter_stays_zombie_until_unmapped,
				       setup),
		cmocka_unit_test_setup(
			test_map_readonly_then_writable_contended, setup),
		cmocka_unit_test_setup(
			test_busy_flags_clear_after_last_unmap_contended,
			setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
