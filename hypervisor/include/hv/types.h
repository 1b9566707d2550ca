/* Basic fixed-width types shared by every part of the hypervisor. */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A physical (machine) address. */
typedef uint64_t paddr_t;
/* A virtual address in the hypervisor's own address space. */
typedef uint64_t vaddr_t;

#define INVALID_PADDR (~(paddr_t)0)

#endif /* HV_TYPES_H */
