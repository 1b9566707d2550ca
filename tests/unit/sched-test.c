/*
 * Unit tests for the scheduler core and the round-robin policy, with the
 * host arch stand-ins (arch/fake): context switches are recorded, not made.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>

#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/page-alloc.h>
#include <hv/sched.h>
#include <hv/smp.h>

#include "fake-console.h"
#include "fake-host.h"

extern unsigned int fake_cpu_id;
extern unsigned int fake_resched_ipis;

#define ARENA_SIZE (8U << 20)

static void *arena;
static struct vcpu idle0;
static struct vcpu idle1;
static struct domain idle_dom;

/* One memory arena for the whole run: domains stay registered between
 * tests, so each test uses its own domain IDs. */
static int group_setup(void **state)
{
	(void)state;
	arena = fake_host_start(ARENA_SIZE);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	fake_console_start();
	smp_set_online(0);
	fake_cpu_id = 0;
	idle_dom.domain_id = DOMID_IDLE;
	idle0.domain = &idle_dom;
	idle1.domain = &idle_dom;
	sched_init_cpu(0, &idle0);
	sched_init_cpu(1, &idle1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	/* Domains stay registered; each test uses fresh domain IDs. */
	return 0;
}

static struct domain *make_domain(domid_t id, unsigned int vcpus)
{
	struct domain_config cfg = {
		.name = "test", .max_vcpus = vcpus, .ram_bytes = 65536};
	struct domain *d = domain_create(id, &cfg);

	assert_non_null(d);
	return d;
}

static void test_idle_when_nothing_runnable(void **state)
{
	(void)state;
	sched_kick(0);
	schedule_if_needed();
	assert_ptr_equal(current_vcpu(), &idle0);
}

static void test_start_runs_vcpu(void **state)
{
	struct domain *d = make_domain(10, 1);
	struct vcpu *v = d->vcpus[0];

	(void)state;
	assert_int_equal(v->state, VCPU_DOWN);
	vcpu_start(v);
	assert_int_equal(v->state, VCPU_RUNNABLE);
	schedule_if_needed();
	assert_ptr_equal(current_vcpu(), v);
	assert_int_equal(v->state, VCPU_RUNNING);
	assert_int_equal(v->arch.switched_in, 1);
}

static void test_round_robin_order(void **state)
{
	struct domain *d = make_domain(11, 3);
	unsigned int i;

	(void)state;
	for (i = 0; i < 3U; i++) {
		vcpu_start(d->vcpus[i]);
	}
	/* Each slice end moves to the next vCPU, in the order they became
	 * runnable, and back to the first. */
	for (i = 0; i < 6U; i++) {
		sched_kick(0);
		schedule_if_needed();
		assert_ptr_equal(current_vcpu(), d->vcpus[i % 3U]);
	}
}

static void test_block_and_wake(void **state)
{
	struct domain *d = make_domain(12, 1);
	struct vcpu *v = d->vcpus[0];

	(void)state;
	vcpu_start(v);
	schedule_if_needed();
	assert_ptr_equal(current_vcpu(), v);
	vcpu_block(v);
	schedule_if_needed();
	assert_int_equal(v->state, VCPU_BLOCKED);
	assert_ptr_equal(current_vcpu(), &idle0);
	vcpu_wake(v);
	schedule_if_needed();
	assert_ptr_equal(current_vcpu(), v);
}

static void test_block_with_pending_work_keeps_running(void **state)
{
	struct domain *d = make_domain(13, 1);
	struct vcpu *v = d->vcpus[0];

	(void)state;
	vcpu_start(v);
	schedule_if_needed();
	/* An interrupt arrived between the WFI check and the block. */
	v->arch.has_work = true;
	vcpu_block(v);
	schedule_if_needed();
	assert_ptr_equal(current_vcpu(), v);
	assert_int_equal(v->state, VCPU_RUNNING);
}

static void test_down_leaves_cpu(void **state)
{
	struct domain *d = make_domain(14, 2);

	(void)state;
	vcpu_start(d->vcpus[0]);
	vcpu_start(d->vcpus[1]);
	schedule_if_needed();
	assert_ptr_equal(current_vcpu(), d->vcpus[0]);
	vcpu_down(d->vcpus[0]);
	schedule_if_needed();
	assert_ptr_equal(current_vcpu(), d->vcpus[1]);
	assert_int_equal(d->vcpus[0]->state, VCPU_DOWN);
	/* A down vCPU is not woken by an interrupt. */
	vcpu_wake(d->vcpus[0]);
	assert_int_equal(d->vcpus[0]->state, VCPU_DOWN);
}

static void test_dying_domain_not_started(void **state)
{
	struct domain *d = make_domain(15, 1);

	(void)state;
	domain_crash(d, "test");
	vcpu_start(d->vcpus[0]);
	assert_int_equal(d->vcpus[0]->state, VCPU_DOWN);
	assert_non_null(
		strstr(fake_console_text(), "Domain 15 (test) crashed"));
}

static void test_wake_on_other_cpu_sends_ipi(void **state)
{
	struct domain *d;
	unsigned int before;

	(void)state;
	smp_set_online(1);
	d = make_domain(16, 2); /* placement spreads the vCPUs */
	assert_int_not_equal(d->vcpus[0]->processor, d->vcpus[1]->processor);
	before = fake_resched_ipis;
	vcpu_start(d->vcpus[0]->processor == 1U ? d->vcpus[0] : d->vcpus[1]);
	assert_int_equal(fake_resched_ipis, before + 1U);
}

static void test_bad_config_rejected(void **state)
{
	struct domain_config cfg = {
		.name = "bad", .max_vcpus = 0, .ram_bytes = 65536};

	(void)state;
	assert_null(domain_create(20, &cfg));
	cfg.max_vcpus = MAX_VCPUS + 1U;
	assert_null(domain_create(20, &cfg));
	cfg.max_vcpus = 1;
	assert_non_null(domain_create(20, &cfg));
	assert_null(domain_create(20, &cfg)); /* ID in use */
	assert_non_null(strstr(fake_console_text(), "already in use"));
}

/* Each vCPU of a domain gets the policy's own data; the idle vCPUs need
 * none; each CPU has the policy's run queue. */
static void test_policy_data(void **state)
{
	struct domain *d = make_domain(21, 2);

	(void)state;
	assert_non_null(d->vcpus[0]->sched_priv);
	assert_non_null(d->vcpus[1]->sched_priv);
	assert_ptr_not_equal(d->vcpus[0]->sched_priv, d->vcpus[1]->sched_priv);
	assert_null(idle0.sched_priv);
	assert_non_null(sched_cpus[0].sched_priv);
	assert_ptr_not_equal(sched_cpus[0].sched_priv,
			     sched_cpus[1].sched_priv);
}

/* Every page, and every free slot of the heap, taken: small blocks are
 * kept in a list through themselves. */
static paddr_t taken_pages[ARENA_SIZE / PAGE_SIZE];
static unsigned int nr_taken_pages;

static void *take_all_memory(void)
{
	void **blocks = NULL;
	void **b;

	nr_taken_pages = 0;
	while ((nr_taken_pages < ARRAY_SIZE(taken_pages)) &&
	       ((taken_pages[nr_taken_pages] = alloc_pages(0)) !=
		INVALID_PADDR)) {
		nr_taken_pages++;
	}
	while ((b = xmalloc(sizeof(void *))) != NULL) {
		*b = blocks;
		blocks = b;
	}
	return blocks;
}

static void give_back_memory(void *blocks)
{
	void **b = blocks;
	void **next;

	for (; b != NULL; b = next) {
		next = *b;
		xfree(b);
	}
	while (nr_taken_pages > 0U) {
		nr_taken_pages--;
		free_pages(taken_pages[nr_taken_pages], 0);
	}
}

/* A vCPU whose policy data cannot be allocated is an error, not a vCPU
 * without a queue entry: the creation path gets -ENOMEM and the vCPU is
 * placed on no CPU. */
static void test_policy_data_without_memory(void **state)
{
	struct vcpu v = {.domain = &idle_dom};
	unsigned int assigned = sched_cpus[0].nr_assigned;
	void *held;

	(void)state;
	held = take_all_memory();
	assert_int_equal(sched_init_vcpu(&v), -ENOMEM);
	give_back_memory(held);
	assert_null(v.sched_priv);
	assert_int_equal(sched_cpus[0].nr_assigned, assigned);
	assert_int_equal(sched_init_vcpu(&v), 0);
	assert_non_null(v.sched_priv);
	sched_destroy_vcpu(&v);
	assert_null(v.sched_priv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_idle_when_nothing_runnable,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_runs_vcpu, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_round_robin_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_block_and_wake, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_block_with_pending_work_keeps_running, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_down_leaves_cpu, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dying_domain_not_started,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_wake_on_other_cpu_sends_ipi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_config_rejected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_policy_data, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_policy_data_without_memory,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
