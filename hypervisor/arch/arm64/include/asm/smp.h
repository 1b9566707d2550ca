/*
 * The current CPU's index, kept in TPIDR_EL2 (set at each CPU's bring-up).
 */
#ifndef HV_ASM_SMP_H
#define HV_ASM_SMP_H

#include <asm/sysregs.h>

static inline unsigned int smp_processor_id(void)
{
	return (unsigned int)READ_SYSREG(tpidr_el2);
}

#endif /* HV_ASM_SMP_H */
