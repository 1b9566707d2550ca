/*
 * Debug keys. Handlers register with HV_KEYHANDLER(), which places them in
 * the "hv_keyhandlers" section.
 */
#include <hv/console.h>
#include <hv/keyhandler.h>
#include <hv/page-alloc.h>
#include <hv/printk.h>
#include <hv/smp.h>

extern const struct keyhandler __start_hv_keyhandlers[];
extern const struct keyhandler __stop_hv_keyhandlers[];

/* Number of registered handlers. */
static size_t nr_keyhandlers(void)
{
	return LINKER_TABLE_COUNT(__start_hv_keyhandlers, __stop_hv_keyhandlers,
				  struct keyhandler);
}

void keyhandler_handle(char key)
{
	const struct keyhandler *k;
	size_t i;

	for (i = 0; i < nr_keyhandlers(); i++) {
		k = &__start_hv_keyhandlers[i];
		if (k->key == key) {
			printk("'%c' pressed -> %s\n", key, k->desc);
			k->fn(key);
			return;
		}
	}
	if ((key >= ' ') && (key <= '~')) {
		printk("'%c' pressed: no handler ('h' for help)\n", key);
	}
}

void keyhandler_poll(void)
{
	char c;

	while (console_getc(&c)) {
		keyhandler_handle(c);
	}
}

static void show_help(char key)
{
	size_t i;

	(void)key;
	for (i = 0; i < nr_keyhandlers(); i++) {
		printk(" key '%c': %s\n", __start_hv_keyhandlers[i].key,
		       __start_hv_keyhandlers[i].desc);
	}
}
HV_KEYHANDLER('h', "showing installed handlers", show_help);

static void show_memory(char key)
{
	(void)key;
	printk("Memory: %lu KiB free of %lu KiB\n",
	       (unsigned long)(page_alloc_free_bytes() >> 10),
	       (unsigned long)(page_alloc_total_bytes() >> 10));
}
HV_KEYHANDLER('m', "memory info", show_memory);

static void show_cpus(char key)
{
	unsigned int cpu;

	(void)key;
	for (cpu = 0; cpu < (unsigned int)NR_CPUS; cpu++) {
		if (smp_cpu_online(cpu)) {
			printk("CPU%u online\n", cpu);
		}
	}
}
HV_KEYHANDLER('c', "CPU info", show_cpus);

/* As Xen's 'C': stop the hypervisor through the unexpected-exception path
 * (register dump and backtrace), to check that path works. */
static void crash_hypervisor(char key)
{
	(void)key;
	arch_trigger_crash();
}
HV_KEYHANDLER('C', "crash the hypervisor (exception report test)",
	      crash_hypervisor);
