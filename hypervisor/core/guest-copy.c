/*
 * Checked guest copies, page by page.
 */
#include <hv/errno.h>
#include <hv/guest-copy.h>
#include <hv/page-alloc.h>
#include <hv/string.h>

/* Page by page: a copy that crosses pages. */
static __noinline int copy_pages(uint8_t *p, uint64_t gva, size_t len,
				 bool to_guest)
{
	size_t chunk;
	paddr_t pa;

	while (len > 0U) {
		chunk = PAGE_SIZE - (gva & (PAGE_SIZE - 1U));
		chunk = MIN(chunk, len);
		pa = arch_guest_va_to_ram(gva, to_guest);
		if (pa == INVALID_PADDR) {
			return -EFAULT;
		}
		if (to_guest) {
			memcpy(maddr_to_virt(pa), p, chunk);
		} else {
			memcpy(p, maddr_to_virt(pa), chunk);
		}
		p += chunk;
		gva += chunk;
		len -= chunk;
	}
	return 0;
}

/* Within one page (hypercall arguments) in line, with no loop state. */
static inline int copy_guest(void *hv, uint64_t gva, size_t len, bool to_guest)
{
	paddr_t pa;

	if (len > (PAGE_SIZE - (gva & (PAGE_SIZE - 1U)))) {
		return copy_pages(hv, gva, len, to_guest);
	}
	if (len == 0U) {
		return 0;
	}
	pa = arch_guest_va_to_ram(gva, to_guest);
	if (pa == INVALID_PADDR) {
		return -EFAULT;
	}
	if (to_guest) {
		memcpy(maddr_to_virt(pa), hv, len);
	} else {
		memcpy(hv, maddr_to_virt(pa), len);
	}
	return 0;
}

int copy_from_guest(void *dst, uint64_t gva, size_t len)
{
	return copy_guest(dst, gva, len, false);
}

int copy_to_guest(uint64_t gva, const void *src, size_t len)
{
	return copy_guest((void *)(uintptr_t)src, gva, len, true);
}
