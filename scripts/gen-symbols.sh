#!/bin/sh
# Generate the backtrace symbol table (assembly) from a linked image.
# Usage: gen-symbols.sh NM ELF LINK_BASE > symbols.S
set -eu
nm=$1 elf=$2 base=$3
"$nm" -n "$elf" | awk -v base="$base" '
BEGIN { n = 0 }
$2 ~ /^[Tt]$/ && $3 !~ /^\$/ && $3 !~ /^\./ { addr[n] = $1; name[n] = $3; n++ }
END {
	print "\t.section .symbols, \"a\""
	print "\t.balign 4"
	print "\t.globl symbols_count"
	print "symbols_count:\n\t.long " n
	print "\t.globl symbols_offsets"
	print "symbols_offsets:"
	for (i = 0; i < n; i++) print "\t.long 0x" addr[i] " - " base
	print "\t.globl symbols_name_offsets"
	print "symbols_name_offsets:"
	off = 0
	for (i = 0; i < n; i++) { print "\t.long " off; off += length(name[i]) + 1 }
	print "\t.globl symbols_names"
	print "symbols_names:"
	for (i = 0; i < n; i++) print "\t.asciz \"" name[i] "\""
}'
