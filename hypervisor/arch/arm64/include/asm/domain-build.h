/*
 * Building domains from boot modules: dom0less domains described under
 * /chosen with Xen's "xen,domain" bindings.
 */
#ifndef HV_ASM_DOMAIN_BUILD_H
#define HV_ASM_DOMAIN_BUILD_H

#include <hv/bootinfo.h>
#include <hv/domain.h>

/* Where a guest's boot images go in its memory. */
struct image_layout {
	paddr_t kernel;
	uint64_t kernel_size; /* with its BSS, from the Image header */
	paddr_t initrd;
	uint64_t initrd_size;
	paddr_t dtb;
};

/*
 * Read the arm64 Image header of the kernel module m: its text_offset and
 * image_size (both as Linux's booting.rst defines; a legacy header with
 * image_size 0 gets text_offset 0x80000 and the file size). False if m is
 * not an arm64 Image.
 */
bool image_header(const struct bootmodule *m, uint64_t *text_offset,
		  uint64_t *image_size);

/* Copy the kernel and initrd modules to d as lay says; 0 or -EFAULT. */
int __must_check load_images(struct domain *d, const struct bootmodule *kernel,
			     const struct bootmodule *initrd,
			     const struct image_layout *lay);

/* Create and start every xen,domain node's domain. A domain whose
 * description is bad is reported and skipped; returns how many started. */
unsigned int dom0less_create_domains(const struct fdt *fdt,
				     const struct bootinfo *bi);

/* Copy len bytes to d's guest-physical ipa (RAM only); 0 or -EFAULT. */
int __must_check copy_to_guest_phys(struct domain *d, paddr_t ipa,
				    const void *src, uint64_t len);

#endif /* HV_ASM_DOMAIN_BUILD_H */
