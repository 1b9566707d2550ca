/*
 * Grant-table, memory and event-channel hypercalls for tests that use
 * them, with Xen's public structures.
 */
#ifndef XTF_XENMEM_H
#define XTF_XENMEM_H

#include <xtf/hypercall.h>

#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/errno.h>
#include <xen/memory.h>

/* A guest-physical range no test domain has RAM in (its RAM is the first
 * 16 MiB of GUEST_RAM0; the runtime maps 1-4 GiB 1:1 as normal memory). */
#define XTF_FREE_GPA 0x50000000UL
/* Where tests place their first grant-table frame. */
#define XTF_GNTTAB_GPA 0x51000000UL

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
	return xen_hypercall3(__HYPERVISOR_memory_op, cmd, (unsigned long)arg,
			      0);
}

static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop,
					     unsigned int count)
{
	return xen_hypercall3(__HYPERVISOR_grant_table_op, cmd,
			      (unsigned long)uop, count);
}

static inline long HYPERVISOR_event_channel_op(unsigned int cmd, void *arg)
{
	return xen_hypercall3(__HYPERVISOR_event_channel_op, cmd,
			      (unsigned long)arg, 0);
}

/* An unbound port of this domain that domain remote may bind. */
static inline long xtf_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = {.dom = DOMID_SELF,
					  .remote_dom = remote};
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

	if (!rc) {
		*port = op.port;
	}
	return rc;
}

static inline long xtf_evtchn_send(evtchn_port_t port)
{
	struct evtchn_send send = {.port = port};

	return HYPERVISOR_event_channel_op(EVTCHNOP_send, &send);
}

/* XENMEM_{increase,decrease}_reservation / populate_physmap of nr 4 KiB
 * frames listed in gfns; returns the number done or an error. */
static inline long xtf_reservation(unsigned int cmd, xen_pfn_t *gfns,
				   unsigned long nr)
{
	struct xen_memory_reservation r = {
		.nr_extents = nr,
		.extent_order = 0,
		.domid = DOMID_SELF,
	};

	set_xen_guest_handle(r.extent_start, gfns);
	return HYPERVISOR_memory_op(cmd, &r);
}

/* Map a grant frame or shared_info page of this domain at gfn. */
static inline long xtf_add_to_physmap(unsigned int space, unsigned long idx,
				      xen_pfn_t gfn)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = space,
		.idx = idx,
		.gpfn = gfn,
	};

	return HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
}

#endif /* XTF_XENMEM_H */
