/*
 * populate-limit: a domain may own at most its max_pages. After giving 64
 * pages back, populate_physmap of fresh frames succeeds exactly until the
 * domain is at its limit again, then is refused (returns 0 done). Domain 2
 * (limit-neighbour) then still gets event-channel buckets and grant-table
 * frames: one domain at its limit takes nothing from the others.
 */
#include <xtf.h>
#include <xtf/xenmem.h>

const char test_title[] = "Populate limit: populate_physmap stops at "
			  "max_pages";

#define GIVE_BACK 64UL

static xen_pfn_t gfns[GIVE_BACK];

void test_main(void)
{
	domid_t self = DOMID_SELF;
	long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
	long max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
	uint64_t top = platform.ram_base + platform.ram_size;
	unsigned long placed = 0;
	unsigned int i;
	xen_pfn_t gfn;
	long rc;

	printf("populate-limit: %ld pages of at most %ld\n", cur, max);
	if (cur <= 0 || max < cur) {
		xtf_failure("current %ld / maximum %ld reservation", cur, max);
		return;
	}
	for (i = 0; i < GIVE_BACK; i++) {
		gfns[i] = (top >> 12) - 1 - i;
	}
	rc = xtf_reservation(XENMEM_decrease_reservation, gfns, GIVE_BACK);
	if (rc != (long)GIVE_BACK) {
		xtf_error("decrease_reservation: %ld of %lu", rc, GIVE_BACK);
		return;
	}
	/* Fresh frames one at a time, far more than the room there is. */
	for (gfn = XTF_FREE_GPA >> 12; placed < 4 * GIVE_BACK; gfn++) {
		rc = xtf_reservation(XENMEM_populate_physmap, &gfn, 1);
		if (rc != 1) {
			break;
		}
		placed++;
	}
	printf("populate-limit: placed %lu pages, then the call returned %ld\n",
	       placed, rc);
	if (rc != 0) {
		xtf_failure("refusal returned %ld, want 0 extents done", rc);
		return;
	}
	if ((long)placed != max - cur + (long)GIVE_BACK) {
		xtf_failure("refused after %lu pages, want %ld", placed,
			    max - cur + (long)GIVE_BACK);
		return;
	}
	xtf_success();
}
