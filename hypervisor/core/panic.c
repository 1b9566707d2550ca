/*
 * panic(): report a fatal hypervisor error and stop, or reboot after five
 * seconds unless "noreboot" was given (as Xen does).
 */
#include <hv/cmdline.h>
#include <hv/irq.h>
#include <hv/panic.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/time.h>

static bool opt_noreboot;

static int param_noreboot(const char *value)
{
	return parse_bool(value, &opt_noreboot);
}
HV_PARAM("noreboot", param_noreboot);

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	size_t len;

	(void)arch_irq_save();
	va_start(ap, fmt);
	(void)format_vstring(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(XENLOG_ERR "PANIC: %s", msg);
	len = strlen(msg);
	if ((len == 0U) || (msg[len - 1U] != '\n')) {
		printk(XENLOG_ERR "\n");
	}
	arch_dump_backtrace();
	if (!opt_noreboot) {
		printk(XENLOG_ERR "Reboot in five seconds...\n");
		time_delay(SECONDS(5));
		arch_reset();
	}
	printk(XENLOG_ERR "Halted ('noreboot' given)\n");
	arch_halt();
}
