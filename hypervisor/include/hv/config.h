/*
 * Build-time limits. Usable from assembly.
 */
#ifndef HV_CONFIG_H
#define HV_CONFIG_H

/* Most physical CPUs supported. */
#define NR_CPUS 16
/* vCPUs of one domain (Xenon's limit; Xen's GUEST_MAX_VCPUS is 128). */
#define MAX_VCPUS 16U
/* Size of each CPU's hypervisor stack (1 << STACK_SHIFT). */
#define STACK_SHIFT 14
#define STACK_SIZE (1 << STACK_SHIFT)

#define XENON_VERSION "0.1"

#endif /* HV_CONFIG_H */
