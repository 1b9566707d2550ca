/* runtime_main: from head.S to test_main() and the verdict. */
#include <xtf.h>

void runtime_main(const void *fdt);

static void banner(void)
{
	printf("--- Xenon guest test: %s ---\n", test_name);
	printf("%s\n", test_title);
	printf("xtf: console %s, %u vCPU(s), RAM %#lx+%#lx, GICD %#lx, "
	       "GICR %#lx, vtimer IRQ %u, CNTFRQ %lu\n",
	       console_name(), platform.nr_cpus, platform.ram_base,
	       platform.ram_size, platform.gicd_base, platform.gicr_base,
	       platform.vtimer_irq, timer_freq());
}

void runtime_main(const void *fdt)
{
	int rc = platform_init(fdt);

	console_init();
	if (rc) {
		xtf_error("device tree at %p unusable (%d)", fdt, rc);
		xtf_exit();
	}
	banner();
	gic_dist_init();
	if (gic_cpu_init() == 0) {
		test_main();
	}
	xtf_exit();
}
