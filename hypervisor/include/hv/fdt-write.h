/*
 * A sequential writer for flattened device trees (DTB version 17), the
 * counterpart of the reader in <hv/fdt.h>.
 *
 * Usage: fdt_write_init(), then any fdt_write_rsv(), then the nodes in
 * document order: fdt_write_begin_node(w, "") for the root, the properties
 * of a node before its first child, fdt_write_end_node() to close each
 * node, and finally fdt_write_finish(), which returns the size of the tree.
 *
 * Contract: nothing is ever written outside [buf, buf + size). The first
 * error (no space, a call out of order, a bad argument) is kept: every later
 * call does nothing and returns it, and so does fdt_write_finish(), so a
 * caller may issue a whole sequence and check only the result of
 * fdt_write_finish(). Until it returns a size the buffer holds no valid
 * tree. Errors are -ENOSPC when the buffer is too small, FDT_ERR_BADSTRUCTURE
 * for a call out of order (unbalanced nodes, a property after a child node,
 * a reservation after the first node, a second root), FDT_ERR_TOODEEP past
 * FDT_MAX_DEPTH open nodes and FDT_ERR_BADVALUE for a bad name or value.
 *
 * Layout (as libfdt's sequential writer): header, memory reservation block,
 * structure block growing upwards and strings block growing downwards from
 * the end of the buffer; fdt_write_finish() moves the strings block down to
 * follow the structure block. Property names are stored once in the
 * strings block (a name that is the tail of a stored one shares its bytes).
 * Values are written a byte at a time, so buf needs no alignment.
 */
#ifndef HV_FDT_WRITE_H
#define HV_FDT_WRITE_H

#include <hv/compiler.h>

struct fdt_writer {
	uint8_t *buf;
	uint32_t size; /* usable bytes of buf */
	uint32_t off_struct; /* start of the structure block, 0 before it */
	uint32_t pos; /* end of the reservation or structure block */
	uint32_t str_len; /* bytes of strings at the end of buf */
	uint32_t last_tag; /* last structure token written, 0 for none */
	uint32_t node_props; /* where the open node's properties start */
	unsigned int depth; /* open nodes */
	int err; /* first error, or 0 */
};

/* Start a tree in the size bytes at buf (reserving room for the header). */
int fdt_write_init(struct fdt_writer *w, void *buf, size_t size);

/* Add a memory reservation entry; only before the first node. */
int fdt_write_rsv(struct fdt_writer *w, uint64_t addr, uint64_t size);

/* Open a node: name "" for the root, "name[@unit]" for any other node. */
int fdt_write_begin_node(struct fdt_writer *w, const char *name);

/* Add a property of len bytes at val (val may be NULL when len is 0). */
int fdt_write_prop(struct fdt_writer *w, const char *name, const void *val,
		   uint32_t len);

/* Add a property holding one big-endian cell. */
int fdt_write_prop_u32(struct fdt_writer *w, const char *name, uint32_t val);

/* Add a property holding a big-endian 64-bit value (two cells). */
int fdt_write_prop_u64(struct fdt_writer *w, const char *name, uint64_t val);

/* Store addr and size at cells[n] as two address and two size cells (a
 * parent with #address-cells = #size-cells = 2), in host order for
 * fdt_write_prop_cells(); return the index after them. */
unsigned int fdt_cells_put_range(uint32_t *cells, unsigned int n, uint64_t addr,
				 uint64_t size);

/* Add a property of n cells, given in host order and stored big-endian. */
int fdt_write_prop_cells(struct fdt_writer *w, const char *name,
			 const uint32_t *cells, unsigned int n);

/* Add a property holding one NUL-terminated string. */
int fdt_write_prop_string(struct fdt_writer *w, const char *name,
			  const char *str);

/* Add a string-list property made of the n strings of strs, in order. */
int fdt_write_prop_strings(struct fdt_writer *w, const char *name,
			   const char *const *strs, unsigned int n);

/* Add a property with no value (such as "interrupt-controller"). */
int fdt_write_prop_empty(struct fdt_writer *w, const char *name);

/* Close the innermost open node. */
int fdt_write_end_node(struct fdt_writer *w);

/* Complete the tree: returns its total size or the first error. */
int __must_check fdt_write_finish(struct fdt_writer *w);

/* Open the node name@addr, addr in lower-case hexadecimal. */
void fdt_write_begin_unit_node(struct fdt_writer *w, const char *name,
			       uint64_t addr);

#endif /* HV_FDT_WRITE_H */
