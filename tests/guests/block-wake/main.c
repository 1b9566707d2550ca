/*
 * block-wake: SCHEDOP_block returns once a virtual interrupt is injected
 * for the vCPU, even one the guest has disabled in the GIC and with the
 * guest's IRQs masked, as on Xen 4.17 (whose vGIC kicks the vCPU on every
 * injection). Here the only interrupt to come is the virtual timer's,
 * disabled in the redistributor.
 */
#include <xtf.h>

const char test_title[] = "Block wake: SCHEDOP_block ends on a masked "
			  "virtual interrupt";

#define DELAY_US 2000U

void test_main(void)
{
	uint64_t deadline;
	uint64_t now;
	long rc;

	local_irq_disable();
	gic_disable_irq(platform.vtimer_irq);
	deadline = timer_now() + timer_us_to_ticks(DELAY_US);
	timer_arm_at(deadline);
	rc = HYPERVISOR_sched_op(SCHEDOP_block, NULL);
	now = timer_now();
	timer_disable();
	printf("block-wake: SCHEDOP_block returned %ld after %llu us (timer "
	       "due at %u us)\n",
	       rc,
	       (unsigned long long)timer_ticks_to_us(
		       now - deadline + timer_us_to_ticks(DELAY_US)),
	       DELAY_US);
	if (rc != 0) {
		xtf_failure("SCHEDOP_block returned %ld", rc);
	} else if (now < deadline) {
		xtf_failure("SCHEDOP_block returned before the timer was due");
	} else {
		xtf_success();
	}
}
