/*
 * arm64 timer set-up.
 */
#ifndef HV_ASM_TIME_H
#define HV_ASM_TIME_H

#include <hv/compiler.h>
#include <hv/fdt.h>

/* Find the timer PPIs in the device tree; 0 or -ENODEV. */
int __must_check time_init(const struct fdt *fdt);

/* Enable the hypervisor timer on this CPU. */
void time_init_cpu(void);

#endif /* HV_ASM_TIME_H */
