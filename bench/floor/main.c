/*
 * floor_main: at EL1, MMU off, no hypervisor (start.S turns every HVC into
 * an immediate ERET). Times batches of HVCs exactly as the guests' null
 * hypercall benchmark does and prints the same kind of line on the PL011:
 *
 *     bench: floor_hvc <median> ticks min=<min> max=<max> n=<n> per=<per>
 *
 * Freestanding; the UART is QEMU virt's PL011 at 0x09000000 (MMU off, so
 * every access is Device-nGnRnE; built with -mstrict-align).
 */
#include <bench-hvc.h>

#define UART_BASE 0x09000000UL
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1U << 5)

#define SAMPLES 200
#define BATCH 64

void floor_main(void);

static uint64_t samples[SAMPLES];

static uint64_t vct(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static void putc_uart(char c)
{
	volatile uint32_t *fr = (volatile uint32_t *)(UART_BASE + UART_FR);
	volatile uint32_t *dr = (volatile uint32_t *)(UART_BASE + UART_DR);

	while (*fr & UART_FR_TXFF)
		;
	*dr = (uint32_t)(unsigned char)c;
}

static void puts_uart(const char *s)
{
	while (*s)
		putc_uart(*s++);
}

static void putu(uint64_t v)
{
	char buf[21];
	int i = 20;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts_uart(&buf[i]);
}

static void sort(uint64_t *a, unsigned int n)
{
	unsigned int i, j;
	uint64_t v;

	for (i = 1; i < n; i++) {
		v = a[i];
		for (j = i; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

void floor_main(void)
{
	unsigned int i;
	uint64_t t0;

	puts_uart("floor: HVC to an EL2 vector that only ERETs\n");
	bench_hvc_batch(__HYPERVISOR_xen_version, XENVER_version, 0, BATCH);
	for (i = 0; i < SAMPLES; i++) {
		t0 = vct();
		bench_hvc_batch(__HYPERVISOR_xen_version, XENVER_version, 0,
				BATCH);
		samples[i] = vct() - t0;
	}
	sort(samples, SAMPLES);
	puts_uart("bench: floor_hvc ");
	putu(samples[SAMPLES / 2]);
	puts_uart(" ticks min=");
	putu(samples[0]);
	puts_uart(" max=");
	putu(samples[SAMPLES - 1]);
	puts_uart(" n=");
	putu(SAMPLES);
	puts_uart(" per=");
	putu(BATCH);
	puts_uart("\n");
}
