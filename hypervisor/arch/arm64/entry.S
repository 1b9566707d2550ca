/*
 * EL2 exception vectors. Each entry saves a struct cpu_regs frame on the
 * current stack and calls a C handler; returns end in eret followed by a
 * speculation barrier.
 */
#include <asm/asm-macros.h>
#include <asm/regs.h>

.macro save_frame
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	add	x0, sp, #FRAME_SIZE
	stp	x30, x0, [sp, #FRAME_X30]
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x0, x1, [sp, #FRAME_ELR]
	mrs	x0, esr_el2
	mrs	x1, far_el2
	stp	x0, x1, [sp, #FRAME_ESR]
.endm

.macro restore_frame_and_eret
	ldp	x0, x1, [sp, #FRAME_ELR]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #FRAME_X30]
	add	sp, sp, #FRAME_SIZE
	eret
	dsb	nsh
	isb
.endm

/* An entry that can only be a bug: dump and halt. */
.macro bad_entry kind
	.balign 128
	save_frame
	mov	x0, sp
	mov	x1, #\kind
	bl	do_bad_exception
	b	halt_loop
.endm

/* Spectre-v2/BHB (spectre.c): this CPU's work at every exit from a guest,
 * before any indirect branch. After save_frame: it may change x0-x17. */
.macro spectre_exit
	mrs	x1, tpidr_el2
	adr_l	x0, spectre_exit_work
	ldr	w0, [x0, x1, lsl #2]
	cbz	w0, 9f
	bl	spectre_exit_run
9:
.endm

/* An SError while a guest ran (serror.c): forwarded to that guest. */
.macro guest_serror_entry
	.balign 128
	save_frame
	spectre_exit
	b	guest_serror
.endm

/* An exception from a guest that only the guest can have caused: crash
 * its domain and go on with another vCPU. */
.macro guest_bad_entry kind
	.balign 128
	save_frame
	spectre_exit
	mov	x0, sp
	mov	x1, #\kind
	bl	do_guest_bad_exception
	b	return_to_guest
.endm

	.section .text.entry, "ax"
	.balign 2048
	.globl hyp_vectors
hyp_vectors:
	bad_entry 0	/* current EL, SP0: sync */
	bad_entry 1	/* irq */
	bad_entry 2	/* fiq */
	bad_entry 3	/* serror */

	.balign 128	/* current EL, SPx: sync */
	b	hyp_sync
	.balign 128	/* irq */
	b	hyp_irq
	bad_entry 6	/* fiq */
	.balign 128	/* serror */
	b	hyp_serror

	.balign 128	/* lower EL, AArch64: sync */
	b	guest_sync
	.balign 128	/* irq */
	b	guest_irq
	guest_bad_entry 10	/* fiq */
	guest_serror_entry	/* serror */

	.balign 128	/* lower EL, AArch32 (EL0 of a guest): sync */
	b	guest_sync
	.balign 128	/* irq */
	b	guest_irq
	guest_bad_entry 14	/* fiq */
	guest_serror_entry	/* serror */

hyp_sync:
	save_frame
	mov	x0, sp
	bl	do_hyp_sync
	restore_frame_and_eret

hyp_irq:
	save_frame
	mov	x0, sp
	bl	do_irq
	restore_frame_and_eret

hyp_serror:
	save_frame
	mov	x0, sp
	bl	do_hyp_serror
	restore_frame_and_eret

guest_sync:
	save_frame
	spectre_exit
	bl	check_guest_serror
	cbnz	x0, guest_serror
	mov	x0, sp
	bl	guest_sync_entry
	b	return_to_guest

guest_irq:
	save_frame
	spectre_exit
	bl	check_guest_serror
	cbnz	x0, guest_serror
	mov	x0, sp
	bl	guest_irq_entry
	b	return_to_guest

/* The guest caused an SError: it gets it instead of what made it exit (an
 * interrupt stays pending, a trapped instruction runs again). */
guest_serror:
	mov	x0, sp
	bl	do_guest_serror

/* Leave to the guest whose frame is at sp (possibly after switching to
 * another vCPU's stack in the scheduler). */
	.globl return_to_guest
return_to_guest:
	msr	daifset, #2
	bl	leave_hypervisor_to_guest
	bl	sync_hyp_serror
	restore_frame_and_eret

/*
 * serrors=diverse (serror.c): on exit from a guest, take an SError it left
 * pending now, with everything it did synchronised, so that it is charged
 * to it. SErrors are unmasked for one instruction; one taken there sets
 * ELR_EL2 to the window (do_hyp_serror returns), and x0 = 1 tells the
 * caller. Uses x0 and x1 only.
 */
check_guest_serror:
	adr_l	x0, serrors_diverse
	ldrb	w0, [x0]
	cbz	w0, 1f
	mrs	x0, elr_el2
	dsb	sy
	msr	daifclr, #4
	.globl serror_window_start
serror_window_start:
	isb
	.globl serror_window_end
serror_window_end:
	msr	daifset, #4
	mrs	x1, elr_el2
	cmp	x0, x1
	cset	x0, ne
1:	ret

/* w0 = spectre_exit_work[cpu], not 0 (enum spectre_exit_kind). The loop
 * and CLRBHB are Arm's BHB sequences; the firmware calls its SMCCC
 * workaround through the PSCI conduit (SMC). */
spectre_exit_run:
	and	w1, w0, #0xff
	cmp	w1, #1			/* SPECTRE_EXIT_LOOP */
	b.ne	2f
	lsr	w0, w0, #8
1:	b	. + 4
	subs	w0, w0, #1
	b.ne	1b
	dsb	nsh
	isb
	ret
2:	cmp	w1, #2			/* SPECTRE_EXIT_CLRBHB */
	b.ne	3f
	hint	#22			/* clrbhb */
	isb
	ret
3:	cmp	w1, #3			/* SPECTRE_EXIT_FW_WA1 */
	mov	w0, #0x8000
	movk	w0, #0x8000, lsl #16	/* ARCH_WORKAROUND_1 */
	b.eq	4f
	mov	w0, #0x3fff
	movk	w0, #0x8000, lsl #16	/* ARCH_WORKAROUND_3 */
4:	smc	#0
	ret

/* The same before returning to a guest: an SError pending now is the
 * hypervisor's, and do_hyp_serror stops the machine. */
sync_hyp_serror:
	adr_l	x0, serrors_diverse
	ldrb	w0, [x0]
	cbz	w0, 1f
	dsb	sy
	msr	daifclr, #4
	isb
	msr	daifset, #4
1:	ret
