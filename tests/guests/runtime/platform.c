/*
 * Read what the test needs from the guest's device tree: memory, GIC,
 * virtual timer PPI, vpl011, vCPUs and their MPIDRs.
 */
#include <xtf/fdt.h>
#include <xtf/platform.h>

struct platform platform;

/* The n-th (address, size) pair of a node's reg, with the root's cells. */
static int read_reg(const void *fdt, int node, unsigned int n, uint64_t *addr,
		    uint64_t *size)
{
	unsigned int ac = fdt_getprop_u32(fdt, 0, "#address-cells", 2);
	unsigned int sc = fdt_getprop_u32(fdt, 0, "#size-cells", 1);
	int len;
	const uint32_t *p = fdt_getprop(fdt, node, "reg", &len);

	if (!p || (unsigned int)len < (n + 1) * (ac + sc) * 4) {
		return -1;
	}
	p += n * (ac + sc);
	*addr = fdt_read_cells(&p, ac);
	*size = fdt_read_cells(&p, sc);
	return 0;
}

static int find_memory(const void *fdt)
{
	int depth = 0, node = -1;
	const char *type;

	while ((node = fdt_next_node(fdt, node, &depth)) >= 0) {
		type = fdt_getprop(fdt, node, "device_type", NULL);
		if (depth == 1 && type && !strcmp(type, "memory")) {
			return read_reg(fdt, node, 0, &platform.ram_base,
					&platform.ram_size);
		}
	}
	return -1;
}

static int find_gic(const void *fdt)
{
	int node = fdt_find_compatible(fdt, -1, "arm,gic-v3");
	uint64_t size;

	if (node < 0) {
		return -1;
	}
	if (read_reg(fdt, node, 0, &platform.gicd_base, &size) ||
	    read_reg(fdt, node, 1, &platform.gicr_base, &platform.gicr_size)) {
		return -1;
	}
	return 0;
}

/* The virtual timer is the third interrupt of the timer node (a PPI). */
static int find_vtimer(const void *fdt)
{
	int node = fdt_find_compatible(fdt, -1, "arm,armv8-timer");
	int len;
	const uint32_t *p;

	if (node < 0) {
		return -1;
	}
	p = fdt_getprop(fdt, node, "interrupts", &len);
	if (!p || len < 9 * 4 || fdt32_to_cpu(p[6]) != 1) {
		return -1;
	}
	platform.vtimer_irq = fdt32_to_cpu(p[7]) + 16;
	return 0;
}

static void find_uart(const void *fdt)
{
	int node = fdt_find_compatible(fdt, -1, "arm,sbsa-uart");
	uint64_t size;

	if (node < 0) {
		node = fdt_find_compatible(fdt, -1, "arm,pl011");
	}
	if (node >= 0 && read_reg(fdt, node, 0, &platform.uart_base, &size)) {
		platform.uart_base = 0;
	}
}

static int find_cpus(const void *fdt)
{
	int cpus = fdt_find_child(fdt, -1, "cpus");
	unsigned int ac;
	int depth = 0, node;

	if (cpus < 0) {
		return -1;
	}
	ac = fdt_getprop_u32(fdt, cpus, "#address-cells", 1);
	node = fdt_next_node(fdt, cpus, &depth);
	for (; node >= 0 && depth > 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const uint32_t *reg;
		int len;

		if (depth != 1 || !type || strcmp(type, "cpu")) {
			continue;
		}
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || (unsigned int)len < ac * 4) {
			return -1;
		}
		if (platform.nr_cpus == MAX_CPUS) {
			break; /* more than the runtime supports */
		}
		platform.cpu_mpidr[platform.nr_cpus++] =
			fdt_read_cells(&reg, ac);
	}
	return platform.nr_cpus ? 0 : -1;
}

int platform_init(const void *fdt)
{
	int chosen;

	if (fdt_check(fdt)) {
		return -1;
	}
	platform.fdt = fdt;
	find_uart(fdt);
	chosen = fdt_find_child(fdt, -1, "chosen");
	platform.bootargs =
		chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", NULL) : NULL;
	if (!platform.bootargs) {
		platform.bootargs = "";
	}
	if (find_memory(fdt)) {
		return -2;
	}
	if (find_gic(fdt)) {
		return -3;
	}
	if (find_vtimer(fdt)) {
		return -4;
	}
	if (find_cpus(fdt)) {
		return -5;
	}
	return 0;
}
