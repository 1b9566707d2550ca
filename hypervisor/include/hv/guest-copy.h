/*
 * Checked copies between the hypervisor and the current vCPU's memory.
 * Guest addresses are the guest's virtual addresses, as in Xen's hypercall
 * ABI on Arm; each page is translated through the guest's stage 1 and then
 * its stage 2, and must be the domain's own RAM.
 */
#ifndef HV_GUEST_COPY_H
#define HV_GUEST_COPY_H

#include <hv/compiler.h>

/* The guest address in a XEN_GUEST_HANDLE (64-bit on every arch). */
#define GUEST_HANDLE_ADDR(h) ((uint64_t)(uintptr_t)(h).p)

/* Copy len bytes from guest address gva; 0 or -EFAULT. */
int __must_check copy_from_guest(void *dst, uint64_t gva, size_t len);

/* Copy len bytes to guest address gva; 0 or -EFAULT. */
int __must_check copy_to_guest(uint64_t gva, const void *src, size_t len);

/* Arch hook: the machine address of the RAM that gva maps to for the
 * current vCPU, through both stages of translation (that it may write, if
 * write is set), or INVALID_PADDR. */
paddr_t arch_guest_va_to_ram(uint64_t gva, bool write);

#endif /* HV_GUEST_COPY_H */
