/*
 * Physical CPUs: identity, the online set, and running a function on
 * another CPU.
 */
#ifndef HV_SMP_H
#define HV_SMP_H

#include <hv/compiler.h>
#include <hv/config.h>

/* smp_processor_id(): index of the CPU running this code (0 = boot CPU),
 * an inline arch hook as it is on every trap path. */
#include <asm/smp.h>

/* Send the call-function IPI to cpu (arch hook). */
void arch_send_call_ipi(unsigned int cpu);

/* Record that cpu is up and can take IPIs. */
void smp_set_online(unsigned int cpu);

bool smp_cpu_online(unsigned int cpu);
unsigned int smp_num_online(void);

/*
 * Run fn(data) on cpu from its IPI handler and wait until it has run.
 * Runs it directly when cpu is this CPU. Returns 0, -EINVAL for a CPU that
 * is not online, or -EBUSY if the CPU did not answer within a second.
 * Must be called with interrupts enabled (another CPU may be calling us).
 */
int __must_check smp_call_function(unsigned int cpu, void (*fn)(void *data),
				   void *data);

/* The call-function IPI handler (called by the arch code). */
void smp_call_function_interrupt(void);

#endif /* HV_SMP_H */
