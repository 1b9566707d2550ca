/*
 * Host stand-in for the arch state of domains and vCPUs (unit tests).
 */
#ifndef HV_ASM_DOMAIN_H
#define HV_ASM_DOMAIN_H

#include <hv/types.h>

struct arch_vcpu {
	bool has_work; /* what arch_vcpu_has_work() answers */
	unsigned int switched_in; /* times arch_context_switch() chose it */
	bool events_enabled; /* arch_vcpu_enable_events() was called */
};

/* XENVER_capabilities as the arm64 build answers it. */
#define ARCH_XEN_CAPABILITIES "xen-3.0-aarch64"

/* The host tests' domains need nothing arch-specific to be created. */
struct arch_domain_config {
	bool unused;
};

struct arch_domain {
	uint8_t *ram; /* guest RAM: guest-physical 0 is ram[0] */
	uint64_t ram_size;
	uint64_t ram_pages; /* of the block ram is */
	bool *unmapped; /* per page: given back (NULL: none yet) */
	char last_input;
};

#endif /* HV_ASM_DOMAIN_H */
