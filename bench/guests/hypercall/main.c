/*
 * hypercall: the cost of a hypercall round trip, from the guest.
 *
 *   null_hypercall  xen_version(XENVER_version): no argument, no copy
 *   copy_1k         xen_version(XENVER_capabilities): the hypervisor copies
 *                   a whole xen_capabilities_info_t (1024 bytes) into the
 *                   guest's buffer, on Xen 4.17 and on Xenon alike
 *
 * Each sample times BATCH back-to-back calls with CNTVCT_EL0.
 */
#include <bench.h>
#include <bench-hvc.h>

const char test_title[] = "Benchmark: hypercall round trips";

#define SAMPLES 200
#define BATCH 64

static uint64_t samples[SAMPLES];
/* One page-aligned buffer, so the copy never crosses a page. */
static xen_capabilities_info_t caps __aligned(4096);

static void measure(const char *name, unsigned long cmd, void *arg)
{
	unsigned int i;
	uint64_t t0;

	/* One untimed round first: the first call may fault pages in. */
	bench_hvc_batch(__HYPERVISOR_xen_version, cmd, (unsigned long)arg,
			BATCH);
	for (i = 0; i < SAMPLES; i++) {
		t0 = bench_vct();
		bench_hvc_batch(__HYPERVISOR_xen_version, cmd,
				(unsigned long)arg, BATCH);
		samples[i] = bench_vct() - t0;
	}
	bench_report(name, samples, SAMPLES, BATCH);
}

void test_main(void)
{
	long rc = HYPERVISOR_xen_version(XENVER_version, NULL);

	if (rc != ((4 << 16) | 17)) {
		xtf_failure("xen_version(XENVER_version) = %#lx, not 4.17", rc);
		return;
	}
	memset(caps, 0xff, sizeof(caps));
	rc = HYPERVISOR_xen_version(XENVER_capabilities, caps);
	if (rc != 0 || caps[sizeof(caps) - 1] != 0 || !caps[0]) {
		xtf_failure("xen_version(XENVER_capabilities) = %ld, "
			    "buffer not filled",
			    rc);
		return;
	}
	printf("hypercall: capabilities \"%s\"\n", caps);
	measure("null_hypercall", XENVER_version, NULL);
	measure("copy_1k", XENVER_capabilities, caps);
	xtf_success();
}
