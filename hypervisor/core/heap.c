/*
 * The small-object heap: xmalloc(), xzalloc() and xfree().
 *
 * Requests of up to 2048 bytes are served from slabs: blocks of one or a few
 * pages from the buddy allocator, cut into objects of one size class. A slab
 * starts with a header that records its class and a bitmap of the objects in
 * use, so that double frees are caught. Larger requests take a block of pages
 * straight from the buddy allocator.
 *
 * xfree() asks the buddy allocator for the block that holds the pointer. A
 * large allocation starts its block; an object never does (the slab header
 * is there), so the slab header is found at the start of the block.
 */
#include <hv/page-alloc.h>
#include <hv/panic.h>
#include <hv/spinlock.h>
#include <hv/string.h>

#define SLAB_MAGIC 0x534c4142U /* "SLAB" */
#define SLAB_HEADER_SIZE 64U
#define SLAB_MAX_OBJECTS 256U
#define NR_CLASSES 8U

struct slab {
	uint32_t magic;
	uint16_t class_idx;
	uint16_t in_use;
	uint16_t total;
	/* Links on the list of slabs of the class that have a free object. */
	struct slab *next;
	struct slab *prev;
	/* Bit i is set while object i is allocated. */
	uint64_t used[SLAB_MAX_OBJECTS / 64U];
};

_Static_assert(sizeof(struct slab) <= SLAB_HEADER_SIZE, "slab header size");
_Static_assert((SLAB_HEADER_SIZE % 16U) == 0U, "objects must stay aligned");

struct size_class {
	uint16_t size;
	uint8_t order; /* Of the slab: at least seven objects per slab. */
};

static const struct size_class classes[NR_CLASSES] = {
	{16U, 0U},  {32U, 0U},	{64U, 0U},   {128U, 0U},
	{256U, 0U}, {512U, 1U}, {1024U, 2U}, {2048U, 3U},
};

/* The lists start empty with all-zero statics, so no init call is needed. */
static spinlock_t heap_lock = SPINLOCK_INIT;
static struct slab *partial[NR_CLASSES];

/* The smallest class that holds size bytes; size <= the largest class. */
static unsigned int class_of(size_t size)
{
	unsigned int i = 0U;

	while (classes[i].size < size) {
		i++;
	}
	return i;
}

static void partial_push(struct slab *s)
{
	s->prev = NULL;
	s->next = partial[s->class_idx];
	if (s->next != NULL) {
		s->next->prev = s;
	}
	partial[s->class_idx] = s;
}

static void partial_remove(struct slab *s)
{
	if (s->prev != NULL) {
		s->prev->next = s->next;
	} else {
		partial[s->class_idx] = s->next;
	}
	if (s->next != NULL) {
		s->next->prev = s->prev;
	}
}

/* A new, empty slab of class idx on the partial list, or NULL. */
static struct slab *slab_create(unsigned int idx)
{
	const struct size_class *c = &classes[idx];
	paddr_t pa = alloc_pages(c->order);
	uint64_t objects;
	struct slab *s;

	if (pa == INVALID_PADDR) {
		return NULL;
	}
	s = maddr_to_virt(pa);
	memset(s, 0, sizeof(*s));
	objects = ((PAGE_SIZE << c->order) - SLAB_HEADER_SIZE) / c->size;
	s->magic = SLAB_MAGIC;
	s->class_idx = (uint16_t)idx;
	s->total = (uint16_t)MIN(objects, (uint64_t)SLAB_MAX_OBJECTS);
	partial_push(s);
	return s;
}

/* The lowest free object index of a slab that has one. */
static unsigned int slab_first_free(const struct slab *s)
{
	unsigned int w = 0U;

	while (s->used[w] == ~0ULL) {
		w++;
	}
	return (w * 64U) + (unsigned int)__builtin_ctzll(~s->used[w]);
}

static void *slab_alloc(struct slab *s)
{
	unsigned int i = slab_first_free(s);

	s->used[i / 64U] |= 1ULL << (i % 64U);
	s->in_use++;
	if (s->in_use == s->total) {
		partial_remove(s);
	}
	return (char *)s + SLAB_HEADER_SIZE +
	       ((size_t)i * classes[s->class_idx].size);
}

static void *small_alloc(size_t size)
{
	unsigned int idx = class_of(size);
	struct slab *s;
	void *p = NULL;

	spin_lock(&heap_lock);
	s = partial[idx];
	if (s == NULL) {
		s = slab_create(idx);
	}
	if (s != NULL) {
		p = slab_alloc(s);
	}
	spin_unlock(&heap_lock);
	return p;
}

static void *large_alloc(size_t size)
{
	unsigned int order = 0U;
	paddr_t pa;

	while ((order <= MAX_ORDER) && ((PAGE_SIZE << order) < size)) {
		order++;
	}
	if (order > MAX_ORDER) {
		return NULL;
	}
	pa = alloc_pages(order);
	return (pa == INVALID_PADDR) ? NULL : maddr_to_virt(pa);
}

void *xmalloc(size_t size)
{
	/* A zero-byte request still gets a unique object. */
	if (size <= classes[NR_CLASSES - 1U].size) {
		return small_alloc(MAX(size, (size_t)1U));
	}
	return large_alloc(size);
}

void *xzalloc(size_t size)
{
	void *p = xmalloc(size);

	if (p != NULL) {
		memset(p, 0, size);
	}
	return p;
}

/*
 * The index of the object at offset off of a slab, or -1 if invalid. The
 * slab is a block of the given order, which must match its class.
 */
static int slab_index(const struct slab *s, unsigned int order, uint64_t off)
{
	uint64_t size;

	if ((s->magic != SLAB_MAGIC) || (s->class_idx >= NR_CLASSES) ||
	    (classes[s->class_idx].order != order) ||
	    (off < SLAB_HEADER_SIZE)) {
		return -1;
	}
	size = classes[s->class_idx].size;
	off -= SLAB_HEADER_SIZE;
	if (((off % size) != 0U) || ((off / size) >= s->total)) {
		return -1;
	}
	return (int)(off / size);
}

/* Give a slab without objects in use back to the buddy allocator. */
static void slab_destroy(struct slab *s)
{
	partial_remove(s);
	s->magic = 0U;
	free_pages(virt_to_maddr(s), classes[s->class_idx].order);
}

static void slab_free(struct slab *s, unsigned int order, uint64_t off)
{
	int i;

	spin_lock(&heap_lock);
	i = slab_index(s, order, off);
	if ((i < 0) || ((s->used[i / 64] & (1ULL << (i % 64))) == 0U)) {
		/* Unlock first, so that a test can carry on after the panic. */
		spin_unlock(&heap_lock);
		panic("BUG: xfree(%p): %s\n", (void *)((char *)s + off),
		      (i < 0) ? "not an object" : "double free");
	}
	if (s->in_use == s->total) {
		partial_push(s);
	}
	s->used[i / 64] &= ~(1ULL << (i % 64));
	s->in_use--;
	if (s->in_use == 0U) {
		slab_destroy(s);
	}
	spin_unlock(&heap_lock);
}

void xfree(void *p)
{
	paddr_t pa = virt_to_maddr(p);
	unsigned int order;
	paddr_t head;

	if (p == NULL) {
		return;
	}
	head = page_alloc_block_head(pa, &order);
	if (head == pa) {
		free_pages(pa, order);
	} else {
		slab_free(maddr_to_virt(head), order, pa - head);
	}
}

__host_test_only void heap_reset(void)
{
	spin_lock_init(&heap_lock);
	memset(partial, 0, sizeof(partial));
}
