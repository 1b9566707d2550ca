/*
 * Memory and string functions for the freestanding hypervisor. Host unit
 * tests use the C library's instead, so this file is target-only.
 */
#include <hv/string.h>

/* Copies 64 bytes per step when both pointers are 8-byte aligned (the
 * common case for page copies), bytes otherwise. The build uses
 * -fno-strict-aliasing, so the word accesses are well defined. */
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	size_t i = 0;

	if ((((uintptr_t)d | (uintptr_t)s) & 7U) == 0U) {
		for (; (i + 64U) <= n; i += 64U) {
			const uint64_t *sw =
				(const uint64_t *)(const void *)&s[i];
			uint64_t *dw = (uint64_t *)(void *)&d[i];
			/* All loads before the stores, so that they pair
			 * (ldp/stp) although d and s might alias. Also right
			 * for memmove's forward copy (d below s). */
			uint64_t w0 = sw[0];
			uint64_t w1 = sw[1];
			uint64_t w2 = sw[2];
			uint64_t w3 = sw[3];
			uint64_t w4 = sw[4];
			uint64_t w5 = sw[5];
			uint64_t w6 = sw[6];
			uint64_t w7 = sw[7];

			dw[0] = w0;
			dw[1] = w1;
			dw[2] = w2;
			dw[3] = w3;
			dw[4] = w4;
			dw[5] = w5;
			dw[6] = w6;
			dw[7] = w7;
		}
		/* The tail, and small copies (hypercall arguments), by word. */
		for (; (i + 8U) <= n; i += 8U) {
			*(uint64_t *)(void *)&d[i] =
				*(const uint64_t *)(const void *)&s[i];
		}
		if ((i + 4U) <= n) {
			*(uint32_t *)(void *)&d[i] =
				*(const uint32_t *)(const void *)&s[i];
			i += 4U;
		}
	}
	for (; i < n; i++) {
		d[i] = s[i];
	}
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	size_t i;

	if ((uintptr_t)d <= (uintptr_t)s) {
		return memcpy(dst, src, n);
	}
	for (i = n; i > 0U; i--) {
		d[i - 1U] = s[i - 1U];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t pattern = 0x0101010101010101ULL * (unsigned char)c;
	size_t i = 0;

	/* Bytes up to an 8-byte boundary, then 128-byte runs of words (page
	 * clearing and frame tables are most of the work), then words, then
	 * the tail. */
	for (; (i < n) && (((uintptr_t)&d[i] & 7U) != 0U); i++) {
		d[i] = (unsigned char)c;
	}
	for (; (i + 128U) <= n; i += 128U) {
		uint64_t *w = (uint64_t *)(void *)&d[i];

		w[0] = pattern;
		w[1] = pattern;
		w[2] = pattern;
		w[3] = pattern;
		w[4] = pattern;
		w[5] = pattern;
		w[6] = pattern;
		w[7] = pattern;
		w[8] = pattern;
		w[9] = pattern;
		w[10] = pattern;
		w[11] = pattern;
		w[12] = pattern;
		w[13] = pattern;
		w[14] = pattern;
		w[15] = pattern;
	}
	for (; (i + 8U) <= n; i += 8U) {
		*(uint64_t *)(void *)&d[i] = pattern;
	}
	for (; i < n; i++) {
		d[i] = (unsigned char)c;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a;
	const unsigned char *y = b;
	size_t i;

	for (i = 0; i < n; i++) {
		if (x[i] != y[i]) {
			return (int)x[i] - (int)y[i];
		}
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0') {
		n++;
	}
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while ((n < max) && (s[n] != '\0')) {
		n++;
	}
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((a[i] != b[i]) || (a[i] == '\0')) {
			return (int)(unsigned char)a[i] -
			       (int)(unsigned char)b[i];
		}
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}

char *strchr(const char *s, int c)
{
	size_t i = 0;

	for (;;) {
		if (s[i] == (char)c) {
			return (char *)&s[i];
		}
		if (s[i] == '\0') {
			return NULL;
		}
		i++;
	}
}
