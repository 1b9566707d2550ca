/*
 * The inter-domain policy (hv/xsm.h) and its command-line option.
 */
#include <hv/cmdline.h>
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <hv/string.h>
#include <hv/xsm.h>

static bool silo = true;

/* xsm=silo|dummy (Xen's option; Xenon has no FLASK). */
static int param_xsm(const char *value)
{
	if ((value != NULL) && (strcmp(value, "silo") == 0)) {
		silo = true;
	} else if ((value != NULL) && (strcmp(value, "dummy") == 0)) {
		silo = false;
	} else {
		return -1;
	}
	return 0;
}
HV_PARAM("xsm", param_xsm);

bool xsm_may_communicate(const struct domain *caller, const struct domain *ld,
			 const struct domain *rd)
{
	return !silo || caller->is_hardware_domain || ld->is_hardware_domain ||
	       rd->is_hardware_domain || (ld == rd);
}

int xsm_evtchn_unbound(const struct domain *caller, const struct domain *d,
		       const struct domain *rd)
{
	if (silo && (rd == NULL)) {
		return -ESRCH;
	}
	if (silo && !xsm_may_communicate(caller, d, rd)) {
		return -EPERM;
	}
	return domain_may_target(caller, d) ? 0 : -EPERM;
}

/* XSM SILO and dummy have no policy operations (FLASK has): -ENOSYS for
 * everyone, which the toolstack expects and ignores. */
int64_t do_xsm_op(struct vcpu *v, const uint64_t *args)
{
	(void)v;
	(void)args;
	return -ENOSYS;
}
