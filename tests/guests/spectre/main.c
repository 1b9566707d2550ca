/*
 * What the hypervisor tells a guest of the Spectre-v2/BHB workarounds
 * (SMCCC_ARCH_FEATURES), as Xen 4.17 answers on this CPU model, and that
 * the workaround calls and many exits work with the hypervisor's own
 * mitigation in the exit path. The expected answers come from the
 * bootargs: spectre=ABC, each 1 (offered) or 0, for workarounds 1, 2, 3.
 */
#include <xtf.h>

#include <xen/xen.h>
#include <xen/version.h>

const char test_title[] = "SMCCC_ARCH_FEATURES for the Spectre workarounds, "
			  "and exits through the mitigation";

#define ARCH_FEATURES_FID 0x80000001U
#define NOT_SUPPORTED (-1L)
#define EXITS 2000U

static const uint32_t workaround_fid[3] = {0x80008000U, 0x80007fffU,
					   0x80003fffU};

static const char *expected(void)
{
	const char *p = platform.bootargs;

	for (; *p; p++) {
		if (!strncmp(p, "spectre=", 8)) {
			return p + 8;
		}
	}
	return NULL;
}

void test_main(void)
{
	const char *want = expected();
	unsigned int i;
	long rc;

	if (!want || strlen(want) < 3) {
		xtf_error("no spectre=ABC in the bootargs");
		return;
	}
	for (i = 0; i < 3; i++) {
		rc = smccc_hvc(ARCH_FEATURES_FID, workaround_fid[i], 0, 0);
		printf("ARCH_WORKAROUND_%u: %ld\n", i + 1, rc);
		if (rc != (want[i] == '1' ? 0 : NOT_SUPPORTED)) {
			xtf_failure("ARCH_FEATURES(WORKAROUND_%u) = %ld, "
				    "expected %s",
				    i + 1, rc,
				    want[i] == '1' ? "0" : "NOT_SUPPORTED");
		}
	}
	/* The calls themselves return, with x0 cleared (Xen's fast path). */
	rc = smccc_hvc(workaround_fid[0], 0, 0, 0);
	if (rc != 0) {
		xtf_failure("ARCH_WORKAROUND_1 returned %ld", rc);
	}
	rc = smccc_hvc(workaround_fid[2], 0, 0, 0);
	if (rc != 0) {
		xtf_failure("ARCH_WORKAROUND_3 returned %ld", rc);
	}
	/* Every exit runs the hypervisor's mitigation; answers stay right. */
	for (i = 0; i < EXITS; i++) {
		rc = HYPERVISOR_xen_version(XENVER_version, NULL);
		if (rc != ((4 << 16) | 17)) {
			xtf_failure("exit %u: xen_version = %#lx", i, rc);
			return;
		}
	}
	printf("%u exits\n", EXITS);
	xtf_success();
}
