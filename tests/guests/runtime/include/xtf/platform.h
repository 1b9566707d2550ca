/* What the guest learnt from its device tree at boot. */
#ifndef XTF_PLATFORM_H
#define XTF_PLATFORM_H

#include <xtf/config.h>
#include <xtf/lib.h>

struct platform {
	const void *fdt;
	uint64_t ram_base, ram_size; /* first memory bank */
	uint64_t gicd_base;
	uint64_t gicr_base, gicr_size; /* first redistributor region */
	uint64_t uart_base; /* vpl011, 0 if none */
	unsigned int vtimer_irq; /* INTID of the virtual timer (PPI) */
	unsigned int nr_cpus;
	uint64_t cpu_mpidr[MAX_CPUS]; /* from /cpus/cpu@N reg, in DT order */
	const char *bootargs; /* /chosen/bootargs or "" */
};

extern struct platform platform;

/* Fill `platform` from the device tree; 0 or a negative errno-like value. */
int platform_init(const void *fdt);

#endif /* XTF_PLATFORM_H */
