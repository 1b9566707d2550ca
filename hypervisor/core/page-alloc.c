/*
 * Buddy allocator of 4 KiB pages.
 *
 * Memory is managed in zones, one per range of RAM that the boot allocator
 * handed over. Each zone has a frame table with one entry per page. The
 * first page of every block (free or allocated) holds the block's state and
 * order; every other page of a block is marked as a tail. Pages that are not
 * available at all (such as the frame tables themselves) are reserved.
 *
 * Free blocks are kept on one list per order. The list links live in the
 * first bytes of each free block, which is possible because RAM is mapped
 * 1:1. Allocating splits a larger block if needed; freeing merges a block
 * with its buddy for as long as the buddy is free and of the same order.
 *
 * Beside the frame table, each page has a struct page_ref: the owner and
 * reference count of a page given to a domain (the rules are in
 * hv/page-alloc.h), and whether the page is known to hold no data.
 */
#include <hv/page-alloc.h>
#include <hv/panic.h>
#include <hv/spinlock.h>
#include <hv/string.h>

enum page_state {
	PAGE_RESERVED = 0, /* Not available to the allocator. */
	PAGE_TAIL, /* A page of a block, other than its first. */
	PAGE_FREE, /* The first page of a free block. */
	PAGE_ALLOCATED, /* The first page of an allocated block. */
};

/* One entry of a frame table. */
struct page_info {
	uint8_t state;
	uint8_t order;
};

/* One per page; all zero at boot (no owner, dirty if bootscrub is on). */
struct page_ref {
	uint16_t owner;
	uint16_t count_flags; /* REF_COUNT_MASK and REF_* flags */
};

#define REF_COUNT_MASK PAGE_REF_MAX
#define REF_LINKS 0x2000U /* has held free-list links since it was clean */
#define REF_USED 0x4000U /* has held data since boot */
#define REF_SCRUBBED 0x8000U /* zeroed since (but for free-list links) */

/* Links of a free block sit in its first page's first bytes (REF_LINKS):
 * they are cleared when the page is handed to a domain. */
#define FREE_LINKS_BYTES 16U

struct zone {
	paddr_t start;
	paddr_t end;
	struct page_info *frames;
	struct page_ref *refs;
};

/* Written into the first bytes of each free block. */
struct free_block {
	struct free_block *next;
	struct free_block *prev;
};

#define MAX_ZONES BOOTMEM_MAX_RANGES
#define NR_ORDERS (MAX_ORDER + 1U)

/* The lists start empty with all-zero statics, so no init call is needed. */
static spinlock_t page_lock = SPINLOCK_INIT;
static struct zone zones[MAX_ZONES];
static unsigned int nr_zones;
static struct free_block *free_lists[NR_ORDERS];
static uint64_t nr_free_blocks[NR_ORDERS];
static uint64_t free_bytes;
static uint64_t total_bytes;
static bool bootscrub = true;
/* The idle scrubber's place and whether its pass found work. */
static bool scrub_needed = true;
static bool scrub_found;
static unsigned int scrub_zone;
static paddr_t scrub_cursor;

static inline uint64_t order_bytes(unsigned int order)
{
	return PAGE_SIZE << order;
}

/* The zone that contains pa, or NULL (binary search: zones are sorted). */
static struct zone *zone_of(paddr_t pa)
{
	unsigned int lo = 0U;
	unsigned int hi = nr_zones;

	while (lo < hi) {
		unsigned int mid = lo + ((hi - lo) / 2U);

		if (pa < zones[mid].start) {
			hi = mid;
		} else if (pa >= zones[mid].end) {
			lo = mid + 1U;
		} else {
			return &zones[mid];
		}
	}
	return NULL;
}

static struct page_info *frame_of(const struct zone *z, paddr_t pa)
{
	return &z->frames[(pa - z->start) >> PAGE_SHIFT];
}

static struct page_ref *ref_of(const struct zone *z, paddr_t pa)
{
	return &z->refs[(pa - z->start) >> PAGE_SHIFT];
}

static bool needs_scrub(const struct page_ref *r)
{
	return ((r->count_flags & REF_SCRUBBED) == 0U) &&
	       (bootscrub || ((r->count_flags & REF_USED) != 0U));
}

/* The pages [pa, 2^order) go back to the allocator: they may hold data. */
static void mark_dirty(const struct zone *z, paddr_t pa, unsigned int order)
{
	struct page_ref *r = ref_of(z, pa);
	uint64_t i;

	for (i = 0U; i < (1ULL << order); i++) {
		r[i].owner = 0U;
		r[i].count_flags = REF_USED;
	}
	scrub_needed = true;
	scrub_found = true; /* the pass under way may have passed them */
}

static void list_push(unsigned int order, paddr_t pa)
{
	struct free_block *b = maddr_to_virt(pa);

	b->prev = NULL;
	b->next = free_lists[order];
	if (b->next != NULL) {
		b->next->prev = b;
	}
	free_lists[order] = b;
	nr_free_blocks[order]++;
}

static void list_remove(unsigned int order, paddr_t pa)
{
	struct free_block *b = maddr_to_virt(pa);

	if (b->prev != NULL) {
		b->prev->next = b->next;
	} else {
		free_lists[order] = b->next;
	}
	if (b->next != NULL) {
		b->next->prev = b->prev;
	}
	nr_free_blocks[order]--;
}

/* Make [pa, pa + 2^order pages) a free block and put it on its list. */
static void block_insert(const struct zone *z, paddr_t pa, unsigned int order)
{
	struct page_info *f = frame_of(z, pa);

	f->state = PAGE_FREE;
	f->order = (uint8_t)order;
	ref_of(z, pa)->count_flags |= REF_LINKS;
	list_push(order, pa);
}

/*
 * Merge the free block at pa of the given order with its buddies as far as
 * possible, then put the result on its free list.
 */
static void block_free(const struct zone *z, paddr_t pa, unsigned int order)
{
	while (order < MAX_ORDER) {
		paddr_t buddy = pa ^ order_bytes(order);
		struct page_info *bf;

		if ((buddy < z->start) || (buddy >= z->end)) {
			break;
		}
		bf = frame_of(z, buddy);
		if ((bf->state != PAGE_FREE) || (bf->order != order)) {
			break;
		}
		list_remove(order, buddy);
		pa = MIN(pa, buddy);
		frame_of(z, pa ^ order_bytes(order))->state = PAGE_TAIL;
		order++;
	}
	block_insert(z, pa, order);
}

/* Smallest order >= order with a free block, or NR_ORDERS if none. */
static unsigned int first_free_order(unsigned int order)
{
	while ((order < NR_ORDERS) && (free_lists[order] == NULL)) {
		order++;
	}
	return order;
}

/* Take a free block of order 'from' and split it down to 'order'. */
static paddr_t block_take(unsigned int from, unsigned int order)
{
	paddr_t pa = virt_to_maddr(free_lists[from]);
	const struct zone *z = zone_of(pa);
	struct page_info *f = frame_of(z, pa);

	list_remove(from, pa);
	while (from > order) {
		from--;
		block_insert(z, pa + order_bytes(from), from);
	}
	f->state = PAGE_ALLOCATED;
	f->order = (uint8_t)order;
	return pa;
}

paddr_t alloc_pages(unsigned int order)
{
	paddr_t pa = INVALID_PADDR;
	unsigned int from;

	if (order > MAX_ORDER) {
		return INVALID_PADDR;
	}
	spin_lock(&page_lock);
	from = first_free_order(order);
	if (from < NR_ORDERS) {
		pa = block_take(from, order);
		free_bytes -= order_bytes(order);
	}
	spin_unlock(&page_lock);
	return pa;
}

/* Why freeing [pa, order) would be wrong, or NULL if it is fine. */
static const char *free_error(const struct zone *z, paddr_t pa,
			      unsigned int order)
{
	const struct page_info *f;

	if (order > MAX_ORDER) {
		return "order too large";
	}
	if (!IS_ALIGNED(pa, order_bytes(order))) {
		return "misaligned block";
	}
	if (z == NULL) {
		return "not managed by the page allocator";
	}
	f = frame_of(z, pa);
	if (f->state == PAGE_FREE) {
		return "double free";
	}
	if (f->state != PAGE_ALLOCATED) {
		return "not the start of an allocated block";
	}
	if (f->order != order) {
		return "wrong order";
	}
	return NULL;
}

void free_pages(paddr_t pa, unsigned int order)
{
	const struct zone *z;
	const char *err;

	spin_lock(&page_lock);
	z = zone_of(pa);
	err = free_error(z, pa, order);
	if (err != NULL) {
		/* Unlock first, so that a test can carry on after the panic. */
		spin_unlock(&page_lock);
		panic("BUG: free_pages(0x%llx, %u): %s\n",
		      (unsigned long long)pa, order, err);
	}
	mark_dirty(z, pa, order);
	free_bytes += order_bytes(order);
	block_free(z, pa, order);
	spin_unlock(&page_lock);
}

/* The first page of the block containing pa, or INVALID_PADDR. */
static paddr_t block_head(const struct zone *z, paddr_t pa)
{
	unsigned int order;

	for (order = 0U; order <= MAX_ORDER; order++) {
		paddr_t head = ALIGN_DOWN(pa, order_bytes(order));
		const struct page_info *f;

		if (head < z->start) {
			break;
		}
		f = frame_of(z, head);
		if (f->state == PAGE_RESERVED) {
			break;
		}
		if (f->state != PAGE_TAIL) {
			return head;
		}
	}
	return INVALID_PADDR;
}

paddr_t page_alloc_block_head(paddr_t pa, unsigned int *order)
{
	const struct zone *z;
	paddr_t head = INVALID_PADDR;
	const struct page_info *f = NULL;

	spin_lock(&page_lock);
	z = zone_of(pa);
	if (z != NULL) {
		head = block_head(z, pa);
	}
	if (head != INVALID_PADDR) {
		f = frame_of(z, head);
	}
	if ((f == NULL) || (f->state != PAGE_ALLOCATED) ||
	    (pa - head >= order_bytes(f->order))) {
		spin_unlock(&page_lock);
		panic("BUG: 0x%llx is not in an allocated block\n",
		      (unsigned long long)pa);
	}
	*order = f->order;
	spin_unlock(&page_lock);
	return head;
}

uint64_t page_alloc_max_frame(void)
{
	return (nr_zones == 0U) ? 0U : (zones[nr_zones - 1U].end >> PAGE_SHIFT);
}

uint64_t page_alloc_free_bytes(void)
{
	return READ_ONCE(free_bytes);
}

uint64_t page_alloc_total_bytes(void)
{
	return READ_ONCE(total_bytes);
}

uint64_t page_alloc_free_blocks(unsigned int order)
{
	return (order < NR_ORDERS) ? READ_ONCE(nr_free_blocks[order]) : 0U;
}

/* The frame table, then the reference table. */
static uint64_t refs_offset(uint64_t pages)
{
	return ALIGN_UP(pages * sizeof(struct page_info), 8U);
}

uint64_t page_alloc_table_bytes(paddr_t start, paddr_t end)
{
	uint64_t pages = (end - start) >> PAGE_SHIFT;

	return ALIGN_UP(refs_offset(pages) + (pages * sizeof(struct page_ref)),
			PAGE_SIZE);
}

void page_alloc_add_zone(paddr_t start, paddr_t end, paddr_t table)
{
	struct zone *z;

	spin_lock(&page_lock);
	BUG_ON(nr_zones >= MAX_ZONES);
	BUG_ON((nr_zones > 0U) && (zones[nr_zones - 1U].end > start));
	BUG_ON((start >= end) || !IS_ALIGNED(start | end, PAGE_SIZE));
	z = &zones[nr_zones];
	z->start = start;
	z->end = end;
	z->frames = maddr_to_virt(table);
	z->refs =
		maddr_to_virt(table + refs_offset((end - start) >> PAGE_SHIFT));
	/* Every page starts out reserved; page_alloc_add_free() frees them. */
	memset(z->frames, PAGE_RESERVED,
	       ((end - start) >> PAGE_SHIFT) * sizeof(struct page_info));
	memset(z->refs, 0,
	       ((end - start) >> PAGE_SHIFT) * sizeof(struct page_ref));
	nr_zones++;
	spin_unlock(&page_lock);
}

/* The largest order of a naturally aligned block at pa that ends <= end. */
static unsigned int largest_order(paddr_t pa, paddr_t end)
{
	unsigned int order = MAX_ORDER;

	while (!IS_ALIGNED(pa, order_bytes(order)) ||
	       (end - pa < order_bytes(order))) {
		order--;
	}
	return order;
}

/* Mark the pages after the first of a new block as tails. A tail's order
 * is never read, so one memset fills both fields (a 1 GiB block is 512 KiB
 * of frame table: this is most of the hand-off's work at boot). */
static void mark_tails(const struct zone *z, paddr_t pa, unsigned int order)
{
	struct page_info *f = frame_of(z, pa);

	memset(&f[1], PAGE_TAIL,
	       ((1ULL << order) - 1U) * sizeof(struct page_info));
}

void page_alloc_add_free(paddr_t start, paddr_t end)
{
	const struct zone *z;

	spin_lock(&page_lock);
	z = zone_of(start);
	BUG_ON((z == NULL) || (end > z->end) || (start >= end));
	BUG_ON(!IS_ALIGNED(start | end, PAGE_SIZE));
	while (start < end) {
		unsigned int order = largest_order(start, end);

		BUG_ON(frame_of(z, start)->state != PAGE_RESERVED);
		mark_tails(z, start, order);
		block_free(z, start, order);
		free_bytes += order_bytes(order);
		total_bytes += order_bytes(order);
		start += order_bytes(order);
	}
	spin_unlock(&page_lock);
}

/* --- Pages given to domains --- */

/* Make a page handed to a domain hold nothing it should not see. */
static void clear_for_domain(const struct page_ref *r, paddr_t pa,
			     bool no_scrub)
{
	if (!no_scrub && needs_scrub(r)) {
		memset(maddr_to_virt(pa), 0, PAGE_SIZE);
	} else if ((r->count_flags & REF_LINKS) != 0U) {
		memset(maddr_to_virt(pa), 0, FREE_LINKS_BYTES);
	} else {
		/* Clean already. */
	}
}

/* Pages given to a domain at once, four at a time, by give_fresh_refs(). */
#define REF_BATCH 4U

/* Set the refs of the first of n pages to mine, four at a time, for as
 * long as all four have no flags (clean: never used since boot); returns
 * how many were set. Building a domain is mostly this loop. */
static uint64_t give_fresh_refs(struct page_ref *r, uint64_t n,
				struct page_ref mine)
{
	uint64_t i;

	for (i = 0U; (i + REF_BATCH) <= n; i += REF_BATCH) {
		if ((r[i].count_flags | r[i + 1U].count_flags |
		     r[i + 2U].count_flags | r[i + 3U].count_flags) != 0U) {
			break;
		}
		r[i] = mine;
		r[i + 1U] = mine;
		r[i + 2U] = mine;
		r[i + 3U] = mine;
	}
	return i;
}

paddr_t alloc_domain_pages(unsigned int order, uint16_t owner, bool no_scrub)
{
	const struct page_ref mine = {.owner = owner,
				      .count_flags = REF_USED | 1U};
	paddr_t pa = alloc_pages(order);
	const struct zone *z;
	struct page_ref *r;
	bool fresh_is_dirty;
	uint64_t n = 1ULL << order;
	uint64_t end;
	uint64_t i = 0U;

	if (pa == INVALID_PADDR) {
		return INVALID_PADDR;
	}
	/* The block is ours alone now: scrub it without the lock. A page
	 * with no flags was never used since boot: clean unless bootscrub
	 * (the common case of a build: the clean pages are handed over four
	 * at a time, the others, such as a free block's head, one by one). */
	z = zone_of(pa);
	r = ref_of(z, pa);
	fresh_is_dirty = READ_ONCE(bootscrub) && !no_scrub;
	while (i < n) {
		if (!fresh_is_dirty) {
			i += give_fresh_refs(&r[i], n - i, mine);
		}
		end = MIN(i + REF_BATCH, n);
		for (; i < end; i++) {
			if ((r[i].count_flags != 0U) || fresh_is_dirty) {
				clear_for_domain(&r[i], pa + (i * PAGE_SIZE),
						 no_scrub);
			}
			r[i] = mine;
		}
	}
	return pa;
}

bool page_get(paddr_t pa, uint16_t owner)
{
	const struct zone *z;
	struct page_ref *r;
	uint16_t count;
	bool ok = false;

	spin_lock(&page_lock);
	z = zone_of(pa);
	if (z != NULL) {
		r = ref_of(z, pa);
		count = r->count_flags & REF_COUNT_MASK;
		if ((count != 0U) && (count < REF_COUNT_MASK) &&
		    (r->owner == owner)) {
			r->count_flags++;
			ok = true;
		}
	}
	spin_unlock(&page_lock);
	return ok;
}

uint32_t page_ref_count(paddr_t pa, uint16_t *owner)
{
	const struct zone *z;
	uint32_t count = 0U;

	spin_lock(&page_lock);
	z = zone_of(pa);
	if (z != NULL) {
		*owner = ref_of(z, pa)->owner;
		count = ref_of(z, pa)->count_flags & REF_COUNT_MASK;
	}
	spin_unlock(&page_lock);
	return count;
}

/*
 * Make [pa, 2^order pages) the start of an allocated block of at most that
 * order, splitting the allocated block around it; returns the block's
 * order (smaller when pa starts a smaller block).
 */
static unsigned int carve(const struct zone *z, paddr_t pa, unsigned int order)
{
	paddr_t head = block_head(z, pa);
	struct page_info *f;
	paddr_t upper;

	BUG_ON(head == INVALID_PADDR);
	f = frame_of(z, head);
	BUG_ON((f->state != PAGE_ALLOCATED) ||
	       (pa - head >= order_bytes(f->order)));
	while ((head != pa) || (f->order > order)) {
		f->order--;
		upper = head + order_bytes(f->order);
		frame_of(z, upper)->state = PAGE_ALLOCATED;
		frame_of(z, upper)->order = f->order;
		if (pa >= upper) {
			head = upper;
			f = frame_of(z, upper);
		}
	}
	return f->order;
}

/* Give the allocated pages [pa, end) back, in the largest blocks. */
static void free_run(const struct zone *z, paddr_t pa, paddr_t end)
{
	unsigned int order;

	while (pa < end) {
		order = carve(z, pa, largest_order(pa, end));
		mark_dirty(z, pa, order);
		free_bytes += order_bytes(order);
		block_free(z, pa, order);
		pa += order_bytes(order);
	}
}

uint64_t page_put_range(paddr_t pa, uint64_t pages, uint16_t *owner)
{
	const struct zone *z;
	struct page_ref *r;
	uint64_t freed = 0U;
	uint64_t run = 0U;
	uint64_t i;

	spin_lock(&page_lock);
	z = zone_of(pa);
	BUG_ON((z == NULL) || !IS_ALIGNED(pa, PAGE_SIZE) ||
	       (pages > ((z->end - pa) >> PAGE_SHIFT)));
	r = ref_of(z, pa);
	*owner = (pages != 0U) ? r->owner : 0U;
	for (i = 0U; i < pages; i++) {
		BUG_ON((r[i].count_flags & REF_COUNT_MASK) == 0U);
		r[i].count_flags--;
	}
	/* Free each run of pages left without a reference. */
	for (i = 0U; i <= pages; i++) {
		if ((i < pages) &&
		    ((r[i].count_flags & REF_COUNT_MASK) == 0U)) {
			run++;
			continue;
		}
		if (run != 0U) {
			paddr_t start = pa + ((i - run) * PAGE_SIZE);

			free_run(z, start, start + (run * PAGE_SIZE));
			freed += run;
			run = 0U;
		}
	}
	spin_unlock(&page_lock);
	return freed;
}

/* Pages the idle scrubber handles at most per step. */
#define SCRUB_STEP_PAGES 64U

/* Scrub the dirty pages of the free block at head from pa on, up to
 * SCRUB_STEP_PAGES of them or until stop() says so; returns where it
 * stopped. */
static paddr_t scrub_free_block(const struct zone *z, paddr_t head, paddr_t pa,
				bool (*stop)(void))
{
	paddr_t end = head + order_bytes(frame_of(z, head)->order);
	struct page_ref *r;

	end = MIN(end, pa + (SCRUB_STEP_PAGES * PAGE_SIZE));
	for (; (pa < end) && !stop(); pa += PAGE_SIZE) {
		r = ref_of(z, pa);
		if (needs_scrub(r)) {
			/* The head's first bytes are its free-list links. */
			size_t skip = (pa == head) ? FREE_LINKS_BYTES : 0U;

			memset((uint8_t *)maddr_to_virt(pa) + skip, 0,
			       PAGE_SIZE - skip);
			r->count_flags |= REF_SCRUBBED;
			scrub_found = true;
		}
	}
	return pa;
}

bool page_scrub_step(bool (*stop)(void))
{
	const struct zone *z;
	const struct page_info *f;
	paddr_t head;

	if (!READ_ONCE(scrub_needed)) {
		return false; /* the common case: no lock needed to know it */
	}
	spin_lock(&page_lock);
	if (!scrub_needed || (nr_zones == 0U)) {
		spin_unlock(&page_lock);
		return false;
	}
	z = &zones[scrub_zone];
	scrub_cursor = MAX(scrub_cursor, z->start);
	head = block_head(z, scrub_cursor);
	f = (head != INVALID_PADDR) ? frame_of(z, head) : NULL;
	if ((f != NULL) && (f->state == PAGE_FREE)) {
		scrub_cursor = scrub_free_block(z, head, scrub_cursor, stop);
	} else if (f != NULL) {
		scrub_cursor = head + order_bytes(f->order);
	} else {
		scrub_cursor += PAGE_SIZE;
	}
	if (scrub_cursor >= z->end) {
		scrub_zone++;
		if (scrub_zone == nr_zones) {
			/* A whole pass: done unless it found work (more may
			 * have been freed behind it). */
			scrub_zone = 0U;
			scrub_needed = scrub_found;
			scrub_found = false;
		}
		scrub_cursor = zones[scrub_zone].start;
	}
	spin_unlock(&page_lock);
	return scrub_needed;
}

void page_alloc_set_bootscrub(bool on)
{
	spin_lock(&page_lock);
	bootscrub = on;
	/* Only pages freed since boot may need it: let the allocation scrub
	 * those few rather than a pass over all memory. */
	scrub_needed = on;
	spin_unlock(&page_lock);
}

__host_test_only void page_alloc_reset(void)
{
	spin_lock_init(&page_lock);
	memset(zones, 0, sizeof(zones));
	nr_zones = 0U;
	memset(free_lists, 0, sizeof(free_lists));
	memset(nr_free_blocks, 0, sizeof(nr_free_blocks));
	free_bytes = 0U;
	total_bytes = 0U;
	bootscrub = true;
	scrub_needed = true;
	scrub_found = false;
	scrub_zone = 0U;
	scrub_cursor = 0U;
}
