/*
 * The floor: a bare-metal program that QEMU's -kernel starts at EL2 (MMU
 * off). It installs an EL2 vector table whose only used entry, a
 * synchronous exception from AArch64 EL1, is a single ERET; then it drops
 * to EL1h and calls floor_main(), which times HVCs with the same loop the
 * guests use (bench-hvc.h). No hypervisor, nothing else trapped: the
 * cheapest trap round trip this QEMU CPU has.
 */

#define HCR_RW (1 << 31)		/* EL1 is AArch64; nothing trapped */
#define CNTHCTL_EL1PCTEN_EL1PCEN 3	/* EL1 may use the counters */
#define SCTLR_EL1_RES1 0x30d00800	/* MMU, caches, alignment checks off */
#define SPSR_EL1H_MASKED 0x3c5		/* EL1h, D/A/I/F masked */

	.section .text.start, "ax"
	.global	_start
_start:
	adr	x0, el2_vectors
	msr	vbar_el2, x0
	mov	x0, #HCR_RW
	msr	hcr_el2, x0
	mov	x0, #CNTHCTL_EL1PCTEN_EL1PCEN
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	adr	x0, stack_top
	msr	sp_el1, x0
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	adr	x0, el1_entry
	msr	elr_el2, x0
	isb
	eret

el1_entry:
	bl	floor_main
	/* PSCI SYSTEM_OFF; QEMU's PSCI answers SMC here (no EL3). */
	ldr	x0, =0x84000008
	smc	#0
1:	wfi
	b	1b

	.ltorg

	.macro	hang_entry
	.balign	0x80
	b	.
	.endm

	.balign	0x800
el2_vectors:
	.rept	8			/* current EL, SP_EL0 and SP_ELx */
	hang_entry
	.endr
	.balign	0x80			/* lower EL, AArch64: sync */
	eret
	.rept	7			/* the rest */
	hang_entry
	.endr

	.section .bss.stack, "aw", %nobits
	.balign	16
	.space	16384
stack_top:
