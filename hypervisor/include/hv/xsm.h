/*
 * Which domains may talk to which: Xen's XSM hooks for inter-domain
 * channels (event channels, grant mappings and copies), with the two
 * policies Xen 4.17 offers without FLASK. "xsm=silo" (the default, as
 * Debian's Xen on Arm): a domain talks only to itself and to the control
 * domain, so two domUs cannot share memory or events. "xsm=dummy": any
 * two domains may.
 */
#ifndef HV_XSM_H
#define HV_XSM_H

#include <hv/domain.h>

/* May caller set up a channel between ld and rd (Xen's
 * silo_mode_dom_check())? */
bool xsm_may_communicate(const struct domain *caller, const struct domain *ld,
			 const struct domain *rd);

/* Xen's xsm_evtchn_unbound(): may caller make a port of d that rd (the
 * domain the remote domid names, NULL if none) may bind? 0, -ESRCH (silo:
 * no such remote domain) or -EPERM. */
int xsm_evtchn_unbound(const struct domain *caller, const struct domain *d,
		       const struct domain *rd);

#endif /* HV_XSM_H */
