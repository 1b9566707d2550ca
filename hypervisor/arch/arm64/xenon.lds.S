/*
 * Link map of the hypervisor image. The image is position independent:
 * head.S applies the R_AARCH64_RELATIVE relocations for the address it was
 * loaded at, so LINK_BASE only sets where gdb expects the symbols (QEMU
 * loads an Image with text_offset 0 at RAM base + 2 MiB = 0x40200000).
 */
OUTPUT_ARCH(aarch64)
ENTRY(_start)

SECTIONS
{
	. = LINK_BASE;
	_start = .;
	.text : {
		KEEP(*(.text.head))
		*(.text.entry)
		*(.text .text.*)
	}
	/* W^X (arch/arm64/mm.c): text, read-only data and writable data each
	 * start on a page of their own. */
	. = ALIGN(4096);
	_etext = .;
	.rodata : {
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__start_hv_params = .;
		KEEP(*(hv_params))
		__stop_hv_params = .;
		__start_hv_keyhandlers = .;
		KEEP(*(hv_keyhandlers))
		__stop_hv_keyhandlers = .;
	}
	. = ALIGN(8);
	.rela.dyn : {
		__rela_start = .;
		*(.rela .rela.*)
		__rela_end = .;
	}
	.data.rel.ro : { *(.data.rel.ro .data.rel.ro.*) }
	.got : { *(.got .got.*) }
	.dynamic : { *(.dynamic) }
	. = ALIGN(4096);
	_sdata = .;
	.data : {
		*(.data .data.*)
	}
	/* The symbol table for backtraces stays after everything the code
	 * refers to by address, so filling it in does not move other code. */
	. = ALIGN(8);
	.symbols : {
		KEEP(*(.symbols))
	}
	. = ALIGN(4096);
	_image_end = .;
	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}
	. = ALIGN(4096);
	_end = .;
	_image_size = _end - _start;

	/DISCARD/ : {
		*(.interp .dynsym .dynstr .hash .gnu.hash .note.* .comment)
		*(.eh_frame*)
		*(.discard.host_test) /* __host_test_only */
	}
}
