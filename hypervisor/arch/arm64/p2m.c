/*
 * Stage-2 page tables.
 */
#include <hv/errno.h>
#include <hv/page-alloc.h>
#include <hv/printk.h>
#include <hv/smp.h>
#include <hv/string.h>

#include <asm/p2m.h>
#include <asm/sysregs.h>

#define PTE_VALID (1ULL << 0)
#define PTE_TABLE (1ULL << 1) /* table (levels 1-2) or page (level 3) */
#define PTE_AF (1ULL << 10)
#define PTE_SH_INNER (3ULL << 8)
#define PTE_S2AP_RW (3ULL << 6)
#define PTE_MEMATTR_NORMAL (0xfULL << 2)
#define PTE_MEMATTR_DEVICE (0x1ULL << 2)
#define PTE_XN (2ULL << 53)
/* Software bits 56:55 say whose page a RAM mapping is. */
#define PTE_SW_SHIFT 55U
#define PTE_SW_MASK (3ULL << PTE_SW_SHIFT)
#define SW_OWN 0ULL
#define SW_GRANT 1ULL
#define SW_HYP 2ULL
#define SW_FOREIGN 3ULL
#define PTE_ADDR_MASK 0x0000fffffffff000ULL
#define ENTRIES 512U

/* VTCR_EL2 without T0SZ, SL0 and PS: 4 KiB granule, inner-shareable
 * write-back walks, RES1 bit 31. */
#define VTCR_BASE ((1ULL << 31) | (3ULL << 12) | (1ULL << 10) | (1ULL << 8))

static const unsigned int level_shift[4] = {39U, 30U, 21U, 12U};

/*
 * The guest physical address space, as Xen 4.17 sizes it: as large as the
 * CPU's physical one (ID_AA64MMFR0_EL1.PARange), up to 48 bits, so that a
 * guest sees the same space on both. Walks start at level 1 with
 * concatenated root tables up to 42 bits, at level 0 above.
 */
struct ipa_config {
	unsigned int bits;
	unsigned int root_level;
	unsigned int root_pages; /* concatenated root tables */
};

static const struct ipa_config ipa_configs[] = {
	{32U, 1U, 1U}, {36U, 1U, 1U}, {40U, 1U, 2U},
	{42U, 1U, 8U}, {44U, 0U, 1U}, {48U, 0U, 1U},
};

/* Chosen on the boot CPU, before any domain exists; the walk's start,
 * the end of the space and each level's index mask are kept ready for
 * the software walks of every guest copy. */
static unsigned int ipa_index = 2U;
static unsigned int walk_start = 1U;
static uint64_t ipa_end = 1ULL << 40;
static uint64_t index_mask[4] = {0x1ffU, 0x3ffU, 0x1ffU, 0x1ffU};

unsigned int p2m_ipa_bits(void)
{
	return ipa_configs[ipa_index].bits;
}

static void choose_ipa_config(uint64_t pa_range)
{
	const struct ipa_config *c;
	unsigned int level;

	ipa_index = (pa_range < ARRAY_SIZE(ipa_configs))
			    ? (unsigned int)pa_range
			    : ARRAY_SIZE(ipa_configs) - 1U;
	c = &ipa_configs[ipa_index];
	walk_start = c->root_level;
	ipa_end = 1ULL << c->bits;
	for (level = 0; level < 4U; level++) {
		index_mask[level] =
			(level == walk_start)
				? ((1ULL << (c->bits - level_shift[level])) -
				   1U)
				: (ENTRIES - 1U);
	}
	printk("P2M: %u-bit IPA, walks from level %u\n", c->bits,
	       c->root_level);
}

void p2m_init_cpu(void)
{
	uint64_t pa_range = READ_SYSREG(id_aa64mmfr0_el1) & 0xfU;
	const struct ipa_config *c;

	if (smp_processor_id() == 0U) {
		choose_ipa_config(pa_range);
	}
	c = &ipa_configs[ipa_index];
	/* T0SZ = 64 - bits; SL0 = 2 - start level; PS = the same range. */
	WRITE_SYSREG(vtcr_el2, VTCR_BASE | (64ULL - c->bits) |
				       ((uint64_t)(2U - c->root_level) << 6) |
				       ((uint64_t)ipa_index << 16));
	isb();
}

static paddr_t pool_take(struct p2m *p2m)
{
	paddr_t pa;

	if (p2m->pool_used >= p2m->pool_pages) {
		return INVALID_PADDR;
	}
	pa = p2m->pool + (p2m->pool_used * PAGE_SIZE);
	p2m->pool_used++;
	memset(maddr_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

static unsigned int order_for_pages(uint64_t pages)
{
	unsigned int order = 0;

	while ((1ULL << order) < pages) {
		order++;
	}
	return order;
}

int p2m_init(struct p2m *p2m, uint16_t vmid, uint64_t pool_pages)
{
	unsigned int order = order_for_pages(pool_pages);
	unsigned int i;

	if (order > MAX_ORDER) {
		return -EINVAL;
	}
	memset(p2m, 0, sizeof(*p2m));
	spin_lock_init(&p2m->lock);
	p2m->vmid = vmid;
	p2m->pool = alloc_pages(order);
	if (p2m->pool == INVALID_PADDR) {
		return -ENOMEM;
	}
	p2m->pool_pages = 1ULL << order;
	/* The root: its concatenated tables first, aligned as the pool. */
	if (p2m->pool_pages < ipa_configs[ipa_index].root_pages) {
		free_pages(p2m->pool, order);
		return -EINVAL;
	}
	p2m->pool_used = 0;
	p2m->root = pool_take(p2m);
	for (i = 1; i < ipa_configs[ipa_index].root_pages; i++) {
		(void)pool_take(p2m);
	}
	return 0;
}

int p2m_set_pool(struct p2m *p2m, uint64_t pages)
{
	unsigned int root_pages = ipa_configs[ipa_index].root_pages;
	unsigned int order = order_for_pages(pages);
	paddr_t pool;
	unsigned int i;

	if ((order > MAX_ORDER) || (pages < root_pages)) {
		return -EINVAL;
	}
	if ((1ULL << order) == p2m->pool_pages) {
		return 0;
	}
	spin_lock(&p2m->lock);
	if (p2m->pool_used != root_pages) {
		spin_unlock(&p2m->lock);
		return -EBUSY; /* tables in use: the pool cannot move */
	}
	pool = alloc_pages(order);
	if (pool == INVALID_PADDR) {
		spin_unlock(&p2m->lock);
		return -ENOMEM;
	}
	free_pages(p2m->pool, order_for_pages(p2m->pool_pages));
	p2m->pool = pool;
	p2m->pool_pages = 1ULL << order;
	p2m->pool_used = 0;
	p2m->root = pool_take(p2m);
	for (i = 1; i < root_pages; i++) {
		(void)pool_take(p2m);
	}
	spin_unlock(&p2m->lock);
	return 0;
}

uint64_t p2m_vttbr(const struct p2m *p2m)
{
	return p2m->root | ((uint64_t)p2m->vmid << 48);
}

static uint64_t *table_at(paddr_t pa)
{
	return maddr_to_virt(pa);
}

/* The entry for ipa at level in the table tbl (the root's tables are
 * concatenated). */
static uint64_t *entry_of(paddr_t tbl, paddr_t ipa, unsigned int level)
{
	return &table_at(tbl)[(ipa >> level_shift[level]) & index_mask[level]];
}

/* Find or create the next-level table under *pte. */
static int next_table(struct p2m *p2m, uint64_t *pte, paddr_t *tbl)
{
	paddr_t pa;

	if ((*pte & PTE_VALID) != 0U) {
		if ((*pte & PTE_TABLE) == 0U) {
			return -EEXIST; /* a block is mapped here */
		}
		*tbl = *pte & PTE_ADDR_MASK;
		return 0;
	}
	pa = pool_take(p2m);
	if (pa == INVALID_PADDR) {
		return -ENOMEM;
	}
	WRITE_ONCE(*pte, pa | PTE_VALID | PTE_TABLE);
	*tbl = pa;
	return 0;
}

static uint64_t leaf_attrs(enum p2m_type type, unsigned int level)
{
	uint64_t a = PTE_VALID | PTE_AF | PTE_S2AP_RW;

	a |= (type != P2M_DEVICE) ? (PTE_MEMATTR_NORMAL | PTE_SH_INNER)
				  : (PTE_MEMATTR_DEVICE | PTE_XN);
	if (type == P2M_GRANT_RO) {
		a &= ~(2ULL << 6); /* S2AP: read only */
	}
	if ((type == P2M_GRANT_RW) || (type == P2M_GRANT_RO)) {
		a |= SW_GRANT << PTE_SW_SHIFT;
	} else if (type == P2M_HYP_PAGE) {
		a |= SW_HYP << PTE_SW_SHIFT;
	} else if (type == P2M_FOREIGN) {
		a |= SW_FOREIGN << PTE_SW_SHIFT;
	}
	return a | ((level == 3U) ? PTE_TABLE : 0U);
}

/* Map one block of 1 << level_shift[level] bytes. */
static int map_one(struct p2m *p2m, paddr_t ipa, paddr_t pa, unsigned int level,
		   enum p2m_type type)
{
	paddr_t tbl = p2m->root;
	unsigned int l;
	uint64_t *pte;
	int err;

	for (l = walk_start; l < level; l++) {
		err = next_table(p2m, entry_of(tbl, ipa, l), &tbl);
		if (err != 0) {
			return err;
		}
	}
	pte = entry_of(tbl, ipa, level);
	if ((*pte & PTE_VALID) != 0U) {
		return -EEXIST;
	}
	WRITE_ONCE(*pte, pa | leaf_attrs(type, level));
	p2m->mapped_blocks[level - 1U]++;
	p2m->max_mapped_ipa =
		MAX(p2m->max_mapped_ipa,
		    ipa + (1ULL << level_shift[level]) - PAGE_SIZE);
	return 0;
}

/* The largest level whose block fits the alignment and the size left. */
static unsigned int best_level(paddr_t ipa, paddr_t pa, uint64_t size)
{
	unsigned int level;
	uint64_t block;

	for (level = 1; level < 3U; level++) {
		block = 1ULL << level_shift[level];
		if (((ipa | pa) & (block - 1U)) == 0U && (size >= block)) {
			return level;
		}
	}
	return 3U;
}

int p2m_map(struct p2m *p2m, paddr_t ipa, paddr_t pa, uint64_t size,
	    enum p2m_type type)
{
	unsigned int level;
	int err = 0;

	if (((ipa | pa | size) & (PAGE_SIZE - 1U)) != 0U ||
	    ((ipa + size) > ipa_end) || ((ipa + size) < ipa)) {
		return -EINVAL;
	}
	spin_lock(&p2m->lock);
	while ((size > 0U) && (err == 0)) {
		level = best_level(ipa, pa, size);
		err = map_one(p2m, ipa, pa, level, type);
		ipa += 1ULL << level_shift[level];
		pa += 1ULL << level_shift[level];
		size -= 1ULL << level_shift[level];
	}
	dsb_ish();
	spin_unlock(&p2m->lock);
	return err;
}

/* Invalidate the TLB entries of this p2m's VMID on all CPUs. */
static void p2m_flush_tlb(const struct p2m *p2m)
{
	uint64_t saved = READ_SYSREG(vttbr_el2);

	dsb_ish();
	WRITE_SYSREG(vttbr_el2, p2m_vttbr(p2m));
	isb();
	__asm__ volatile("tlbi vmalls12e1is" : : : "memory");
	dsb_ish();
	WRITE_SYSREG(vttbr_el2, saved);
	isb();
}

/* Replace the block at *pte (level) by a table of the next level mapping
 * the same range with the same attributes (break-before-make). */
static int split_block(struct p2m *p2m, uint64_t *pte, unsigned int level)
{
	uint64_t block = *pte;
	uint64_t step = 1ULL << level_shift[level + 1U];
	uint64_t attrs = block & ~PTE_ADDR_MASK & ~PTE_TABLE;
	paddr_t pa = pool_take(p2m);
	uint64_t *tbl;
	unsigned int i;

	if (pa == INVALID_PADDR) {
		return -ENOMEM;
	}
	tbl = table_at(pa);
	for (i = 0; i < ENTRIES; i++) {
		tbl[i] = ((block & PTE_ADDR_MASK) + (i * step)) | attrs |
			 (((level + 1U) == 3U) ? PTE_TABLE : 0U);
	}
	WRITE_ONCE(*pte, 0U);
	p2m_flush_tlb(p2m);
	WRITE_ONCE(*pte, pa | PTE_VALID | PTE_TABLE);
	return 0;
}

/* The level-3 entry for ipa, splitting blocks and creating tables. */
static int page_entry(struct p2m *p2m, paddr_t ipa, uint64_t **out)
{
	paddr_t tbl = p2m->root;
	unsigned int level;
	uint64_t *pte;
	int err = 0;

	for (level = walk_start; (level < 3U) && (err == 0); level++) {
		pte = entry_of(tbl, ipa, level);
		if (((*pte & PTE_VALID) != 0U) && ((*pte & PTE_TABLE) == 0U)) {
			err = split_block(p2m, pte, level);
		}
		if (err == 0) {
			err = next_table(p2m, pte, &tbl);
		}
	}
	*out = (err == 0) ? entry_of(tbl, ipa, 3U) : NULL;
	return err;
}

int p2m_set_page(struct p2m *p2m, paddr_t ipa, paddr_t pa, enum p2m_type type)
{
	uint64_t *pte;
	int err;

	if ((((ipa | pa) & (PAGE_SIZE - 1U)) != 0U) || (ipa >= ipa_end)) {
		return -EINVAL;
	}
	spin_lock(&p2m->lock);
	err = page_entry(p2m, ipa, &pte);
	if (err == 0) {
		if ((*pte & PTE_VALID) != 0U) {
			WRITE_ONCE(*pte, 0U);
			p2m_flush_tlb(p2m);
		}
		WRITE_ONCE(*pte, pa | leaf_attrs(type, 3U));
		dsb_ish();
		p2m->max_mapped_ipa = MAX(p2m->max_mapped_ipa, ipa);
	}
	spin_unlock(&p2m->lock);
	return err;
}

int p2m_clear_page(struct p2m *p2m, paddr_t ipa)
{
	uint64_t *pte;
	int err;

	if (((ipa & (PAGE_SIZE - 1U)) != 0U) || (ipa >= ipa_end)) {
		return -EINVAL;
	}
	spin_lock(&p2m->lock);
	err = page_entry(p2m, ipa, &pte);
	if ((err == 0) && ((*pte & PTE_VALID) == 0U)) {
		err = -ENOENT;
	}
	if (err == 0) {
		WRITE_ONCE(*pte, 0U);
		p2m_flush_tlb(p2m);
	}
	spin_unlock(&p2m->lock);
	return err;
}

static paddr_t lookup_leaf(struct p2m *p2m, paddr_t ipa, uint64_t *leaf);

paddr_t p2m_lookup(struct p2m *p2m, paddr_t ipa)
{
	uint64_t pte = 0;

	return lookup_leaf(p2m, ipa, &pte);
}

paddr_t p2m_lookup_own(struct p2m *p2m, paddr_t ipa)
{
	uint64_t pte = 0;
	paddr_t pa = lookup_leaf(p2m, ipa, &pte);

	return ((pte & PTE_SW_MASK) == (SW_OWN << PTE_SW_SHIFT))
		       ? pa
		       : INVALID_PADDR;
}

bool p2m_mapped_now(struct p2m *p2m, paddr_t ipa)
{
	paddr_t tbl;
	unsigned int level;
	uint64_t pte = 0;

	if (ipa >= ipa_end) {
		return false;
	}
	/* The lock waits out a break-before-make in progress. */
	spin_lock(&p2m->lock);
	tbl = p2m->root;
	for (level = walk_start; level <= 3U; level++) {
		pte = READ_ONCE(*entry_of(tbl, ipa, level));
		if (((pte & PTE_VALID) == 0U) || (level == 3U) ||
		    ((pte & PTE_TABLE) == 0U)) {
			break;
		}
		tbl = pte & PTE_ADDR_MASK;
	}
	spin_unlock(&p2m->lock);
	return (pte & PTE_VALID) != 0U;
}

paddr_t p2m_lookup_type(struct p2m *p2m, paddr_t ipa, enum p2m_type *type)
{
	static const enum p2m_type of_sw[] = {P2M_RAM, P2M_GRANT_RW,
					      P2M_HYP_PAGE, P2M_FOREIGN};
	uint64_t pte = 0;
	paddr_t pa = lookup_leaf(p2m, ipa, &pte);

	*type = of_sw[(pte & PTE_SW_MASK) >> PTE_SW_SHIFT];
	if ((*type == P2M_GRANT_RW) && ((pte & (2ULL << 6)) == 0U)) {
		*type = P2M_GRANT_RO;
	}
	return pa;
}

/* Walk to the leaf for ipa; returns the machine address of RAM and the
 * descriptor in *leaf. */
static paddr_t lookup_leaf(struct p2m *p2m, paddr_t ipa, uint64_t *leaf)
{
	paddr_t tbl = p2m->root;
	unsigned int level;
	uint64_t pte;
	uint64_t mask;

	if (ipa >= ipa_end) {
		return INVALID_PADDR;
	}
	for (level = walk_start; level <= 3U; level++) {
		pte = READ_ONCE(*entry_of(tbl, ipa, level));
		if ((pte & PTE_VALID) == 0U) {
			return INVALID_PADDR;
		}
		if ((level == 3U) || ((pte & PTE_TABLE) == 0U)) {
			if ((pte & (0xfULL << 2)) != PTE_MEMATTR_NORMAL) {
				return INVALID_PADDR; /* not RAM */
			}
			*leaf = pte;
			mask = (1ULL << level_shift[level]) - 1U;
			return (pte & PTE_ADDR_MASK & ~mask) | (ipa & mask);
		}
		tbl = pte & PTE_ADDR_MASK;
	}
	return INVALID_PADDR;
}

/* Is pte a leaf mapping the domain's own RAM? */
static bool own_ram_leaf(uint64_t pte, unsigned int level)
{
	return ((pte & PTE_VALID) != 0U) &&
	       ((level == 3U) || ((pte & PTE_TABLE) == 0U)) &&
	       ((pte & (0xfULL << 2)) == PTE_MEMATTR_NORMAL) &&
	       ((pte & PTE_SW_MASK) == (SW_OWN << PTE_SW_SHIFT));
}

/* Hand the own-RAM leaves of the table at tbl (level) to fn and clear
 * them, until *budget pages are done. */
static void relinquish_table(paddr_t tbl, unsigned int level,
			     unsigned int entries, uint64_t *budget,
			     void (*fn)(paddr_t pa, uint64_t pages, void *data),
			     void *data)
{
	uint64_t *t = table_at(tbl);
	uint64_t pages = 1ULL << (level_shift[level] - PAGE_SHIFT);
	unsigned int i;

	for (i = 0; (i < entries) && (*budget != 0U); i++) {
		uint64_t pte = t[i];

		if (own_ram_leaf(pte, level)) {
			t[i] = 0U;
			fn(pte & PTE_ADDR_MASK, pages, data);
			*budget = (*budget > pages) ? (*budget - pages) : 0U;
		} else if (((pte & PTE_VALID) != 0U) &&
			   ((pte & PTE_TABLE) != 0U) && (level < 3U)) {
			relinquish_table(pte & PTE_ADDR_MASK, level + 1U,
					 ENTRIES, budget, fn, data);
		}
	}
}

int p2m_relinquish(struct p2m *p2m, uint64_t budget,
		   void (*fn)(paddr_t pa, uint64_t pages, void *data),
		   void *data)
{
	uint64_t left = budget;

	spin_lock(&p2m->lock);
	relinquish_table(p2m->root, walk_start,
			 (unsigned int)index_mask[walk_start] + 1U, &left, fn,
			 data);
	spin_unlock(&p2m->lock);
	return (left == 0U) ? -EAGAIN : 0;
}

void p2m_destroy(struct p2m *p2m)
{
	if ((p2m->pool_pages == 0U) || (p2m->pool == INVALID_PADDR)) {
		return;
	}
	/* A later domain gets this VMID: none of these entries may stay. */
	p2m_flush_tlb(p2m);
	free_pages(p2m->pool, order_for_pages(p2m->pool_pages));
	p2m->pool = INVALID_PADDR;
	p2m->pool_pages = 0U;
	p2m->root = 0U;
}
