/*
 * The guest's own grant table (version 1) for guests an xl toolstack
 * builds: frame 0 mapped at the start of the region the device tree's
 * hypervisor node ("xen,xen") gives in its reg, as Linux does on Arm.
 *
 * Entries 0 to GNTTAB_NR_RESERVED_ENTRIES - 1 belong to the toolstack
 * (console and xenstore rings granted to dom0): tests use the others.
 */
#ifndef XTF_GRANT_H
#define XTF_GRANT_H

#include <xtf/lib.h>

#include <xen/xen.h>
#include <xen/grant_table.h>

/*
 * Map frame 0 of the grant table; 0, -XEN_ENODEV when the device tree has
 * no hypervisor node, or the error of XENMEM_add_to_physmap.
 */
int grant_init(void);

/* The number of entries frame 0 holds. */
unsigned int grant_nr_entries(void);

/*
 * Let domain domid map or copy the page at gfn under ref (read-only if
 * readonly). The frame and domain are written before the flags, with a
 * barrier between.
 */
void grant_access(grant_ref_t ref, domid_t domid, xen_pfn_t gfn, bool readonly);

/* The entry's flags as the hypervisor left them (GTF_reading, ...). */
uint16_t grant_flags(grant_ref_t ref);

/*
 * Map dom's grant ref at gpa (GNTTABOP_map_grant_ref with flags, e.g.
 * GNTMAP_host_map); the handle in *handle. Returns the status, or
 * GNTST_general_error when the hypercall itself failed.
 */
int16_t grant_map(domid_t dom, grant_ref_t ref, uint64_t gpa, uint32_t flags,
		  grant_handle_t *handle);

/* Unmap handle at gpa; the status as grant_map's. */
int16_t grant_unmap(uint64_t gpa, grant_handle_t handle);

/*
 * This domain's ID, as EVTCHNOP_status of a port allocated for DOMID_SELF
 * reports it (a domU does not otherwise know it). 0, or -1 on failure.
 */
int grant_self_domid(domid_t *out);

#endif /* XTF_GRANT_H */
