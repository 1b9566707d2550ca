/*
 * The hypervisor's own page table (EL2 stage 1, identity-mapped), W^X:
 *
 *   image text               read-only, executable       4 KiB pages
 *   image read-only data     read-only                   (rodata, GOT, ...)
 *   image data, BSS, stacks  read/write
 *   the rest of RAM          read/write                  largest blocks
 *   non-RAM below 4 GiB      Device-nGnRnE, read/write   (the GIC, UART)
 *
 * Only text is executable, and SCTLR_EL2.WXN makes the hardware treat every
 * writable mapping as non-executable too. Nothing else is mapped, so a
 * stray pointer above 4 GiB that is not RAM faults. The tables come from a
 * static pool: the map is built once at boot and never changes.
 */
#include <hv/compiler.h>
#include <hv/guest-copy.h>
#include <hv/keyhandler.h>
#include <hv/page-alloc.h>
#include <hv/panic.h>
#include <hv/printk.h>

#include <asm/mm.h>
#include <asm/sysregs.h>

extern char _start[];
extern char _etext[];
extern char _sdata[];
extern char _end[];

#define PT_ENTRIES 512U
#define PT_TABLES 16U
#define PT_LEVELS 4U

#define DESC_VALID (1UL << 0)
#define DESC_TABLE (1UL << 1) /* a table at levels 0-2, a page at level 3 */
#define DESC_ATTR(idx) ((uint64_t)(idx) << 2)
#define DESC_RO (1UL << 7) /* AP[2] */
#define DESC_SH_INNER (3UL << 8)
#define DESC_AF (1UL << 10)
#define DESC_XN (1UL << 54)
#define DESC_ADDR_MASK 0x0000fffffffff000UL

#define MAP_TEXT (DESC_ATTR(MT_NORMAL) | DESC_SH_INNER | DESC_AF | DESC_RO)
#define MAP_RO (MAP_TEXT | DESC_XN)
#define MAP_RW (DESC_ATTR(MT_NORMAL) | DESC_SH_INNER | DESC_AF | DESC_XN)
#define MAP_DEVICE (DESC_ATTR(MT_DEVICE_nGnRnE) | DESC_AF | DESC_XN)

#define SCTLR_WXN (1UL << 19)
/* Device mappings cover what is not RAM below this address. */
#define DEVICE_LIMIT (4UL << 30)

static uint64_t pt_pool[PT_TABLES][PT_ENTRIES] __aligned(PAGE_SIZE);
static unsigned int pt_used;

static unsigned int level_shift(unsigned int level)
{
	return 39U - (9U * level);
}

static uint64_t *table_alloc(void)
{
	if (pt_used == PT_TABLES) {
		panic("EL2 page table: more than %u tables needed\n",
		      PT_TABLES);
	}
	pt_used++;
	return pt_pool[pt_used - 1U];
}

/* The table an entry points to, made if the entry is empty. */
static uint64_t *next_table(uint64_t *entry)
{
	uint64_t *t;

	if ((*entry & DESC_VALID) == 0U) {
		t = table_alloc();
		*entry = virt_to_maddr(t) | DESC_TABLE | DESC_VALID;
		return t;
	}
	if ((*entry & DESC_TABLE) == 0U) {
		panic("EL2 page table: a block is mapped twice\n");
	}
	return (uint64_t *)(uintptr_t)(*entry & DESC_ADDR_MASK);
}

/* Map [pa, pa + 2^shift) at level; its tables on the way are made. */
static void map_block(uint64_t *root, paddr_t pa, unsigned int level,
		      uint64_t attrs)
{
	uint64_t *t = root;
	unsigned int l;
	uint64_t *e;

	for (l = 0; l < level; l++) {
		t = next_table(&t[(pa >> level_shift(l)) % PT_ENTRIES]);
	}
	e = &t[(pa >> level_shift(level)) % PT_ENTRIES];
	if (*e != 0U) {
		panic("EL2 page table: 0x%lx is mapped twice\n",
		      (unsigned long)pa);
	}
	*e = pa | attrs | DESC_VALID | ((level == 3U) ? DESC_TABLE : 0U);
}

/* Map [start, end) (page-aligned) with the largest blocks that fit. */
static void map_range(uint64_t *root, paddr_t start, paddr_t end,
		      uint64_t attrs)
{
	paddr_t pa = start;
	unsigned int level;
	uint64_t size;

	while (pa < end) {
		for (level = 1; level < 3U; level++) {
			size = 1UL << level_shift(level);
			if (((pa % size) == 0U) && ((end - pa) >= size)) {
				break;
			}
		}
		map_block(root, pa, level, attrs);
		pa += 1UL << level_shift(level);
	}
}

static paddr_t page_down(paddr_t a)
{
	return a & ~(paddr_t)(PAGE_SIZE - 1U);
}

static paddr_t page_up(paddr_t a)
{
	return page_down(a + PAGE_SIZE - 1U);
}

/* RAM bank [start, end) read/write, around the image (mapped by section). */
static void map_ram(uint64_t *root, paddr_t start, paddr_t end)
{
	paddr_t img_start = virt_to_maddr(_start);
	paddr_t img_end = virt_to_maddr(_end);

	start = page_up(start);
	end = page_down(end);
	if ((img_end <= start) || (img_start >= end)) {
		map_range(root, start, end, MAP_RW);
		return;
	}
	if (start < img_start) {
		map_range(root, start, img_start, MAP_RW);
	}
	if (img_end < end) {
		map_range(root, img_end, end, MAP_RW);
	}
}

/* What is not RAM below DEVICE_LIMIT, as device memory. */
static void map_devices(uint64_t *root, const struct bootinfo *bi)
{
	paddr_t pa = 0;
	paddr_t next;
	paddr_t s;
	paddr_t e;
	unsigned int i;

	while (pa < DEVICE_LIMIT) {
		next = DEVICE_LIMIT;
		for (i = 0; i < bi->nr_mem; i++) {
			s = page_up(bi->mem[i].start);
			e = page_down(bi->mem[i].start + bi->mem[i].size);
			if ((s <= pa) && (pa < e)) {
				pa = e; /* inside a bank: skip it */
				next = pa;
				break;
			}
			if ((s > pa) && (s < next)) {
				next = s;
			}
		}
		if (pa < next) {
			map_range(root, pa,
				  (next < DEVICE_LIMIT) ? next : DEVICE_LIMIT,
				  MAP_DEVICE);
			pa = next;
		}
	}
}

/* The RAM banks, for mm_is_ram(). */
static struct mem_region ram_banks[BOOTINFO_MAX_BANKS];
static unsigned int nr_ram_banks;

bool mm_is_ram(paddr_t pa)
{
	unsigned int i;

	for (i = 0; i < nr_ram_banks; i++) {
		if ((pa >= ram_banks[i].start) &&
		    ((pa - ram_banks[i].start) < ram_banks[i].size)) {
			return true;
		}
	}
	return false;
}

/*
 * Both stages in one instruction, as Xen's gvirt_to_maddr(): stage 1 with
 * the guest's permissions, stage 2 with the domain's (a read-only grant
 * mapping fails a write). Stage 2 maps as Normal memory only RAM: the
 * domain's own, grant, foreign and hypervisor pages placed in it; device
 * regions are refused by the RAM-bank check (inline here: it is on every
 * guest copy). The guest's PAR_EL1 is kept.
 */
paddr_t arch_guest_va_to_ram(uint64_t gva, bool write)
{
	uint64_t saved = READ_SYSREG(par_el1);
	uint64_t par;
	paddr_t pa;

	if (write) {
		__asm__ volatile("at s12e1w, %0" : : "r"(gva) : "memory");
	} else {
		__asm__ volatile("at s12e1r, %0" : : "r"(gva) : "memory");
	}
	isb();
	par = READ_SYSREG(par_el1);
	WRITE_SYSREG(par_el1, saved);
	if ((par & PAR_F) != 0U) {
		return INVALID_PADDR;
	}
	pa = (par & PAR_PA_MASK) | (gva & 0xfffU);
	return mm_is_ram(pa) ? pa : INVALID_PADDR;
}

void mm_init_el2(const struct bootinfo *bi)
{
	uint64_t *root = table_alloc();
	unsigned int i;

	for (i = 0; i < bi->nr_mem; i++) {
		map_ram(root, bi->mem[i].start,
			bi->mem[i].start + bi->mem[i].size);
		ram_banks[i] = bi->mem[i];
	}
	nr_ram_banks = bi->nr_mem;
	map_range(root, virt_to_maddr(_start), virt_to_maddr(_etext), MAP_TEXT);
	map_range(root, virt_to_maddr(_etext), virt_to_maddr(_sdata), MAP_RO);
	map_range(root, virt_to_maddr(_sdata), virt_to_maddr(_end), MAP_RW);
	map_devices(root, bi);

	/* The code running now is mapped alike in both tables. */
	dsb_sy();
	WRITE_SYSREG(ttbr0_el2, virt_to_maddr(root));
	isb();
	__asm__ volatile("tlbi alle2" : : : "memory");
	dsb_sy();
	isb();
	mm_enable_wxn();
	printk("EL2 page table (%u tables): text 0x%lx-0x%lx read-only "
	       "executable, data from 0x%lx and RAM not executable\n",
	       pt_used, (unsigned long)virt_to_maddr(_start),
	       (unsigned long)virt_to_maddr(_etext),
	       (unsigned long)virt_to_maddr(_sdata));
}

void mm_enable_wxn(void)
{
	WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) | SCTLR_WXN);
	isb();
	/* TLB entries may hold the old WXN. */
	__asm__ volatile("tlbi alle2" : : : "memory");
	dsb_sy();
	isb();
}

/*
 * Debug keys that check W^X the way the 'C' key checks the exception
 * report: each must end in an EL2 permission fault, never return.
 */
static void write_text(char key)
{
	volatile uint32_t *insn = (volatile uint32_t *)(uintptr_t)_start;
	uint32_t same = *insn;

	(void)key;
	*insn = same; /* the same bytes: harmless if it were allowed */
	printk("W^X: hypervisor text is writable\n");
}
HV_KEYHANDLER('W', "write to hypervisor text (W^X test)", write_text);

/* A `ret` instruction in writable data. */
static uint32_t data_insn[1] = {0xd65f03c0U};

static void exec_data(char key)
{
	(void)key;
	__asm__ volatile("blr %0" : : "r"(data_insn) : "x30", "memory");
	printk("W^X: hypervisor data is executable\n");
}
HV_KEYHANDLER('X', "execute hypervisor data (W^X test)", exec_data);
