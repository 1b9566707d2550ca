/* Exceptions taken by the guest. */
#ifndef XTF_TRAPS_H
#define XTF_TRAPS_H

#include <xtf/lib.h>

/* Saved by the vectors; handlers may change elr to resume elsewhere. */
struct cpu_regs {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};

/* Vector index: 4 groups (EL1t, EL1h, lower A64, lower A32) x 4 kinds. */
enum vector_kind {
	VEC_SYNC,
	VEC_IRQ,
	VEC_FIQ,
	VEC_SERROR,
};

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_IABT_CUR 0x21

/*
 * A test that expects a synchronous exception installs a hook; it returns
 * true when it handled the exception (after adjusting regs->elr), false to
 * report it as unexpected. The hook applies to all vCPUs. NULL removes it.
 */
typedef bool (*sync_hook_t)(struct cpu_regs *regs, uint64_t esr, uint64_t far);
void traps_set_sync_hook(sync_hook_t hook);

#endif /* XTF_TRAPS_H */
