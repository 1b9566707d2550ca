/*
 * Device register access.
 */
#ifndef HV_MMIO_H
#define HV_MMIO_H

#include <hv/types.h>

static inline uint32_t mmio_read32(paddr_t addr)
{
	return *(volatile const uint32_t *)(uintptr_t)addr;
}

static inline void mmio_write32(paddr_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

static inline uint64_t mmio_read64(paddr_t addr)
{
	return *(volatile const uint64_t *)(uintptr_t)addr;
}

static inline void mmio_write64(paddr_t addr, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)addr = v;
}

#endif /* HV_MMIO_H */
