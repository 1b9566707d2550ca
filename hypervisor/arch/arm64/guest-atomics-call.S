/*
 * The call from a guest atomic's inline fast path to its slow path
 * (asm/guest-atomics.h): guest_atomic_slow(x0..x4) with every register
 * but x0, x16, x17 and x30 kept, so that the fast path of the caller
 * holds its values in caller-saved registers across it and saves no
 * callee-saved ones (as Linux's out-of-line LL/SC calls did).
 */
	.text

	.globl guest_atomic_slow_call
	.type guest_atomic_slow_call, %function
guest_atomic_slow_call:
	stp	x29, x30, [sp, #-144]!
	mov	x29, sp
	stp	x1, x2, [sp, #16]
	stp	x3, x4, [sp, #32]
	stp	x5, x6, [sp, #48]
	stp	x7, x8, [sp, #64]
	stp	x9, x10, [sp, #80]
	stp	x11, x12, [sp, #96]
	stp	x13, x14, [sp, #112]
	stp	x15, x18, [sp, #128]
	bl	guest_atomic_slow
	ldp	x1, x2, [sp, #16]
	ldp	x3, x4, [sp, #32]
	ldp	x5, x6, [sp, #48]
	ldp	x7, x8, [sp, #64]
	ldp	x9, x10, [sp, #80]
	ldp	x11, x12, [sp, #96]
	ldp	x13, x14, [sp, #112]
	ldp	x15, x18, [sp, #128]
	ldp	x29, x30, [sp], #144
	ret
	.size guest_atomic_slow_call, . - guest_atomic_slow_call
