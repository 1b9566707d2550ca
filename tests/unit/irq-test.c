/*
 * Unit tests for core/irq.c: which interrupts the hypervisor ends itself
 * (irq_handle() returns true: the arch code deactivates them) and which a
 * guest deactivates (lines registered with irq_request_guest()), and
 * irq_release().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <hv/errno.h>
#include <hv/irq.h>

extern unsigned int fake_irq_unmasked[NR_IRQS];

static unsigned int calls;
static void *last_data;

static void handler(unsigned int irq, void *data)
{
	(void)irq;
	calls++;
	last_data = data;
}

static void other_handler(unsigned int irq, void *data)
{
	(void)irq;
	(void)data;
}

static int token_a, token_b;

static void test_host_line(void **state)
{
	(void)state;
	calls = 0;
	assert_int_equal(irq_request(40, handler, &token_a), 0);
	assert_int_equal(fake_irq_unmasked[40], 1);
	assert_true(irq_handle(40)); /* the hypervisor deactivates it */
	assert_int_equal(calls, 1);
	assert_ptr_equal(last_data, &token_a);
	irq_release(40);
}

static void test_guest_line(void **state)
{
	(void)state;
	calls = 0;
	assert_int_equal(irq_request_guest(41, handler, &token_a), 0);
	assert_false(irq_handle(41)); /* the guest deactivates it */
	assert_int_equal(calls, 1);
	/* Requested again by its owner (a shared line): still fine. */
	assert_int_equal(irq_request_guest(41, handler, &token_a), 0);
	/* Another owner or handler: busy. */
	assert_int_equal(irq_request_guest(41, handler, &token_b), -EBUSY);
	assert_int_equal(irq_request(41, other_handler, &token_a), -EBUSY);
	irq_release(41);
}

static void test_release(void **state)
{
	(void)state;
	calls = 0;
	assert_int_equal(irq_request_guest(42, handler, &token_a), 0);
	irq_release(42);
	assert_int_equal(fake_irq_unmasked[42], 0); /* masked */
	/* Spurious now: the hypervisor ends it, no handler runs. */
	assert_true(irq_handle(42));
	assert_int_equal(calls, 0);
	/* Free for a new owner, as a host line this time. */
	assert_int_equal(irq_request(42, handler, &token_b), 0);
	assert_true(irq_handle(42));
	assert_ptr_equal(last_data, &token_b);
	irq_release(42);
}

static void test_bad_numbers(void **state)
{
	(void)state;
	assert_int_equal(irq_request(NR_IRQS, handler, NULL), -EINVAL);
	assert_int_equal(irq_request_guest(43, NULL, NULL), -EINVAL);
	assert_true(irq_handle(NR_IRQS));
	irq_release(NR_IRQS); /* ignored */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_line),
		cmocka_unit_test(test_guest_line),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_bad_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
