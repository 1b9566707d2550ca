/* Minimal flattened device tree reader (see fdt.h). */
#include <xtf/fdt.h>

#define FDT_MAGIC 0xd00dfeedU
#define FDT_BEGIN_NODE 1U
#define FDT_END_NODE 2U
#define FDT_PROP 3U
#define FDT_NOP 4U
#define FDT_END 9U

/* Header fields, as u32 indices. */
#define HDR_MAGIC 0
#define HDR_TOTALSIZE 1
#define HDR_OFF_STRUCT 2
#define HDR_OFF_STRINGS 3
#define HDR_VERSION 5
#define HDR_SIZE_STRUCT 9

static uint32_t hdr(const void *fdt, size_t field)
{
	return fdt32_to_cpu(((const uint32_t *)fdt)[field]);
}

static const char *structs(const void *fdt)
{
	return (const char *)fdt + hdr(fdt, HDR_OFF_STRUCT);
}

static uint32_t struct_size(const void *fdt)
{
	return hdr(fdt, HDR_SIZE_STRUCT);
}

static uint32_t token(const void *fdt, int off)
{
	return fdt32_to_cpu(*(const uint32_t *)(structs(fdt) + off));
}

static int align4(int off)
{
	return (off + 3) & ~3;
}

int fdt_check(const void *fdt)
{
	if (!fdt || ((uintptr_t)fdt & 7)) {
		return -1;
	}
	if (hdr(fdt, HDR_MAGIC) != FDT_MAGIC || hdr(fdt, HDR_VERSION) < 16) {
		return -1;
	}
	if (hdr(fdt, HDR_OFF_STRUCT) + struct_size(fdt) >
	    hdr(fdt, HDR_TOTALSIZE)) {
		return -1;
	}
	return 0;
}

/* Offset of the token after the one at `off`; -1 past the end. */
static int next_token(const void *fdt, int off)
{
	uint32_t tok = token(fdt, off);
	int next = off + 4;

	if (tok == FDT_BEGIN_NODE) {
		next += (int)strlen(structs(fdt) + next) + 1;
	} else if (tok == FDT_PROP) {
		next += 8 + (int)fdt32_to_cpu(
				    *(const uint32_t *)(structs(fdt) + next));
	} else if (tok == FDT_END) {
		return -1;
	}
	next = align4(next);
	return next < (int)struct_size(fdt) ? next : -1;
}

int fdt_next_node(const void *fdt, int node, int *depth)
{
	int off = node < 0 ? 0 : node;

	if (node < 0) {
		*depth = -1;
	} else {
		off = next_token(fdt, off);
	}
	for (; off >= 0; off = next_token(fdt, off)) {
		uint32_t tok = token(fdt, off);

		if (tok == FDT_BEGIN_NODE) {
			(*depth)++;
			return off;
		}
		if (tok == FDT_END_NODE) {
			(*depth)--;
		}
		if (tok == FDT_END) {
			break;
		}
	}
	return -1;
}

const char *fdt_node_name(const void *fdt, int node)
{
	return structs(fdt) + node + 4;
}

const void *fdt_getprop(const void *fdt, int node, const char *name, int *len)
{
	const char *strings = (const char *)fdt + hdr(fdt, HDR_OFF_STRINGS);
	int off = next_token(fdt, node);

	/* Properties come first, right after BEGIN_NODE. */
	for (; off >= 0; off = next_token(fdt, off)) {
		const uint32_t *p = (const uint32_t *)(structs(fdt) + off);
		uint32_t tok = token(fdt, off);

		if (tok == FDT_NOP) {
			continue;
		}
		if (tok != FDT_PROP) {
			break;
		}
		if (!strcmp(strings + fdt32_to_cpu(p[2]), name)) {
			if (len) {
				*len = (int)fdt32_to_cpu(p[1]);
			}
			return p + 3;
		}
	}
	return NULL;
}

bool fdt_is_compatible(const void *fdt, int node, const char *compat)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "compatible", &len);
	const char *end = s + len;

	if (!s) {
		return false;
	}
	while (s < end) {
		size_t n = strnlen(s, (size_t)(end - s));

		if (!strcmp(s, compat)) {
			return true;
		}
		s += n + 1;
	}
	return false;
}

int fdt_find_compatible(const void *fdt, int from, const char *compat)
{
	int depth = 0;
	int node = fdt_next_node(fdt, from, &depth);

	for (; node >= 0; node = fdt_next_node(fdt, node, &depth)) {
		if (fdt_is_compatible(fdt, node, compat)) {
			return node;
		}
	}
	return -1;
}

static bool name_matches(const char *node_name, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(node_name, name, n) &&
	       (node_name[n] == '\0' || node_name[n] == '@');
}

int fdt_find_child(const void *fdt, int parent, const char *name)
{
	int depth = 0;
	int node;

	if (parent < 0) { /* children of the root */
		parent = 0;
	}
	node = fdt_next_node(fdt, parent, &depth);
	for (; node >= 0 && depth > 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		if (depth == 1 &&
		    name_matches(fdt_node_name(fdt, node), name)) {
			return node;
		}
	}
	return -1;
}

uint32_t fdt_getprop_u32(const void *fdt, int node, const char *name,
			 uint32_t def)
{
	int len;
	const uint32_t *p = fdt_getprop(fdt, node, name, &len);

	return p && len >= 4 ? fdt32_to_cpu(*p) : def;
}

uint64_t fdt_read_cells(const uint32_t **p, unsigned int cells)
{
	uint64_t v = 0;

	while (cells--) {
		v = (v << 32) | fdt32_to_cpu(*(*p)++);
	}
	return v;
}
