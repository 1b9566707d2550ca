/*
 * Host-only helper for the unit tests: builds flattened device tree blobs
 * in memory, including deliberately malformed ones, so that the tests need
 * no external tool.
 *
 * Usage: fdtb_init(), then fdtb_begin()/fdtb_prop*()/fdtb_end() and friends
 * in document order, then fdtb_finish(), which returns a malloc'd blob of
 * exactly its total size and releases the builder.
 */
#ifndef FDT_BUILDER_H
#define FDT_BUILDER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FDTB_MAGIC 0xd00dfeedU
#define FDTB_BEGIN_NODE 1U
#define FDTB_END_NODE 2U
#define FDTB_PROP 3U
#define FDTB_NOP 4U
#define FDTB_END 9U
#define FDTB_HDR_LEN 40U
#define FDTB_MAX_RSV 8U

/* Byte offsets of the header fields. */
#define FDTB_OFF_TOTALSIZE 4U
#define FDTB_OFF_OFF_STRUCT 8U
#define FDTB_OFF_OFF_STRINGS 12U
#define FDTB_OFF_OFF_RSVMAP 16U
#define FDTB_OFF_VERSION 20U
#define FDTB_OFF_LAST_COMP 24U
#define FDTB_OFF_SIZE_STRINGS 32U
#define FDTB_OFF_SIZE_STRUCT 36U

struct fdtb {
	uint8_t *st; /* structure block */
	size_t st_len;
	char *str; /* strings block */
	size_t str_len;
	uint64_t rsv[FDTB_MAX_RSV][2];
	unsigned int nrsv;
	bool omit_end; /* do not append the END token */
};

/* Store v big-endian at p. */
static inline void fdtb_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Read the big-endian value at p. */
static inline uint32_t fdtb_get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void fdtb_init(struct fdtb *b)
{
	memset(b, 0, sizeof(*b));
}

/* Append n bytes to the structure block, then pad it to 4 bytes. */
static inline void fdtb_bytes(struct fdtb *b, const void *p, size_t n)
{
	size_t padded = (n + 3U) & ~(size_t)3U;

	b->st = realloc(b->st, b->st_len + padded + 1U);
	if (b->st == NULL) {
		abort();
	}
	memset(b->st + b->st_len, 0, padded);
	if (n != 0U) {
		memcpy(b->st + b->st_len, p, n);
	}
	b->st_len += padded;
}

/* Append one big-endian word (a token or a raw value). */
static inline void fdtb_u32(struct fdtb *b, uint32_t v)
{
	uint8_t w[4];

	fdtb_put32(w, v);
	fdtb_bytes(b, w, sizeof(w));
}

/* Offset of name in the strings block, adding it if needed. */
static inline uint32_t fdtb_string(struct fdtb *b, const char *name)
{
	size_t n = strlen(name) + 1U;
	size_t off;

	for (off = 0; off < b->str_len; off += strlen(b->str + off) + 1U) {
		if (strcmp(b->str + off, name) == 0) {
			return (uint32_t)off;
		}
	}
	b->str = realloc(b->str, b->str_len + n);
	if (b->str == NULL) {
		abort();
	}
	memcpy(b->str + b->str_len, name, n);
	off = b->str_len;
	b->str_len += n;
	return (uint32_t)off;
}

static inline void fdtb_begin(struct fdtb *b, const char *name)
{
	fdtb_u32(b, FDTB_BEGIN_NODE);
	fdtb_bytes(b, name, strlen(name) + 1U);
}

static inline void fdtb_end(struct fdtb *b)
{
	fdtb_u32(b, FDTB_END_NODE);
}

static inline void fdtb_nop(struct fdtb *b)
{
	fdtb_u32(b, FDTB_NOP);
}

/* A property with an arbitrary name offset and length field. */
static inline void fdtb_prop_raw(struct fdtb *b, uint32_t nameoff,
				 uint32_t len_field, const void *val,
				 size_t len)
{
	fdtb_u32(b, FDTB_PROP);
	fdtb_u32(b, len_field);
	fdtb_u32(b, nameoff);
	fdtb_bytes(b, val, len);
}

static inline void fdtb_prop(struct fdtb *b, const char *name, const void *val,
			     size_t len)
{
	fdtb_prop_raw(b, fdtb_string(b, name), (uint32_t)len, val, len);
}

/* A property of n cells. */
static inline void fdtb_prop_cells(struct fdtb *b, const char *name,
				   const uint32_t *cells, size_t n)
{
	uint8_t buf[64];
	size_t i;

	if (n > sizeof(buf) / 4U) {
		abort();
	}
	for (i = 0; i < n; i++) {
		fdtb_put32(buf + 4U * i, cells[i]);
	}
	fdtb_prop(b, name, buf, 4U * n);
}

static inline void fdtb_prop_u32(struct fdtb *b, const char *name, uint32_t v)
{
	fdtb_prop_cells(b, name, &v, 1U);
}

/* A string property (with its NUL). */
static inline void fdtb_prop_str(struct fdtb *b, const char *name,
				 const char *s)
{
	fdtb_prop(b, name, s, strlen(s) + 1U);
}

static inline void fdtb_rsv(struct fdtb *b, uint64_t addr, uint64_t size)
{
	if (b->nrsv >= FDTB_MAX_RSV) {
		abort();
	}
	b->rsv[b->nrsv][0] = addr;
	b->rsv[b->nrsv][1] = size;
	b->nrsv++;
}

/* Write the memory reservation block (with its terminator) at p. */
static inline void fdtb_write_rsv(const struct fdtb *b, uint8_t *p)
{
	unsigned int i;

	for (i = 0; i < b->nrsv; i++) {
		fdtb_put32(p + 16U * i, (uint32_t)(b->rsv[i][0] >> 32));
		fdtb_put32(p + 16U * i + 4U, (uint32_t)b->rsv[i][0]);
		fdtb_put32(p + 16U * i + 8U, (uint32_t)(b->rsv[i][1] >> 32));
		fdtb_put32(p + 16U * i + 12U, (uint32_t)b->rsv[i][1]);
	}
	memset(p + 16U * b->nrsv, 0, 16U);
}

/*
 * Lay out header, reservation block, structure block and strings block,
 * return the blob (malloc'd, exactly *size bytes) and free the builder.
 */
static inline uint8_t *fdtb_finish(struct fdtb *b, size_t *size)
{
	size_t off_rsv = FDTB_HDR_LEN;
	size_t off_struct = off_rsv + 16U * (b->nrsv + 1U);
	size_t off_strings, total;
	uint8_t *blob;

	if (!b->omit_end) {
		fdtb_u32(b, FDTB_END);
	}
	off_strings = off_struct + b->st_len;
	total = off_strings + b->str_len;
	blob = calloc(1, total);
	if (blob == NULL) {
		abort();
	}
	fdtb_put32(blob, FDTB_MAGIC);
	fdtb_put32(blob + FDTB_OFF_TOTALSIZE, (uint32_t)total);
	fdtb_put32(blob + FDTB_OFF_OFF_STRUCT, (uint32_t)off_struct);
	fdtb_put32(blob + FDTB_OFF_OFF_STRINGS, (uint32_t)off_strings);
	fdtb_put32(blob + FDTB_OFF_OFF_RSVMAP, (uint32_t)off_rsv);
	fdtb_put32(blob + FDTB_OFF_VERSION, 17U);
	fdtb_put32(blob + FDTB_OFF_LAST_COMP, 16U);
	fdtb_put32(blob + FDTB_OFF_SIZE_STRINGS, (uint32_t)b->str_len);
	fdtb_put32(blob + FDTB_OFF_SIZE_STRUCT, (uint32_t)b->st_len);
	fdtb_write_rsv(b, blob + off_rsv);
	if (b->st_len != 0U) {
		memcpy(blob + off_struct, b->st, b->st_len);
	}
	if (b->str_len != 0U) {
		memcpy(blob + off_strings, b->str, b->str_len);
	}
	free(b->st);
	free(b->str);
	fdtb_init(b);
	*size = total;
	return blob;
}

#endif /* FDT_BUILDER_H */
