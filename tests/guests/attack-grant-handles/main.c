/*
 * attack-grant-handles: a domain abuses grant handles and grant copies on
 * a page it grants itself:
 *  - pins: one ref mapped writable 0x80 times (the pin counter's limit) is
 *    refused the next time (GNTST_general_error), so the counter cannot
 *    wrap (XSA-224/XSA-380-like pin-count overflows);
 *  - unmap with a host_addr other than the mapping's (a RAM page, then a
 *    hole): GNTST_general_error, the mapping stays; double unmap, handles never issued and past any
 *    limit: GNTST_bad_handle (XSA-218/XSA-224-like handle confusion);
 *  - two vCPUs unmapping one handle at once: one succeeds, 200 times
 *    (XSA-230/XSA-295-like races on grant state);
 *  - GNTTABOP_copy with offset + len past the page on either side, or
 *    len above a page: GNTST_bad_copy_arg, nothing written (XSA-226-like);
 * afterwards the grant entry is idle again and the ref maps as before.
 */
#include <xtf.h>
#include <xtf/grant.h>
#include <xtf/xenmem.h>

const char test_title[] = "Attack: grant handle abuse, 0x80 pins, copy "
			  "bounds (XSA-224/226-like)";

#define PAGE_SIZE 4096UL
#define MAP_BASE (XTF_FREE_GPA + 0x00100000UL)
#define OTHER_GPA (XTF_FREE_GPA + 0x00800000UL) /* nothing there */
#define PINS 0x80U
#define REF 5U
#define PATTERN 0x7a7a7a7a7a7a7a7aULL
#define GUARD 0x3d3d3d3d3d3d3d3dULL

static volatile grant_entry_v1_t *const table =
	(volatile grant_entry_v1_t *)XTF_GNTTAB_GPA;
/* The granted page, then a destination page and a guard page after it. */
static uint64_t granted[PAGE_SIZE / 8] __aligned(PAGE_SIZE);
static uint64_t dest[2][PAGE_SIZE / 8] __aligned(PAGE_SIZE);
static grant_handle_t handles[PINS];
static domid_t self;

static int16_t map(uint64_t gpa, grant_handle_t *handle)
{
	return grant_map(self, REF, gpa, GNTMAP_host_map, handle);
}

/* Copy len bytes from the grant at soff to dest[0] at doff. */
static int16_t copy(unsigned int soff, unsigned int doff, unsigned int len)
{
	struct gnttab_copy op = {
		.source = {.u.ref = REF, .domid = self, .offset = soff},
		.dest = {.u.gmfn = (uint64_t)dest[0] >> 12,
			 .domid = DOMID_SELF,
			 .offset = doff},
		.len = len,
		.flags = GNTCOPY_source_gref,
	};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, &op, 1);

	return rc ? GNTST_general_error : op.status;
}

static bool expect(const char *what, int16_t got, int16_t want)
{
	if (got == want) {
		return true;
	}
	xtf_failure("%s: status %d, want %d", what, got, want);
	return false;
}

static bool pins(void)
{
	grant_handle_t extra;
	unsigned int i;
	int16_t st;

	for (i = 0; i < PINS; i++) {
		st = map(MAP_BASE + i * PAGE_SIZE, &handles[i]);
		if (st != GNTST_okay) {
			xtf_failure("mapping %u of the ref: status %d", i, st);
			return false;
		}
	}
	if (*(volatile uint64_t *)(MAP_BASE + (PINS - 1) * PAGE_SIZE) !=
	    PATTERN) {
		xtf_failure("mapping %u does not show the page", PINS - 1);
		return false;
	}
	st = map(MAP_BASE + PINS * PAGE_SIZE, &extra);
	printf("attack-grant-handles: %u maps of one ref, the next: %d\n", PINS,
	       st);
	if (st == GNTST_okay) {
		(void)grant_unmap(MAP_BASE + PINS * PAGE_SIZE, extra);
	}
	if (!expect("a map past the pin limit", st, GNTST_general_error)) {
		return false;
	}
	for (i = 0; i < PINS; i++) {
		st = grant_unmap(MAP_BASE + i * PAGE_SIZE, handles[i]);
		if (st != GNTST_okay) {
			xtf_failure("unmapping %u: status %d", i, st);
			return false;
		}
	}
	return true;
}

static bool bad_handles(void)
{
	volatile uint64_t *mapped = (volatile uint64_t *)MAP_BASE;
	grant_handle_t h;

	if (!expect("map", map(MAP_BASE, &h), GNTST_okay)) {
		return false;
	}
	/* At a RAM page of its own: refused by both. */
	if (!expect("unmap at a RAM page's address",
		    grant_unmap((uint64_t)dest[0], h), GNTST_general_error)) {
		return false;
	}
	if (*mapped != PATTERN) {
		xtf_failure("the mapping went with a refused unmap");
		return false;
	}
	if (!expect("unmap of a handle never issued",
		    grant_unmap(MAP_BASE, h + 1), GNTST_bad_handle) ||
	    !expect("unmap of handle 0x7fffffff",
		    grant_unmap(MAP_BASE, 0x7fffffff), GNTST_bad_handle) ||
	    !expect("unmap of handle ~0", grant_unmap(MAP_BASE, ~0U),
		    GNTST_bad_handle) ||
	    !expect("unmap", grant_unmap(MAP_BASE, h), GNTST_okay) ||
	    !expect("second unmap", grant_unmap(MAP_BASE, h),
		    GNTST_bad_handle)) {
		return false;
	}
	printf("attack-grant-handles: wrong address, unknown and twice "
	       "unmapped handles refused\n");
	return true;
}

static bool copy_bounds(void)
{
	static const struct {
		unsigned int soff, doff, len;
	} bad[] = {
		{0xff0, 0, 0x20},    {0, 0xff0, 0x20},	    {0, 0x1000, 1},
		{0x1000, 0, 1},	     {0, 0, 0x1001},	    {0xffff, 0, 0xffff},
		{0, 0xffff, 0xffff}, {0x800, 0x800, 0x801}, {0, 0, 0xffff},
	};
	unsigned int i;
	int16_t st;

	for (i = 0; i < PAGE_SIZE / 8; i++) {
		dest[0][i] = 0;
		dest[1][i] = GUARD;
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		st = copy(bad[i].soff, bad[i].doff, bad[i].len);
		if (st != GNTST_bad_copy_arg) {
			xtf_failure(
				"copy src +%#x dst +%#x len %#x: status %d, "
				"want %d",
				bad[i].soff, bad[i].doff, bad[i].len, st,
				GNTST_bad_copy_arg);
			return false;
		}
	}
	for (i = 0; i < PAGE_SIZE / 8; i++) {
		if (dest[0][i] != 0 || dest[1][i] != GUARD) {
			xtf_failure("a refused copy wrote at %#x",
				    (unsigned int)(i * 8));
			return false;
		}
	}
	/* Up to the last byte of both pages is fine. */
	if (!expect("copy of the last 0x40 bytes", copy(0xfc0, 0xfc0, 0x40),
		    GNTST_okay)) {
		return false;
	}
	if (dest[0][PAGE_SIZE / 8 - 1] != PATTERN || dest[1][0] != GUARD) {
		xtf_failure("the last 0x40 bytes were not copied exactly");
		return false;
	}
	printf("attack-grant-handles: %u copies past a page refused\n",
	       (unsigned int)ARRAY_SIZE(bad));
	return true;
}

/*
 * Two vCPUs unmap the same handle at once, many times: exactly one unmap
 * succeeds each round (two would drop the pin twice), the other sees a
 * spent handle (GNTST_bad_handle) or, racing, the mapping already gone
 * (GNTST_general_error).
 */
#define RACE_ROUNDS 200U

static grant_handle_t race_handle;
static volatile unsigned int race_go, race_done;
static volatile int16_t race_status;

static void racer(void *arg)
{
	unsigned int r;

	(void)arg;
	for (r = 1; r <= RACE_ROUNDS; r++) {
		while (race_go != r) {
			cpu_relax();
		}
		race_status = grant_unmap(MAP_BASE, race_handle);
		dmb(ish);
		race_done = r;
	}
}

static bool race(void)
{
	uint64_t give_up = timer_now() + timer_us_to_ticks(5000000);
	unsigned int r, secondary_won = 0;
	int16_t mine;
	long rc;

	if (platform.nr_cpus < 2) {
		xtf_error("the unmap race wants 2 vCPUs");
		return false;
	}
	rc = smp_start_cpu(1, racer, NULL);
	if (rc) {
		xtf_error("starting vCPU 1: %ld", rc);
		return false;
	}
	for (r = 1; r <= RACE_ROUNDS; r++) {
		if (!expect("map for the race", map(MAP_BASE, &race_handle),
			    GNTST_okay)) {
			return false;
		}
		dmb(ish);
		race_go = r;
		mine = grant_unmap(MAP_BASE, race_handle);
		while (race_done != r) {
			if (timer_expired(give_up)) {
				xtf_failure("vCPU 1 stuck in round %u", r);
				return false;
			}
			cpu_relax();
		}
		if ((mine == GNTST_okay) == (race_status == GNTST_okay) ||
		    (mine != GNTST_okay && mine != GNTST_bad_handle &&
		     mine != GNTST_general_error) ||
		    (race_status != GNTST_okay &&
		     race_status != GNTST_bad_handle &&
		     race_status != GNTST_general_error)) {
			xtf_failure("round %u: the two unmaps answered %d and "
				    "%d, want one success",
				    r, mine, race_status);
			return false;
		}
		secondary_won += race_status == GNTST_okay;
	}
	printf("attack-grant-handles: %u rounds of two vCPUs unmapping one "
	       "handle: one success each (vCPU 1 won %u)\n",
	       RACE_ROUNDS, secondary_won);
	return true;
}

/*
 * An unmap at an address where nothing is mapped must be refused too and
 * leave the mapping and its handle. Xen 4.17 answers GNTST_okay: its Arm
 * replace_grant_host_mapping() only compares the frame when the address
 * holds RAM, so it drops the pin and the handle and leaves the real
 * mapping in the stage-2 tables (the mapping outlives the pin). Done last,
 * so that everything else is checked on Xen 4.17 too.
 */
static bool hole_unmap(void)
{
	volatile uint64_t *mapped = (volatile uint64_t *)MAP_BASE;
	grant_handle_t h;
	int16_t st;

	if (!expect("map", map(MAP_BASE, &h), GNTST_okay)) {
		return false;
	}
	st = grant_unmap(OTHER_GPA, h);
	printf("attack-grant-handles: unmap at an unmapped address: %d\n", st);
	if (st != GNTST_general_error) {
		xtf_failure("unmap at an unmapped address: status %d, want %d "
			    "(mapping %s, entry flags %#x)",
			    st, GNTST_general_error,
			    *mapped == PATTERN ? "still there" : "gone",
			    table[REF].flags);
		return false;
	}
	return expect("unmap", grant_unmap(MAP_BASE, h), GNTST_okay);
}

void test_main(void)
{
	grant_handle_t h;
	unsigned int i;

	if (xtf_add_to_physmap(XENMAPSPACE_grant_table, 0,
			       XTF_GNTTAB_GPA >> 12)) {
		xtf_error("cannot map grant-table frame 0");
		return;
	}
	if (grant_self_domid(&self)) {
		xtf_error("cannot learn this domain's ID");
		return;
	}
	for (i = 0; i < PAGE_SIZE / 8; i++) {
		granted[i] = PATTERN;
	}
	table[REF].frame = (uint32_t)((uint64_t)granted >> 12);
	table[REF].domid = self;
	dmb(ish);
	table[REF].flags = GTF_permit_access;

	if (!pins() || !bad_handles() || !copy_bounds() || !race()) {
		return;
	}
	if (table[REF].flags != GTF_permit_access) {
		xtf_failure("grant entry flags %#x after everything, want %#x",
			    table[REF].flags, GTF_permit_access);
		return;
	}
	if (!expect("map after the attacks", map(MAP_BASE, &h), GNTST_okay) ||
	    !expect("unmap after the attacks", grant_unmap(MAP_BASE, h),
		    GNTST_okay) ||
	    !hole_unmap()) {
		return;
	}
	xtf_success();
}
