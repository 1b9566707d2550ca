/*
 * A reader for flattened device trees (DTB, version 16 or 17).
 *
 * Contract: the blob is untrusted. Every function checks each offset and
 * length against the sizes validated by fdt_open() and returns a negative
 * FDT_ERR_* code instead of reading outside the blob, and every walk is
 * bounded, so a corrupted tree can never cause a wild read or a hang.
 * Node offsets are byte offsets into the structure block, as in libfdt.
 */
#ifndef HV_FDT_H
#define HV_FDT_H

#include <hv/compiler.h>

enum fdt_err {
	FDT_ERR_NOTFOUND = -1, /* no such node or property */
	FDT_ERR_BADMAGIC = -2, /* not a DTB */
	FDT_ERR_BADVERSION = -3, /* unsupported version */
	FDT_ERR_TRUNCATED = -4, /* a size or offset points past the blob */
	FDT_ERR_BADSTRUCTURE = -5, /* malformed structure block */
	FDT_ERR_BADOFFSET = -6, /* offset given is not a node */
	FDT_ERR_BADVALUE = -7, /* property has the wrong length or form */
	FDT_ERR_BADPATH = -8, /* malformed path */
	FDT_ERR_TOODEEP = -9, /* nesting deeper than FDT_MAX_DEPTH */
};

/* At most this many nodes may be open at once: the deepest node has depth
 * FDT_MAX_DEPTH - 1 (the root has depth 0). */
#define FDT_MAX_DEPTH 32

struct fdt {
	const uint8_t *blob;
	uint32_t totalsize;
	uint32_t off_struct;
	uint32_t size_struct;
	uint32_t off_strings;
	uint32_t size_strings;
	uint32_t off_rsvmap;
	/* Just after the strings block's last NUL (0 if it has none): a
	 * string there starting below it is NUL-terminated in the block. */
	uint32_t strings_nul_end;
};

/*
 * Validate the header of the tree at blob, which the caller knows to have
 * at most max_size readable bytes, and fill in fdt. Checks the magic, the
 * version, that every block lies inside min(totalsize, max_size), that the
 * blocks are aligned, and that the structure block is well formed (balanced
 * BEGIN_NODE/END_NODE, ends with END, names and property headers in
 * bounds). Returns 0 or a negative FDT_ERR_* code.
 */
int fdt_open(struct fdt *fdt, const void *blob, size_t max_size);

/* A short English description of an FDT_ERR_* code. */
const char *fdt_strerror(int err);

/* The size the header claims for a tree at blob, or 0 if the magic is wrong
 * (reads only the first 8 bytes; for callers that must map the tree first). */
uint32_t fdt_header_size(const void *blob);

/* Offset of the root node. */
int fdt_root(const struct fdt *fdt);

/* Name of the node at offset (with unit address, "" for the root), or NULL. */
const char *fdt_node_name(const struct fdt *fdt, int node);

/* First child of node / next sibling of node: an offset or FDT_ERR_NOTFOUND. */
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);

/* Parent of node, or FDT_ERR_NOTFOUND for the root. */
int fdt_parent(const struct fdt *fdt, int node);

/* Depth of node (root = 0) or a negative error. */
int fdt_depth(const struct fdt *fdt, int node);

/*
 * Child of parent named name. A name without '@' also matches a child
 * whose name is name@unit-address (as "memory" matches "memory@40000000").
 */
int fdt_subnode(const struct fdt *fdt, int parent, const char *name);

/* Node at an absolute path ("/", "/chosen", "/soc/uart@1000") or an alias
 * name from /aliases when path does not start with '/'. */
int fdt_path_offset(const struct fdt *fdt, const char *path);

/*
 * Walk every node in document order after node (pass -1 to start at the
 * root, which is returned first). Returns the next offset or
 * FDT_ERR_NOTFOUND at the end. If depth is not NULL it receives the depth.
 */
int fdt_next_node(const struct fdt *fdt, int node, int *depth);

/*
 * The same walk, in linear time for a whole tree: *depth is node's depth
 * from the previous call (set to 0 when node is -1) and becomes the next
 * node's. Returns FDT_ERR_TOODEEP past FDT_MAX_DEPTH levels like the walk
 * above.
 */
int fdt_walk_next(const struct fdt *fdt, int node, int *depth);

/* Next node after start (-1 = from the root) whose compatible list holds
 * compat. */
int fdt_find_compatible(const struct fdt *fdt, int start, const char *compat);

/*
 * Property name of node: on success returns 0, *val points at the value
 * inside the blob and *len is its length. Either out pointer may be NULL.
 */
int fdt_getprop(const struct fdt *fdt, int node, const char *name,
		const void **val, uint32_t *len);

/* First property of node / next property after the property at offset prop:
 * an offset or FDT_ERR_NOTFOUND. */
int fdt_first_prop(const struct fdt *fdt, int node);
int fdt_next_prop(const struct fdt *fdt, int prop);

/*
 * Name, value and length of the property at offset prop (from
 * fdt_first_prop() or fdt_next_prop()). Returns 0 or a negative code; any out
 * pointer may be NULL.
 */
int fdt_prop_at(const struct fdt *fdt, int prop, const char **name,
		const void **val, uint32_t *len);

/* True if node has the property. */
bool fdt_has_prop(const struct fdt *fdt, int node, const char *name);

/* The property as a NUL-terminated string (first string of a list), or NULL
 * if it is missing, empty or not terminated inside the value. */
const char *fdt_getprop_string(const struct fdt *fdt, int node,
			       const char *name);

/* A one-cell (u32) property; 0 on success. */
int fdt_getprop_u32(const struct fdt *fdt, int node, const char *name,
		    uint32_t *out);

/* True if the string list property name of node contains str. */
bool fdt_prop_has_string(const struct fdt *fdt, int node, const char *name,
			 const char *str);

/* True if node's compatible list contains compat. */
bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat);

/* True if node's compatible list holds one of the n strings of list (one
 * lookup of the property for the whole list). */
bool fdt_is_compatible_any(const struct fdt *fdt, int node,
			   const char *const *list, size_t n);

/* The index-th string of a string-list property, or NULL. */
const char *fdt_prop_string_index(const struct fdt *fdt, int node,
				  const char *name, unsigned int index);

/* Read a big-endian number of cells (1 or 2) from p. */
uint64_t fdt_read_cells(const void *p, unsigned int cells);

/* #address-cells and #size-cells that apply to the children of node,
 * inherited from the nearest ancestor that has them as Linux and Xen do
 * (defaults 2 and 1 at the root); values above 2 give FDT_ERR_BADVALUE. */
int fdt_address_cells(const struct fdt *fdt, int node);
int fdt_size_cells(const struct fdt *fdt, int node);

/*
 * The index-th (address, size) pair of node's "reg", decoded with the
 * parent's #address-cells/#size-cells. Returns 0, FDT_ERR_NOTFOUND past the
 * last entry, or another negative code for a malformed property.
 */
int fdt_get_reg(const struct fdt *fdt, int node, unsigned int index,
		uint64_t *addr, uint64_t *size);

/* Number of reg entries of node, or a negative code. */
int fdt_reg_count(const struct fdt *fdt, int node);

/* fdt_get_reg() and fdt_reg_count() for a walk that knows node's parent
 * (what fdt_parent() would find by walking from the root). */
int fdt_get_reg_in(const struct fdt *fdt, int parent, int node,
		   unsigned int index, uint64_t *addr, uint64_t *size);
int fdt_reg_count_in(const struct fdt *fdt, int parent, int node);

/* The phandle of node ("phandle" or "linux,phandle"), or 0 if none. */
uint32_t fdt_node_phandle(const struct fdt *fdt, int node);

/* Node whose "phandle" (or "linux,phandle") equals phandle. */
int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle);

/* The index-th entry of the memory reservation block: 0, or
 * FDT_ERR_NOTFOUND at the terminating entry. */
int fdt_rsvmap_entry(const struct fdt *fdt, unsigned int index, uint64_t *addr,
		     uint64_t *size);

/* The cell layout of a ranges property. */
struct fdt_range_layout {
	uint32_t child; /* child address cells */
	uint32_t parent; /* parent address cells */
	uint32_t size; /* size cells */
};

/* One entry of a ranges property. A child address of more than two cells
 * (PCI) reads as 0. */
struct fdt_range {
	uint64_t child;
	uint64_t parent;
	uint64_t size;
};

/* Most child address cells of a ranges property that can be read. */
#define FDT_RANGE_MAX_CHILD_CELLS 4U

/* The layout of the ranges of bus, whose parent is up; child is the
 * bus's #address-cells (1 to FDT_RANGE_MAX_CHILD_CELLS). */
int fdt_range_layout(const struct fdt *fdt, int bus, int up, uint32_t child,
		     struct fdt_range_layout *rl);

/* Bytes of one entry of a ranges property. */
uint32_t fdt_range_len(const struct fdt_range_layout *rl);

/* Read entry i of the ranges at p (the caller checks the length). */
void fdt_read_range(const uint8_t *p, const struct fdt_range_layout *rl,
		    uint32_t i, struct fdt_range *e);

/*
 * Translate *addr, an address in the space of the children of bus, to a
 * CPU physical address: up through each bus's ranges to the root. A bus
 * without ranges does not translate (-ERANGE), an empty one is 1:1;
 * FDT_ERR_BADVALUE for a malformed ranges, FDT_ERR_TOODEEP past
 * FDT_MAX_DEPTH levels.
 */
int fdt_translate(const struct fdt *fdt, int bus, uint64_t *addr);

#endif /* HV_FDT_H */
