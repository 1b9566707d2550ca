/*
 * A 4 KiB prefix for a guest image: the domain's first instruction reads
 * CNTPCT_EL0 (the physical count, which starts at 0 at reset on both
 * hypervisors) and stores it at PREFIX_STAMP, then the runtime image that
 * follows is entered exactly as if it had been loaded on its own.
 *
 * The runtime's head.S relocates itself relative to its own _start, which
 * is at load address + 4 KiB here: nothing in it needs to change. x0 (the
 * device tree) is passed through; x9 and x10 are scratch at entry.
 *
 * The stamp is written with the MMU off (a non-cacheable store), then any
 * stale line for it is invalidated, so the runtime reads the stored value
 * once its caches are on. bench.h: bench_boot_stamp() reads it back.
 *
 * Built with -DPAYLOAD="<runtime image>" -DPAYLOAD_IMAGE_SIZE=<its
 * image_size>; only the .prefix section is kept (objcopy -j .prefix).
 */

#define PREFIX_SIZE 0x1000
#define PREFIX_STAMP 0x800

	.section .prefix, "ax"
prefix_start:
	b	stamp_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset */
	.quad	PREFIX_SIZE + PAYLOAD_IMAGE_SIZE /* image_size */
	.quad	0xa				/* LE, 4 KiB pages, anywhere */
	.quad	0				/* res2 */
	.quad	0				/* res3 */
	.quad	0				/* res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

stamp_entry:
	mrs	x9, cntpct_el0
	adr	x10, stamp
	str	x9, [x10]
	dc	ivac, x10
	dsb	sy
	b	payload

	.org	PREFIX_STAMP
stamp:
	.quad	0

	.org	PREFIX_SIZE
payload:
	.incbin	PAYLOAD
