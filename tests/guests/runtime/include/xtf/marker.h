/*
 * The scrub tests' marker, "XENON-SCRUB-MARKER" repeated, made at run time
 * (ROT13 of a constant) so that no image carries it as it is.
 */
#ifndef XTF_MARKER_H
#define XTF_MARKER_H

#include <xtf/lib.h>

#define XTF_MARKER_PERIOD 18U

static inline void xtf_marker_fill(char *out, size_t len)
{
	static const char rot[] = "KRABA-FPEHO-ZNEXRE";
	size_t i;

	for (i = 0; i < len; i++) {
		char c = rot[i % XTF_MARKER_PERIOD];

		out[i] = (c >= 'A' && c <= 'Z')
				 ? (char)('A' + (c - 'A' + 13) % 26)
				 : c;
	}
}

#endif /* XTF_MARKER_H */
