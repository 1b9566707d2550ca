/*
 * Unit tests for the device tree reader (lib/fdt.c).
 *
 * Every blob is built in memory by fdt-builder.h and handed to the reader
 * in a malloc'd buffer of exactly the size passed as max_size, so that
 * AddressSanitizer catches any read past the end. The robustness tests
 * truncate and corrupt a valid tree in every way they can think of, open
 * the result and, if it opens, walk every node and property with every
 * function of the API.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <hv/fdt.h>

#include "fdt-builder.h"

/* Phandles used by the virt-like tree. */
#define PH_CPU0 0x8001U
#define PH_GIC 0x8002U
#define PH_V2M 0x8003U

/* Offset of the structure block in blobs made by fdtb_finish(). */
#define STRUCT_OFF(blob) fdtb_get32((blob) + FDTB_OFF_OFF_STRUCT)

/* A blob together with the reader's view of it. */
struct tree {
	uint8_t *blob;
	size_t size;
	struct fdt fdt;
};

/* Cells of a reg property with 2 address and 2 size cells. */
static void reg2(struct fdtb *b, uint64_t addr, uint64_t size)
{
	uint32_t c[4] = {(uint32_t)(addr >> 32), (uint32_t)addr,
			 (uint32_t)(size >> 32), (uint32_t)size};

	fdtb_prop_cells(b, "reg", c, 4);
}

static void add_cpus(struct fdtb *b)
{
	static const char *const names[] = {"cpu@0", "cpu@1", "cpu@2", "cpu@3"};
	unsigned int i;

	fdtb_begin(b, "cpus");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 0);
	for (i = 0; i < 4; i++) {
		fdtb_begin(b, names[i]);
		fdtb_prop_str(b, "device_type", "cpu");
		fdtb_prop_str(b, "compatible", "arm,cortex-a57");
		fdtb_prop_u32(b, "reg", i);
		fdtb_prop_str(b, "enable-method", "psci");
		if (i == 0) {
			fdtb_prop_u32(b, "phandle", PH_CPU0);
		}
		fdtb_end(b);
	}
	fdtb_end(b);
}

static void add_gic(struct fdtb *b)
{
	static const uint32_t gic_reg[] = {0, 0x8000000, 0, 0x10000,
					   0, 0x8010000, 0, 0x10000};

	fdtb_begin(b, "intc@8000000");
	fdtb_prop_str(b, "compatible", "arm,cortex-a15-gic");
	fdtb_prop(b, "interrupt-controller", NULL, 0);
	fdtb_prop_cells(b, "reg", gic_reg, 8);
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_u32(b, "phandle", PH_GIC);
	fdtb_begin(b, "v2m@8020000");
	fdtb_prop_str(b, "compatible", "arm,gic-v2m-frame");
	reg2(b, 0x8020000, 0x1000);
	fdtb_prop_u32(b, "linux,phandle", PH_V2M);
	fdtb_end(b);
	fdtb_end(b);
}

static void add_chosen(struct fdtb *b)
{
	static const char kcompat[] = "multiboot,module\0multiboot,kernel";
	static const char rcompat[] = "multiboot,module\0multiboot,ramdisk";

	fdtb_begin(b, "chosen");
	fdtb_prop_str(b, "bootargs", "dom0_mem=512M console=dtuart");
	fdtb_prop_str(b, "stdout-path", "/pl011@9000000");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_begin(b, "module@0x49000000");
	fdtb_prop(b, "compatible", kcompat, sizeof(kcompat));
	reg2(b, 0x49000000, 0x800000);
	fdtb_prop_str(b, "bootargs", "console=hvc0 root=/dev/vda");
	fdtb_end(b);
	fdtb_begin(b, "module@0x4a000000");
	fdtb_prop(b, "compatible", rcompat, sizeof(rcompat));
	reg2(b, 0x4a000000, 0x100000);
	fdtb_end(b);
	fdtb_end(b);
}

/*
 * A tree shaped like the one QEMU's virt machine passes, with a few NOP
 * tokens sprinkled in and two memory reservations.
 */
static uint8_t *build_virt(size_t *size)
{
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	struct fdtb b;

	fdtb_init(&b);
	fdtb_rsv(&b, 0x48000000, 0x1000);
	fdtb_rsv(&b, 0x50000000, 0x200000);
	fdtb_nop(&b);
	fdtb_begin(&b, "");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	fdtb_nop(&b);
	fdtb_prop_str(&b, "compatible", "linux,dummy-virt");
	fdtb_prop_str(&b, "model", "linux,dummy-virt");
	fdtb_prop_u32(&b, "interrupt-parent", PH_GIC);
	fdtb_begin(&b, "aliases");
	fdtb_prop_str(&b, "serial0", "/pl011@9000000");
	fdtb_prop_str(&b, "cpu1", "/cpus/cpu@1");
	fdtb_prop_str(&b, "bad", "chosen");
	fdtb_end(&b);
	fdtb_begin(&b, "psci");
	fdtb_prop(&b, "compatible", psci_compat, sizeof(psci_compat));
	fdtb_prop_str(&b, "method", "hvc");
	fdtb_end(&b);
	fdtb_begin(&b, "memory@40000000");
	fdtb_prop_str(&b, "device_type", "memory");
	{
		static const uint32_t mem[] = {0, 0x40000000, 0, 0x80000000,
					       1, 0,	      0, 0x40000000};

		fdtb_prop_cells(&b, "reg", mem, 8);
	}
	fdtb_end(&b);
	fdtb_nop(&b);
	add_cpus(&b);
	add_gic(&b);
	fdtb_begin(&b, "pl011@9000000");
	fdtb_prop(&b, "compatible", "arm,pl011\0arm,primecell", 24);
	reg2(&b, 0x9000000, 0x1000);
	fdtb_end(&b);
	add_chosen(&b);
	fdtb_end(&b);
	fdtb_nop(&b);
	return fdtb_finish(&b, size);
}

/* Copy len bytes of src into a buffer of exactly that size. */
static uint8_t *dup_exact(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len != 0 ? len : 1);

	assert_non_null(p);
	memcpy(p, src, len);
	return p;
}

/* Build the virt tree and open it, which must succeed. */
static void open_virt(struct tree *t)
{
	t->blob = build_virt(&t->size);
	assert_int_equal(fdt_open(&t->fdt, t->blob, t->size), 0);
}

/* Finish a builder and try to open the blob; returns fdt_open's code. */
static int finish_and_open(struct fdtb *b, struct tree *t)
{
	t->blob = fdtb_finish(b, &t->size);
	return fdt_open(&t->fdt, t->blob, t->size);
}

static int path(const struct tree *t, const char *p)
{
	return fdt_path_offset(&t->fdt, p);
}

/* Name of the node at path p. */
static const char *name_at(const struct tree *t, const char *p)
{
	int node = path(t, p);

	assert_true(node >= 0);
	return fdt_node_name(&t->fdt, node);
}

/* ---- Exhaustive walk used by the robustness tests ---- */

/* Sum of bytes read, so that every byte a pointer covers gets loaded. */
static volatile unsigned int sink;

static void touch(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		sink += b[i];
	}
}

/* Upper bound on the number of steps any walk can take. */
static unsigned int step_limit(const struct fdt *fdt)
{
	return fdt->size_struct / 4U + 2U;
}

static void exercise_prop(const struct fdt *fdt, int node, int prop)
{
	const char *name;
	const void *val;
	const void *val2;
	uint32_t len;
	uint32_t len2;
	unsigned int i;

	assert_int_equal(fdt_prop_at(fdt, prop, &name, &val, &len), 0);
	touch(name, strlen(name) + 1);
	touch(val, len);
	assert_int_equal(fdt_getprop(fdt, node, name, &val2, &len2), 0);
	assert_true(fdt_has_prop(fdt, node, name));
	for (i = 0; i < 4; i++) {
		const char *s = fdt_prop_string_index(fdt, node, name, i);

		if (s != NULL) {
			touch(s, strlen(s) + 1);
		}
	}
	(void)fdt_prop_has_string(fdt, node, name, "multiboot,module");
	(void)fdt_getprop_u32(fdt, node, name, &len2);
}

static void exercise_props(const struct fdt *fdt, int node)
{
	unsigned int steps = 0;
	int prop;

	for (prop = fdt_first_prop(fdt, node); prop >= 0;
	     prop = fdt_next_prop(fdt, prop)) {
		assert_true(++steps <= step_limit(fdt));
		exercise_prop(fdt, node, prop);
	}
	assert_int_equal(prop, FDT_ERR_NOTFOUND);
}

static void exercise_reg(const struct fdt *fdt, int node)
{
	uint64_t addr;
	uint64_t size;
	int count = fdt_reg_count(fdt, node);
	int i;

	(void)fdt_address_cells(fdt, node);
	(void)fdt_size_cells(fdt, node);
	for (i = 0; i < count; i++) {
		assert_int_equal(fdt_get_reg(fdt, node, (unsigned int)i, &addr,
					     &size),
				 0);
	}
	if (count >= 0) {
		assert_int_equal(fdt_get_reg(fdt, node, (unsigned int)count,
					     &addr, &size),
				 FDT_ERR_NOTFOUND);
	}
}

/* The children of parent, counted, must include node. */
static void check_child_of(const struct fdt *fdt, int parent, int node)
{
	unsigned int steps = 0;
	int child;

	for (child = fdt_first_child(fdt, parent); child >= 0 && child != node;
	     child = fdt_next_sibling(fdt, child)) {
		assert_true(++steps <= step_limit(fdt));
	}
	assert_int_equal(child, node);
}

static void exercise_node(const struct fdt *fdt, int node, int depth)
{
	const char *name = fdt_node_name(fdt, node);
	const char *s;
	int parent = fdt_parent(fdt, node);

	assert_non_null(name);
	touch(name, strlen(name) + 1);
	assert_int_equal(fdt_depth(fdt, node), depth);
	if (depth == 0) {
		assert_int_equal(parent, FDT_ERR_NOTFOUND);
	} else {
		assert_true(parent >= 0 && parent < node);
		check_child_of(fdt, parent, node);
		if (*name != '\0') {
			assert_true(fdt_subnode(fdt, parent, name) >= 0);
		}
	}
	(void)fdt_first_child(fdt, node);
	(void)fdt_next_sibling(fdt, node);
	exercise_props(fdt, node);
	exercise_reg(fdt, node);
	s = fdt_getprop_string(fdt, node, "compatible");
	if (s != NULL) {
		touch(s, strlen(s) + 1);
	}
	(void)fdt_is_compatible(fdt, node, "arm,pl011");
}

static void exercise_iterators(const struct fdt *fdt)
{
	static const char *const compats[] = {"multiboot,module",
					      "arm,cortex-a57", ""};
	unsigned int i;
	unsigned int steps;
	int node;
	uint64_t a;
	uint64_t s;

	for (i = 0; i < 3; i++) {
		steps = 0;
		for (node = fdt_find_compatible(fdt, -1, compats[i]); node >= 0;
		     node = fdt_find_compatible(fdt, node, compats[i])) {
			assert_true(++steps <= step_limit(fdt));
		}
	}
	for (i = 0; i < 4; i++) {
		(void)fdt_node_by_phandle(fdt, i < 3 ? PH_CPU0 + i : 1U);
	}
	for (i = 0; fdt_rsvmap_entry(fdt, i, &a, &s) == 0; i++) {
		assert_true(i <= fdt->totalsize / 16U);
	}
}

static void exercise_paths(const struct fdt *fdt)
{
	static const char *const paths[] = {
		"/",	   "/chosen",	 "/cpus/cpu@1",	   "/memory",
		"serial0", "cpu1",	 "serial0/x",	   "bad",
		"nosuch",  "//chosen//", "/chosen/module", "/a/b/c/d",
		"aliases", "/aliases/x", "memory",	   "/cpus/cpu",
	};
	unsigned int i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		(void)fdt_path_offset(fdt, paths[i]);
	}
}

/*
 * Walk every node of an opened tree in document order with every function
 * of the API, checking that the answers agree with each other.
 */
static void exercise_tree(const struct fdt *fdt)
{
	unsigned int steps = 0;
	int depth = -1;
	int node;

	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		assert_true(++steps <= step_limit(fdt));
		assert_true(depth >= 0 && depth < FDT_MAX_DEPTH);
		exercise_node(fdt, node, depth);
	}
	assert_int_equal(node, FDT_ERR_NOTFOUND);
	exercise_iterators(fdt);
	exercise_paths(fdt);
}

/*
 * Call every function that takes a node or property offset with every
 * offset around the structure block, valid or not.
 */
static void exercise_offsets(const struct fdt *fdt)
{
	uint64_t a;
	uint64_t s;
	uint32_t v;
	int off;

	for (off = -8; off < (int)fdt->size_struct + 8; off++) {
		const char *name = fdt_node_name(fdt, off);

		if (name != NULL) {
			touch(name, strlen(name) + 1);
		}
		(void)fdt_first_child(fdt, off);
		(void)fdt_next_sibling(fdt, off);
		(void)fdt_parent(fdt, off);
		(void)fdt_depth(fdt, off);
		(void)fdt_next_node(fdt, off, NULL);
		(void)fdt_first_prop(fdt, off);
		(void)fdt_next_prop(fdt, off);
		(void)fdt_prop_at(fdt, off, NULL, NULL, NULL);
		(void)fdt_subnode(fdt, off, "cpu");
		(void)fdt_getprop_u32(fdt, off, "reg", &v);
		(void)fdt_get_reg(fdt, off, 0, &a, &s);
		(void)fdt_is_compatible(fdt, off, "x");
	}
}

/* Open a possibly corrupted blob; if it opens, walk all of it. */
static void open_and_walk(const uint8_t *src, size_t len)
{
	uint8_t *blob = dup_exact(src, len);
	struct fdt fdt;
	int err = fdt_open(&fdt, blob, len);

	if (err == 0) {
		exercise_tree(&fdt);
	} else {
		assert_true(err < 0 && err >= FDT_ERR_TOODEEP);
		assert_null(fdt.blob);
	}
	free(blob);
}

/* ---- Tests of a valid tree ---- */

static void test_open_virt(void **state)
{
	struct tree t;
	const char *name;

	(void)state;
	open_virt(&t);
	assert_int_equal(t.fdt.totalsize, t.size);
	assert_int_equal(fdt_header_size(t.blob), t.size);
	assert_int_equal(fdt_root(&t.fdt), 4); /* after a NOP */
	name = fdt_node_name(&t.fdt, fdt_root(&t.fdt));
	assert_non_null(name);
	assert_string_equal(name, "");
	exercise_tree(&t.fdt);
	exercise_offsets(&t.fdt);
	free(t.blob);
}

static void test_path_lookup(void **state)
{
	struct tree t;

	(void)state;
	open_virt(&t);
	assert_int_equal(path(&t, "/"), fdt_root(&t.fdt));
	assert_string_equal(name_at(&t, "/chosen"), "chosen");
	assert_string_equal(name_at(&t, "/cpus/cpu@2"), "cpu@2");
	assert_string_equal(name_at(&t, "/memory"), "memory@40000000");
	assert_string_equal(name_at(&t, "/memory@40000000"), "memory@40000000");
	assert_string_equal(name_at(&t, "/intc/v2m"), "v2m@8020000");
	assert_string_equal(name_at(&t, "//cpus//cpu@3/"), "cpu@3");
	assert_string_equal(name_at(&t, "/chosen/module@0x4a000000"),
			    "module@0x4a000000");
	assert_int_equal(path(&t, "/nosuch"), FDT_ERR_NOTFOUND);
	assert_int_equal(path(&t, "/cpus/cpu@4"), FDT_ERR_NOTFOUND);
	assert_int_equal(path(&t, "/memory@4"), FDT_ERR_NOTFOUND);
	assert_int_equal(path(&t, "/mem"), FDT_ERR_NOTFOUND);
	assert_int_equal(path(&t, "/chosen/bootargs"), FDT_ERR_NOTFOUND);
	assert_int_equal(path(&t, ""), FDT_ERR_BADPATH);
	assert_int_equal(path(&t, NULL), FDT_ERR_BADPATH);
	free(t.blob);
}

static void test_alias(void **state)
{
	struct tree t;

	(void)state;
	open_virt(&t);
	assert_int_equal(path(&t, "serial0"), path(&t, "/pl011@9000000"));
	assert_int_equal(path(&t, "cpu1"), path(&t, "/cpus/cpu@1"));
	assert_int_equal(path(&t, "serial0/"), path(&t, "/pl011@9000000"));
	assert_int_equal(path(&t, "cpu1/x"), FDT_ERR_NOTFOUND);
	assert_int_equal(path(&t, "serial"), FDT_ERR_NOTFOUND);
	assert_int_equal(path(&t, "nosuch/cpu"), FDT_ERR_NOTFOUND);
	/* An alias must hold an absolute path. */
	assert_int_equal(path(&t, "bad"), FDT_ERR_BADPATH);
	free(t.blob);
}

static void test_alias_without_aliases_node(void **state)
{
	struct fdtb b;
	struct tree t;

	(void)state;
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_begin(&b, "chosen");
	fdtb_end(&b);
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), 0);
	assert_int_equal(path(&t, "serial0"), FDT_ERR_NOTFOUND);
	assert_true(path(&t, "/chosen") > 0);
	free(t.blob);
}

static void test_subnode(void **state)
{
	struct tree t;
	int root;
	int cpus;
	int mem;

	(void)state;
	open_virt(&t);
	root = fdt_root(&t.fdt);
	mem = fdt_subnode(&t.fdt, root, "memory");
	assert_true(mem > 0);
	assert_int_equal(fdt_subnode(&t.fdt, root, "memory@40000000"), mem);
	assert_int_equal(fdt_subnode(&t.fdt, root, "memory@0"),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_subnode(&t.fdt, root, "memor"), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_subnode(&t.fdt, root, "memory@400000001"),
			 FDT_ERR_NOTFOUND);
	cpus = fdt_subnode(&t.fdt, root, "cpus");
	assert_true(cpus > 0);
	/* Without a unit address, the first cpu@N matches. */
	assert_string_equal(fdt_node_name(&t.fdt,
					  fdt_subnode(&t.fdt, cpus, "cpu")),
			    "cpu@0");
	assert_string_equal(fdt_node_name(&t.fdt,
					  fdt_subnode(&t.fdt, cpus, "cpu@3")),
			    "cpu@3");
	/* Grandchildren are not children. */
	assert_int_equal(fdt_subnode(&t.fdt, root, "cpu@0"), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_subnode(&t.fdt, root, ""), FDT_ERR_BADPATH);
	assert_int_equal(fdt_subnode(&t.fdt, root, NULL), FDT_ERR_BADPATH);
	assert_int_equal(fdt_subnode(&t.fdt, cpus + 1, "cpu"),
			 FDT_ERR_BADOFFSET);
	free(t.blob);
}

static void test_children_and_siblings(void **state)
{
	static const char *const expect[] = {"aliases",		"psci",
					     "memory@40000000", "cpus",
					     "intc@8000000",	"pl011@9000000",
					     "chosen"};
	struct tree t;
	unsigned int i = 0;
	int node;

	(void)state;
	open_virt(&t);
	for (node = fdt_first_child(&t.fdt, fdt_root(&t.fdt)); node >= 0;
	     node = fdt_next_sibling(&t.fdt, node)) {
		assert_true(i < 7);
		assert_string_equal(fdt_node_name(&t.fdt, node), expect[i++]);
	}
	assert_int_equal(node, FDT_ERR_NOTFOUND);
	assert_int_equal(i, 7);
	assert_int_equal(fdt_next_sibling(&t.fdt, fdt_root(&t.fdt)),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_first_child(&t.fdt, path(&t, "/psci")),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_next_sibling(&t.fdt, path(&t, "/cpus/cpu@3")),
			 FDT_ERR_NOTFOUND);
	free(t.blob);
}

static void test_parent_and_depth(void **state)
{
	struct tree t;
	int root;
	int node;

	(void)state;
	open_virt(&t);
	root = fdt_root(&t.fdt);
	node = path(&t, "/cpus/cpu@1");
	assert_int_equal(fdt_parent(&t.fdt, node), path(&t, "/cpus"));
	assert_int_equal(fdt_parent(&t.fdt, path(&t, "/cpus")), root);
	assert_int_equal(fdt_parent(&t.fdt, root), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_depth(&t.fdt, root), 0);
	assert_int_equal(fdt_depth(&t.fdt, path(&t, "/chosen")), 1);
	assert_int_equal(fdt_depth(&t.fdt, node), 2);
	assert_int_equal(fdt_depth(&t.fdt, path(&t, "/intc/v2m")), 2);
	/* Offsets that are not nodes. */
	assert_int_equal(fdt_parent(&t.fdt, node + 4), FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_depth(&t.fdt, node + 1), FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_depth(&t.fdt, -2), FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_depth(&t.fdt, 0), FDT_ERR_BADOFFSET); /* NOP */
	assert_int_equal(fdt_depth(&t.fdt, 1 << 30), FDT_ERR_BADOFFSET);
	free(t.blob);
}

static void test_next_node_order(void **state)
{
	static const char *const names[] = {
		"",
		"aliases",
		"psci",
		"memory@40000000",
		"cpus",
		"cpu@0",
		"cpu@1",
		"cpu@2",
		"cpu@3",
		"intc@8000000",
		"v2m@8020000",
		"pl011@9000000",
		"chosen",
		"module@0x49000000",
		"module@0x4a000000",
	};
	static const int depths[] = {0, 1, 1, 1, 1, 2, 2, 2,
				     2, 1, 2, 1, 1, 2, 2};
	struct tree t;
	unsigned int i = 0;
	int depth;
	int node;

	(void)state;
	open_virt(&t);
	for (node = fdt_next_node(&t.fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(&t.fdt, node, &depth)) {
		assert_true(i < 15);
		assert_string_equal(fdt_node_name(&t.fdt, node), names[i]);
		assert_int_equal(depth, depths[i]);
		i++;
	}
	assert_int_equal(node, FDT_ERR_NOTFOUND);
	assert_int_equal(i, 15);
	assert_int_equal(fdt_next_node(&t.fdt, 3, NULL), FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_next_node(&t.fdt, 3, &depth), FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_next_node(&t.fdt, -2, NULL), FDT_ERR_BADOFFSET);
	free(t.blob);
}

static void test_getprop(void **state)
{
	struct tree t;
	const void *val;
	uint32_t len;
	uint32_t v;
	int root;

	(void)state;
	open_virt(&t);
	root = fdt_root(&t.fdt);
	assert_int_equal(fdt_getprop(&t.fdt, root, "model", &val, &len), 0);
	assert_int_equal(len, 17);
	assert_memory_equal(val, "linux,dummy-virt", 17);
	assert_int_equal(fdt_getprop(&t.fdt, root, "model", NULL, NULL), 0);
	assert_int_equal(fdt_getprop(&t.fdt, root, "mode", &val, &len),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_getprop(&t.fdt, root, "models", &val, &len),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_getprop(&t.fdt, root, NULL, &val, &len),
			 FDT_ERR_NOTFOUND);
	/* Properties of children are not the parent's. */
	assert_false(fdt_has_prop(&t.fdt, root, "bootargs"));
	assert_true(fdt_has_prop(&t.fdt, path(&t, "/intc"),
				 "interrupt-controller"));
	assert_int_equal(fdt_getprop(&t.fdt, path(&t, "/intc"),
				     "interrupt-controller", &val, &len),
			 0);
	assert_int_equal(len, 0);
	assert_int_equal(fdt_getprop_u32(&t.fdt, root, "interrupt-parent", &v),
			 0);
	assert_int_equal(v, PH_GIC);
	assert_int_equal(fdt_getprop_u32(&t.fdt, root, "model", &v),
			 FDT_ERR_BADVALUE);
	assert_int_equal(fdt_getprop_u32(&t.fdt, root, "nosuch", &v),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_getprop(&t.fdt, 5, "model", &val, &len),
			 FDT_ERR_BADOFFSET);
	free(t.blob);
}

static void test_prop_iteration(void **state)
{
	static const char *const names[] = {"#address-cells", "#size-cells",
					    "compatible", "model",
					    "interrupt-parent"};
	struct tree t;
	const char *name;
	unsigned int i = 0;
	int prop;

	(void)state;
	open_virt(&t);
	for (prop = fdt_first_prop(&t.fdt, fdt_root(&t.fdt)); prop >= 0;
	     prop = fdt_next_prop(&t.fdt, prop)) {
		assert_true(i < 5);
		assert_int_equal(fdt_prop_at(&t.fdt, prop, &name, NULL, NULL),
				 0);
		assert_string_equal(name, names[i++]);
	}
	assert_int_equal(prop, FDT_ERR_NOTFOUND);
	assert_int_equal(i, 5);
	assert_int_equal(fdt_first_prop(&t.fdt, path(&t, "/cpus/cpu@0") + 4),
			 FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_next_prop(&t.fdt, fdt_root(&t.fdt)),
			 FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_prop_at(&t.fdt, fdt_root(&t.fdt), &name, NULL,
				     NULL),
			 FDT_ERR_BADOFFSET);
	free(t.blob);
}

static void test_string_lists(void **state)
{
	struct tree t;
	int mod;

	(void)state;
	open_virt(&t);
	mod = path(&t, "/chosen/module@0x49000000");
	assert_string_equal(fdt_getprop_string(&t.fdt, mod, "compatible"),
			    "multiboot,module");
	assert_string_equal(fdt_prop_string_index(&t.fdt, mod, "compatible", 1),
			    "multiboot,kernel");
	assert_null(fdt_prop_string_index(&t.fdt, mod, "compatible", 2));
	assert_null(fdt_prop_string_index(&t.fdt, mod, "nosuch", 0));
	assert_true(fdt_prop_has_string(&t.fdt, mod, "compatible",
					"multiboot,kernel"));
	assert_false(
		fdt_prop_has_string(&t.fdt, mod, "compatible", "multiboot"));
	assert_false(fdt_prop_has_string(&t.fdt, mod, "compatible", NULL));
	assert_true(fdt_is_compatible(&t.fdt, mod, "multiboot,module"));
	assert_false(fdt_is_compatible(&t.fdt, mod, "multiboot,ramdisk"));
	assert_string_equal(fdt_getprop_string(&t.fdt, path(&t, "/chosen"),
					       "bootargs"),
			    "dom0_mem=512M console=dtuart");
	assert_string_equal(fdt_getprop_string(&t.fdt, path(&t, "/chosen"),
					       "stdout-path"),
			    "/pl011@9000000");
	/* An empty property is not a string. */
	assert_null(fdt_getprop_string(&t.fdt, path(&t, "/intc"),
				       "interrupt-controller"));
	free(t.blob);
}

static void test_unterminated_strings(void **state)
{
	struct fdtb b;
	struct tree t;
	int node;

	(void)state;
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop(&b, "a", "abc", 3);
	fdtb_prop(&b, "b", "one\0tw", 6);
	fdtb_prop(&b, "c", "\0\0", 2);
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), 0);
	node = fdt_root(&t.fdt);
	assert_null(fdt_getprop_string(&t.fdt, node, "a"));
	assert_false(fdt_prop_has_string(&t.fdt, node, "a", "abc"));
	assert_string_equal(fdt_getprop_string(&t.fdt, node, "b"), "one");
	assert_null(fdt_prop_string_index(&t.fdt, node, "b", 1));
	assert_false(fdt_prop_has_string(&t.fdt, node, "b", "tw"));
	assert_string_equal(fdt_prop_string_index(&t.fdt, node, "c", 1), "");
	assert_null(fdt_prop_string_index(&t.fdt, node, "c", 2));
	assert_true(fdt_prop_has_string(&t.fdt, node, "c", ""));
	free(t.blob);
}

static void test_reg_two_cells(void **state)
{
	struct tree t;
	uint64_t addr;
	uint64_t size;
	int mem;

	(void)state;
	open_virt(&t);
	mem = path(&t, "/memory");
	assert_int_equal(fdt_address_cells(&t.fdt, fdt_root(&t.fdt)), 2);
	assert_int_equal(fdt_size_cells(&t.fdt, fdt_root(&t.fdt)), 2);
	assert_int_equal(fdt_reg_count(&t.fdt, mem), 2);
	assert_int_equal(fdt_get_reg(&t.fdt, mem, 0, &addr, &size), 0);
	assert_int_equal(addr, 0x40000000);
	assert_int_equal(size, 0x80000000);
	assert_int_equal(fdt_get_reg(&t.fdt, mem, 1, &addr, &size), 0);
	assert_int_equal(addr, 0x100000000ULL);
	assert_int_equal(size, 0x40000000);
	assert_int_equal(fdt_get_reg(&t.fdt, mem, 1, NULL, NULL), 0);
	assert_int_equal(fdt_get_reg(&t.fdt, mem, 2, &addr, &size),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(
		fdt_get_reg(&t.fdt, path(&t, "/intc/v2m"), 0, &addr, &size), 0);
	assert_int_equal(addr, 0x8020000);
	assert_int_equal(size, 0x1000);
	assert_int_equal(fdt_get_reg(&t.fdt, path(&t, "/psci"), 0, &addr,
				     &size),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_get_reg(&t.fdt, fdt_root(&t.fdt), 0, &addr, &size),
			 FDT_ERR_NOTFOUND);
	free(t.blob);
}

static void test_reg_one_cell(void **state)
{
	struct tree t;
	uint64_t addr;
	uint64_t size = 99;
	int cpus;
	int cpu;

	(void)state;
	open_virt(&t);
	cpus = path(&t, "/cpus");
	assert_int_equal(fdt_address_cells(&t.fdt, cpus), 1);
	assert_int_equal(fdt_size_cells(&t.fdt, cpus), 0);
	cpu = path(&t, "/cpus/cpu@2");
	assert_int_equal(fdt_reg_count(&t.fdt, cpu), 1);
	assert_int_equal(fdt_get_reg(&t.fdt, cpu, 0, &addr, &size), 0);
	assert_int_equal(addr, 2);
	assert_int_equal(size, 0);
	assert_int_equal(fdt_get_reg(&t.fdt, cpu, 1, &addr, &size),
			 FDT_ERR_NOTFOUND);
	/* Where the cells properties are absent, the nearest ancestor's
	 * apply (here the root's 2 and 2), as Linux and Xen read them. */
	assert_int_equal(fdt_address_cells(&t.fdt, path(&t, "/psci")), 2);
	assert_int_equal(fdt_size_cells(&t.fdt, path(&t, "/psci")), 2);
	free(t.blob);
}

/* A tree whose /bus node has the given cells and whose child has reg. */
static int open_bus_tree(struct tree *t, uint32_t ac, uint32_t sc,
			 const uint32_t *reg, size_t ncells)
{
	struct fdtb b;

	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_begin(&b, "bus");
	fdtb_prop_u32(&b, "#address-cells", ac);
	fdtb_prop_u32(&b, "#size-cells", sc);
	fdtb_begin(&b, "dev@0");
	fdtb_prop_cells(&b, "reg", reg, ncells);
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_end(&b);
	return finish_and_open(&b, t);
}

static void test_reg_bad_cells(void **state)
{
	static const uint32_t reg[] = {1, 2, 3, 4, 5, 6};
	struct tree t;
	uint64_t a;
	uint64_t s;
	int dev;

	(void)state;
	assert_int_equal(open_bus_tree(&t, 3, 1, reg, 4), 0);
	dev = path(&t, "/bus/dev");
	assert_int_equal(fdt_address_cells(&t.fdt, path(&t, "/bus")),
			 FDT_ERR_BADVALUE);
	assert_int_equal(fdt_get_reg(&t.fdt, dev, 0, &a, &s), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_reg_count(&t.fdt, dev), FDT_ERR_BADVALUE);
	free(t.blob);

	assert_int_equal(open_bus_tree(&t, 1, 3, reg, 4), 0);
	assert_int_equal(fdt_size_cells(&t.fdt, path(&t, "/bus")),
			 FDT_ERR_BADVALUE);
	assert_int_equal(fdt_reg_count(&t.fdt, path(&t, "/bus/dev")),
			 FDT_ERR_BADVALUE);
	free(t.blob);

	/* Both counts zero: no entry size at all. */
	assert_int_equal(open_bus_tree(&t, 0, 0, reg, 1), 0);
	assert_int_equal(fdt_reg_count(&t.fdt, path(&t, "/bus/dev")),
			 FDT_ERR_BADVALUE);
	free(t.blob);
}

static void test_reg_bad_length(void **state)
{
	static const uint32_t reg[] = {0, 0x1000, 0, 0x100, 0, 0x2000};
	struct tree t;
	uint64_t a;
	uint64_t s;
	int dev;

	(void)state;
	/* Six cells with 2 + 2 cells per entry: one and a half entries. */
	assert_int_equal(open_bus_tree(&t, 2, 2, reg, 6), 0);
	dev = path(&t, "/bus/dev");
	assert_int_equal(fdt_reg_count(&t.fdt, dev), FDT_ERR_BADVALUE);
	assert_int_equal(fdt_get_reg(&t.fdt, dev, 0, &a, &s), FDT_ERR_BADVALUE);
	free(t.blob);

	/* The same six cells with 2 + 1 cells: two entries. */
	assert_int_equal(open_bus_tree(&t, 2, 1, reg, 6), 0);
	dev = path(&t, "/bus/dev");
	assert_int_equal(fdt_reg_count(&t.fdt, dev), 2);
	assert_int_equal(fdt_get_reg(&t.fdt, dev, 1, &a, &s), 0);
	assert_int_equal(a, 0x10000000000ULL);
	assert_int_equal(s, 0x2000);
	free(t.blob);

	/* One address cell and one size cell. */
	assert_int_equal(open_bus_tree(&t, 1, 1, reg, 6), 0);
	dev = path(&t, "/bus/dev");
	assert_int_equal(fdt_reg_count(&t.fdt, dev), 3);
	assert_int_equal(fdt_get_reg(&t.fdt, dev, 2, &a, &s), 0);
	assert_int_equal(a, 0);
	assert_int_equal(s, 0x2000);
	free(t.blob);
}

static void test_cells_bad_length(void **state)
{
	struct fdtb b;
	struct tree t;

	(void)state;
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop(&b, "#address-cells", "\0\0", 2);
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), 0);
	assert_int_equal(fdt_address_cells(&t.fdt, fdt_root(&t.fdt)),
			 FDT_ERR_BADVALUE);
	free(t.blob);
}

static void test_read_cells(void **state)
{
	static const uint8_t buf[9] = {0x12, 0x34, 0x56, 0x78, 0x9a,
				       0xbc, 0xde, 0xf0, 0x11};

	(void)state;
	assert_int_equal(fdt_read_cells(buf, 1), 0x12345678);
	assert_int_equal(fdt_read_cells(buf, 2), 0x123456789abcdef0ULL);
	/* Unaligned sources are fine: the reads are byte loads. */
	assert_int_equal(fdt_read_cells(buf + 1, 2), 0x3456789abcdef011ULL);
	assert_int_equal(fdt_read_cells(buf, 0), 0);
	assert_int_equal(fdt_read_cells(buf, 3), 0);
	assert_int_equal(fdt_read_cells(NULL, 1), 0);
}

static void test_phandle(void **state)
{
	struct tree t;

	(void)state;
	open_virt(&t);
	assert_int_equal(fdt_node_by_phandle(&t.fdt, PH_CPU0),
			 path(&t, "/cpus/cpu@0"));
	assert_int_equal(fdt_node_by_phandle(&t.fdt, PH_GIC),
			 path(&t, "/intc@8000000"));
	/* The older linux,phandle name works too. */
	assert_int_equal(fdt_node_by_phandle(&t.fdt, PH_V2M),
			 path(&t, "/intc/v2m"));
	assert_int_equal(fdt_node_by_phandle(&t.fdt, 0x1234), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_node_by_phandle(&t.fdt, 0), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_node_by_phandle(&t.fdt, 0xffffffffU),
			 FDT_ERR_NOTFOUND);
	free(t.blob);
}

static void test_find_compatible(void **state)
{
	struct tree t;
	unsigned int n = 0;
	int node;

	(void)state;
	open_virt(&t);
	node = fdt_find_compatible(&t.fdt, -1, "multiboot,module");
	assert_int_equal(node, path(&t, "/chosen/module@0x49000000"));
	node = fdt_find_compatible(&t.fdt, node, "multiboot,module");
	assert_int_equal(node, path(&t, "/chosen/module@0x4a000000"));
	assert_int_equal(fdt_find_compatible(&t.fdt, node, "multiboot,module"),
			 FDT_ERR_NOTFOUND);
	for (node = fdt_find_compatible(&t.fdt, -1, "arm,cortex-a57");
	     node >= 0;
	     node = fdt_find_compatible(&t.fdt, node, "arm,cortex-a57")) {
		n++;
	}
	assert_int_equal(node, FDT_ERR_NOTFOUND);
	assert_int_equal(n, 4);
	assert_int_equal(fdt_find_compatible(&t.fdt, -1, "linux,dummy-virt"),
			 fdt_root(&t.fdt));
	assert_int_equal(fdt_find_compatible(&t.fdt, -1, "arm,psci-0.2"),
			 path(&t, "/psci"));
	assert_int_equal(fdt_find_compatible(&t.fdt, -1, "nosuch"),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_find_compatible(&t.fdt, 2, "nosuch"),
			 FDT_ERR_BADOFFSET);
	free(t.blob);
}

static void test_rsvmap(void **state)
{
	struct tree t;
	uint64_t addr;
	uint64_t size;

	(void)state;
	open_virt(&t);
	assert_int_equal(fdt_rsvmap_entry(&t.fdt, 0, &addr, &size), 0);
	assert_int_equal(addr, 0x48000000);
	assert_int_equal(size, 0x1000);
	assert_int_equal(fdt_rsvmap_entry(&t.fdt, 1, &addr, &size), 0);
	assert_int_equal(addr, 0x50000000);
	assert_int_equal(size, 0x200000);
	assert_int_equal(fdt_rsvmap_entry(&t.fdt, 1, NULL, NULL), 0);
	assert_int_equal(fdt_rsvmap_entry(&t.fdt, 2, &addr, &size),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_rsvmap_entry(&t.fdt, 3, &addr, &size),
			 FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_rsvmap_entry(&t.fdt, ~0U, &addr, &size),
			 FDT_ERR_NOTFOUND);
	free(t.blob);
}

static void test_strerror(void **state)
{
	int err;

	(void)state;
	for (err = 0; err >= FDT_ERR_TOODEEP; err--) {
		assert_non_null(fdt_strerror(err));
		if (err < 0) {
			assert_string_not_equal(fdt_strerror(err),
						fdt_strerror(err + 1));
		}
	}
	assert_string_equal(fdt_strerror(-100), fdt_strerror(1));
}

static void test_header_size(void **state)
{
	struct tree t;

	(void)state;
	t.blob = build_virt(&t.size);
	assert_int_equal(fdt_header_size(t.blob), t.size);
	t.blob[0] ^= 1;
	assert_int_equal(fdt_header_size(t.blob), 0);
	assert_int_equal(fdt_header_size(NULL), 0);
	free(t.blob);
}

/* A tree that was never opened must give errors, not crash. */
static void test_unopened(void **state)
{
	struct fdt z;
	uint64_t a;
	uint64_t s;

	(void)state;
	memset(&z, 0, sizeof(z));
	assert_true(fdt_root(&z) < 0);
	assert_null(fdt_node_name(&z, 0));
	assert_true(fdt_next_node(&z, -1, NULL) < 0);
	assert_true(fdt_path_offset(&z, "/chosen") < 0);
	assert_true(fdt_path_offset(&z, "serial0") < 0);
	assert_true(fdt_find_compatible(&z, -1, "x") < 0);
	assert_true(fdt_node_by_phandle(&z, 1) < 0);
	assert_true(fdt_rsvmap_entry(&z, 0, &a, &s) < 0);
	assert_true(fdt_parent(&z, 0) < 0);
	exercise_offsets(&z);
}

static void test_nops_everywhere(void **state)
{
	struct fdtb b;
	struct tree t;
	int node;

	(void)state;
	fdtb_init(&b);
	fdtb_nop(&b);
	fdtb_nop(&b);
	fdtb_begin(&b, "");
	fdtb_nop(&b);
	fdtb_prop_u32(&b, "a", 1);
	fdtb_nop(&b);
	fdtb_prop_u32(&b, "b", 2);
	fdtb_nop(&b);
	fdtb_begin(&b, "x");
	fdtb_nop(&b);
	fdtb_end(&b);
	fdtb_nop(&b);
	fdtb_begin(&b, "y");
	fdtb_end(&b);
	fdtb_nop(&b);
	fdtb_end(&b);
	fdtb_nop(&b);
	assert_int_equal(finish_and_open(&b, &t), 0);
	assert_int_equal(fdt_root(&t.fdt), 8);
	node = fdt_root(&t.fdt);
	assert_true(fdt_has_prop(&t.fdt, node, "b"));
	assert_string_equal(name_at(&t, "/y"), "y");
	assert_int_equal(fdt_next_sibling(&t.fdt, path(&t, "/x")),
			 path(&t, "/y"));
	assert_int_equal(fdt_first_prop(&t.fdt, path(&t, "/x")),
			 FDT_ERR_NOTFOUND);
	exercise_tree(&t.fdt);
	free(t.blob);
}

static void test_version_16(void **state)
{
	struct tree t;

	(void)state;
	t.blob = build_virt(&t.size);
	fdtb_put32(t.blob + FDTB_OFF_VERSION, 16);
	/* Version 16 has no size_dt_struct: a wrong value there is ignored. */
	fdtb_put32(t.blob + FDTB_OFF_SIZE_STRUCT, 0xffffff);
	assert_int_equal(fdt_open(&t.fdt, t.blob, t.size), 0);
	assert_string_equal(name_at(&t, "/chosen"), "chosen");
	exercise_tree(&t.fdt);
	free(t.blob);
}

/* ---- Malformed headers ---- */

static void expect_open(const uint8_t *src, size_t len, int err)
{
	uint8_t *blob = dup_exact(src, len);
	struct fdt fdt;

	assert_int_equal(fdt_open(&fdt, blob, len), err);
	free(blob);
}

/* Build the virt tree, patch one header word and expect err from open. */
static void expect_header_patch(uint32_t field, uint32_t val, int err)
{
	size_t size;
	uint8_t *blob = build_virt(&size);

	fdtb_put32(blob + field, val);
	expect_open(blob, size, err);
	free(blob);
}

static void test_bad_magic(void **state)
{
	(void)state;
	expect_header_patch(0, 0xedfe0dd0U, FDT_ERR_BADMAGIC);
	expect_header_patch(0, 0, FDT_ERR_BADMAGIC);
	assert_int_equal(fdt_open(&(struct fdt){0}, NULL, 100),
			 FDT_ERR_BADMAGIC);
}

static void test_bad_version(void **state)
{
	(void)state;
	expect_header_patch(FDTB_OFF_VERSION, 15, FDT_ERR_BADVERSION);
	expect_header_patch(FDTB_OFF_VERSION, 1, FDT_ERR_BADVERSION);
	expect_header_patch(FDTB_OFF_LAST_COMP, 18, FDT_ERR_BADVERSION);
	/* A later version still readable as 17 is fine. */
	expect_header_patch(FDTB_OFF_VERSION, 18, 0);
}

static void test_totalsize_too_large(void **state)
{
	struct tree t;

	(void)state;
	t.blob = build_virt(&t.size);
	expect_open(t.blob, t.size - 1, FDT_ERR_TRUNCATED);
	fdtb_put32(t.blob + FDTB_OFF_TOTALSIZE, (uint32_t)t.size + 1);
	expect_open(t.blob, t.size, FDT_ERR_TRUNCATED);
	fdtb_put32(t.blob + FDTB_OFF_TOTALSIZE, 0xffffffffU);
	expect_open(t.blob, t.size, FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_open(&t.fdt, t.blob, SIZE_MAX), FDT_ERR_TRUNCATED);
	fdtb_put32(t.blob + FDTB_OFF_TOTALSIZE, 20);
	expect_open(t.blob, t.size, FDT_ERR_TRUNCATED);
	/* Long enough for a version 16 header but not for a version 17 one. */
	fdtb_put32(t.blob + FDTB_OFF_TOTALSIZE, 38);
	expect_open(t.blob, t.size, FDT_ERR_TRUNCATED);
	free(t.blob);
}

static void test_bad_block_offsets(void **state)
{
	size_t size;
	uint8_t *blob = build_virt(&size);
	uint32_t off_struct = STRUCT_OFF(blob);
	uint32_t total = (uint32_t)size;

	(void)state;
	free(blob);
	expect_header_patch(FDTB_OFF_OFF_STRUCT, off_struct + 2,
			    FDT_ERR_BADSTRUCTURE);
	expect_header_patch(FDTB_OFF_OFF_STRUCT, 0, FDT_ERR_BADSTRUCTURE);
	expect_header_patch(FDTB_OFF_OFF_STRUCT, (total + 3) & ~3U,
			    FDT_ERR_TRUNCATED);
	expect_header_patch(FDTB_OFF_OFF_STRUCT, 0xfffffffcU,
			    FDT_ERR_TRUNCATED);
	expect_header_patch(FDTB_OFF_SIZE_STRUCT, total, FDT_ERR_TRUNCATED);
	expect_header_patch(FDTB_OFF_SIZE_STRUCT, 0xffffffffU,
			    FDT_ERR_TRUNCATED);
	expect_header_patch(FDTB_OFF_SIZE_STRUCT, 0, FDT_ERR_BADSTRUCTURE);
	expect_header_patch(FDTB_OFF_OFF_STRINGS, total, FDT_ERR_TRUNCATED);
	expect_header_patch(FDTB_OFF_OFF_STRINGS, 8, FDT_ERR_BADSTRUCTURE);
	expect_header_patch(FDTB_OFF_SIZE_STRINGS, 0xfffffff0U,
			    FDT_ERR_TRUNCATED);
	expect_header_patch(FDTB_OFF_OFF_RSVMAP, 44, FDT_ERR_BADSTRUCTURE);
	expect_header_patch(FDTB_OFF_OFF_RSVMAP, 32, FDT_ERR_BADSTRUCTURE);
	expect_header_patch(FDTB_OFF_OFF_RSVMAP, (total + 15) & ~7U,
			    FDT_ERR_TRUNCATED);
}

static void test_rsvmap_unterminated(void **state)
{
	struct fdtb b;
	struct tree t;

	(void)state;
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_end(&b);
	t.blob = fdtb_finish(&b, &t.size);
	/* Point the reservation map at the last 8 bytes: no room for (0,0). */
	fdtb_put32(t.blob + FDTB_OFF_OFF_RSVMAP,
		   (uint32_t)((t.size - 8) & ~(size_t)7));
	expect_open(t.blob, t.size, FDT_ERR_TRUNCATED);
	free(t.blob);
}

/* ---- Malformed structure blocks ---- */

static void test_nameoff_outside_strings(void **state)
{
	struct fdtb b;
	struct tree t;

	(void)state;
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_u32(&b, "ok", 1);
	fdtb_prop_raw(&b, 3, 4, "abcd", 4); /* "ok\0" is 3 bytes long */
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_TRUNCATED);
	free(t.blob);

	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_raw(&b, 0xfffffff0U, 0, NULL, 0);
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_TRUNCATED);
	free(t.blob);
}

static void test_prop_name_unterminated(void **state)
{
	struct fdtb b;
	struct tree t;

	(void)state;
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_u32(&b, "ok", 1);
	fdtb_end(&b);
	t.blob = fdtb_finish(&b, &t.size);
	/* Overwrite the NUL that ends "ok", the last byte of the blob. */
	t.blob[t.size - 1] = 'x';
	expect_open(t.blob, t.size, FDT_ERR_BADSTRUCTURE);
	free(t.blob);
}

static void test_prop_len_past_end(void **state)
{
	struct fdtb b;
	struct tree t;

	(void)state;
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_raw(&b, fdtb_string(&b, "p"), 4000, "abcd", 4);
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_TRUNCATED);
	free(t.blob);

	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_raw(&b, fdtb_string(&b, "p"), 0xfffffffdU, "abcd", 4);
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_TRUNCATED);
	free(t.blob);

	/* One byte more than the rest of the block. */
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_raw(&b, fdtb_string(&b, "p"), 13, "abcd", 4);
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_TRUNCATED);
	free(t.blob);

	/* The value swallows exactly the END_NODE and END tokens. */
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_raw(&b, fdtb_string(&b, "p"), 12, "abcd", 4);
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_BADSTRUCTURE);
	free(t.blob);
}

static void test_node_name_unterminated(void **state)
{
	struct fdtb b;
	struct tree t;

	(void)state;
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_u32(&b, FDTB_BEGIN_NODE);
	fdtb_bytes(&b, "abcd", 4);
	b.omit_end = true;
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_BADSTRUCTURE);
	free(t.blob);
}

static void test_unbalanced(void **state)
{
	struct fdtb b;
	struct tree t;

	(void)state;
	/* An extra END_NODE. */
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_begin(&b, "a");
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_BADSTRUCTURE);
	free(t.blob);

	/* A missing END_NODE. */
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_begin(&b, "a");
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_BADSTRUCTURE);
	free(t.blob);

	/* END_NODE before any node. */
	fdtb_init(&b);
	fdtb_end(&b);
	fdtb_begin(&b, "");
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_BADSTRUCTURE);
	free(t.blob);
}

static void test_missing_end(void **state)
{
	struct fdtb b;
	struct tree t;

	(void)state;
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_end(&b);
	b.omit_end = true;
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_BADSTRUCTURE);
	free(t.blob);

	/* No tree at all: only END. */
	fdtb_init(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_BADSTRUCTURE);
	free(t.blob);

	/* Nothing at all. */
	fdtb_init(&b);
	b.omit_end = true;
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_BADSTRUCTURE);
	free(t.blob);
}

static void test_bad_token_order(void **state)
{
	struct fdtb b;
	struct tree t;

	(void)state;
	/* Unknown token. */
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_u32(&b, 5);
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_BADSTRUCTURE);
	free(t.blob);

	/* A second root. */
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_end(&b);
	fdtb_begin(&b, "");
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_BADSTRUCTURE);
	free(t.blob);

	/* A property outside every node. */
	fdtb_init(&b);
	fdtb_prop_u32(&b, "p", 1);
	fdtb_begin(&b, "");
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_BADSTRUCTURE);
	free(t.blob);

	/* A property after a child node. */
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_begin(&b, "a");
	fdtb_end(&b);
	fdtb_prop_u32(&b, "p", 1);
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_BADSTRUCTURE);
	free(t.blob);

	/* END inside a node. */
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_u32(&b, FDTB_END);
	fdtb_end(&b);
	assert_int_equal(finish_and_open(&b, &t), FDT_ERR_BADSTRUCTURE);
	free(t.blob);
}

/* A chain of n nested nodes named "n". */
static int open_nested(struct tree *t, unsigned int n)
{
	struct fdtb b;
	unsigned int i;

	fdtb_init(&b);
	for (i = 0; i < n; i++) {
		fdtb_begin(&b, i == 0 ? "" : "n");
	}
	for (i = 0; i < n; i++) {
		fdtb_end(&b);
	}
	return finish_and_open(&b, t);
}

static void test_too_deep(void **state)
{
	struct tree t;
	int depth;
	int node;
	int last = -1;

	(void)state;
	assert_int_equal(open_nested(&t, FDT_MAX_DEPTH + 1), FDT_ERR_TOODEEP);
	free(t.blob);
	assert_int_equal(open_nested(&t, 1000), FDT_ERR_TOODEEP);
	free(t.blob);

	/* The deepest tree allowed works everywhere. */
	assert_int_equal(open_nested(&t, FDT_MAX_DEPTH), 0);
	for (node = fdt_next_node(&t.fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(&t.fdt, node, &depth)) {
		last = node;
	}
	assert_int_equal(fdt_depth(&t.fdt, last), FDT_MAX_DEPTH - 1);
	assert_int_equal(fdt_parent(&t.fdt, last), last - 8);
	assert_int_equal(fdt_next_sibling(&t.fdt, fdt_root(&t.fdt)),
			 FDT_ERR_NOTFOUND);
	exercise_tree(&t.fdt);
	free(t.blob);
}

/* ---- Truncation and corruption ---- */

static void test_truncated(void **state)
{
	size_t size;
	size_t len;
	uint8_t *blob;

	(void)state;
	blob = build_virt(&size);
	for (len = 0; len < size; len++) {
		expect_open(blob, len, FDT_ERR_TRUNCATED);
	}
	free(blob);
}

/*
 * Truncate the blob and fix up the header sizes to fit, so that fdt_open()
 * meets a structure or strings block cut short rather than a total size
 * that is too big.
 */
static void test_truncated_consistent(void **state)
{
	size_t size;
	size_t len;
	uint8_t *blob;

	(void)state;
	blob = build_virt(&size);
	for (len = FDTB_HDR_LEN; len < size; len++) {
		uint8_t *copy = dup_exact(blob, len);
		uint32_t off_st = STRUCT_OFF(copy);
		uint32_t off_str = fdtb_get32(copy + FDTB_OFF_OFF_STRINGS);
		uint32_t l = (uint32_t)len;

		fdtb_put32(copy + FDTB_OFF_TOTALSIZE, l);
		if (off_str > l) {
			fdtb_put32(copy + FDTB_OFF_OFF_STRINGS, l);
		}
		fdtb_put32(copy + FDTB_OFF_SIZE_STRINGS,
			   off_str < l ? l - off_str : 0);
		fdtb_put32(copy + FDTB_OFF_SIZE_STRUCT,
			   off_st < l ? (MIN(l, off_str) - off_st) : 0);
		open_and_walk(copy, len);
		free(copy);
	}
	free(blob);
}

static void test_byte_flips(void **state)
{
	static const uint8_t xors[] = {0x01, 0x02, 0x04, 0x08, 0x10,
				       0x20, 0x40, 0x80, 0xff};
	size_t size;
	size_t i;
	unsigned int k;
	uint8_t *blob;

	(void)state;
	blob = build_virt(&size);
	for (i = 0; i < size; i++) {
		for (k = 0; k < sizeof(xors); k++) {
			blob[i] ^= xors[k];
			open_and_walk(blob, size);
			blob[i] ^= xors[k];
		}
	}
	free(blob);
}

/* Replace each aligned word with each token value and a few others. */
static void test_word_replacement(void **state)
{
	static const uint32_t words[] = {
		0, 1, 2, 3, 4, 9, 0xffffffffU, 0x80000000U, 0x7ffffffcU};
	size_t size;
	size_t i;
	unsigned int k;
	uint8_t *blob;
	uint8_t saved[4];

	(void)state;
	blob = build_virt(&size);
	for (i = 0; i + 4 <= size; i += 4) {
		memcpy(saved, blob + i, 4);
		for (k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
			fdtb_put32(blob + i, words[k]);
			open_and_walk(blob, size);
		}
		memcpy(blob + i, saved, 4);
	}
	free(blob);
}

/* A small fixed-seed generator, so that failures can be replayed. */
static uint32_t rng_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void test_random_corruption(void **state)
{
	uint32_t seed = 0x2545f491U;
	size_t size;
	unsigned int iter;
	unsigned int n;
	uint8_t *blob;
	uint8_t *copy;

	(void)state;
	blob = build_virt(&size);
	for (iter = 0; iter < 20000; iter++) {
		copy = dup_exact(blob, size);
		for (n = 1 + rng_next(&seed) % 8; n > 0; n--) {
			size_t pos = FDTB_HDR_LEN +
				     rng_next(&seed) % (size - FDTB_HDR_LEN);

			copy[pos] = (uint8_t)rng_next(&seed);
		}
		open_and_walk(copy, size);
		if (iter % 64 == 0) {
			struct fdt fdt;

			if (fdt_open(&fdt, copy, size) == 0) {
				exercise_offsets(&fdt);
			}
		}
		free(copy);
	}
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_virt),
		cmocka_unit_test(test_path_lookup),
		cmocka_unit_test(test_alias),
		cmocka_unit_test(test_alias_without_aliases_node),
		cmocka_unit_test(test_subnode),
		cmocka_unit_test(test_children_and_siblings),
		cmocka_unit_test(test_parent_and_depth),
		cmocka_unit_test(test_next_node_order),
		cmocka_unit_test(test_getprop),
		cmocka_unit_test(test_prop_iteration),
		cmocka_unit_test(test_string_lists),
		cmocka_unit_test(test_unterminated_strings),
		cmocka_unit_test(test_reg_two_cells),
		cmocka_unit_test(test_reg_one_cell),
		cmocka_unit_test(test_reg_bad_cells),
		cmocka_unit_test(test_reg_bad_length),
		cmocka_unit_test(test_cells_bad_length),
		cmocka_unit_test(test_read_cells),
		cmocka_unit_test(test_phandle),
		cmocka_unit_test(test_find_compatible),
		cmocka_unit_test(test_rsvmap),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_header_size),
		cmocka_unit_test(test_unopened),
		cmocka_unit_test(test_nops_everywhere),
		cmocka_unit_test(test_version_16),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_version),
		cmocka_unit_test(test_totalsize_too_large),
		cmocka_unit_test(test_bad_block_offsets),
		cmocka_unit_test(test_rsvmap_unterminated),
		cmocka_unit_test(test_nameoff_outside_strings),
		cmocka_unit_test(test_prop_name_unterminated),
		cmocka_unit_test(test_prop_len_past_end),
		cmocka_unit_test(test_node_name_unterminated),
		cmocka_unit_test(test_unbalanced),
		cmocka_unit_test(test_missing_end),
		cmocka_unit_test(test_bad_token_order),
		cmocka_unit_test(test_too_deep),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_truncated_consistent),
		cmocka_unit_test(test_byte_flips),
		cmocka_unit_test(test_word_replacement),
		cmocka_unit_test(test_random_corruption),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
