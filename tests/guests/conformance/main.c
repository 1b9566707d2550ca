/*
 * conformance: a seeded stream of hypercalls for comparing Xenon with Xen
 * 4.17 (scripts/conformance.py). Each call takes a hypercall number Xen
 * has (or one it lacks), a sub-op, and a 1 KiB argument buffer of words
 * drawn from values guests pass and get wrong: zeroes, small counts, this
 * domain's ID, DOMID_SELF, frame numbers and addresses in a hole of its
 * address space, all-ones, random bits. One line a call:
 *
 *     conf <index> <hypercall> <sub-op> <result> <FNV-1a of the buffer>
 *
 * so that both the answer and every byte written back can be compared.
 * The registers follow each hypercall's own arguments (see args()): the
 * sub-op first and the buffer next for most; the buffer first for the
 * control interfaces (domctl, sysctl, platform_op), whose first word then
 * holds the sub-op and, one time in two, the right interface version;
 * the buffer last for vcpu_op, console_io and dm_op, after a small number
 * (a vCPU, a count).
 * "show=<i>,<j>,..." (up to 64 indices) also prints, after each of those
 * calls, the first eight words of the buffer (a longer line would be
 * split by Xen's console):
 *
 *     after <index> <word 0> ... <word 7>
 *
 * One call in sixteen is an SMCCC call instead (hypercall 64 by HVC #0,
 * 65 by SMC #0; the sub-op is the function ID, x1..x3 the buffer's first
 * words, the result x0 and the hash over x0..x3 afterwards), from a list
 * of IDs of every owner or any 32-bit value.
 *
 * "fuzz=1" makes it the hostile-guest fuzzer (scripts/fuzz.py): the
 * argument pointer is, one time in eight each, the buffer, the buffer's
 * end straddling the hole, the GIC distributor, the hole, 0, 2^48 - 8,
 * 2^64 - 8 or random; no line per call, a progress line every 100,000
 * calls and a summary of the answers at the end.
 *
 * "dom0=1" is for the fuzzer run as dom0 beside a domU (the ticker, domain
 * 1): "this domain" is 0, and the calls that would legitimately tear the
 * ticker or dom0 down are left out (remote shutdown; domctls that destroy,
 * pause, reset or resize a domain; a domain field naming domain 1 in the
 * buffer becomes DOMID_SELF).
 *
 * Calls that would end or stop this domain (shutdown, block, poll,
 * watchdog, CPU down, multicall of random calls) and console writes are
 * left out. The buffer is the last KiB before a hole, so that arrays
 * longer than it fault. Bootargs: "seed=<n> count=<n>".
 */
/* The control interfaces' headers are for tools and Xen only. */
#define __XEN_TOOLS__ 1
#undef __STRICT_ANSI__

#include <xtf.h>
#include <xtf/xenmem.h>

#include <xen/domctl.h>
#include <xen/errno.h>
#include <xen/platform.h>
#include <xen/sysctl.h>
#include <xen/vcpu.h>

const char test_title[] = "Conformance: a seeded stream of hypercalls";

#define BUF_WORDS 128U
#define HOLE_GFN (XTF_FREE_GPA >> 12)

/* The argument buffer ends where a page given back begins, so an array
 * argument longer than the buffer faults instead of overwriting this
 * domain's own memory. */
#define BUF_PAGE_OFFSET 0x800000UL
static uint64_t *buf;
static uint64_t state;
static bool fuzz;
static bool dom0;

static uint64_t next(void)
{
	/* xorshift64* */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(uint64_t n)
{
	return next() % n;
}

static uint64_t word(void)
{
	switch (below(10)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return below(16);
	case 3:
		return DOMID_SELF;
	case 4:
		return dom0 ? 0 : 1; /* this domain's ID */
	case 5:
		return HOLE_GFN + below(64);
	case 6:
		return XTF_FREE_GPA + below(64) * 4096;
	case 7:
		return ~0ULL;
	case 8:
		return below(1U << 16);
	default:
		return next();
	}
}

static const unsigned int hypercalls[] = {
	__HYPERVISOR_platform_op,    __HYPERVISOR_memory_op,
	__HYPERVISOR_xen_version,    __HYPERVISOR_console_io,
	__HYPERVISOR_grant_table_op, __HYPERVISOR_vm_assist,
	__HYPERVISOR_vcpu_op,	     __HYPERVISOR_xsm_op,
	__HYPERVISOR_sched_op,	     __HYPERVISOR_event_channel_op,
	__HYPERVISOR_physdev_op,     __HYPERVISOR_hvm_op,
	__HYPERVISOR_sysctl,	     __HYPERVISOR_domctl,
	__HYPERVISOR_argo_op,	     __HYPERVISOR_dm_op,
	__HYPERVISOR_hypfs_op,	     __HYPERVISOR_set_timer_op,
	__HYPERVISOR_kexec_op,	     __HYPERVISOR_xenpmu_op,
};

/* The interface version a control hypercall's structure carries. */
static uint64_t control_version(unsigned int nr)
{
	switch (nr) {
	case __HYPERVISOR_domctl:
		return XEN_DOMCTL_INTERFACE_VERSION;
	case __HYPERVISOR_sysctl:
		return XEN_SYSCTL_INTERFACE_VERSION;
	default:
		return XENPF_INTERFACE_VERSION;
	}
}

/* The argument pointer of a fuzzed call. */
static uint64_t hostile_pointer(void)
{
	uint64_t b = (uint64_t)(uintptr_t)buf;

	switch (below(8)) {
	case 0:
		return b;
	case 1:
		return b + BUF_WORDS * 8 - 8 * below(4); /* across the end */
	case 2:
		return platform.gicd_base + 8 * below(512);
	case 3:
		return XTF_FREE_GPA + 8 * below(1U << 16);
	case 4:
		return 0;
	case 5:
		return (1ULL << 48) - 8;
	case 6:
		return ~0ULL - 7;
	default:
		return next();
	}
}

/* The three registers of a call: r[0..2]. */
static void args(unsigned int nr, uint64_t sub, uint64_t a2, uint64_t *r)
{
	uint64_t b = fuzz ? hostile_pointer() : (uint64_t)(uintptr_t)buf;

	r[0] = sub;
	r[1] = b;
	r[2] = a2;
	switch (nr) {
	case __HYPERVISOR_domctl:
	case __HYPERVISOR_sysctl:
	case __HYPERVISOR_platform_op:
		if ((a2 & 1U) == 0U) {
			buf[0] = (sub & 0xffffffffULL) |
				 (control_version(nr) << 32);
		}
		r[0] = b;
		r[1] = a2;
		r[2] = 0;
		break;
	case __HYPERVISOR_vcpu_op:
	case __HYPERVISOR_console_io:
	case __HYPERVISOR_dm_op:
		r[1] = a2;
		r[2] = b;
		break;
	default:
		break;
	}
}

/* Pseudo hypercall numbers of SMCCC calls, by HVC #0 and by SMC #0. */
#define SMCCC_HVC 64U
#define SMCCC_SMC 65U

static const uint32_t smccc_fids[] = {
	0x80000000U, /* SMCCC_VERSION */
	0x80000001U, /* SMCCC_ARCH_FEATURES */
	0x80000002U, /* SMCCC_ARCH_SOC_ID */
	0x80008000U, /* ARCH_WORKAROUND_1 */
	0x80007fffU, /* ARCH_WORKAROUND_2 */
	0x80003fffU, /* ARCH_WORKAROUND_3 */
	0x8500ff00U, /* hypervisor service: call count */
	0x8500ff01U, /* hypervisor service: UID */
	0x8500ff03U, /* hypervisor service: revision */
	0x85000000U, /* hypervisor service: function 0 */
	0x8600ff01U, /* vendor hypervisor service: UID */
	0xc6000001U, 0x8400ff00U, /* standard service: call count */
	0x8400ff01U, /* standard service: UID */
	0x8400ff03U, /* standard service: revision */
	0x84000000U, /* PSCI_VERSION */
	0x8400000aU, /* PSCI_FEATURES */
	0x84000004U, /* PSCI_AFFINITY_INFO */
	0xc4000004U, 0x84000005U, /* PSCI_MIGRATE */
	0x84000006U, /* PSCI_MIGRATE_INFO_TYPE */
	0x84000007U, /* PSCI_MIGRATE_INFO_UP_CPU */
	0x8400000dU, /* PSCI_NODE_HW_STATE */
	0x84000010U, /* PSCI_STAT_RESIDENCY */
	0x82000000U, /* SiP service */
	0x83000000U, /* OEM service */
	0xb0000000U, /* trusted application */
	0xb2000000U, /* trusted OS */
	0xbf00ff01U, /* trusted OS: UID */
	0x00000000U, /* the range of existing APIs (PSCI 0.1) */
	0x01000000U,
};

/* PSCI functions that would stop, start or end a vCPU (PSCI 0.1's
 * CPU_OFF and CPU_ON are 1 and 2). */
static bool smccc_unsafe(uint32_t fid)
{
	uint32_t fn = fid & 0xffffU;

	if (fid == 1U || fid == 2U) {
		return true;
	}
	if (((fid & 0xbfff0000U) != 0x84000000U) || (fn > 0x1fU)) {
		return false;
	}
	return fn == 1U || fn == 2U || fn == 3U || fn == 8U || fn == 9U ||
	       fn == 0xbU || fn == 0xcU || fn == 0xeU || fn == 0x12U;
}

/* An SMCCC call with x0..x3 = r[0..3], which it returns in. */
static void smccc_call(bool smc, uint64_t *r)
{
	register uint64_t x0 __asm__("x0") = r[0];
	register uint64_t x1 __asm__("x1") = r[1];
	register uint64_t x2 __asm__("x2") = r[2];
	register uint64_t x3 __asm__("x3") = r[3];

	if (smc) {
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10",
				   "x11", "x12", "x13", "x14", "x15", "x16",
				   "x17", "memory");
	} else {
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10",
				   "x11", "x12", "x13", "x14", "x15", "x16",
				   "x17", "memory");
	}
	r[0] = x0;
	r[1] = x1;
	r[2] = x2;
	r[3] = x3;
}

/* The function ID of an SMCCC call drawn as sub-op sub. */
static uint32_t smccc_fid(uint64_t sub)
{
	return sub < 32U ? smccc_fids[sub % ARRAY_SIZE(smccc_fids)]
			 : (uint32_t)sub;
}

/* Would this call end, stop or flood this domain? */
static bool unsafe(unsigned int nr, uint64_t sub)
{
	switch (nr) {
	case __HYPERVISOR_sched_op:
		return sub == SCHEDOP_block || sub == SCHEDOP_shutdown ||
		       sub == SCHEDOP_poll || sub == SCHEDOP_watchdog;
	case __HYPERVISOR_vcpu_op:
		return sub == VCPUOP_down;
	case __HYPERVISOR_console_io:
		return sub == CONSOLEIO_write;
	default:
		return false;
	}
}

/* As dom0: would this call tear down the ticker or dom0 itself? Domain
 * fields naming the ticker in the buffer are turned into DOMID_SELF. */
static bool dom0_unsafe(unsigned int nr, uint64_t sub)
{
	uint16_t *dom = (uint16_t *)buf;
	uint32_t cmd = (uint32_t)buf[0];

	if (!dom0) {
		return false;
	}
	/* struct xen_domctl: domain at byte 8; memory_op's structures:
	 * domid at byte 0 or 24 (reservations). */
	if (dom[4] == 1U) {
		dom[4] = DOMID_SELF;
	}
	if (dom[0] == 1U) {
		dom[0] = DOMID_SELF;
	}
	if (dom[12] == 1U) {
		dom[12] = DOMID_SELF;
	}
	switch (nr) {
	case __HYPERVISOR_sched_op:
		return sub == SCHEDOP_remote_shutdown;
	case __HYPERVISOR_domctl:
		return cmd == XEN_DOMCTL_destroydomain ||
		       cmd == XEN_DOMCTL_pausedomain ||
		       cmd == XEN_DOMCTL_setvcpucontext ||
		       cmd == XEN_DOMCTL_max_vcpus || cmd == XEN_DOMCTL_max_mem;
	default:
		return false;
	}
}

static uint64_t fnv1a(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static const char *arg_find(const char *key)
{
	const char *p = platform.bootargs;
	size_t klen = strlen(key);

	for (; *p; p++) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			return p + klen + 1;
		}
	}
	return NULL;
}

static uint64_t number(const char **p)
{
	uint64_t v = 0;

	for (; **p >= '0' && **p <= '9'; (*p)++) {
		v = v * 10 + (uint64_t)(**p - '0');
	}
	return v;
}

static uint64_t arg_value(const char *key, uint64_t dflt)
{
	const char *p = arg_find(key);

	return p ? number(&p) : dflt;
}

#define MAX_SHOW 64U
static uint64_t show[MAX_SHOW];
static unsigned int nr_show;

static void read_show(void)
{
	const char *p = arg_find("show");

	while (p && nr_show < MAX_SHOW && *p >= '0' && *p <= '9') {
		show[nr_show++] = number(&p);
		if (*p == ',') {
			p++;
		}
	}
}

static void show_buffer(uint64_t i)
{
	unsigned int k;

	for (k = 0; k < nr_show; k++) {
		if (show[k] == i) {
			break;
		}
	}
	if (k == nr_show) {
		return;
	}
	printf("after %llu", (unsigned long long)i);
	for (k = 0; k < 8; k++) {
		printf(" %llx", (unsigned long long)buf[k]);
	}
	printf("\n");
}

/* Answers of the fuzzer, by kind. */
static uint64_t answers[6];
static const char *const answer_names[6] = {"0",       "-ENOSYS", "-EFAULT",
					    "-EINVAL", "-EPERM",  "other"};

static void count_answer(long rc)
{
	unsigned int k;

	switch (rc) {
	case 0:
		k = 0;
		break;
	case -XEN_ENOSYS:
		k = 1;
		break;
	case -XEN_EFAULT:
		k = 2;
		break;
	case -XEN_EINVAL:
		k = 3;
		break;
	case -XEN_EPERM:
		k = 4;
		break;
	default:
		k = 5;
		break;
	}
	answers[k]++;
}

static void report_call(uint64_t i, unsigned int nr, uint64_t sub, long rc)
{
	if (!fuzz) {
		printf("conf %llu %u %llu %ld %016llx\n", (unsigned long long)i,
		       nr, (unsigned long long)sub, rc,
		       (unsigned long long)fnv1a(buf, BUF_WORDS * 8));
		show_buffer(i);
		return;
	}
	count_answer(rc);
	if (((i + 1) % 100000U) == 0U) {
		printf("fuzz: %llu calls\n", (unsigned long long)(i + 1));
	}
}

static void fuzz_summary(uint64_t count)
{
	unsigned int k;

	if (!fuzz) {
		return;
	}
	printf("fuzz: %llu calls drawn; answers:", (unsigned long long)count);
	for (k = 0; k < ARRAY_SIZE(answers); k++) {
		printf(" %s %llu", answer_names[k],
		       (unsigned long long)answers[k]);
	}
	printf("\n");
}

void test_main(void)
{
	uint64_t seed = arg_value("seed", 1);
	uint64_t count = arg_value("count", 1000);
	uint64_t i;
	unsigned int w;

	uint64_t page = platform.ram_base + BUF_PAGE_OFFSET;
	xen_pfn_t after = (page >> 12) + 1;

	if (xtf_reservation(XENMEM_decrease_reservation, &after, 1) != 1) {
		xtf_error("cannot give back the page after the buffer");
		return;
	}
	buf = (uint64_t *)(uintptr_t)(page + 4096 - BUF_WORDS * 8);
	state = seed * 0x9e3779b97f4a7c15ULL + 1;
	fuzz = arg_value("fuzz", 0) != 0U;
	dom0 = arg_value("dom0", 0) != 0U;
	read_show();
	printf("conformance: seed %llu, %llu calls\n", (unsigned long long)seed,
	       (unsigned long long)count);
	for (i = 0; i < count; i++) {
		unsigned int nr =
			below(8) == 0
				? (unsigned int)below(64)
				: hypercalls[below(ARRAY_SIZE(hypercalls))];
		uint64_t sub = below(4) == 0 ? word() : below(32);
		uint64_t a2 = below(2) ? below(4) : word();
		uint64_t r[4];
		long rc;

		for (w = 0; w < BUF_WORDS; w++) {
			buf[w] = word();
		}
		if (below(16) == 0) {
			/* ARCH_FEATURES asks about an ID of the list. */
			nr = below(2) ? SMCCC_SMC : SMCCC_HVC;
			sub = smccc_fid(sub);
			if (smccc_unsafe((uint32_t)sub)) {
				continue;
			}
			r[0] = sub;
			r[1] = (a2 & 1U) ? buf[0] : smccc_fid(a2);
			r[2] = buf[1];
			r[3] = buf[2];
			smccc_call(nr == SMCCC_SMC, r);
			memcpy(buf, r, sizeof(r));
			rc = (long)r[0];
		} else {
			if (unsafe(nr, sub) || nr == __HYPERVISOR_multicall) {
				continue;
			}
			args(nr, sub, a2, r);
			if (dom0_unsafe(nr, sub)) {
				continue;
			}
			rc = xen_hypercall3(nr, r[0], r[1], r[2]);
		}
		report_call(i, nr, sub, rc);
	}
	fuzz_summary(count);
	xtf_success();
}
