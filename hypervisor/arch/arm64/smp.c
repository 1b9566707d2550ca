/*
 * Bringing up secondary CPUs with PSCI CPU_ON, and IPIs.
 */
#include <hv/irq.h>
#include <hv/page-alloc.h>
#include <hv/sched.h>
#include <hv/panic.h>
#include <hv/printk.h>
#include <hv/smp.h>
#include <hv/time.h>

#include <asm/cpu.h>
#include <asm/mm.h>
#include <asm/psci.h>
#include <asm/sysregs.h>
#include <asm/time.h>

#include <drivers/gicv3.h>

/* SGIs used between the hypervisor's CPUs. */
#define IPI_CALL_FUNCTION 0U
#define IPI_STOP 1U
#define IPI_RESCHED 2U /* look at the scheduler */
#define IPI_KICK 3U /* leave the guest to reload its interrupts */

uint64_t cpu_mpidr[NR_CPUS];
uint64_t secondary_ttbr;

extern char secondary_entry[];

void arch_send_call_ipi(unsigned int cpu)
{
	gicv3_send_sgi(IPI_CALL_FUNCTION, cpu_mpidr[cpu]);
}

static void call_ipi_handler(unsigned int irq, void *data)
{
	(void)irq;
	(void)data;
	smp_call_function_interrupt();
}

static void stop_ipi_handler(unsigned int irq, void *data)
{
	(void)irq;
	(void)data;
	(void)arch_irq_save();
	for (;;) {
		wfi();
	}
}

/* Resched and kick need no work in the handler: leaving the interrupt
 * goes through the scheduler and the list-register reload. */
static void empty_ipi_handler(unsigned int irq, void *data)
{
	(void)irq;
	(void)data;
}

void arch_send_resched_ipi(unsigned int cpu)
{
	gicv3_send_sgi(IPI_RESCHED, cpu_mpidr[cpu]);
}

void arch_send_kick_ipi(unsigned int cpu)
{
	gicv3_send_sgi(IPI_KICK, cpu_mpidr[cpu]);
}

void arch_halt(void)
{
	unsigned int self = smp_processor_id();
	unsigned int cpu;

	(void)arch_irq_save();
	for (cpu = 0; cpu < (unsigned int)NR_CPUS; cpu++) {
		if ((cpu != self) && smp_cpu_online(cpu)) {
			gicv3_send_sgi(IPI_STOP, cpu_mpidr[cpu]);
		}
	}
	for (;;) {
		wfi();
	}
}

void arch_reset(void)
{
	psci_system_reset();
}

void smp_init_cpu(unsigned int cpu)
{
	WRITE_SYSREG(tpidr_el2, cpu);
	WRITE_SYSREG(hcr_el2, HCR_HOST_DEFAULT);
	isb();
	cpu_mpidr[cpu] = READ_SYSREG(mpidr_el1) & MPIDR_AFF_MASK;
	if (!gicv3_cpu_init(cpu_mpidr[cpu])) {
		panic("CPU%u: no GICv3 redistributor for MPIDR 0x%lx\n", cpu,
		      (unsigned long)cpu_mpidr[cpu]);
	}
	BUG_ON(irq_request(GIC_SGI_BASE + IPI_CALL_FUNCTION, call_ipi_handler,
			   NULL) != 0);
	BUG_ON(irq_request(GIC_SGI_BASE + IPI_STOP, stop_ipi_handler, NULL) !=
	       0);
	BUG_ON(irq_request(GIC_SGI_BASE + IPI_RESCHED, empty_ipi_handler,
			   NULL) != 0);
	BUG_ON(irq_request(GIC_SGI_BASE + IPI_KICK, empty_ipi_handler, NULL) !=
	       0);
}

/* Make data the secondary reads with its MMU off visible in memory. */
static void clean_dcache(const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)63;

	for (; a < ((uintptr_t)p + len); a += 64U) {
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	}
	dsb_sy();
}

static bool start_one(unsigned int cpu, uint64_t mpidr)
{
	s_time_t deadline;
	int64_t ret;

	ret = psci_cpu_on(mpidr, virt_to_maddr(secondary_entry), cpu);
	if (ret != 0) {
		printk(XENLOG_WARNING
		       "CPU%u (MPIDR 0x%lx): CPU_ON failed (%ld)\n",
		       cpu, (unsigned long)mpidr, (long)ret);
		return false;
	}
	deadline = time_now() + SECONDS(1);
	while (!smp_cpu_online(cpu)) {
		if (time_now() > deadline) {
			printk(XENLOG_WARNING
			       "CPU%u (MPIDR 0x%lx) did not come up\n",
			       cpu, (unsigned long)mpidr);
			return false;
		}
	}
	return true;
}

void smp_boot_cpus(const uint64_t *mpidrs, unsigned int nr,
		   unsigned int max_cpus)
{
	uint64_t self = cpu_mpidr[0];
	unsigned int next = 1;
	unsigned int i;

	secondary_ttbr = READ_SYSREG(ttbr0_el2);
	clean_dcache(&secondary_ttbr, sizeof(secondary_ttbr));
	for (i = 0; i < nr; i++) {
		if ((mpidrs[i] & MPIDR_AFF_MASK) == self) {
			continue;
		}
		if ((next >= max_cpus) || (next >= (unsigned int)NR_CPUS)) {
			printk("CPU with MPIDR 0x%lx not started (limit %u)\n",
			       (unsigned long)mpidrs[i], max_cpus);
			continue;
		}
		if (start_one(next, mpidrs[i])) {
			next++;
		}
	}
}
