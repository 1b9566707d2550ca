/*
 * Boot of the hypervisor on the boot CPU: device tree, console, memory,
 * interrupts, timers, then the other CPUs.
 */
#include <hv/atomic.h>
#include <hv/bootinfo.h>
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/idle.h>
#include <hv/irq.h>
#include <hv/keyhandler.h>
#include <hv/page-alloc.h>
#include <hv/panic.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/string.h>
#include <hv/timer.h>

#include <asm/cpu.h>
#include <asm/dom0.h>
#include <asm/domain-build.h>
#include <asm/guest-atomics.h>
#include <asm/mm.h>
#include <asm/vcpu.h>
#include <asm/psci.h>
#include <asm/spectre.h>
#include <asm/sysregs.h>
#include <asm/time.h>
#include <asm/vgic.h>
#include <asm/vtimer.h>

#include <drivers/gic-dt.h>
#include <drivers/gicv3.h>
#include <drivers/pl011.h>

/*
 * The UART used when the device tree cannot tell us one (it is missing or
 * corrupt): QEMU virt's PL011. Only used to report that error.
 */
#define FALLBACK_UART 0x09000000UL

/* Largest DTB accepted (Xen's limit is 2 MiB as well). */
#define MAX_DTB_SIZE 0x200000U

extern char _start[];
extern char _end[];

unsigned int gic_maintenance_irq = 25U;

static struct fdt boot_fdt;
static int uart_node = -1; /* the host UART Xenon keeps */
static struct bootinfo boot_info;
static unsigned int opt_maxcpus = NR_CPUS;

static int param_maxcpus(const char *value)
{
	uint64_t n;

	if ((parse_uint(value, &n) != 0) || (n == 0U)) {
		return -1;
	}
	opt_maxcpus = (n < (uint64_t)NR_CPUS) ? (unsigned int)n : NR_CPUS;
	return 0;
}
HV_PARAM("maxcpus", param_maxcpus);

/* console=dtuart (Xen's name for "the UART in stdout-path") is the only
 * console Xenon has; other values are rejected with a warning. */
static int param_console(const char *value)
{
	return ((value != NULL) && (strcmp(value, "dtuart") == 0)) ? 0 : -1;
}
HV_PARAM("console", param_console);

/* The node named by /chosen/stdout-path (options after ':' dropped). */
static int stdout_node(const struct fdt *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path;
	char buf[128];
	size_t n = 0;

	path = (chosen >= 0) ? fdt_getprop_string(fdt, chosen, "stdout-path")
			     : NULL;
	if (path == NULL) {
		return fdt_find_compatible(fdt, -1, "arm,pl011");
	}
	while ((path[n] != '\0') && (path[n] != ':') &&
	       (n < (sizeof(buf) - 1U))) {
		buf[n] = path[n];
		n++;
	}
	buf[n] = '\0';
	return fdt_path_offset(fdt, buf);
}

/* Open the DTB and start the console. Returns the fdt error, if any. */
static int early_console(paddr_t dtb, unsigned int *uart_irq)
{
	uint64_t base = FALLBACK_UART;
	uint64_t size;
	const uint8_t *irqs;
	uint32_t len;
	int err = fdt_open(&boot_fdt, maddr_to_virt(dtb), MAX_DTB_SIZE);
	int node = (err == 0) ? stdout_node(&boot_fdt) : -1;

	*uart_irq = 0;
	uart_node = node;
	if ((node >= 0) && fdt_is_compatible(&boot_fdt, node, "arm,pl011") &&
	    (fdt_get_reg(&boot_fdt, node, 0, &base, &size) == 0) &&
	    (fdt_getprop(&boot_fdt, node, "interrupts", (const void **)&irqs,
			 &len) == 0) &&
	    (len >= 12U)) {
		*uart_irq = (uint32_t)fdt_read_cells(irqs + 4, 1) + 32U;
	}
	pl011_init(base);
	return err;
}

void start_wrong_el(paddr_t dtb, unsigned int el)
{
	unsigned int irq;

	(void)early_console(dtb, &irq);
	printk(XENLOG_ERR
	       "PANIC: Xenon must be entered at EL2, but was "
	       "entered at EL%u (on QEMU: -machine virtualization=on)\n",
	       el);
	for (;;) {
		wfi();
	}
}

static void reserve(paddr_t start, uint64_t size, const char *what)
{
	if (bootmem_reserve(start, start + size) != 0) {
		panic("Cannot reserve %s at 0x%lx: too many memory ranges\n",
		      what, (unsigned long)start);
	}
}

static void init_memory(paddr_t dtb, paddr_t load_base)
{
	const struct bootinfo *bi = &boot_info;
	paddr_t start;
	paddr_t end;
	unsigned int i;

	for (i = 0; i < bi->nr_mem; i++) {
		printk("RAM bank %u: 0x%016lx-0x%016lx (%lu MiB)\n", i,
		       (unsigned long)bi->mem[i].start,
		       (unsigned long)(bi->mem[i].start + bi->mem[i].size),
		       (unsigned long)(bi->mem[i].size >> 20));
		if (bootmem_add(bi->mem[i].start,
				bi->mem[i].start + bi->mem[i].size) != 0) {
			panic("Too many memory banks\n");
		}
	}
	reserve(load_base, (paddr_t)((uintptr_t)_end - (uintptr_t)_start),
		"the hypervisor image");
	reserve(dtb, boot_fdt.totalsize, "the device tree");
	for (i = 0; i < bi->nr_modules; i++) {
		reserve(bi->modules[i].start, bi->modules[i].size, "a module");
	}
	for (i = 0; i < bi->nr_reserved; i++) {
		reserve(bi->reserved[i].start, bi->reserved[i].size,
			"reserved memory");
	}
	for (i = 0; bootmem_range(i, &start, &end); i++) {
		printk("Free pool: 0x%016lx-0x%016lx (%lu MiB)\n",
		       (unsigned long)start, (unsigned long)end,
		       (unsigned long)((end - start) >> 20));
	}
	bootmem_handoff();
}

static void print_modules(void)
{
	const struct bootmodule *m;
	unsigned int i;

	if (boot_info.nr_modules == 0U) {
		printk("No boot modules found\n");
		return;
	}
	for (i = 0; i < boot_info.nr_modules; i++) {
		m = &boot_info.modules[i];
		printk("Boot module %u: %s 0x%016lx-0x%016lx bootargs=\"%s\"%s\n",
		       i, bootmod_kind_name(m->kind), (unsigned long)m->start,
		       (unsigned long)(m->start + m->size),
		       (m->cmdline != NULL) ? m->cmdline : "",
		       (m->domain_node >= 0) ? " (dom0less domain)" : "");
	}
}

/* The GIC, found once: dom0's builder gets what was found here. */
static struct gic_dt_host boot_gic;

static void init_gic(void)
{
	int node = gic_dt_find(&boot_fdt, &boot_gic);

	if (node < 0) {
		panic("No usable GIC in the device tree (%s)\n",
		      fdt_strerror(node));
	}
	if (!boot_gic.v3) {
		panic("GICv2 interrupt controller found: not yet "
		      "supported (use gic-version=3)\n");
	}
	if (boot_gic.maintenance_irq != 0U) {
		gic_maintenance_irq = boot_gic.maintenance_irq;
	}
	gicv3_init(boot_gic.gicd, boot_gic.gicr, boot_gic.gicr_size,
		   boot_gic.gicr_stride);
	printk("GICv3: distributor 0x%lx, redistributors 0x%lx, %u lines\n",
	       (unsigned long)boot_gic.gicd, (unsigned long)boot_gic.gicr,
	       gicv3_nr_lines());
}

static void check_ipis(void *data)
{
	uint64_t *answered = data;

	(void)fetch_or(answered, 1ULL << smp_processor_id());
}

/* Ask every online CPU to answer an IPI: proves the IPI path works. */
static unsigned int count_responsive_cpus(void)
{
	uint64_t answered = 0;
	unsigned int cpu;
	unsigned int n = 0;

	for (cpu = 0; cpu < (unsigned int)NR_CPUS; cpu++) {
		if (smp_cpu_online(cpu) &&
		    (smp_call_function(cpu, check_ipis, &answered) == 0)) {
			n++;
		}
	}
	if (n != smp_num_online()) {
		printk(XENLOG_WARNING "Only %u of %u CPUs answered an IPI\n", n,
		       smp_num_online());
	}
	n = 0;
	for (cpu = 0; cpu < (unsigned int)NR_CPUS; cpu++) {
		n += (unsigned int)((answered >> cpu) & 1U);
	}
	return n;
}

static void timer_fired(void *data)
{
	*(s_time_t *)data = time_now();
}

/* Arm a 100 us soft timer and wait for it: proves the timer interrupt
 * path at little cost to boot time. */
static void check_timer(void)
{
	volatile s_time_t fired = 0;
	s_time_t start = time_now();
	struct timer t;

	timer_init(&t, timer_fired, (void *)&fired, smp_processor_id());
	timer_set(&t, start + MICROSECS(100));
	while ((fired == 0) && (time_now() < (start + SECONDS(1)))) {
		wfi();
	}
	timer_stop(&t);
	if (fired == 0) {
		panic("The hypervisor timer did not fire\n");
	}
	printk("Timer: 100 us soft timer fired after %lu us\n",
	       (unsigned long)((fired - start) / 1000));
}

/* Each module's per-CPU init, in the order they have always run; here
 * rather than in smp.c so that smp.c depends on none of them. smp_init_cpu
 * comes first: it sets the CPU number (TPIDR_EL2) the others use. */
void cpu_init_common(unsigned int cpu)
{
	smp_init_cpu(cpu);
	time_init_cpu();
	guest_atomics_init_cpu(cpu);
	vcpu_init_cpu(cpu);
	vgic_init_cpu(gic_maintenance_irq);
	vtimer_init_cpu();
	spectre_init_cpu(cpu);
}

void start_secondary(unsigned int cpu)
{
	mm_enable_wxn();
	cpu_init_common(cpu);
	smp_set_online(cpu);
	arch_irq_enable();
	idle_loop();
}

void start_xenon(paddr_t dtb, paddr_t load_base)
{
	unsigned int started;
	unsigned int uart_irq;
	int err;

	WRITE_SYSREG(tpidr_el2, 0U);
	err = early_console(dtb, &uart_irq);
	printk("Xenon %s (Xen 4.17 interface) starting at EL2\n",
	       XENON_VERSION);
	printk("Loaded at 0x%lx, device tree at 0x%lx\n",
	       (unsigned long)load_base, (unsigned long)dtb);
	if (err != 0) {
		panic("Device tree at 0x%lx is unusable: %s\n",
		      (unsigned long)dtb, fdt_strerror(err));
	}
	if (bootinfo_parse(&boot_fdt, &boot_info) != 0) {
		panic("Device tree: %s\n", boot_info.error);
	}
	printk("Command line: %s\n", boot_info.cmdline);
	(void)cmdline_parse(boot_info.cmdline);
	init_memory(dtb, load_base);
	mm_init_el2(&boot_info);
	print_modules();
	if (psci_init(&boot_fdt) != 0) {
		panic("Device tree: no usable PSCI node (method smc or hvc)\n");
	}
	printk("PSCI %u.%u via %s\n", psci_version() >> 16,
	       psci_version() & 0xffffU, psci_method());
	init_gic();
	if (time_init(&boot_fdt) != 0) {
		panic("Device tree: no arm,armv8-timer node with 4 interrupts\n");
	}
	cpu_init_common(0);
	smp_set_online(0);
	arch_irq_enable();
	check_timer();
	if (uart_irq != 0U) {
		BUG_ON(irq_request(uart_irq, pl011_irq, NULL) != 0);
		pl011_enable_rx_irq();
	}
	smp_boot_cpus(boot_info.cpu_mpidr, boot_info.nr_cpus, opt_maxcpus);
	printk("CPUs online: %u\n", count_responsive_cpus());
	printk("Memory free: %lu MiB (%lu KiB)\n",
	       (unsigned long)(page_alloc_free_bytes() >> 20),
	       (unsigned long)(page_alloc_free_bytes() >> 10));
	printk("Scheduler: %s\n", sched_name());
	started = dom0_build(&boot_fdt, &boot_info, &boot_gic, load_base,
			     uart_node)
			  ? 1U
			  : 0U;
	started += dom0less_create_domains(&boot_fdt, &boot_info);
	if (started == 0U) {
		printk("No domains to start\n");
	}
	console_input_endboot();
	printk("Xenon ready ('h' on the console lists debug keys)\n");
	idle_work_start();
	idle_loop();
}
