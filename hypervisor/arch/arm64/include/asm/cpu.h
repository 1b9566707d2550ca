/*
 * Per-CPU state of the arm64 port.
 */
#ifndef HV_ASM_CPU_H
#define HV_ASM_CPU_H

#include <hv/config.h>
#include <hv/types.h>

/* MPIDR_EL1 affinity fields (Aff3 and Aff2..Aff0). */
#define MPIDR_AFF_MASK 0xff00ffffffULL
/* MPIDR_EL1 bit 31, RES1. */
#define MPIDR_RES1 (1ULL << 31)

/* Affinity of each CPU index; filled in at bring-up. */
extern uint64_t cpu_mpidr[NR_CPUS];

/* The GIC maintenance interrupt (from the device tree). */
extern unsigned int gic_maintenance_irq;

/* Physical address of the page-table root secondaries load (head.S). */
extern uint64_t secondary_ttbr;

/* Bring up the CPUs in the device tree, at most max_cpus in all. */
void smp_boot_cpus(const uint64_t *mpidrs, unsigned int nr,
		   unsigned int max_cpus);

/* Per-CPU set-up shared by the boot CPU and secondaries (setup.c): runs
 * each module's per-CPU init in order, so those modules need not know one
 * another. */
void cpu_init_common(unsigned int cpu);

/* This CPU's identity (TPIDR_EL2, MPIDR), HCR_EL2, its GIC redistributor
 * and the IPI handlers (smp.c); the first of cpu_init_common's steps. */
void smp_init_cpu(unsigned int cpu);

/* Entry points from head.S. */
void start_xenon(paddr_t dtb, paddr_t load_base);
void start_wrong_el(paddr_t dtb, unsigned int el);
void start_secondary(unsigned int cpu);

#endif /* HV_ASM_CPU_H */
