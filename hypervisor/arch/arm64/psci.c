/*
 * PSCI client: the hypervisor's calls to firmware.
 */
#include <hv/errno.h>
#include <hv/string.h>

#include <asm/psci.h>
#include <asm/sysregs.h>

static bool use_hvc;

int psci_init(const struct fdt *fdt)
{
	int node = fdt_find_compatible(fdt, -1, "arm,psci-0.2");
	const char *method;

	if (node < 0) {
		node = fdt_find_compatible(fdt, -1, "arm,psci");
	}
	if (node < 0) {
		return -ENODEV;
	}
	method = fdt_getprop_string(fdt, node, "method");
	if (method == NULL) {
		return -EINVAL;
	}
	if (strcmp(method, "hvc") == 0) {
		use_hvc = true;
	} else if (strcmp(method, "smc") == 0) {
		use_hvc = false;
	} else {
		return -EINVAL;
	}
	return 0;
}

const char *psci_method(void)
{
	return use_hvc ? "hvc" : "smc";
}

static int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (use_hvc) {
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "memory");
	} else {
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "memory");
	}
	return (int64_t)x0;
}

int64_t psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t ctx)
{
	return psci_call(PSCI_0_2_FN64_CPU_ON, mpidr, entry, ctx);
}

uint32_t psci_version(void)
{
	return (uint32_t)psci_call(PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);
}

bool smccc_has_1_1(void)
{
	if (psci_version() < 0x10000U) {
		return false; /* PSCI 0.2: no PSCI_FEATURES */
	}
	return (psci_call(PSCI_1_0_FN_PSCI_FEATURES, SMCCC_FW_VERSION_FID, 0,
			  0) >= 0) &&
	       (psci_call(SMCCC_FW_VERSION_FID, 0, 0, 0) >= 0x10001);
}

int64_t smccc_arch_features(uint32_t fid)
{
	if (!smccc_has_1_1()) {
		return -1;
	}
	return psci_call(SMCCC_FW_ARCH_FEATURES_FID, fid, 0, 0);
}

int64_t smccc_firmware_call(uint32_t fid, uint64_t a1)
{
	return psci_call(fid, a1, 0, 0);
}

void psci_system_off(void)
{
	(void)psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	for (;;) {
		wfi();
	}
}

void psci_system_reset(void)
{
	(void)psci_call(PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);
	for (;;) {
		wfi();
	}
}
