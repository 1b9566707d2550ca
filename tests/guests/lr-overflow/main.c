/*
 * lr-overflow: more interrupts pending at once than the hypervisor has
 * list registers (QEMU's GICv3 has 4). With interrupts masked, vCPU 0
 * sends itself all 16 SGIs; once it unmasks them, each must be handled
 * exactly once, highest priority first, without any being lost.
 */
#include <xtf.h>

const char test_title[] = "More pending interrupts than list registers";

#define NR_SGIS 16
#define PATIENCE_US 1000000

static unsigned int handled[NR_SGIS];
static unsigned int order[NR_SGIS];
static unsigned int total;

static void sgi_handler(unsigned int intid)
{
	unsigned int n = atomic_inc(&total);

	if (intid < NR_SGIS) {
		atomic_inc(&handled[intid]);
		if (n <= NR_SGIS) {
			order[n - 1] = intid;
		}
	}
}

void test_main(void)
{
	uint64_t give_up;
	unsigned int i;

	for (i = 0; i < NR_SGIS; i++) {
		irq_set_handler(i, sgi_handler);
		gic_enable_irq(i);
	}
	local_irq_disable();
	for (i = 0; i < NR_SGIS; i++) {
		gic_send_sgi(i, 0);
	}
	local_irq_enable();
	give_up = timer_now() + timer_us_to_ticks(PATIENCE_US);
	while (atomic_read(&total) < NR_SGIS && !timer_expired(give_up)) {
		cpu_relax();
	}
	for (i = 0; i < NR_SGIS; i++) {
		if (atomic_read(&handled[i]) != 1) {
			xtf_failure("SGI %u handled %u times", i,
				    atomic_read(&handled[i]));
		}
	}
	printf("lr-overflow: %u SGIs handled, first %u last %u\n",
	       atomic_read(&total), order[0], order[NR_SGIS - 1]);
	if (atomic_read(&total) == NR_SGIS) {
		xtf_success();
	}
}
