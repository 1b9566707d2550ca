/*
 * Host implementation of the arch hooks, so that core/ and lib/ link into
 * unit tests unchanged. panic() ends in cmocka's mock_assert(), so a test
 * can check that a BUG_ON fires with expect_assert_failure().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include <hv/irq.h>
#include <hv/keyhandler.h>
#include <hv/panic.h>
#include <hv/smp.h>
#include <hv/time.h>
#include <hv/timer.h>

unsigned long fake_irq_masked;
static uint64_t fake_counter;

/* What arch_irq_pending() answers (tests set it to force preemption). */
bool fake_irq_pending;

bool arch_irq_pending(void)
{
	return fake_irq_pending;
}

void arch_irq_enable(void)
{
	fake_irq_masked = 0;
}

/* A counter at 1 MHz that advances 1 ms per read, so delays end at once. */
uint64_t arch_counter_read(void)
{
	fake_counter += 1000U;
	return fake_counter;
}

uint64_t arch_counter_freq(void)
{
	return 1000000U;
}

void arch_dump_backtrace(void)
{
}

void arch_halt(void)
{
	mock_assert(0, "panic", __FILE__, __LINE__);
	abort();
}

void arch_reset(void)
{
	arch_halt();
}

/* Lines unmasked through arch_irq_unmask_line(), for tests to inspect. */
unsigned int fake_irq_unmasked[NR_IRQS];

void arch_irq_unmask_line(unsigned int irq)
{
	fake_irq_unmasked[irq]++;
}

void arch_irq_mask_line(unsigned int irq)
{
	fake_irq_unmasked[irq] = 0;
}

unsigned int fake_cpu_id;
s_time_t fake_timer_deadline;

void arch_send_call_ipi(unsigned int cpu)
{
	unsigned int self = fake_cpu_id;

	/* Deliver at once, as if the target CPU took the interrupt. */
	fake_cpu_id = cpu;
	smp_call_function_interrupt();
	fake_cpu_id = self;
}

void arch_timer_program(s_time_t deadline)
{
	fake_timer_deadline = deadline;
}

void arch_trigger_crash(void)
{
	arch_halt();
}
