/* Fatal errors and invariant checks. */
#ifndef HV_PANIC_H
#define HV_PANIC_H

#include <hv/compiler.h>

/* Print the message with a backtrace and stop the machine. */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

/* Always on: the hypervisor's own state is corrupt. */
#define BUG_ON(cond)                                                           \
	do {                                                                   \
		if (unlikely(cond)) {                                          \
			panic("BUG at %s:%d: %s\n", __FILE__, __LINE__,        \
			      #cond);                                          \
		}                                                              \
	} while (0)

#ifdef NDEBUG
#define ASSERT(cond) ((void)0)
#else
#define ASSERT(cond)                                                           \
	do {                                                                   \
		if (unlikely(!(cond))) {                                       \
			panic("Assertion '%s' failed at %s:%d\n", #cond,       \
			      __FILE__, __LINE__);                             \
		}                                                              \
	} while (0)
#endif

/* Arch hooks used by panic(). */

/* Print a frame-pointer backtrace of the caller with symbol names. */
void arch_dump_backtrace(void);

/* Stop the other CPUs and halt this one for good. */
__noreturn void arch_halt(void);

/* Reset the machine (through PSCI SYSTEM_RESET on Arm). */
__noreturn void arch_reset(void);

#endif /* HV_PANIC_H */
