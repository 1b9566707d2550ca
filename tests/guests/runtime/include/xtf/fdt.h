/*
 * A minimal flattened device tree reader. Guests trust their device tree:
 * this only checks the header and stays inside the blob.
 *
 * A node is named by the offset of its FDT_BEGIN_NODE token in the
 * structure block; negative values mean "none".
 */
#ifndef XTF_FDT_H
#define XTF_FDT_H

#include <xtf/lib.h>

/* 0 if fdt looks like a version 16/17 device tree blob, else -1. */
int fdt_check(const void *fdt);

/*
 * The node after `node` in document order (pass -1 for the root), updating
 * *depth (root = 0); -1 at the end.
 */
int fdt_next_node(const void *fdt, int node, int *depth);

/* The node's name with its unit address ("cpu@0"); "" for the root. */
const char *fdt_node_name(const void *fdt, int node);

/* A property's value and length (bytes), or NULL. */
const void *fdt_getprop(const void *fdt, int node, const char *name, int *len);

/* Does the node's "compatible" list contain `compat`? */
bool fdt_is_compatible(const void *fdt, int node, const char *compat);

/* The first node after `from` (-1: from the start) compatible with `compat`. */
int fdt_find_compatible(const void *fdt, int from, const char *compat);

/* A child of `parent` whose name (without unit address) is `name`. */
int fdt_find_child(const void *fdt, int parent, const char *name);

/* A u32 property, or `def` when absent. */
uint32_t fdt_getprop_u32(const void *fdt, int node, const char *name,
			 uint32_t def);

/* Read `cells` (1 or 2) big-endian cells at *p and advance it. */
uint64_t fdt_read_cells(const uint32_t **p, unsigned int cells);

static inline uint32_t fdt32_to_cpu(uint32_t v)
{
	return __builtin_bswap32(v);
}

#endif /* XTF_FDT_H */
