/*
 * Unit tests for the device tree writer (lib/fdt-write.c).
 *
 * Every tree is read back with the reader (lib/fdt.c). A reference tree is
 * also built with the test-only builder (fdt-builder.h) and compared node
 * by node and property by property. Buffers are malloc'd at exactly the
 * size handed to the writer, so AddressSanitizer catches any write past
 * the end; the writer is run with every buffer size that is too small.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/fdt-write.h>

#include "fdt-builder.h"

#define PH_GIC 0x8002U

/* A tree written by the writer together with the reader's view of it. */
struct tree {
	uint8_t *buf;
	size_t size;
	struct fdt fdt;
};

/* Write the cells of a reg entry with 2 address and 2 size cells. */
static void reg2(struct fdt_writer *w, uint64_t addr, uint64_t size)
{
	uint32_t c[4] = {(uint32_t)(addr >> 32), (uint32_t)addr,
			 (uint32_t)(size >> 32), (uint32_t)size};

	fdt_write_prop_cells(w, "reg", c, 4);
}

static void write_cpus(struct fdt_writer *w)
{
	static const char *const names[] = {"cpu@0", "cpu@1"};
	unsigned int i;

	fdt_write_begin_node(w, "cpus");
	fdt_write_prop_u32(w, "#address-cells", 1);
	fdt_write_prop_u32(w, "#size-cells", 0);
	for (i = 0; i < 2; i++) {
		fdt_write_begin_node(w, names[i]);
		fdt_write_prop_string(w, "device_type", "cpu");
		fdt_write_prop_string(w, "compatible", "arm,cortex-a57");
		fdt_write_prop_u32(w, "reg", i);
		fdt_write_prop_string(w, "enable-method", "psci");
		fdt_write_end_node(w);
	}
	fdt_write_end_node(w);
}

static void write_gic(struct fdt_writer *w)
{
	static const uint32_t gic_reg[] = {0, 0x8000000, 0, 0x10000,
					   0, 0x80a0000, 0, 0xf60000};

	fdt_write_begin_node(w, "intc@8000000");
	fdt_write_prop_string(w, "compatible", "arm,gic-v3");
	fdt_write_prop_empty(w, "interrupt-controller");
	fdt_write_prop_cells(w, "reg", gic_reg, 8);
	fdt_write_prop_u32(w, "#interrupt-cells", 3);
	fdt_write_prop_u32(w, "linux,phandle", PH_GIC);
	fdt_write_prop_u32(w, "phandle", PH_GIC);
	fdt_write_end_node(w);
}

static void write_chosen(struct fdt_writer *w)
{
	static const char *const kcompat[] = {"multiboot,module",
					      "multiboot,kernel"};

	fdt_write_begin_node(w, "chosen");
	fdt_write_prop_string(w, "bootargs", "console=dtuart");
	fdt_write_prop_u64(w, "linux,initrd-start", 0x48200000);
	fdt_write_prop_u64(w, "linux,initrd-end", 0x48300000);
	fdt_write_prop_u32(w, "#address-cells", 2);
	fdt_write_prop_u32(w, "#size-cells", 2);
	fdt_write_begin_node(w, "module@0x49000000");
	fdt_write_prop_strings(w, "compatible", kcompat, 2);
	reg2(w, 0x49000000, 0x800000);
	fdt_write_prop(w, "odd", "abcde", 5);
	fdt_write_prop_u32(w, "after-odd", 0xdeadbeef);
	fdt_write_end_node(w);
	fdt_write_end_node(w);
}

/* Write a tree shaped like QEMU's virt one, with two reservations. */
static int write_virt(void *buf, size_t size)
{
	static const char *const psci[] = {"arm,psci-1.0", "arm,psci-0.2",
					   "arm,psci"};
	struct fdt_writer w;

	fdt_write_init(&w, buf, size);
	fdt_write_rsv(&w, 0x48000000, 0x1000);
	fdt_write_rsv(&w, 0x50000000, 0x200000);
	fdt_write_begin_node(&w, "");
	fdt_write_prop_u32(&w, "#address-cells", 2);
	fdt_write_prop_u32(&w, "#size-cells", 2);
	fdt_write_prop_string(&w, "compatible", "linux,dummy-virt");
	fdt_write_prop_u32(&w, "interrupt-parent", PH_GIC);
	fdt_write_begin_node(&w, "psci");
	fdt_write_prop_strings(&w, "compatible", psci, 3);
	fdt_write_prop_string(&w, "method", "hvc");
	fdt_write_end_node(&w);
	fdt_write_begin_node(&w, "memory@40000000");
	fdt_write_prop_string(&w, "device_type", "memory");
	reg2(&w, 0x40000000, 0x80000000);
	fdt_write_end_node(&w);
	write_cpus(&w);
	write_gic(&w);
	write_chosen(&w);
	fdt_write_end_node(&w);
	return fdt_write_finish(&w);
}

/* The same tree, made by the test-only builder. */
static uint8_t *build_virt_reference(size_t *size)
{
	static const char psci[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
	static const char kcompat[] = "multiboot,module\0multiboot,kernel";
	static const uint32_t gic_reg[] = {0, 0x8000000, 0, 0x10000,
					   0, 0x80a0000, 0, 0xf60000};
	static const uint32_t mem[] = {0, 0x40000000, 0, 0x80000000};
	static const uint32_t mod[] = {0, 0x49000000, 0, 0x800000};
	static const uint32_t initrd_start[] = {0, 0x48200000};
	static const uint32_t initrd_end[] = {0, 0x48300000};
	struct fdtb b;
	unsigned int i;

	fdtb_init(&b);
	fdtb_rsv(&b, 0x48000000, 0x1000);
	fdtb_rsv(&b, 0x50000000, 0x200000);
	fdtb_begin(&b, "");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	fdtb_prop_str(&b, "compatible", "linux,dummy-virt");
	fdtb_prop_u32(&b, "interrupt-parent", PH_GIC);
	fdtb_begin(&b, "psci");
	fdtb_prop(&b, "compatible", psci, sizeof(psci));
	fdtb_prop_str(&b, "method", "hvc");
	fdtb_end(&b);
	fdtb_begin(&b, "memory@40000000");
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_prop_cells(&b, "reg", mem, 4);
	fdtb_end(&b);
	fdtb_begin(&b, "cpus");
	fdtb_prop_u32(&b, "#address-cells", 1);
	fdtb_prop_u32(&b, "#size-cells", 0);
	for (i = 0; i < 2; i++) {
		fdtb_begin(&b, i == 0 ? "cpu@0" : "cpu@1");
		fdtb_prop_str(&b, "device_type", "cpu");
		fdtb_prop_str(&b, "compatible", "arm,cortex-a57");
		fdtb_prop_u32(&b, "reg", i);
		fdtb_prop_str(&b, "enable-method", "psci");
		fdtb_end(&b);
	}
	fdtb_end(&b);
	fdtb_begin(&b, "intc@8000000");
	fdtb_prop_str(&b, "compatible", "arm,gic-v3");
	fdtb_prop(&b, "interrupt-controller", NULL, 0);
	fdtb_prop_cells(&b, "reg", gic_reg, 8);
	fdtb_prop_u32(&b, "#interrupt-cells", 3);
	fdtb_prop_u32(&b, "linux,phandle", PH_GIC);
	fdtb_prop_u32(&b, "phandle", PH_GIC);
	fdtb_end(&b);
	fdtb_begin(&b, "chosen");
	fdtb_prop_str(&b, "bootargs", "console=dtuart");
	fdtb_prop_cells(&b, "linux,initrd-start", initrd_start, 2);
	fdtb_prop_cells(&b, "linux,initrd-end", initrd_end, 2);
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	fdtb_begin(&b, "module@0x49000000");
	fdtb_prop(&b, "compatible", kcompat, sizeof(kcompat));
	fdtb_prop_cells(&b, "reg", mod, 4);
	fdtb_prop(&b, "odd", "abcde", 5);
	fdtb_prop_u32(&b, "after-odd", 0xdeadbeef);
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_end(&b);
	return fdtb_finish(&b, size);
}

/* Write the virt tree into a buffer of its exact size and open it. */
static void open_virt(struct tree *t)
{
	uint8_t scratch[4096];
	int size = write_virt(scratch, sizeof(scratch));

	assert_true(size > 0);
	t->size = (size_t)size;
	t->buf = malloc(t->size);
	assert_non_null(t->buf);
	assert_int_equal(write_virt(t->buf, t->size), size);
	assert_int_equal(fdt_open(&t->fdt, t->buf, t->size), 0);
}

static int path(const struct tree *t, const char *p)
{
	int node = fdt_path_offset(&t->fdt, p);

	assert_true(node >= 0);
	return node;
}

/* The value of property name of node, which must be len bytes long. */
static const uint8_t *prop_val(const struct fdt *fdt, int node,
			       const char *name, uint32_t len)
{
	const void *val;
	uint32_t got;

	assert_int_equal(fdt_getprop(fdt, node, name, &val, &got), 0);
	assert_int_equal(got, len);
	return val;
}

/* Read a big-endian word. */
static uint32_t be32(const uint8_t *p)
{
	return fdtb_get32(p);
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

/* Check that two trees hold the same reservations, nodes and properties. */
static void same_tree(const struct fdt *a, const struct fdt *b)
{
	uint64_t addr_a, size_a, addr_b, size_b;
	unsigned int i;
	int da, db;
	int na = fdt_next_node(a, -1, &da);
	int nb = fdt_next_node(b, -1, &db);

	while (na >= 0 && nb >= 0) {
		assert_int_equal(da, db);
		same_node(a, na, b, nb);
		na = fdt_next_node(a, na, &da);
		nb = fdt_next_node(b, nb, &db);
	}
	assert_int_equal(na, FDT_ERR_NOTFOUND);
	assert_int_equal(nb, FDT_ERR_NOTFOUND);
	for (i = 0; fdt_rsvmap_entry(a, i, &addr_a, &size_a) == 0; i++) {
		assert_int_equal(fdt_rsvmap_entry(b, i, &addr_b, &size_b), 0);
		assert_int_equal(addr_a, addr_b);
		assert_int_equal(size_a, size_b);
	}
	assert_int_equal(fdt_rsvmap_entry(b, i, NULL, NULL), FDT_ERR_NOTFOUND);
}

static void test_minimal(void **state)
{
	uint8_t buf[72];
	struct fdt_writer w;
	struct fdt fdt;

	(void)state;
	assert_int_equal(fdt_write_init(&w, buf, sizeof(buf)), 0);
	assert_int_equal(fdt_write_begin_node(&w, ""), 0);
	assert_int_equal(fdt_write_end_node(&w), 0);
	/* Header, the reservation terminator, the root node and END. */
	assert_int_equal(fdt_write_finish(&w), 40 + 16 + 8 + 4 + 4);
	assert_int_equal(fdt_open(&fdt, buf, sizeof(buf)), 0);
	assert_int_equal(be32(buf), 0xd00dfeedU);
	assert_int_equal(be32(buf + 4), sizeof(buf));
	assert_int_equal(be32(buf + 20), 17);
	assert_int_equal(be32(buf + 24), 16);
	assert_int_equal(be32(buf + 32), 0);
	assert_string_equal(fdt_node_name(&fdt, fdt_root(&fdt)), "");
	assert_int_equal(fdt_first_prop(&fdt, fdt_root(&fdt)),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_first_child(&fdt, fdt_root(&fdt)),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_rsvmap_entry(&fdt, 0, NULL, NULL),
			 FDT_ERR_NOTFOUND);
}

static void test_same_as_reference(void **state)
{
	struct tree t;
	struct fdt ref;
	size_t ref_size;
	uint8_t *ref_blob = build_virt_reference(&ref_size);

	(void)state;
	open_virt(&t);
	assert_int_equal(fdt_open(&ref, ref_blob, ref_size), 0);
	same_tree(&t.fdt, &ref);
	/* The same names in the same order: only the strings can differ. */
	assert_int_equal(t.fdt.size_struct, ref.size_struct);
	assert_true(t.fdt.size_strings <= ref.size_strings);
	free(ref_blob);
	free(t.buf);
}

static void test_read_back(void **state)
{
	struct tree t;
	uint64_t addr, size;
	uint32_t v;
	int node;

	(void)state;
	open_virt(&t);
	node = path(&t, "/cpus/cpu@1");
	assert_int_equal(fdt_getprop_u32(&t.fdt, node, "reg", &v), 0);
	assert_int_equal(v, 1);
	assert_true(fdt_is_compatible(&t.fdt, node, "arm,cortex-a57"));
	node = path(&t, "/memory");
	assert_int_equal(fdt_get_reg(&t.fdt, node, 0, &addr, &size), 0);
	assert_int_equal(addr, 0x40000000);
	assert_int_equal(size, 0x80000000);
	node = path(&t, "/psci");
	assert_string_equal(fdt_prop_string_index(&t.fdt, node, "compatible",
						  2),
			    "arm,psci");
	assert_null(fdt_prop_string_index(&t.fdt, node, "compatible", 3));
	assert_int_equal(fdt_node_by_phandle(&t.fdt, PH_GIC),
			 path(&t, "/intc@8000000"));
	node = path(&t, "/intc");
	prop_val(&t.fdt, node, "interrupt-controller", 0);
	assert_int_equal(fdt_reg_count(&t.fdt, node), 2);
	assert_int_equal(fdt_rsvmap_entry(&t.fdt, 1, &addr, &size), 0);
	assert_int_equal(addr, 0x50000000);
	assert_int_equal(size, 0x200000);
	free(t.buf);
}

static void test_value_encoding(void **state)
{
	static const uint8_t u64[] = {0, 0, 0, 0, 0x48, 0x20, 0, 0};
	struct tree t;
	const uint8_t *p;
	int node;

	(void)state;
	open_virt(&t);
	node = path(&t, "/chosen");
	p = prop_val(&t.fdt, node, "linux,initrd-start", 8);
	assert_memory_equal(p, u64, 8);
	assert_int_equal(fdt_read_cells(p, 2), 0x48200000);
	node = path(&t, "/chosen/module@0x49000000");
	p = prop_val(&t.fdt, node, "compatible", 34);
	assert_memory_equal(p, "multiboot,module\0multiboot,kernel", 34);
	/* A 5-byte value is padded with zeros up to the next property. */
	p = prop_val(&t.fdt, node, "odd", 5);
	assert_memory_equal(p, "abcde\0\0\0", 8);
	p = prop_val(&t.fdt, node, "after-odd", 4);
	assert_int_equal(be32(p), 0xdeadbeef);
	free(t.buf);
}

static void test_cells(void **state)
{
	static const uint32_t cells[] = {0x01020304, 0xa0b0c0d0, 0};
	static const uint8_t want[] = {1,    2,	   3, 4, 0xa0, 0xb0,
				       0xc0, 0xd0, 0, 0, 0,    0};
	uint8_t buf[256];
	struct fdt_writer w;
	struct fdt fdt;
	int size;

	(void)state;
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	fdt_write_prop_cells(&w, "c", cells, 3);
	fdt_write_prop_cells(&w, "none", NULL, 0);
	fdt_write_prop_u64(&w, "u64", 0x0102030405060708ULL);
	fdt_write_end_node(&w);
	size = fdt_write_finish(&w);
	assert_true(size > 0);
	assert_int_equal(fdt_open(&fdt, buf, (size_t)size), 0);
	assert_memory_equal(prop_val(&fdt, fdt_root(&fdt), "c", 12), want, 12);
	prop_val(&fdt, fdt_root(&fdt), "none", 0);
	assert_memory_equal(prop_val(&fdt, fdt_root(&fdt), "u64", 8),
			    "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
}

static void test_string_lists(void **state)
{
	static const char *const three[] = {"a", "bc", ""};
	uint8_t buf[256];
	struct fdt_writer w;
	struct fdt fdt;
	int size;

	(void)state;
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	fdt_write_prop_strings(&w, "three", three, 3);
	fdt_write_prop_strings(&w, "zero", NULL, 0);
	fdt_write_prop_string(&w, "empty", "");
	fdt_write_end_node(&w);
	size = fdt_write_finish(&w);
	assert_true(size > 0);
	assert_int_equal(fdt_open(&fdt, buf, (size_t)size), 0);
	assert_memory_equal(prop_val(&fdt, fdt_root(&fdt), "three", 6),
			    "a\0bc\0", 6);
	prop_val(&fdt, fdt_root(&fdt), "zero", 0);
	assert_memory_equal(prop_val(&fdt, fdt_root(&fdt), "empty", 1), "", 1);
}

static void test_strings_deduplicated(void **state)
{
	static const char *const names[] = {"a@1", "b@2", "c@3"};
	uint8_t buf[512];
	struct fdt_writer w;
	struct fdt fdt;
	unsigned int i;
	uint32_t v;
	int size, node;

	(void)state;
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	for (i = 0; i < 3; i++) {
		fdt_write_begin_node(&w, names[i]);
		fdt_write_prop_u32(&w, "linux,phandle", i + 1);
		/* The tail of "linux,phandle": stored no second time. */
		fdt_write_prop_u32(&w, "phandle", i + 1);
		fdt_write_prop_u32(&w, "reg", i);
		fdt_write_end_node(&w);
	}
	fdt_write_end_node(&w);
	size = fdt_write_finish(&w);
	assert_true(size > 0);
	assert_int_equal(fdt_open(&fdt, buf, (size_t)size), 0);
	assert_int_equal(fdt.size_strings, sizeof("linux,phandle") + 4);
	for (i = 0; i < 3; i++) {
		node = fdt_subnode(&fdt, fdt_root(&fdt), names[i]);
		assert_true(node >= 0);
		assert_int_equal(fdt_getprop_u32(&fdt, node, "phandle", &v), 0);
		assert_int_equal(v, i + 1);
		assert_int_equal(
			fdt_getprop_u32(&fdt, node, "linux,phandle", &v), 0);
		assert_int_equal(v, i + 1);
		assert_int_equal(fdt_node_by_phandle(&fdt, i + 1), node);
	}
}

static void test_prop_after_child(void **state)
{
	uint8_t buf[256];
	struct fdt_writer w;

	(void)state;
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	fdt_write_prop_u32(&w, "a", 1);
	fdt_write_begin_node(&w, "child");
	assert_int_equal(fdt_write_end_node(&w), 0);
	/* The root's properties must all precede its first child. */
	assert_int_equal(fdt_write_prop_u32(&w, "b", 2), FDT_ERR_BADSTRUCTURE);
	/* Sticky: later calls do nothing and report the first error. */
	assert_int_equal(fdt_write_end_node(&w), FDT_ERR_BADSTRUCTURE);
	assert_int_equal(fdt_write_finish(&w), FDT_ERR_BADSTRUCTURE);
}

/* Run steps on a fresh writer and return what fdt_write_finish() gives. */
static int run(void (*steps)(struct fdt_writer *w))
{
	static uint8_t buf[1024];
	struct fdt_writer w;

	fdt_write_init(&w, buf, sizeof(buf));
	steps(&w);
	return fdt_write_finish(&w);
}

static void no_root(struct fdt_writer *w)
{
	(void)w;
}

static void open_root(struct fdt_writer *w)
{
	fdt_write_begin_node(w, "");
	fdt_write_begin_node(w, "child");
	fdt_write_end_node(w);
}

static void extra_end(struct fdt_writer *w)
{
	fdt_write_begin_node(w, "");
	fdt_write_end_node(w);
	fdt_write_end_node(w);
}

static void two_roots(struct fdt_writer *w)
{
	fdt_write_begin_node(w, "");
	fdt_write_end_node(w);
	fdt_write_begin_node(w, "");
	fdt_write_end_node(w);
}

static void prop_outside(struct fdt_writer *w)
{
	fdt_write_prop_u32(w, "a", 1);
	fdt_write_begin_node(w, "");
	fdt_write_end_node(w);
}

static void rsv_late(struct fdt_writer *w)
{
	fdt_write_begin_node(w, "");
	fdt_write_rsv(w, 0x1000, 0x1000);
	fdt_write_end_node(w);
}

static void test_unbalanced(void **state)
{
	(void)state;
	assert_int_equal(run(no_root), FDT_ERR_BADSTRUCTURE);
	assert_int_equal(run(open_root), FDT_ERR_BADSTRUCTURE);
	assert_int_equal(run(extra_end), FDT_ERR_BADSTRUCTURE);
	assert_int_equal(run(two_roots), FDT_ERR_BADSTRUCTURE);
	assert_int_equal(run(prop_outside), FDT_ERR_BADSTRUCTURE);
	assert_int_equal(run(rsv_late), FDT_ERR_BADSTRUCTURE);
}

static void named_root(struct fdt_writer *w)
{
	fdt_write_begin_node(w, "root");
	fdt_write_end_node(w);
}

static void empty_child(struct fdt_writer *w)
{
	fdt_write_begin_node(w, "");
	fdt_write_begin_node(w, "");
	fdt_write_end_node(w);
	fdt_write_end_node(w);
}

static void slash_child(struct fdt_writer *w)
{
	fdt_write_begin_node(w, "");
	fdt_write_begin_node(w, "a/b");
	fdt_write_end_node(w);
	fdt_write_end_node(w);
}

static void null_names(struct fdt_writer *w)
{
	fdt_write_begin_node(w, "");
	fdt_write_prop_u32(w, NULL, 1);
	fdt_write_end_node(w);
}

static void empty_prop_name(struct fdt_writer *w)
{
	fdt_write_begin_node(w, "");
	fdt_write_prop_u32(w, "", 1);
	fdt_write_end_node(w);
}

static void null_value(struct fdt_writer *w)
{
	fdt_write_begin_node(w, "");
	fdt_write_prop(w, "a", NULL, 4);
	fdt_write_end_node(w);
}

static void null_string(struct fdt_writer *w)
{
	static const char *const strs[] = {"a", NULL};

	fdt_write_begin_node(w, "");
	fdt_write_prop_strings(w, "a", strs, 2);
	fdt_write_end_node(w);
}

static void duplicate_prop(struct fdt_writer *w)
{
	fdt_write_begin_node(w, "");
	fdt_write_prop_u32(w, "a", 1);
	fdt_write_prop_u32(w, "b", 1);
	fdt_write_prop_u32(w, "a", 2);
	fdt_write_end_node(w);
}

static void zero_rsv(struct fdt_writer *w)
{
	fdt_write_rsv(w, 0, 0);
	fdt_write_begin_node(w, "");
	fdt_write_end_node(w);
}

static void test_bad_arguments(void **state)
{
	struct fdt_writer w;

	(void)state;
	assert_int_equal(run(named_root), FDT_ERR_BADVALUE);
	assert_int_equal(run(empty_child), FDT_ERR_BADVALUE);
	assert_int_equal(run(slash_child), FDT_ERR_BADVALUE);
	assert_int_equal(run(null_names), FDT_ERR_BADVALUE);
	assert_int_equal(run(empty_prop_name), FDT_ERR_BADVALUE);
	assert_int_equal(run(null_value), FDT_ERR_BADVALUE);
	assert_int_equal(run(null_string), FDT_ERR_BADVALUE);
	assert_int_equal(run(duplicate_prop), FDT_ERR_BADVALUE);
	assert_int_equal(run(zero_rsv), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_write_init(&w, NULL, 100), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_write_begin_node(&w, ""), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_write_finish(&w), FDT_ERR_BADVALUE);
}

/* Same property name in sibling nodes: allowed. */
static void test_same_name_in_siblings(void **state)
{
	uint8_t buf[256];
	struct fdt_writer w;

	(void)state;
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	fdt_write_prop_u32(&w, "a", 0);
	fdt_write_begin_node(&w, "x");
	fdt_write_prop_u32(&w, "a", 1);
	fdt_write_end_node(&w);
	fdt_write_begin_node(&w, "y");
	fdt_write_prop_u32(&w, "a", 2);
	fdt_write_end_node(&w);
	fdt_write_end_node(&w);
	assert_true(fdt_write_finish(&w) > 0);
}

static void test_too_deep(void **state)
{
	uint8_t buf[2048];
	struct fdt_writer w;
	struct fdt fdt;
	unsigned int i;
	int size, node, depth;

	(void)state;
	fdt_write_init(&w, buf, sizeof(buf));
	assert_int_equal(fdt_write_begin_node(&w, ""), 0);
	for (i = 1; i < FDT_MAX_DEPTH; i++) {
		assert_int_equal(fdt_write_begin_node(&w, "n"), 0);
	}
	for (i = 0; i < FDT_MAX_DEPTH; i++) {
		assert_int_equal(fdt_write_end_node(&w), 0);
	}
	size = fdt_write_finish(&w);
	assert_true(size > 0);
	assert_int_equal(fdt_open(&fdt, buf, (size_t)size), 0);
	node = -1;
	for (i = 0; i < FDT_MAX_DEPTH; i++) {
		node = fdt_next_node(&fdt, node, &depth);
	}
	assert_int_equal(depth, FDT_MAX_DEPTH - 1);

	fdt_write_init(&w, buf, sizeof(buf));
	for (i = 0; i < FDT_MAX_DEPTH; i++) {
		fdt_write_begin_node(&w, i == 0 ? "" : "n");
	}
	assert_int_equal(fdt_write_begin_node(&w, "n"), FDT_ERR_TOODEEP);
	assert_int_equal(fdt_write_finish(&w), FDT_ERR_TOODEEP);
}

/* Every buffer smaller than the tree gives -ENOSPC and no overflow. */
static void test_every_short_size(void **state)
{
	uint8_t scratch[4096];
	int full = write_virt(scratch, sizeof(scratch));
	int size;

	(void)state;
	assert_true(full > 0);
	for (size = 0; size < full; size++) {
		uint8_t *buf = malloc(size != 0 ? (size_t)size : 1U);

		assert_non_null(buf);
		assert_int_equal(write_virt(buf, (size_t)size), -ENOSPC);
		free(buf);
	}
}

/* The tree does not depend on the size or alignment of the buffer. */
static void test_buffer_independent(void **state)
{
	static uint8_t big[8192];
	uint8_t scratch[4096];
	int full = write_virt(scratch, sizeof(scratch));
	uint8_t *exact;
	unsigned int shift;

	(void)state;
	assert_true(full > 0);
	exact = malloc((size_t)full);
	assert_non_null(exact);
	assert_int_equal(write_virt(exact, (size_t)full), full);
	assert_memory_equal(exact, scratch, (size_t)full);
	for (shift = 1; shift < 8; shift++) {
		struct fdt fdt;

		assert_int_equal(write_virt(big + shift, sizeof(big) - shift),
				 full);
		assert_memory_equal(big + shift, scratch, (size_t)full);
		assert_int_equal(fdt_open(&fdt, big + shift, (size_t)full), 0);
	}
	free(exact);
}

static void test_calls_after_finish(void **state)
{
	uint8_t buf[128];
	uint8_t copy[128];
	struct fdt_writer w;
	struct fdt fdt;
	int size;

	(void)state;
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	fdt_write_prop_u32(&w, "a", 1);
	fdt_write_end_node(&w);
	size = fdt_write_finish(&w);
	assert_true(size > 0);
	memcpy(copy, buf, sizeof(buf));
	assert_int_equal(fdt_write_prop_u32(&w, "b", 2), FDT_ERR_BADSTRUCTURE);
	assert_int_equal(fdt_write_begin_node(&w, "x"), FDT_ERR_BADSTRUCTURE);
	assert_int_equal(fdt_write_finish(&w), FDT_ERR_BADSTRUCTURE);
	/* The finished tree is left alone. */
	assert_memory_equal(copy, buf, sizeof(buf));
	assert_int_equal(fdt_open(&fdt, buf, (size_t)size), 0);
}

static void test_first_error_kept(void **state)
{
	uint8_t buf[64];
	struct fdt_writer w;

	(void)state;
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	assert_int_equal(fdt_write_prop(&w, "big", buf, 64), -ENOSPC);
	/* A later misuse does not replace the first error. */
	assert_int_equal(fdt_write_begin_node(&w, ""), -ENOSPC);
	assert_int_equal(fdt_write_finish(&w), -ENOSPC);
}

static void test_huge_lengths(void **state)
{
	static const char *const strs[] = {"a", "b"};
	static const uint32_t cells[] = {1, 2};
	uint8_t buf[128];
	struct fdt_writer w;

	(void)state;
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	assert_int_equal(fdt_write_prop(&w, "a", buf, 0xfffffffcU), -ENOSPC);
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	assert_int_equal(fdt_write_prop_cells(&w, "a", cells, 0x40000001U),
			 -ENOSPC);
	fdt_write_init(&w, buf, sizeof(buf));
	fdt_write_begin_node(&w, "");
	assert_int_equal(fdt_write_prop_strings(&w, "a", strs, 2), 0);
	assert_int_equal(fdt_write_end_node(&w), 0);
	assert_true(fdt_write_finish(&w) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_same_as_reference),
		cmocka_unit_test(test_read_back),
		cmocka_unit_test(test_value_encoding),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_string_lists),
		cmocka_unit_test(test_strings_deduplicated),
		cmocka_unit_test(test_prop_after_child),
		cmocka_unit_test(test_unbalanced),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_same_name_in_siblings),
		cmocka_unit_test(test_too_deep),
		cmocka_unit_test(test_every_short_size),
		cmocka_unit_test(test_buffer_independent),
		cmocka_unit_test(test_calls_after_finish),
		cmocka_unit_test(test_first_error_kept),
		cmocka_unit_test(test_huge_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
