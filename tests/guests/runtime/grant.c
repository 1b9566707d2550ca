/*
 * The guest's grant table, version 1 (see xtf/grant.h).
 *
 * Xen's guest layout puts the grant-table region (GUEST_GNTTAB_BASE) below
 * 1 GiB, which the runtime maps Device-nGnRnE: entries are written field by
 * field with aligned volatile stores, never with memcpy or exclusives.
 */
#include <xtf/arch.h>
#include <xtf/fdt.h>
#include <xtf/grant.h>
#include <xtf/platform.h>
#include <xtf/xenmem.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

static volatile grant_entry_v1_t *table;

/* The first (address, size) of the hypervisor node's reg. */
static int hypervisor_region(uint64_t *addr, uint64_t *size)
{
	const void *fdt = platform.fdt;
	unsigned int ac = fdt_getprop_u32(fdt, 0, "#address-cells", 2);
	unsigned int sc = fdt_getprop_u32(fdt, 0, "#size-cells", 1);
	int node = fdt_find_compatible(fdt, -1, "xen,xen");
	const uint32_t *reg;
	int len;

	if (node < 0) {
		return -XEN_ENODEV;
	}
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || (unsigned int)len < (ac + sc) * 4) {
		return -XEN_ENODEV;
	}
	*addr = fdt_read_cells(&reg, ac);
	*size = fdt_read_cells(&reg, sc);
	return 0;
}

int grant_init(void)
{
	uint64_t base, size;
	long rc = hypervisor_region(&base, &size);

	if (rc) {
		return (int)rc;
	}
	/* The runtime's 1:1 map covers 4 GiB. */
	if (size < PAGE_SIZE || (base & (PAGE_SIZE - 1)) ||
	    base + PAGE_SIZE > (4UL << 30)) {
		return -XEN_EINVAL;
	}
	rc = xtf_add_to_physmap(XENMAPSPACE_grant_table, 0, base >> PAGE_SHIFT);
	if (rc) {
		return (int)rc;
	}
	table = (volatile grant_entry_v1_t *)base;
	return 0;
}

unsigned int grant_nr_entries(void)
{
	return table ? PAGE_SIZE / sizeof(grant_entry_v1_t) : 0;
}

void grant_access(grant_ref_t ref, domid_t domid, xen_pfn_t gfn, bool readonly)
{
	if (ref >= grant_nr_entries()) {
		return;
	}
	table[ref].frame = (uint32_t)gfn;
	table[ref].domid = domid;
	dmb(ish); /* frame and domain before the flags that validate them */
	table[ref].flags =
		(uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0));
}

uint16_t grant_flags(grant_ref_t ref)
{
	return ref < grant_nr_entries() ? table[ref].flags : 0;
}

int16_t grant_map(domid_t dom, grant_ref_t ref, uint64_t gpa, uint32_t flags,
		  grant_handle_t *handle)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = gpa,
		.flags = flags,
		.ref = ref,
		.dom = dom,
	};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

	*handle = op.handle;
	return rc ? GNTST_general_error : op.status;
}

int16_t grant_unmap(uint64_t gpa, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref op = {.host_addr = gpa, .handle = handle};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

	return rc ? GNTST_general_error : op.status;
}

int grant_self_domid(domid_t *out)
{
	struct evtchn_status st = {.dom = DOMID_SELF};
	struct evtchn_close cl;
	evtchn_port_t port;

	if (xtf_evtchn_alloc_unbound(DOMID_SELF, &port)) {
		return -1;
	}
	st.port = port;
	if (HYPERVISOR_event_channel_op(EVTCHNOP_status, &st) ||
	    st.status != EVTCHNSTAT_unbound) {
		return -1;
	}
	*out = st.u.unbound.dom;
	cl.port = port;
	return HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl) ? -1 : 0;
}
