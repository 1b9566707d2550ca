/*
 * Host stand-in: the "current CPU" is a variable tests set.
 */
#ifndef HV_ASM_SMP_H
#define HV_ASM_SMP_H

extern unsigned int fake_cpu_id;

static inline unsigned int smp_processor_id(void)
{
	return fake_cpu_id;
}

#endif /* HV_ASM_SMP_H */
