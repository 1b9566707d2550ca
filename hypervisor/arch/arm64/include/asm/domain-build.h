/*
 * Building domains from boot modules: dom0less domains described under
 * /chosen with Xen's "xen,domain" bindings.
 */
#ifndef HV_ASM_DOMAIN_BUILD_H
#define HV_ASM_DOMAIN_BUILD_H

#include <hv/bootinfo.h>
#include <hv/domain.h>

/* Create and start every xen,domain node's domain. A domain whose
 * description is bad is reported and skipped; returns how many started. */
unsigned int dom0less_create_domains(const struct fdt *fdt,
				     const struct bootinfo *bi);

/* Copy len bytes to d's guest-physical ipa (RAM only); 0 or -EFAULT. */
int __must_check copy_to_guest_phys(struct domain *d, paddr_t ipa,
				    const void *src, uint64_t len);

#endif /* HV_ASM_DOMAIN_BUILD_H */
