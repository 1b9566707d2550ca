/*
 * The device tree a dom0less domU boots with, built as Xen 4.17 builds it
 * (prepare_dtb_domU() in xen/arch/arm/domain_build.c): the same nodes, in
 * the same order, with the same properties in the same order, and every
 * address and interrupt from the guest memory map of Xen's public header
 * <xen/arch-arm.h>. See docs/xen-arm64-guest-abi.md, section 2.
 *
 * Layout: the root (#address-cells = #size-cells = 2, no compatible or
 * model), then chosen, psci, cpus, memory@<first bank>,
 * interrupt-controller@3001000 (GICv3, phandle 65000), timer,
 * sbsa-uart@22000000 (optional) and hypervisor (optional). Every node with
 * interrupts names the GIC in its own interrupt-parent, as Xen does.
 */
#ifndef HV_DT_GUEST_DT_H
#define HV_DT_GUEST_DT_H

#include <hv/compiler.h>

/* Guest RAM banks: one in each of Xen's guest RAM regions (GUEST_RAM0 and
 * GUEST_RAM1). */
#define GUEST_DT_MAX_BANKS 2U

struct guest_dt_bank {
	uint64_t start;
	uint64_t size;
};

struct guest_dt_info {
	/* vCPUs (1 to GUEST_MAX_VCPUS): cpu nodes named and numbered by the
	 * MPIDR affinity Xen gives vCPU n (Aff0 = n & 0xf, Aff1 = n >> 4). */
	unsigned int nr_vcpus;
	/* The host cpu node's compatible value, copied into each cpu node:
	 * cpu_compatible_len bytes (a NUL-terminated string list), or the
	 * single string cpu_compatible when cpu_compatible_len is 0. */
	const char *cpu_compatible;
	uint32_t cpu_compatible_len;
	/* The host cpu node's clock-frequency, copied if nonzero. */
	uint32_t cpu_clock_freq;
	/* Guest RAM banks, in address order: one memory node lists them. */
	struct guest_dt_bank mem[GUEST_DT_MAX_BANKS];
	unsigned int nr_mem;
	/* Add the emulated SBSA UART at GUEST_PL011_BASE, GUEST_VPL011_SPI. */
	bool vpl011;
	/* /chosen/bootargs; NULL or "" for none. */
	const char *bootargs;
	/* Guest physical placement of the initrd; size 0 for none. */
	uint64_t initrd_start;
	uint64_t initrd_size;
	/* Add the "hypervisor" node (xen,enhanced): grant table frames and
	 * the event channel upcall PPI. */
	bool hypervisor_node;
	/* Guest IPA size in bits: if nonzero, the hypervisor node also lists
	 * Xen's extended regions (the unused part of each guest RAM region,
	 * from the next 2 MiB boundary, when at least 64 MiB). */
	unsigned int ipa_bits;
	/* The host timer node's clock-frequency, copied if nonzero. */
	uint32_t timer_freq;
};

/*
 * Build the tree described by info in the size bytes at buf. Returns the
 * size of the tree, -EINVAL for an inconsistent info or a NULL buf, or
 * -ENOSPC if buf is too small (nothing is written past buf + size).
 */
int __must_check guest_dt_build(const struct guest_dt_info *info, void *buf,
				size_t size);

/* Pieces shared with the dom0 tree (core/dom0-dt.c). */
struct fdt_writer;

/* /psci as Xen writes it: PSCI 1.0 through hvc, PSCI 0.1 numbers. */
void guest_dt_write_psci(struct fdt_writer *w);

/* The MPIDR affinity Xen gives vCPU n (Aff0 = n % 16, Aff1 = n / 16). */
uint32_t guest_dt_vcpu_affinity(unsigned int n);

#endif /* HV_DT_GUEST_DT_H */
