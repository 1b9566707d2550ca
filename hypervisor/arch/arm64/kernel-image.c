/*
 * The arm64 Linux Image format (Documentation/arm64/booting.rst): the
 * header fields a loader needs, and copying boot images into a domain.
 */
#include <hv/errno.h>
#include <hv/page-alloc.h>

#include <asm/domain-build.h>

#define IMAGE_MAGIC 0x644d5241U /* "ARM\x64" at offset 56 */
#define IMAGE_HEADER_SIZE 64U
#define LEGACY_TEXT_OFFSET 0x80000U

static uint64_t read_le(const uint8_t *p, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++) {
		v |= (uint64_t)p[i] << (8U * i);
	}
	return v;
}

bool image_header(const struct bootmodule *m, uint64_t *text_offset,
		  uint64_t *image_size)
{
	const uint8_t *img = maddr_to_virt(m->start);

	if ((m->size < IMAGE_HEADER_SIZE) ||
	    (read_le(img + 56, 4) != IMAGE_MAGIC)) {
		return false;
	}
	*image_size = read_le(img + 16, 8);
	*text_offset = (*image_size != 0U) ? read_le(img + 8, 8)
					   : LEGACY_TEXT_OFFSET;
	*image_size = MAX(*image_size, m->size);
	return true;
}

int load_images(struct domain *d, const struct bootmodule *kernel,
		const struct bootmodule *initrd, const struct image_layout *lay)
{
	int err = copy_to_guest_phys(
		d, lay->kernel, maddr_to_virt(kernel->start), kernel->size);

	if ((err == 0) && (initrd != NULL)) {
		err = copy_to_guest_phys(d, lay->initrd,
					 maddr_to_virt(initrd->start),
					 initrd->size);
	}
	return err;
}
