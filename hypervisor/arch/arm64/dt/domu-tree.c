/*
 * The device tree of a dom0less domU (see <dt/guest-dt.h>).
 *
 * Each make_*_node() function of Xen 4.17 that prepare_dtb_domU() calls has
 * a write_*() counterpart here writing the same properties in the same
 * order. The writer keeps its first error and ignores every later call, so
 * these functions do not check each call: guest_dt_build() gets the error
 * from fdt_write_finish().
 */
#include <drivers/gic-dt.h>
#include <dt/guest-dt.h>
#include <hv/errno.h>
#include <hv/fdt-write.h>
#include <hv/printk.h>
#include <hv/string.h>

#include <dt/xen-arm-abi.h>

/*
 * The Xen version the hypervisor node announces. Linux requires the first
 * compatible string to start with "xen,xen-" and prints the rest.
 */
#define XEN_COMPAT_VERSIONED "xen,xen-4.17"

/* Interrupt specifiers: <type number flags>, type 0 = SPI, 1 = PPI. */
#define GIC_SPI 0U
#define GIC_PPI 1U
#define GIC_FIRST_PPI 16U
#define GIC_FIRST_SPI 32U
#define IRQ_CELLS 3U

/* The CPU mask Xen puts in bits 15:8 of the flags cell: "all CPUs". */
#define GIC_CPU_MASK_ALL 0xfU

/* Cells of an (address, size) pair under the root. */
#define RANGE_CELLS (GUEST_ROOT_ADDRESS_CELLS + GUEST_ROOT_SIZE_CELLS)

/* The baud rate Xen announces for the emulated UART. */
#define VPL011_SPEED 115200U

/* Xen's extended regions start on a 2 MiB boundary and span 64 MiB at
 * least (find_domU_holes()). */
#define EXT_REGION_ALIGN MiB(2)
#define EXT_REGION_MIN MiB(64)

/* Room for the longest node name: "interrupt-controller@" and 16 digits. */
#define NODE_NAME_MAX 40U

_Static_assert(GUEST_ROOT_ADDRESS_CELLS == 2 && GUEST_ROOT_SIZE_CELLS == 2,
	       "fdt_cells_put_range() writes two address and two size cells");
_Static_assert(GUEST_DT_MAX_BANKS == GUEST_RAM_BANKS,
	       "one guest RAM bank per guest RAM region");

/* Store the specifier of interrupt ID irq with trigger type at cells, as
 * Xen's set_interrupt() does. */
static void put_irq(uint32_t *cells, unsigned int irq, uint32_t type)
{
	bool ppi = irq < GIC_FIRST_SPI;

	cells[0] = ppi ? GIC_PPI : GIC_SPI;
	cells[1] = irq - (ppi ? GIC_FIRST_PPI : GIC_FIRST_SPI);
	cells[2] = (GIC_CPU_MASK_ALL << 8) | type;
}

/* Write "interrupts" with the n specifiers at cells, then the GIC as the
 * "interrupt-parent" (Xen's fdt_property_interrupts()). */
static void write_interrupts(struct fdt_writer *w, const uint32_t *cells,
			     unsigned int n)
{
	fdt_write_prop_cells(w, "interrupts", cells, n * IRQ_CELLS);
	fdt_write_prop_u32(w, "interrupt-parent", GUEST_PHANDLE_GIC);
}

/* /chosen: the command line and the initrd placement (64-bit values). */
static void write_chosen(struct fdt_writer *w, const struct guest_dt_info *info)
{
	fdt_write_begin_node(w, "chosen");
	if (info->bootargs != NULL && info->bootargs[0] != '\0') {
		fdt_write_prop_string(w, "bootargs", info->bootargs);
	}
	if (info->initrd_size != 0U) {
		fdt_write_prop_u64(w, "linux,initrd-start", info->initrd_start);
		fdt_write_prop_u64(w, "linux,initrd-end",
				   info->initrd_start + info->initrd_size);
	}
	fdt_write_end_node(w);
}

/* /psci: PSCI 1.0 through hvc, with the PSCI 0.1 function numbers. */
void guest_dt_write_psci(struct fdt_writer *w)
{
	static const char *const compat[] = {"arm,psci-1.0", "arm,psci-0.2",
					     "arm,psci"};

	fdt_write_begin_node(w, "psci");
	fdt_write_prop_strings(w, "compatible", compat, ARRAY_SIZE(compat));
	fdt_write_prop_string(w, "method", "hvc");
	fdt_write_prop_u32(w, "cpu_off", PSCI_cpu_off);
	fdt_write_prop_u32(w, "cpu_on", PSCI_cpu_on);
	fdt_write_end_node(w);
}

/* The MPIDR affinity Xen gives vCPU n (vcpuid_to_vaffinity()). */
uint32_t guest_dt_vcpu_affinity(unsigned int n)
{
	return (n & 0xfU) | (((n >> 4) & 0xffU) << 8);
}

/* Length of the cpu compatible value, with its final NUL. */
static uint32_t cpu_compatible_len(const struct guest_dt_info *info)
{
	if (info->cpu_compatible_len != 0U) {
		return info->cpu_compatible_len;
	}
	return (uint32_t)strlen(info->cpu_compatible) + 1U;
}

/* /cpus/cpu@<affinity> for vCPU n. */
static void write_cpu(struct fdt_writer *w, const struct guest_dt_info *info,
		      unsigned int n)
{
	uint32_t aff = guest_dt_vcpu_affinity(n);

	fdt_write_begin_unit_node(w, "cpu", aff);
	fdt_write_prop(w, "compatible", info->cpu_compatible,
		       cpu_compatible_len(info));
	fdt_write_prop_string(w, "device_type", "cpu");
	fdt_write_prop_u32(w, "reg", aff);
	if (info->cpu_clock_freq != 0U) {
		fdt_write_prop_u32(w, "clock-frequency", info->cpu_clock_freq);
	}
	fdt_write_prop_string(w, "enable-method", "psci");
	fdt_write_end_node(w);
}

/* /cpus with one node per vCPU. */
static void write_cpus(struct fdt_writer *w, const struct guest_dt_info *info)
{
	unsigned int n;

	fdt_write_begin_node(w, "cpus");
	fdt_write_prop_u32(w, "#address-cells", 1U);
	fdt_write_prop_u32(w, "#size-cells", 0U);
	for (n = 0U; n < info->nr_vcpus; n++) {
		write_cpu(w, info, n);
	}
	fdt_write_end_node(w);
}

/* One memory node, named after the first bank, listing every bank. */
static void write_memory(struct fdt_writer *w, const struct guest_dt_info *info)
{
	uint32_t cells[GUEST_DT_MAX_BANKS * RANGE_CELLS];
	unsigned int n = 0U;
	unsigned int i;

	fdt_write_begin_unit_node(w, "memory", info->mem[0].start);
	fdt_write_prop_string(w, "device_type", "memory");
	for (i = 0U; i < info->nr_mem; i++) {
		n = fdt_cells_put_range(cells, n, info->mem[i].start,
					info->mem[i].size);
	}
	fdt_write_prop_cells(w, "reg", cells, n);
	fdt_write_end_node(w);
}

/* The generic timer: secure, non-secure physical and virtual PPIs, all
 * level-low (Xen exposes no hypervisor timer). */
static void write_timer(struct fdt_writer *w, const struct guest_dt_info *info)
{
	uint32_t cells[3U * IRQ_CELLS];

	fdt_write_begin_node(w, "timer");
	fdt_write_prop_string(w, "compatible", "arm,armv8-timer");
	put_irq(cells, GUEST_TIMER_PHYS_S_PPI, DT_IRQ_TYPE_LEVEL_LOW);
	put_irq(cells + IRQ_CELLS, GUEST_TIMER_PHYS_NS_PPI,
		DT_IRQ_TYPE_LEVEL_LOW);
	put_irq(cells + 2U * IRQ_CELLS, GUEST_TIMER_VIRT_PPI,
		DT_IRQ_TYPE_LEVEL_LOW);
	write_interrupts(w, cells, 3U);
	if (info->timer_freq != 0U) {
		fdt_write_prop_u32(w, "clock-frequency", info->timer_freq);
	}
	fdt_write_end_node(w);
}

/* The emulated SBSA UART (level-high SPI). */
static void write_vpl011(struct fdt_writer *w)
{
	uint32_t reg[RANGE_CELLS];
	uint32_t irq[IRQ_CELLS];

	fdt_write_begin_unit_node(w, "sbsa-uart", GUEST_PL011_BASE);
	fdt_write_prop_string(w, "compatible", "arm,sbsa-uart");
	fdt_cells_put_range(reg, 0U, GUEST_PL011_BASE, GUEST_PL011_SIZE);
	fdt_write_prop_cells(w, "reg", reg, RANGE_CELLS);
	put_irq(irq, GUEST_VPL011_SPI, DT_IRQ_TYPE_LEVEL_HIGH);
	write_interrupts(w, irq, 1U);
	fdt_write_prop_u32(w, "current-speed", VPL011_SPEED);
	fdt_write_end_node(w);
}

/* The end of the guest RAM inside the region [base, base + size), or base
 * if the region holds none. */
static uint64_t ram_end_in(const struct guest_dt_info *info, uint64_t base,
			   uint64_t size)
{
	uint64_t end = base;
	unsigned int i;

	for (i = 0U; i < info->nr_mem; i++) {
		const struct guest_dt_bank *b = &info->mem[i];

		if (b->start >= base && b->start - base < size) {
			end = MAX(end, b->start + b->size);
		}
	}
	return end;
}

/*
 * Store at cells[n] Xen's extended regions: in each guest RAM region, the
 * space above the guest's RAM, from the next 2 MiB boundary to the end of
 * the region or of the IPA space, if that is 64 MiB or more. Returns the
 * index after them.
 */
static unsigned int put_ext_regions(uint32_t *cells, unsigned int n,
				    const struct guest_dt_info *info)
{
	static const uint64_t bases[] = GUEST_RAM_BANK_BASES;
	static const uint64_t sizes[] = GUEST_RAM_BANK_SIZES;
	uint64_t ipa_last = ~(uint64_t)0 >> (64U - info->ipa_bits);
	unsigned int i;

	for (i = 0U; i < GUEST_RAM_BANKS; i++) {
		uint64_t used = ram_end_in(info, bases[i], sizes[i]);
		uint64_t last = MIN(ipa_last, bases[i] + sizes[i] - 1U);
		uint64_t start = ALIGN_UP(used, EXT_REGION_ALIGN);

		if (used <= last && start <= last &&
		    last - start + 1U >= EXT_REGION_MIN) {
			n = fdt_cells_put_range(cells, n, start,
						last - start + 1U);
		}
	}
	return n;
}

/* /hypervisor: the grant table frames (and any extended regions), and the
 * event channel upcall PPI, level-low. */
static void write_hypervisor(struct fdt_writer *w,
			     const struct guest_dt_info *info)
{
	static const char *const compat[] = {XEN_COMPAT_VERSIONED, "xen,xen"};
	uint32_t reg[(1U + GUEST_RAM_BANKS) * RANGE_CELLS];
	uint32_t irq[IRQ_CELLS];
	unsigned int n;

	fdt_write_begin_node(w, "hypervisor");
	fdt_write_prop_strings(w, "compatible", compat, ARRAY_SIZE(compat));
	n = fdt_cells_put_range(reg, 0U, GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE);
	if (info->ipa_bits != 0U) {
		n = put_ext_regions(reg, n, info);
	}
	fdt_write_prop_cells(w, "reg", reg, n);
	put_irq(irq, GUEST_EVTCHN_PPI, DT_IRQ_TYPE_LEVEL_LOW);
	write_interrupts(w, irq, 1U);
	fdt_write_end_node(w);
}

/* True if the cpu compatible value is a non-empty, terminated string list. */
static bool cpu_compatible_ok(const struct guest_dt_info *info)
{
	const char *c = info->cpu_compatible;
	uint32_t len = info->cpu_compatible_len;

	if (c == NULL || c[0] == '\0') {
		return false;
	}
	return len == 0U || c[len - 1U] == '\0';
}

/* True if there are 1 to GUEST_DT_MAX_BANKS non-empty banks that do not
 * wrap around the address space. */
static bool mem_ok(const struct guest_dt_info *info)
{
	unsigned int i;

	if (info->nr_mem == 0U || info->nr_mem > GUEST_DT_MAX_BANKS) {
		return false;
	}
	for (i = 0U; i < info->nr_mem; i++) {
		const struct guest_dt_bank *b = &info->mem[i];

		if (b->size == 0U || b->size > ~(uint64_t)0 - b->start) {
			return false;
		}
	}
	return true;
}

/* 0 if info describes a guest that this builder can describe, else
 * -EINVAL. */
static int check_info(const struct guest_dt_info *info)
{
	if (info == NULL || info->nr_vcpus == 0U ||
	    info->nr_vcpus > GUEST_MAX_VCPUS) {
		return -EINVAL;
	}
	if (!mem_ok(info) || !cpu_compatible_ok(info) || info->ipa_bits > 64U) {
		return -EINVAL;
	}
	if (info->initrd_size > ~(uint64_t)0 - info->initrd_start) {
		return -EINVAL;
	}
	return 0;
}

int guest_dt_build(const struct guest_dt_info *info, void *buf, size_t size)
{
	struct fdt_writer w;
	int err = check_info(info);

	if (err != 0) {
		return err;
	}
	if (buf == NULL) {
		return -EINVAL;
	}
	fdt_write_init(&w, buf, size);
	fdt_write_begin_node(&w, "");
	fdt_write_prop_u32(&w, "#address-cells", GUEST_ROOT_ADDRESS_CELLS);
	fdt_write_prop_u32(&w, "#size-cells", GUEST_ROOT_SIZE_CELLS);
	write_chosen(&w, info);
	guest_dt_write_psci(&w);
	write_cpus(&w, info);
	write_memory(&w, info);
	gic_dt_write_domu_node(&w, GUEST_PHANDLE_GIC, IRQ_CELLS);
	write_timer(&w, info);
	if (info->vpl011) {
		write_vpl011(&w);
	}
	if (info->hypervisor_node) {
		write_hypervisor(&w, info);
	}
	fdt_write_end_node(&w);
	return fdt_write_finish(&w);
}
