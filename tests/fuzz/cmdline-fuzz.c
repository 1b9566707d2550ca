/*
 * libFuzzer target: the hypervisor command line from the boot loader
 * (/chosen/xen,xen-bootargs or bootargs). The real core/cmdline.c parser
 * and every option handler core/ registers (loglvl, guest_loglvl, xsm,
 * hypercall_debug, ...) see any bytes, as boot passes them: up to a NUL,
 * cut at CMDLINE_MAX.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <hv/cmdline.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[2 * CMDLINE_MAX + 1];
	size_t n = (size < (sizeof(line) - 1U)) ? size : (sizeof(line) - 1U);

	memcpy(line, data, n);
	line[n] = '\0';
	(void)cmdline_parse(line);
	(void)cmdline_get();
	/* Leave the defaults for the next input. */
	(void)cmdline_parse("loglvl=warning guest_loglvl=none/warning");
	return 0;
}
