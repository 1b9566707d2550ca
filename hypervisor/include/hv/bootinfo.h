/*
 * What the boot device tree tells the hypervisor: RAM, reserved regions,
 * CPUs, boot modules with Xen's /chosen bindings, and the command line.
 */
#ifndef HV_BOOTINFO_H
#define HV_BOOTINFO_H

#include <hv/fdt.h>

#define BOOTINFO_MAX_BANKS 16U
#define BOOTINFO_MAX_RESERVED 32U
#define BOOTINFO_MAX_MODULES 32U
#define BOOTINFO_MAX_CPUS 64U

enum bootmod_kind {
	BOOTMOD_UNKNOWN,
	BOOTMOD_KERNEL,
	BOOTMOD_RAMDISK,
	BOOTMOD_DEVICE_TREE,
	BOOTMOD_XSM,
};

struct mem_region {
	paddr_t start;
	uint64_t size;
};

struct bootmodule {
	enum bootmod_kind kind;
	paddr_t start;
	uint64_t size;
	const char *cmdline; /* the node's bootargs, or NULL */
	int domain_node; /* the xen,domain node it belongs to; -1 = dom0 */
};

struct bootinfo {
	struct mem_region mem[BOOTINFO_MAX_BANKS];
	unsigned int nr_mem;
	struct mem_region reserved[BOOTINFO_MAX_RESERVED];
	unsigned int nr_reserved;
	struct bootmodule modules[BOOTINFO_MAX_MODULES];
	unsigned int nr_modules;
	uint64_t cpu_mpidr[BOOTINFO_MAX_CPUS];
	unsigned int nr_cpus;
	const char *cmdline; /* hypervisor command line ("" if none) */
	const char *error; /* why bootinfo_parse() failed */
};

/*
 * Fill bi from the tree. Returns 0, or a negative errno with bi->error
 * saying what is wrong (no memory node, too many banks, bad reg, ...).
 */
int __must_check bootinfo_parse(const struct fdt *fdt, struct bootinfo *bi);

/* A printable name for a module kind. */
const char *bootmod_kind_name(enum bootmod_kind kind);

#endif /* HV_BOOTINFO_H */
