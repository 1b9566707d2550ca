/*
 * smp: PSCI CPU_ON brings up every vCPU of the device tree; each runs,
 * reports its MPIDR_EL1, which must be the reg of its cpu node. While they
 * run, CPU_ON on them answers ALREADY_ON; an MPIDR that is no vCPU is
 * INVALID_PARAMETERS.
 */
#include <xtf.h>

const char test_title[] = "SMP: PSCI CPU_ON starts every vCPU of the DT";

static uint64_t seen_mpidr[MAX_CPUS];
static unsigned int reported;
static unsigned int release;

static void worker(void *arg)
{
	unsigned int cpu = smp_processor_id();
	uint64_t mpidr = read_sysreg(mpidr_el1);

	(void)arg;
	seen_mpidr[cpu] = mpidr;
	printf("smp: vCPU %u running, MPIDR_EL1 %#lx\n", cpu, mpidr);
	atomic_inc(&reported);
	/* Stay on until vCPU 0 has checked CPU_ON answers ALREADY_ON. */
	while (!atomic_read(&release)) {
		cpu_relax();
	}
}

static void check_mpidr(unsigned int cpu)
{
	uint64_t want = platform.cpu_mpidr[cpu];

	if ((seen_mpidr[cpu] & MPIDR_AFF_MASK) != want) {
		xtf_failure("vCPU %u: MPIDR_EL1 %#lx, DT cpu node says %#lx",
			    cpu, seen_mpidr[cpu], want);
	}
}

void test_main(void)
{
	unsigned int n = platform.nr_cpus, cpu;
	long ver = psci_version(), rc;

	printf("smp: PSCI version %ld.%ld, %u vCPUs in the DT\n", ver >> 16,
	       ver & 0xffff, n);
	if (ver < 0x2) {
		xtf_failure("PSCI_VERSION returned %#lx, want >= 0.2", ver);
	}
	if (n < 2) {
		xtf_skip("needs at least 2 vCPUs, the DT has %u", n);
		return;
	}
	seen_mpidr[0] = read_sysreg(mpidr_el1);
	printf("smp: vCPU 0 running, MPIDR_EL1 %#lx\n", seen_mpidr[0]);
	check_mpidr(0);

	for (cpu = 1; cpu < n; cpu++) {
		rc = smp_start_cpu(cpu, worker, NULL);
		if (rc != PSCI_SUCCESS) {
			xtf_failure("CPU_ON vCPU %u (MPIDR %#lx) returned %ld",
				    cpu, platform.cpu_mpidr[cpu], rc);
		}
	}
	if (!smp_wait_online(n, 2000000)) {
		xtf_failure("only %u of %u vCPUs came online within 2 s",
			    smp_nr_online(), n);
	}
	while (atomic_read(&reported) < smp_nr_online() - 1) {
		cpu_relax();
	}

	for (cpu = 1; cpu < n; cpu++) {
		if (!seen_mpidr[cpu]) {
			continue;
		}
		check_mpidr(cpu);
		rc = psci_cpu_on(platform.cpu_mpidr[cpu],
				 (uint64_t)(uintptr_t)test_main, 0);
		if (rc != PSCI_ALREADY_ON) {
			xtf_failure("CPU_ON of running vCPU %u returned %ld, "
				    "want ALREADY_ON (-4)",
				    cpu, rc);
		}
	}
	rc = psci_cpu_on(0xff00, (uint64_t)(uintptr_t)test_main, 0);
	if (rc != PSCI_INVALID_PARAMETERS) {
		xtf_failure("CPU_ON of MPIDR 0xff00 (no such vCPU) returned "
			    "%ld, want INVALID_PARAMETERS (-2)",
			    rc);
	}
	atomic_set(&release, 1);
	printf("smp: %u of %u vCPUs reported\n", atomic_read(&reported) + 1, n);
	xtf_success();
}
