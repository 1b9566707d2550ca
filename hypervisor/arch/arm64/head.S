/*
 * Entry point: the arm64 Image header, then the primary and secondary CPU
 * entries. Entered at EL2 with the MMU off and x0 = DTB (primary), or from
 * PSCI CPU_ON with x0 = the CPU index (secondaries).
 *
 * The boot page table maps the first 512 GiB 1:1: the first GiB (where
 * QEMU's virt machine has its devices) as Device-nGnRnE, the rest as normal
 * write-back memory. mm.c replaces it with the final, W^X one.
 */
#include <asm/asm-macros.h>
#include <hv/config.h>
#include <asm/sysregs.h>

#define R_AARCH64_RELATIVE 1027

	.section .text.head, "ax"
	.globl _start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: load at 2 MiB-aligned base */
	.quad	_image_size		/* image_size, including BSS */
	.quad	0xa			/* flags: LE, 4 KiB pages, anywhere in RAM */
	.quad	0, 0, 0			/* reserved */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* no PE/COFF header */

primary_entry:
	mov	x20, x0			/* DTB physical address */
	adr	x21, _start		/* where we were loaded */
	mrs	x22, CurrentEL

	/* Clear BSS. */
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:
	bl	apply_relocations

	/* CPU0's stack. */
	adr_l	x0, cpu_stacks
	add	x0, x0, #STACK_SIZE
	mov	sp, x0

	bl	build_boot_page_table
	cmp	x22, #CURRENTEL_EL2
	b.ne	wrong_el
	adr_l	x17, boot_pgt_l0
	bl	enable_mmu_el2
	mov	x0, x20
	mov	x1, x21
	bl	start_xenon
	b	halt_loop

wrong_el:
	bl	enable_mmu_el1
	mov	x0, x20
	lsr	x1, x22, #2
	bl	start_wrong_el
	b	halt_loop

/*
 * Apply every R_AARCH64_RELATIVE relocation for the load address: the
 * image is linked at LINK_BASE and runs wherever it was loaded.
 */
apply_relocations:
	ldr	x9, =LINK_BASE
	sub	x9, x21, x9		/* load offset */
	adr_l	x10, __rela_start
	adr_l	x11, __rela_end
1:	cmp	x10, x11
	b.hs	2f
	ldp	x12, x13, [x10], #24	/* r_offset, r_info */
	ldur	x14, [x10, #-8]		/* r_addend */
	cmp	w13, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x14, x14, x9
	str	x14, [x12, x9]
	b	1b
2:	ret

/* L0[0] -> L1; L1[0] device block; L1[1..511] normal memory blocks. */
build_boot_page_table:
	adr_l	x0, boot_pgt_l0
	adr_l	x1, boot_pgt_l1
	orr	x2, x1, #3		/* table descriptor */
	str	x2, [x0]
	ldr	x2, =0x0040000000000401	/* device, AF, XN, block */
	str	x2, [x1]
	mov	x3, #1
	ldr	x4, =0x705		/* normal, inner-shareable, AF, block */
1:	lsl	x2, x3, #30
	orr	x2, x2, x4
	str	x2, [x1, x3, lsl #3]
	add	x3, x3, #1
	cmp	x3, #512
	b.lo	1b
	dsb	sy
	ret

/* Physical address size for TCR's PS/IPS field, at most 48 bits (5). */
pa_range:
	mrs	x0, ID_AA64MMFR0_EL1
	and	x0, x0, #0xf
	cmp	x0, #5
	mov	x1, #5
	csel	x0, x0, x1, ls
	ret

/* Turn on the EL2 MMU and caches with the page table at x17, and install
 * the vectors. Needs no stack; preserves x19-x29. */
enable_mmu_el2:
	mov	x18, x30
	bl	pa_range
	ldr	x1, =(TCR_EL2_RES1 | TCR_WALK_ATTRS | TCR_T0SZ_48)
	orr	x1, x1, x0, lsl #16
	msr	tcr_el2, x1
	ldr	x1, =MAIR_VALUE
	msr	mair_el2, x1
	msr	ttbr0_el2, x17
	adr_l	x1, hyp_vectors
	msr	vbar_el2, x1
	isb
	tlbi	alle2
	dsb	sy
	isb
	ldr	x1, =SCTLR_EL2_SET
	msr	sctlr_el2, x1
	isb
	ret	x18

/* The same at EL1, only so that the C code can report the wrong entry
 * level on the console. */
enable_mmu_el1:
	mov	x18, x30
	bl	pa_range
	ldr	x1, =(TCR_EL1_EPD1 | TCR_WALK_ATTRS | TCR_T0SZ_48)
	orr	x1, x1, x0, lsl #32
	msr	tcr_el1, x1
	ldr	x1, =MAIR_VALUE
	msr	mair_el1, x1
	adr_l	x1, boot_pgt_l0
	msr	ttbr0_el1, x1
	isb
	tlbi	vmalle1
	dsb	sy
	isb
	ldr	x1, =SCTLR_EL1_SET
	msr	sctlr_el1, x1
	isb
	ret	x18

/*
 * Secondary CPUs arrive here from PSCI CPU_ON with x0 = CPU index, MMU
 * off. They use the page table in secondary_ttbr (cleaned to memory by the
 * CPU that started them).
 */
	.globl secondary_entry
secondary_entry:
	mov	x19, x0
	adr_l	x17, secondary_ttbr
	ldr	x17, [x17]
	bl	enable_mmu_el2
	/* Stack: cpu_stacks + (index + 1) * STACK_SIZE. */
	adr_l	x0, cpu_stacks
	add	x1, x19, #1
	add	x0, x0, x1, lsl #STACK_SHIFT
	mov	sp, x0
	mov	x29, xzr
	mov	x0, x19
	bl	start_secondary
	b	halt_loop

	.globl halt_loop
halt_loop:
	wfi
	b	halt_loop

	.ltorg

	.section .bss.page_aligned, "aw", %nobits
	.balign 4096
	.globl boot_pgt_l0
boot_pgt_l0:
	.space 4096
boot_pgt_l1:
	.space 4096
	.balign 16
	.globl cpu_stacks
cpu_stacks:
	.space STACK_SIZE * NR_CPUS
