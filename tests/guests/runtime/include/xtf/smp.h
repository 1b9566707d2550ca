/*
 * vCPUs. vCPU n is the n-th cpu node of /cpus (its reg is the MPIDR). The
 * runtime starts secondaries with PSCI CPU_ON at a common entry point with
 * the vCPU index as context; each gets its own stack, turns the MMU on,
 * initialises its redistributor and CPU interface, then runs fn(arg). When
 * fn returns the vCPU calls PSCI CPU_OFF.
 */
#ifndef XTF_SMP_H
#define XTF_SMP_H

#include <xtf/lib.h>
#include <xtf/arch.h>

typedef void (*smp_fn_t)(void *arg);

/* Index of the calling vCPU (kept in TPIDR_EL1). */
static inline unsigned int smp_processor_id(void)
{
	return (unsigned int)read_sysreg(tpidr_el1);
}

/* PSCI CPU_ON for vCPU `cpu`; returns the PSCI result (0 = success). */
long smp_start_cpu(unsigned int cpu, smp_fn_t fn, void *arg);

/* Number of vCPUs that reached their fn (vCPU 0 counts). */
unsigned int smp_nr_online(void);

/* Wait until `count` vCPUs are online or `us` have passed; true if they are. */
bool smp_wait_online(unsigned int count, uint64_t us);

#endif /* XTF_SMP_H */
