/*
 * control-unprivileged: a domU calling the control domain's interfaces.
 * Every domctl (on itself, and createdomain) and every sysctl answers
 * -EPERM, except the few sub-ops Xen 4.17 answers on Arm before it checks
 * the caller (listed below, with Xen's answers to zeroed arguments); a
 * wrong interface version answers -EACCES first; a domain that does not
 * exist answers -ESRCH (the lookup comes before the permission check). The
 * domain keeps running afterwards and nothing it asked for happened: it is
 * still unpaused and alive to print this. The same image passes on Xen.
 */
/* The control interfaces' headers are for tools and Xen only. */
#define __XEN_TOOLS__ 1
#undef __STRICT_ANSI__

#include <xtf.h>

#include <xen/domctl.h>
#include <xen/errno.h>
#include <xen/sysctl.h>

const char test_title[] = "domctl and sysctl from an unprivileged domain";

/* The first dom0less domain without a dom0 is domain 1 (on Xen, Xenon). */
#define SELF_ID 1U
#define ABSENT_ID 0x7fe0U
/* Past the last sub-op each interface defines in Xen 4.17. */
#define DOMCTL_LAST 100U
#define SYSCTL_LAST 40U

/* Sub-ops Xen 4.17 answers on Arm before the permission check. */
static long domctl_refusal(uint32_t cmd)
{
	switch (cmd) {
	case XEN_DOMCTL_ioport_permission:
	case XEN_DOMCTL_ioport_mapping:
		return -XEN_ENOSYS; /* x86 only */
	case XEN_DOMCTL_bind_pt_irq:
	case XEN_DOMCTL_unbind_pt_irq:
		return -XEN_EOPNOTSUPP; /* irq_type 0 is not an SPI */
	case XEN_DOMCTL_get_device_group:
		return -XEN_EOPNOTSUPP; /* no IOMMU */
	case XEN_DOMCTL_memory_mapping:
		return -XEN_EINVAL; /* nr_mfns 0 */
	case XEN_DOMCTL_set_target:
		return -XEN_ESRCH; /* target domain 0: none without a dom0 */
	default:
		return -XEN_EPERM;
	}
}

static struct xen_domctl dop __attribute__((aligned(64)));
static struct xen_sysctl sop __attribute__((aligned(64)));
static unsigned int wrong;

static long domctl(uint32_t cmd, uint32_t version, domid_t domain)
{
	memset(&dop, 0, sizeof(dop));
	dop.cmd = cmd;
	dop.interface_version = version;
	dop.domain = domain;
	return xen_hypercall3(__HYPERVISOR_domctl, (unsigned long)&dop, 0, 0);
}

static long sysctl(uint32_t cmd, uint32_t version)
{
	memset(&sop, 0, sizeof(sop));
	sop.cmd = cmd;
	sop.interface_version = version;
	return xen_hypercall3(__HYPERVISOR_sysctl, (unsigned long)&sop, 0, 0);
}

static void expect(const char *what, uint32_t cmd, long got, long want)
{
	if (got == want) {
		return;
	}
	if (wrong < 8) {
		printf("%s %u: %ld, want %ld\n", what, cmd, got, want);
	}
	wrong++;
}

void test_main(void)
{
	unsigned int cmd, calls = 0;

	for (cmd = 0; cmd <= DOMCTL_LAST; cmd++) {
		expect("domctl (old version)", cmd,
		       domctl(cmd, XEN_DOMCTL_INTERFACE_VERSION - 1, SELF_ID),
		       -XEN_EACCES);
		expect("domctl on itself", cmd,
		       domctl(cmd, XEN_DOMCTL_INTERFACE_VERSION, SELF_ID),
		       domctl_refusal(cmd));
		calls += 2;
	}
	/* These name no existing domain, so they reach the check. */
	expect("domctl createdomain", XEN_DOMCTL_createdomain,
	       domctl(XEN_DOMCTL_createdomain, XEN_DOMCTL_INTERFACE_VERSION,
		      DOMID_INVALID),
	       -XEN_EPERM);
	expect("domctl pausedomain of no domain", XEN_DOMCTL_pausedomain,
	       domctl(XEN_DOMCTL_pausedomain, XEN_DOMCTL_INTERFACE_VERSION,
		      ABSENT_ID),
	       -XEN_ESRCH);
	expect("domctl destroydomain of no domain", XEN_DOMCTL_destroydomain,
	       domctl(XEN_DOMCTL_destroydomain, XEN_DOMCTL_INTERFACE_VERSION,
		      ABSENT_ID),
	       -XEN_ESRCH);
	calls += 3;
	for (cmd = 0; cmd <= SYSCTL_LAST; cmd++) {
		expect("sysctl (old version)", cmd,
		       sysctl(cmd, XEN_SYSCTL_INTERFACE_VERSION - 1),
		       -XEN_EACCES);
		expect("sysctl", cmd, sysctl(cmd, XEN_SYSCTL_INTERFACE_VERSION),
		       -XEN_EPERM);
		calls += 2;
	}
	printf("control-unprivileged: %u calls, %u unexpected answers\n", calls,
	       wrong);
	if (wrong != 0) {
		xtf_failure("%u of %u calls answered otherwise", wrong, calls);
	} else {
		xtf_success();
	}
}
