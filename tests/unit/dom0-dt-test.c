/*
 * Unit tests for dom0's device tree (core/dom0-dt.c).
 *
 * The host tree is the one QEMU 7.2 makes for "-M virt,virtualization=on,
 * gic-version=3 -cpu cortex-a57 -smp 2 -m 2G" (dumped with -machine
 * dumpdtb), rebuilt here with fdt-builder.h, plus what a Xen boot adds to
 * /chosen (#address-cells, #size-cells, xen,xen-bootargs, the kernel and
 * ramdisk modules) and, to exercise status handling, status = "disabled"
 * on virtio_mmio@a003c00 and xen,passthrough on virtio_mmio@a003e00 (both
 * as their first property). The reference dom0 tree is the one Debian's
 * Xen 4.17.7 gave dom0 for exactly that host tree and this info (2 vCPUs,
 * dom0_mem=512M), read back from dom0's /sys/firmware/fdt. Linux had
 * NOPed /chosen/rng-seed and zeroed kaslr-seed in that copy after reading
 * them; Xen copies both verbatim, so the reference keeps the host values.
 * Trees are read back with the reader (lib/fdt.c), from buffers of their
 * exact size so that AddressSanitizer sees any overrun.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dt/dom0-dt.h>
#include <hv/errno.h>
#include <hv/fdt.h>

#include "fdt-builder.h"

/* Phandles QEMU gives the virt machine's nodes. */
#define PH_CLK 0x8000U
#define PH_CPU1 0x8001U
#define PH_CPU0 0x8002U
#define PH_GIC 0x8003U
#define PH_ITS 0x8004U
#define PH_GPIO 0x8005U

/* Phandles of the nodes the richer host tree adds. */
#define PH_INTC2 0x9000U
#define PH_SMMU 0x9001U

#define LEVEL_LOW 0xf08U
#define NR_VIRTIO 32U
#define VIRTIO_BASE 0xa000000U
#define VIRTIO_DISABLED 30U /* virtio_mmio@a003c00 */
#define VIRTIO_PASSTHROUGH 31U /* virtio_mmio@a003e00 */

/* The Xen run the reference comes from. */
#define XEN_ARGS                                                               \
	"dom0_mem=512M console=dtuart dtuart=/pl011@9000000 loglvl=all "       \
	"guest_loglvl=all"
#define DOM0_ARGS "console=hvc0 rdinit=/init"
#define KERNEL_ADDR 0x49000000U
#define KERNEL_SIZE 0x1f6dfc0U
#define RAMDISK_ADDR 0x4c000000U
#define RAMDISK_SIZE 0xf1146U
#define DOM0_RAM 0x60000000U
#define DOM0_RAM_SIZE 0x20000000U
#define INITRD_ADDR 0x68200000U

static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";

/* A tree in a buffer of its exact size, and the reader's view. */
struct tree {
	uint8_t *buf;
	size_t size;
	struct fdt fdt;
};

/* Which host tree to build. */
enum host_kind {
	HOST_QEMU, /* QEMU's tree as Xen booted it */
	HOST_RICH, /* plus the nodes of rich_nodes() and rich /chosen */
	HOST_GICV2, /* a small GICv2 machine */
	HOST_CELLS1, /* a small GICv3 machine with 1-cell root addresses */
	HOST_RDIST2, /* a small GICv3 machine with two redistributor regions */
};

/* ---- Writing trees ---- */

/* A property of n cells, for any n. */
static void prop_cells(struct fdtb *b, const char *name, const uint32_t *c,
		       size_t n)
{
	uint8_t *buf = malloc(4 * n + 1);
	size_t i;

	assert_non_null(buf);
	for (i = 0; i < n; i++) {
		fdtb_put32(buf + 4 * i, c[i]);
	}
	fdtb_prop(b, name, buf, 4 * n);
	free(buf);
}

/* reg of n (address, size) pairs in 2 + 2 cells. */
static void reg2(struct fdtb *b, const uint64_t *pairs, unsigned int n)
{
	uint32_t c[32];
	unsigned int i;

	for (i = 0; i < 2 * n; i++) {
		c[2 * i] = (uint32_t)(pairs[i] >> 32);
		c[2 * i + 1] = (uint32_t)pairs[i];
	}
	prop_cells(b, "reg", c, 4 * n);
}

static void reg1(struct fdtb *b, uint64_t addr, uint64_t size)
{
	const uint64_t pair[] = {addr, size};

	reg2(b, pair, 1);
}

static void prop_empty(struct fdtb *b, const char *name)
{
	fdtb_prop(b, name, NULL, 0);
}

static void strlist(struct fdtb *b, const char *name, const char *s,
		    size_t size)
{
	fdtb_prop(b, name, s, size);
}

#define STRLIST(b, name, lit) strlist(b, name, lit, sizeof(lit))

static void qemu_root_props(struct fdtb *b)
{
	fdtb_prop_u32(b, "interrupt-parent", PH_GIC);
	fdtb_prop_str(b, "model", "linux,dummy-virt");
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_str(b, "compatible", "linux,dummy-virt");
}

static void host_psci_memory(struct fdtb *b)
{
	fdtb_begin(b, "psci");
	fdtb_prop_u32(b, "migrate", 0xc4000005);
	fdtb_prop_u32(b, "cpu_on", 0xc4000003);
	fdtb_prop_u32(b, "cpu_off", 0x84000002);
	fdtb_prop_u32(b, "cpu_suspend", 0xc4000001);
	fdtb_prop_str(b, "method", "smc");
	fdtb_prop(b, "compatible", psci_compat, sizeof(psci_compat));
	fdtb_end(b);
	fdtb_begin(b, "memory@40000000");
	reg1(b, 0x40000000, 0x80000000);
	fdtb_prop_str(b, "device_type", "memory");
	fdtb_end(b);
}

static void platform_bus_fw_cfg(struct fdtb *b)
{
	static const uint32_t ranges[] = {0, 0, 0xc000000, 0x2000000};

	fdtb_begin(b, "platform-bus@c000000");
	fdtb_prop_u32(b, "interrupt-parent", PH_GIC);
	fdtb_prop_cells(b, "ranges", ranges, 4);
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 1);
	STRLIST(b, "compatible", "qemu,platform\0simple-bus");
	fdtb_end(b);
	fdtb_begin(b, "fw-cfg@9020000");
	prop_empty(b, "dma-coherent");
	reg1(b, 0x9020000, 0x18);
	fdtb_prop_str(b, "compatible", "qemu,fw-cfg-mmio");
	fdtb_end(b);
}

/* virtio_mmio node i; the host has status or xen,passthrough first, dom0
 * has status last. */
static void virtio_node(struct fdtb *b, unsigned int i, bool dom0)
{
	uint32_t irq[] = {0, 0x10 + i, 1};
	char name[32];

	snprintf(name, sizeof(name), "virtio_mmio@%x", VIRTIO_BASE + 0x200 * i);
	fdtb_begin(b, name);
	if (!dom0 && i == VIRTIO_DISABLED) {
		fdtb_prop_str(b, "status", "disabled");
	}
	if (!dom0 && i == VIRTIO_PASSTHROUGH) {
		fdtb_prop(b, "xen,passthrough", "", 1);
	}
	prop_empty(b, "dma-coherent");
	fdtb_prop_cells(b, "interrupts", irq, 3);
	reg1(b, VIRTIO_BASE + 0x200 * i, 0x200);
	fdtb_prop_str(b, "compatible", "virtio,mmio");
	if (dom0 && (i == VIRTIO_DISABLED || i == VIRTIO_PASSTHROUGH)) {
		fdtb_prop_str(b, "status", "disabled");
	}
	fdtb_end(b);
}

static void virtio_nodes(struct fdtb *b, bool dom0)
{
	unsigned int i;

	for (i = 0; i < NR_VIRTIO; i++) {
		virtio_node(b, i, dom0);
	}
}

static void gpio_keys_pl061(struct fdtb *b)
{
	static const uint32_t gpios[] = {PH_GPIO, 3, 0};
	static const uint32_t irq[] = {0, 7, 4};

	fdtb_begin(b, "gpio-keys");
	fdtb_prop_str(b, "compatible", "gpio-keys");
	fdtb_begin(b, "poweroff");
	fdtb_prop_cells(b, "gpios", gpios, 3);
	fdtb_prop_u32(b, "linux,code", 0x74);
	fdtb_prop_str(b, "label", "GPIO Key Poweroff");
	fdtb_end(b);
	fdtb_end(b);
	fdtb_begin(b, "pl061@9030000");
	fdtb_prop_u32(b, "phandle", PH_GPIO);
	fdtb_prop_str(b, "clock-names", "apb_pclk");
	fdtb_prop_u32(b, "clocks", PH_CLK);
	fdtb_prop_cells(b, "interrupts", irq, 3);
	prop_empty(b, "gpio-controller");
	fdtb_prop_u32(b, "#gpio-cells", 2);
	STRLIST(b, "compatible", "arm,pl061\0arm,primecell");
	reg1(b, 0x9030000, 0x1000);
	fdtb_end(b);
}

/* QEMU's PCI interrupt map: slot s, pin p -> SPI 3 + (s + p - 1) % 4. */
static void pcie_interrupt_map(struct fdtb *b)
{
	uint32_t map[16 * 10];
	unsigned int n = 0;
	unsigned int s, p;

	for (s = 0; s < 4; s++) {
		for (p = 1; p <= 4; p++) {
			const uint32_t e[] = {
				s << 11, 0,	 0,
				p,	 PH_GIC, 0,
				0,	 0,	 3 + (s + p - 1) % 4,
				4};

			memcpy(map + n, e, sizeof(e));
			n += 10;
		}
	}
	prop_cells(b, "interrupt-map", map, n);
}

static void pcie_node(struct fdtb *b)
{
	static const uint32_t mask[] = {0x1800, 0, 0, 7};
	static const uint32_t ranges[] = {
		0x1000000, 0,	 0,	     0,	   0x3eff0000, 0,    0x10000,
		0x2000000, 0,	 0x10000000, 0,	   0x10000000, 0,    0x2eff0000,
		0x3000000, 0x80, 0,	     0x80, 0,	       0x80, 0};
	static const uint32_t reg[] = {0x40, 0x10000000, 0, 0x10000000};
	static const uint32_t msi_map[] = {0, PH_ITS, 0, 0x10000};
	static const uint32_t bus_range[] = {0, 0xff};

	fdtb_begin(b, "pcie@10000000");
	fdtb_prop_cells(b, "interrupt-map-mask", mask, 4);
	pcie_interrupt_map(b);
	fdtb_prop_u32(b, "#interrupt-cells", 1);
	prop_cells(b, "ranges", ranges, 21);
	fdtb_prop_cells(b, "reg", reg, 4);
	fdtb_prop_cells(b, "msi-map", msi_map, 4);
	prop_empty(b, "dma-coherent");
	fdtb_prop_cells(b, "bus-range", bus_range, 2);
	fdtb_prop_u32(b, "linux,pci-domain", 0);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_u32(b, "#address-cells", 3);
	fdtb_prop_str(b, "device_type", "pci");
	fdtb_prop_str(b, "compatible", "pci-host-ecam-generic");
	fdtb_end(b);
}

static void pl031_node(struct fdtb *b)
{
	static const uint32_t irq[] = {0, 2, 4};

	fdtb_begin(b, "pl031@9010000");
	fdtb_prop_str(b, "clock-names", "apb_pclk");
	fdtb_prop_u32(b, "clocks", PH_CLK);
	fdtb_prop_cells(b, "interrupts", irq, 3);
	reg1(b, 0x9010000, 0x1000);
	STRLIST(b, "compatible", "arm,pl031\0arm,primecell");
	fdtb_end(b);
}

static void pl011_pmu(struct fdtb *b)
{
	static const uint32_t clocks[] = {PH_CLK, PH_CLK};
	static const uint32_t irq[] = {0, 1, 4};
	static const uint32_t pmu_irq[] = {1, 7, 4};

	fdtb_begin(b, "pl011@9000000");
	STRLIST(b, "clock-names", "uartclk\0apb_pclk");
	fdtb_prop_cells(b, "clocks", clocks, 2);
	fdtb_prop_cells(b, "interrupts", irq, 3);
	reg1(b, 0x9000000, 0x1000);
	STRLIST(b, "compatible", "arm,pl011\0arm,primecell");
	fdtb_end(b);
	fdtb_begin(b, "pmu");
	fdtb_prop_cells(b, "interrupts", pmu_irq, 3);
	fdtb_prop_str(b, "compatible", "arm,armv8-pmuv3");
	fdtb_end(b);
}

static const uint64_t gicv3_reg[] = {0x8000000, 0x10000, 0x80a0000, 0xf60000};

static void host_gicv3(struct fdtb *b)
{
	static const uint32_t irq[] = {1, 9, 4};

	fdtb_begin(b, "intc@8000000");
	fdtb_prop_u32(b, "phandle", PH_GIC);
	fdtb_prop_cells(b, "interrupts", irq, 3);
	reg2(b, gicv3_reg, 2);
	fdtb_prop_u32(b, "#redistributor-regions", 1);
	fdtb_prop_str(b, "compatible", "arm,gic-v3");
	prop_empty(b, "ranges");
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_u32(b, "#address-cells", 2);
	prop_empty(b, "interrupt-controller");
	fdtb_prop_u32(b, "#interrupt-cells", 3);
	fdtb_begin(b, "its@8080000");
	fdtb_prop_u32(b, "phandle", PH_ITS);
	reg1(b, 0x8080000, 0x20000);
	fdtb_prop_u32(b, "#msi-cells", 1);
	prop_empty(b, "msi-controller");
	fdtb_prop_str(b, "compatible", "arm,gic-v3-its");
	fdtb_end(b);
	fdtb_end(b);
}

static void flash_node(struct fdtb *b)
{
	static const uint64_t reg[] = {0, 0x4000000, 0x4000000, 0x4000000};

	fdtb_begin(b, "flash@0");
	fdtb_prop_u32(b, "bank-width", 4);
	reg2(b, reg, 2);
	fdtb_prop_str(b, "compatible", "cfi-flash");
	fdtb_end(b);
}

static void host_cpu(struct fdtb *b, unsigned int n)
{
	fdtb_begin(b, n == 0 ? "cpu@0" : "cpu@1");
	fdtb_prop_u32(b, "phandle", n == 0 ? PH_CPU0 : PH_CPU1);
	fdtb_prop_u32(b, "reg", n);
	fdtb_prop_str(b, "enable-method", "psci");
	fdtb_prop_str(b, "compatible", "arm,cortex-a57");
	fdtb_prop_str(b, "device_type", "cpu");
	fdtb_end(b);
}

static void host_cpus(struct fdtb *b)
{
	fdtb_begin(b, "cpus");
	fdtb_prop_u32(b, "#size-cells", 0);
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_begin(b, "cpu-map");
	fdtb_begin(b, "socket0");
	fdtb_begin(b, "cluster0");
	fdtb_begin(b, "core0");
	fdtb_prop_u32(b, "cpu", PH_CPU0);
	fdtb_end(b);
	fdtb_begin(b, "core1");
	fdtb_prop_u32(b, "cpu", PH_CPU1);
	fdtb_end(b);
	fdtb_end(b);
	fdtb_end(b);
	fdtb_end(b);
	host_cpu(b, 0);
	host_cpu(b, 1);
	fdtb_end(b);
}

static void host_timer(struct fdtb *b)
{
	static const uint32_t irq[] = {1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4};

	fdtb_begin(b, "timer");
	fdtb_prop_cells(b, "interrupts", irq, 12);
	prop_empty(b, "always-on");
	STRLIST(b, "compatible", "arm,armv8-timer\0arm,armv7-timer");
	fdtb_end(b);
}

static void apb_pclk(struct fdtb *b)
{
	fdtb_begin(b, "apb-pclk");
	fdtb_prop_u32(b, "phandle", PH_CLK);
	fdtb_prop_str(b, "clock-output-names", "clk24mhz");
	fdtb_prop_u32(b, "clock-frequency", 0x16e3600);
	fdtb_prop_u32(b, "#clock-cells", 0);
	fdtb_prop_str(b, "compatible", "fixed-clock");
	fdtb_end(b);
}

static const uint32_t rng_seed[] = {0x2ae67592, 0x281d43da, 0xdc114fd0,
				    0x44c6658c, 0x1d0fa3fa, 0x22737715,
				    0x7fcbe33c, 0x4db50abc};
static const uint32_t kaslr_seed[] = {0xe6120de8, 0x176ec146};

static void chosen_module(struct fdtb *b, bool kernel)
{
	fdtb_begin(b, kernel ? "module@49000000" : "module@4c000000");
	if (kernel) {
		fdtb_prop_str(b, "bootargs", DOM0_ARGS);
		reg1(b, KERNEL_ADDR, KERNEL_SIZE);
		STRLIST(b, "compatible", "multiboot,kernel\0multiboot,module");
	} else {
		reg1(b, RAMDISK_ADDR, RAMDISK_SIZE);
		STRLIST(b, "compatible", "multiboot,ramdisk\0multiboot,module");
	}
	fdtb_end(b);
}

/* What the richer host tree adds to /chosen, properties first. */
static void rich_chosen_props(struct fdtb *b)
{
	fdtb_prop_str(b, "bootargs", "the hypervisor's");
	fdtb_prop_str(b, "xen,dom0-bootargs", "unused");
	fdtb_prop_u32(b, "linux,initrd-start", 0x1000);
	fdtb_prop_u32(b, "linux,initrd-end", 0x2000);
	fdtb_prop_u32(b, "linux,uefi-mmap-start", 0x3000);
	fdtb_prop_u32(b, "linux,uefi-system-table", 0x4000);
	fdtb_prop_str(b, "linux,stdout-path", "kept");
}

static void rich_chosen_nodes(struct fdtb *b)
{
	fdtb_begin(b, "domU1");
	fdtb_prop_str(b, "compatible", "xen,domain");
	fdtb_prop_u32(b, "cpus", 1);
	chosen_module(b, true);
	fdtb_end(b);
	fdtb_begin(b, "evtchn");
	fdtb_prop_str(b, "compatible", "xen,evtchn-v1");
	fdtb_prop_u32(b, "xen,evtchn", 1);
	fdtb_end(b);
}

static void host_chosen(struct fdtb *b, bool rich)
{
	fdtb_begin(b, "chosen");
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_str(b, "xen,xen-bootargs", XEN_ARGS);
	fdtb_prop_str(b, "stdout-path", "/pl011@9000000");
	prop_cells(b, "rng-seed", rng_seed, 8);
	prop_cells(b, "kaslr-seed", kaslr_seed, 2);
	if (rich) {
		rich_chosen_props(b);
	}
	chosen_module(b, true);
	chosen_module(b, false);
	if (rich) {
		rich_chosen_nodes(b);
	}
	fdtb_end(b);
}

/* ---- The richer host: every other rule ---- */

/* A simple-bus with ranges and devices behind it, and buses that cannot
 * translate. */
static void rich_buses(struct fdtb *b)
{
	static const uint32_t ranges[] = {0, 0, 0x20000000, 0x100000};
	static const uint32_t uart_irq[] = {0, 40, 4};
	static const uint32_t reg[] = {0x1000, 0x100};
	static const uint32_t i2c_reg[] = {0x2000, 0x100};
	static const uint32_t far_reg[] = {0x200000, 0x10};
	static const uint32_t dev_reg[] = {0, 0x10};

	fdtb_begin(b, "soc");
	STRLIST(b, "compatible", "simple-bus");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 1);
	fdtb_prop_cells(b, "ranges", ranges, 4);
	fdtb_begin(b, "serial@1000");
	fdtb_prop_cells(b, "reg", reg, 2);
	fdtb_prop_cells(b, "interrupts", uart_irq, 3);
	fdtb_end(b);
	fdtb_begin(b, "i2c@2000");
	fdtb_prop_cells(b, "reg", i2c_reg, 2);
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 0);
	fdtb_begin(b, "eeprom@50");
	fdtb_prop_u32(b, "reg", 0x50);
	fdtb_end(b);
	fdtb_end(b);
	fdtb_begin(b, "far@200000");
	fdtb_prop_cells(b, "reg", far_reg, 2);
	fdtb_end(b);
	fdtb_end(b);
	fdtb_begin(b, "nobus");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 1);
	fdtb_begin(b, "dev@0");
	fdtb_prop_cells(b, "reg", dev_reg, 2);
	fdtb_end(b);
	fdtb_end(b);
}

/* Interrupts: a second controller, a PPI user, malformed nodes. */
static void rich_interrupts(struct fdtb *b)
{
	static const uint32_t ppi[] = {0, 41, 4, 1, 5, 4};
	static const uint32_t other[] = {1, 2};
	static const uint32_t bad_reg[] = {0, 0x30000000, 0};

	fdtb_begin(b, "gpio-intc@30000000");
	fdtb_prop_u32(b, "phandle", PH_INTC2);
	prop_empty(b, "interrupt-controller");
	fdtb_prop_u32(b, "#interrupt-cells", 2);
	reg1(b, 0x30000000, 0x1000);
	fdtb_end(b);
	fdtb_begin(b, "button@30001000");
	fdtb_prop_u32(b, "interrupt-parent", PH_INTC2);
	fdtb_prop_cells(b, "interrupts", other, 2);
	reg1(b, 0x30001000, 0x100);
	fdtb_end(b);
	fdtb_begin(b, "watchdog@30002000");
	fdtb_prop_cells(b, "interrupts", ppi, 6);
	reg1(b, 0x30002000, 0x1000);
	fdtb_end(b);
	fdtb_begin(b, "bad@30003000");
	fdtb_prop_cells(b, "reg", bad_reg, 3);
	fdtb_end(b);
}

/* IOMMU, its masters, a secondary GIC, an MMIO timer, an old hypervisor
 * node, reserved memory, status variants. */
static void rich_misc(struct fdtb *b)
{
	static const uint32_t iommus[] = {PH_SMMU, 0x10};
	static const uint32_t not_iommu[] = {PH_CLK, 0x20};
	static const uint32_t iommu_map[] = {0, PH_SMMU, 0, 0x10000};

	fdtb_begin(b, "iommu@5000000");
	fdtb_prop_u32(b, "phandle", PH_SMMU);
	fdtb_prop_str(b, "compatible", "arm,smmu-v3");
	reg1(b, 0x5000000, 0x20000);
	fdtb_end(b);
	fdtb_begin(b, "dma@6000000");
	fdtb_prop_cells(b, "iommus", iommus, 2);
	fdtb_prop_cells(b, "iommu-map", iommu_map, 4);
	fdtb_prop_u32(b, "iommu-map-mask", 0xff);
	reg1(b, 0x6000000, 0x1000);
	fdtb_end(b);
	fdtb_begin(b, "dma@6001000");
	fdtb_prop_cells(b, "iommus", not_iommu, 2);
	reg1(b, 0x6001000, 0x1000);
	fdtb_end(b);
	fdtb_begin(b, "interrupt-controller@2c000000");
	fdtb_prop_str(b, "compatible", "arm,gic-400");
	prop_empty(b, "interrupt-controller");
	fdtb_prop_u32(b, "#interrupt-cells", 3);
	reg1(b, 0x2c000000, 0x1000);
	fdtb_end(b);
	fdtb_begin(b, "timer@2a810000");
	fdtb_prop_str(b, "compatible", "arm,armv7-timer-mem");
	reg1(b, 0x2a810000, 0x10000);
	fdtb_begin(b, "frame@2a820000");
	reg1(b, 0x2a820000, 0x10000);
	fdtb_end(b);
	fdtb_end(b);
}

static void rich_reserved(struct fdtb *b)
{
	fdtb_begin(b, "hypervisor");
	STRLIST(b, "compatible", "xen,xen-4.2\0xen,xen");
	reg1(b, 0xb0000000, 0x20000);
	fdtb_end(b);
	fdtb_begin(b, "reserved-memory");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	prop_empty(b, "ranges");
	fdtb_begin(b, "buffer@50000000");
	reg1(b, 0x50000000, 0x100000);
	fdtb_end(b);
	fdtb_end(b);
	fdtb_begin(b, "okay@7000000");
	reg1(b, 0x7000000, 0x1000);
	fdtb_prop_str(b, "status", "ok");
	fdtb_end(b);
	fdtb_begin(b, "broken@7001000");
	fdtb_prop_str(b, "status", "fail");
	reg1(b, 0x7001000, 0x1000);
	fdtb_end(b);
}

static void rich_nodes(struct fdtb *b)
{
	rich_buses(b);
	rich_interrupts(b);
	rich_misc(b);
	rich_reserved(b);
}

static void qemu_host(struct fdtb *b, bool rich)
{
	fdtb_begin(b, "");
	qemu_root_props(b);
	host_psci_memory(b);
	platform_bus_fw_cfg(b);
	virtio_nodes(b, false);
	gpio_keys_pl061(b);
	pcie_node(b);
	pl031_node(b);
	pl011_pmu(b);
	host_gicv3(b);
	flash_node(b);
	host_cpus(b);
	host_timer(b);
	apb_pclk(b);
	if (rich) {
		rich_nodes(b);
	}
	host_chosen(b, rich);
	fdtb_end(b);
}

/* ---- Small hosts: GICv2, 1-cell root, two redistributor regions ---- */

static void small_cpus_timer(struct fdtb *b, uint32_t flags)
{
	const uint32_t irq[] = {1, 13, flags, 1, 14, flags, 1, 11, flags};

	fdtb_begin(b, "cpus");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 0);
	fdtb_begin(b, "cpu@0");
	fdtb_prop_str(b, "device_type", "cpu");
	STRLIST(b, "compatible", "arm,cortex-a15\0arm,armv7");
	fdtb_prop_u32(b, "reg", 0);
	fdtb_prop_u32(b, "clock-frequency", 1000000000);
	fdtb_end(b);
	fdtb_end(b);
	fdtb_begin(b, "timer");
	fdtb_prop_str(b, "compatible", "arm,armv7-timer");
	fdtb_prop_cells(b, "interrupts", irq, 9);
	fdtb_prop_u32(b, "clock-frequency", 24000000);
	fdtb_end(b);
}

static void gicv2_host(struct fdtb *b)
{
	static const uint64_t reg[] = {0x2c001000, 0x1000, 0x2c002000, 0x2000,
				       0x2c004000, 0x2000, 0x2c006000, 0x2000};
	static const uint32_t irq[] = {1, 9, 0xf04};

	fdtb_begin(b, "");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_u32(b, "interrupt-parent", 1);
	fdtb_begin(b, "interrupt-controller@2c001000");
	STRLIST(b, "compatible", "arm,cortex-a15-gic\0arm,cortex-a9-gic");
	fdtb_prop_u32(b, "#interrupt-cells", 3);
	fdtb_prop_u32(b, "#address-cells", 2);
	prop_empty(b, "interrupt-controller");
	reg2(b, reg, 4);
	fdtb_prop_cells(b, "interrupts", irq, 3);
	fdtb_prop_u32(b, "linux,phandle", 1);
	prop_empty(b, "ranges");
	fdtb_begin(b, "v2m@2c1f0000");
	fdtb_prop_str(b, "compatible", "arm,gic-v2m-frame");
	prop_empty(b, "msi-controller");
	reg1(b, 0x2c1f0000, 0x1000);
	fdtb_end(b);
	fdtb_end(b);
	small_cpus_timer(b, 0xf08);
	fdtb_end(b);
}

static void cells1_host(struct fdtb *b)
{
	static const uint32_t reg[] = {0x8000000, 0x10000, 0x80a0000, 0xf60000};

	fdtb_begin(b, "");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 1);
	fdtb_prop_u32(b, "interrupt-parent", PH_GIC);
	fdtb_begin(b, "intc@8000000");
	fdtb_prop_str(b, "compatible", "arm,gic-v3");
	fdtb_prop_u32(b, "#interrupt-cells", 3);
	prop_empty(b, "interrupt-controller");
	fdtb_prop_cells(b, "reg", reg, 4);
	fdtb_prop_u32(b, "phandle", PH_GIC);
	fdtb_end(b);
	small_cpus_timer(b, 4);
	fdtb_end(b);
}

static void rdist2_host(struct fdtb *b)
{
	static const uint64_t reg[] = {0x8000000, 0x10000,   0x80a0000,
				       0x40000,	  0x9000000, 0x80000};

	fdtb_begin(b, "");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_u32(b, "interrupt-parent", PH_GIC);
	fdtb_begin(b, "intc@8000000");
	fdtb_prop_str(b, "compatible", "arm,gic-v3");
	fdtb_prop_u32(b, "#interrupt-cells", 3);
	prop_empty(b, "interrupt-controller");
	fdtb_prop_u32(b, "#redistributor-regions", 2);
	reg2(b, reg, 3);
	fdtb_prop_u32(b, "phandle", PH_GIC);
	fdtb_end(b);
	small_cpus_timer(b, 4);
	fdtb_end(b);
}

/* Build the host tree of the given kind and open it. */
static void make_host(struct tree *t, enum host_kind kind)
{
	struct fdtb b;

	fdtb_init(&b);
	if (kind == HOST_GICV2) {
		gicv2_host(&b);
	} else if (kind == HOST_CELLS1) {
		cells1_host(&b);
	} else if (kind == HOST_RDIST2) {
		rdist2_host(&b);
	} else {
		qemu_host(&b, kind == HOST_RICH);
	}
	t->buf = fdtb_finish(&b, &t->size);
	assert_int_equal(fdt_open(&t->fdt, t->buf, t->size), 0);
}

/* ---- The reference: dom0's tree on Xen 4.17.7 ---- */

static void ref_gic_timer(struct fdtb *b)
{
	static const uint32_t irq[] = {1,	  13, LEVEL_LOW, 1,	   14,
				       LEVEL_LOW, 1,  11,	 LEVEL_LOW};

	fdtb_begin(b, "interrupt-controller");
	fdtb_prop_u32(b, "phandle", PH_GIC);
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_u32(b, "#interrupt-cells", 3);
	prop_empty(b, "interrupt-controller");
	fdtb_prop_str(b, "compatible", "arm,gic-v3");
	fdtb_prop_u32(b, "#redistributor-regions", 1);
	reg2(b, gicv3_reg, 2);
	fdtb_end(b);
	flash_node(b);
	fdtb_begin(b, "timer");
	fdtb_prop_str(b, "compatible", "arm,armv8-timer");
	fdtb_prop_cells(b, "interrupts", irq, 9);
	fdtb_prop_u32(b, "interrupt-parent", PH_GIC);
	fdtb_end(b);
}

static void ref_chosen_hypervisor(struct fdtb *b)
{
	static const uint32_t start[] = {0, INITRD_ADDR};
	static const uint32_t end[] = {0, INITRD_ADDR + RAMDISK_SIZE};
	static const uint64_t reg[] = {0x40200000, 0x40000,    0x40400000,
				       0x1fc00000, 0x80000000, 0x40000000};
	static const uint32_t irq[] = {1, 0, LEVEL_LOW};

	fdtb_begin(b, "chosen");
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_u32(b, "#address-cells", 2);
	prop_cells(b, "rng-seed", rng_seed, 8);
	prop_cells(b, "kaslr-seed", kaslr_seed, 2);
	fdtb_prop_str(b, "bootargs", DOM0_ARGS);
	fdtb_prop_cells(b, "linux,initrd-start", start, 2);
	fdtb_prop_cells(b, "linux,initrd-end", end, 2);
	fdtb_end(b);
	fdtb_begin(b, "hypervisor");
	STRLIST(b, "compatible", "xen,xen-4.17\0xen,xen");
	reg2(b, reg, 3);
	fdtb_prop_cells(b, "interrupts", irq, 3);
	fdtb_prop_u32(b, "interrupt-parent", PH_GIC);
	fdtb_end(b);
}

static void ref_psci_cpus_memory(struct fdtb *b)
{
	unsigned int i;

	fdtb_begin(b, "psci");
	fdtb_prop(b, "compatible", psci_compat, sizeof(psci_compat));
	fdtb_prop_str(b, "method", "hvc");
	fdtb_prop_u32(b, "cpu_off", 1);
	fdtb_prop_u32(b, "cpu_on", 2);
	fdtb_end(b);
	fdtb_begin(b, "cpus");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 0);
	for (i = 0; i < 2; i++) {
		fdtb_begin(b, i == 0 ? "cpu@0" : "cpu@1");
		fdtb_prop_str(b, "compatible", "arm,cortex-a57");
		fdtb_prop_str(b, "device_type", "cpu");
		fdtb_prop_u32(b, "reg", i);
		fdtb_prop_str(b, "enable-method", "psci");
		fdtb_end(b);
	}
	fdtb_end(b);
	fdtb_begin(b, "memory@60000000");
	fdtb_prop_str(b, "device_type", "memory");
	reg1(b, DOM0_RAM, DOM0_RAM_SIZE);
	fdtb_end(b);
}

static uint8_t *build_xen_reference(size_t *size)
{
	struct fdtb b;

	fdtb_init(&b);
	fdtb_begin(&b, "");
	qemu_root_props(&b);
	platform_bus_fw_cfg(&b);
	virtio_nodes(&b, true);
	gpio_keys_pl061(&b);
	pcie_node(&b);
	pl031_node(&b);
	ref_gic_timer(&b);
	apb_pclk(&b);
	ref_chosen_hypervisor(&b);
	ref_psci_cpus_memory(&b);
	fdtb_end(&b);
	return fdtb_finish(&b, size);
}

/* ---- Building dom0's tree and reading it ---- */

/* The info of the Xen run, with uart_node set for host. */
static struct dom0_dt_info xen_info(const struct tree *host)
{
	struct dom0_dt_info info = {
		.nr_vcpus = 2,
		.mem = {{DOM0_RAM, DOM0_RAM_SIZE}},
		.nr_mem = 1,
		.bootargs = DOM0_ARGS,
		.initrd_start = INITRD_ADDR,
		.initrd_size = RAMDISK_SIZE,
		.gnttab = {0x40200000, 0x40000},
		.ext = {{0x40400000, 0x1fc00000}, {0x80000000, 0x40000000}},
		.nr_ext = 2,
		.evtchn_irq = 16,
		.uart_node = -1,
		.gic_v3 = true,
	};

	if (host != NULL) {
		info.uart_node = fdt_path_offset(&host->fdt, "/pl011@9000000");
	}
	return info;
}

/* Build dom0's tree into an exact-size buffer and open it. */
static void build(const struct tree *host, const struct dom0_dt_info *info,
		  struct tree *t)
{
	static uint8_t scratch[65536];
	int size = dom0_dt_build(&host->fdt, info, scratch, sizeof(scratch));

	assert_true(size > 0);
	t->size = (size_t)size;
	t->buf = malloc(t->size);
	assert_non_null(t->buf);
	assert_int_equal(dom0_dt_build(&host->fdt, info, t->buf, t->size),
			 size);
	assert_memory_equal(t->buf, scratch, t->size);
	assert_int_equal(fdt_open(&t->fdt, t->buf, t->size), 0);
}

/* Build dom0's tree for a host of the given kind with the Xen run's info
 * (gic_v3 as the kind needs). */
static void build_for(enum host_kind kind, struct tree *host, struct tree *t)
{
	struct dom0_dt_info info;

	make_host(host, kind);
	info = xen_info(host);
	info.gic_v3 = kind != HOST_GICV2;
	build(host, &info, t);
}

static void free_trees(struct tree *a, struct tree *b)
{
	free(a->buf);
	free(b->buf);
}

static int node_at(const struct tree *t, const char *path)
{
	int node = fdt_path_offset(&t->fdt, path);

	assert_true(node >= 0);
	return node;
}

static bool has_node(const struct tree *t, const char *path)
{
	return fdt_path_offset(&t->fdt, path) >= 0;
}

/* Check that the property name of node holds exactly the n cells. */
static void expect_cells(const struct tree *t, int node, const char *name,
			 const uint32_t *cells, unsigned int n)
{
	const void *val;
	uint32_t len;
	unsigned int i;

	assert_int_equal(fdt_getprop(&t->fdt, node, name, &val, &len), 0);
	assert_int_equal(len, 4 * n);
	for (i = 0; i < n; i++) {
		assert_int_equal(fdtb_get32((const uint8_t *)val + 4 * i),
				 cells[i]);
	}
}

static void expect_u32(const struct tree *t, int node, const char *name,
		       uint32_t v)
{
	expect_cells(t, node, name, &v, 1);
}

/* Check that the property name of node holds exactly len bytes at want. */
static void expect_bytes(const struct tree *t, int node, const char *name,
			 const void *want, uint32_t len)
{
	const void *val;
	uint32_t got;

	assert_int_equal(fdt_getprop(&t->fdt, node, name, &val, &got), 0);
	assert_int_equal(got, len);
	assert_memory_equal(val, want, len);
}

/* Check that node has exactly the n properties of names, in that order. */
static void expect_props(const struct tree *t, int node,
			 const char *const *names, unsigned int n)
{
	const char *name;
	unsigned int i = 0;
	int prop;

	for (prop = fdt_first_prop(&t->fdt, node); prop >= 0;
	     prop = fdt_next_prop(&t->fdt, prop)) {
		assert_true(i < n);
		assert_int_equal(fdt_prop_at(&t->fdt, prop, &name, NULL, NULL),
				 0);
		assert_string_equal(name, names[i]);
		i++;
	}
	assert_int_equal(prop, FDT_ERR_NOTFOUND);
	assert_int_equal(i, n);
}

/* Check that two properties have the same name, length and bytes. */
static void same_prop(const struct fdt *a, int pa, const struct fdt *b, int pb)
{
	const char *na, *nb;
	const void *va, *vb;
	uint32_t la, lb;

	assert_int_equal(fdt_prop_at(a, pa, &na, &va, &la), 0);
	assert_int_equal(fdt_prop_at(b, pb, &nb, &vb, &lb), 0);
	assert_string_equal(na, nb);
	assert_int_equal(la, lb);
	assert_memory_equal(va, vb, la);
}

/* Check that two nodes have the same name and properties, in order. */
static void same_node(const struct fdt *a, int na, const struct fdt *b, int nb)
{
	int pa = fdt_first_prop(a, na);
	int pb = fdt_first_prop(b, nb);

	assert_string_equal(fdt_node_name(a, na), fdt_node_name(b, nb));
	while (pa >= 0 && pb >= 0) {
		same_prop(a, pa, b, pb);
		pa = fdt_next_prop(a, pa);
		pb = fdt_next_prop(b, pb);
	}
	assert_int_equal(pa, FDT_ERR_NOTFOUND);
	assert_int_equal(pb, FDT_ERR_NOTFOUND);
}

/* Check that two trees have the same nodes at the same depths. */
static void same_tree(const struct fdt *a, const struct fdt *b)
{
	int da, db;
	int na = fdt_next_node(a, -1, &da);
	int nb = fdt_next_node(b, -1, &db);

	while (na >= 0 && nb >= 0) {
		assert_int_equal(da, db);
		same_node(a, na, b, nb);
		na = fdt_next_node(a, na, &da);
		nb = fdt_next_node(b, nb, &db);
	}
	assert_int_equal(na, FDT_ERR_NOTFOUND);
	assert_int_equal(nb, FDT_ERR_NOTFOUND);
}

/* ---- The tree Xen gave dom0 ---- */

static void test_matches_xen_dom0_tree(void **state)
{
	struct tree host, t;
	struct fdt ref;
	size_t ref_size;
	uint8_t *ref_blob = build_xen_reference(&ref_size);

	(void)state;
	build_for(HOST_QEMU, &host, &t);
	assert_int_equal(fdt_open(&ref, ref_blob, ref_size), 0);
	same_tree(&t.fdt, &ref);
	/* Xen writes no memory reservations. */
	assert_int_equal(fdt_rsvmap_entry(&t.fdt, 0, NULL, NULL),
			 FDT_ERR_NOTFOUND);
	free(ref_blob);
	free_trees(&host, &t);
}

static void test_removed_nodes(void **state)
{
	static const char *const gone[] = {
		"/memory@40000000",
		"/pl011@9000000",
		"/pmu",
		"/intc@8000000",
		"/cpus/cpu-map",
		"/chosen/module@49000000",
		"/chosen/module@4c000000",
	};
	struct tree host, t;
	unsigned int i;
	int node;

	(void)state;
	build_for(HOST_QEMU, &host, &t);
	for (i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
		assert_false(has_node(&t, gone[i]));
	}
	for (node = fdt_next_node(&t.fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(&t.fdt, node, NULL)) {
		assert_false(fdt_is_compatible(&t.fdt, node, "arm,gic-v3-its"));
		assert_false(fdt_is_compatible(&t.fdt, node, "arm,pl011"));
		assert_false(
			fdt_is_compatible(&t.fdt, node, "multiboot,module"));
		assert_false(
			fdt_is_compatible(&t.fdt, node, "arm,armv8-pmuv3"));
		assert_false(fdt_has_prop(&t.fdt, node, "xen,passthrough"));
	}
	/* The host's psci (method smc) is gone; Xen's has method hvc. */
	assert_string_equal(fdt_getprop_string(&t.fdt, node_at(&t, "/psci"),
					       "method"),
			    "hvc");
	free_trees(&host, &t);
}

static void test_chosen(void **state)
{
	static const char *const props[] = {
		"#size-cells",	   "#address-cells", "rng-seed",
		"kaslr-seed",	   "bootargs",	     "linux,initrd-start",
		"linux,initrd-end"};
	static const uint32_t start[] = {0, INITRD_ADDR};
	static const uint32_t end[] = {0, INITRD_ADDR + RAMDISK_SIZE};
	struct tree host, t;
	int node;

	(void)state;
	build_for(HOST_QEMU, &host, &t);
	node = node_at(&t, "/chosen");
	expect_props(&t, node, props, 7);
	expect_bytes(&t, node, "bootargs", DOM0_ARGS, sizeof(DOM0_ARGS));
	expect_cells(&t, node, "linux,initrd-start", start, 2);
	expect_cells(&t, node, "linux,initrd-end", end, 2);
	assert_int_equal(fdt_first_child(&t.fdt, node), FDT_ERR_NOTFOUND);
	free_trees(&host, &t);
}

/* /chosen of the rich host: every hypervisor-only property goes, the rest
 * stays; no bootargs and no initrd when info has none. */
static void test_chosen_rich(void **state)
{
	static const char *const props[] = {"#size-cells", "#address-cells",
					    "rng-seed", "kaslr-seed",
					    "linux,stdout-path"};
	struct dom0_dt_info info;
	struct tree host, t;
	int node;

	(void)state;
	make_host(&host, HOST_RICH);
	info = xen_info(&host);
	info.bootargs = NULL;
	info.initrd_size = 0;
	build(&host, &info, &t);
	node = node_at(&t, "/chosen");
	expect_props(&t, node, props, 5);
	/* The xen,domain node and its modules are gone; other children of
	 * /chosen (a static event channel) stay, as in Xen. */
	assert_false(has_node(&t, "/chosen/domU1"));
	assert_true(has_node(&t, "/chosen/evtchn"));
	free_trees(&host, &t);
}

static void test_gic(void **state)
{
	static const char *const props[] = {"phandle",
					    "#address-cells",
					    "#size-cells",
					    "#interrupt-cells",
					    "interrupt-controller",
					    "compatible",
					    "#redistributor-regions",
					    "reg"};
	static const uint32_t reg[] = {0, 0x8000000, 0, 0x10000,
				       0, 0x80a0000, 0, 0xf60000};
	struct tree host, t;
	int node;

	(void)state;
	build_for(HOST_QEMU, &host, &t);
	node = node_at(&t, "/interrupt-controller");
	assert_int_equal(fdt_node_by_phandle(&t.fdt, PH_GIC), node);
	expect_props(&t, node, props, 8);
	expect_cells(&t, node, "reg", reg, 8);
	expect_u32(&t, node, "#redistributor-regions", 1);
	expect_u32(&t, node, "#interrupt-cells", 3);
	assert_int_equal(fdt_first_child(&t.fdt, node), FDT_ERR_NOTFOUND);
	assert_false(fdt_has_prop(&t.fdt, node, "interrupts"));
	free_trees(&host, &t);
}

/* A GICv2 host: GICD and GICC only, the v2m frame and the maintenance
 * interrupt gone; the phandle came from linux,phandle. */
static void test_gicv2(void **state)
{
	static const char *const props[] = {
		"phandle",	    "#address-cells",
		"#interrupt-cells", "interrupt-controller",
		"compatible",	    "reg"};
	static const uint32_t reg[] = {0, 0x2c001000, 0, 0x1000,
				       0, 0x2c002000, 0, 0x2000};
	struct tree host, t;
	int node;

	(void)state;
	build_for(HOST_GICV2, &host, &t);
	node = node_at(&t, "/interrupt-controller");
	expect_props(&t, node, props, 6);
	expect_u32(&t, node, "phandle", 1);
	expect_cells(&t, node, "reg", reg, 8);
	expect_bytes(&t, node, "compatible",
		     "arm,cortex-a15-gic\0arm,cortex-a9-gic", 37);
	assert_int_equal(fdt_first_child(&t.fdt, node), FDT_ERR_NOTFOUND);
	expect_u32(&t, node_at(&t, "/hypervisor"), "interrupt-parent", 1);
	free_trees(&host, &t);
}

/* The redistributor regions dom0 gets are those its vCPUs need. */
static void test_gicv3_regions(void **state)
{
	static const uint32_t one[] = {0, 0x8000000, 0, 0x10000,
				       0, 0x80a0000, 0, 0x40000};
	static const uint32_t two[] = {0, 0x8000000, 0, 0x10000,   0, 0x80a0000,
				       0, 0x40000,   0, 0x9000000, 0, 0x80000};
	struct dom0_dt_info info;
	struct tree host, t;
	int node;

	(void)state;
	make_host(&host, HOST_RDIST2);
	info = xen_info(NULL);
	build(&host, &info, &t);
	node = node_at(&t, "/interrupt-controller");
	expect_u32(&t, node, "#redistributor-regions", 1);
	expect_cells(&t, node, "reg", one, 8);
	free(t.buf);
	info.nr_vcpus = 3;
	build(&host, &info, &t);
	node = node_at(&t, "/interrupt-controller");
	expect_u32(&t, node, "#redistributor-regions", 2);
	expect_cells(&t, node, "reg", two, 12);
	free(t.buf);
	/* More vCPUs than redistributors: every region. */
	info.nr_vcpus = 100;
	build(&host, &info, &t);
	expect_u32(&t, node_at(&t, "/interrupt-controller"),
		   "#redistributor-regions", 2);
	free_trees(&host, &t);
}

static void test_timer(void **state)
{
	static const char *const props[] = {"compatible", "interrupts",
					    "interrupt-parent"};
	static const char *const props_freq[] = {"compatible", "interrupts",
						 "interrupt-parent",
						 "clock-frequency"};
	static const uint32_t irq[] = {1,	  13, LEVEL_LOW, 1,	   14,
				       LEVEL_LOW, 1,  11,	 LEVEL_LOW};
	struct tree host, t;
	int node;

	(void)state;
	build_for(HOST_QEMU, &host, &t);
	node = node_at(&t, "/timer");
	/* The hypervisor timer (PPI 10) and always-on are gone. */
	expect_props(&t, node, props, 3);
	expect_bytes(&t, node, "compatible", "arm,armv8-timer", 16);
	expect_cells(&t, node, "interrupts", irq, 9);
	expect_u32(&t, node, "interrupt-parent", PH_GIC);
	free_trees(&host, &t);
	/* An armv7-timer host with a clock-frequency. */
	build_for(HOST_GICV2, &host, &t);
	node = node_at(&t, "/timer");
	expect_props(&t, node, props_freq, 4);
	expect_bytes(&t, node, "compatible", "arm,armv8-timer", 16);
	expect_u32(&t, node, "clock-frequency", 24000000);
	free_trees(&host, &t);
}

/* The node Linux looks for (§2.1): a depth-1 node named exactly
 * "hypervisor", first compatible "xen,xen-...", holding "xen,xen",
 * reg[0] = grant table, interrupts[0] = the event channel PPI. */
static void test_hypervisor_node(void **state)
{
	static const char *const props[] = {"compatible", "reg", "interrupts",
					    "interrupt-parent"};
	static const uint32_t reg[] = {0, 0x40200000, 0, 0x40000};
	static const uint32_t irq[] = {1, 15, LEVEL_LOW};
	struct dom0_dt_info info;
	struct tree host, t;
	uint64_t addr, size;
	int node;

	(void)state;
	make_host(&host, HOST_RICH);
	info = xen_info(&host);
	info.nr_ext = 0;
	info.evtchn_irq = 31;
	build(&host, &info, &t);
	node = node_at(&t, "/hypervisor");
	assert_int_equal(fdt_depth(&t.fdt, node), 1);
	expect_props(&t, node, props, 4);
	assert_string_equal(fdt_getprop_string(&t.fdt, node, "compatible"),
			    "xen,xen-4.17");
	/* The host's old hypervisor node is gone: only this one. */
	assert_int_equal(fdt_find_compatible(&t.fdt, -1, "xen,xen"), node);
	assert_int_equal(fdt_find_compatible(&t.fdt, node, "xen,xen"),
			 FDT_ERR_NOTFOUND);
	expect_cells(&t, node, "reg", reg, 4);
	expect_cells(&t, node, "interrupts", irq, 3);
	expect_u32(&t, node, "interrupt-parent", PH_GIC);
	assert_int_equal(fdt_get_reg(&t.fdt, node, 0, &addr, &size), 0);
	assert_int_equal(addr, 0x40200000);
	assert_int_equal(size, 0x40000);
	free_trees(&host, &t);
}

/* Every phandle reference dom0's devices use still resolves, to the same
 * node as in the host. */
static void test_phandles_intact(void **state)
{
	static const char *const refs[][2] = {
		{"/", "interrupt-parent"},
		{"/platform-bus@c000000", "interrupt-parent"},
		{"/gpio-keys/poweroff", "gpios"},
		{"/pl061@9030000", "clocks"},
		{"/pl031@9010000", "clocks"},
		{"/timer", "interrupt-parent"},
		{"/hypervisor", "interrupt-parent"},
	};
	struct tree host, t;
	unsigned int i;

	(void)state;
	build_for(HOST_QEMU, &host, &t);
	for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		const void *val;
		uint32_t len;
		int node = node_at(&t, refs[i][0]);
		int target;

		assert_int_equal(
			fdt_getprop(&t.fdt, node, refs[i][1], &val, &len), 0);
		target = fdt_node_by_phandle(&t.fdt, fdtb_get32(val));
		assert_true(target >= 0);
	}
	assert_int_equal(fdt_node_by_phandle(&t.fdt, PH_GIC),
			 node_at(&t, "/interrupt-controller"));
	assert_int_equal(fdt_node_by_phandle(&t.fdt, PH_GPIO),
			 node_at(&t, "/pl061@9030000"));
	assert_int_equal(fdt_node_by_phandle(&t.fdt, PH_CLK),
			 node_at(&t, "/apb-pclk"));
	/* As with Xen, pcie's msi-map names the ITS, which dom0 does not
	 * get. */
	assert_int_equal(fdt_node_by_phandle(&t.fdt, PH_ITS), FDT_ERR_NOTFOUND);
	free_trees(&host, &t);
}

/* status moves to the end; xen,passthrough becomes status "disabled". */
static void test_status_and_passthrough(void **state)
{
	static const char *const props[] = {"dma-coherent", "interrupts", "reg",
					    "compatible", "status"};
	struct tree host, t;
	int node;

	(void)state;
	build_for(HOST_QEMU, &host, &t);
	node = node_at(&t, "/virtio_mmio@a003c00");
	expect_props(&t, node, props, 5);
	expect_bytes(&t, node, "status", "disabled", 9);
	node = node_at(&t, "/virtio_mmio@a003e00");
	expect_props(&t, node, props, 5);
	expect_bytes(&t, node, "status", "disabled", 9);
	node = node_at(&t, "/virtio_mmio@a003a00");
	expect_props(&t, node, props, 4);
	free_trees(&host, &t);
}

static void test_cpus(void **state)
{
	static const char *const props[] = {"compatible", "device_type", "reg",
					    "clock-frequency", "enable-method"};
	struct dom0_dt_info info;
	struct tree host, t;
	char name[32];
	unsigned int n;
	int node;

	(void)state;
	make_host(&host, HOST_GICV2);
	info = xen_info(NULL);
	info.gic_v3 = false;
	info.nr_vcpus = 20;
	build(&host, &info, &t);
	node = fdt_first_child(&t.fdt, node_at(&t, "/cpus"));
	for (n = 0; n < 20; n++) {
		uint32_t aff = (n & 0xf) | ((n >> 4) << 8);

		assert_true(node >= 0);
		snprintf(name, sizeof(name), "cpu@%x", aff);
		assert_string_equal(fdt_node_name(&t.fdt, node), name);
		expect_props(&t, node, props, 5);
		expect_u32(&t, node, "reg", aff);
		/* The whole compatible list of the host's first cpu. */
		expect_bytes(&t, node, "compatible",
			     "arm,cortex-a15\0arm,armv7",
			     sizeof("arm,cortex-a15\0arm,armv7"));
		expect_u32(&t, node, "clock-frequency", 1000000000);
		node = fdt_next_sibling(&t.fdt, node);
	}
	assert_int_equal(node, FDT_ERR_NOTFOUND);
	node_at(&t, "/cpus/cpu@103");
	free_trees(&host, &t);
}

static void test_memory_banks(void **state)
{
	static const uint32_t reg[] = {0, 0x41000000, 0, 0x1000000,
				       0, 0x60000000, 0, 0x20000000,
				       1, 0x00000000, 0, 0x40000000};
	struct dom0_dt_info info;
	struct tree host, t;
	int node;

	(void)state;
	make_host(&host, HOST_QEMU);
	info = xen_info(&host);
	info.mem[0].start = 0x41000000;
	info.mem[0].size = 0x1000000;
	info.mem[1].start = 0x60000000;
	info.mem[1].size = 0x20000000;
	info.mem[2].start = 0x100000000;
	info.mem[2].size = 0x40000000;
	info.nr_mem = 3;
	build(&host, &info, &t);
	assert_false(has_node(&t, "/memory@40000000"));
	node = node_at(&t, "/memory@41000000");
	expect_bytes(&t, node, "device_type", "memory", 7);
	expect_cells(&t, node, "reg", reg, 12);
	/* It is the only memory node. */
	assert_int_equal(fdt_next_sibling(&t.fdt, node), FDT_ERR_NOTFOUND);
	free_trees(&host, &t);
}

/* A root with one address and one size cell: the nodes dom0_dt_build()
 * writes use them, and a value that needs two cells is refused. */
static void test_root_one_cell(void **state)
{
	static const uint32_t hyp_reg[] = {0x40200000, 0x40000, 0x80000000,
					   0x40000000};
	static const uint32_t mem_reg[] = {0x60000000, 0x20000000};
	static uint8_t buf[16384];
	struct dom0_dt_info info;
	struct tree host, t;

	(void)state;
	make_host(&host, HOST_CELLS1);
	info = xen_info(NULL);
	info.ext[0] = info.ext[1];
	info.nr_ext = 1;
	build(&host, &info, &t);
	expect_cells(&t, node_at(&t, "/hypervisor"), "reg", hyp_reg, 4);
	expect_cells(&t, node_at(&t, "/memory@60000000"), "reg", mem_reg, 2);
	/* No /chosen in the host: dom0 gets one. */
	expect_bytes(&t, node_at(&t, "/chosen"), "bootargs", DOM0_ARGS,
		     sizeof(DOM0_ARGS));
	free(t.buf);
	info.ext[0].start = 0x100000000;
	assert_int_equal(dom0_dt_build(&host.fdt, &info, buf, sizeof(buf)),
			 -EINVAL);
	info = xen_info(NULL);
	info.mem[0].size = 0x100000000;
	assert_int_equal(dom0_dt_build(&host.fdt, &info, buf, sizeof(buf)),
			 -EINVAL);
	free(host.buf);
}

/* The rules the rich host exercises. */
static void test_rich_host_nodes(void **state)
{
	static const char *const gone[] = {
		"/watchdog@30002000",
		"/iommu@5000000",
		"/interrupt-controller@2c000000",
		"/timer@2a810000",
	};
	static const char *const kept[] = {
		"/soc/serial@1000",
		"/soc/i2c@2000/eeprom@50",
		"/nobus/dev@0",
		"/gpio-intc@30000000",
		"/button@30001000",
		"/bad@30003000",
		"/reserved-memory/buffer@50000000",
		"/okay@7000000",
		"/broken@7001000",
	};
	struct tree host, t;
	unsigned int i;

	(void)state;
	build_for(HOST_RICH, &host, &t);
	for (i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
		assert_false(has_node(&t, gone[i]));
	}
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		assert_true(has_node(&t, kept[i]));
	}
	/* Copied verbatim, bad reg and all. */
	assert_int_equal(fdt_reg_count(&t.fdt, node_at(&t, "/bad@30003000")),
			 FDT_ERR_BADVALUE);
	free_trees(&host, &t);
}

/* A master of an IOMMU Xen drives loses its IOMMU properties; a node whose
 * "iommus" names something else keeps them. */
static void test_iommu_masters(void **state)
{
	static const char *const master[] = {"reg"};
	static const char *const other[] = {"iommus", "reg"};
	struct tree host, t;

	(void)state;
	build_for(HOST_RICH, &host, &t);
	expect_props(&t, node_at(&t, "/dma@6000000"), master, 1);
	expect_props(&t, node_at(&t, "/dma@6001000"), other, 2);
	free_trees(&host, &t);
}

/* ---- Errors ---- */

static void test_bad_info(void **state)
{
	static uint8_t buf[65536];
	struct dom0_dt_info info;
	struct tree host;

	(void)state;
	make_host(&host, HOST_QEMU);
	assert_int_equal(dom0_dt_build(&host.fdt, NULL, buf, sizeof(buf)),
			 -EINVAL);
	info = xen_info(&host);
	assert_int_equal(dom0_dt_build(NULL, &info, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(dom0_dt_build(&host.fdt, &info, NULL, 0), -EINVAL);
	info.nr_vcpus = 0;
	assert_int_equal(dom0_dt_build(&host.fdt, &info, buf, sizeof(buf)),
			 -EINVAL);
	info.nr_vcpus = 129;
	assert_int_equal(dom0_dt_build(&host.fdt, &info, buf, sizeof(buf)),
			 -EINVAL);
	info = xen_info(&host);
	info.nr_mem = 0;
	assert_int_equal(dom0_dt_build(&host.fdt, &info, buf, sizeof(buf)),
			 -EINVAL);
	info.nr_mem = 17;
	assert_int_equal(dom0_dt_build(&host.fdt, &info, buf, sizeof(buf)),
			 -EINVAL);
	info = xen_info(&host);
	info.mem[0].size = 0;
	assert_int_equal(dom0_dt_build(&host.fdt, &info, buf, sizeof(buf)),
			 -EINVAL);
	info = xen_info(&host);
	info.ext[1].start = ~0ULL - 0xfff;
	assert_int_equal(dom0_dt_build(&host.fdt, &info, buf, sizeof(buf)),
			 -EINVAL);
	info = xen_info(&host);
	info.nr_ext = 17;
	assert_int_equal(dom0_dt_build(&host.fdt, &info, buf, sizeof(buf)),
			 -EINVAL);
	info = xen_info(&host);
	info.gnttab.size = 0;
	assert_int_equal(dom0_dt_build(&host.fdt, &info, buf, sizeof(buf)),
			 -EINVAL);
	info = xen_info(&host);
	info.evtchn_irq = 15;
	assert_int_equal(dom0_dt_build(&host.fdt, &info, buf, sizeof(buf)),
			 -EINVAL);
	info.evtchn_irq = 32;
	assert_int_equal(dom0_dt_build(&host.fdt, &info, buf, sizeof(buf)),
			 -EINVAL);
	info = xen_info(&host);
	info.initrd_start = ~0ULL - 0xfff;
	assert_int_equal(dom0_dt_build(&host.fdt, &info, buf, sizeof(buf)),
			 -EINVAL);
	/* The host GIC is a GICv3. */
	info = xen_info(&host);
	info.gic_v3 = false;
	assert_int_equal(dom0_dt_build(&host.fdt, &info, buf, sizeof(buf)),
			 -EINVAL);
	free(host.buf);
}

/* Build dom0's tree for a host made by fn and return the result. */
static int build_host(void (*fn)(struct fdtb *b))
{
	static uint8_t buf[65536];
	struct dom0_dt_info info = xen_info(NULL);
	struct tree host;
	struct fdtb b;
	int ret;

	fdtb_init(&b);
	fn(&b);
	host.buf = fdtb_finish(&b, &host.size);
	assert_int_equal(fdt_open(&host.fdt, host.buf, host.size), 0);
	ret = dom0_dt_build(&host.fdt, &info, buf, sizeof(buf));
	free(host.buf);
	return ret;
}

/* Open a root with two address and two size cells. */
static void root2(struct fdtb *b)
{
	fdtb_begin(b, "");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_u32(b, "interrupt-parent", PH_GIC);
}

static void gic_node(struct fdtb *b, bool phandle, unsigned int nreg)
{
	fdtb_begin(b, "intc@8000000");
	fdtb_prop_str(b, "compatible", "arm,gic-v3");
	fdtb_prop_u32(b, "#interrupt-cells", 3);
	prop_empty(b, "interrupt-controller");
	reg2(b, gicv3_reg, nreg);
	if (phandle) {
		fdtb_prop_u32(b, "phandle", PH_GIC);
	}
	fdtb_end(b);
}

static void no_gic(struct fdtb *b)
{
	fdtb_begin(b, "");
	host_timer(b);
	host_cpus(b);
	fdtb_end(b);
}

static void gic_without_phandle(struct fdtb *b)
{
	root2(b);
	gic_node(b, false, 2);
	fdtb_end(b);
}

static void gic_short_reg(struct fdtb *b)
{
	root2(b);
	gic_node(b, true, 1);
	host_cpus(b);
	fdtb_end(b);
}

static void timer_two_ppis(struct fdtb *b)
{
	static const uint32_t irq[] = {1, 13, 4, 1, 14, 4};

	root2(b);
	gic_node(b, true, 2);
	fdtb_begin(b, "timer");
	fdtb_prop_str(b, "compatible", "arm,armv8-timer");
	fdtb_prop_cells(b, "interrupts", irq, 6);
	fdtb_end(b);
	host_cpus(b);
	fdtb_end(b);
}

static void no_cpus(struct fdtb *b)
{
	root2(b);
	gic_node(b, true, 2);
	host_timer(b);
	fdtb_end(b);
}

static void root_three_cells(struct fdtb *b)
{
	fdtb_begin(b, "");
	fdtb_prop_u32(b, "#address-cells", 3);
	fdtb_prop_u32(b, "interrupt-parent", PH_GIC);
	gic_node(b, true, 0);
	fdtb_end(b);
}

static void root_zero_size_cells(struct fdtb *b)
{
	fdtb_begin(b, "");
	fdtb_prop_u32(b, "#size-cells", 0);
	fdtb_prop_u32(b, "interrupt-parent", PH_GIC);
	gic_node(b, true, 0);
	fdtb_end(b);
}

static void test_bad_host(void **state)
{
	(void)state;
	assert_int_equal(build_host(no_gic), -ENODEV);
	assert_int_equal(build_host(gic_without_phandle), -EINVAL);
	assert_int_equal(build_host(gic_short_reg), -ERANGE);
	assert_int_equal(build_host(timer_two_ppis), -EINVAL);
	assert_int_equal(build_host(no_cpus), -EINVAL);
	assert_int_equal(build_host(root_three_cells), FDT_ERR_BADVALUE);
	assert_int_equal(build_host(root_zero_size_cells), -EINVAL);
}

/* Check that every size in [from, full) that is a multiple of step gives
 * -ENOSPC for the host of the given kind, never an overrun. */
static void short_sizes(enum host_kind kind, int from, int step)
{
	static uint8_t scratch[65536];
	struct dom0_dt_info info;
	struct tree host;
	int full;
	int size;

	make_host(&host, kind);
	info = xen_info(&host);
	info.gic_v3 = kind != HOST_GICV2;
	full = dom0_dt_build(&host.fdt, &info, scratch, sizeof(scratch));
	assert_true(full > 0);
	for (size = from > 0 ? from : 0; size < full; size += step) {
		uint8_t *buf = malloc(size != 0 ? (size_t)size : 1U);

		assert_non_null(buf);
		assert_int_equal(dom0_dt_build(&host.fdt, &info, buf,
					       (size_t)size),
				 -ENOSPC);
		free(buf);
	}
	free(host.buf);
}

/* Every buffer too small for the tree gives -ENOSPC: every size for a
 * small host; for the rich host (as each build takes a while under the
 * sanitizers) sizes 37 bytes apart and the last 200 sizes. */
static void test_every_short_size(void **state)
{
	static uint8_t scratch[65536];
	struct dom0_dt_info info;
	struct tree host;
	int full;

	(void)state;
	short_sizes(HOST_GICV2, 0, 1);
	short_sizes(HOST_RICH, 0, 37);
	make_host(&host, HOST_RICH);
	info = xen_info(&host);
	full = dom0_dt_build(&host.fdt, &info, scratch, sizeof(scratch));
	free(host.buf);
	short_sizes(HOST_RICH, full - 200, 1);
}

/* ---- dom0's devices ---- */

#define MAX_SEEN 64

struct seen {
	unsigned int n;
	struct dom0_device dev[MAX_SEEN];
	int stop_after; /* return -EIO after this many, or 0 */
};

static int collect(void *ctx, const struct dom0_device *dev)
{
	struct seen *s = ctx;

	assert_true(s->n < MAX_SEEN);
	s->dev[s->n++] = *dev;
	if (s->stop_after != 0 && s->n == (unsigned int)s->stop_after) {
		return -EIO;
	}
	return 0;
}

static const struct dom0_device *find_dev(const struct seen *s,
					  const char *name)
{
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		if (strcmp(s->dev[i].name, name) == 0) {
			return &s->dev[i];
		}
	}
	return NULL;
}

/* Check that dev has exactly the one region and the SPIs listed. */
static void expect_dev(const struct seen *s, const char *name, uint64_t addr,
		       uint64_t size, const uint32_t *spis, unsigned int n,
		       uint32_t type)
{
	const struct dom0_device *dev = find_dev(s, name);
	unsigned int i;

	assert_non_null(dev);
	assert_int_equal(dev->err, 0);
	assert_int_equal(dev->nr_mmio, 1);
	assert_int_equal(dev->mmio[0].addr, addr);
	assert_int_equal(dev->mmio[0].size, size);
	assert_int_equal(dev->nr_spis, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(dev->spis[i].intid, spis[i]);
		assert_int_equal(dev->spis[i].type, type);
	}
}

static void devices_of(const struct tree *host, struct seen *s)
{
	int uart = fdt_path_offset(&host->fdt, "/pl011@9000000");
	int n;

	memset(s, 0, sizeof(*s));
	n = dom0_dt_devices(&host->fdt, uart, collect, s);
	assert_int_equal(n, (int)s->n);
}

static void test_devices_qemu(void **state)
{
	static const char *const absent[] = {"intc@8000000",
					     "its@8080000",
					     "pl011@9000000",
					     "pmu",
					     "timer",
					     "psci",
					     "memory@40000000",
					     "cpu@0",
					     "virtio_mmio@a003c00",
					     "virtio_mmio@a003e00",
					     "module@49000000",
					     "platform-bus@c000000",
					     "gpio-keys",
					     "apb-pclk"};
	static const uint32_t pl061[] = {39};
	static const uint32_t pl031[] = {34};
	struct tree host;
	struct seen s;
	unsigned int i;

	(void)state;
	make_host(&host, HOST_QEMU);
	devices_of(&host, &s);
	/* fw-cfg, 30 virtio, pl061, pcie, pl031, flash, in tree order. */
	assert_int_equal(s.n, 35);
	assert_string_equal(s.dev[0].name, "fw-cfg@9020000");
	assert_string_equal(s.dev[34].name, "flash@0");
	expect_dev(&s, "fw-cfg@9020000", 0x9020000, 0x18, NULL, 0, 0);
	for (i = 0; i < NR_VIRTIO - 2; i++) {
		uint32_t spi = 48 + i;
		char name[32];

		snprintf(name, sizeof(name), "virtio_mmio@%x",
			 VIRTIO_BASE + 0x200 * i);
		expect_dev(&s, name, VIRTIO_BASE + 0x200 * i, 0x200, &spi, 1,
			   1);
	}
	expect_dev(&s, "pl061@9030000", 0x9030000, 0x1000, pl061, 1, 4);
	expect_dev(&s, "pl031@9010000", 0x9010000, 0x1000, pl031, 1, 4);
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		assert_null(find_dev(&s, absent[i]));
	}
	free(host.buf);
}

/* The PCI host bridge: ECAM, the three windows of its ranges, and the
 * four SPIs of its interrupt-map; flash: two regions. */
static void test_devices_pcie_flash(void **state)
{
	static const uint64_t mmio[][2] = {{0x4010000000, 0x10000000},
					   {0x3eff0000, 0x10000},
					   {0x10000000, 0x2eff0000},
					   {0x8000000000, 0x8000000000}};
	struct tree host;
	struct seen s;
	const struct dom0_device *dev;
	unsigned int i;

	(void)state;
	make_host(&host, HOST_QEMU);
	devices_of(&host, &s);
	dev = find_dev(&s, "pcie@10000000");
	assert_non_null(dev);
	assert_int_equal(dev->err, 0);
	assert_int_equal(dev->nr_mmio, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(dev->mmio[i].addr, mmio[i][0]);
		assert_int_equal(dev->mmio[i].size, mmio[i][1]);
	}
	assert_int_equal(dev->nr_spis, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(dev->spis[i].intid, 35 + i);
		assert_int_equal(dev->spis[i].type, 4);
	}
	dev = find_dev(&s, "flash@0");
	assert_non_null(dev);
	assert_int_equal(dev->nr_mmio, 2);
	assert_int_equal(dev->mmio[1].addr, 0x4000000);
	assert_int_equal(dev->nr_spis, 0);
	free(host.buf);
}

/* Buses, other interrupt controllers, status, reserved memory and
 * malformed nodes. */
static void test_devices_rich(void **state)
{
	static const uint32_t serial[] = {72};
	static const char *const absent[] = {"eeprom@50",
					     "watchdog@30002000",
					     "iommu@5000000",
					     "buffer@50000000",
					     "broken@7001000",
					     "hypervisor",
					     "interrupt-controller@2c000000",
					     "frame@2a820000",
					     "evtchn"};
	const struct dom0_device *dev;
	struct tree host;
	struct seen s;
	unsigned int i;

	(void)state;
	make_host(&host, HOST_RICH);
	devices_of(&host, &s);
	/* Behind the simple-bus's ranges. */
	expect_dev(&s, "serial@1000", 0x20001000, 0x100, serial, 1, 4);
	expect_dev(&s, "i2c@2000", 0x20002000, 0x100, NULL, 0, 0);
	/* Outside the bus's ranges, or behind a bus without ranges. */
	assert_int_equal(find_dev(&s, "far@200000")->err, -ERANGE);
	assert_int_equal(find_dev(&s, "dev@0")->err, -ERANGE);
	/* A malformed reg is reported, not used. */
	assert_int_equal(find_dev(&s, "bad@30003000")->err, FDT_ERR_BADVALUE);
	/* Interrupts of another controller are not SPIs of the GIC. */
	expect_dev(&s, "button@30001000", 0x30001000, 0x100, NULL, 0, 0);
	expect_dev(&s, "gpio-intc@30000000", 0x30000000, 0x1000, NULL, 0, 0);
	expect_dev(&s, "okay@7000000", 0x7000000, 0x1000, NULL, 0, 0);
	expect_dev(&s, "dma@6000000", 0x6000000, 0x1000, NULL, 0, 0);
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		assert_null(find_dev(&s, absent[i]));
	}
	dev = find_dev(&s, "virtio_mmio@a000000");
	assert_non_null(dev);
	free(host.buf);
}

/* The callback's error stops the walk; bad arguments and hosts. */
static void test_devices_errors(void **state)
{
	struct tree host;
	struct seen s;

	(void)state;
	make_host(&host, HOST_QEMU);
	memset(&s, 0, sizeof(s));
	s.stop_after = 3;
	assert_int_equal(dom0_dt_devices(&host.fdt, -1, collect, &s), -EIO);
	assert_int_equal(s.n, 3);
	/* Without a UART to skip, the UART is a device of dom0's... */
	memset(&s, 0, sizeof(s));
	assert_int_equal(dom0_dt_devices(&host.fdt, -1, collect, &s), 36);
	assert_non_null(find_dev(&s, "pl011@9000000"));
	assert_int_equal(dom0_dt_devices(NULL, -1, collect, &s), -EINVAL);
	assert_int_equal(dom0_dt_devices(&host.fdt, -1, NULL, &s), -EINVAL);
	free(host.buf);
	make_host(&host, HOST_CELLS1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(dom0_dt_devices(&host.fdt, -1, collect, &s), 0);
	free(host.buf);
}

/* A malformed interrupt-map and interrupts are reported too. */
static void bad_irq_nodes(struct fdtb *b)
{
	static const uint32_t map[] = {0, 0, 0, 1, PH_GIC, 0, 0};
	static const uint32_t irq[] = {0, 5};
	static const uint32_t ppi_map[] = {0, 0, 0, 1, PH_GIC, 1, 3, 4};

	fdtb_begin(b, "");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_u32(b, "interrupt-parent", PH_GIC);
	gic_node(b, true, 2);
	fdtb_begin(b, "pci@1");
	fdtb_prop_str(b, "device_type", "pci");
	fdtb_prop_u32(b, "#address-cells", 3);
	fdtb_prop_u32(b, "#interrupt-cells", 1);
	fdtb_prop_cells(b, "interrupt-map", map, 7);
	fdtb_end(b);
	fdtb_begin(b, "pci@2");
	fdtb_prop_str(b, "device_type", "pci");
	fdtb_prop_u32(b, "#address-cells", 3);
	fdtb_prop_u32(b, "#interrupt-cells", 1);
	fdtb_prop_cells(b, "interrupt-map", ppi_map, 8);
	fdtb_end(b);
	fdtb_begin(b, "short-irq");
	fdtb_prop_cells(b, "interrupts", irq, 2);
	fdtb_end(b);
	fdtb_end(b);
}

static void test_devices_bad_irqs(void **state)
{
	struct tree host;
	struct seen s;
	struct fdtb b;

	(void)state;
	fdtb_init(&b);
	bad_irq_nodes(&b);
	host.buf = fdtb_finish(&b, &host.size);
	assert_int_equal(fdt_open(&host.fdt, host.buf, host.size), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(dom0_dt_devices(&host.fdt, -1, collect, &s), 3);
	assert_int_equal(find_dev(&s, "pci@1")->err, FDT_ERR_BADVALUE);
	assert_int_equal(find_dev(&s, "pci@2")->err, -EINVAL);
	assert_int_equal(find_dev(&s, "short-irq")->err, FDT_ERR_BADVALUE);
	free(host.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_xen_dom0_tree),
		cmocka_unit_test(test_removed_nodes),
		cmocka_unit_test(test_chosen),
		cmocka_unit_test(test_chosen_rich),
		cmocka_unit_test(test_gic),
		cmocka_unit_test(test_gicv2),
		cmocka_unit_test(test_gicv3_regions),
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_hypervisor_node),
		cmocka_unit_test(test_phandles_intact),
		cmocka_unit_test(test_status_and_passthrough),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_memory_banks),
		cmocka_unit_test(test_root_one_cell),
		cmocka_unit_test(test_rich_host_nodes),
		cmocka_unit_test(test_iommu_masters),
		cmocka_unit_test(test_bad_info),
		cmocka_unit_test(test_bad_host),
		cmocka_unit_test(test_every_short_size),
		cmocka_unit_test(test_devices_qemu),
		cmocka_unit_test(test_devices_pcie_flash),
		cmocka_unit_test(test_devices_rich),
		cmocka_unit_test(test_devices_errors),
		cmocka_unit_test(test_devices_bad_irqs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
