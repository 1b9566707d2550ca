/*
 * ram-scrub: no domain sees data another domain (or an earlier life of the
 * same memory) left behind. Domain 2 (scrub-marker) fills its RAM with a
 * marker and powers off. This domain fills 8 MiB of its own RAM with a
 * pattern and gives it back, waits for domain 2 to be taken apart, then
 * gets 8 MiB of new pages: the allocator hands out recently freed memory
 * (this domain's own and domain 2's) first, and every new page must read
 * as zeroes. No page of its RAM outside its own image may hold the marker.
 */
#include <xtf.h>
#include <xtf/marker.h>
#include <xtf/xenmem.h>

const char test_title[] = "RAM scrub: no domain sees another's old data";

#define SWAP_PAGES 2048UL

extern char _start_image[], _end[];

static xen_pfn_t gfns[SWAP_PAGES];
static char want[32];

/* A call may do fewer extents than asked: go on with the rest. */
static unsigned long reservation_all(unsigned int cmd)
{
	unsigned long done = 0;
	long rc;

	while (done < SWAP_PAGES) {
		rc = xtf_reservation(cmd, &gfns[done], SWAP_PAGES - done);
		if (rc <= 0) {
			break;
		}
		done += (unsigned long)rc;
	}
	return done;
}

static bool page_has_marker(const char *p)
{
	size_t off;

	for (off = 0; off + 16 <= 4096; off += XTF_MARKER_PERIOD) {
		if (!memcmp(p + off, want, 16)) {
			return true;
		}
	}
	return false;
}

static bool page_is_zero(const uint64_t *p)
{
	unsigned int i;

	for (i = 0; i < 512; i++) {
		if (p[i]) {
			return false;
		}
	}
	return true;
}

/* Pages of [start, end), outside [skip_lo, skip_hi), holding the marker. */
static unsigned long scan(uint64_t start, uint64_t end, uint64_t skip_lo,
			  uint64_t skip_hi)
{
	unsigned long found = 0;
	uint64_t pa;

	for (pa = start; pa < end; pa += 4096) {
		if (pa >= skip_lo && pa < skip_hi) {
			continue;
		}
		found += page_has_marker((const char *)(uintptr_t)pa);
	}
	return found;
}

void test_main(void)
{
	uint64_t img_lo = (uint64_t)(uintptr_t)_start_image & ~0xfffULL;
	uint64_t img_hi = ((uint64_t)(uintptr_t)_end + 0xfffU) & ~0xfffULL;
	uint64_t ram_end = platform.ram_base + platform.ram_size;
	uint64_t give_lo = ram_end - (SWAP_PAGES + 512) * 4096;
	uint64_t give_hi = give_lo + SWAP_PAGES * 4096;
	uint64_t fdt = (uint64_t)(uintptr_t)platform.fdt & ~0xfffULL;
	unsigned long dirty = 0;
	unsigned long marked = 0;
	unsigned long i;

	xtf_marker_fill(want, sizeof(want));
	if (give_lo < img_hi || (fdt >= give_lo && fdt < give_hi)) {
		xtf_skip("no 8 MiB of RAM free above the image");
		return;
	}
	memset((void *)(uintptr_t)give_lo, 0xa5, give_hi - give_lo);
	for (i = 0; i < SWAP_PAGES; i++) {
		gfns[i] = (give_lo >> 12) + i;
	}
	if (reservation_all(XENMEM_decrease_reservation) != SWAP_PAGES) {
		xtf_error("decrease_reservation failed");
		return;
	}
	/* Domain 2 fills its memory, powers off and is taken apart. */
	timer_sleep_us(1000000);
	for (i = 0; i < SWAP_PAGES; i++) {
		gfns[i] = (XTF_FREE_GPA >> 12) + i;
	}
	if (reservation_all(XENMEM_populate_physmap) != SWAP_PAGES) {
		xtf_error("populate_physmap failed");
		return;
	}
	for (i = 0; i < SWAP_PAGES; i++) {
		const void *p = (const void *)(XTF_FREE_GPA + i * 4096);

		dirty += !page_is_zero(p);
		marked += page_has_marker(p);
	}
	printf("ram-scrub: of %lu new pages, %lu not zero, %lu with the "
	       "marker\n",
	       SWAP_PAGES, dirty, marked);
	if (dirty) {
		xtf_failure("%lu new pages hold old data", dirty);
		return;
	}
	marked = scan(platform.ram_base, give_lo, img_lo, img_hi) +
		 scan(give_hi, ram_end, img_lo, img_hi);
	printf("ram-scrub: %lu pages of own RAM hold the marker\n", marked);
	if (marked) {
		xtf_failure("%lu pages of RAM hold another domain's data",
			    marked);
		return;
	}
	xtf_success();
}
