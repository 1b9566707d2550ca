/* Compiler attributes and small helper macros. */
#ifndef HV_COMPILER_H
#define HV_COMPILER_H

#include <hv/types.h>

#define __must_check __attribute__((warn_unused_result))
#define __noreturn __attribute__((noreturn))
/* Kept out of line: a slow path that would give its caller a frame. */
#define __noinline __attribute__((noinline))
#define __unused __attribute__((unused))
#define __used __attribute__((used))
#define __aligned(n) __attribute__((aligned(n)))
#define __section(s) __attribute__((section(s)))
#define __printf(f, a) __attribute__((format(printf, f, a)))
#define __packed __attribute__((packed))
/* For the host unit tests only (resets between tests): the hypervisor's
 * link discards the section, and fails if the image calls one of these. */
#define __host_test_only __section(".discard.host_test")

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Round x up or down to a multiple of a, which must be a power of two. */
#define ALIGN_UP(x, a) (((x) + ((a) - 1U)) & ~((__typeof__(x))(a) - 1U))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1U))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1U)) == 0U)

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member)                                        \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* Number of elements of type T in a linker-built table bounded by the
 * symbols start and stop (addresses compared as integers: the two symbols
 * are distinct objects to C). */
#define LINKER_TABLE_COUNT(start, stop, T)                                     \
	(((uintptr_t)(stop) - (uintptr_t)(start)) / sizeof(T))

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

#endif /* HV_COMPILER_H */
