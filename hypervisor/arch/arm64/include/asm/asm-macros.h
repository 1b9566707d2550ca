/*
 * Assembler helpers.
 */
#ifndef HV_ASM_ASM_MACROS_H
#define HV_ASM_ASM_MACROS_H

#ifdef __ASSEMBLY__
/* clang-format off */
/* Load the PC-relative address of sym (+/- 4 GiB), valid before and after
 * relocation. */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm
/* clang-format on */
#endif

#endif /* HV_ASM_ASM_MACROS_H */
