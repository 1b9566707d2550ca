/*
 * long-batch: hypercalls whose length the guest chooses must not keep the
 * CPU. On one physical CPU shared with the ticker, this domain issues
 * GNTTABOP_copy and GNTTABOP_cache_flush with a count of 2^31 - 1 (their
 * arrays of zeroes run into a page it gave back, where the calls fail with
 * -EFAULT) and
 * a multicall of 64 console writes of 64 KiB. The runner checks from the
 * ticker's gaps that it kept running all along (continuations let the
 * scheduler in between chunks).
 */
#include <xtf.h>
#include <xtf/xenmem.h>

const char test_title[] = "Long batch: huge hypercalls are preempted";

#define HUGE_COUNT 0x7fffffffU
#define WRITES 64U
#define WRITE_LEN 65536U
#define LINE_LEN 64U

static char text[WRITE_LEN];
static struct multicall_entry calls[WRITES];

static inline long HYPERVISOR_multicall(void *list, unsigned long nr)
{
	return xen_hypercall3(__HYPERVISOR_multicall, (unsigned long)list, nr,
			      0);
}

/* 64-byte lines: "long-batch: line NNNN" padded with dots. */
static void fill_text(void)
{
	unsigned int i;

	for (i = 0; i < WRITE_LEN; i += LINE_LEN) {
		snprintf(&text[i], LINE_LEN, "long-batch: line %04u ",
			 i / LINE_LEN);
		memset(&text[i + 22], '.', LINE_LEN - 23);
		text[i + LINE_LEN - 1] = '\n';
	}
}

void test_main(void)
{
	/* 8 MiB of zeroed RAM above the image, then a hole: entries that
	 * each fail or do nothing, then a fault. */
	uint64_t array = platform.ram_base + 0x400000UL;
	xen_pfn_t hole = (platform.ram_base + 0xc00000UL) >> 12;
	unsigned int i;
	long rc;

	rc = xtf_reservation(XENMEM_decrease_reservation, &hole, 1);
	if (rc != 1) {
		xtf_error("decrease_reservation: %ld", rc);
		return;
	}
	printf("long-batch: start\n");
	rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, (void *)array,
				       HUGE_COUNT);
	printf("long-batch: copy of 2^31-1 entries returned %ld\n", rc);
	if (rc != -XEN_EFAULT) {
		xtf_failure("GNTTABOP_copy returned %ld, want -EFAULT", rc);
		return;
	}
	/* The copy wrote a status into each entry: zeroes again. */
	memset((void *)array, 0, 0x800000UL);
	rc = HYPERVISOR_grant_table_op(GNTTABOP_cache_flush, (void *)array,
				       HUGE_COUNT);
	printf("long-batch: cache_flush of 2^31-1 entries returned %ld\n", rc);
	if (rc != -XEN_EFAULT) {
		xtf_failure("GNTTABOP_cache_flush returned %ld, want -EFAULT",
			    rc);
		return;
	}
	fill_text();
	for (i = 0; i < WRITES; i++) {
		calls[i].op = __HYPERVISOR_console_io;
		calls[i].args[0] = CONSOLEIO_write;
		calls[i].args[1] = WRITE_LEN;
		calls[i].args[2] = (uint64_t)(uintptr_t)text;
	}
	rc = HYPERVISOR_multicall(calls, WRITES);
	for (i = 0; i < WRITES && rc == 0; i++) {
		if (calls[i].result != 0) {
			rc = (long)calls[i].result;
		}
	}
	printf("long-batch: multicall of %u writes of %u bytes returned %ld\n",
	       WRITES, WRITE_LEN, rc);
	if (rc) {
		xtf_failure("multicall of console writes: %ld", rc);
		return;
	}
	printf("long-batch: done\n");
	xtf_success();
}
