/*
 * The host machine unit tests of domains start from: one memory arena
 * handed to the page allocator, CPU 0 online with its idle vCPU.
 */
#ifndef TESTS_UNIT_FAKE_HOST_H
#define TESTS_UNIT_FAKE_HOST_H

#include <stdlib.h>

#include <hv/domain.h>
#include <hv/page-alloc.h>
#include <hv/sched.h>
#include <hv/smp.h>

#include "fake-alloc.h"

static struct domain fake_idle_domain;
static struct vcpu fake_idle_vcpu;

/* Give size bytes of host memory to the allocators and bring CPU 0 up
 * with its idle vCPU; returns the arena (free it when done). */
static inline void *fake_host_start(size_t size)
{
	void *arena;

	allocators_reset();
	arena = aligned_alloc(PAGE_SIZE, size);
	assert_non_null(arena);
	assert_int_equal(bootmem_add(virt_to_maddr(arena),
				     virt_to_maddr(arena) + size),
			 0);
	bootmem_handoff();
	smp_set_online(0);
	fake_idle_domain.domain_id = DOMID_IDLE;
	fake_idle_vcpu.domain = &fake_idle_domain;
	sched_init_cpu(0, &fake_idle_vcpu);
	return arena;
}

#endif /* TESTS_UNIT_FAKE_HOST_H */
