/*
 * String and memory helpers. The names follow the C library's so that the
 * compiler's own calls to memcpy/memset resolve here on the target; host
 * tests link the C library's versions instead.
 */
#ifndef HV_STRING_H
#define HV_STRING_H

#include <hv/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif /* HV_STRING_H */
