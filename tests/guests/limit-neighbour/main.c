/*
 * limit-neighbour: domain 2 of populate-limit. Once domain 1 has been
 * refused at its max_pages, this domain still allocates 200 event channels
 * (new port buckets) and grows its grant table to 4 frames.
 */
#include <xtf.h>
#include <xtf/xenmem.h>

const char test_title[] = "Limit neighbour: allocates after d1 hit its limit";

#define PORTS 200U

void test_main(void)
{
	unsigned int i;
	long rc;

	/* Domain 1 needs a few milliseconds to reach its limit; the runner
	 * checks that it had. */
	timer_sleep_us(2000000);
	for (i = 0; i < PORTS; i++) {
		struct evtchn_alloc_unbound op = {.dom = DOMID_SELF,
						  .remote_dom = DOMID_SELF};

		rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);
		if (rc) {
			xtf_failure("event channel %u: %ld", i, rc);
			return;
		}
	}
	rc = xtf_add_to_physmap(XENMAPSPACE_grant_table, 3,
				(XTF_GNTTAB_GPA >> 12) + 3);
	if (rc) {
		xtf_failure("growing the grant table to 4 frames: %ld", rc);
		return;
	}
	printf("limit-neighbour: %u event channels and 4 grant frames "
	       "allocated\n",
	       PORTS);
	xtf_success();
}
