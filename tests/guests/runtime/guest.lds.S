/*
 * Guest test image layout. Linked at 0 as a position-independent
 * executable; head.S applies the relocations for the load address.
 * Everything up to _end (including BSS, page table and stacks) is counted
 * in the Image header's image_size, so the loader keeps it free.
 * Preprocessed with cpp (for config.h).
 */
#include <xtf/config.h>
OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
ENTRY(_start)

SECTIONS
{
	. = 0;
	_start_image = .;
	.text : {
		KEEP(*(.text.head))
		*(.text.vectors)
		*(.text .text.*)
	}
	. = ALIGN(16);
	.rodata : { *(.rodata .rodata.*) }
	. = ALIGN(8);
	.data.rel.ro : { *(.data.rel.ro .data.rel.ro.*) }
	.got : { *(.got) *(.got.plt) }
	.data : { *(.data .data.*) }
	. = ALIGN(8);
	.rela.dyn : {
		__rela_start = .;
		*(.rela .rela.*)
		__rela_end = .;
	}
	.dynamic : { *(.dynamic) }
	.dynsym : { *(.dynsym) }
	.dynstr : { *(.dynstr) }
	.hash : { *(.hash) }
	.gnu.hash : { *(.gnu.hash) }
	. = ALIGN(16);
	_edata = .;
	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.*) *(COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}
	.pgtables (NOLOAD) : ALIGN(4096) { *(.pgtables) }
	.stacks (NOLOAD) : ALIGN(4096) {
		__stacks_start = .;
		. += MAX_CPUS * STACK_SIZE;
		__stacks_end = .;
	}
	. = ALIGN(4096);
	_end = .;

	/DISCARD/ : {
		*(.interp) *(.note.*) *(.comment) *(.eh_frame*)
	}
}

/* For the Image header (a 32-bit field is enough). */
_image_size = _end - _start_image;
