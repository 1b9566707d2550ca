/*
 * grant-outlives-granter: domain 2 (grant-granter) grants this domain a
 * page, which this domain maps; domain 2 writes a last value and powers
 * off. Its page must stay valid behind the mapping: this domain still
 * reads the last value, then unmaps. The runner checks in the hypervisor's
 * log that domain 2 stayed a zombie until this unmap, and only then was
 * destroyed.
 */
#include <xtf.h>
#include <xtf/grant.h>
#include <xtf/xenmem.h>

const char test_title[] = "Grant outlives granter: a mapped page survives "
			  "its domain";

#define GRANTER_DOMID 2U
#define GRANT_REF 10U
#define LAST_VALUE 0x1a57da7a1a57da7aULL
#define MAP_GPA XTF_FREE_GPA

static int16_t map(uint64_t gpa, grant_handle_t *handle)
{
	return grant_map(GRANTER_DOMID, GRANT_REF, gpa, GNTMAP_host_map,
			 handle);
}

void test_main(void)
{
	volatile uint64_t *shared = (volatile uint64_t *)MAP_GPA;
	uint64_t give_up = timer_now() + timer_us_to_ticks(5000000);
	grant_handle_t handle;
	grant_handle_t probe;
	int16_t st;

	/* Map as soon as the granter has filled in its entry. */
	while ((st = map(MAP_GPA, &handle)) != GNTST_okay) {
		if (timer_expired(give_up)) {
			xtf_failure("mapping d%u's grant: status %d",
				    GRANTER_DOMID, st);
			return;
		}
		timer_sleep_us(1000);
	}
	printf("grant: mapped d%u's ref %u\n", GRANTER_DOMID, GRANT_REF);
	/* A second mapping works while the granter lives; once it is dying,
	 * new mappings of its grants are refused (GNTST_bad_domain). */
	for (;;) {
		st = map(MAP_GPA + 0x1000, &probe);
		if (st == GNTST_bad_domain) {
			break;
		}
		if (st == GNTST_okay && grant_unmap(MAP_GPA + 0x1000, probe)) {
			xtf_failure("unmapping the probe mapping failed");
			return;
		}
		if (timer_expired(give_up)) {
			xtf_failure("d%u never went away (last status %d)",
				    GRANTER_DOMID, st);
			return;
		}
		timer_sleep_us(1000);
	}
	/* Give the hypervisor's reaper time to take the granter apart. */
	timer_sleep_us(200000);
	if (*shared != LAST_VALUE) {
		xtf_failure("read 0x%llx through the mapping, want 0x%llx",
			    (unsigned long long)*shared,
			    (unsigned long long)LAST_VALUE);
		return;
	}
	printf("grant: granter gone, its last value still readable\n");
	printf("grant: unmapping now\n");
	st = grant_unmap(MAP_GPA, handle);
	if (st != GNTST_okay) {
		xtf_failure("unmap after the granter died: status %d", st);
		return;
	}
	/* Give the reaper time to free the zombie before we go. */
	timer_sleep_us(100000);
	xtf_success();
}
