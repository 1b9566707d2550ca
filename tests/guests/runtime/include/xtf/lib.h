/* Freestanding basics: types, attributes, string functions. */
#ifndef XTF_LIB_H
#define XTF_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define __noreturn __attribute__((__noreturn__))
#define __printf(f, a) __attribute__((__format__(__printf__, f, a)))
#define __aligned(n) __attribute__((__aligned__(n)))
#define __section(s) __attribute__((__section__(s)))
#define __unused __attribute__((__unused__))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define STR_(x) #x
#define STR(x) STR_(x)

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif /* XTF_LIB_H */
