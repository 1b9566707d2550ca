/*
 * attack-grant-special: the domain grants itself pages that are not its
 * ordinary RAM and tries to use the grants (GNTTABOP_map_grant_ref and
 * GNTTABOP_copy): the GIC distributor (emulated MMIO), a hole in its
 * guest-physical space, a frame number past anything a guest can have.
 * Each use must be refused with GNTST_bad_page and the hypervisor must
 * carry on; an ordinary RAM page granted the same way maps and copies.
 * Resembles XSA-255/XSA-268 (grant frames and special pages reachable
 * through grant operations) and XSA-224 (grant ops on bogus frames).
 *
 * Its shared_info page and its grant-table frame, granted to itself, are
 * the hypervisor's pages lent to the guest: Xen 4.17 on Arm takes them as
 * the domain's own pages (they are mapped p2m_ram_rw and owned by it), so
 * map 0 and copy 0 there. Xenon refuses them (GNTST_bad_page): a grant
 * table frame must not become writable through a grant. Either answer is
 * accepted; if used, the mapping and the copy must show the page itself.
 * The same holds for a grant mapping of its own page granted on (Xen
 * finds the domain's own page behind it).
 */
#include <xtf.h>
#include <xtf/grant.h>
#include <xtf/xenmem.h>

const char test_title[] = "Attack: grants of MMIO, holes and special pages "
			  "(XSA-255/268-like)";

#define PAGE_SIZE 4096UL
#define SHINFO_GPA (XTF_FREE_GPA + 0x00100000UL)
#define HOLE_GPA (XTF_FREE_GPA + 0x00200000UL)
#define MAP_GPA (XTF_FREE_GPA + 0x00300000UL)
#define MAP2_GPA (XTF_FREE_GPA + 0x00400000UL)

enum {
	REF_RAM = 1,
	REF_GICD,
	REF_HOLE,
	REF_HUGE,
	REF_SHINFO,
	REF_GNTTAB,
	REF_MAPPED,
};

static uint8_t ram_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t copy_buf[PAGE_SIZE] __aligned(PAGE_SIZE);
static domid_t self;
static volatile grant_entry_v1_t *const table =
	(volatile grant_entry_v1_t *)XTF_GNTTAB_GPA;

static uint16_t entry_flags(grant_ref_t ref)
{
	return table[ref].flags;
}

static int16_t map(grant_ref_t ref, uint64_t gpa, grant_handle_t *handle)
{
	return grant_map(self, ref, gpa, GNTMAP_host_map, handle);
}

/* Copy 64 bytes from the grant into copy_buf. */
static int16_t copy_from(grant_ref_t ref)
{
	struct gnttab_copy op = {
		.source = {.u.ref = ref, .domid = self},
		.dest = {.u.gmfn = (uint64_t)copy_buf >> 12,
			 .domid = DOMID_SELF},
		.len = 64,
		.flags = GNTCOPY_source_gref,
	};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, &op, 1);

	return rc ? GNTST_general_error : op.status;
}

/* A grant that must be refused both ways with GNTST_bad_page. */
static bool refused(const char *what, grant_ref_t ref)
{
	grant_handle_t h;
	int16_t m = map(ref, MAP_GPA, &h);
	int16_t c = copy_from(ref);

	printf("attack-grant-special: %s: map %d, copy %d\n", what, m, c);
	if (m == GNTST_okay) {
		(void)grant_unmap(MAP_GPA, h);
	}
	if (m != GNTST_bad_page || c != GNTST_bad_page) {
		xtf_failure("%s: map %d, copy %d, want GNTST_bad_page (%d)",
			    what, m, c, GNTST_bad_page);
		return false;
	}
	if (entry_flags(ref) & (GTF_reading | GTF_writing)) {
		xtf_failure("%s: entry left in use (flags %#x)", what,
			    entry_flags(ref));
		return false;
	}
	return true;
}

/*
 * A page of the hypervisor's lent to the domain at gpa: refused
 * (GNTST_bad_page, Xenon) or, if used (Xen 4.17), the mapping and the copy
 * show the page itself; unmapped again if mapped.
 */
static bool answered(const char *what, grant_ref_t ref, uint64_t gpa)
{
	const volatile uint64_t *page = (const volatile uint64_t *)gpa;
	const volatile uint64_t *mapped = (const volatile uint64_t *)MAP_GPA;
	bool same = true;
	grant_handle_t h;
	int16_t m = map(ref, MAP_GPA, &h);
	int16_t c = copy_from(ref);
	int16_t u = GNTST_okay;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		if (m == GNTST_okay && mapped[i] != page[i]) {
			same = false;
		}
		if (c == GNTST_okay && ((uint64_t *)copy_buf)[i] != page[i]) {
			same = false;
		}
	}
	if (m == GNTST_okay) {
		u = grant_unmap(MAP_GPA, h);
	}
	printf("attack-grant-special: %s: map %d, copy %d, unmap %d\n", what, m,
	       c, u);
	if ((m != GNTST_okay && m != GNTST_bad_page) ||
	    (c != GNTST_okay && c != GNTST_bad_page) || u != GNTST_okay ||
	    !same) {
		xtf_failure("%s: map %d copy %d unmap %d%s", what, m, c, u,
			    same ? "" : ", not the page's contents");
		return false;
	}
	return true;
}

static void grant(grant_ref_t ref, uint64_t gfn)
{
	table[ref].frame = (uint32_t)gfn;
	table[ref].domid = self;
	dmb(ish); /* frame and domain before the flags that validate them */
	table[ref].flags = GTF_permit_access;
}

void test_main(void)
{
	volatile uint64_t *mapped = (volatile uint64_t *)MAP_GPA;
	grant_handle_t h;
	int16_t st;

	if (xtf_add_to_physmap(XENMAPSPACE_grant_table, 0,
			       XTF_GNTTAB_GPA >> 12)) {
		xtf_error("cannot map grant-table frame 0");
		return;
	}
	if (grant_self_domid(&self)) {
		xtf_error("cannot learn this domain's ID");
		return;
	}
	if (xtf_add_to_physmap(XENMAPSPACE_shared_info, 0, SHINFO_GPA >> 12)) {
		xtf_error("cannot map shared_info");
		return;
	}
	printf("attack-grant-special: domain %u, GICD %#lx\n", self,
	       (unsigned long)platform.gicd_base);

	((volatile uint64_t *)ram_page)[0] = 0x600d600d600d600dULL;
	grant(REF_RAM, (uint64_t)ram_page >> 12);
	grant(REF_GICD, platform.gicd_base >> 12);
	grant(REF_HOLE, HOLE_GPA >> 12);
	grant(REF_HUGE, 0xfffffff0U);
	grant(REF_SHINFO, SHINFO_GPA >> 12);
	grant(REF_GNTTAB, XTF_GNTTAB_GPA >> 12);

	/* The control: RAM granted to oneself maps and copies. */
	st = map(REF_RAM, MAP_GPA, &h);
	if (st != GNTST_okay) {
		xtf_failure("own RAM page: map status %d", st);
		return;
	}
	if (*mapped != 0x600d600d600d600dULL) {
		xtf_failure("own RAM page: mapping reads %#llx",
			    (unsigned long long)*mapped);
		return;
	}
	st = grant_unmap(MAP_GPA, h);
	if (st != GNTST_okay) {
		xtf_failure("own RAM page: unmap status %d", st);
		return;
	}
	st = copy_from(REF_RAM);
	if (st != GNTST_okay ||
	    ((uint64_t *)copy_buf)[0] != 0x600d600d600d600dULL) {
		xtf_failure("own RAM page: copy status %d", st);
		return;
	}

	if (!refused("GICD (emulated MMIO)", REF_GICD) ||
	    !refused("a hole", REF_HOLE) ||
	    !refused("frame 0xfffffff0", REF_HUGE)) {
		return;
	}
	if (!answered("shared_info", REF_SHINFO, SHINFO_GPA) ||
	    !answered("grant-table frame 0", REF_GNTTAB, XTF_GNTTAB_GPA)) {
		return;
	}
	/* A grant mapping (of its own page) granted on: Xen 4.17 finds the
	 * domain's own page behind it and uses it; Xenon refuses grants of
	 * anything but RAM. A foreign page granted on is refused by both. */
	st = map(REF_RAM, MAP2_GPA, &h);
	if (st != GNTST_okay) {
		xtf_failure("own RAM page at a second address: status %d", st);
		return;
	}
	grant(REF_MAPPED, MAP2_GPA >> 12);
	if (!answered("a grant mapping of its own page", REF_MAPPED,
		      MAP2_GPA)) {
		return;
	}
	st = grant_unmap(MAP2_GPA, h);
	if (st != GNTST_okay) {
		xtf_failure("unmapping the second address: status %d", st);
		return;
	}
	/* The grant table still works: the RAM grant maps once more. */
	st = map(REF_RAM, MAP_GPA, &h);
	if (st != GNTST_okay || *mapped != 0x600d600d600d600dULL ||
	    grant_unmap(MAP_GPA, h) != GNTST_okay) {
		xtf_failure("own RAM page after the attacks: map status %d",
			    st);
		return;
	}
	xtf_success();
}
