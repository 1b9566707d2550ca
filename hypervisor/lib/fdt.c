/*
 * A reader for flattened device trees (DTB).
 *
 * The blob is untrusted. fdt_open() checks the header and walks the whole
 * structure block once, but every function below still checks each offset
 * and length it uses, so that a caller passing a bad offset (or a tree that
 * was never opened) gets an error instead of a wild read. Every loop moves
 * an offset strictly forward inside a bounded block, so every walk ends.
 * Big-endian values are read a byte at a time, so no load is unaligned.
 */
#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/string.h>

#define FDT_MAGIC 0xd00dfeedU

/* Structure block tokens. */
#define FDT_BEGIN_NODE 1U
#define FDT_END_NODE 2U
#define FDT_PROP 3U
#define FDT_NOP 4U
#define FDT_END 9U

/* Byte offsets of the header fields. */
#define HDR_MAGIC 0U
#define HDR_TOTALSIZE 4U
#define HDR_OFF_STRUCT 8U
#define HDR_OFF_STRINGS 12U
#define HDR_OFF_RSVMAP 16U
#define HDR_VERSION 20U
#define HDR_LAST_COMP 24U
#define HDR_SIZE_STRINGS 32U
#define HDR_SIZE_STRUCT 36U

/* Header lengths of version 16 and of version 17 and later. */
#define HDR_LEN_V16 36U
#define HDR_LEN_V17 40U

#define FDT_MIN_VERSION 16U
#define FDT_MAX_COMP_VERSION 17U

/* Largest total size accepted, so that every offset fits an int. */
#define FDT_MAX_TOTALSIZE 0x7ffffff0U

/* Length of a reservation entry and of a property header (tag, len, name). */
#define RSV_ENTRY_LEN 16U
#define PROP_HDR_LEN 12U

#define TOKEN_LEN 4U
#define CELL_LEN 4U

/* Phandle values that never name a node. */
#define PHANDLE_INVALID 0xffffffffU

/* State of the one-time structure check done by fdt_open(). */
struct fdt_check {
	unsigned int depth;
	uint32_t last;
	bool seen_root;
};

/* Read the big-endian 32-bit value at p. */
static uint32_t load_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

/* Read the big-endian 64-bit value at p. */
static uint64_t load_be64(const uint8_t *p)
{
	return ((uint64_t)load_be32(p) << 32) | load_be32(p + 4);
}

/* Pointer to byte pos of the structure block. */
static const uint8_t *struct_ptr(const struct fdt *fdt, uint32_t pos)
{
	return fdt->blob + fdt->off_struct + pos;
}

/* Pointer to byte pos of the strings block. */
static const char *strings_ptr(const struct fdt *fdt, uint32_t pos)
{
	return (const char *)(fdt->blob + fdt->off_strings + pos);
}

uint32_t fdt_header_size(const void *blob)
{
	const uint8_t *b = blob;

	if (b == NULL || load_be32(b + HDR_MAGIC) != FDT_MAGIC) {
		return 0;
	}
	return load_be32(b + HDR_TOTALSIZE);
}

const char *fdt_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case FDT_ERR_NOTFOUND:
		return "no such node or property";
	case FDT_ERR_BADMAGIC:
		return "not a device tree blob";
	case FDT_ERR_BADVERSION:
		return "unsupported device tree version";
	case FDT_ERR_TRUNCATED:
		return "device tree truncated";
	case FDT_ERR_BADSTRUCTURE:
		return "malformed structure block";
	case FDT_ERR_BADOFFSET:
		return "offset is not a node";
	case FDT_ERR_BADVALUE:
		return "property has a bad length or value";
	case FDT_ERR_BADPATH:
		return "malformed path";
	case FDT_ERR_TOODEEP:
		return "device tree nested too deeply";
	default:
		return "unknown device tree error";
	}
}

/*
 * Check that the strings block holds a NUL-terminated string at nameoff:
 * one starts there and a NUL follows it in the block (strings_nul_end, found
 * once by fdt_open(), so that walks do not measure every name).
 */
static int check_string(const struct fdt *fdt, uint32_t nameoff)
{
	if (nameoff >= fdt->size_strings) {
		return FDT_ERR_TRUNCATED;
	}
	if (nameoff >= fdt->strings_nul_end) {
		return FDT_ERR_BADSTRUCTURE;
	}
	return 0;
}

/*
 * Offset just after the last NUL of the strings block, or 0 if it has none.
 */
static uint32_t strings_nul_end(const struct fdt *fdt)
{
	uint32_t end = fdt->size_strings;

	while (end > 0U && *strings_ptr(fdt, end - 1U) != '\0') {
		end--;
	}
	return end;
}

/*
 * Find the end of the node name starting at structure offset pos: the name
 * must be NUL-terminated inside the block.
 */
static int name_end(const struct fdt *fdt, uint32_t pos, uint32_t *end)
{
	size_t avail = fdt->size_struct - pos;
	size_t len = strnlen((const char *)struct_ptr(fdt, pos), avail);

	if (len == avail) {
		return FDT_ERR_BADSTRUCTURE;
	}
	*end = pos + (uint32_t)len + 1U;
	return 0;
}

/*
 * Find the end of the property whose token is at structure offset pos,
 * checking its header, its value and its name.
 */
static int prop_end(const struct fdt *fdt, uint32_t pos, uint32_t *end)
{
	uint32_t avail = fdt->size_struct - pos;
	uint32_t len;

	if (avail < PROP_HDR_LEN) {
		return FDT_ERR_TRUNCATED;
	}
	len = load_be32(struct_ptr(fdt, pos + 4U));
	if (len > avail - PROP_HDR_LEN) {
		return FDT_ERR_TRUNCATED;
	}
	*end = pos + PROP_HDR_LEN + len;
	return check_string(fdt, load_be32(struct_ptr(fdt, pos + 8U)));
}

/*
 * Read the token at structure offset off and store in *next the offset of
 * the token after it, which is always greater than off. Returns 0 or a
 * negative code if the token or its payload does not fit the block.
 */
static int next_tag(const struct fdt *fdt, int off, uint32_t *tag, int *next)
{
	uint32_t pos = (uint32_t)off;
	uint32_t end = pos + TOKEN_LEN;
	int err = 0;

	if (off < 0 || !IS_ALIGNED(pos, 4U) || fdt->size_struct < TOKEN_LEN ||
	    pos > fdt->size_struct - TOKEN_LEN) {
		return FDT_ERR_TRUNCATED;
	}
	*tag = load_be32(struct_ptr(fdt, pos));
	if (*tag == FDT_BEGIN_NODE) {
		err = name_end(fdt, end, &end);
	} else if (*tag == FDT_PROP) {
		err = prop_end(fdt, pos, &end);
	} else if (*tag != FDT_END_NODE && *tag != FDT_NOP && *tag != FDT_END) {
		err = FDT_ERR_BADSTRUCTURE;
	}
	if (err != 0) {
		return err;
	}
	*next = (int)ALIGN_UP(end, 4U);
	return 0;
}

/*
 * Skip NOP tokens from off: returns the offset of the first other token and
 * stores it in *tag.
 */
static int skip_nops(const struct fdt *fdt, int off, uint32_t *tag)
{
	int next;

	for (;;) {
		int err = next_tag(fdt, off, tag, &next);

		if (err != 0) {
			return err;
		}
		if (*tag != FDT_NOP) {
			return off;
		}
		off = next;
	}
}

/*
 * Skip property and NOP tokens from off, as skip_nops() does.
 */
static int skip_props(const struct fdt *fdt, int off, uint32_t *tag)
{
	int next;

	for (;;) {
		int err = next_tag(fdt, off, tag, &next);

		if (err != 0) {
			return err;
		}
		if (*tag != FDT_NOP && *tag != FDT_PROP) {
			return off;
		}
		off = next;
	}
}

/*
 * Offset of the first token after the name of the node at node, or
 * FDT_ERR_BADOFFSET if node is not a BEGIN_NODE token.
 */
static int node_body(const struct fdt *fdt, int node)
{
	uint32_t tag;
	int next;

	if (next_tag(fdt, node, &tag, &next) != 0 || tag != FDT_BEGIN_NODE) {
		return FDT_ERR_BADOFFSET;
	}
	return next;
}

/*
 * Check one token of the structure block against what may follow the
 * tokens before it.
 */
static int check_token(struct fdt_check *st, uint32_t tag)
{
	if (tag == FDT_NOP) {
		return 0;
	}
	if (tag == FDT_BEGIN_NODE) {
		if (st->depth == 0U && st->seen_root) {
			return FDT_ERR_BADSTRUCTURE;
		}
		if (st->depth >= FDT_MAX_DEPTH) {
			return FDT_ERR_TOODEEP;
		}
		st->depth++;
		st->seen_root = true;
	} else if (tag == FDT_END_NODE) {
		if (st->depth == 0U) {
			return FDT_ERR_BADSTRUCTURE;
		}
		st->depth--;
	} else if (tag == FDT_PROP) {
		/* Properties come first in a node, before any child. */
		if (st->last != FDT_BEGIN_NODE && st->last != FDT_PROP) {
			return FDT_ERR_BADSTRUCTURE;
		}
	} else if (st->depth != 0U || !st->seen_root) {
		return FDT_ERR_BADSTRUCTURE;
	}
	st->last = tag;
	return 0;
}

/*
 * Walk the whole structure block once: one root node, balanced nodes, no
 * deeper than FDT_MAX_DEPTH, properties before children, and an END token.
 * On success, shrink size_struct to end just after the END token.
 */
static int check_structure(struct fdt *fdt)
{
	struct fdt_check st = {0U, 0U, false};
	uint32_t tag = 0U;
	int off = 0;
	int next;

	while (tag != FDT_END) {
		int err;

		if ((uint32_t)off >= fdt->size_struct) {
			return FDT_ERR_BADSTRUCTURE;
		}
		err = next_tag(fdt, off, &tag, &next);
		if (err == 0) {
			err = check_token(&st, tag);
		}
		if (err != 0) {
			return err;
		}
		off = next;
	}
	fdt->size_struct = (uint32_t)off;
	return 0;
}

/*
 * Check that the memory reservation block ends with a (0, 0) entry inside
 * the blob.
 */
static int check_rsvmap(const struct fdt *fdt)
{
	uint32_t off = fdt->off_rsvmap;

	while (off <= fdt->totalsize && fdt->totalsize - off >= RSV_ENTRY_LEN) {
		if (load_be64(fdt->blob + off) == 0U &&
		    load_be64(fdt->blob + off + 8U) == 0U) {
			return 0;
		}
		off += RSV_ENTRY_LEN;
	}
	return FDT_ERR_TRUNCATED;
}

/*
 * Check the fixed part of the header: magic, version and total size.
 * Returns the header length or a negative code.
 */
static int check_header(const uint8_t *b, size_t max_size)
{
	uint32_t version;
	uint32_t hdr_len;
	uint32_t totalsize;

	if (b == NULL) {
		return FDT_ERR_BADMAGIC;
	}
	if (max_size < 8U) {
		return FDT_ERR_TRUNCATED;
	}
	if (load_be32(b + HDR_MAGIC) != FDT_MAGIC) {
		return FDT_ERR_BADMAGIC;
	}
	totalsize = load_be32(b + HDR_TOTALSIZE);
	if (totalsize > max_size || totalsize > FDT_MAX_TOTALSIZE ||
	    totalsize < HDR_LEN_V16) {
		return FDT_ERR_TRUNCATED;
	}
	version = load_be32(b + HDR_VERSION);
	if (version < FDT_MIN_VERSION ||
	    load_be32(b + HDR_LAST_COMP) > FDT_MAX_COMP_VERSION) {
		return FDT_ERR_BADVERSION;
	}
	hdr_len = version >= 17U ? HDR_LEN_V17 : HDR_LEN_V16;
	if (totalsize < hdr_len) {
		return FDT_ERR_TRUNCATED;
	}
	return (int)hdr_len;
}

/*
 * Check that the block [off, off + size) lies after the header and inside
 * the blob.
 */
static int check_block(uint32_t off, uint32_t size, uint32_t hdr_len,
		       uint32_t totalsize)
{
	if (off < hdr_len) {
		return FDT_ERR_BADSTRUCTURE;
	}
	if (off > totalsize || size > totalsize - off) {
		return FDT_ERR_TRUNCATED;
	}
	return 0;
}

/*
 * Fill in fdt from the header (already checked by check_header()) and check
 * that the blocks are aligned and inside the blob.
 */
static int read_layout(struct fdt *fdt, const uint8_t *b, uint32_t hdr_len)
{
	int err;

	fdt->blob = b;
	fdt->totalsize = load_be32(b + HDR_TOTALSIZE);
	fdt->off_struct = load_be32(b + HDR_OFF_STRUCT);
	fdt->off_strings = load_be32(b + HDR_OFF_STRINGS);
	fdt->size_strings = load_be32(b + HDR_SIZE_STRINGS);
	fdt->off_rsvmap = load_be32(b + HDR_OFF_RSVMAP);
	if (!IS_ALIGNED(fdt->off_struct, 4U) ||
	    !IS_ALIGNED(fdt->off_rsvmap, 8U)) {
		return FDT_ERR_BADSTRUCTURE;
	}
	/* Version 16 has no structure size: the END token bounds the block. */
	if (hdr_len >= HDR_LEN_V17) {
		fdt->size_struct = load_be32(b + HDR_SIZE_STRUCT);
	} else if (fdt->off_struct <= fdt->totalsize) {
		fdt->size_struct = fdt->totalsize - fdt->off_struct;
	}
	err = check_block(fdt->off_struct, fdt->size_struct, hdr_len,
			  fdt->totalsize);
	if (err == 0) {
		err = check_block(fdt->off_strings, fdt->size_strings, hdr_len,
				  fdt->totalsize);
	}
	if (err == 0) {
		err = check_block(fdt->off_rsvmap, 0U, hdr_len, fdt->totalsize);
	}
	if (err == 0) {
		fdt->strings_nul_end = strings_nul_end(fdt);
	}
	return err;
}

int fdt_open(struct fdt *fdt, const void *blob, size_t max_size)
{
	struct fdt tmp = {NULL, 0U, 0U, 0U, 0U, 0U, 0U, 0U};
	int err;

	*fdt = tmp;
	err = check_header(blob, max_size);
	if (err < 0) {
		return err;
	}
	err = read_layout(&tmp, blob, (uint32_t)err);
	if (err == 0) {
		err = check_rsvmap(&tmp);
	}
	if (err == 0) {
		err = check_structure(&tmp);
	}
	if (err == 0) {
		*fdt = tmp;
	}
	return err;
}

int fdt_root(const struct fdt *fdt)
{
	uint32_t tag;
	int off = skip_nops(fdt, 0, &tag);

	if (off >= 0 && tag != FDT_BEGIN_NODE) {
		return FDT_ERR_BADSTRUCTURE;
	}
	return off;
}

const char *fdt_node_name(const struct fdt *fdt, int node)
{
	if (node_body(fdt, node) < 0) {
		return NULL;
	}
	return (const char *)struct_ptr(fdt, (uint32_t)node + TOKEN_LEN);
}

int fdt_first_child(const struct fdt *fdt, int node)
{
	uint32_t tag;
	int off = node_body(fdt, node);

	if (off >= 0) {
		off = skip_props(fdt, off, &tag);
	}
	if (off < 0) {
		return off;
	}
	if (tag == FDT_BEGIN_NODE) {
		return off;
	}
	return tag == FDT_END_NODE ? FDT_ERR_NOTFOUND : FDT_ERR_BADSTRUCTURE;
}

/*
 * Offset just after the END_NODE that closes the node at node.
 */
static int subtree_end(const struct fdt *fdt, int node)
{
	unsigned int level = 0U;
	uint32_t tag;
	int off = node;

	if (node_body(fdt, node) < 0) {
		return FDT_ERR_BADOFFSET;
	}
	do {
		int err = next_tag(fdt, off, &tag, &off);

		if (err != 0) {
			return err;
		}
		if (tag == FDT_BEGIN_NODE && ++level > FDT_MAX_DEPTH) {
			return FDT_ERR_TOODEEP;
		}
		if (tag == FDT_END_NODE) {
			level--;
		}
		if (tag == FDT_END) {
			return FDT_ERR_BADSTRUCTURE;
		}
	} while (level > 0U);
	return off;
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
	uint32_t tag;
	int off = subtree_end(fdt, node);

	if (off >= 0) {
		off = skip_nops(fdt, off, &tag);
	}
	if (off < 0) {
		return off;
	}
	if (tag == FDT_BEGIN_NODE) {
		return off;
	}
	if (tag == FDT_END_NODE || tag == FDT_END) {
		return FDT_ERR_NOTFOUND;
	}
	return FDT_ERR_BADSTRUCTURE;
}

/*
 * Apply the token tag at offset off to the stack of open nodes while
 * walking from the root.
 */
static int track_token(int *stack, unsigned int *depth, uint32_t tag, int off)
{
	if (tag == FDT_BEGIN_NODE) {
		if (*depth >= FDT_MAX_DEPTH) {
			return FDT_ERR_TOODEEP;
		}
		stack[(*depth)++] = off;
	} else if (tag == FDT_END_NODE) {
		if (*depth == 0U) {
			return FDT_ERR_BADSTRUCTURE;
		}
		(*depth)--;
	} else if (tag == FDT_END) {
		return FDT_ERR_BADOFFSET;
	}
	return 0;
}

/*
 * Walk from the root to node. Returns node's depth and stores its parent
 * (FDT_ERR_NOTFOUND for the root), or returns FDT_ERR_BADOFFSET if the walk
 * never meets a node at that offset.
 */
static int locate(const struct fdt *fdt, int node, int *parent)
{
	int stack[FDT_MAX_DEPTH];
	unsigned int depth = 0U;
	uint32_t tag;
	int off = fdt_root(fdt);
	int next;

	while (off >= 0 && off <= node) {
		int err = next_tag(fdt, off, &tag, &next);

		if (err == 0) {
			err = track_token(stack, &depth, tag, off);
		}
		if (err != 0) {
			return err;
		}
		if (off == node && tag == FDT_BEGIN_NODE) {
			*parent = depth > 1U ? stack[depth - 2U]
					     : FDT_ERR_NOTFOUND;
			return (int)depth - 1;
		}
		off = next;
	}
	return off < 0 ? off : FDT_ERR_BADOFFSET;
}

int fdt_parent(const struct fdt *fdt, int node)
{
	int parent;
	int depth = locate(fdt, node, &parent);

	return depth < 0 ? depth : parent;
}

int fdt_depth(const struct fdt *fdt, int node)
{
	int parent;

	return locate(fdt, node, &parent);
}

/*
 * Offset of the first BEGIN_NODE after the node at node; *rel receives its
 * depth relative to node's.
 */
static int scan_next_node(const struct fdt *fdt, int node, int *rel)
{
	uint32_t tag;
	int off = node_body(fdt, node);

	*rel = 1;
	while (off >= 0) {
		off = skip_props(fdt, off, &tag);
		if (off < 0 || tag == FDT_BEGIN_NODE) {
			return off;
		}
		if (tag == FDT_END) {
			return FDT_ERR_NOTFOUND;
		}
		if (*rel < -(int)FDT_MAX_DEPTH) {
			return FDT_ERR_BADSTRUCTURE;
		}
		/* The token is an END_NODE: step over it. */
		(*rel)--;
		off += (int)TOKEN_LEN;
	}
	return off;
}

int fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
	int base = 0;
	int rel;
	int next;

	if (node == -1) {
		next = fdt_root(fdt);
		rel = 0;
	} else {
		if (depth != NULL) {
			base = fdt_depth(fdt, node);
		}
		if (base < 0) {
			return base;
		}
		next = scan_next_node(fdt, node, &rel);
	}
	if (next >= 0 && depth != NULL) {
		if (base + rel < 0) {
			return FDT_ERR_BADSTRUCTURE;
		}
		*depth = base + rel;
	}
	return next;
}

int fdt_walk_next(const struct fdt *fdt, int node, int *depth)
{
	int rel;
	int next;

	if (node == -1) {
		*depth = 0;
		return fdt_root(fdt);
	}
	next = scan_next_node(fdt, node, &rel);
	if (next < 0) {
		return next;
	}
	if ((*depth + rel) < 0) {
		return FDT_ERR_BADSTRUCTURE;
	}
	if ((*depth + rel) >= (int)FDT_MAX_DEPTH) {
		return FDT_ERR_TOODEEP;
	}
	*depth += rel;
	return next;
}

int fdt_first_prop(const struct fdt *fdt, int node)
{
	uint32_t tag;
	int off = node_body(fdt, node);

	if (off >= 0) {
		off = skip_nops(fdt, off, &tag);
	}
	if (off < 0) {
		return off;
	}
	return tag == FDT_PROP ? off : FDT_ERR_NOTFOUND;
}

int fdt_next_prop(const struct fdt *fdt, int prop)
{
	uint32_t tag;
	int next;

	if (next_tag(fdt, prop, &tag, &next) != 0 || tag != FDT_PROP) {
		return FDT_ERR_BADOFFSET;
	}
	next = skip_nops(fdt, next, &tag);
	if (next < 0) {
		return next;
	}
	return tag == FDT_PROP ? next : FDT_ERR_NOTFOUND;
}

int fdt_prop_at(const struct fdt *fdt, int prop, const char **name,
		const void **val, uint32_t *len)
{
	uint32_t pos = (uint32_t)prop;
	uint32_t tag;
	int next;

	if (next_tag(fdt, prop, &tag, &next) != 0 || tag != FDT_PROP) {
		return FDT_ERR_BADOFFSET;
	}
	if (name != NULL) {
		*name = strings_ptr(fdt, load_be32(struct_ptr(fdt, pos + 8U)));
	}
	if (val != NULL) {
		*val = struct_ptr(fdt, pos + PROP_HDR_LEN);
	}
	if (len != NULL) {
		*len = load_be32(struct_ptr(fdt, pos + 4U));
	}
	return 0;
}

/*
 * True if the property whose token at prop next_tag() has checked is named
 * by the len bytes at name.
 */
static bool prop_name_is(const struct fdt *fdt, int prop, const char *name,
			 size_t len)
{
	uint32_t pos = (uint32_t)prop + 8U;
	const char *pname = strings_ptr(fdt, load_be32(struct_ptr(fdt, pos)));

	/* The first byte alone rules out most properties. */
	return (len == 0U || pname[0] == name[0]) &&
	       strncmp(pname, name, len) == 0 && pname[len] == '\0';
}

/*
 * Offset of the property of node named by the len bytes at name: the walk
 * of fdt_first_prop() and fdt_next_prop(), reading each token once.
 */
static int find_prop(const struct fdt *fdt, int node, const char *name,
		     size_t len)
{
	uint32_t tag;
	int off = node_body(fdt, node);
	int next;

	while (off >= 0) {
		int err = next_tag(fdt, off, &tag, &next);

		if (err != 0) {
			return err;
		}
		if (tag == FDT_PROP) {
			if (prop_name_is(fdt, off, name, len)) {
				return off;
			}
		} else if (tag != FDT_NOP) {
			return FDT_ERR_NOTFOUND;
		}
		off = next;
	}
	return off;
}

int fdt_getprop(const struct fdt *fdt, int node, const char *name,
		const void **val, uint32_t *len)
{
	int prop;

	if (name == NULL) {
		return FDT_ERR_NOTFOUND;
	}
	prop = find_prop(fdt, node, name, strlen(name));
	if (prop < 0) {
		return prop;
	}
	return fdt_prop_at(fdt, prop, NULL, val, len);
}

bool fdt_has_prop(const struct fdt *fdt, int node, const char *name)
{
	return fdt_getprop(fdt, node, name, NULL, NULL) == 0;
}

/*
 * The index-th string of the string list of len bytes at s, or NULL if
 * there are fewer strings. A last string that is not NUL-terminated inside
 * the list does not count.
 */
static const char *strlist_at(const char *s, uint32_t len, unsigned int index)
{
	uint32_t pos = 0U;

	while (pos < len) {
		uint32_t n = (uint32_t)strnlen(s + pos, len - pos);

		if (n == len - pos) {
			return NULL;
		}
		if (index == 0U) {
			return s + pos;
		}
		index--;
		pos += n + 1U;
	}
	return NULL;
}

/*
 * The string after cur in the string list of len bytes at s, or NULL: as
 * strlist_at(), a last string not NUL-terminated inside the list does not
 * count.
 */
static const char *strlist_next(const char *s, uint32_t len, const char *cur)
{
	uint32_t pos = (uint32_t)(cur - s) + (uint32_t)strlen(cur) + 1U;

	return strlist_at(s + pos, len - pos, 0U);
}

/*
 * True if the string list of len bytes at s holds str.
 */
static bool strlist_has(const char *s, uint32_t len, const char *str)
{
	uint32_t pos = 0U;

	while (pos < len) {
		uint32_t n = (uint32_t)strnlen(s + pos, len - pos);

		if (n == len - pos) {
			return false;
		}
		if (strcmp(s + pos, str) == 0) {
			return true;
		}
		pos += n + 1U;
	}
	return false;
}

const char *fdt_prop_string_index(const struct fdt *fdt, int node,
				  const char *name, unsigned int index)
{
	const void *val;
	uint32_t len;

	if (fdt_getprop(fdt, node, name, &val, &len) != 0) {
		return NULL;
	}
	return strlist_at(val, len, index);
}

const char *fdt_getprop_string(const struct fdt *fdt, int node,
			       const char *name)
{
	return fdt_prop_string_index(fdt, node, name, 0U);
}

int fdt_getprop_u32(const struct fdt *fdt, int node, const char *name,
		    uint32_t *out)
{
	const void *val;
	uint32_t len;
	int err = fdt_getprop(fdt, node, name, &val, &len);

	if (err != 0) {
		return err;
	}
	if (len != CELL_LEN) {
		return FDT_ERR_BADVALUE;
	}
	if (out != NULL) {
		*out = load_be32(val);
	}
	return 0;
}

bool fdt_prop_has_string(const struct fdt *fdt, int node, const char *name,
			 const char *str)
{
	const void *val;
	uint32_t len;

	if (str == NULL || fdt_getprop(fdt, node, name, &val, &len) != 0) {
		return false;
	}
	return strlist_has(val, len, str);
}

bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
	return fdt_prop_has_string(fdt, node, "compatible", compat);
}

bool fdt_is_compatible_any(const struct fdt *fdt, int node,
			   const char *const *list, size_t n)
{
	const char *s;
	const void *val;
	uint32_t len;
	size_t i;

	if (fdt_getprop(fdt, node, "compatible", &val, &len) != 0) {
		return false;
	}
	/* Each string of the property measured once, against all of list. */
	for (s = strlist_at(val, len, 0U); s != NULL;
	     s = strlist_next(val, len, s)) {
		for (i = 0U; i < n; i++) {
			if (strcmp(s, list[i]) == 0) {
				return true;
			}
		}
	}
	return false;
}

uint64_t fdt_read_cells(const void *p, unsigned int cells)
{
	if (p == NULL) {
		return 0U;
	}
	if (cells == 1U) {
		return load_be32(p);
	}
	if (cells == 2U) {
		return load_be64(p);
	}
	return 0U;
}

/*
 * A #address-cells or #size-cells property of node: its value (0 to 2),
 * dflt if it is absent, or a negative code.
 */
/*
 * A cell-count property of node, inherited from the nearest ancestor that
 * has it (as Linux and Xen read trees: QEMU's guest-loader writes 2-cell
 * reg entries under a /chosen without cell counts), or dflt at the root.
 */
static int cells_prop(const struct fdt *fdt, int node, const char *name,
		      int dflt)
{
	uint32_t val;
	unsigned int depth;
	int err = FDT_ERR_NOTFOUND;

	for (depth = 0; (depth < FDT_MAX_DEPTH) && (node >= 0); depth++) {
		err = fdt_getprop_u32(fdt, node, name, &val);
		if (err != FDT_ERR_NOTFOUND) {
			break;
		}
		node = fdt_parent(fdt, node);
	}
	if (err == FDT_ERR_NOTFOUND) {
		return dflt;
	}
	if (err != 0) {
		return err;
	}
	return val > 2U ? FDT_ERR_BADVALUE : (int)val;
}

int fdt_address_cells(const struct fdt *fdt, int node)
{
	return cells_prop(fdt, node, "#address-cells", 2);
}

int fdt_size_cells(const struct fdt *fdt, int node)
{
	return cells_prop(fdt, node, "#size-cells", 1);
}

/* The reg property of a node and the layout of its entries. */
struct reg_info {
	const uint8_t *val;
	uint32_t count;
	unsigned int addr_cells;
	unsigned int size_cells;
};

/*
 * Look up the reg property of node and the cell counts that its parent
 * gives it.
 */
static int reg_info(const struct fdt *fdt, int parent, int node,
		    struct reg_info *ri)
{
	const void *val;
	uint32_t len;
	uint32_t entry;
	int ac = parent < 0 ? parent : fdt_address_cells(fdt, parent);
	int sc = ac < 0 ? ac : fdt_size_cells(fdt, parent);
	int err = sc < 0 ? sc : fdt_getprop(fdt, node, "reg", &val, &len);

	if (err != 0) {
		return err;
	}
	entry = ((uint32_t)ac + (uint32_t)sc) * CELL_LEN;
	if (entry == 0U || len % entry != 0U) {
		return FDT_ERR_BADVALUE;
	}
	ri->val = val;
	ri->count = len / entry;
	ri->addr_cells = (unsigned int)ac;
	ri->size_cells = (unsigned int)sc;
	return 0;
}

int fdt_get_reg(const struct fdt *fdt, int node, unsigned int index,
		uint64_t *addr, uint64_t *size)
{
	return fdt_get_reg_in(fdt, fdt_parent(fdt, node), node, index, addr,
			      size);
}

int fdt_get_reg_in(const struct fdt *fdt, int parent, int node,
		   unsigned int index, uint64_t *addr, uint64_t *size)
{
	struct reg_info ri;
	const uint8_t *p;
	int err = reg_info(fdt, parent, node, &ri);

	if (err != 0) {
		return err;
	}
	if (index >= ri.count) {
		return FDT_ERR_NOTFOUND;
	}
	p = ri.val + index * (ri.addr_cells + ri.size_cells) * CELL_LEN;
	if (addr != NULL) {
		*addr = fdt_read_cells(p, ri.addr_cells);
	}
	if (size != NULL) {
		*size = fdt_read_cells(p + ri.addr_cells * CELL_LEN,
				       ri.size_cells);
	}
	return 0;
}

int fdt_reg_count(const struct fdt *fdt, int node)
{
	return fdt_reg_count_in(fdt, fdt_parent(fdt, node), node);
}

int fdt_reg_count_in(const struct fdt *fdt, int parent, int node)
{
	struct reg_info ri;
	int err = reg_info(fdt, parent, node, &ri);

	return err != 0 ? err : (int)ri.count;
}

/*
 * True if node_name matches the len bytes at name, either exactly or, when
 * name has no unit address, up to node_name's '@'.
 */
static bool name_matches(const char *node_name, const char *name, size_t len)
{
	size_t i;

	if (node_name == NULL || strncmp(node_name, name, len) != 0) {
		return false;
	}
	if (node_name[len] == '\0') {
		return true;
	}
	if (node_name[len] != '@') {
		return false;
	}
	for (i = 0U; i < len; i++) {
		if (name[i] == '@') {
			return false;
		}
	}
	return true;
}

/*
 * Child of parent named by the len bytes at name (see fdt_subnode()).
 */
static int subnode_len(const struct fdt *fdt, int parent, const char *name,
		       size_t len)
{
	int child;

	for (child = fdt_first_child(fdt, parent); child >= 0;
	     child = fdt_next_sibling(fdt, child)) {
		if (name_matches(fdt_node_name(fdt, child), name, len)) {
			return child;
		}
	}
	return child;
}

int fdt_subnode(const struct fdt *fdt, int parent, const char *name)
{
	if (name == NULL || *name == '\0') {
		return FDT_ERR_BADPATH;
	}
	return subnode_len(fdt, parent, name, strlen(name));
}

/*
 * Follow the '/'-separated components of path p down from node.
 */
static int walk_path(const struct fdt *fdt, int node, const char *p)
{
	const char *slash;
	size_t len;

	while (node >= 0 && *p != '\0') {
		if (*p == '/') {
			p++;
			continue;
		}
		slash = strchr(p, '/');
		len = slash != NULL ? (size_t)(slash - p) : strlen(p);
		node = subnode_len(fdt, node, p, len);
		p += len;
	}
	return node;
}

/*
 * Node named by the alias made of the len bytes at name: the property of
 * /aliases of that name holds an absolute path.
 */
static int resolve_alias(const struct fdt *fdt, const char *name, size_t len)
{
	const char *target;
	const void *val;
	uint32_t vlen;
	int root = fdt_root(fdt);
	int aliases = root < 0 ? root : subnode_len(fdt, root, "aliases", 7U);
	int prop = aliases < 0 ? aliases : find_prop(fdt, aliases, name, len);

	if (prop < 0) {
		return prop;
	}
	if (fdt_prop_at(fdt, prop, NULL, &val, &vlen) != 0) {
		return FDT_ERR_BADOFFSET;
	}
	target = strlist_at(val, vlen, 0U);
	if (target == NULL || *target != '/') {
		return FDT_ERR_BADPATH;
	}
	return walk_path(fdt, root, target);
}

int fdt_path_offset(const struct fdt *fdt, const char *path)
{
	const char *slash;
	size_t len;
	int node;

	if (path == NULL || *path == '\0') {
		return FDT_ERR_BADPATH;
	}
	if (*path == '/') {
		return walk_path(fdt, fdt_root(fdt), path);
	}
	slash = strchr(path, '/');
	len = slash != NULL ? (size_t)(slash - path) : strlen(path);
	node = resolve_alias(fdt, path, len);
	return walk_path(fdt, node, path + len);
}

int fdt_find_compatible(const struct fdt *fdt, int start, const char *compat)
{
	int node;

	for (node = fdt_next_node(fdt, start, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		if (fdt_is_compatible(fdt, node, compat)) {
			return node;
		}
	}
	return node;
}

/*
 * The phandle of node, or 0 if it has none.
 */
uint32_t fdt_node_phandle(const struct fdt *fdt, int node)
{
	uint32_t ph;

	if (fdt_getprop_u32(fdt, node, "phandle", &ph) == 0 ||
	    fdt_getprop_u32(fdt, node, "linux,phandle", &ph) == 0) {
		return ph;
	}
	return 0U;
}

int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle)
{
	int node;

	if (phandle == 0U || phandle == PHANDLE_INVALID) {
		return FDT_ERR_NOTFOUND;
	}
	for (node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		if (fdt_node_phandle(fdt, node) == phandle) {
			return node;
		}
	}
	return node;
}

int fdt_rsvmap_entry(const struct fdt *fdt, unsigned int index, uint64_t *addr,
		     uint64_t *size)
{
	uint32_t off = fdt->off_rsvmap;

	while (off <= fdt->totalsize && fdt->totalsize - off >= RSV_ENTRY_LEN) {
		uint64_t a = load_be64(fdt->blob + off);
		uint64_t s = load_be64(fdt->blob + off + 8U);

		if (a == 0U && s == 0U) {
			return FDT_ERR_NOTFOUND;
		}
		if (index-- == 0U) {
			if (addr != NULL) {
				*addr = a;
			}
			if (size != NULL) {
				*size = s;
			}
			return 0;
		}
		off += RSV_ENTRY_LEN;
	}
	return FDT_ERR_TRUNCATED;
}

/* ---- Bus address translation ---- */

int fdt_range_layout(const struct fdt *fdt, int bus, int up, uint32_t child,
		     struct fdt_range_layout *rl)
{
	int pa = fdt_address_cells(fdt, up);
	int sc = pa < 0 ? pa : fdt_size_cells(fdt, bus);

	if (sc < 0) {
		return sc;
	}
	if (child == 0U || child > FDT_RANGE_MAX_CHILD_CELLS || pa == 0 ||
	    sc == 0) {
		return FDT_ERR_BADVALUE;
	}
	rl->child = child;
	rl->parent = (uint32_t)pa;
	rl->size = (uint32_t)sc;
	return 0;
}

uint32_t fdt_range_len(const struct fdt_range_layout *rl)
{
	return (rl->child + rl->parent + rl->size) * 4U;
}

void fdt_read_range(const uint8_t *p, const struct fdt_range_layout *rl,
		    uint32_t i, struct fdt_range *e)
{
	const uint8_t *q = p + i * fdt_range_len(rl);

	e->child = rl->child <= 2U ? fdt_read_cells(q, rl->child) : 0U;
	q += rl->child * 4U;
	e->parent = fdt_read_cells(q, rl->parent);
	e->size = fdt_read_cells(q + rl->parent * 4U, rl->size);
}

/* Translate *addr from the address space of the children of bus to that
 * of bus's parent up, through bus's ranges. */
static int translate_one(const struct fdt *fdt, int bus, int up, uint64_t *addr)
{
	struct fdt_range_layout rl;
	struct fdt_range e;
	const void *val;
	uint32_t len;
	uint32_t i;
	int ac = fdt_address_cells(fdt, bus);
	int err = ac < 0 ? ac : fdt_getprop(fdt, bus, "ranges", &val, &len);

	if (err != 0) {
		return err == FDT_ERR_NOTFOUND ? -ERANGE : err;
	}
	if (len == 0U) {
		return 0;
	}
	err = fdt_range_layout(fdt, bus, up, (uint32_t)ac, &rl);
	if (err == 0 && len % fdt_range_len(&rl) != 0U) {
		err = FDT_ERR_BADVALUE;
	}
	for (i = 0U; err == 0 && i < len / fdt_range_len(&rl); i++) {
		fdt_read_range(val, &rl, i, &e);
		if (*addr >= e.child && *addr - e.child < e.size) {
			*addr = e.parent + (*addr - e.child);
			return 0;
		}
	}
	return err != 0 ? err : -ERANGE;
}

int fdt_translate(const struct fdt *fdt, int bus, uint64_t *addr)
{
	unsigned int i;

	for (i = 0U; i < FDT_MAX_DEPTH; i++) {
		int up = fdt_parent(fdt, bus);
		int err;

		if (up == FDT_ERR_NOTFOUND) {
			return 0;
		}
		err = up < 0 ? up : translate_one(fdt, bus, up, addr);
		if (err != 0) {
			return err;
		}
		bus = up;
	}
	return FDT_ERR_TOODEEP;
}
