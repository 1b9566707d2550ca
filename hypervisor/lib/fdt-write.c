/*
 * A sequential writer for flattened device trees (see <hv/fdt-write.h>).
 *
 * The buffer holds, from its start: the header, the memory reservation
 * block and the structure block, which grows upwards (w->pos is its end);
 * the strings block grows downwards from the end of the buffer (it takes
 * the last w->str_len bytes). Every write first checks that it fits in the
 * gap between the two. While the tree is being written, a property records
 * its name as the distance from the name to the end of the buffer, which
 * does not change as strings are added; fdt_write_finish() moves the
 * strings block down after the structure block and rewrites each of these
 * distances as an offset into the strings block.
 */
#include <hv/fdt-write.h>
#include <hv/printk.h>
#include <hv/errno.h>
#include <hv/fdt.h>
#include <hv/string.h>

#define FDT_MAGIC 0xd00dfeedU

/* Structure block tokens. */
#define FDT_BEGIN_NODE 1U
#define FDT_END_NODE 2U
#define FDT_PROP 3U
#define FDT_END 9U

/* Byte offsets of the header fields. */
#define HDR_MAGIC 0U
#define HDR_TOTALSIZE 4U
#define HDR_OFF_STRUCT 8U
#define HDR_OFF_STRINGS 12U
#define HDR_OFF_RSVMAP 16U
#define HDR_VERSION 20U
#define HDR_LAST_COMP 24U
#define HDR_BOOT_CPUID 28U
#define HDR_SIZE_STRINGS 32U
#define HDR_SIZE_STRUCT 36U

/* Length of the version 17 header, which the reservation block follows. */
#define HDR_LEN 40U

#define FDT_VERSION 17U
#define FDT_LAST_COMP_VERSION 16U

/* The reader's limit on the total size, so that every offset fits an int. */
#define FDT_MAX_TOTALSIZE 0x7ffffff0U

/* Length of a reservation entry and of a property header (tag, len, name). */
#define RSV_ENTRY_LEN 16U
#define PROP_HDR_LEN 12U

#define TOKEN_LEN 4U
#define CELL_LEN 4U

/* Store v big-endian at p. */
static void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Store v big-endian at p. */
static void store_be64(uint8_t *p, uint64_t v)
{
	store_be32(p, (uint32_t)(v >> 32));
	store_be32(p + 4, (uint32_t)v);
}

/* Read the big-endian 32-bit value at p. */
static uint32_t load_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

/* Keep err as the writer's error unless one is already kept; return the
 * kept error. */
static int fail(struct fdt_writer *w, int err)
{
	if (w->err == 0) {
		w->err = err;
	}
	return w->err;
}

/* Free bytes between the end of the structure block and the strings. */
static uint32_t room(const struct fdt_writer *w)
{
	return w->size - w->str_len - w->pos;
}

/*
 * Append n zeroed bytes to the block being written and return them, or
 * keep -ENOSPC and return NULL if they do not fit.
 */
static uint8_t *grow(struct fdt_writer *w, uint32_t n)
{
	uint8_t *p;

	if (n > room(w)) {
		fail(w, -ENOSPC);
		return NULL;
	}
	p = w->buf + w->pos;
	memset(p, 0, n);
	w->pos += n;
	return p;
}

/* Length of str with its NUL, or a length that no buffer can hold if str
 * is longer than the buffer. */
static uint32_t str_size(const struct fdt_writer *w, const char *str)
{
	return (uint32_t)strnlen(str, w->size) + 1U;
}

int fdt_write_init(struct fdt_writer *w, void *buf, size_t size)
{
	w->buf = buf;
	w->size = size > FDT_MAX_TOTALSIZE ? FDT_MAX_TOTALSIZE : (uint32_t)size;
	w->off_struct = 0U;
	w->pos = 0U;
	w->str_len = 0U;
	w->last_tag = 0U;
	w->node_props = 0U;
	w->depth = 0U;
	w->err = 0;
	if (buf == NULL) {
		w->size = 0U;
		return fail(w, FDT_ERR_BADVALUE);
	}
	/* The header is filled in by fdt_write_finish(). */
	grow(w, HDR_LEN);
	return w->err;
}

int fdt_write_rsv(struct fdt_writer *w, uint64_t addr, uint64_t size)
{
	uint8_t *p;

	if (w->err != 0) {
		return w->err;
	}
	if (w->off_struct != 0U) {
		return fail(w, FDT_ERR_BADSTRUCTURE);
	}
	/* A zero size would end the block early if addr were 0 too. */
	if (size == 0U) {
		return fail(w, FDT_ERR_BADVALUE);
	}
	p = grow(w, RSV_ENTRY_LEN);
	if (p != NULL) {
		store_be64(p, addr);
		store_be64(p + 8, size);
	}
	return w->err;
}

/*
 * Check that a node named name may be opened now: the root ("") first and
 * only once, then non-empty names without '/' inside it.
 */
static int check_node(const struct fdt_writer *w, const char *name)
{
	if (name == NULL) {
		return FDT_ERR_BADVALUE;
	}
	if (w->depth >= FDT_MAX_DEPTH) {
		return FDT_ERR_TOODEEP;
	}
	if (w->depth == 0U && w->last_tag != 0U) {
		return FDT_ERR_BADSTRUCTURE;
	}
	if ((w->depth == 0U) != (name[0] == '\0')) {
		return FDT_ERR_BADVALUE;
	}
	if (strchr(name, '/') != NULL) {
		return FDT_ERR_BADVALUE;
	}
	return 0;
}

/* End the reservation block with its (0, 0) entry and start the structure
 * block after it. */
static void open_struct(struct fdt_writer *w)
{
	if (grow(w, RSV_ENTRY_LEN) != NULL) {
		w->off_struct = w->pos;
	}
}

int fdt_write_begin_node(struct fdt_writer *w, const char *name)
{
	uint32_t len;
	uint8_t *p;
	int err;

	if (w->err != 0) {
		return w->err;
	}
	err = check_node(w, name);
	if (err != 0) {
		return fail(w, err);
	}
	if (w->off_struct == 0U) {
		open_struct(w);
	}
	len = str_size(w, name);
	p = w->err == 0 ? grow(w, TOKEN_LEN + ALIGN_UP(len, 4U)) : NULL;
	if (p == NULL) {
		return w->err;
	}
	store_be32(p, FDT_BEGIN_NODE);
	memcpy(p + TOKEN_LEN, name, len);
	w->depth++;
	w->last_tag = FDT_BEGIN_NODE;
	w->node_props = w->pos;
	return 0;
}

/* The stored string at distance k from the end of the buffer. */
static const char *string_at(const struct fdt_writer *w, uint32_t k)
{
	return (const char *)(w->buf + w->size - k);
}

/*
 * True if the open node already has a property named name. Its properties
 * are the only tokens written since it was opened.
 */
static bool has_prop(const struct fdt_writer *w, const char *name)
{
	uint32_t off = w->node_props;

	while (off < w->pos) {
		const uint8_t *p = w->buf + off;

		if (strcmp(string_at(w, load_be32(p + 8)), name) == 0) {
			return true;
		}
		off += PROP_HDR_LEN + ALIGN_UP(load_be32(p + 4), 4U);
	}
	return false;
}

/*
 * Check that a property named name may be added now: inside a node, before
 * its first child, and not twice.
 */
static int check_prop(const struct fdt_writer *w, const char *name)
{
	if (w->depth == 0U ||
	    (w->last_tag != FDT_BEGIN_NODE && w->last_tag != FDT_PROP)) {
		return FDT_ERR_BADSTRUCTURE;
	}
	if (name == NULL || name[0] == '\0' || has_prop(w, name)) {
		return FDT_ERR_BADVALUE;
	}
	return 0;
}

/*
 * Distance from the end of the buffer of a stored string equal to the len
 * bytes at s (the last being its NUL), or 0 if there is none. Any stored
 * bytes equal to s will do, such as the tail of a longer name.
 */
static uint32_t find_string(const struct fdt_writer *w, const char *s,
			    uint32_t len)
{
	uint32_t k;

	for (k = w->str_len; k >= len; k--) {
		/* The first byte alone rules out most places. */
		if ((*string_at(w, k) == s[0]) &&
		    (memcmp(string_at(w, k), s, len) == 0)) {
			return k;
		}
	}
	return 0U;
}

/*
 * Store name in the strings block unless it is there already, and set *ref
 * to its distance from the end of the buffer.
 */
static int add_string(struct fdt_writer *w, const char *name, uint32_t *ref)
{
	uint32_t len = str_size(w, name);
	uint32_t k = find_string(w, name, len);

	if (k == 0U) {
		if (len > room(w)) {
			return -ENOSPC;
		}
		w->str_len += len;
		k = w->str_len;
		memcpy(w->buf + w->size - k, name, len);
	}
	*ref = k;
	return 0;
}

/*
 * Append the header of a property named name with a value of len bytes and
 * return where the (zeroed) value goes, or NULL after keeping an error.
 */
static uint8_t *prop_begin(struct fdt_writer *w, const char *name, uint32_t len)
{
	uint32_t ref = 0U;
	uint8_t *p;
	int err;

	if (w->err != 0) {
		return NULL;
	}
	err = check_prop(w, name);
	if (err == 0 && len > w->size) {
		err = -ENOSPC;
	}
	if (err == 0) {
		err = add_string(w, name, &ref);
	}
	if (err != 0) {
		fail(w, err);
		return NULL;
	}
	p = grow(w, PROP_HDR_LEN + ALIGN_UP(len, 4U));
	if (p == NULL) {
		return NULL;
	}
	store_be32(p, FDT_PROP);
	store_be32(p + 4, len);
	store_be32(p + 8, ref);
	w->last_tag = FDT_PROP;
	return p + PROP_HDR_LEN;
}

int fdt_write_prop(struct fdt_writer *w, const char *name, const void *val,
		   uint32_t len)
{
	uint8_t *p;

	if (val == NULL && len != 0U) {
		return fail(w, FDT_ERR_BADVALUE);
	}
	p = prop_begin(w, name, len);
	if (p != NULL && len != 0U) {
		memcpy(p, val, len);
	}
	return w->err;
}

int fdt_write_prop_u32(struct fdt_writer *w, const char *name, uint32_t val)
{
	uint8_t *p = prop_begin(w, name, CELL_LEN);

	if (p != NULL) {
		store_be32(p, val);
	}
	return w->err;
}

int fdt_write_prop_u64(struct fdt_writer *w, const char *name, uint64_t val)
{
	uint8_t *p = prop_begin(w, name, 2U * CELL_LEN);

	if (p != NULL) {
		store_be64(p, val);
	}
	return w->err;
}

int fdt_write_prop_cells(struct fdt_writer *w, const char *name,
			 const uint32_t *cells, unsigned int n)
{
	uint8_t *p;
	unsigned int i;

	if (cells == NULL && n != 0U) {
		return fail(w, FDT_ERR_BADVALUE);
	}
	if (n > w->size / CELL_LEN) {
		return fail(w, -ENOSPC);
	}
	p = prop_begin(w, name, n * CELL_LEN);
	for (i = 0U; p != NULL && i < n; i++) {
		store_be32(p + i * CELL_LEN, cells[i]);
	}
	return w->err;
}

int fdt_write_prop_string(struct fdt_writer *w, const char *name,
			  const char *str)
{
	if (str == NULL) {
		return fail(w, FDT_ERR_BADVALUE);
	}
	return fdt_write_prop_strings(w, name, &str, 1U);
}

/*
 * Total length of the n strings of strs with their NULs, or a length that
 * no buffer can hold (or 0 after keeping an error for a NULL string).
 */
static uint32_t strings_size(struct fdt_writer *w, const char *const *strs,
			     unsigned int n)
{
	uint64_t total = 0U;
	unsigned int i;

	for (i = 0U; i < n && total <= w->size; i++) {
		if (strs[i] == NULL) {
			fail(w, FDT_ERR_BADVALUE);
			return 0U;
		}
		total += str_size(w, strs[i]);
	}
	return total > w->size ? w->size + 1U : (uint32_t)total;
}

int fdt_write_prop_strings(struct fdt_writer *w, const char *name,
			   const char *const *strs, unsigned int n)
{
	uint32_t len;
	uint32_t pos = 0U;
	uint8_t *p;
	unsigned int i;

	if (strs == NULL && n != 0U) {
		return fail(w, FDT_ERR_BADVALUE);
	}
	len = w->err == 0 ? strings_size(w, strs, n) : 0U;
	p = prop_begin(w, name, len);
	for (i = 0U; p != NULL && i < n; i++) {
		uint32_t slen = (uint32_t)strlen(strs[i]) + 1U;

		memcpy(p + pos, strs[i], slen);
		pos += slen;
	}
	return w->err;
}

int fdt_write_prop_empty(struct fdt_writer *w, const char *name)
{
	return fdt_write_prop(w, name, NULL, 0U);
}

int fdt_write_end_node(struct fdt_writer *w)
{
	uint8_t *p;

	if (w->err != 0) {
		return w->err;
	}
	if (w->depth == 0U) {
		return fail(w, FDT_ERR_BADSTRUCTURE);
	}
	p = grow(w, TOKEN_LEN);
	if (p == NULL) {
		return w->err;
	}
	store_be32(p, FDT_END_NODE);
	w->depth--;
	w->last_tag = FDT_END_NODE;
	return 0;
}

/*
 * Walk the structure block and turn each property's name reference (its
 * distance from the end of the buffer) into an offset into the strings
 * block, which holds the last str_len bytes of the buffer.
 */
static void fix_name_offsets(struct fdt_writer *w)
{
	uint32_t off = w->off_struct;

	while (off < w->pos) {
		uint8_t *p = w->buf + off;
		uint32_t tag = load_be32(p);

		if (tag == FDT_BEGIN_NODE) {
			off += TOKEN_LEN +
			       ALIGN_UP(str_size(w, (const char *)p + 4), 4U);
		} else if (tag == FDT_PROP) {
			store_be32(p + 8, w->str_len - load_be32(p + 8));
			off += PROP_HDR_LEN + ALIGN_UP(load_be32(p + 4), 4U);
		} else {
			off += TOKEN_LEN;
		}
	}
}

/* Fill in the header of the finished tree. */
static void write_header(struct fdt_writer *w)
{
	uint8_t *b = w->buf;

	store_be32(b + HDR_MAGIC, FDT_MAGIC);
	store_be32(b + HDR_TOTALSIZE, w->pos + w->str_len);
	store_be32(b + HDR_OFF_STRUCT, w->off_struct);
	store_be32(b + HDR_OFF_STRINGS, w->pos);
	store_be32(b + HDR_OFF_RSVMAP, HDR_LEN);
	store_be32(b + HDR_VERSION, FDT_VERSION);
	store_be32(b + HDR_LAST_COMP, FDT_LAST_COMP_VERSION);
	store_be32(b + HDR_BOOT_CPUID, 0U);
	store_be32(b + HDR_SIZE_STRINGS, w->str_len);
	store_be32(b + HDR_SIZE_STRUCT, w->pos - w->off_struct);
}

int fdt_write_finish(struct fdt_writer *w)
{
	uint8_t *p;

	if (w->err != 0) {
		return w->err;
	}
	/* The root must have been written and closed. */
	if (w->depth != 0U || w->last_tag != FDT_END_NODE) {
		return fail(w, FDT_ERR_BADSTRUCTURE);
	}
	p = grow(w, TOKEN_LEN);
	if (p == NULL) {
		return w->err;
	}
	store_be32(p, FDT_END);
	w->last_tag = FDT_END;
	fix_name_offsets(w);
	memmove(w->buf + w->pos, w->buf + w->size - w->str_len, w->str_len);
	write_header(w);
	return (int)(w->pos + w->str_len);
}

void fdt_write_begin_unit_node(struct fdt_writer *w, const char *name,
			       uint64_t addr)
{
	char buf[64];

	(void)format_string(buf, sizeof(buf), "%s@%llx", name,
			    (unsigned long long)addr);
	fdt_write_begin_node(w, buf);
}

unsigned int fdt_cells_put_range(uint32_t *cells, unsigned int n, uint64_t addr,
				 uint64_t size)
{
	cells[n] = (uint32_t)(addr >> 32);
	cells[n + 1U] = (uint32_t)addr;
	cells[n + 2U] = (uint32_t)(size >> 32);
	cells[n + 3U] = (uint32_t)size;
	return n + 4U;
}
