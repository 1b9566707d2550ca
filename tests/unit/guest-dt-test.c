/*
 * Unit tests for the dom0less domU device tree (core/guest-dt.c).
 *
 * The expected values are written out as numbers taken from the tree Xen
 * 4.17 gave a domU (docs/xen-arm64-guest-abi.md, section 2.3), not from
 * <xen/arch-arm.h>, so that a wrong constant in the builder shows up. One
 * test rebuilds that observed tree with the test-only builder
 * (fdt-builder.h) and compares the two node by node and property by
 * property, in order. Trees are read back with the reader (lib/fdt.c), from
 * buffers of their exact size so that AddressSanitizer sees any overrun.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/errno.h>
#include <hv/fdt.h>
#include <dt/guest-dt.h>

#include "fdt-builder.h"

/* Values observed in the domU tree Xen 4.17 builds. */
#define PH_GIC 65000U
#define GICD_BASE 0x03001000U
#define GICD_SIZE 0x10000U
#define GICR_BASE 0x03020000U
#define GICR_SIZE 0x1000000U
#define UART_BASE 0x22000000U
#define UART_SIZE 0x1000U
#define GNTTAB_BASE 0x38000000U
#define GNTTAB_SIZE 0x1000000U
#define RAM0_BASE 0x40000000ULL
#define RAM1_BASE 0x200000000ULL
#define LEVEL_LOW 0xf08U
#define LEVEL_HIGH 0xf04U

/* A built tree in a buffer of its exact size, and the reader's view. */
struct tree {
	uint8_t *buf;
	size_t size;
	struct fdt fdt;
};

/* The domU of section 2.3: 2 vCPUs, 512 MiB, vpl011, xen,enhanced. */
static struct guest_dt_info observed_info(void)
{
	struct guest_dt_info info = {
		.nr_vcpus = 2,
		.cpu_compatible = "arm,cortex-a57",
		.mem = {{RAM0_BASE, 0x20000000}},
		.nr_mem = 1,
		.vpl011 = true,
		.bootargs = "console=ttyAMA0 rdinit=/init",
		.initrd_start = 0x48200000,
		.initrd_size = 0x123456,
		.hypervisor_node = true,
		.ipa_bits = 40,
	};

	return info;
}

/* The smallest guest: 1 vCPU, one bank, no optional node. */
static struct guest_dt_info minimal_info(void)
{
	struct guest_dt_info info = {
		.nr_vcpus = 1,
		.cpu_compatible = "arm,cortex-a57",
		.mem = {{RAM0_BASE, 0x8000000}},
		.nr_mem = 1,
	};

	return info;
}

/* Build the tree for info into an exact-size buffer and open it. */
static void build(const struct guest_dt_info *info, struct tree *t)
{
	static uint8_t scratch[65536];
	int size = guest_dt_build(info, scratch, sizeof(scratch));

	assert_true(size > 0);
	t->size = (size_t)size;
	t->buf = malloc(t->size);
	assert_non_null(t->buf);
	assert_int_equal(guest_dt_build(info, t->buf, t->size), size);
	assert_memory_equal(t->buf, scratch, t->size);
	assert_int_equal(fdt_open(&t->fdt, t->buf, t->size), 0);
	assert_int_equal(fdt_header_size(t->buf), size);
}

static int node_at(const struct tree *t, const char *path)
{
	int node = fdt_path_offset(&t->fdt, path);

	assert_true(node >= 0);
	return node;
}

/* Check that the property name of node holds exactly the n cells. */
static void expect_cells(const struct tree *t, int node, const char *name,
			 const uint32_t *cells, unsigned int n)
{
	const void *val;
	uint32_t len;
	unsigned int i;

	assert_int_equal(fdt_getprop(&t->fdt, node, name, &val, &len), 0);
	assert_int_equal(len, 4 * n);
	for (i = 0; i < n; i++) {
		assert_int_equal(fdtb_get32((const uint8_t *)val + 4 * i),
				 cells[i]);
	}
}

static void expect_u32(const struct tree *t, int node, const char *name,
		       uint32_t v)
{
	expect_cells(t, node, name, &v, 1);
}

/* Check that the property name of node holds exactly len bytes at want. */
static void expect_bytes(const struct tree *t, int node, const char *name,
			 const void *want, uint32_t len)
{
	const void *val;
	uint32_t got;

	assert_int_equal(fdt_getprop(&t->fdt, node, name, &val, &got), 0);
	assert_int_equal(got, len);
	assert_memory_equal(val, want, len);
}

/* Check that node has exactly the n properties of names, in that order. */
static void expect_props(const struct tree *t, int node,
			 const char *const *names, unsigned int n)
{
	const char *name;
	unsigned int i = 0;
	int prop;

	for (prop = fdt_first_prop(&t->fdt, node); prop >= 0;
	     prop = fdt_next_prop(&t->fdt, prop)) {
		assert_true(i < n);
		assert_int_equal(fdt_prop_at(&t->fdt, prop, &name, NULL, NULL),
				 0);
		assert_string_equal(name, names[i]);
		i++;
	}
	assert_int_equal(prop, FDT_ERR_NOTFOUND);
	assert_int_equal(i, n);
}

/* Check the names and depths of all nodes, in document order. */
static void expect_nodes(const struct tree *t, const char *const *names,
			 const int *depths, unsigned int n)
{
	unsigned int i = 0;
	int depth;
	int node;

	for (node = fdt_next_node(&t->fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(&t->fdt, node, &depth)) {
		assert_true(i < n);
		assert_string_equal(fdt_node_name(&t->fdt, node), names[i]);
		assert_int_equal(depth, depths[i]);
		i++;
	}
	assert_int_equal(node, FDT_ERR_NOTFOUND);
	assert_int_equal(i, n);
}

/* ---- The observed tree, rebuilt from the document ---- */

static void ref_reg(struct fdtb *b, const uint64_t *pairs, unsigned int n)
{
	uint32_t c[16];
	unsigned int i;

	for (i = 0; i < 2 * n; i++) {
		c[2 * i] = (uint32_t)(pairs[i] >> 32);
		c[2 * i + 1] = (uint32_t)pairs[i];
	}
	fdtb_prop_cells(b, "reg", c, 4 * n);
}

static void ref_cpus(struct fdtb *b)
{
	unsigned int i;

	fdtb_begin(b, "cpus");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 0);
	for (i = 0; i < 2; i++) {
		fdtb_begin(b, i == 0 ? "cpu@0" : "cpu@1");
		fdtb_prop_str(b, "compatible", "arm,cortex-a57");
		fdtb_prop_str(b, "device_type", "cpu");
		fdtb_prop_u32(b, "reg", i);
		fdtb_prop_str(b, "enable-method", "psci");
		fdtb_end(b);
	}
	fdtb_end(b);
}

static void ref_gic(struct fdtb *b)
{
	static const uint64_t reg[] = {GICD_BASE, GICD_SIZE, GICR_BASE,
				       GICR_SIZE};

	fdtb_begin(b, "interrupt-controller@3001000");
	fdtb_prop_u32(b, "#address-cells", 0);
	fdtb_prop_u32(b, "#interrupt-cells", 3);
	fdtb_prop(b, "interrupt-controller", NULL, 0);
	fdtb_prop_str(b, "compatible", "arm,gic-v3");
	ref_reg(b, reg, 2);
	fdtb_prop_u32(b, "linux,phandle", PH_GIC);
	fdtb_prop_u32(b, "phandle", PH_GIC);
	fdtb_end(b);
}

static void ref_devices(struct fdtb *b)
{
	static const uint32_t timer_irqs[] = {
		1, 13, LEVEL_LOW, 1, 14, LEVEL_LOW, 1, 11, LEVEL_LOW};
	static const uint32_t uart_irq[] = {0, 0, LEVEL_HIGH};
	static const uint64_t uart_reg[] = {UART_BASE, UART_SIZE};

	fdtb_begin(b, "timer");
	fdtb_prop_str(b, "compatible", "arm,armv8-timer");
	fdtb_prop_cells(b, "interrupts", timer_irqs, 9);
	fdtb_prop_u32(b, "interrupt-parent", PH_GIC);
	fdtb_end(b);
	fdtb_begin(b, "sbsa-uart@22000000");
	fdtb_prop_str(b, "compatible", "arm,sbsa-uart");
	ref_reg(b, uart_reg, 1);
	fdtb_prop_cells(b, "interrupts", uart_irq, 3);
	fdtb_prop_u32(b, "interrupt-parent", PH_GIC);
	fdtb_prop_u32(b, "current-speed", 115200);
	fdtb_end(b);
}

static void ref_hypervisor(struct fdtb *b)
{
	static const char compat[] = "xen,xen-4.17\0xen,xen";
	static const uint32_t irq[] = {1, 15, LEVEL_LOW};
	static const uint64_t reg[] = {GNTTAB_BASE, GNTTAB_SIZE, 0x60000000,
				       0xa0000000,  RAM1_BASE,	 0xfe00000000};

	fdtb_begin(b, "hypervisor");
	fdtb_prop(b, "compatible", compat, sizeof(compat));
	ref_reg(b, reg, 3);
	fdtb_prop_cells(b, "interrupts", irq, 3);
	fdtb_prop_u32(b, "interrupt-parent", PH_GIC);
	fdtb_end(b);
}

static uint8_t *build_observed_reference(size_t *size)
{
	static const char psci[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
	static const uint32_t initrd_start[] = {0, 0x48200000};
	static const uint32_t initrd_end[] = {0, 0x48323456};
	static const uint64_t mem[] = {RAM0_BASE, 0x20000000};
	struct fdtb b;

	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	fdtb_begin(&b, "chosen");
	fdtb_prop_str(&b, "bootargs", "console=ttyAMA0 rdinit=/init");
	fdtb_prop_cells(&b, "linux,initrd-start", initrd_start, 2);
	fdtb_prop_cells(&b, "linux,initrd-end", initrd_end, 2);
	fdtb_end(&b);
	fdtb_begin(&b, "psci");
	fdtb_prop(&b, "compatible", psci, sizeof(psci));
	fdtb_prop_str(&b, "method", "hvc");
	fdtb_prop_u32(&b, "cpu_off", 1);
	fdtb_prop_u32(&b, "cpu_on", 2);
	fdtb_end(&b);
	ref_cpus(&b);
	fdtb_begin(&b, "memory@40000000");
	fdtb_prop_str(&b, "device_type", "memory");
	ref_reg(&b, mem, 1);
	fdtb_end(&b);
	ref_gic(&b);
	ref_devices(&b);
	ref_hypervisor(&b);
	fdtb_end(&b);
	return fdtb_finish(&b, size);
}

/* Check that two properties have the same name, length and bytes. */
static void same_prop(const struct fdt *a, int pa, const struct fdt *b, int pb)
{
	const char *na, *nb;
	const void *va, *vb;
	uint32_t la, lb;

	assert_int_equal(fdt_prop_at(a, pa, &na, &va, &la), 0);
	assert_int_equal(fdt_prop_at(b, pb, &nb, &vb, &lb), 0);
	assert_string_equal(na, nb);
	assert_int_equal(la, lb);
	assert_memory_equal(va, vb, la);
}

/* Check that two nodes have the same name and properties, in order. */
static void same_node(const struct fdt *a, int na, const struct fdt *b, int nb)
{
	int pa = fdt_first_prop(a, na);
	int pb = fdt_first_prop(b, nb);

	assert_string_equal(fdt_node_name(a, na), fdt_node_name(b, nb));
	while (pa >= 0 && pb >= 0) {
		same_prop(a, pa, b, pb);
		pa = fdt_next_prop(a, pa);
		pb = fdt_next_prop(b, pb);
	}
	assert_int_equal(pa, FDT_ERR_NOTFOUND);
	assert_int_equal(pb, FDT_ERR_NOTFOUND);
}

static void test_matches_observed_tree(void **state)
{
	struct guest_dt_info info = observed_info();
	struct tree t;
	struct fdt ref;
	size_t ref_size;
	uint8_t *ref_blob = build_observed_reference(&ref_size);
	int da, db;
	int na, nb;

	(void)state;
	build(&info, &t);
	assert_int_equal(fdt_open(&ref, ref_blob, ref_size), 0);
	na = fdt_next_node(&t.fdt, -1, &da);
	nb = fdt_next_node(&ref, -1, &db);
	while (na >= 0 && nb >= 0) {
		assert_int_equal(da, db);
		same_node(&t.fdt, na, &ref, nb);
		na = fdt_next_node(&t.fdt, na, &da);
		nb = fdt_next_node(&ref, nb, &db);
	}
	assert_int_equal(na, FDT_ERR_NOTFOUND);
	assert_int_equal(nb, FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_rsvmap_entry(&t.fdt, 0, NULL, NULL),
			 FDT_ERR_NOTFOUND);
	free(ref_blob);
	free(t.buf);
}

/* ---- One vCPU, nothing optional ---- */

static void test_one_vcpu_nodes(void **state)
{
	static const char *const names[] = {"",
					    "chosen",
					    "psci",
					    "cpus",
					    "cpu@0",
					    "memory@40000000",
					    "interrupt-controller@3001000",
					    "timer"};
	static const int depths[] = {0, 1, 1, 1, 2, 1, 1, 1};
	static const char *const root_props[] = {"#address-cells",
						 "#size-cells"};
	struct guest_dt_info info = minimal_info();
	struct tree t;
	int root;

	(void)state;
	build(&info, &t);
	expect_nodes(&t, names, depths, 8);
	root = fdt_root(&t.fdt);
	/* Xen writes no compatible, model or interrupt-parent at the root. */
	expect_props(&t, root, root_props, 2);
	expect_u32(&t, root, "#address-cells", 2);
	expect_u32(&t, root, "#size-cells", 2);
	/* No bootargs and no initrd: an empty /chosen. */
	expect_props(&t, node_at(&t, "/chosen"), NULL, 0);
	free(t.buf);
}

static void test_one_vcpu_values(void **state)
{
	static const uint32_t mem[] = {0, 0x40000000, 0, 0x8000000};
	static const char *const cpu_props[] = {"compatible", "device_type",
						"reg", "enable-method"};
	struct guest_dt_info info = minimal_info();
	struct tree t;
	uint64_t addr, size;
	int node;

	(void)state;
	build(&info, &t);
	node = node_at(&t, "/cpus");
	expect_u32(&t, node, "#address-cells", 1);
	expect_u32(&t, node, "#size-cells", 0);
	node = node_at(&t, "/cpus/cpu@0");
	expect_props(&t, node, cpu_props, 4);
	expect_bytes(&t, node, "compatible", "arm,cortex-a57", 15);
	expect_bytes(&t, node, "device_type", "cpu", 4);
	expect_u32(&t, node, "reg", 0);
	expect_bytes(&t, node, "enable-method", "psci", 5);
	node = node_at(&t, "/memory");
	expect_bytes(&t, node, "device_type", "memory", 7);
	expect_cells(&t, node, "reg", mem, 4);
	assert_int_equal(fdt_get_reg(&t.fdt, node, 0, &addr, &size), 0);
	assert_int_equal(addr, 0x40000000);
	assert_int_equal(size, 0x8000000);
	free(t.buf);
}

static void test_psci(void **state)
{
	static const char *const props[] = {"compatible", "method", "cpu_off",
					    "cpu_on"};
	struct guest_dt_info info = minimal_info();
	struct tree t;
	int node;

	(void)state;
	build(&info, &t);
	node = node_at(&t, "/psci");
	expect_props(&t, node, props, 4);
	expect_bytes(&t, node, "compatible",
		     "arm,psci-1.0\0arm,psci-0.2\0arm,psci", 35);
	expect_bytes(&t, node, "method", "hvc", 4);
	expect_u32(&t, node, "cpu_off", 1);
	expect_u32(&t, node, "cpu_on", 2);
	free(t.buf);
}

static void test_gic(void **state)
{
	static const uint32_t reg[] = {0, GICD_BASE, 0, GICD_SIZE,
				       0, GICR_BASE, 0, GICR_SIZE};
	static const char *const props[] = {"#address-cells",
					    "#interrupt-cells",
					    "interrupt-controller",
					    "compatible",
					    "reg",
					    "linux,phandle",
					    "phandle"};
	struct guest_dt_info info = minimal_info();
	struct tree t;
	int node;

	(void)state;
	build(&info, &t);
	node = node_at(&t, "/interrupt-controller@3001000");
	expect_props(&t, node, props, 7);
	expect_u32(&t, node, "#address-cells", 0);
	expect_u32(&t, node, "#interrupt-cells", 3);
	expect_bytes(&t, node, "interrupt-controller", "", 0);
	expect_bytes(&t, node, "compatible", "arm,gic-v3", 11);
	/* The redistributor region is the same whatever the vCPU count. */
	expect_cells(&t, node, "reg", reg, 8);
	expect_u32(&t, node, "linux,phandle", PH_GIC);
	expect_u32(&t, node, "phandle", PH_GIC);
	assert_int_equal(fdt_node_by_phandle(&t.fdt, PH_GIC), node);
	free(t.buf);
}

static void test_timer(void **state)
{
	static const uint32_t irqs[] = {1,	   13, LEVEL_LOW, 1,	    14,
					LEVEL_LOW, 1,  11,	  LEVEL_LOW};
	static const char *const props[] = {"compatible", "interrupts",
					    "interrupt-parent"};
	static const char *const props_freq[] = {"compatible", "interrupts",
						 "interrupt-parent",
						 "clock-frequency"};
	struct guest_dt_info info = minimal_info();
	struct tree t;
	int node;

	(void)state;
	build(&info, &t);
	node = node_at(&t, "/timer");
	expect_props(&t, node, props, 3);
	expect_bytes(&t, node, "compatible", "arm,armv8-timer", 16);
	expect_cells(&t, node, "interrupts", irqs, 9);
	expect_u32(&t, node, "interrupt-parent", PH_GIC);
	free(t.buf);

	info.timer_freq = 62500000;
	build(&info, &t);
	node = node_at(&t, "/timer");
	expect_props(&t, node, props_freq, 4);
	expect_u32(&t, node, "clock-frequency", 62500000);
	free(t.buf);
}

/* ---- Four vCPUs, two banks, everything optional present ---- */

static struct guest_dt_info full_info(void)
{
	struct guest_dt_info info = {
		.nr_vcpus = 4,
		.cpu_compatible = "arm,cortex-a53\0arm,armv8",
		.cpu_compatible_len = 25,
		.cpu_clock_freq = 1000000000,
		.mem = {{RAM0_BASE, 0xc0000000}, {RAM1_BASE, 0x40000000}},
		.nr_mem = 2,
		.vpl011 = true,
		.bootargs = "console=ttyAMA0",
		.initrd_start = 0x48000000,
		.initrd_size = 0x1000000,
		.hypervisor_node = true,
		.timer_freq = 62500000,
	};

	return info;
}

static void test_four_vcpus_nodes(void **state)
{
	static const char *const names[] = {"",
					    "chosen",
					    "psci",
					    "cpus",
					    "cpu@0",
					    "cpu@1",
					    "cpu@2",
					    "cpu@3",
					    "memory@40000000",
					    "interrupt-controller@3001000",
					    "timer",
					    "sbsa-uart@22000000",
					    "hypervisor"};
	static const int depths[] = {0, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 1};
	struct guest_dt_info info = full_info();
	struct tree t;

	(void)state;
	build(&info, &t);
	expect_nodes(&t, names, depths, 13);
	free(t.buf);
}

static void test_four_vcpus_cpus(void **state)
{
	static const char *const props[] = {"compatible", "device_type", "reg",
					    "clock-frequency", "enable-method"};
	struct guest_dt_info info = full_info();
	struct tree t;
	unsigned int i;
	int node;

	(void)state;
	build(&info, &t);
	node = fdt_first_child(&t.fdt, node_at(&t, "/cpus"));
	for (i = 0; i < 4; i++) {
		assert_true(node >= 0);
		expect_props(&t, node, props, 5);
		/* The host's string list, copied whole. */
		expect_bytes(&t, node, "compatible",
			     "arm,cortex-a53\0arm,armv8", 25);
		expect_u32(&t, node, "reg", i);
		expect_u32(&t, node, "clock-frequency", 1000000000);
		node = fdt_next_sibling(&t.fdt, node);
	}
	assert_int_equal(node, FDT_ERR_NOTFOUND);
	free(t.buf);
}

static void test_four_vcpus_memory_and_chosen(void **state)
{
	static const uint32_t mem[] = {0, 0x40000000, 0, 0xc0000000,
				       2, 0,	      0, 0x40000000};
	static const char *const chosen_props[] = {
		"bootargs", "linux,initrd-start", "linux,initrd-end"};
	static const uint8_t start[] = {0, 0, 0, 0, 0x48, 0, 0, 0};
	static const uint8_t end[] = {0, 0, 0, 0, 0x49, 0, 0, 0};
	struct guest_dt_info info = full_info();
	struct tree t;
	int node;

	(void)state;
	build(&info, &t);
	node = node_at(&t, "/memory@40000000");
	expect_cells(&t, node, "reg", mem, 8);
	assert_int_equal(fdt_reg_count(&t.fdt, node), 2);
	node = node_at(&t, "/chosen");
	expect_props(&t, node, chosen_props, 3);
	assert_string_equal(fdt_getprop_string(&t.fdt, node, "bootargs"),
			    "console=ttyAMA0");
	/* 64-bit values; the end is exclusive. */
	expect_bytes(&t, node, "linux,initrd-start", start, 8);
	expect_bytes(&t, node, "linux,initrd-end", end, 8);
	free(t.buf);
}

static void test_vpl011(void **state)
{
	static const uint32_t reg[] = {0, UART_BASE, 0, UART_SIZE};
	static const uint32_t irq[] = {0, 0, LEVEL_HIGH};
	static const char *const props[] = {"compatible", "reg", "interrupts",
					    "interrupt-parent",
					    "current-speed"};
	struct guest_dt_info info = full_info();
	struct tree t;
	int node;

	(void)state;
	build(&info, &t);
	node = node_at(&t, "/sbsa-uart@22000000");
	expect_props(&t, node, props, 5);
	expect_bytes(&t, node, "compatible", "arm,sbsa-uart", 14);
	expect_cells(&t, node, "reg", reg, 4);
	expect_cells(&t, node, "interrupts", irq, 3);
	expect_u32(&t, node, "interrupt-parent", PH_GIC);
	expect_u32(&t, node, "current-speed", 115200);
	free(t.buf);
}

static void test_hypervisor_node(void **state)
{
	static const uint32_t reg[] = {0, GNTTAB_BASE, 0, GNTTAB_SIZE};
	static const uint32_t irq[] = {1, 15, LEVEL_LOW};
	static const char *const props[] = {"compatible", "reg", "interrupts",
					    "interrupt-parent"};
	struct guest_dt_info info = full_info();
	const char *first;
	struct tree t;
	int node;

	(void)state;
	build(&info, &t);
	node = node_at(&t, "/hypervisor");
	expect_props(&t, node, props, 4);
	/* What Linux checks: a depth-1 node named exactly "hypervisor"
	 * whose first compatible starts with "xen,xen-" and whose list
	 * holds "xen,xen". */
	assert_int_equal(fdt_depth(&t.fdt, node), 1);
	assert_string_equal(fdt_node_name(&t.fdt, node), "hypervisor");
	first = fdt_getprop_string(&t.fdt, node, "compatible");
	assert_string_equal(first, "xen,xen-4.17");
	assert_true(fdt_is_compatible(&t.fdt, node, "xen,xen"));
	assert_int_equal(fdt_find_compatible(&t.fdt, -1, "xen,xen"), node);
	/* Without ipa_bits: the grant table region only. */
	expect_cells(&t, node, "reg", reg, 4);
	expect_cells(&t, node, "interrupts", irq, 3);
	expect_u32(&t, node, "interrupt-parent", PH_GIC);
	free(t.buf);
}

static void test_optional_nodes_absent(void **state)
{
	struct guest_dt_info info = full_info();
	struct tree t;

	(void)state;
	info.vpl011 = false;
	info.hypervisor_node = false;
	info.bootargs = "";
	info.initrd_size = 0;
	build(&info, &t);
	assert_int_equal(fdt_subnode(&t.fdt, fdt_root(&t.fdt), "sbsa-uart"),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_subnode(&t.fdt, fdt_root(&t.fdt), "hypervisor"),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_find_compatible(&t.fdt, -1, "xen,xen"),
			 FDT_ERR_NOTFOUND);
	expect_props(&t, node_at(&t, "/chosen"), NULL, 0);
	free(t.buf);
}

/* Every node with interrupts names the GIC, and the GIC is its phandle. */
static void test_interrupt_parents(void **state)
{
	struct guest_dt_info info = full_info();
	struct tree t;
	uint32_t parent;
	unsigned int found = 0;
	int node;

	(void)state;
	build(&info, &t);
	for (node = fdt_next_node(&t.fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(&t.fdt, node, NULL)) {
		if (!fdt_has_prop(&t.fdt, node, "interrupts")) {
			continue;
		}
		assert_int_equal(fdt_getprop_u32(&t.fdt, node,
						 "interrupt-parent", &parent),
				 0);
		assert_int_equal(parent, PH_GIC);
		found++;
	}
	assert_int_equal(found, 3);
	node = fdt_node_by_phandle(&t.fdt, PH_GIC);
	assert_true(fdt_is_compatible(&t.fdt, node, "arm,gic-v3"));
	assert_true(fdt_has_prop(&t.fdt, node, "interrupt-controller"));
	free(t.buf);
}

/* ---- MPIDR-based cpu nodes ---- */

static void test_cpu_affinity_names(void **state)
{
	struct guest_dt_info info = minimal_info();
	struct tree t;
	char name[16];
	unsigned int n;
	uint32_t reg;
	int node;

	(void)state;
	info.nr_vcpus = 128;
	build(&info, &t);
	node = fdt_first_child(&t.fdt, node_at(&t, "/cpus"));
	for (n = 0; n < 128; n++) {
		uint32_t aff = (n & 0xf) | ((n >> 4) << 8);

		assert_true(node >= 0);
		snprintf(name, sizeof(name), "cpu@%x", aff);
		assert_string_equal(fdt_node_name(&t.fdt, node), name);
		assert_int_equal(fdt_getprop_u32(&t.fdt, node, "reg", &reg), 0);
		assert_int_equal(reg, aff);
		node = fdt_next_sibling(&t.fdt, node);
	}
	assert_int_equal(node, FDT_ERR_NOTFOUND);
	/* Spot checks: vCPU 15, 16 and 127. */
	node_at(&t, "/cpus/cpu@f");
	node_at(&t, "/cpus/cpu@100");
	node_at(&t, "/cpus/cpu@70f");
	free(t.buf);
}

/* ---- Extended regions ---- */

/* The reg entries of /hypervisor after the grant table, as pairs. */
static unsigned int ext_regions(const struct guest_dt_info *info, uint64_t *out,
				unsigned int max)
{
	struct tree t;
	unsigned int i;
	int node;

	build(info, &t);
	node = node_at(&t, "/hypervisor");
	for (i = 0; i < max; i++) {
		if (fdt_get_reg(&t.fdt, node, i + 1, &out[2 * i],
				&out[2 * i + 1]) != 0) {
			break;
		}
	}
	free(t.buf);
	return i;
}

static void test_extended_regions(void **state)
{
	struct guest_dt_info info = observed_info();
	uint64_t r[8];

	(void)state;
	/* 40-bit IPA: the rest of RAM0 and all of RAM1 (as observed). */
	assert_int_equal(ext_regions(&info, r, 4), 2);
	assert_int_equal(r[0], 0x60000000);
	assert_int_equal(r[1], 0xa0000000);
	assert_int_equal(r[2], RAM1_BASE);
	assert_int_equal(r[3], 0xfe00000000);
	/* 32-bit IPA: RAM1 is out of reach. */
	info.ipa_bits = 32;
	assert_int_equal(ext_regions(&info, r, 4), 1);
	assert_int_equal(r[0], 0x60000000);
	assert_int_equal(r[1], 0xa0000000);
	/* RAM0 almost full (less than 64 MiB left), RAM1 partly used, with
	 * the end of the RAM rounded up to 2 MiB. */
	info.ipa_bits = 40;
	info.mem[0].size = 0xc0000000 - 0x3000000;
	info.mem[1].start = RAM1_BASE;
	info.mem[1].size = 0x100001;
	info.nr_mem = 2;
	assert_int_equal(ext_regions(&info, r, 4), 1);
	assert_int_equal(r[0], RAM1_BASE + 0x200000);
	assert_int_equal(r[1], 0xfe00000000 - 0x200000);
}

/* ---- Errors ---- */

static void test_bad_info(void **state)
{
	static uint8_t buf[8192];
	struct guest_dt_info info;

	(void)state;
	assert_int_equal(guest_dt_build(NULL, buf, sizeof(buf)), -EINVAL);
	info = minimal_info();
	info.nr_vcpus = 0;
	assert_int_equal(guest_dt_build(&info, buf, sizeof(buf)), -EINVAL);
	info.nr_vcpus = 129;
	assert_int_equal(guest_dt_build(&info, buf, sizeof(buf)), -EINVAL);
	info = minimal_info();
	info.nr_mem = 0;
	assert_int_equal(guest_dt_build(&info, buf, sizeof(buf)), -EINVAL);
	info.nr_mem = 3;
	assert_int_equal(guest_dt_build(&info, buf, sizeof(buf)), -EINVAL);
	info = minimal_info();
	info.mem[0].size = 0;
	assert_int_equal(guest_dt_build(&info, buf, sizeof(buf)), -EINVAL);
	info.mem[0].start = ~0ULL - 0xfff;
	info.mem[0].size = 0x1001;
	assert_int_equal(guest_dt_build(&info, buf, sizeof(buf)), -EINVAL);
	info = minimal_info();
	info.cpu_compatible = NULL;
	assert_int_equal(guest_dt_build(&info, buf, sizeof(buf)), -EINVAL);
	info.cpu_compatible = "";
	assert_int_equal(guest_dt_build(&info, buf, sizeof(buf)), -EINVAL);
	info.cpu_compatible = "arm,cortex-a57";
	info.cpu_compatible_len = 5; /* not NUL-terminated */
	assert_int_equal(guest_dt_build(&info, buf, sizeof(buf)), -EINVAL);
	info = minimal_info();
	info.ipa_bits = 65;
	assert_int_equal(guest_dt_build(&info, buf, sizeof(buf)), -EINVAL);
	info = minimal_info();
	info.initrd_start = ~0ULL - 0xfff;
	info.initrd_size = 0x1000;
	assert_int_equal(guest_dt_build(&info, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(guest_dt_build(&info, NULL, 0), -EINVAL);
}

/* Every buffer too small for the tree gives -ENOSPC, never an overrun. */
static void test_every_short_size(void **state)
{
	struct guest_dt_info info = observed_info();
	static uint8_t scratch[8192];
	int full;
	int size;

	(void)state;
	info.nr_vcpus = 4;
	full = guest_dt_build(&info, scratch, sizeof(scratch));
	assert_true(full > 0);
	for (size = 0; size < full; size++) {
		uint8_t *buf = malloc(size != 0 ? (size_t)size : 1U);

		assert_non_null(buf);
		assert_int_equal(guest_dt_build(&info, buf, (size_t)size),
				 -ENOSPC);
		free(buf);
	}
	assert_int_equal(guest_dt_build(&info, NULL, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_observed_tree),
		cmocka_unit_test(test_one_vcpu_nodes),
		cmocka_unit_test(test_one_vcpu_values),
		cmocka_unit_test(test_psci),
		cmocka_unit_test(test_gic),
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_four_vcpus_nodes),
		cmocka_unit_test(test_four_vcpus_cpus),
		cmocka_unit_test(test_four_vcpus_memory_and_chosen),
		cmocka_unit_test(test_vpl011),
		cmocka_unit_test(test_hypervisor_node),
		cmocka_unit_test(test_optional_nodes_absent),
		cmocka_unit_test(test_interrupt_parents),
		cmocka_unit_test(test_cpu_affinity_names),
		cmocka_unit_test(test_extended_regions),
		cmocka_unit_test(test_bad_info),
		cmocka_unit_test(test_every_short_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
