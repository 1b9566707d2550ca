/*
 * grant-frame-move: where the guest places its grant-table frames
 * (XENMEM_add_to_physmap, XENMAPSPACE_grant_table) is what
 * GNTTABOP_setup_table reports, and a frame is at one gfn at a time.
 *
 * Xen 4.17 on Arm keeps the gfn of a hypervisor page in the page itself
 * and refuses to place a page that is already placed (-EBUSY): the guest
 * removes it first (XENMEM_remove_from_physmap), then places it again.
 * A page mapped over a frame's gfn leaves the frame placed nowhere
 * (setup_table reports INVALID_GFN). The same images run on Xen 4.17.
 */
#include <xtf.h>
#include <xtf/xenmem.h>

const char test_title[] = "Grant frames: setup_table reports where they are; "
			  "one gfn at a time";

#define GFN_A (XTF_GNTTAB_GPA >> 12)
#define GFN_B (GFN_A + 1U)
#define GFN_C (GFN_A + 2U)
#define NO_GFN (~(xen_pfn_t)0)
#define MARK_REF 7U
#define MARK 0x5a5a1234U

static xen_pfn_t gfns[2];

static volatile grant_entry_v1_t *frame_at(xen_pfn_t gfn)
{
	return (volatile grant_entry_v1_t *)(uintptr_t)(gfn << 12);
}

/* GNTTABOP_setup_table for nr frames into gfns[]: its status, or the
 * hypercall's error. */
static long setup_table(unsigned int nr)
{
	struct gnttab_setup_table op = {.dom = DOMID_SELF, .nr_frames = nr};
	long rc;

	gfns[0] = 0;
	gfns[1] = 0;
	set_xen_guest_handle(op.frame_list, gfns);
	rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &op, 1);
	return rc ? rc : op.status;
}

static long remove_gfn(xen_pfn_t gfn)
{
	struct xen_remove_from_physmap x = {.domid = DOMID_SELF, .gpfn = gfn};

	return HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &x);
}

/* Frame idx of nr is reported at want; false (and a failure) if not. */
static bool reported(unsigned int nr, unsigned int idx, xen_pfn_t want,
		     const char *when)
{
	long rc = setup_table(nr);

	if (rc) {
		xtf_failure("%s: setup_table %ld", when, rc);
		return false;
	}
	if (gfns[idx] != want) {
		xtf_failure("%s: frame %u reported at %#lx, not %#lx", when,
			    idx, (unsigned long)gfns[idx], (unsigned long)want);
		return false;
	}
	return true;
}

static bool expect(long rc, long want, const char *what)
{
	if (rc != want) {
		xtf_failure("%s: %ld, expected %ld", what, rc, want);
	}
	return rc == want;
}

void test_main(void)
{
	if (!expect(xtf_add_to_physmap(XENMAPSPACE_grant_table, 0, GFN_A), 0,
		    "frame 0 at A") ||
	    !reported(1, 0, GFN_A, "placed at A")) {
		return;
	}
	frame_at(GFN_A)[MARK_REF].frame = MARK;
	/* Placed already: Xen 4.17 on Arm answers -EBUSY, A stays. */
	if (!expect(xtf_add_to_physmap(XENMAPSPACE_grant_table, 0, GFN_B),
		    -XEN_EBUSY, "frame 0 again, at B") ||
	    !reported(1, 0, GFN_A, "after the refused move")) {
		return;
	}
	if (!expect(remove_gfn(GFN_A), 0, "remove A") ||
	    !reported(1, 0, NO_GFN, "removed") ||
	    !expect(xtf_add_to_physmap(XENMAPSPACE_grant_table, 0, GFN_B), 0,
		    "frame 0 at B after the removal") ||
	    !reported(1, 0, GFN_B, "moved to B")) {
		return;
	}
	if (frame_at(GFN_B)[MARK_REF].frame != MARK) {
		xtf_failure("frame 0 at B does not hold what was written at A");
		return;
	}
	if (!expect(xtf_add_to_physmap(XENMAPSPACE_grant_table, 1, GFN_C), 0,
		    "frame 1 at C") ||
	    !reported(2, 1, GFN_C, "frame 1") ||
	    !reported(2, 0, GFN_B, "two")) {
		return;
	}
	/* shared_info over frame 0: the frame is placed nowhere. */
	if (!expect(xtf_add_to_physmap(XENMAPSPACE_shared_info, 0, GFN_B), 0,
		    "shared_info over B") ||
	    !reported(2, 0, NO_GFN, "replaced") ||
	    !reported(2, 1, GFN_C, "the other frame")) {
		return;
	}
	printf("grant-frame-move: frames reported where placed\n");
	xtf_success();
}
