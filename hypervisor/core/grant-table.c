/*
 * Grant tables, version 1: the GNTTABOP_* operations of Xen's public
 * <xen/grant_table.h> that Linux uses on Arm, with Xen's checks and
 * status codes.
 *
 * Each domain has a grant table: shared frames (hypervisor pages the guest
 * maps and fills with grant_entry_v1_t), an active entry per grant
 * reference (how often the grant is in use, by whom, and which page it
 * names) and a maptrack table of the mappings the domain holds of other
 * domains' grants, whose indices are the handles GNTTABOP_map_grant_ref
 * returns.
 *
 * Lock order: a grant table's lock covers its frames, active entries and
 * maptrack. Where two are needed (map, unmap, releasing a dying domain's
 * mappings) the lock of the domain with the lower domain ID is taken
 * first; a domain mapping its own grant takes its one lock. Copies hold one
 * grant lock at a time and copy with none held. arch_grant_map() and
 * arch_grant_unmap() run under the grant locks and may take the stage-2
 * (p2m) lock, which therefore nests inside them. No grant lock is held
 * while guest memory is read or written through copy_from_guest() or
 * copy_to_guest(). domain_list_lock is never held here.
 *
 * The shared entries are guest memory that the granting domain may change
 * at any time. As in Xen, flags and domid are read together as one 32-bit
 * word and changed only with a compare-and-exchange that is retried a few
 * times before the entry is called unstable; frame is read once, when the
 * grant is first put in use; GTF_reading and GTF_writing are cleared with
 * an atomic AND. Both are guest atomics (hv/guest-atomics.h): a granting
 * domain that keeps writing the entry is paused rather than holding the
 * hypervisor in a retry loop.
 *
 * GNTTABOP_setup_table reports where the guest placed each frame, as Xen
 * 4.17 on Arm does: XENMEM_add_to_physmap (core/physmap.c) records it with
 * grant_table_set_frame_gfn(), refuses to place a placed frame again
 * (-EBUSY, so a frame is at one gfn at a time) and forgets it when the
 * frame is removed or something else is placed there; GNTTAB_INVALID_GFN
 * while it is placed nowhere.
 *
 * Differences from Xen 4.17 on Arm:
 * - Version 1 only, as on Arm, where Xen's GNTTAB_MAX_VERSION is 1.
 * - Batches (map, unmap, copy, cache_flush) are continued between entries
 *   when preempted, with the array and count advanced (Xen also encodes
 *   progress inside one copy or flush in cmd; an entry here is short).
 * - GNTTABOP_cache_flush validates its arguments and does nothing else
 *   (no cache maintenance is needed while no device that does not snoop
 *   the caches is passed through).
 * - A grant in use (pinned by maps or copies) holds one page reference
 *   (hv/page-alloc.h) from its first pin to its last unpin, so a granted
 *   page outlives its domain's death until every mapping of it is gone;
 *   the dead granter stays a zombie, with its grant table, until then.
 *   A mapping records the serial of the grant table it pins, so that one
 *   outliving that table is never unpinned in a later table of the domain.
 * - Unmapping checks host_addr against the address recorded at map time;
 *   Xen checks that the stage-2 entry there still holds the granted page.
 * - transfer gives -EOPNOTSUPP (as Xen 4.17 on Arm); unmap_and_replace
 *   only unmaps (new_addr must be 0, as on Arm); dump_table gives -ENOSYS.
 */
#include <hv/atomic.h>
#include <hv/errno.h>
#include <hv/grant-table.h>
#include <hv/guest-atomics.h>
#include <hv/guest-copy.h>
#include <hv/hypercall.h>
#include <hv/page-alloc.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/xsm.h>

#include <xen/grant_table.h>

/* Xen's encoding of a continuation's progress in the high bits of cmd. */
#define GNTTABOP_CONTINUATION_ARG_SHIFT 12U
#define GNTTABOP_CMD_MASK ((1U << GNTTABOP_CONTINUATION_ARG_SHIFT) - 1U)

#define SHGNT_PER_PAGE ((unsigned int)(PAGE_SIZE / sizeof(grant_entry_v1_t)))

/* Pin counts in an active entry, as Xen counts host mappings (copies count
 * as host mappings too): writable ones in bits 0-7, read-only ones in bits
 * 8-15. A count that reaches 0x80 refuses further use. */
#define GNTPIN_HSTW_INC 0x0001U
#define GNTPIN_HSTW_MASK 0x00ffU
#define GNTPIN_HSTR_INC 0x0100U
#define GNTPIN_HSTR_MASK 0xff00U
#define GNTPIN_OVERFLOW 0x8080U

/* Compare-and-exchange attempts on a shared entry before giving up (the
 * guest may change the entry faster than the hypervisor can update it). */
#define GNTTAB_CMPXCHG_TRIES 5U

/* Marks the end of the maptrack free list. */
#define MAPTRACK_TAIL UINT32_MAX

/* Active entry: the hypervisor's record of a grant in use. */
struct active_grant_entry {
	uint32_t pin; /* GNTPIN_* counts; 0: not in use */
	domid_t domid; /* the domain using it (while pin != 0) */
	uint64_t gfn; /* the granted frame of the granting domain */
	paddr_t maddr; /* its machine address */
};

struct grant_frame {
	grant_entry_v1_t *shared; /* one page, mapped by the guest */
	struct active_grant_entry *active; /* SHGNT_PER_PAGE entries */
	uint64_t gfn; /* where the guest placed the frame */
};

/* A mapping this domain holds of another domain's grant. */
struct grant_mapping {
	grant_ref_t ref; /* the grant; the next free handle while free */
	uint16_t flags; /* GNTMAP_*; 0: free */
	domid_t domid; /* the granting domain */
	uint32_t serial; /* the serial of its grant table */
	paddr_t gpa; /* where the page is mapped */
};

#define MAPTRACK_PER_PAGE                                                      \
	((unsigned int)(PAGE_SIZE / sizeof(struct grant_mapping)))

struct grant_table {
	spinlock_t lock;
	struct domain *domain;
	uint32_t serial; /* tells this table from a later one of d */
	unsigned int nr_frames;
	unsigned int max_frames;
	struct grant_frame *frames; /* max_frames of them */
	struct grant_mapping **maptrack; /* GNTTAB_MAX_MAPTRACK_FRAMES pages */
	unsigned int maptrack_limit; /* handles below this exist */
	unsigned int maptrack_free; /* first free handle, or MAPTRACK_TAIL */
};

/* The flags and domid of a shared entry, read and updated together. */
union grant_combo {
	uint32_t raw;
	struct {
		uint16_t flags;
		domid_t domid;
	} f;
};

_Static_assert(sizeof(grant_entry_v1_t) == 8U, "grant_entry_v1_t layout");
_Static_assert(offsetof(grant_entry_v1_t, domid) == 2U,
	       "grant_entry_v1_t layout");

/* ---- Table layout ---- */

static unsigned int nr_entries(const struct grant_table *gt)
{
	return gt->nr_frames * SHGNT_PER_PAGE;
}

static grant_entry_v1_t *shared_entry(const struct grant_table *gt,
				      grant_ref_t ref)
{
	return &gt->frames[ref / SHGNT_PER_PAGE].shared[ref % SHGNT_PER_PAGE];
}

static struct active_grant_entry *active_entry(const struct grant_table *gt,
					       grant_ref_t ref)
{
	return &gt->frames[ref / SHGNT_PER_PAGE].active[ref % SHGNT_PER_PAGE];
}

static void free_frame(struct grant_frame *f)
{
	if (f->shared != NULL) {
		free_pages(virt_to_maddr(f->shared), 0);
		f->shared = NULL;
	}
	xfree(f->active);
	f->active = NULL;
}

/* Add frames until there are nr; called with gt's lock held (or before the
 * table is published). 0 or -ENOMEM, with the frames added so far kept. */
static int grow_table(struct grant_table *gt, unsigned int nr)
{
	struct grant_frame *f;
	paddr_t pa;

	while (gt->nr_frames < nr) {
		f = &gt->frames[gt->nr_frames];
		pa = alloc_pages(0);
		f->active = xzalloc(SHGNT_PER_PAGE * sizeof(*f->active));
		if ((pa == INVALID_PADDR) || (f->active == NULL)) {
			if (pa != INVALID_PADDR) {
				free_pages(pa, 0);
			}
			xfree(f->active);
			f->active = NULL;
			return -ENOMEM;
		}
		f->shared = maddr_to_virt(pa);
		memset(f->shared, 0, PAGE_SIZE);
		f->gfn = GNTTAB_INVALID_GFN;
		gt->nr_frames++;
	}
	return 0;
}

/* ---- Maptrack (mapping handles) ---- */

static struct grant_mapping *maptrack_entry(const struct grant_table *gt,
					    unsigned int handle)
{
	return &gt->maptrack[handle / MAPTRACK_PER_PAGE]
			    [handle % MAPTRACK_PER_PAGE];
}

/* Add a page of free handles; false if at the limit or out of memory. */
static bool maptrack_grow(struct grant_table *gt)
{
	unsigned int page = gt->maptrack_limit / MAPTRACK_PER_PAGE;
	struct grant_mapping *m;
	unsigned int i;

	if (page >= GNTTAB_MAX_MAPTRACK_FRAMES) {
		return false;
	}
	m = xzalloc(PAGE_SIZE);
	if (m == NULL) {
		return false;
	}
	for (i = 0; i < MAPTRACK_PER_PAGE; i++) {
		m[i].ref = gt->maptrack_limit + i + 1U;
	}
	m[MAPTRACK_PER_PAGE - 1U].ref = gt->maptrack_free;
	gt->maptrack[page] = m;
	gt->maptrack_free = gt->maptrack_limit;
	gt->maptrack_limit += MAPTRACK_PER_PAGE;
	return true;
}

/* A free handle (its entry's flags still 0), or MAPTRACK_TAIL. */
static unsigned int maptrack_get(struct grant_table *gt)
{
	unsigned int handle;

	if ((gt->maptrack_free == MAPTRACK_TAIL) && !maptrack_grow(gt)) {
		return MAPTRACK_TAIL;
	}
	handle = gt->maptrack_free;
	gt->maptrack_free = maptrack_entry(gt, handle)->ref;
	return handle;
}

static void maptrack_put(struct grant_table *gt, unsigned int handle)
{
	struct grant_mapping *m = maptrack_entry(gt, handle);

	m->flags = 0;
	m->ref = gt->maptrack_free;
	gt->maptrack_free = handle;
}

/* The mapping with this handle, or NULL if it is not in use. */
static struct grant_mapping *maptrack_lookup(const struct grant_table *gt,
					     grant_handle_t handle)
{
	struct grant_mapping *m;

	if (handle >= gt->maptrack_limit) {
		return NULL;
	}
	m = maptrack_entry(gt, handle);
	return (m->flags != 0U) ? m : NULL;
}

/* ---- Locks ---- */

/* Take the locks of two grant tables (or one, if a == b) in
 * spin_lock_pair's order. */
static void lock_tables(struct grant_table *a, struct grant_table *b)
{
	spin_lock_pair(&a->lock, a->domain->domain_id, &b->lock,
		       b->domain->domain_id);
}

static void unlock_tables(struct grant_table *a, struct grant_table *b)
{
	spin_unlock_pair(&a->lock, &b->lock);
}

/* ---- Shared entries and pins ---- */

static uint32_t *entry_combo(grant_entry_v1_t *e)
{
	return (uint32_t *)(void *)e;
}

/* May ldomid start using (or start writing through) a grant whose entry
 * says cur? mask: the flag bits that must read GTF_permit_access. */
static bool entry_permits(union grant_combo cur,
			  const struct active_grant_entry *act, bool readonly,
			  domid_t ldomid, uint16_t mask)
{
	if ((act->pin == 0U) && (((cur.f.flags & mask) != GTF_permit_access) ||
				 (cur.f.domid != ldomid))) {
		return false;
	}
	return readonly || ((cur.f.flags & GTF_readonly) == 0U);
}

/* Set GTF_reading (and GTF_writing unless readonly) in the entry of rd's
 * table if it grants access to ldomid, as Xen's _set_status_v1 does. */
static int16_t set_status(struct domain *rd, grant_entry_v1_t *e,
			  const struct active_grant_entry *act, bool readonly,
			  domid_t ldomid, uint16_t mask)
{
	uint32_t *raw = entry_combo(e);
	union grant_combo cur;
	union grant_combo next;
	uint32_t seen;
	unsigned int tries;

	cur.raw = read_acquire(raw);
	for (tries = 0; tries < GNTTAB_CMPXCHG_TRIES; tries++) {
		if (!entry_permits(cur, act, readonly, ldomid, mask)) {
			return GNTST_general_error;
		}
		next = cur;
		next.f.flags |=
			(uint16_t)(readonly ? GTF_reading
					    : (GTF_reading | GTF_writing));
		seen = guest_cmpxchg32(rd, raw, cur.raw, next.raw);
		if (seen == cur.raw) {
			return GNTST_okay;
		}
		cur.raw = seen;
	}
	return GNTST_general_error; /* the entry keeps changing */
}

/* Clear the busy flags that the remaining pins no longer need (e is in
 * rd's table). */
static void clear_unused_flags(struct domain *rd, grant_entry_v1_t *e,
			       const struct active_grant_entry *act,
			       bool readonly)
{
	uint16_t clear = 0;

	if (!readonly && ((act->pin & GNTPIN_HSTW_MASK) == 0U)) {
		clear |= (uint16_t)GTF_writing;
	}
	if (act->pin == 0U) {
		clear |= (uint16_t)GTF_reading;
	}
	if (clear != 0U) {
		guest_clear_mask16(rd, clear, &e->flags);
	}
}

/* First use of a grant: note who uses it and which page it names. */
static int16_t activate(struct grant_table *rgt, grant_entry_v1_t *e,
			struct active_grant_entry *act, domid_t ldomid)
{
	uint64_t gfn = READ_ONCE(e->frame);
	paddr_t maddr = arch_gfn_to_maddr(rgt->domain, gfn);

	if ((maddr == INVALID_PADDR) ||
	    !page_get(maddr, rgt->domain->domain_id)) {
		return GNTST_bad_page;
	}
	act->domid = ldomid;
	act->gfn = gfn;
	act->maddr = maddr;
	return GNTST_okay;
}

/*
 * Take a pin on grant ref of rgt for domain ldomid, for reading only or
 * also for writing; mapping adds the checks of a map. Called with rgt's
 * lock held.
 */
static int16_t pin_grant(struct grant_table *rgt, grant_ref_t ref,
			 domid_t ldomid, bool readonly, bool mapping)
{
	uint16_t mask = (uint16_t)(mapping ? (GTF_type_mask | GTF_sub_page)
					   : GTF_type_mask);
	struct active_grant_entry *act;
	grant_entry_v1_t *e;
	int16_t rc = GNTST_okay;

	if (ref >= nr_entries(rgt)) {
		return GNTST_bad_gntref;
	}
	act = active_entry(rgt, ref);
	e = shared_entry(rgt, ref);
	if ((act->pin != 0U) &&
	    ((act->domid != ldomid) || ((act->pin & GNTPIN_OVERFLOW) != 0U))) {
		return GNTST_general_error;
	}
	if ((act->pin == 0U) ||
	    (!readonly && ((act->pin & GNTPIN_HSTW_MASK) == 0U))) {
		rc = set_status(rgt->domain, e, act, readonly, ldomid, mask);
		if ((rc == GNTST_okay) && (act->pin == 0U)) {
			rc = activate(rgt, e, act, ldomid);
			if (rc != GNTST_okay) {
				clear_unused_flags(rgt->domain, e, act,
						   readonly);
			}
		}
	}
	if (rc == GNTST_okay) {
		act->pin += readonly ? GNTPIN_HSTR_INC : GNTPIN_HSTW_INC;
	}
	return rc;
}

/* Does ldomid hold a pin of this kind on the grant? Checked before a
 * mapping's pin is dropped, so that a pin count can never wrap (Xen
 * asserts it). */
static bool pin_held(const struct grant_table *rgt, grant_ref_t ref,
		     domid_t ldomid, bool readonly)
{
	const struct active_grant_entry *act;

	if (ref >= nr_entries(rgt)) {
		return false;
	}
	act = active_entry(rgt, ref);
	return (act->domid == ldomid) &&
	       ((act->pin & (readonly ? GNTPIN_HSTR_MASK : GNTPIN_HSTW_MASK)) !=
		0U);
}

/* Drop a pin taken by pin_grant(); rgt's lock held. */
static void unpin_grant(struct grant_table *rgt, grant_ref_t ref, bool readonly)
{
	struct active_grant_entry *act = active_entry(rgt, ref);

	act->pin -= readonly ? GNTPIN_HSTR_INC : GNTPIN_HSTW_INC;
	clear_unused_flags(rgt->domain, shared_entry(rgt, ref), act, readonly);
	if (act->pin == 0U) {
		domain_put_pages(act->maddr, 1U);
	}
}

/* ---- Domains ---- */

/* A domain with a grant table, by ID (DOMID_SELF not accepted), dying
 * or not. */
static struct domain *domain_with_table(domid_t domid)
{
	struct domain *d = domain_by_id(domid);

	return ((d != NULL) && (d->grant_table != NULL)) ? d : NULL;
}

/* A domain whose grants may be put in use: not dying (as Xen). */
static struct domain *granting_domain(domid_t domid)
{
	struct domain *d = domain_with_table(domid);

	return ((d != NULL) && !READ_ONCE(d->is_dying)) ? d : NULL;
}

/* The granting domain of mapping m, if the grant table m pins is still
 * its table (not freed, or freed and replaced, since m was made). A dying
 * granter's mappings can still be ended. */
static struct domain *mapping_domain(const struct grant_mapping *m)
{
	struct domain *d = domain_with_table(m->domid);

	return ((d != NULL) && (d->grant_table->serial == m->serial)) ? d
								      : NULL;
}

/* The domain whose table query_size or setup_table is about: v's own, or
 * any for the hardware domain (Xen's XSM_TARGET for the dummy policy). */
static struct domain *target_domain(const struct vcpu *v, domid_t domid,
				    int16_t *status)
{
	struct domain *d = domain_by_any_id(v->domain, domid);

	if ((d == NULL) || (d->grant_table == NULL)) {
		*status = GNTST_bad_domain;
		return NULL;
	}
	if ((d != v->domain) && !v->domain->is_hardware_domain) {
		*status = GNTST_permission_denied;
		return NULL;
	}
	return d;
}

/* ---- Batches ---- */

/* Before entry i of a batch: stop for now if preempted, to go on with
 * entry i when the guest issues the call again (hypercall_continue()). */
static bool batch_preempted(unsigned int i)
{
	return (i != 0U) && hypercall_preempt_check();
}

static int64_t continue_batch(struct vcpu *v, unsigned int cmd, uint64_t uop,
			      unsigned int done, unsigned int count,
			      size_t size)
{
	return hypercall_continue(v, cmd, uop + ((uint64_t)done * size),
				  count - done);
}

/* ---- GNTTABOP_map_grant_ref ---- */

/* Put the granted page in ld's stage 2, as Xen's create_grant_host_mapping
 * does on Arm (only GNTMAP_host_map, optionally GNTMAP_readonly). */
static int16_t host_map(struct domain *ld,
			const struct gnttab_map_grant_ref *op, paddr_t maddr)
{
	bool readonly = (op->flags & GNTMAP_readonly) != 0U;

	if ((op->flags & ~(uint32_t)GNTMAP_readonly) != GNTMAP_host_map) {
		return GNTST_general_error;
	}
	if (arch_grant_map(ld, ALIGN_DOWN(op->host_addr, PAGE_SIZE), maddr,
			   readonly) != 0) {
		return GNTST_general_error;
	}
	return GNTST_okay;
}

/* Map with both grant locks held: handle, pin, stage 2, record. */
static int16_t map_locked(struct domain *ld, struct domain *rd,
			  struct gnttab_map_grant_ref *op)
{
	struct grant_table *lgt = ld->grant_table;
	struct grant_table *rgt = rd->grant_table;
	bool readonly = (op->flags & GNTMAP_readonly) != 0U;
	unsigned int handle = maptrack_get(lgt);
	struct grant_mapping *m;
	paddr_t maddr;
	int16_t rc;

	if (handle == MAPTRACK_TAIL) {
		return GNTST_no_device_space;
	}
	rc = pin_grant(rgt, op->ref, ld->domain_id, readonly, true);
	if (rc != GNTST_okay) {
		maptrack_put(lgt, handle);
		return rc;
	}
	maddr = active_entry(rgt, op->ref)->maddr;
	rc = host_map(ld, op, maddr);
	if (rc != GNTST_okay) {
		unpin_grant(rgt, op->ref, readonly);
		maptrack_put(lgt, handle);
		return rc;
	}
	m = maptrack_entry(lgt, handle);
	m->ref = op->ref;
	m->domid = rd->domain_id;
	m->serial = rgt->serial;
	m->gpa = ALIGN_DOWN(op->host_addr, PAGE_SIZE);
	m->flags = (uint16_t)op->flags;
	op->handle = handle;
	op->dev_bus_addr = maddr;
	return GNTST_okay;
}

static int16_t map_grant_ref(struct vcpu *v, struct gnttab_map_grant_ref *op)
{
	struct domain *ld = v->domain;
	struct domain *rd;
	int16_t rc;

	if ((op->flags & (GNTMAP_device_map | GNTMAP_host_map)) == 0U) {
		return GNTST_bad_gntref;
	}
	/* Translated guests may not ask for device or PTE mappings. */
	if ((op->flags & (GNTMAP_device_map | GNTMAP_application_map |
			  GNTMAP_contains_pte)) != 0U) {
		return GNTST_general_error;
	}
	rd = granting_domain(op->dom);
	if (rd == NULL) {
		return GNTST_bad_domain;
	}
	if (!xsm_may_communicate(ld, ld, rd)) {
		return GNTST_permission_denied;
	}
	lock_tables(ld->grant_table, rd->grant_table);
	rc = map_locked(ld, rd, op);
	unlock_tables(ld->grant_table, rd->grant_table);
	return rc;
}

static int64_t map_grant_refs(struct vcpu *v, uint64_t uop, unsigned int count)
{
	struct gnttab_map_grant_ref op;
	uint64_t gva;
	unsigned int i;

	for (i = 0; i < count; i++) {
		if (batch_preempted(i)) {
			return continue_batch(v, GNTTABOP_map_grant_ref, uop, i,
					      count, sizeof(op));
		}
		gva = uop + ((uint64_t)i * sizeof(op));
		if (copy_from_guest(&op, gva, sizeof(op)) != 0) {
			return -EFAULT;
		}
		op.status = map_grant_ref(v, &op);
		if (copy_to_guest(gva, &op, sizeof(op)) != 0) {
			return -EFAULT;
		}
	}
	return 0;
}

/* ---- GNTTABOP_unmap_grant_ref ---- */

/* Unmap with both grant locks held; expect: the mapping seen unlocked,
 * which must still be there. new_addr: where unmap_and_replace would put
 * another mapping instead, which Arm cannot do (Xen's
 * replace_grant_host_mapping() refuses any but 0). */
static int16_t unmap_locked(struct domain *ld, struct domain *rd,
			    const struct gnttab_unmap_grant_ref *op,
			    const struct grant_mapping *expect,
			    uint64_t new_addr)
{
	struct grant_table *lgt = ld->grant_table;
	struct grant_table *rgt = rd->grant_table;
	struct grant_mapping *m = maptrack_lookup(lgt, op->handle);
	bool readonly;

	if ((m == NULL) || (m->domid != expect->domid) ||
	    (m->serial != expect->serial) || (m->ref != expect->ref) ||
	    !pin_held(rgt, m->ref, ld->domain_id,
		      (m->flags & GNTMAP_readonly) != 0U)) {
		return GNTST_bad_handle;
	}
	if ((op->dev_bus_addr != 0U) &&
	    (op->dev_bus_addr != active_entry(rgt, m->ref)->maddr)) {
		return GNTST_general_error;
	}
	if ((op->host_addr == 0U) || ((m->flags & GNTMAP_host_map) == 0U)) {
		return GNTST_okay; /* nothing asked for: Xen does nothing */
	}
	if ((new_addr != 0U) ||
	    (ALIGN_DOWN(op->host_addr, PAGE_SIZE) != m->gpa) ||
	    (arch_grant_unmap(ld, m->gpa) != 0)) {
		return GNTST_general_error;
	}
	readonly = (m->flags & GNTMAP_readonly) != 0U;
	unpin_grant(rgt, m->ref, readonly);
	maptrack_put(lgt, op->handle);
	return GNTST_okay;
}

static int16_t unmap_grant_ref(struct vcpu *v,
			       const struct gnttab_unmap_grant_ref *op,
			       uint64_t new_addr)
{
	struct domain *ld = v->domain;
	struct grant_table *lgt = ld->grant_table;
	const struct grant_mapping *m;
	struct grant_mapping seen = {0};
	struct domain *rd;
	int16_t rc;

	spin_lock(&lgt->lock);
	m = maptrack_lookup(lgt, op->handle);
	if (m != NULL) {
		seen = *m;
	}
	spin_unlock(&lgt->lock);
	if (m == NULL) {
		return GNTST_bad_handle;
	}
	rd = mapping_domain(&seen);
	if (rd == NULL) {
		/* The granting domain's table went away without ending the
		 * mapping: as Xen, blame the mapping domain. */
		domain_crash(ld, "grant unmap: granting domain is gone");
		return GNTST_general_error;
	}
	lock_tables(lgt, rd->grant_table);
	rc = unmap_locked(ld, rd, op, &seen, new_addr);
	unlock_tables(lgt, rd->grant_table);
	return rc;
}

/* ---- GNTTABOP_copy ---- */

/* One side of a copy: a granted page of d, or a page of the caller. */
struct copy_buf {
	struct domain *d;
	grant_ref_t ref;
	bool readonly; /* the source side */
	bool have_grant; /* a pin is held on d's grant ref */
	bool have_page; /* a page reference is held on page */
	uint8_t *page; /* hypervisor address of the page */
};

/* Find the domain of one side. */
static int16_t copy_find_domain(const struct vcpu *v,
				const struct gnttab_copy_ptr *ptr, bool is_gref,
				struct copy_buf *buf)
{
	buf->d = domain_by_any_id(v->domain, ptr->domid);
	if ((buf->d == NULL) || (is_gref && (buf->d->grant_table == NULL))) {
		return GNTST_bad_domain;
	}
	return GNTST_okay;
}

/* Pin a granted page for the copy and find it. */
static int16_t copy_claim_grant(const struct vcpu *v, grant_ref_t ref,
				struct copy_buf *buf)
{
	struct grant_table *rgt = buf->d->grant_table;
	int16_t rc;

	spin_lock(&rgt->lock);
	rc = pin_grant(rgt, ref, v->domain->domain_id, buf->readonly, false);
	if (rc == GNTST_okay) {
		buf->page =
			arch_guest_page(buf->d, active_entry(rgt, ref)->gfn);
		if (buf->page == NULL) {
			unpin_grant(rgt, ref, buf->readonly);
			rc = GNTST_bad_page;
		}
	}
	spin_unlock(&rgt->lock);
	if (rc == GNTST_okay) {
		buf->ref = ref;
		buf->have_grant = true;
	}
	return rc;
}

/* Find the page of one side, whose domain copy_find_domain() found. */
static int16_t copy_claim(const struct vcpu *v,
			  const struct gnttab_copy_ptr *ptr, bool is_gref,
			  struct copy_buf *buf)
{
	if (is_gref) {
		return copy_claim_grant(v, ptr->u.ref, buf);
	}
	/* Only DOMID_SELF may name a frame. Debian's Xen 4.17 (checked on
	 * it) refuses it here, once both domains are found and the source
	 * side is claimed. */
	if (ptr->domid != DOMID_SELF) {
		return GNTST_permission_denied;
	}
	buf->page = domain_map_page(buf->d, ptr->u.gmfn);
	buf->have_page = buf->page != NULL;
	return (buf->page != NULL) ? GNTST_okay : GNTST_bad_page;
}

static void copy_release(struct copy_buf *buf)
{
	struct grant_table *rgt;

	if (buf->have_grant) {
		rgt = buf->d->grant_table;
		spin_lock(&rgt->lock);
		unpin_grant(rgt, buf->ref, buf->readonly);
		spin_unlock(&rgt->lock);
		buf->have_grant = false;
	}
	if (buf->have_page) {
		domain_unmap_page(buf->page);
		buf->have_page = false;
	}
}

static int16_t copy_one(const struct vcpu *v, const struct gnttab_copy *op)
{
	struct copy_buf src = {.readonly = true};
	struct copy_buf dst = {.readonly = false};
	int16_t rc;

	rc = copy_find_domain(v, &op->source,
			      (op->flags & GNTCOPY_source_gref) != 0U, &src);
	if (rc == GNTST_okay) {
		rc = copy_find_domain(v, &op->dest,
				      (op->flags & GNTCOPY_dest_gref) != 0U,
				      &dst);
	}
	if ((rc == GNTST_okay) &&
	    !xsm_may_communicate(v->domain, src.d, dst.d)) {
		rc = GNTST_permission_denied;
	}
	if (rc == GNTST_okay) {
		rc = copy_claim(v, &op->source,
				(op->flags & GNTCOPY_source_gref) != 0U, &src);
	}
	if (rc == GNTST_okay) {
		rc = copy_claim(v, &op->dest,
				(op->flags & GNTCOPY_dest_gref) != 0U, &dst);
	}
	if ((rc == GNTST_okay) &&
	    (((op->source.offset + (uint32_t)op->len) > PAGE_SIZE) ||
	     ((op->dest.offset + (uint32_t)op->len) > PAGE_SIZE))) {
		rc = GNTST_bad_copy_arg;
	}
	if (rc == GNTST_okay) {
		memmove(&dst.page[op->dest.offset],
			&src.page[op->source.offset], op->len);
	}
	copy_release(&src);
	copy_release(&dst);
	return rc;
}

/* ---- GNTTABOP_query_size, setup_table, set_version, cache_flush ---- */

static int64_t query_size(struct vcpu *v, uint64_t uop, unsigned int count)
{
	struct gnttab_query_size op;
	struct domain *d;

	if (count != 1U) {
		return -EINVAL;
	}
	if (copy_from_guest(&op, uop, sizeof(op)) != 0) {
		return -EFAULT;
	}
	d = target_domain(v, op.dom, &op.status);
	if (d != NULL) {
		spin_lock(&d->grant_table->lock);
		op.nr_frames = d->grant_table->nr_frames;
		op.max_nr_frames = d->grant_table->max_frames;
		spin_unlock(&d->grant_table->lock);
		op.status = GNTST_okay;
	}
	return (copy_to_guest(uop, &op, sizeof(op)) != 0) ? -EFAULT : 0;
}

/* Grow gt to nr frames and collect where the guest placed them. */
static int16_t setup_frames(struct grant_table *gt, unsigned int nr,
			    uint64_t *gfns)
{
	int16_t rc = GNTST_okay;
	unsigned int i;

	spin_lock(&gt->lock);
	if ((nr > gt->max_frames) || (grow_table(gt, nr) != 0)) {
		rc = GNTST_general_error;
	}
	for (i = 0; (rc == GNTST_okay) && (i < nr); i++) {
		gfns[i] = gt->frames[i].gfn;
	}
	spin_unlock(&gt->lock);
	return rc;
}

static int16_t copy_frame_list(uint64_t list, const uint64_t *gfns,
			       unsigned int nr)
{
	int16_t rc = GNTST_okay;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (copy_to_guest(list + ((uint64_t)i * sizeof(gfns[i])),
				  &gfns[i], sizeof(gfns[i])) != 0) {
			rc = GNTST_bad_virt_addr;
		}
	}
	return rc;
}

static int64_t setup_table(struct vcpu *v, uint64_t uop, unsigned int count)
{
	struct gnttab_setup_table op;
	uint64_t gfns[GNTTAB_MAX_FRAMES];
	uint64_t list;
	struct domain *d;

	_Static_assert(sizeof(op.frame_list) == sizeof(list),
		       "frame_list is a 64-bit guest handle");
	if (count != 1U) {
		return -EINVAL;
	}
	if (copy_from_guest(&op, uop, sizeof(op)) != 0) {
		return -EFAULT;
	}
	memcpy(&list, &op.frame_list, sizeof(list));
	d = target_domain(v, op.dom, &op.status);
	if (d != NULL) {
		op.status = setup_frames(d->grant_table, op.nr_frames, gfns);
		if (op.status == GNTST_okay) {
			op.status = copy_frame_list(list, gfns, op.nr_frames);
		}
	}
	if (copy_to_guest(uop + offsetof(struct gnttab_setup_table, status),
			  &op.status, sizeof(op.status)) != 0) {
		return -EFAULT;
	}
	return 0;
}

/* Version 1 only; version 2 is refused as by Xen on Arm, where
 * GNTTAB_MAX_VERSION is 1. The version in use is written back. */
static int64_t set_version(uint64_t uop)
{
	struct gnttab_set_version op;
	int64_t rc;

	if (copy_from_guest(&op, uop, sizeof(op)) != 0) {
		return -EFAULT;
	}
	if (op.version == 1U) {
		rc = 0;
	} else if (op.version == 2U) {
		rc = -ENOSYS;
	} else {
		rc = -EINVAL;
	}
	op.version = 1;
	return (copy_to_guest(uop, &op, sizeof(op)) != 0) ? -EFAULT : rc;
}

/* Xen's checks of one cache flush; the flush itself is not needed (see
 * the top of the file). resume: the continuation bits of cmd. */
static int64_t cache_flush_one(const struct gnttab_cache_flush *op,
			       unsigned int resume)
{
	if ((op->offset >= PAGE_SIZE) || (op->length > PAGE_SIZE) ||
	    (((uint32_t)op->offset + op->length) > PAGE_SIZE) ||
	    ((op->op & ~(GNTTAB_CACHE_INVAL | GNTTAB_CACHE_CLEAN)) != 0U)) {
		return -EINVAL;
	}
	if ((op->length == 0U) || (op->op == 0U)) {
		return (resume == 0U) ? 0 : -XEN_EILSEQ;
	}
	return 0;
}

static int64_t cache_flush(struct vcpu *v, uint64_t uop, unsigned int count,
			   unsigned int resume)
{
	struct gnttab_cache_flush op;
	unsigned int i;
	int64_t rc;

	for (i = 0; i < count; i++) {
		if (batch_preempted(i)) {
			return continue_batch(v, GNTTABOP_cache_flush, uop, i,
					      count, sizeof(op));
		}
		if (copy_from_guest(&op, uop + ((uint64_t)i * sizeof(op)),
				    sizeof(op)) != 0) {
			return -EFAULT;
		}
		rc = cache_flush_one(&op, resume);
		if (rc != 0) {
			return rc;
		}
		resume = 0;
	}
	return 0;
}

/* GNTTABOP_get_version: 1 for any domain the caller may see (Xen looks the
 * domain up first: -ESRCH, then -EPERM; the count is not looked at). */
static int64_t get_version(const struct vcpu *v, uint64_t uop)
{
	struct gnttab_get_version op;
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)) != 0) {
		return -EFAULT;
	}
	d = domain_by_any_id(v->domain, op.dom);
	if ((d == NULL) || (d->grant_table == NULL)) {
		return -ESRCH;
	}
	if ((d != v->domain) && !v->domain->is_hardware_domain) {
		return -EPERM;
	}
	op.version = 1;
	return (copy_to_guest(uop + offsetof(struct gnttab_get_version,
					     version),
			      &op.version, sizeof(op.version)) != 0)
		       ? -EFAULT
		       : 0;
}

/* GNTTABOP_get_status_frames: version 1 has none (a general error in the
 * status, as Xen answers). */
static int64_t get_status_frames(const struct vcpu *v, uint64_t uop,
				 unsigned int count)
{
	struct gnttab_get_status_frames op;
	struct domain *d;

	if (count != 1U) {
		return -EINVAL;
	}
	if (copy_from_guest(&op, uop, sizeof(op)) != 0) {
		return -EFAULT;
	}
	d = domain_by_any_id(v->domain, op.dom);
	if ((d == NULL) || (d->grant_table == NULL)) {
		op.status = GNTST_bad_domain;
	} else if ((d != v->domain) && !v->domain->is_hardware_domain) {
		op.status = GNTST_permission_denied;
	} else {
		op.status = GNTST_general_error;
	}
	return (copy_to_guest(uop + offsetof(struct gnttab_get_status_frames,
					     status),
			      &op.status, sizeof(op.status)) != 0)
		       ? -EFAULT
		       : 0;
}

/* ---- GNTTABOP_swap_grant_ref ---- */

/* Swap two of the caller's own entries, neither in use (Xen's
 * swap_grant_ref()). */
static int16_t swap_one(struct grant_table *gt, grant_ref_t a, grant_ref_t b)
{
	grant_entry_v1_t e;
	int16_t rc = GNTST_okay;

	spin_lock(&gt->lock);
	if ((a >= nr_entries(gt)) || (b >= nr_entries(gt))) {
		rc = GNTST_bad_gntref;
	} else if (a == b) {
		rc = GNTST_okay;
	} else if ((active_entry(gt, a)->pin != 0U) ||
		   (active_entry(gt, b)->pin != 0U)) {
		rc = GNTST_eagain;
	} else {
		e = *shared_entry(gt, a);
		*shared_entry(gt, a) = *shared_entry(gt, b);
		*shared_entry(gt, b) = e;
	}
	spin_unlock(&gt->lock);
	return rc;
}

/* ---- Batches answered in a status field ---- */

/* The operations whose batches report each result in an int16_t status
 * field (unmap, unmap_and_replace, copy, swap_grant_ref). */
union status_op {
	struct gnttab_unmap_grant_ref unmap;
	struct gnttab_unmap_and_replace replace;
	struct gnttab_copy copy;
	struct gnttab_swap_grant_ref swap;
};

static int16_t unmap_op(struct vcpu *v, union status_op *op)
{
	return unmap_grant_ref(v, &op->unmap, 0U);
}

/* An unmap; on Arm only with new_addr 0 (Xen's
 * replace_grant_host_mapping()). */
static int16_t unmap_and_replace_op(struct vcpu *v, union status_op *op)
{
	struct gnttab_unmap_grant_ref unmap = {
		.host_addr = op->replace.host_addr,
		.handle = op->replace.handle,
	};

	return unmap_grant_ref(v, &unmap, op->replace.new_addr);
}

static int16_t copy_op(struct vcpu *v, union status_op *op)
{
	return copy_one(v, &op->copy);
}

static int16_t swap_op(struct vcpu *v, union status_op *op)
{
	return swap_one(v->domain->grant_table, op->swap.ref_a, op->swap.ref_b);
}

/* Run fn on each of count operations of size bytes at uop, writing its
 * result to the operation's status at status_at; continued when
 * preempted. */
static int64_t status_batch(struct vcpu *v, unsigned int cmd, uint64_t uop,
			    unsigned int count, size_t size, size_t status_at,
			    int16_t (*fn)(struct vcpu *v, union status_op *op))
{
	union status_op op;
	int16_t status;
	uint64_t gva;
	unsigned int i;

	for (i = 0; i < count; i++) {
		if (batch_preempted(i)) {
			return continue_batch(v, cmd, uop, i, count, size);
		}
		gva = uop + ((uint64_t)i * size);
		if (copy_from_guest(&op, gva, size) != 0) {
			return -EFAULT;
		}
		status = fn(v, &op);
		if (copy_to_guest(gva + status_at, &status, sizeof(status)) !=
		    0) {
			return -EFAULT;
		}
	}
	return 0;
}

#define STATUS_BATCH(v, cmd, uop, count, type, fn)                             \
	status_batch((v), (cmd), (uop), (count), sizeof(type),                 \
		     offsetof(type, status), (fn))

/* ---- Hypercall ---- */

int64_t do_grant_table_op(struct vcpu *v, const uint64_t *args)
{
	unsigned int cmd = (unsigned int)args[0] & GNTTABOP_CMD_MASK;
	unsigned int resume = (unsigned int)args[0] & ~GNTTABOP_CMD_MASK;
	unsigned int count = (unsigned int)args[2];

	if ((count > (unsigned int)INT32_MAX) ||
	    ((cmd != GNTTABOP_cache_flush) && (resume != 0U))) {
		return -EINVAL;
	}
	if (v->domain->grant_table == NULL) {
		return -ENOSYS;
	}
	switch (cmd) {
	case GNTTABOP_map_grant_ref:
		return map_grant_refs(v, args[1], count);
	case GNTTABOP_unmap_grant_ref:
		return STATUS_BATCH(v, GNTTABOP_unmap_grant_ref, args[1], count,
				    struct gnttab_unmap_grant_ref, unmap_op);
	case GNTTABOP_setup_table:
		return setup_table(v, args[1], count);
	case GNTTABOP_copy:
		return STATUS_BATCH(v, GNTTABOP_copy, args[1], count,
				    struct gnttab_copy, copy_op);
	case GNTTABOP_query_size:
		return query_size(v, args[1], count);
	case GNTTABOP_set_version:
		return set_version(args[1]);
	case GNTTABOP_cache_flush:
		return cache_flush(v, args[1], count, resume);
	case GNTTABOP_get_version:
		return get_version(v, args[1]);
	case GNTTABOP_get_status_frames:
		return get_status_frames(v, args[1], count);
	case GNTTABOP_transfer:
		return -EOPNOTSUPP; /* as Xen 4.17 on Arm */
	case GNTTABOP_swap_grant_ref:
		return STATUS_BATCH(v, GNTTABOP_swap_grant_ref, args[1], count,
				    struct gnttab_swap_grant_ref, swap_op);
	case GNTTABOP_unmap_and_replace:
		return STATUS_BATCH(v, GNTTABOP_unmap_and_replace, args[1],
				    count, struct gnttab_unmap_and_replace,
				    unmap_and_replace_op);
	default:
		return -ENOSYS;
	}
}

/* ---- Life cycle ---- */

/* The serial of the last grant table made. */
static uint32_t last_serial;

int grant_table_init(struct domain *d, unsigned int max_frames)
{
	struct grant_table *gt;

	if ((max_frames < GNTTAB_INITIAL_FRAMES) ||
	    (max_frames > GNTTAB_MAX_FRAMES)) {
		return -EINVAL;
	}
	if (d->grant_table != NULL) {
		return -EEXIST;
	}
	gt = xzalloc(sizeof(*gt));
	if (gt == NULL) {
		return -ENOMEM;
	}
	spin_lock_init(&gt->lock);
	gt->domain = d;
	gt->serial = add_return_relaxed(&last_serial, 1U);
	gt->max_frames = max_frames;
	gt->maptrack_free = MAPTRACK_TAIL;
	gt->frames = xzalloc(max_frames * sizeof(*gt->frames));
	gt->maptrack =
		xzalloc(GNTTAB_MAX_MAPTRACK_FRAMES * sizeof(*gt->maptrack));
	if ((gt->frames == NULL) || (gt->maptrack == NULL) ||
	    (grow_table(gt, GNTTAB_INITIAL_FRAMES) != 0)) {
		d->grant_table = gt;
		grant_table_destroy(d);
		return -ENOMEM;
	}
	d->grant_table = gt;
	return 0;
}

/* End one mapping d holds (it is dying): drop its pin on the grant. */
static void release_mapping(struct grant_table *gt, unsigned int handle)
{
	struct grant_mapping *m = maptrack_entry(gt, handle);
	struct domain *rd = mapping_domain(m);

	if (rd != NULL) {
		lock_tables(gt, rd->grant_table);
		if ((m->flags != 0U) &&
		    pin_held(rd->grant_table, m->ref, gt->domain->domain_id,
			     (m->flags & GNTMAP_readonly) != 0U)) {
			unpin_grant(rd->grant_table, m->ref,
				    (m->flags & GNTMAP_readonly) != 0U);
		}
		unlock_tables(gt, rd->grant_table);
	}
	m->flags = 0;
}

void grant_table_release_mappings(struct domain *d)
{
	struct grant_table *gt = d->grant_table;
	unsigned int i;

	if (gt == NULL) {
		return;
	}
	for (i = 0; i < gt->maptrack_limit; i++) {
		if (maptrack_entry(gt, i)->flags != 0U) {
			release_mapping(gt, i);
		}
	}
}

void grant_table_destroy(struct domain *d)
{
	struct grant_table *gt = d->grant_table;
	unsigned int i;

	if (gt == NULL) {
		return;
	}
	grant_table_release_mappings(d);
	for (i = 0; i < (gt->maptrack_limit / MAPTRACK_PER_PAGE); i++) {
		xfree(gt->maptrack[i]);
	}
	for (i = 0; i < gt->nr_frames; i++) {
		free_frame(&gt->frames[i]);
	}
	xfree(gt->maptrack);
	xfree(gt->frames);
	xfree(gt);
	d->grant_table = NULL;
}

int grant_table_frame(struct domain *d, unsigned int idx, paddr_t *maddr)
{
	struct grant_table *gt = d->grant_table;
	int rc = -EINVAL;

	if (gt == NULL) {
		return -EINVAL;
	}
	spin_lock(&gt->lock);
	if ((idx >= gt->nr_frames) && (idx < gt->max_frames)) {
		/* A failure shows as idx still being out of range. */
		(void)grow_table(gt, idx + 1U);
	}
	if (idx < gt->nr_frames) {
		*maddr = virt_to_maddr(gt->frames[idx].shared);
		rc = 0;
	}
	spin_unlock(&gt->lock);
	return rc;
}

unsigned int grant_table_max_frames(const struct domain *d)
{
	return (d->grant_table != NULL) ? d->grant_table->max_frames : 0U;
}

uint64_t grant_table_frame_gfn(struct domain *d, unsigned int idx)
{
	struct grant_table *gt = d->grant_table;
	uint64_t gfn = GNTTAB_INVALID_GFN;

	if (gt != NULL) {
		spin_lock(&gt->lock);
		if (idx < gt->nr_frames) {
			gfn = gt->frames[idx].gfn;
		}
		spin_unlock(&gt->lock);
	}
	return gfn;
}

void grant_table_set_frame_gfn(struct domain *d, unsigned int idx, uint64_t gfn)
{
	struct grant_table *gt = d->grant_table;

	if (gt != NULL) {
		spin_lock(&gt->lock);
		if (idx < gt->nr_frames) {
			gt->frames[idx].gfn = gfn;
		}
		spin_unlock(&gt->lock);
	}
}

bool grant_table_forget_gfn(struct domain *d, uint64_t gfn)
{
	struct grant_table *gt = d->grant_table;
	bool found = false;
	unsigned int i;

	if (gt != NULL) {
		spin_lock(&gt->lock);
		for (i = 0; i < gt->nr_frames; i++) {
			if (gt->frames[i].gfn == gfn) {
				gt->frames[i].gfn = GNTTAB_INVALID_GFN;
				found = true;
			}
		}
		spin_unlock(&gt->lock);
	}
	return found;
}
