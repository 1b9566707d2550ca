/*
 * Unit tests for the boot allocator's bookkeeping of free ranges. These
 * tests never hand over, so the addresses need not be backed by memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>

#include <hv/errno.h>
#include <hv/page-alloc.h>

#include "fake-alloc.h"
#include "fake-console.h"

struct expected_range {
	paddr_t start;
	paddr_t end;
};

static int setup(void **state)
{
	(void)state;
	allocators_reset();
	fake_console_start();
	return 0;
}

/* The free ranges are exactly the n expected ones, in order. */
static void check_ranges(const struct expected_range *want, unsigned int n)
{
	unsigned int i;
	paddr_t start;
	paddr_t end;

	for (i = 0U; i < n; i++) {
		assert_true(bootmem_range(i, &start, &end));
		assert_int_equal(start, want[i].start);
		assert_int_equal(end, want[i].end);
	}
	assert_false(bootmem_range(n, &start, &end));
}

static void test_empty(void **state)
{
	paddr_t start;
	paddr_t end;

	(void)state;
	assert_false(bootmem_range(0U, &start, &end));
}

static void test_add_aligns_inward_and_ignores_empty(void **state)
{
	static const struct expected_range want[] = {
		{0x41000, 0x45000},
	};

	(void)state;
	assert_int_equal(bootmem_add(0x40001, 0x45fff), 0);
	/* Empty once aligned, backwards, or wrapping past the top. */
	assert_int_equal(bootmem_add(0x80001, 0x80fff), 0);
	assert_int_equal(bootmem_add(0x90000, 0x90000), 0);
	assert_int_equal(bootmem_add(0xa0000, 0x9f000), 0);
	assert_int_equal(bootmem_add(~(paddr_t)0 - 5U, ~(paddr_t)0), 0);
	check_ranges(want, ARRAY_SIZE(want));
}

static void test_add_sorts_and_merges(void **state)
{
	static const struct expected_range sorted[] = {
		{0x10000, 0x20000},
		{0x30000, 0x40000},
		{0x50000, 0x60000},
	};
	static const struct expected_range merged[] = {
		{0x8000, 0x70000},
	};

	(void)state;
	assert_int_equal(bootmem_add(0x50000, 0x60000), 0);
	assert_int_equal(bootmem_add(0x10000, 0x20000), 0);
	assert_int_equal(bootmem_add(0x30000, 0x40000), 0);
	check_ranges(sorted, ARRAY_SIZE(sorted));
	/* Touching on both sides, then overlapping several at once. */
	assert_int_equal(bootmem_add(0x20000, 0x30000), 0);
	assert_int_equal(bootmem_add(0x8000, 0x11000), 0);
	assert_int_equal(bootmem_add(0x18000, 0x70000), 0);
	check_ranges(merged, ARRAY_SIZE(merged));
	/* Adding what is already there changes nothing. */
	assert_int_equal(bootmem_add(0x9000, 0x6f000), 0);
	check_ranges(merged, ARRAY_SIZE(merged));
}

static void test_reserve_punches_holes(void **state)
{
	static const struct expected_range want[] = {
		{0x100000, 0x180000},
		{0x1a0000, 0x1f0000},
		{0x250000, 0x2ff000},
	};

	(void)state;
	assert_int_equal(bootmem_add(0x100000, 0x200000), 0);
	assert_int_equal(bootmem_add(0x240000, 0x300000), 0);
	/* A hole in the middle, aligned outward. */
	assert_int_equal(bootmem_reserve(0x180000, 0x19f001), 0);
	/* Across the gap: trims the end of one range, the start of another. */
	assert_int_equal(bootmem_reserve(0x1f0fff, 0x250000), 0);
	/* The last page, and memory that is not free at all. */
	assert_int_equal(bootmem_reserve(0x2ff000, 0x2ff001), 0);
	assert_int_equal(bootmem_reserve(0x400000, 0x500000), 0);
	assert_int_equal(bootmem_reserve(0x300000, 0x200000), 0);
	check_ranges(want, ARRAY_SIZE(want));
}

static void test_reserve_removes_whole_ranges(void **state)
{
	static const struct expected_range want[] = {
		{0x1000, 0x2000},
		{0x9000, 0xa000},
	};
	unsigned int i;

	(void)state;
	for (i = 0U; i < 5U; i++) {
		paddr_t s = 0x1000U + (i * 0x2000U);

		assert_int_equal(bootmem_add(s, s + 0x1000U), 0);
	}
	assert_int_equal(bootmem_reserve(0x2000, 0x9000), 0);
	check_ranges(want, ARRAY_SIZE(want));
	assert_int_equal(bootmem_reserve(0, ~(paddr_t)0), 0);
	check_ranges(NULL, 0U);
}

/* Fill every slot with ranges of three pages, one page apart. */
static void fill_slots(void)
{
	unsigned int i;

	for (i = 0U; i < BOOTMEM_MAX_RANGES; i++) {
		paddr_t s = GiB(1) + 0x1000U + (i * 0x4000U);

		assert_int_equal(bootmem_add(s, s + 0x3000U), 0);
	}
}

static void test_full_array(void **state)
{
	paddr_t last = GiB(1) + 0x1000U + ((BOOTMEM_MAX_RANGES - 1U) * 0x4000U);
	paddr_t prev = last - 0x4000U;
	paddr_t start;
	paddr_t end;

	(void)state;
	fill_slots();
	assert_int_equal(bootmem_add(0x1000, 0x2000), -ENOSPC);
	/* Adding what is already free needs no new slot. */
	assert_int_equal(bootmem_add(GiB(1) + 0x2000U, GiB(1) + 0x3000U), 0);
	/* Splitting does; nothing changes when it fails. */
	assert_int_equal(bootmem_reserve(last + 0x1000U, last + 0x1001U),
			 -ENOSPC);
	/* Trimming an end works. */
	assert_int_equal(bootmem_reserve(prev + 0x2000U, prev + 0x3000U), 0);
	assert_true(bootmem_range(BOOTMEM_MAX_RANGES - 1U, &start, &end));
	assert_int_equal(start, last);
	assert_int_equal(end, last + 0x3000U);
}

static void test_above_4gib(void **state)
{
	static const struct expected_range want[] = {
		{0x40000000, 0xc0000000},
		{0x880000000, 0x8c0000000},
		{0x8c0200000, 0x8fffff000},
		{0x1000000000, 0x1080000000},
	};

	(void)state;
	assert_int_equal(bootmem_add(0x40000000, 0xc0000000), 0);
	assert_int_equal(bootmem_add(0x880000000, 0x980000000), 0);
	assert_int_equal(bootmem_add(0x1000000000, 0x1080000000), 0);
	assert_int_equal(bootmem_reserve(0x8c0000000, 0x8c01fffff), 0);
	assert_int_equal(bootmem_reserve(0x8fffff123, 0x980000000), 0);
	check_ranges(want, ARRAY_SIZE(want));
}

static void test_reserve_near_top_of_address_space(void **state)
{
	static const struct expected_range want[] = {
		{0xfffffffff0000000, 0xfffffffff8000000},
	};

	(void)state;
	assert_int_equal(bootmem_add(0xfffffffff0000000, ~(paddr_t)0), 0);
	assert_int_equal(bootmem_reserve(0xfffffffff8000000, ~(paddr_t)0), 0);
	check_ranges(want, ARRAY_SIZE(want));
}

static void add_page(void)
{
	assert_int_equal(bootmem_add(0x1000, 0x2000), 0);
}

static void reserve_page(void)
{
	assert_int_equal(bootmem_reserve(0x1000, 0x2000), 0);
}

static void test_no_use_after_handoff(void **state)
{
	(void)state;
	bootmem_handoff();
	expect_assert_failure(add_page());
	expect_assert_failure(reserve_page());
	expect_assert_failure(bootmem_handoff());
	/* allocators_reset() makes the boot allocator usable again. */
	allocators_reset();
	add_page();
	reserve_page();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_empty, setup),
		cmocka_unit_test_setup(test_add_aligns_inward_and_ignores_empty,
				       setup),
		cmocka_unit_test_setup(test_add_sorts_and_merges, setup),
		cmocka_unit_test_setup(test_reserve_punches_holes, setup),
		cmocka_unit_test_setup(test_reserve_removes_whole_ranges,
				       setup),
		cmocka_unit_test_setup(test_full_array, setup),
		cmocka_unit_test_setup(test_above_4gib, setup),
		cmocka_unit_test_setup(test_reserve_near_top_of_address_space,
				       setup),
		cmocka_unit_test_setup(test_no_use_after_handoff, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
