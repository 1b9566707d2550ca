/*
 * Resetting the allocators between unit tests. The resets are built only
 * for the host tests, and each resets its own file's state, so no
 * allocator depends on another through them.
 */
#ifndef TESTS_UNIT_FAKE_ALLOC_H
#define TESTS_UNIT_FAKE_ALLOC_H

#include <hv/page-alloc.h>

/* The boot allocator, the buddy allocator and the heap, as at boot. */
static inline void allocators_reset(void)
{
	bootmem_reset();
	page_alloc_reset();
	heap_reset();
}

#endif /* TESTS_UNIT_FAKE_ALLOC_H */
