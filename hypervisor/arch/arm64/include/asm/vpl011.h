/*
 * Emulated PL011 (SBSA UART subset) at GUEST_PL011_BASE: output goes to
 * the hypervisor console prefixed "(dN) "; input comes from the console
 * when it is switched to the domain.
 */
#ifndef HV_ASM_VPL011_H
#define HV_ASM_VPL011_H

#include <hv/domain.h>

/* Create d's vpl011 and register its MMIO range; 0 or -ENOMEM. */
int __must_check vpl011_init(struct domain *d);

/* Free d's vpl011, if it has one. */
void vpl011_destroy(struct domain *d);

/* Queue one input character for d's UART (dropped if full). */
void vpl011_rx_char(struct domain *d, char c);

#endif /* HV_ASM_VPL011_H */
