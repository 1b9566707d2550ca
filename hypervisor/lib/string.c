/*
 * Memory and string functions for the freestanding hypervisor. Host unit
 * tests use the C library's instead, so this file is target-only.
 */
#include <hv/string.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	size_t i;

	for (i = 0; i < n; i++) {
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
	size_t i;

	for (i = 0; i < n; i++) {
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
			return (int)(unsigned char)a[i] - (int)(unsigned char)b[i];
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
