/*
 * EL2 exception vectors. Each entry saves a struct cpu_regs frame on the
 * current stack and calls a C handler; returns end in eret followed by a
 * speculation barrier.
 */
#include <asm/asm-macros.h>
#include <asm/regs.h>

.macro save_gprs
	stp	x0, x1, [sp, #-FRAME_SIZE]!
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
.endm

.macro save_frame
	save_gprs
	add	x0, sp, #FRAME_SIZE
	stp	x30, x0, [sp, #FRAME_X30]
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x0, x1, [sp, #FRAME_ELR]
	mrs	x0, esr_el2
	mrs	x1, far_el2
	stp	x0, x1, [sp, #FRAME_ESR]
.endm

/* A guest's frame: its stack pointer is in SP_EL1, not here, and FAR is
 * read by the C code of the exits that need it (aborts). */
.macro save_guest_frame
	save_gprs
	str	x30, [sp, #FRAME_X30]
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x0, x1, [sp, #FRAME_ELR]
	mrs	x0, esr_el2
	str	x0, [sp, #FRAME_ESR]
.endm

.macro restore_frame_and_eret
	ldp	x0, x1, [sp, #FRAME_ELR]
	msr	elr_el2, x0
	msr	spsr_el2, x1
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
	ldp	x0, x1, [sp], #FRAME_SIZE
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

/*
 * An exit from a guest: to target, first through this CPU's Spectre-v2/BHB
 * work in the hardened table (spectre.c installs it on the CPUs that need
 * it, so the others pay nothing). The guest's registers are all live here:
 * x0-x3 and x30 are kept on the stack around the work (SMCCC 1.1 firmware
 * calls keep x4-x17).
 */
.macro lower_entry target, hardened
	.balign 128
	.if \hardened
	sub	sp, sp, #48
	stp	x0, x1, [sp]
	stp	x2, x3, [sp, #16]
	str	x30, [sp, #32]
	bl	spectre_exit_this_cpu
	ldp	x2, x3, [sp, #16]
	ldr	x30, [sp, #32]
	ldp	x0, x1, [sp], #48
	.endif
	b	\target
.endm

.macro vector_table hardened
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

	/* lower EL, AArch64 */
	lower_entry guest_sync, \hardened
	lower_entry guest_irq, \hardened
	lower_entry guest_fiq64, \hardened
	lower_entry guest_serror_vector, \hardened

	/* lower EL, AArch32 (EL0 of a guest) */
	lower_entry guest_sync, \hardened
	lower_entry guest_irq, \hardened
	lower_entry guest_fiq32, \hardened
	lower_entry guest_serror_vector, \hardened
.endm

/*
 * serrors=diverse (serror.c): on exit from a guest, take an SError the guest
 * left pending now, with everything it did synchronised, so that it is
 * charged to it. SErrors are unmasked for one instruction; do_hyp_serror
 * knows the window by its labels and returns to guest_serror instead.
 * Inline on the two hot exits, each window with labels of its own.
 */
.macro serror_window name
	dsb	sy
	msr	daifclr, #4
	.globl serror_window_\name\()_start
serror_window_\name\()_start:
	isb
	.globl serror_window_\name\()_end
serror_window_\name\()_end:
	msr	daifset, #4
.endm

	.section .text.entry, "ax"
	.balign 2048
	.globl hyp_vectors
hyp_vectors:
	vector_table 0

	.balign 2048
	.globl hyp_vectors_spectre
hyp_vectors_spectre:
	vector_table 1

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

/* The list registers stay loaded over an interrupt (vgic.c). */
guest_irq:
	save_guest_frame
	serror_window irq
	mov	x0, sp
	bl	do_irq
	b	return_to_guest

/* FIQs are not used: only the guest can have caused one. */
guest_fiq64:
	save_guest_frame
	mov	x0, sp
	mov	x1, #10
	bl	do_guest_bad_exception
	b	return_to_guest

guest_fiq32:
	save_guest_frame
	mov	x0, sp
	mov	x1, #14
	bl	do_guest_bad_exception
	b	return_to_guest

/* An SError taken while the guest ran. */
guest_serror_vector:
	save_guest_frame

/* The guest caused an SError: it gets it instead of what made it exit (an
 * interrupt stays pending, a trapped instruction runs again). Also where
 * an SError taken in serror_window returns to, with sp at the guest's
 * frame. */
	.globl guest_serror
guest_serror:
	mov	x0, sp
	bl	do_guest_serror
	b	return_to_guest

/* The commonest exit (hypercalls) falls through to the return. */
guest_sync:
	save_guest_frame
	serror_window sync
	ldr	x0, [sp, #FRAME_VCPU]
	mov	x1, sp
	bl	guest_sync_entry

/* Leave to the guest whose frame is at sp (possibly after switching to
 * another vCPU's stack in the scheduler). IRQs are masked here: the
 * exception entry masked them and nothing unmasks them on a vCPU's stack
 * (only the idle loop, on its CPU's boot stack, runs with them unmasked;
 * a switch to a vCPU happens inside the scheduler, with them masked). */
	.globl return_to_guest
return_to_guest:
	ldr	x0, [sp, #FRAME_VCPU]
	bl	leave_hypervisor_to_guest
	/* An SError pending now is the hypervisor's: do_hyp_serror stops
	 * the machine (serrors=diverse, as Xen's SYNCHRONIZE_SERROR). */
	dsb	sy
	msr	daifclr, #4
	isb
	msr	daifset, #4
	restore_frame_and_eret

/* This CPU's spectre_exit_work (not 0 where the hardened table is in use;
 * enum spectre_exit_kind). The loop and CLRBHB are Arm's BHB sequences; the
 * firmware's SMCCC workaround is called by SMC. Uses x0-x3. */
spectre_exit_this_cpu:
	mrs	x1, tpidr_el2
	adr_l	x0, spectre_exit_work
	ldr	w0, [x0, x1, lsl #2]
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
