/*
 * Symbol names for backtraces. The table is generated from the first link
 * of the image (scripts/gen-symbols.sh) and linked into the second.
 */
#ifndef HV_ASM_SYMBOLS_H
#define HV_ASM_SYMBOLS_H

#include <hv/types.h>

/* Print "name+0xoff" for the code address pc (or just the address). */
void symbols_print(uint64_t pc);

/* Print a frame-pointer backtrace starting at frame fp, after pc. */
void backtrace_from(uint64_t fp, uint64_t pc);

#endif /* HV_ASM_SYMBOLS_H */
