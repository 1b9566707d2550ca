/*
 * Unit tests for the buddy allocator and the hand-over from the boot
 * allocator. "Physical memory" is a buffer of the test: RAM is mapped 1:1,
 * so its address is its physical address.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <hv/page-alloc.h>

#include "fake-alloc.h"
#include "fake-console.h"

#define MAX_BLOCKS 4096U

/* The test's memory: one buffer, freed in teardown. */
static void *arena;
static void *table_arena;
static void *gib_map;
static size_t gib_map_size;

/* Blocks allocated by a test, to check and free them. */
static paddr_t blocks[MAX_BLOCKS];
static unsigned int block_orders[MAX_BLOCKS];
static unsigned int nr_blocks;

static uint64_t rng_state;

static unsigned int rng(void)
{
	rng_state =
		(rng_state * 6364136223846793005ULL) + 1442695040888963407ULL;
	return (unsigned int)(rng_state >> 33);
}

static int setup(void **state)
{
	(void)state;
	allocators_reset();
	fake_console_start();
	arena = NULL;
	table_arena = NULL;
	gib_map = NULL;
	nr_blocks = 0U;
	rng_state = 42U;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	allocators_reset();
	free(arena);
	free(table_arena);
	if (gib_map != NULL) {
		munmap(gib_map, gib_map_size);
	}
	return 0;
}

static paddr_t arena_pa(void)
{
	return virt_to_maddr(arena);
}

/* Allocate the test memory and give [arena + off, arena + off + len) to
 * the boot allocator. */
static void add_arena(size_t align, size_t size)
{
	arena = aligned_alloc(align, size);
	assert_non_null(arena);
	assert_int_equal(bootmem_add(arena_pa(), arena_pa() + size), 0);
}

/* A second, small buffer that can hold frame tables. */
static void add_table_arena(size_t size)
{
	paddr_t pa;

	table_arena = aligned_alloc(PAGE_SIZE, size);
	assert_non_null(table_arena);
	pa = virt_to_maddr(table_arena);
	assert_int_equal(bootmem_add(pa, pa + size), 0);
}

/* Reserve size bytes of address space aligned to align, without memory. */
static void *map_aligned(size_t size, size_t align)
{
	size_t len = size + align;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uintptr_t start;
	uintptr_t end;

	assert_true(p != MAP_FAILED);
	start = ALIGN_UP((uintptr_t)p, align);
	end = start + size;
	if (start > (uintptr_t)p) {
		munmap(p, start - (uintptr_t)p);
	}
	if ((uintptr_t)p + len > end) {
		munmap((void *)end, (uintptr_t)p + len - end);
	}
	gib_map = (void *)start;
	gib_map_size = size;
	return gib_map;
}

static void record(paddr_t pa, unsigned int order)
{
	assert_true(nr_blocks < MAX_BLOCKS);
	blocks[nr_blocks] = pa;
	block_orders[nr_blocks] = order;
	nr_blocks++;
}

/* Allocate blocks of the given order until none is left. */
static void alloc_all(unsigned int order)
{
	paddr_t pa;

	while ((pa = alloc_pages(order)) != INVALID_PADDR) {
		assert_true(IS_ALIGNED(pa, PAGE_SIZE << order));
		record(pa, order);
	}
}

/* Empty the pool, largest blocks first. */
static void alloc_everything(void)
{
	unsigned int order = MAX_ORDER + 1U;

	while (order > 0U) {
		order--;
		alloc_all(order);
	}
	assert_int_equal(page_alloc_free_bytes(), 0);
	assert_true(alloc_pages(0U) == INVALID_PADDR);
}

static bool overlaps(paddr_t a, uint64_t alen, paddr_t b, uint64_t blen)
{
	return (a < b + blen) && (b < a + alen);
}

/* No two recorded blocks overlap, and each lies in [start, end). */
static void check_blocks(paddr_t start, paddr_t end)
{
	unsigned int i;
	unsigned int j;

	for (i = 0U; i < nr_blocks; i++) {
		uint64_t len = PAGE_SIZE << block_orders[i];

		assert_true(blocks[i] >= start);
		assert_true(blocks[i] + len <= end);
		for (j = i + 1U; j < nr_blocks; j++) {
			assert_false(overlaps(blocks[i], len, blocks[j],
					      PAGE_SIZE << block_orders[j]));
		}
	}
}

static void shuffle_blocks(void)
{
	unsigned int i;

	for (i = nr_blocks; i > 1U; i--) {
		unsigned int j = rng() % i;
		paddr_t pa = blocks[i - 1U];
		unsigned int order = block_orders[i - 1U];

		blocks[i - 1U] = blocks[j];
		block_orders[i - 1U] = block_orders[j];
		blocks[j] = pa;
		block_orders[j] = order;
	}
}

static void free_all_blocks(void)
{
	while (nr_blocks > 0U) {
		nr_blocks--;
		free_pages(blocks[nr_blocks], block_orders[nr_blocks]);
	}
}

static void snapshot_free_blocks(uint64_t *counts)
{
	unsigned int order;

	for (order = 0U; order <= MAX_ORDER; order++) {
		counts[order] = page_alloc_free_blocks(order);
	}
}

static void check_free_blocks(const uint64_t *counts)
{
	unsigned int order;

	for (order = 0U; order <= MAX_ORDER; order++) {
		assert_int_equal(page_alloc_free_blocks(order), counts[order]);
	}
}

/* Sum of the free block counts, in bytes. */
static uint64_t free_block_bytes(void)
{
	uint64_t bytes = 0U;
	unsigned int order;

	for (order = 0U; order <= MAX_ORDER; order++) {
		bytes += page_alloc_free_blocks(order) * (PAGE_SIZE << order);
	}
	return bytes;
}

static void test_nothing_before_handoff(void **state)
{
	(void)state;
	assert_true(alloc_pages(0U) == INVALID_PADDR);
	assert_int_equal(page_alloc_free_bytes(), 0);
	assert_int_equal(page_alloc_total_bytes(), 0);
	bootmem_handoff();
	assert_true(alloc_pages(0U) == INVALID_PADDR);
}

static void test_alignment_and_exhaustion(void **state)
{
	uint64_t counts[MAX_ORDER + 1U];
	uint64_t free_before;

	(void)state;
	add_arena(MiB(1), MiB(4));
	/* Start unaligned, so the pool holds blocks of many orders. */
	assert_int_equal(bootmem_reserve(arena_pa(), arena_pa() + KiB(68)), 0);
	bootmem_handoff();
	free_before = page_alloc_free_bytes();
	assert_true(free_before > MiB(3));
	assert_true(free_before <= page_alloc_total_bytes());
	assert_int_equal(free_block_bytes(), free_before);
	snapshot_free_blocks(counts);

	alloc_everything();
	check_blocks(arena_pa(), arena_pa() + MiB(4));
	assert_true(alloc_pages(MAX_ORDER + 1U) == INVALID_PADDR);
	assert_true(alloc_pages(MAX_ORDER) == INVALID_PADDR);

	shuffle_blocks();
	free_all_blocks();
	assert_int_equal(page_alloc_free_bytes(), free_before);
	check_free_blocks(counts);
}

static const struct {
	uint64_t start;
	uint64_t end;
} reserved[] = {
	{0x0, 0x3000}, /* Start of RAM. */
	{0x200000, 0x2a4321}, /* Hypervisor image, unaligned end. */
	{0x400010, 0x40f000}, /* DTB, unaligned start. */
	{0x500000, 0x6f0000}, /* Boot module: kernel. */
	{0x6f0000, 0x700800}, /* Boot module: initrd, right after. */
	{0x7ff000, 0x800000}, /* Last page. */
};

static void test_reserved_never_allocated(void **state)
{
	unsigned int i;
	unsigned int j;
	paddr_t start;
	paddr_t end;

	(void)state;
	add_arena(MiB(2), MiB(8));
	for (i = 0U; i < ARRAY_SIZE(reserved); i++) {
		assert_int_equal(bootmem_reserve(arena_pa() + reserved[i].start,
						 arena_pa() + reserved[i].end),
				 0);
	}
	assert_true(bootmem_range(0U, &start, &end));
	assert_true(start == arena_pa() + 0x3000);
	assert_true(end == arena_pa() + 0x200000);
	assert_true(bootmem_range(2U, &start, &end));
	assert_true(start == arena_pa() + 0x40f000);
	assert_true(end == arena_pa() + 0x500000);
	assert_true(bootmem_range(3U, &start, &end));
	assert_true(start == arena_pa() + 0x701000);
	assert_false(bootmem_range(4U, &start, &end));

	bootmem_handoff();
	alloc_everything();
	check_blocks(arena_pa(), arena_pa() + MiB(8));
	for (i = 0U; i < nr_blocks; i++) {
		uint64_t len = PAGE_SIZE << block_orders[i];

		/* The frame tables must not be handed out either. */
		memset(maddr_to_virt(blocks[i]), 0xa5, len);
		for (j = 0U; j < ARRAY_SIZE(reserved); j++) {
			paddr_t rs = arena_pa() +
				     ALIGN_DOWN(reserved[j].start, PAGE_SIZE);
			paddr_t re = arena_pa() +
				     ALIGN_UP(reserved[j].end, PAGE_SIZE);

			assert_false(overlaps(blocks[i], len, rs, re - rs));
		}
	}
	shuffle_blocks();
	free_all_blocks();
	assert_int_equal(page_alloc_free_bytes(), page_alloc_total_bytes());
}

static void test_merge_to_largest_blocks(void **state)
{
	unsigned int order;
	paddr_t pa;

	(void)state;
	/* 8 MiB, aligned: one order-11 block once its table is elsewhere. */
	add_arena(MiB(8), MiB(8));
	add_table_arena(KiB(64));
	bootmem_handoff();
	assert_int_equal(page_alloc_free_blocks(11U), 1);
	assert_int_equal(page_alloc_total_bytes(), MiB(8) + KiB(48));

	/* Take every smaller block first, then split the big one. */
	for (order = 0U; order < 11U; order++) {
		uint64_t n = page_alloc_free_blocks(order);

		while (n > 0U) {
			record(alloc_pages(order), order);
			n--;
		}
	}
	check_blocks(virt_to_maddr(table_arena),
		     virt_to_maddr(table_arena) + KiB(64));
	pa = alloc_pages(0U);
	assert_true(pa == arena_pa());
	for (order = 0U; order < 11U; order++) {
		assert_int_equal(page_alloc_free_blocks(order), 1);
	}
	assert_int_equal(page_alloc_free_blocks(11U), 0);
	free_pages(pa, 0U);
	for (order = 0U; order < 11U; order++) {
		assert_int_equal(page_alloc_free_blocks(order), 0);
	}
	assert_int_equal(page_alloc_free_blocks(11U), 1);
}

static void test_random_alloc_free(void **state)
{
	uint64_t counts[MAX_ORDER + 1U];
	uint64_t free_before;
	uint64_t used = 0U;
	unsigned int round;

	(void)state;
	add_arena(MiB(1), MiB(3));
	bootmem_handoff();
	free_before = page_alloc_free_bytes();
	snapshot_free_blocks(counts);
	for (round = 0U; round < 20000U; round++) {
		if (((rng() % 3U) != 0U) && (nr_blocks < MAX_BLOCKS)) {
			unsigned int order = rng() % 6U;
			paddr_t pa = alloc_pages(order);

			if (pa != INVALID_PADDR) {
				assert_true(IS_ALIGNED(pa, PAGE_SIZE << order));
				record(pa, order);
				used += PAGE_SIZE << order;
			}
		} else if (nr_blocks > 0U) {
			unsigned int i = rng() % nr_blocks;

			free_pages(blocks[i], block_orders[i]);
			used -= PAGE_SIZE << block_orders[i];
			nr_blocks--;
			blocks[i] = blocks[nr_blocks];
			block_orders[i] = block_orders[nr_blocks];
		}
		assert_int_equal(page_alloc_free_bytes(), free_before - used);
	}
	check_blocks(arena_pa(), arena_pa() + MiB(3));
	free_all_blocks();
	check_free_blocks(counts);
}

static void test_gib_block(void **state)
{
	paddr_t gib;

	(void)state;
	gib = virt_to_maddr(map_aligned(GiB(1), GiB(1)));
	assert_int_equal(bootmem_add(gib, gib + GiB(1)), 0);
	add_table_arena(MiB(2));
	/* Host heap addresses lie above 4 GiB, like RAM on many boards. */
	assert_true(gib >= GiB(4));
	bootmem_handoff();
	assert_int_equal(page_alloc_free_blocks(MAX_ORDER), 1);
	assert_true(alloc_pages(MAX_ORDER) == gib);
	assert_true(alloc_pages(MAX_ORDER) == INVALID_PADDR);
	free_pages(gib, MAX_ORDER);
	assert_int_equal(page_alloc_free_blocks(MAX_ORDER), 1);
	assert_int_equal(page_alloc_total_bytes(),
			 GiB(1) + MiB(2) - KiB(1536) - PAGE_SIZE);
}

static void test_gib_range_alone_holds_its_table(void **state)
{
	paddr_t gib;

	(void)state;
	gib = virt_to_maddr(map_aligned(GiB(1), GiB(1)));
	assert_int_equal(bootmem_add(gib, gib + GiB(1)), 0);
	assert_int_equal(bootmem_reserve(gib, gib + MiB(1)), 0);
	bootmem_handoff();
	/* The table (1.5 MiB: frames and references) goes at the bottom,
	 * where it breaks up only small blocks, not the top half of the GiB. */
	assert_int_equal(page_alloc_free_blocks(MAX_ORDER - 1U), 1);
	assert_true(alloc_pages(MAX_ORDER - 1U) == gib + MiB(512));
	assert_int_equal(page_alloc_total_bytes(), GiB(1) - MiB(1) - KiB(1536));
}

static void test_many_zones(void **state)
{
	unsigned int i;
	paddr_t base;

	(void)state;
	arena = aligned_alloc(MiB(1), MiB(2));
	assert_non_null(arena);
	base = arena_pa();
	/* 24 ranges of 48 KiB with 16 KiB holes between them. */
	for (i = 0U; i < 24U; i++) {
		paddr_t s = base + (i * KiB(64));

		assert_int_equal(bootmem_add(s, s + KiB(48)), 0);
	}
	bootmem_handoff();
	/* Each zone needs a one-page table. */
	assert_int_equal(page_alloc_total_bytes(), 24U * KiB(44));
	alloc_everything();
	check_blocks(base, base + MiB(2));
	for (i = 0U; i < nr_blocks; i++) {
		uint64_t off = (blocks[i] - base) % KiB(64);

		assert_true(off + (PAGE_SIZE << block_orders[i]) <= KiB(48));
	}
	free_all_blocks();
	assert_int_equal(page_alloc_free_bytes(), 24U * KiB(44));
}

static void test_single_page_range_unused(void **state)
{
	(void)state;
	add_arena(PAGE_SIZE, PAGE_SIZE);
	bootmem_handoff();
	assert_int_equal(page_alloc_total_bytes(), 0);
	assert_true(alloc_pages(0U) == INVALID_PADDR);
}

/* Hand over a small pool and allocate one block of order 2. */
static paddr_t small_pool_block(void)
{
	paddr_t pa;

	add_arena(MiB(1), MiB(1));
	bootmem_handoff();
	pa = alloc_pages(2U);
	assert_true(pa != INVALID_PADDR);
	return pa;
}

static void expect_message(const char *what)
{
	assert_non_null(strstr(fake_console_text(), what));
}

static void test_double_free_bugs(void **state)
{
	paddr_t pa;

	(void)state;
	pa = small_pool_block();
	free_pages(pa, 2U);
	expect_assert_failure(free_pages(pa, 2U));
	expect_message("double free");
	/* The allocator still works after the failed call. */
	assert_true(alloc_pages(2U) == pa);
}

static void test_wrong_order_bugs(void **state)
{
	paddr_t pa;

	(void)state;
	pa = small_pool_block();
	expect_assert_failure(free_pages(pa, 1U));
	expect_message("wrong order");
	expect_assert_failure(free_pages(pa, 3U));
	expect_assert_failure(free_pages(pa, MAX_ORDER + 1U));
	free_pages(pa, 2U);
}

static void test_misaligned_free_bugs(void **state)
{
	paddr_t pa;

	(void)state;
	pa = small_pool_block();
	expect_assert_failure(free_pages(pa + 8U, 0U));
	expect_message("misaligned");
	expect_assert_failure(free_pages(pa + PAGE_SIZE, 0U));
	expect_message("not the start of an allocated block");
	expect_assert_failure(free_pages(pa + (2U * PAGE_SIZE), 1U));
	free_pages(pa, 2U);
}

static void test_foreign_free_bugs(void **state)
{
	static uint8_t page[PAGE_SIZE] __aligned(PAGE_SIZE);
	paddr_t pa;

	(void)state;
	pa = small_pool_block();
	expect_assert_failure(free_pages(virt_to_maddr(page), 0U));
	expect_message("not managed");
	expect_assert_failure(free_pages(arena_pa() + MiB(1), 0U));
	free_pages(pa, 2U);
}

static void test_block_head(void **state)
{
	unsigned int order;
	paddr_t inside;
	paddr_t pa;

	(void)state;
	pa = small_pool_block();
	assert_true(page_alloc_block_head(pa, &order) == pa);
	assert_int_equal(order, 2);
	inside = pa + (3U * PAGE_SIZE) + 5U;
	assert_true(page_alloc_block_head(inside, &order) == pa);
	assert_int_equal(order, 2);
	free_pages(pa, 2U);
	expect_assert_failure(page_alloc_block_head(pa, &order));
	expect_message("not in an allocated block");
}

/* ---- Pages given to domains: references and scrubbing ---- */

static void test_page_freed_at_last_reference(void **state)
{
	uint64_t free_before;
	uint16_t owner = 0;
	paddr_t pa;

	(void)state;
	add_arena(MiB(1), MiB(1));
	bootmem_handoff();
	free_before = page_alloc_free_bytes();
	pa = alloc_domain_pages(2U, 7U, false);
	assert_true(pa != INVALID_PADDR);
	assert_int_equal(page_ref_count(pa + PAGE_SIZE, &owner), 1);
	assert_int_equal(owner, 7);
	/* A mapping of page 1 by another user. */
	assert_true(page_get(pa + PAGE_SIZE, 7U));
	assert_false(page_get(pa + PAGE_SIZE, 8U)); /* not owner 8's page */
	/* The owner gives all four pages up: three are freed, one stays. */
	assert_int_equal(page_put_range(pa, 4U, &owner), 3);
	assert_true(page_alloc_free_bytes() == free_before - PAGE_SIZE);
	assert_int_equal(page_ref_count(pa + PAGE_SIZE, &owner), 1);
	/* A freed page cannot be referenced again ("map after free"). */
	assert_false(page_get(pa, 7U));
	/* The mapper lets go: the page is free and merges back. */
	assert_int_equal(page_put_range(pa + PAGE_SIZE, 1U, &owner), 1);
	assert_true(page_alloc_free_bytes() == free_before);
	assert_int_equal(page_ref_count(pa + PAGE_SIZE, &owner), 0);
	/* Dropping a reference nobody holds ("double unmap") is a bug. */
	expect_assert_failure(page_put_range(pa + PAGE_SIZE, 1U, &owner));
}

static void test_partial_free_splits_block(void **state)
{
	uint64_t free_before;
	uint16_t owner;
	paddr_t pa;

	(void)state;
	add_arena(MiB(1), MiB(1));
	bootmem_handoff();
	free_before = page_alloc_free_bytes();
	pa = alloc_domain_pages(7U, 3U, false); /* 512 KiB */
	assert_true(pa != INVALID_PADDR);
	/* Free page 5 alone: the block is split around it. */
	assert_int_equal(page_put_range(pa + (5U * PAGE_SIZE), 1U, &owner), 1);
	assert_true(page_alloc_free_bytes() ==
		    free_before - KiB(512) + PAGE_SIZE);
	assert_int_equal(page_ref_count(pa + (4U * PAGE_SIZE), &owner), 1);
	assert_int_equal(page_ref_count(pa + (6U * PAGE_SIZE), &owner), 1);
	/* The rest: everything merges into one block again. */
	assert_int_equal(page_put_range(pa, 5U, &owner), 5);
	assert_int_equal(page_put_range(pa + (6U * PAGE_SIZE), 122U, &owner),
			 122);
	assert_true(page_alloc_free_bytes() == free_before);
	assert_true(alloc_pages(7U) == pa);
	free_pages(pa, 7U);
}

static bool page_is_zero(paddr_t pa)
{
	const uint8_t *p = maddr_to_virt(pa);
	size_t i;

	for (i = 0; i < PAGE_SIZE; i++) {
		if (p[i] != 0U) {
			return false;
		}
	}
	return true;
}

static void test_freed_pages_scrubbed_before_reuse(void **state)
{
	uint16_t owner;
	paddr_t pa;
	paddr_t again;

	(void)state;
	add_arena(MiB(1), MiB(1));
	bootmem_handoff();
	page_alloc_set_bootscrub(false); /* the arena starts out trusted */
	pa = alloc_domain_pages(7U, 1U, false);
	assert_true(pa != INVALID_PADDR);
	memset(maddr_to_virt(pa), 0xa5, KiB(512));
	assert_int_equal(page_put_range(pa, 128U, &owner), 128);
	/* The same memory, for another domain: every byte is zero. */
	again = alloc_domain_pages(7U, 2U, false);
	assert_true(again == pa);
	for (; again < pa + KiB(512); again += PAGE_SIZE) {
		assert_true(page_is_zero(again));
	}
	assert_int_equal(page_put_range(pa, 128U, &owner), 128);
}

static bool never(void)
{
	return false;
}

static bool always(void)
{
	return true;
}

static void test_idle_scrubber_cleans_free_memory(void **state)
{
	unsigned int steps = 0;
	uint16_t owner;
	paddr_t pa;

	(void)state;
	add_arena(MiB(1), MiB(1));
	bootmem_handoff();
	page_alloc_set_bootscrub(false);
	pa = alloc_domain_pages(4U, 1U, false);
	assert_true(pa != INVALID_PADDR);
	memset(maddr_to_virt(pa), 0x5a, 16U * PAGE_SIZE);
	assert_int_equal(page_put_range(pa, 16U, &owner), 16);
	/* Told to stop at once, a step scrubs nothing (the data stays). */
	assert_true(page_scrub_step(always));
	assert_int_equal(*(const uint8_t *)maddr_to_virt(pa + PAGE_SIZE + 100U),
			 0x5a);
	while (page_scrub_step(never)) {
		assert_true(++steps < 100000U); /* it ends */
	}
	/* All but the free-list links at the head of a free block. */
	for (paddr_t end = pa + (16U * PAGE_SIZE); pa < end; pa += PAGE_SIZE) {
		const uint8_t *p = maddr_to_virt(pa);
		size_t i;

		for (i = 16U; i < PAGE_SIZE; i++) {
			assert_int_equal(p[i], 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nothing_before_handoff,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_alignment_and_exhaustion,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserved_never_allocated,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_to_largest_blocks,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_alloc_free, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_gib_block, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_gib_range_alone_holds_its_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_zones, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_single_page_range_unused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_double_free_bugs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wrong_order_bugs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_misaligned_free_bugs,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_free_bugs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_block_head, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_page_freed_at_last_reference, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_free_splits_block,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_freed_pages_scrubbed_before_reuse, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_idle_scrubber_cleans_free_memory, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
