/*
 * libFuzzer target: the control domain's domctl and sysctl argument
 * checkers, driven through hypercall dispatch as in tests/unit/control-test
 * (the real core/ with arch/fake). Each input is one call: byte 0 picks
 * domctl or sysctl, and the rest is the structure in dom0's RAM, with the
 * interface version set right one time in two so that the checks past it
 * are reached. A second domain (1) is there to be named. What the call
 * does to the domains stays for the next input, as in a real run.
 */
/* The control interfaces' headers use anonymous unions. */
#undef __STRICT_ANSI__
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <hv/domain.h>
#include <hv/hypercall.h>
#include <hv/page-alloc.h>
#include <hv/sched.h>
#include <hv/smp.h>

#include <xen/domctl.h>
#include <xen/sysctl.h>

#include "../unit/fake-host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern struct vcpu *fake_current_guest;

#define ARENA_SIZE (32U << 20)
#define CTL_RAM 65536U
#define OP_AT 0x1000U

static struct domain *dom0;

static void start(void)
{
	struct domain_config cfg = {
		.name = "ctl", .max_vcpus = 2, .ram_bytes = CTL_RAM};
	struct domain_config other = {
		.name = "other", .max_vcpus = 1, .ram_bytes = CTL_RAM};

	(void)fake_host_start(ARENA_SIZE);
	dom0 = domain_create(0, &cfg);
	dom0->is_hardware_domain = true;
	fake_current_guest = dom0->vcpus[0];
	(void)domain_create(1, &other);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint64_t args[HYPERCALL_MAX_ARGS] = {OP_AT, 0, 0, 0, 0};
	uint8_t *op;
	size_t n;
	uint64_t nr;

	if (dom0 == NULL) {
		start();
	}
	if (size < 1U) {
		return 0;
	}
	nr = ((data[0] & 1U) != 0U) ? __HYPERVISOR_sysctl : __HYPERVISOR_domctl;
	op = &dom0->arch.ram[OP_AT];
	n = size - 1U;
	if (n > (CTL_RAM - OP_AT)) {
		n = CTL_RAM - OP_AT;
	}
	memset(op, 0, sizeof(struct xen_domctl));
	memcpy(op, data + 1, n);
	if ((data[0] & 2U) != 0U) {
		uint32_t version = (nr == __HYPERVISOR_sysctl)
					   ? XEN_SYSCTL_INTERFACE_VERSION
					   : XEN_DOMCTL_INTERFACE_VERSION;
		memcpy(op + 4, &version, sizeof(version));
	}
	(void)hypercall_dispatch(dom0->vcpus[0], args, nr);
	return 0;
}
