/*
 * Reading the boot device tree into struct bootinfo. Module and command
 * line rules follow Xen 4.17 on Arm (docs/misc/arm/device-tree/booting.txt).
 */
#include <hv/bootinfo.h>
#include <hv/errno.h>
#include <hv/string.h>

/* Modules are looked for at most this deep (/chosen/domU1/module@x = 3). */
#define MODULE_MAX_DEPTH 3

static int fail(struct bootinfo *bi, const char *why, int err)
{
	bi->error = why;
	return err;
}

static int add_region(struct mem_region *arr, unsigned int *nr,
		      unsigned int max, uint64_t start, uint64_t size)
{
	if (size == 0U) {
		return 0;
	}
	if ((*nr >= max) || ((start + size) < start)) {
		return -ERANGE;
	}
	arr[*nr].start = start;
	arr[*nr].size = size;
	(*nr)++;
	return 0;
}

/* Add every reg entry of node to arr. */
static int add_reg_entries(const struct fdt *fdt, int node,
			   struct mem_region *arr, unsigned int *nr,
			   unsigned int max)
{
	uint64_t addr;
	uint64_t size;
	unsigned int i;
	int err;

	for (i = 0;; i++) {
		err = fdt_get_reg(fdt, node, i, &addr, &size);
		if (err == FDT_ERR_NOTFOUND) {
			return 0;
		}
		if ((err != 0) || (add_region(arr, nr, max, addr, size) != 0)) {
			return -EINVAL;
		}
	}
}

static bool node_enabled(const struct fdt *fdt, int node)
{
	const char *status = fdt_getprop_string(fdt, node, "status");

	return (status == NULL) || (strcmp(status, "okay") == 0) ||
	       (strcmp(status, "ok") == 0);
}

static int parse_memory(const struct fdt *fdt, struct bootinfo *bi)
{
	int node = fdt_first_child(fdt, fdt_root(fdt));
	const char *type;

	for (; node >= 0; node = fdt_next_sibling(fdt, node)) {
		type = fdt_getprop_string(fdt, node, "device_type");
		if ((type == NULL) || (strcmp(type, "memory") != 0) ||
		    !node_enabled(fdt, node)) {
			continue;
		}
		if (add_reg_entries(fdt, node, bi->mem, &bi->nr_mem,
				    BOOTINFO_MAX_BANKS) != 0) {
			return fail(bi, "bad or too many memory banks",
				    -EINVAL);
		}
	}
	if (bi->nr_mem == 0U) {
		return fail(bi,
			    "no memory node (device_type = \"memory\") found",
			    -ENOENT);
	}
	return 0;
}

static int parse_reserved(const struct fdt *fdt, struct bootinfo *bi)
{
	uint64_t addr;
	uint64_t size;
	unsigned int i;
	int node;
	int err;

	for (i = 0; fdt_rsvmap_entry(fdt, i, &addr, &size) == 0; i++) {
		if (add_region(bi->reserved, &bi->nr_reserved,
			       BOOTINFO_MAX_RESERVED, addr, size) != 0) {
			return fail(bi, "too many reserved regions", -ERANGE);
		}
	}
	node = fdt_path_offset(fdt, "/reserved-memory");
	if (node < 0) {
		return 0;
	}
	for (node = fdt_first_child(fdt, node); node >= 0;
	     node = fdt_next_sibling(fdt, node)) {
		err = add_reg_entries(fdt, node, bi->reserved, &bi->nr_reserved,
				      BOOTINFO_MAX_RESERVED);
		if (err != 0) {
			return fail(bi, "bad /reserved-memory entry", err);
		}
	}
	return 0;
}

static int parse_cpus(const struct fdt *fdt, struct bootinfo *bi)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	const char *type;
	uint64_t mpidr;
	uint64_t unused;
	int node;

	if (cpus < 0) {
		return fail(bi, "no /cpus node", -ENOENT);
	}
	for (node = fdt_first_child(fdt, cpus); node >= 0;
	     node = fdt_next_sibling(fdt, node)) {
		type = fdt_getprop_string(fdt, node, "device_type");
		if ((type == NULL) || (strcmp(type, "cpu") != 0) ||
		    !node_enabled(fdt, node)) {
			continue;
		}
		if (fdt_get_reg(fdt, node, 0, &mpidr, &unused) != 0) {
			return fail(bi, "cpu node without a valid reg",
				    -EINVAL);
		}
		if (bi->nr_cpus < BOOTINFO_MAX_CPUS) {
			bi->cpu_mpidr[bi->nr_cpus] = mpidr;
			bi->nr_cpus++;
		}
	}
	if (bi->nr_cpus == 0U) {
		return fail(bi, "no cpu nodes under /cpus", -ENOENT);
	}
	return 0;
}

static enum bootmod_kind module_kind(const struct fdt *fdt, int node)
{
	if (fdt_is_compatible(fdt, node, "multiboot,kernel") ||
	    fdt_is_compatible(fdt, node, "xen,linux-zimage")) {
		return BOOTMOD_KERNEL;
	}
	if (fdt_is_compatible(fdt, node, "multiboot,ramdisk") ||
	    fdt_is_compatible(fdt, node, "xen,linux-initrd")) {
		return BOOTMOD_RAMDISK;
	}
	if (fdt_is_compatible(fdt, node, "multiboot,device-tree")) {
		return BOOTMOD_DEVICE_TREE;
	}
	if (fdt_is_compatible(fdt, node, "xen,xsm-policy")) {
		return BOOTMOD_XSM;
	}
	return BOOTMOD_UNKNOWN;
}

/* Xen's rule for modules without a specific kind: the first of a domain is
 * its kernel, the second its ramdisk. */
static enum bootmod_kind guess_kind(const struct bootinfo *bi, int domain)
{
	unsigned int seen = 0;
	unsigned int i;

	for (i = 0; i < bi->nr_modules; i++) {
		if (bi->modules[i].domain_node == domain) {
			seen++;
		}
	}
	if (seen == 0U) {
		return BOOTMOD_KERNEL;
	}
	return (seen == 1U) ? BOOTMOD_RAMDISK : BOOTMOD_UNKNOWN;
}

static int add_module(const struct fdt *fdt, int node, struct bootinfo *bi)
{
	int parent = fdt_parent(fdt, node);
	struct bootmodule *mod;
	uint64_t addr;
	uint64_t size;

	if (bi->nr_modules >= BOOTINFO_MAX_MODULES) {
		return fail(bi, "too many boot modules", -ERANGE);
	}
	if ((fdt_get_reg(fdt, node, 0, &addr, &size) != 0) ||
	    ((addr + size) < addr)) {
		return fail(bi, "boot module without a valid reg", -EINVAL);
	}
	mod = &bi->modules[bi->nr_modules];
	mod->domain_node = fdt_is_compatible(fdt, parent, "xen,domain") ? parent
									: -1;
	mod->kind = module_kind(fdt, node);
	if (mod->kind == BOOTMOD_UNKNOWN) {
		mod->kind = guess_kind(bi, mod->domain_node);
	}
	mod->start = addr;
	mod->size = size;
	mod->cmdline = fdt_getprop_string(fdt, node, "bootargs");
	bi->nr_modules++;
	return 0;
}

static int parse_modules(const struct fdt *fdt, int chosen, struct bootinfo *bi)
{
	int base = fdt_depth(fdt, chosen);
	int depth = 0;
	int node = chosen;
	int err;

	for (;;) {
		node = fdt_next_node(fdt, node, &depth);
		if ((node < 0) || (depth <= base)) {
			return 0;
		}
		if ((depth > MODULE_MAX_DEPTH) ||
		    (!fdt_is_compatible(fdt, node, "multiboot,module") &&
		     !fdt_is_compatible(fdt, node, "xen,multiboot-module"))) {
			continue;
		}
		err = add_module(fdt, node, bi);
		if (err != 0) {
			return err;
		}
	}
}

static int parse_chosen(const struct fdt *fdt, struct bootinfo *bi)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *cmdline;

	bi->cmdline = "";
	if (chosen < 0) {
		return 0;
	}
	cmdline = fdt_getprop_string(fdt, chosen, "xen,xen-bootargs");
	if (cmdline == NULL) {
		cmdline = fdt_getprop_string(fdt, chosen, "bootargs");
	}
	if (cmdline != NULL) {
		bi->cmdline = cmdline;
	}
	return parse_modules(fdt, chosen, bi);
}

int bootinfo_parse(const struct fdt *fdt, struct bootinfo *bi)
{
	int err;

	memset(bi, 0, sizeof(*bi));
	err = parse_memory(fdt, bi);
	if (err == 0) {
		err = parse_reserved(fdt, bi);
	}
	if (err == 0) {
		err = parse_cpus(fdt, bi);
	}
	if (err == 0) {
		err = parse_chosen(fdt, bi);
	}
	return err;
}

const char *bootmod_kind_name(enum bootmod_kind kind)
{
	switch (kind) {
	case BOOTMOD_KERNEL:
		return "kernel";
	case BOOTMOD_RAMDISK:
		return "ramdisk";
	case BOOTMOD_DEVICE_TREE:
		return "device-tree";
	case BOOTMOD_XSM:
		return "xsm-policy";
	default:
		return "unknown";
	}
}
