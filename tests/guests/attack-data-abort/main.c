/*
 * attack-data-abort: accesses the hypervisor cannot emulate, and hypercall
 * buffers it cannot copy.
 *  - On the emulated GIC distributor: LDP/STP, pre-indexed loads and
 *    stores, load/store exclusive (LDXR/STXR, LDAXR/STLXR), LSE atomics
 *    if the CPU has them (cortex-a57 has not): the stage-2 abort has no
 *    valid syndrome (ISV=0), and the guest gets a data abort (EC 0x25,
 *    FAR the address) with its registers untouched. Post-indexed LDR/STR
 *    also has ISV=0; Xen 4.17 decodes and emulates it (value and base
 *    written back), Xenon injects an abort: either is accepted, provided
 *    the registers match what happened. A plain LDR and LDAR (ISV=1) are
 *    emulated. A stage-1 table placed on GICD or in a hole: the walk's
 *    abort (S1PTW) gives the guest a data abort at the VA. Resembles
 *    XSA-102/XSA-397-like emulation mistakes.
 *  - Copy-helper edges: console_io writes and xen_version outputs whose
 *    buffer crosses from RAM past its end, lies on GICD, is not mapped at
 *    stage 1, wraps around 2^64, or (xen_version) is a read-only grant
 *    mapping of its own page: -EFAULT each time, the read-only page not
 *    written, no fault (XSA-212-like copy bounds).
 */
#include <xtf.h>
#include <xtf/xenmem.h>

const char test_title[] = "Attack: unemulatable MMIO accesses and hypercall "
			  "buffer edges (XSA-212-like)";

#define PAGE_SIZE 4096UL
#define POISON 0x5a5a5a5a5a5a5a5aULL
#define RO_GPA (XTF_FREE_GPA + 0x00100000UL)
#define RO_REF 7U
#define RW_REF 8U

static volatile unsigned int aborts;
static volatile uint64_t got_esr, got_far;
static uint64_t target; /* the GICD register the accesses go to */

static bool hook(struct cpu_regs *regs, uint64_t esr, uint64_t far)
{
	if (ESR_EC(esr) != ESR_EC_DABT_CUR) {
		return false;
	}
	got_esr = esr;
	got_far = far;
	aborts++;
	regs->elr += 4;
	return true;
}

/* The access aborted with FAR = addr; the registers kept their values. */
static bool aborted(const char *what, unsigned int before, uint64_t addr,
		    bool regs_kept)
{
	printf("attack-data-abort: %s: %s, ESR_EL1 %#lx\n", what,
	       aborts != before ? "data abort" : "completed",
	       (unsigned long)got_esr);
	if (aborts != before + 1 || ESR_EC(got_esr) != ESR_EC_DABT_CUR ||
	    got_far != addr || !regs_kept) {
		xtf_failure("%s: %u aborts, FAR %#lx (want 1 at %#lx), "
			    "registers %s",
			    what, aborts - before, (unsigned long)got_far,
			    (unsigned long)addr,
			    regs_kept ? "kept" : "changed");
		return false;
	}
	return true;
}

/* A store-exclusive without the monitor (its LDXR aborted) may fail
 * without an access (status 1, as QEMU does) or abort. */
static bool store_exclusive(const char *what, unsigned int before, uint32_t st)
{
	if (aborts == before && st == 1) {
		printf("attack-data-abort: %s: failed without the monitor\n",
		       what);
		return true;
	}
	return aborted(what, before, target, st == 0x77);
}

static bool pairs_and_exclusives(void)
{
	uint64_t a = target, b, x = POISON, y = POISON;
	uint32_t st = 0x77;
	unsigned int n = aborts;

	__asm__ volatile("ldp %w0, %w1, [%2]"
			 : "+r"(x), "+r"(y)
			 : "r"(a)
			 : "memory");
	if (!aborted("LDP w", n, a, x == POISON && y == POISON)) {
		return false;
	}
	n = aborts;
	__asm__ volatile("ldp %0, %1, [%2]"
			 : "+r"(x), "+r"(y)
			 : "r"(a)
			 : "memory");
	if (!aborted("LDP x", n, a, x == POISON && y == POISON)) {
		return false;
	}
	n = aborts;
	__asm__ volatile("stp %w0, %w1, [%2]"
			 :
			 : "r"(x), "r"(y), "r"(a)
			 : "memory");
	if (!aborted("STP w", n, a, true)) {
		return false;
	}
	n = aborts;
	b = a;
	__asm__ volatile("ldr %w0, [%1, #4]!" : "+r"(x), "+r"(b) : : "memory");
	if (!aborted("LDR pre-index", n, a + 4, x == POISON && b == a)) {
		return false;
	}
	n = aborts;
	b = a;
	__asm__ volatile("str %w0, [%1, #4]!" : "+r"(x), "+r"(b) : : "memory");
	if (!aborted("STR pre-index", n, a + 4, b == a)) {
		return false;
	}
	n = aborts;
	__asm__ volatile("ldxr %w0, [%1]" : "+r"(x) : "r"(a) : "memory");
	if (!aborted("LDXR", n, a, x == POISON)) {
		return false;
	}
	n = aborts;
	__asm__ volatile("stxr %w0, %w1, [%2]"
			 : "+&r"(st)
			 : "r"(x), "r"(a)
			 : "memory");
	if (!store_exclusive("STXR", n, st)) {
		return false;
	}
	n = aborts;
	__asm__ volatile("ldaxr %0, [%1]" : "+r"(x) : "r"(a) : "memory");
	if (!aborted("LDAXR", n, a, x == POISON)) {
		return false;
	}
	n = aborts;
	__asm__ volatile("stlxr %w0, %1, [%2]"
			 : "+&r"(st)
			 : "r"(x), "r"(a)
			 : "memory");
	if (!store_exclusive("STLXR", n, st)) {
		return false;
	}
	__asm__ volatile("clrex" ::: "memory");
	return true;
}

/* ISV=0 too; Xen 4.17 emulates it, Xenon aborts: either, consistently. */
static bool post_index(void)
{
	uint64_t a = target, b = a, x = POISON, want;
	unsigned int n = aborts;

	want = readl(a);
	__asm__ volatile("ldr %w0, [%1], #8" : "+r"(x), "+r"(b) : : "memory");
	if (aborts == n) {
		printf("attack-data-abort: LDR post-index: emulated\n");
		if (x != want || b != a + 8) {
			xtf_failure("LDR post-index emulated: value %#lx base "
				    "%#lx, want %#lx and %#lx",
				    (unsigned long)x, (unsigned long)b,
				    (unsigned long)want, (unsigned long)a + 8);
			return false;
		}
	} else if (!aborted("LDR post-index", n, a, x == POISON && b == a)) {
		return false;
	}
	n = aborts;
	b = a;
	x = want;
	__asm__ volatile("str %w0, [%1], #8" : "+r"(x), "+r"(b) : : "memory");
	if (aborts == n) {
		printf("attack-data-abort: STR post-index: emulated\n");
		if (b != a + 8 || readl(a) != want) {
			xtf_failure("STR post-index emulated: base %#lx",
				    (unsigned long)b);
			return false;
		}
	} else if (!aborted("STR post-index", n, a, b == a)) {
		return false;
	}
	return true;
}

static bool emulated(void)
{
	uint64_t a = target, x = POISON, y;
	unsigned int n = aborts;

	writel(0xa0a0a0a0, a);
	__asm__ volatile("ldar %w0, [%1]" : "+r"(x) : "r"(a) : "memory");
	y = readl(a);
	if (aborts != n || x != 0xa0a0a0a0 || y != 0xa0a0a0a0) {
		xtf_failure("LDR/LDAR of %#lx: %u aborts, %#lx / %#lx",
			    (unsigned long)a, aborts - n, (unsigned long)x,
			    (unsigned long)y);
		return false;
	}
	return true;
}

static bool atomics(void)
{
	uint64_t isar0 = read_sysreg(id_aa64isar0_el1);
	uint64_t a = target, x = 1, old = POISON;
	unsigned int n;

	if (((isar0 >> 20) & 0xf) < 2) {
		printf("attack-data-abort: no LSE atomics on this CPU: "
		       "skipped\n");
		return true;
	}
	n = aborts;
	__asm__ volatile(".arch_extension lse\n\tldadd %w1, %w0, [%2]"
			 : "+r"(old)
			 : "r"(x), "r"(a)
			 : "memory");
	if (!aborted("LDADD", n, a, old == POISON)) {
		return false;
	}
	n = aborts;
	__asm__ volatile(".arch_extension lse\n\tswp %w1, %w0, [%2]"
			 : "+r"(old)
			 : "r"(x), "r"(a)
			 : "memory");
	if (!aborted("SWP", n, a, old == POISON)) {
		return false;
	}
	n = aborts;
	__asm__ volatile(".arch_extension lse\n\tcas %w0, %w1, [%2]"
			 : "+r"(old)
			 : "r"(x), "r"(a)
			 : "memory");
	return aborted("CAS", n, a, old == POISON);
}

/*
 * Stage-1 tables in MMIO or a hole: level-1 entry 4 (VA 4-5 GiB, unused
 * by the runtime) made a table descriptor pointing at table_ipa; a load
 * from VA 4 GiB walks through it. The walk's stage-2 abort (S1PTW) cannot
 * be emulated: the guest gets a data abort at the VA.
 */
static void flush_tlb(void)
{
	dsb(ishst);
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb(ish);
	isb();
}

static bool s1_table_in(const char *what, uint64_t table_ipa)
{
	volatile uint64_t *l1 = (volatile uint64_t *)(read_sysreg(ttbr0_el1) &
						      0x0000fffffffff000ULL);
	uint64_t va = 4UL << 30, x = POISON;
	unsigned int n;

	if (l1[4] != 0) {
		xtf_error("level-1 entry 4 is in use: %#lx",
			  (unsigned long)l1[4]);
		return false;
	}
	l1[4] = table_ipa | 3; /* table descriptor */
	flush_tlb();
	n = aborts;
	__asm__ volatile("ldr %0, [%1]" : "+r"(x) : "r"(va) : "memory");
	l1[4] = 0;
	flush_tlb();
	return aborted(what, n, va, x == POISON);
}

/* ---- copy-helper edges ---- */

static domid_t self;
static uint64_t ro_page[PAGE_SIZE / 8] __aligned(PAGE_SIZE);
static uint64_t rw_page[PAGE_SIZE / 8] __aligned(PAGE_SIZE);

static bool expect(const char *what, long got)
{
	if (got == -XEN_EFAULT) {
		return true;
	}
	xtf_failure("%s: %ld, want -EFAULT", what, got);
	return false;
}

static bool map_own(grant_ref_t ref, uint64_t page, uint64_t gpa, bool readonly,
		    grant_handle_t *handle)
{
	volatile grant_entry_v1_t *table =
		(volatile grant_entry_v1_t *)XTF_GNTTAB_GPA;
	struct gnttab_map_grant_ref op = {
		.host_addr = gpa,
		.flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
		.ref = ref,
		.dom = self,
	};

	table[ref].frame = (uint32_t)(page >> 12);
	table[ref].domid = self;
	dmb(ish);
	table[ref].flags = GTF_permit_access | (readonly ? GTF_readonly : 0);
	if (HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1) ||
	    op.status != GNTST_okay) {
		return false;
	}
	*handle = op.handle;
	return true;
}

static bool unmap_own(uint64_t gpa, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref op = {.host_addr = gpa, .handle = handle};

	return !HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1) &&
	       op.status == GNTST_okay;
}

/* A page of its own mapped read-only at RO_GPA, another writable just
 * below it, through grants to itself. */
static bool map_readonly(grant_handle_t *ro, grant_handle_t *rw)
{
	struct evtchn_status st = {.dom = DOMID_SELF};
	evtchn_port_t port;

	if (xtf_add_to_physmap(XENMAPSPACE_grant_table, 0,
			       XTF_GNTTAB_GPA >> 12) ||
	    xtf_evtchn_alloc_unbound(DOMID_SELF, &port)) {
		return false;
	}
	st.port = port;
	if (HYPERVISOR_event_channel_op(EVTCHNOP_status, &st)) {
		return false;
	}
	self = st.u.unbound.dom;
	return map_own(RO_REF, (uint64_t)ro_page, RO_GPA, true, ro) &&
	       map_own(RW_REF, (uint64_t)rw_page, RO_GPA - PAGE_SIZE, false,
		       rw);
}

static bool copy_edges(void)
{
	uint64_t end = platform.ram_base + platform.ram_size;
	const char *unmapped = (const char *)(8UL << 30); /* past the map */
	const char *wrap = (const char *)~7UL;
	grant_handle_t ro, rw;
	unsigned int i;

	if (!expect("console_io from RAM past its end",
		    HYPERVISOR_console_io(CONSOLEIO_write, 16,
					  (const char *)(end - 8))) ||
	    !expect("console_io from GICD",
		    HYPERVISOR_console_io(CONSOLEIO_write, 16,
					  (const char *)platform.gicd_base)) ||
	    !expect("console_io from an unmapped VA",
		    HYPERVISOR_console_io(CONSOLEIO_write, 16, unmapped)) ||
	    !expect("console_io wrapping 2^64",
		    HYPERVISOR_console_io(CONSOLEIO_write, 16, wrap))) {
		return false;
	}
	if (!expect("extraversion past the end of RAM",
		    HYPERVISOR_xen_version(XENVER_extraversion,
					   (void *)(end - 8))) ||
	    !expect("extraversion to GICD",
		    HYPERVISOR_xen_version(XENVER_extraversion,
					   (void *)platform.gicd_base)) ||
	    !expect("extraversion to an unmapped VA",
		    HYPERVISOR_xen_version(XENVER_extraversion,
					   (void *)unmapped)) ||
	    !expect("compile_info wrapping 2^64",
		    HYPERVISOR_xen_version(XENVER_compile_info,
					   (void *)wrap)) ||
	    !expect("current_reservation, domid across the end of RAM",
		    HYPERVISOR_memory_op(XENMEM_current_reservation,
					 (void *)(end - 1)))) {
		return false;
	}
	for (i = 0; i < PAGE_SIZE / 8; i++) {
		ro_page[i] = POISON;
	}
	if (!map_readonly(&ro, &rw)) {
		xtf_error("cannot map a page of its own read-only");
		return false;
	}
	if (!expect("extraversion to a read-only mapping",
		    HYPERVISOR_xen_version(XENVER_extraversion,
					   (void *)RO_GPA)) ||
	    !expect("extraversion across into a read-only mapping",
		    HYPERVISOR_xen_version(XENVER_extraversion,
					   (void *)(RO_GPA - 8)))) {
		return false;
	}
	if (!unmap_own(RO_GPA, ro) || !unmap_own(RO_GPA - PAGE_SIZE, rw)) {
		xtf_failure("unmapping the grant mappings failed");
		return false;
	}
	for (i = 0; i < PAGE_SIZE / 8; i++) {
		if (ro_page[i] != POISON) {
			xtf_failure("the read-only page was written at %#x",
				    i * 8);
			return false;
		}
	}
	printf("attack-data-abort: hypercall buffers past RAM, on MMIO, "
	       "unmapped, wrapping, read-only: -EFAULT\n");
	return true;
}

void test_main(void)
{
	target = platform.gicd_base + 0x420; /* IPRIORITYR of SPIs 32-35 */
	traps_set_sync_hook(hook);
	if (!emulated() || !pairs_and_exclusives() || !post_index() ||
	    !atomics() ||
	    !s1_table_in("stage-1 table on GICD", platform.gicd_base) ||
	    !s1_table_in("stage-1 table in a hole", XTF_FREE_GPA + 0x200000) ||
	    !emulated()) {
		return;
	}
	traps_set_sync_hook(NULL);
	if (!copy_edges()) {
		return;
	}
	xtf_success();
}
