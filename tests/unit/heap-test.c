/*
 * Unit tests for the small-object heap (xmalloc, xzalloc, xfree) on top of
 * the buddy allocator, which manages a buffer of the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <hv/page-alloc.h>

#include "fake-alloc.h"
#include "fake-console.h"

#define ARENA_SIZE MiB(8)
#define MAX_OBJECTS 20000U

static void *arena;
static uint64_t pool_bytes;

static void *objects[MAX_OBJECTS];
static size_t sizes[MAX_OBJECTS];

static int setup(void **state)
{
	paddr_t pa;

	(void)state;
	allocators_reset();
	fake_console_start();
	arena = aligned_alloc(MiB(2), ARENA_SIZE);
	assert_non_null(arena);
	pa = virt_to_maddr(arena);
	assert_int_equal(bootmem_add(pa, pa + ARENA_SIZE), 0);
	bootmem_handoff();
	pool_bytes = page_alloc_free_bytes();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	allocators_reset();
	free(arena);
	return 0;
}

static uint8_t pattern(unsigned int i)
{
	return (uint8_t)((i * 37U) + 1U);
}

static void fill(unsigned int i)
{
	memset(objects[i], pattern(i), sizes[i]);
}

static void check(unsigned int i)
{
	const uint8_t *p = objects[i];
	size_t j;

	for (j = 0U; j < sizes[i]; j++) {
		assert_int_equal(p[j], pattern(i));
	}
}

/*
 * A spread of sizes: around every class boundary (15, 16, 17, 31, ...,
 * 2049), a few odd and large ones, then pseudo-random ones.
 */
static size_t size_for(unsigned int i)
{
	static const size_t odd[] = {0, 1, 100, 4096, 4097, 9000, 70000};

	if (i < 24U) {
		return ((size_t)16U << (i / 3U)) + (i % 3U) - 1U;
	}
	if (i < 24U + ARRAY_SIZE(odd)) {
		return odd[i - 24U];
	}
	return ((i * 7919U) % 2100U) + 1U;
}

static void test_many_sizes(void **state)
{
	unsigned int n = 3000U;
	unsigned int i;

	(void)state;
	for (i = 0U; i < n; i++) {
		sizes[i] = size_for(i);
		objects[i] = xmalloc(sizes[i]);
		assert_non_null(objects[i]);
		assert_true(IS_ALIGNED((uintptr_t)objects[i], 16U));
		if (sizes[i] > 2048U) {
			assert_true(
				IS_ALIGNED((uintptr_t)objects[i], PAGE_SIZE));
		}
		fill(i);
	}
	/* Overlapping objects would have overwritten each other. */
	for (i = 0U; i < n; i++) {
		check(i);
	}
	/* Free every other one, reallocate, then free all. */
	for (i = 0U; i < n; i += 2U) {
		xfree(objects[i]);
	}
	for (i = 0U; i < n; i += 2U) {
		objects[i] = xmalloc(sizes[i]);
		assert_non_null(objects[i]);
		fill(i);
	}
	for (i = 0U; i < n; i++) {
		check(i);
		xfree(objects[i]);
	}
	assert_int_equal(page_alloc_free_bytes(), pool_bytes);
}

static void test_xzalloc_zeroes(void **state)
{
	static const size_t test_sizes[] = {1, 24, 200, 2000, 3000, 40000};
	unsigned int i;
	size_t j;

	(void)state;
	for (i = 0U; i < ARRAY_SIZE(test_sizes); i++) {
		size_t size = test_sizes[i];
		void *keep = xmalloc(size); /* Keeps a slab alive. */
		uint8_t *p = xmalloc(size);

		memset(p, 0xff, size);
		xfree(p);
		p = xzalloc(size);
		assert_non_null(p);
		for (j = 0U; j < size; j++) {
			assert_int_equal(p[j], 0);
		}
		xfree(p);
		xfree(keep);
	}
	assert_int_equal(page_alloc_free_bytes(), pool_bytes);
}

static void test_reuse_after_free(void **state)
{
	void *a;
	void *b;
	void *c;

	(void)state;
	a = xmalloc(48);
	b = xmalloc(48);
	assert_true((char *)b - (char *)a == 64); /* Class 64. */
	xfree(a);
	c = xmalloc(40);
	assert_ptr_equal(c, a);
	xfree(b);
	xfree(c);
	/* An empty slab goes back to the buddy allocator. */
	assert_int_equal(page_alloc_free_bytes(), pool_bytes);
	xfree(NULL);
}

static void test_large_allocations(void **state)
{
	void *p;
	void *q;

	(void)state;
	p = xmalloc(5000);
	assert_true(IS_ALIGNED((uintptr_t)p, PAGE_SIZE));
	assert_int_equal(page_alloc_free_bytes(), pool_bytes - KiB(8));
	q = xzalloc(MiB(1));
	assert_true(IS_ALIGNED((uintptr_t)q, PAGE_SIZE));
	assert_int_equal(page_alloc_free_bytes(), pool_bytes - KiB(8) - MiB(1));
	memset(q, 0x5a, MiB(1));
	xfree(p);
	xfree(q);
	assert_int_equal(page_alloc_free_bytes(), pool_bytes);
	/* More than the pool, and more than the largest block. */
	assert_null(xmalloc(MiB(16)));
	assert_null(xmalloc(GiB(2)));
	assert_null(xmalloc(SIZE_MAX));
}

/* Allocate objects of one size until the heap runs out. */
static unsigned int alloc_until_full(unsigned int n, size_t size)
{
	while ((objects[n] = xmalloc(size)) != NULL) {
		n++;
		assert_true(n < MAX_OBJECTS);
	}
	return n;
}

static void test_exhaustion(void **state)
{
	unsigned int n;

	(void)state;
	n = alloc_until_full(0U, 2000U);
	assert_true(n > 3000U);
	/* Blocks too small for a slab of 2 KiB objects are still usable. */
	n = alloc_until_full(n, 16U);
	assert_null(xmalloc(32));
	assert_null(xmalloc(PAGE_SIZE));
	while (n > 0U) {
		n--;
		xfree(objects[n]);
	}
	assert_int_equal(page_alloc_free_bytes(), pool_bytes);
	objects[0] = xmalloc(16);
	assert_non_null(objects[0]);
	xfree(objects[0]);
}

static void expect_message(const char *what)
{
	assert_non_null(strstr(fake_console_text(), what));
}

static void test_double_free_bugs(void **state)
{
	void *keep;
	void *p;
	void *big;

	(void)state;
	keep = xmalloc(64);
	p = xmalloc(64);
	xfree(p);
	expect_assert_failure(xfree(p));
	expect_message("double free");
	big = xmalloc(10000);
	xfree(big);
	expect_assert_failure(xfree(big));
	xfree(keep);
	assert_int_equal(page_alloc_free_bytes(), pool_bytes);
}

static void test_bad_pointer_bugs(void **state)
{
	static uint8_t not_heap[64];
	char *p;
	char *big;

	(void)state;
	p = xmalloc(64);
	big = xmalloc(10000);
	expect_assert_failure(xfree(p + 16));
	expect_message("not an object");
	expect_assert_failure(xfree(big + PAGE_SIZE));
	expect_assert_failure(xfree(not_heap));
	xfree(p);
	xfree(big);
	assert_int_equal(page_alloc_free_bytes(), pool_bytes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_many_sizes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_xzalloc_zeroes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reuse_after_free, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_large_allocations, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_double_free_bugs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_pointer_bugs, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
