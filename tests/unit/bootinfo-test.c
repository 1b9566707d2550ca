/*
 * Unit tests for reading RAM, reserved memory, CPUs, boot modules and the
 * command line from the boot device tree (Xen's /chosen bindings).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/bootinfo.h>
#include <hv/errno.h>

#include "fdt-builder.h"

struct tree_opts {
	bool no_memory;
	bool xen_bootargs;
	bool domu;
	bool reserved;
	unsigned int nr_cpus;
};

static void add_memory(struct fdtb *b)
{
	const uint32_t reg[] = {0, 0x40000000, 0, 0x80000000,
				1, 0x00000000, 0, 0x40000000};

	fdtb_begin(b, "memory@40000000");
	fdtb_prop_str(b, "device_type", "memory");
	fdtb_prop_cells(b, "reg", reg, 8);
	fdtb_end(b);
}

static void add_cpus(struct fdtb *b, unsigned int n)
{
	char name[16];
	unsigned int i;

	fdtb_begin(b, "cpus");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 0);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "cpu@%u", i);
		fdtb_begin(b, name);
		fdtb_prop_str(b, "device_type", "cpu");
		fdtb_prop_u32(b, "reg", i);
		fdtb_end(b);
	}
	fdtb_end(b);
}

static void add_module(struct fdtb *b, const char *name, const char *kind,
		       uint32_t addr, uint32_t size, const char *args)
{
	static const char compat_prefix[] = "multiboot,module";
	char compat[64];
	size_t len = 0;
	const uint32_t reg[] = {0, addr, 0, size};

	if (kind != NULL) {
		len = strlen(kind) + 1U;
		memcpy(compat, kind, len);
	}
	memcpy(compat + len, compat_prefix, sizeof(compat_prefix));
	fdtb_begin(b, name);
	fdtb_prop(b, "compatible", compat, len + sizeof(compat_prefix));
	fdtb_prop_cells(b, "reg", reg, 4);
	if (args != NULL) {
		fdtb_prop_str(b, "bootargs", args);
	}
	fdtb_end(b);
}

static void add_chosen(struct fdtb *b, const struct tree_opts *o)
{
	fdtb_begin(b, "chosen");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_str(b, "bootargs", "dom0_mem=512M loglvl=all");
	if (o->xen_bootargs) {
		fdtb_prop_str(b, "xen,xen-bootargs", "maxcpus=2");
	}
	add_module(b, "module@0x49000000", "multiboot,kernel", 0x49000000,
		   0x1000, "console=hvc0");
	add_module(b, "module@0x50000000", "multiboot,ramdisk", 0x50000000,
		   0x2000, NULL);
	if (o->domu) {
		fdtb_begin(b, "domU1");
		fdtb_prop_str(b, "compatible", "xen,domain");
		fdtb_prop_u32(b, "#address-cells", 2);
		fdtb_prop_u32(b, "#size-cells", 2);
		add_module(b, "module@51000000", NULL, 0x51000000, 0x3000,
			   "console=ttyAMA0");
		add_module(b, "module@52000000", NULL, 0x52000000, 0x4000,
			   NULL);
		fdtb_end(b);
	}
	fdtb_end(b);
}

static void add_reserved(struct fdtb *b)
{
	const uint32_t reg[] = {0, 0x60000000, 0, 0x100000};

	fdtb_begin(b, "reserved-memory");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_begin(b, "buffer@60000000");
	fdtb_prop_cells(b, "reg", reg, 4);
	fdtb_end(b);
	fdtb_end(b);
}

static uint8_t *build_tree(const struct tree_opts *o, size_t *size)
{
	struct fdtb b;

	fdtb_init(&b);
	if (o->reserved) {
		fdtb_rsv(&b, 0x70000000, 0x2000);
	}
	fdtb_begin(&b, "");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	if (!o->no_memory) {
		add_memory(&b);
	}
	if (o->reserved) {
		add_reserved(&b);
	}
	add_cpus(&b, (o->nr_cpus != 0U) ? o->nr_cpus : 4U);
	add_chosen(&b, o);
	fdtb_end(&b);
	return fdtb_finish(&b, size);
}

static int parse(const struct tree_opts *o, struct bootinfo *bi, uint8_t **blob)
{
	static struct fdt fdt;
	size_t size;

	*blob = build_tree(o, &size);
	assert_int_equal(fdt_open(&fdt, *blob, size), 0);
	return bootinfo_parse(&fdt, bi);
}

static void test_memory_banks(void **state)
{
	struct tree_opts o = {0};
	struct bootinfo bi;
	uint8_t *blob;

	(void)state;
	assert_int_equal(parse(&o, &bi, &blob), 0);
	assert_int_equal(bi.nr_mem, 2);
	assert_int_equal(bi.mem[0].start, 0x40000000);
	assert_int_equal(bi.mem[0].size, 0x80000000);
	assert_int_equal(bi.mem[1].start, 0x100000000ULL);
	assert_int_equal(bi.mem[1].size, 0x40000000);
	free(blob);
}

static void test_no_memory_node_fails(void **state)
{
	struct tree_opts o = {.no_memory = true};
	struct bootinfo bi;
	uint8_t *blob;

	(void)state;
	assert_int_equal(parse(&o, &bi, &blob), -ENOENT);
	assert_non_null(strstr(bi.error, "memory"));
	free(blob);
}

static void test_cpus(void **state)
{
	struct tree_opts o = {.nr_cpus = 8};
	struct bootinfo bi;
	uint8_t *blob;

	(void)state;
	assert_int_equal(parse(&o, &bi, &blob), 0);
	assert_int_equal(bi.nr_cpus, 8);
	assert_int_equal(bi.cpu_mpidr[7], 7);
	free(blob);
}

static void test_reserved_regions(void **state)
{
	struct tree_opts o = {.reserved = true};
	struct bootinfo bi;
	uint8_t *blob;

	(void)state;
	assert_int_equal(parse(&o, &bi, &blob), 0);
	assert_int_equal(bi.nr_reserved, 2);
	assert_int_equal(bi.reserved[0].start, 0x70000000);
	assert_int_equal(bi.reserved[0].size, 0x2000);
	assert_int_equal(bi.reserved[1].start, 0x60000000);
	assert_int_equal(bi.reserved[1].size, 0x100000);
	free(blob);
}

static void test_modules_and_kinds(void **state)
{
	struct tree_opts o = {.domu = true};
	struct bootinfo bi;
	uint8_t *blob;

	(void)state;
	assert_int_equal(parse(&o, &bi, &blob), 0);
	assert_int_equal(bi.nr_modules, 4);
	assert_int_equal(bi.modules[0].kind, BOOTMOD_KERNEL);
	assert_int_equal(bi.modules[0].start, 0x49000000);
	assert_int_equal(bi.modules[0].size, 0x1000);
	assert_string_equal(bi.modules[0].cmdline, "console=hvc0");
	assert_int_equal(bi.modules[0].domain_node, -1);
	assert_int_equal(bi.modules[1].kind, BOOTMOD_RAMDISK);
	assert_null(bi.modules[1].cmdline);
	/* A domU's modules without a specific kind: kernel, then ramdisk. */
	assert_int_equal(bi.modules[2].kind, BOOTMOD_KERNEL);
	assert_true(bi.modules[2].domain_node >= 0);
	assert_int_equal(bi.modules[3].kind, BOOTMOD_RAMDISK);
	assert_int_equal(bi.modules[3].domain_node, bi.modules[2].domain_node);
	assert_string_equal(bootmod_kind_name(bi.modules[3].kind), "ramdisk");
	free(blob);
}

static void test_cmdline_choice(void **state)
{
	struct tree_opts o = {0};
	struct bootinfo bi;
	uint8_t *blob;

	(void)state;
	assert_int_equal(parse(&o, &bi, &blob), 0);
	assert_string_equal(bi.cmdline, "dom0_mem=512M loglvl=all");
	free(blob);
	o.xen_bootargs = true;
	assert_int_equal(parse(&o, &bi, &blob), 0);
	assert_string_equal(bi.cmdline, "maxcpus=2");
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_banks),
		cmocka_unit_test(test_no_memory_node_fails),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_reserved_regions),
		cmocka_unit_test(test_modules_and_kinds),
		cmocka_unit_test(test_cmdline_choice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
