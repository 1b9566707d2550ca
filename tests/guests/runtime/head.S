/*
 * Entry points of a guest test image.
 *
 * The image starts with an arm64 Image header so that Xen (and Xenon) load
 * it like a Linux kernel: at RAM base + text_offset, entered at EL1h with
 * the MMU off, A/I/F masked and x0 = the device tree's physical address.
 *
 * The image is position independent (linked at 0 as a static PIE): the
 * primary entry applies its R_AARCH64_RELATIVE relocations for wherever it
 * was loaded, so the "place anywhere" flag of the header is honest.
 *
 * The MMU is turned on with a 1:1 map (4 KiB granule, 39-bit VA, level-1
 * 1 GiB blocks): 0-1 GiB Device-nGnRnE (GIC, vpl011, and unbacked addresses
 * the isolation test touches), 1-4 GiB Normal write-back (GUEST_RAM0).
 * Normal memory is needed for exclusives (locks, atomics) and unaligned
 * accesses, which the compiler may emit.
 *
 * Cache maintenance: before writing anything with the MMU off (relocations,
 * page table), the whole image is cleaned and invalidated to the PoC so no
 * stale line can shadow those writes once caches are on. Secondaries read
 * nothing from RAM before their MMU is on except the page table, which is
 * never modified after boot.
 */

#include <xtf/config.h>

#define SCTLR_M (1 << 0)
#define SCTLR_A (1 << 1)
#define SCTLR_C (1 << 2)
#define SCTLR_I (1 << 12)
#define SCTLR_WXN (1 << 19)

/* Block descriptors: valid block, AF, AttrIndx, SH, execute-never. */
#define PTE_BLOCK 0x1
#define PTE_AF (1 << 10)
#define PTE_ATTR_DEVICE (0 << 2) /* MAIR attr 0 */
#define PTE_ATTR_NORMAL (1 << 2) /* MAIR attr 1 */
#define PTE_SH_INNER (3 << 8)
#define PTE_PXN (1 << 53)
#define PTE_UXN (1 << 54)

/* MAIR: attr0 = 0x00 Device-nGnRnE, attr1 = 0xff Normal WB RW-allocate. */
#define MAIR_VALUE 0xff00

/* TCR: T0SZ 25 (39-bit VA), IRGN0/ORGN0 WB-WA, SH0 inner, TG0 4K, EPD1. */
#define TCR_VALUE ((25 << 0) | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23))

#define R_AARCH64_RELATIVE 1027

	/* x = address of sym, PC-relative, +-4 GiB. */
	.macro	adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
	.endm

	.section .text.head, "ax"
	.global	_start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	/*
	 * image_size: everything up to _end. Two 32-bit words: a 64-bit
	 * absolute reference would become a dynamic relocation in a PIE.
	 */
	.long	_image_size
	.long	0
	.quad	0xa			/* flags: LE, 4 KiB pages, anywhere */
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

primary_entry:
	mov	x19, x0			/* device tree */
	adr	x20, _start		/* where we were loaded */

	/* Clean + invalidate [_start, _end) to the PoC. */
	mov	x0, x20
	adr_l	x1, _end
	bl	dcache_civac_range

	/* Apply R_AARCH64_RELATIVE relocations: *(base + off) = base + add. */
	adr_l	x0, __rela_start
	adr_l	x1, __rela_end
1:	cmp	x0, x1
	b.hs	2f
	ldp	x2, x3, [x0], #16	/* r_offset, r_info */
	ldr	x4, [x0], #8		/* r_addend */
	cmp	w3, #R_AARCH64_RELATIVE
	b.ne	.			/* the build checks this cannot happen */
	add	x4, x4, x20
	str	x4, [x2, x20]
	b	1b
2:
	bl	build_idmap
	bl	enable_mmu

	/* Clear BSS (cacheable now). */
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
3:	cmp	x0, x1
	b.hs	4f
	stp	xzr, xzr, [x0], #16
	b	3b
4:
	mov	x0, #0
	bl	set_cpu_state		/* TPIDR, SP, VBAR for vCPU 0 */
	mov	x0, x19
	bl	runtime_main
	b	.

/*
 * PSCI CPU_ON entry: x0 = context id = vCPU index. MMU off, A/I/F masked.
 */
	.global	secondary_entry
secondary_entry:
	mov	x19, x0
	cmp	x19, #MAX_CPUS
	b.hs	.			/* not a vCPU we started */
	bl	enable_mmu
	mov	x0, x19
	bl	set_cpu_state
	mov	x0, x19
	bl	secondary_main
	b	.

/* x0 = vCPU index: TPIDR_EL1, the vCPU's stack, VBAR_EL1. */
set_cpu_state:
	msr	tpidr_el1, x0
	adr_l	x1, __stacks_start
	add	x0, x0, #1
	lsl	x0, x0, #STACK_SHIFT
	add	x1, x1, x0
	mov	sp, x1
	adr_l	x0, exception_vectors
	msr	vbar_el1, x0
	isb
	ret

/* Fill the level-1 table (MMU off). */
build_idmap:
	adr_l	x0, idmap_l1
	mov	x1, x0
	add	x2, x0, #4096
1:	stp	xzr, xzr, [x1], #16
	cmp	x1, x2
	b.lo	1b
	/* 0-1 GiB: device. */
	mov	x1, #(PTE_BLOCK | PTE_AF | PTE_ATTR_DEVICE)
	orr	x1, x1, #PTE_PXN
	orr	x1, x1, #PTE_UXN
	str	x1, [x0]
	/* 1-4 GiB: normal memory. */
	mov	x1, #(PTE_BLOCK | PTE_AF | PTE_ATTR_NORMAL | PTE_SH_INNER)
	mov	x2, #1
2:	orr	x3, x1, x2, lsl #30
	str	x3, [x0, x2, lsl #3]
	add	x2, x2, #1
	cmp	x2, #4
	b.lo	2b
	dsb	sy
	ret

/* Program MAIR/TCR/TTBR0 and turn on MMU and caches. Clobbers x0-x2. */
enable_mmu:
	mov	x0, #MAIR_VALUE
	msr	mair_el1, x0
	ldr	x0, =TCR_VALUE
	mrs	x1, id_aa64mmfr0_el1	/* IPS = PARange, at most 48 bits */
	and	x1, x1, #7
	cmp	x1, #5
	mov	x2, #5
	csel	x1, x1, x2, ls
	bfi	x0, x1, #32, #3
	msr	tcr_el1, x0
	adr_l	x0, idmap_l1
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mrs	x0, sctlr_el1
	mov	x1, #(SCTLR_M | SCTLR_C | SCTLR_I)
	orr	x0, x0, x1
	bic	x0, x0, #SCTLR_A
	bic	x0, x0, #SCTLR_WXN
	msr	sctlr_el1, x0
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/* DC CIVAC over [x0, x1). Clobbers x0, x2, x3. */
dcache_civac_range:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3		/* line size in bytes */
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	dc	civac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

	.ltorg

	.section .pgtables, "aw", %nobits
	.balign	4096
idmap_l1:
	.space	4096
