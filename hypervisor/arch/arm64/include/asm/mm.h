/*
 * The hypervisor's own (EL2 stage-1) address space: identity-mapped, and
 * W^X as Xen 4.17 has it. Text is read-only and executable, read-only data
 * read-only, everything else (data, BSS, stacks, the rest of RAM and the
 * devices) non-executable, and SCTLR_EL2.WXN makes any writable mapping
 * non-executable in hardware too.
 */
#ifndef HV_ASM_MM_H
#define HV_ASM_MM_H

#include <hv/bootinfo.h>

/* Build the final page table for bi's RAM and switch the boot CPU to it
 * (it replaces head.S's 1 GiB-block boot table). */
void mm_init_el2(const struct bootinfo *bi);

/* Is pa in one of the RAM banks mm_init_el2() mapped? */
bool mm_is_ram(paddr_t pa);

/* Set SCTLR_EL2.WXN on this CPU, once it runs on the final page table. */
void mm_enable_wxn(void);

#endif /* HV_ASM_MM_H */
