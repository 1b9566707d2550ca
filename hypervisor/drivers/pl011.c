/*
 * ARM PL011 UART driver.
 */
#include <hv/console.h>
#include <hv/mmio.h>

#include "pl011.h"

#define UARTDR 0x00U
#define UARTFR 0x18U
#define UARTCR 0x30U
#define UARTIMSC 0x38U
#define UARTICR 0x44U

#define FR_RXFE (1U << 4)
#define FR_TXFF (1U << 5)
#define CR_UARTEN (1U << 0)
#define CR_TXE (1U << 8)
#define CR_RXE (1U << 9)
#define INT_RX (1U << 4)
#define INT_RT (1U << 6)

static paddr_t uart_base;

static void pl011_putc(char c)
{
	while ((mmio_read32(uart_base + UARTFR) & FR_TXFF) != 0U) {
		/* Wait for room in the FIFO. */
	}
	mmio_write32(uart_base + UARTDR, (uint32_t)(unsigned char)c);
}

static const struct console_ops pl011_ops = {
	.putc = pl011_putc,
};

void pl011_init(paddr_t base)
{
	uart_base = base;
	mmio_write32(uart_base + UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
	console_register(&pl011_ops);
}

void pl011_enable_rx_irq(void)
{
	mmio_write32(uart_base + UARTICR, INT_RX | INT_RT);
	mmio_write32(uart_base + UARTIMSC, INT_RX | INT_RT);
}

void pl011_irq(unsigned int irq, void *data)
{
	(void)irq;
	(void)data;
	while ((mmio_read32(uart_base + UARTFR) & FR_RXFE) == 0U) {
		console_rx_char(
			(char)(mmio_read32(uart_base + UARTDR) & 0xffU));
	}
	mmio_write32(uart_base + UARTICR, INT_RX | INT_RT);
}
