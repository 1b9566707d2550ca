/*
 * Grant tables, version 1, with the ABI of Xen's public <xen/grant_table.h>.
 *
 * A domain lets another one use one of its pages by filling in a grant
 * entry (grant_entry_v1_t) in its grant table: frames of hypervisor memory
 * that the guest maps into its own address space with XENMEM_add_to_physmap
 * (XENMAPSPACE_grant_table), which calls grant_table_frame(). The domain
 * named in the entry then maps the page (GNTTABOP_map_grant_ref) or copies
 * to or from it (GNTTABOP_copy) by grant reference, the entry's index.
 *
 * Lock order: see the top of core/grant-table.c.
 */
#ifndef HV_GRANT_TABLE_H
#define HV_GRANT_TABLE_H

#include <hv/compiler.h>
#include <hv/domain.h>
#include <hv/guest-mem.h>

/* Frames a grant table starts with, and the most it may grow to (the
 * defaults of Xen 4.17, whose gnttab_max_frames is 64). */
#define GNTTAB_INITIAL_FRAMES 1U
#define GNTTAB_MAX_FRAMES 64U

/* Pages of mapping handles a domain may use (Xen's default 1024; 170
 * handles a page here). */
#define GNTTAB_MAX_MAPTRACK_FRAMES 1024U

/* The frame number GNTTABOP_setup_table reports for a frame the guest has
 * not placed in its address space (Xen's INVALID_GFN on Arm). */
#define GNTTAB_INVALID_GFN (~(uint64_t)0)

/*
 * Give d a grant table of GNTTAB_INITIAL_FRAMES frames that may grow to
 * max_frames (GNTTAB_INITIAL_FRAMES..GNTTAB_MAX_FRAMES; Xen's default is
 * GNTTAB_MAX_FRAMES). 0, -EINVAL (bad max_frames), -EEXIST (d has one) or
 * -ENOMEM.
 */
int __must_check grant_table_init(struct domain *d, unsigned int max_frames);

/*
 * End the mappings d holds of other domains' grants, as
 * grant_table_destroy() does first; d's table stays (other domains may
 * still hold mappings of d's grants and end them).
 */
void grant_table_release_mappings(struct domain *d);

/*
 * Free d's grant table, first ending the mappings d holds of other
 * domains' grants (their entries' GTF_reading/GTF_writing clear as if d
 * had unmapped them; d's own stage 2 is left alone). Only for a domain
 * that no longer runs. Mappings other domains hold of d's grants are not
 * ended: unmapping one later crashes the mapping domain, as in Xen.
 */
void grant_table_destroy(struct domain *d);

/*
 * Machine address of d's shared grant frame idx, for XENMEM_add_to_physmap
 * to map it into d. The table grows to idx + 1 frames if it is smaller
 * (as Xen does); 0, or -EINVAL if idx is at or past its maximum, the
 * memory to grow it is missing, or d has no grant table.
 */
int __must_check grant_table_frame(struct domain *d, unsigned int idx,
				   paddr_t *maddr);

/* The most shared frames d's table may grow to (0: no table). */
unsigned int grant_table_max_frames(const struct domain *d);

/*
 * Where d placed its shared frame idx: the gfn that
 * grant_table_set_frame_gfn() recorded (after a successful
 * XENMEM_add_to_physmap), or GNTTAB_INVALID_GFN (not placed, or idx is not
 * a frame of the table). GNTTABOP_setup_table reports these, as Xen does
 * for translated guests. grant_table_forget_gfn() marks the frames placed
 * at gfn as placed nowhere (something else took their place) and says
 * whether there was one.
 */
uint64_t grant_table_frame_gfn(struct domain *d, unsigned int idx);
void grant_table_set_frame_gfn(struct domain *d, unsigned int idx,
			       uint64_t gfn);
bool grant_table_forget_gfn(struct domain *d, uint64_t gfn);

/*
 * The grant_table_op hypercall for the current vCPU v: args[0] = cmd,
 * args[1] = guest address of an array of the cmd's structures, args[2] =
 * number of elements. 0 or a negative errno; each element's own result is
 * its status field (GNTST_*).
 */
int64_t do_grant_table_op(struct vcpu *v, const uint64_t *args);

/*
 * Arch hooks. They are called with the grant-table locks of the mapping
 * and the granting domain held, and must not take a grant-table lock.
 */

/* Map the page at maddr (another domain's RAM, granted to d) at d's
 * guest-physical address gpa (page aligned), read-only if readonly is set,
 * replacing whatever was mapped there. 0 or a negative errno. */
int __must_check arch_grant_map(struct domain *d, paddr_t gpa, paddr_t maddr,
				bool readonly);

/* Remove what arch_grant_map() put at d's gpa. Returns once no vCPU of d
 * can reach the page any more (TLBs invalidated). 0 or a negative errno. */
int __must_check arch_grant_unmap(struct domain *d, paddr_t gpa);

#endif /* HV_GRANT_TABLE_H */
