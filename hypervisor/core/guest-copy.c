/*
 * Checked guest copies, page by page.
 */
#include <hv/errno.h>
#include <hv/guest-copy.h>
#include <hv/page-alloc.h>
#include <hv/string.h>

/* A piece of a copy that lies within one guest page. */
static inline int copy_in_page(uint8_t *p, uint64_t gva, size_t len,
			       bool to_guest)
{
	paddr_t pa = arch_guest_va_to_ram(gva, to_guest);

	if (pa == INVALID_PADDR) {
		return -EFAULT;
	}
	if (to_guest) {
		memcpy(maddr_to_virt(pa), p, len);
	} else {
		memcpy(p, maddr_to_virt(pa), len);
	}
	return 0;
}

/* Page by page: a copy that crosses pages. */
static __noinline int copy_pages(uint8_t *p, uint64_t gva, size_t len,
				 bool to_guest)
{
	size_t chunk;

	while (len > 0U) {
		chunk = PAGE_SIZE - (gva & (PAGE_SIZE - 1U));
		chunk = MIN(chunk, len);
		if (copy_in_page(p, gva, chunk, to_guest) != 0) {
			return -EFAULT;
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
	if (len > (PAGE_SIZE - (gva & (PAGE_SIZE - 1U)))) {
		return copy_pages(hv, gva, len, to_guest);
	}
	return (len != 0U) ? copy_in_page(hv, gva, len, to_guest) : 0;
}

int copy_from_guest(void *dst, uint64_t gva, size_t len)
{
	return copy_guest(dst, gva, len, false);
}

int copy_to_guest(uint64_t gva, const void *src, size_t len)
{
	return copy_guest((void *)(uintptr_t)src, gva, len, true);
}
