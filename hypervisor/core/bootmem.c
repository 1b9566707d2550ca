/*
 * The boot allocator: a sorted array of free, page-aligned, non-overlapping
 * ranges of RAM. Touching ranges are always merged, so two ranges are
 * separated by at least one page that is not free.
 *
 * bootmem_handoff() turns every range into a zone of the buddy allocator.
 * Each zone needs a frame table; the tables are carved from the free ranges
 * wherever they break up the fewest large naturally aligned blocks, so that
 * a 1 GiB-aligned GiB of RAM can still become a single order-18 block.
 */
#include <hv/errno.h>
#include <hv/page-alloc.h>
#include <hv/panic.h>
#include <hv/printk.h>
#include <hv/string.h>

struct mem_range {
	paddr_t start;
	paddr_t end;
};

/* The highest page-aligned address: no range can end above it. */
#define PAGE_TOP ALIGN_DOWN(~(paddr_t)0, PAGE_SIZE)

static struct mem_range ranges[BOOTMEM_MAX_RANGES];
static unsigned int nr_ranges;
static bool handed_off;

/* Scratch space of bootmem_handoff(): the zones and their frame tables. */
static struct mem_range zone_ranges[BOOTMEM_MAX_RANGES];
static paddr_t zone_tables[BOOTMEM_MAX_RANGES];
static unsigned int zone_by_size[BOOTMEM_MAX_RANGES];

/* Insert a new range at index i; the caller checked that there is room. */
static void ranges_insert(unsigned int i, paddr_t start, paddr_t end)
{
	memmove(&ranges[i + 1U], &ranges[i],
		(nr_ranges - i) * sizeof(ranges[0]));
	ranges[i].start = start;
	ranges[i].end = end;
	nr_ranges++;
}

/* Remove the ranges with indices first .. last - 1. */
static void ranges_remove(unsigned int first, unsigned int last)
{
	memmove(&ranges[first], &ranges[last],
		(nr_ranges - last) * sizeof(ranges[0]));
	nr_ranges -= last - first;
}

/* Index of the first range that ends at or above pa (nr_ranges if none). */
static unsigned int first_ending_at_or_above(paddr_t pa)
{
	unsigned int i = 0U;

	while ((i < nr_ranges) && (ranges[i].end < pa)) {
		i++;
	}
	return i;
}

/* Index of the first range that ends above pa (nr_ranges if none). */
static unsigned int first_ending_above(paddr_t pa)
{
	unsigned int i = 0U;

	while ((i < nr_ranges) && (ranges[i].end <= pa)) {
		i++;
	}
	return i;
}

int bootmem_add(paddr_t start, paddr_t end)
{
	paddr_t s = ALIGN_UP(start, PAGE_SIZE);
	paddr_t e = ALIGN_DOWN(end, PAGE_SIZE);
	unsigned int i;
	unsigned int j;

	BUG_ON(handed_off);
	if ((s < start) || (s >= e)) {
		return 0;
	}
	/* Ranges i .. j - 1 overlap or touch [s, e): merge them all. */
	i = first_ending_at_or_above(s);
	j = i;
	while ((j < nr_ranges) && (ranges[j].start <= e)) {
		j++;
	}
	if (i == j) {
		if (nr_ranges == BOOTMEM_MAX_RANGES) {
			return -ENOSPC;
		}
		ranges_insert(i, s, e);
		return 0;
	}
	ranges[i].start = MIN(ranges[i].start, s);
	ranges[i].end = MAX(ranges[j - 1U].end, e);
	ranges_remove(i + 1U, j);
	return 0;
}

/* Punch [s, e) out of the middle of range i, which then becomes two. */
static int range_split(unsigned int i, paddr_t s, paddr_t e)
{
	if (nr_ranges == BOOTMEM_MAX_RANGES) {
		return -ENOSPC;
	}
	ranges_insert(i + 1U, e, ranges[i].end);
	ranges[i].end = s;
	return 0;
}

/*
 * Cut [s, e) out of the ranges from index i on, the first range that ends
 * above s, where no single range extends past both ends of [s, e).
 */
static void ranges_cut(unsigned int i, paddr_t s, paddr_t e)
{
	unsigned int j;

	if ((i < nr_ranges) && (ranges[i].start < s)) {
		ranges[i].end = s;
		i++;
	}
	/* Ranges i .. j - 1 lie inside [s, e); range j may start inside. */
	j = i;
	while ((j < nr_ranges) && (ranges[j].end <= e)) {
		j++;
	}
	if ((j < nr_ranges) && (ranges[j].start < e)) {
		ranges[j].start = e;
	}
	ranges_remove(i, j);
}

int bootmem_reserve(paddr_t start, paddr_t end)
{
	paddr_t s = ALIGN_DOWN(start, PAGE_SIZE);
	paddr_t e = (end > PAGE_TOP) ? PAGE_TOP : ALIGN_UP(end, PAGE_SIZE);
	unsigned int i;

	BUG_ON(handed_off);
	if (s >= e) {
		return 0;
	}
	i = first_ending_above(s);
	if ((i < nr_ranges) && (ranges[i].start < s) && (ranges[i].end > e)) {
		return range_split(i, s, e);
	}
	ranges_cut(i, s, e);
	return 0;
}

bool bootmem_range(unsigned int index, paddr_t *start, paddr_t *end)
{
	if (index >= nr_ranges) {
		return false;
	}
	*start = ranges[index].start;
	*end = ranges[index].end;
	return true;
}

__host_test_only void bootmem_reset(void)
{
	memset(ranges, 0, sizeof(ranges));
	nr_ranges = 0U;
	handed_off = false;
}

/* --- Placement of the frame tables --- */

/*
 * Would a table in [r->start, r->start + size) overlap a naturally aligned
 * block of 2^order pages that lies wholly inside r?
 */
static bool breaks_bottom(const struct mem_range *r, uint64_t size,
			  unsigned int order)
{
	uint64_t block = PAGE_SIZE << order;
	paddr_t lo = ALIGN_UP(r->start, block);

	return (lo >= r->start) && (lo < r->start + size) && (lo <= r->end) &&
	       (r->end - lo >= block);
}

/* The same for a table in [r->end - size, r->end). */
static bool breaks_top(const struct mem_range *r, uint64_t size,
		       unsigned int order)
{
	uint64_t block = PAGE_SIZE << order;
	paddr_t hi = ALIGN_DOWN(r->end, block);

	return (hi > r->end - size) && (hi >= r->start) &&
	       (hi - r->start >= block);
}

/*
 * The cost of a placement: one more than the largest order of which it
 * breaks up a block. Breaking an aligned block also breaks one of its
 * halves, so the cost is found by searching down from MAX_ORDER.
 */
static unsigned int placement_cost(const struct mem_range *r, uint64_t size,
				   bool top)
{
	unsigned int order = MAX_ORDER + 1U;

	while (order > 0U) {
		bool breaks = top ? breaks_top(r, size, order - 1U)
				  : breaks_bottom(r, size, order - 1U);

		if (breaks) {
			break;
		}
		order--;
	}
	return order;
}

struct placement {
	paddr_t pa;
	unsigned int cost;
};

/* Keep the cheaper of best and (pa, cost); the earlier one wins a tie. */
static void consider(struct placement *best, paddr_t pa, unsigned int cost)
{
	if (cost < best->cost) {
		best->pa = pa;
		best->cost = cost;
	}
}

/* Carve size bytes from the top or bottom of a range; INVALID_PADDR if none
 * is large enough. */
static paddr_t carve_table(uint64_t size)
{
	struct placement best = {INVALID_PADDR, MAX_ORDER + 2U};
	unsigned int i;

	for (i = nr_ranges; i > 0U; i--) {
		const struct mem_range *r = &ranges[i - 1U];

		if (r->end - r->start >= size) {
			consider(&best, r->end - size,
				 placement_cost(r, size, true));
			consider(&best, r->start,
				 placement_cost(r, size, false));
		}
	}
	/* At either end of a range, reserving never needs to split it. */
	if ((best.pa != INVALID_PADDR) &&
	    (bootmem_reserve(best.pa, best.pa + size) == 0)) {
		return best.pa;
	}
	return INVALID_PADDR;
}

static uint64_t zone_table_bytes(unsigned int zone)
{
	return page_alloc_table_bytes(zone_ranges[zone].start,
				      zone_ranges[zone].end);
}

/* Fill zone_by_size[] with the zone indices, largest table first. */
static void sort_zones_by_size(unsigned int nr_zones)
{
	unsigned int i;

	for (i = 0U; i < nr_zones; i++) {
		unsigned int j = i;
		uint64_t bytes = zone_table_bytes(i);

		while ((j > 0U) &&
		       (zone_table_bytes(zone_by_size[j - 1U]) < bytes)) {
			zone_by_size[j] = zone_by_size[j - 1U];
			j--;
		}
		zone_by_size[j] = i;
	}
}

/*
 * Carve a frame table for every zone. A zone whose table would be as large
 * as the zone itself (a single page) is not worth managing and gets none.
 */
static void place_tables(unsigned int nr_zones)
{
	unsigned int i;

	sort_zones_by_size(nr_zones);
	for (i = 0U; i < nr_zones; i++) {
		unsigned int zone = zone_by_size[i];
		uint64_t bytes = zone_table_bytes(zone);
		const struct mem_range *z = &zone_ranges[zone];

		zone_tables[zone] = INVALID_PADDR;
		if (bytes < z->end - z->start) {
			zone_tables[zone] = carve_table(bytes);
		}
		if (zone_tables[zone] == INVALID_PADDR) {
			printk(XENLOG_WARNING
			       "bootmem: no frame table for 0x%llx-0x%llx\n",
			       (unsigned long long)z->start,
			       (unsigned long long)z->end);
		}
	}
}

/* The zone that contains pa (every remaining range lies in one). */
static unsigned int zone_index(paddr_t pa, unsigned int nr_zones)
{
	unsigned int i = 0U;

	while ((i < nr_zones) && (zone_ranges[i].end <= pa)) {
		i++;
	}
	BUG_ON(i == nr_zones);
	return i;
}

/* Register the zones that have a frame table and free what is left. */
static void hand_over(unsigned int nr_zones)
{
	unsigned int i;

	for (i = 0U; i < nr_zones; i++) {
		if (zone_tables[i] != INVALID_PADDR) {
			page_alloc_add_zone(zone_ranges[i].start,
					    zone_ranges[i].end, zone_tables[i]);
		}
	}
	for (i = 0U; i < nr_ranges; i++) {
		unsigned int zone = zone_index(ranges[i].start, nr_zones);

		if (zone_tables[zone] != INVALID_PADDR) {
			page_alloc_add_free(ranges[i].start, ranges[i].end);
		}
	}
}

void bootmem_handoff(void)
{
	unsigned int nr_zones = nr_ranges;

	BUG_ON(handed_off);
	memcpy(zone_ranges, ranges, nr_zones * sizeof(ranges[0]));
	place_tables(nr_zones);
	hand_over(nr_zones);
	handed_off = true;
	nr_ranges = 0U;
	printk(XENLOG_INFO "Memory: %llu KiB free in %u zones\n",
	       (unsigned long long)(page_alloc_free_bytes() >> 10), nr_zones);
}
