/*
 * hello: the runtime boots, prints, and the Xen ABI basics answer:
 * xen_version reports 4.17 and console_io accepts a line.
 */
#include <xtf.h>

const char test_title[] = "Hello: console output, xen_version is 4.17";

void test_main(void)
{
	static const char line[] = "hello: this line went through console_io\n";
	xen_extraversion_t extra;
	long ver, rc;
	unsigned int major, minor;

	printf("Hello, world, from a guest on vCPU %u\n", smp_processor_id());

	ver = HYPERVISOR_xen_version(XENVER_version, NULL);
	memset(extra, 0, sizeof(extra));
	rc = HYPERVISOR_xen_version(XENVER_extraversion, extra);
	if (rc < 0) {
		extra[0] = '\0';
	}
	extra[sizeof(extra) - 1] = '\0';
	major = (unsigned int)(ver >> 16);
	minor = (unsigned int)(ver & 0xffff);
	printf("hello: xen_version(XENVER_version) = %#lx: Xen %u.%u%s\n", ver,
	       major, minor, extra);
	if (ver < 0) {
		xtf_failure("xen_version failed: %ld", ver);
	} else if (major != 4 || minor != 17) {
		xtf_failure("expected version 4.17, got %u.%u", major, minor);
	}

	rc = console_io_write(line, sizeof(line) - 1);
	printf("hello: console_io(CONSOLEIO_write) returned %ld\n", rc);
	if (rc < 0) {
		xtf_failure("console_io write failed: %ld", rc);
	}

	xtf_success();
}
