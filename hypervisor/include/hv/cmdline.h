/*
 * The hypervisor command line. Each option is declared next to the code it
 * controls with HV_PARAM(); the parser calls its handler. Option names follow
 * Xen's where they overlap. An unknown option is warned about, not fatal.
 */
#ifndef HV_CMDLINE_H
#define HV_CMDLINE_H

#include <hv/compiler.h>

struct hv_param {
	const char *name;
	/* value is the text after '=' (NUL-terminated), or NULL without '='.
	 * Returns 0 or a negative errno for a malformed value. */
	int (*handler)(const char *value);
};

#define HV_PARAM(optname, fn)                                                  \
	__used                                                                 \
	__section("hv_params") static const struct hv_param hv_param_##fn = {  \
		(optname), (fn)}

/* Longest command line kept; the rest is ignored with a warning. */
#define CMDLINE_MAX 1024U

/*
 * Parse a space-separated list of name[=value] options and run the handlers.
 * Returns the number of options that were unknown or rejected.
 */
unsigned int cmdline_parse(const char *cmdline);

/* The text last given to cmdline_parse(). */
const char *cmdline_get(void);

/*
 * Value parsers shared by handlers; each returns 0 or -EINVAL.
 * parse_size: a number with an optional K/M/G/T suffix (bytes without one),
 * as Xen's dom0_mem=512M. parse_uint: decimal or 0x hexadecimal.
 * parse_bool: 1/0, yes/no, on/off, true/false, enable/disable; NULL = true.
 */
int __must_check parse_size(const char *s, uint64_t *out);
int __must_check parse_uint(const char *s, uint64_t *out);
int __must_check parse_bool(const char *s, bool *out);

#endif /* HV_CMDLINE_H */
