/*
 * console-escape: a domU whose console does not have the input cannot
 * drive the operator's terminal: control bytes (escape sequences, bell)
 * it prints, through its UART or console_io, are dropped before they
 * reach the hypervisor's console, as Xen strips them from console_io.
 * The runner checks the console log (check_escape in run.py).
 */
#include <xtf.h>

const char test_title[] = "Console: a domU's escape sequences do not "
			  "reach the terminal";

void test_main(void)
{
	static const char line[] =
		"console-escape: hypercall [\x1b]0;title\x07\x1b[2J] end\n";

	printf("console-escape: uart [\x1b[31m\x1b[2J\x07\x08] end\n");
	if (HYPERVISOR_console_io(CONSOLEIO_write, sizeof(line) - 1,
				  (char *)line) != 0) {
		xtf_failure("console_io write failed");
		return;
	}
	xtf_success();
}
