/*
 * grant-granter: the granting side of grant-outlives-granter (domain 2).
 * Grants one page to domain 1, waits until domain 1 maps it (GTF_reading),
 * writes its last value into it and powers off.
 */
#include <xtf.h>
#include <xtf/xenmem.h>

const char test_title[] = "Grant granter: grants a page to d1, powers off";

#define GRANT_REF 10U
#define MAPPER_DOMID 1U
#define FIRST_VALUE 0x1111111111111111ULL
#define LAST_VALUE 0x1a57da7a1a57da7aULL

static volatile uint64_t page[512] __aligned(4096);

void test_main(void)
{
	xen_pfn_t gnt_gfn = XTF_GNTTAB_GPA >> 12;
	grant_entry_v1_t *table = (grant_entry_v1_t *)XTF_GNTTAB_GPA;
	uint64_t give_up = timer_now() + timer_us_to_ticks(5000000);
	long rc = xtf_add_to_physmap(XENMAPSPACE_grant_table, 0, gnt_gfn);

	if (rc) {
		xtf_error("add_to_physmap(grant frame 0): %ld", rc);
		return;
	}
	page[0] = FIRST_VALUE;
	table[GRANT_REF].frame = (uint32_t)((uintptr_t)page >> 12);
	table[GRANT_REF].domid = MAPPER_DOMID;
	__asm__ volatile("dmb ish" ::: "memory");
	table[GRANT_REF].flags = GTF_permit_access;
	printf("grant-granter: granted ref %u to d%u\n", GRANT_REF,
	       MAPPER_DOMID);
	while (!(READ_ONCE(table[GRANT_REF].flags) & GTF_reading)) {
		if (timer_expired(give_up)) {
			xtf_failure("d%u never mapped the grant", MAPPER_DOMID);
			return;
		}
		timer_sleep_us(1000);
	}
	page[0] = LAST_VALUE;
	__asm__ volatile("dsb ish" ::: "memory");
	printf("grant-granter: mapped by d%u, wrote the last value, powering "
	       "off\n",
	       MAPPER_DOMID);
	xtf_success();
}
