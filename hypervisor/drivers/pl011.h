/*
 * ARM PL011 UART: the hypervisor console on QEMU's virt machine.
 */
#ifndef HV_DRIVERS_PL011_H
#define HV_DRIVERS_PL011_H

#include <hv/types.h>

/* Use the UART at base as the console (polled output). */
void pl011_init(paddr_t base);

/* Unmask the receive interrupt; pl011_irq() must be routed to it. */
void pl011_enable_rx_irq(void);

/* Receive interrupt handler: moves received characters to the console. */
void pl011_irq(unsigned int irq, void *data);

#endif /* HV_DRIVERS_PL011_H */
