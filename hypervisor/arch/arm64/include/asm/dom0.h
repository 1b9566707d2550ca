/*
 * Building the hardware domain (dom0) from the boot modules.
 */
#ifndef HV_ASM_DOM0_H
#define HV_ASM_DOM0_H

#include <hv/bootinfo.h>

#include <drivers/gic-dt.h>

/*
 * Build and start dom0 if the boot modules include a dom0 kernel (a
 * kernel module directly under /chosen). gic is the host GIC the
 * hypervisor drives (dom0's vGIC sits at its addresses); hyp_base is where the hypervisor
 * image is (its range becomes the grant-table region, as in Xen), uart_node
 * the host UART the hypervisor keeps. Returns true if dom0 started; a
 * problem is reported and leaves the other domains to boot.
 */
bool dom0_build(const struct fdt *fdt, const struct bootinfo *bi,
		const struct gic_dt_host *gic, paddr_t hyp_base, int uart_node);

#endif /* HV_ASM_DOM0_H */
