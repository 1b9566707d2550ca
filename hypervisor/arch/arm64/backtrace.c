/*
 * Frame-pointer backtraces with symbol names.
 */
#include <hv/panic.h>
#include <hv/printk.h>

#include <asm/cpu.h>
#include <asm/symbols.h>

#define MAX_FRAMES 32U

/* Generated table: offsets from _start, sorted, with name offsets. */
extern const uint32_t symbols_count;
extern const uint32_t symbols_offsets[];
extern const uint32_t symbols_name_offsets[];
extern const char symbols_names[];
extern char _start[];
extern char _etext[];
extern char cpu_stacks[];

/* Index of the last symbol at or below off, or -1. */
static int symbol_index(uint64_t off)
{
	uint32_t lo = 0;
	uint32_t hi = symbols_count;
	uint32_t mid;

	if ((hi == 0U) || (off < symbols_offsets[0])) {
		return -1;
	}
	while ((hi - lo) > 1U) {
		mid = lo + ((hi - lo) / 2U);
		if (symbols_offsets[mid] <= off) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	return (int)lo;
}

void symbols_print(uint64_t pc)
{
	uint64_t base = (uint64_t)(uintptr_t)_start;
	int i = -1;

	if ((pc >= base) && (pc < (uint64_t)(uintptr_t)_etext)) {
		i = symbol_index(pc - base);
	}
	if (i < 0) {
		printk("0x%016lx", (unsigned long)pc);
		return;
	}
	printk("0x%016lx <%s+0x%lx>", (unsigned long)pc,
	       &symbols_names[symbols_name_offsets[i]],
	       (unsigned long)(pc - base - symbols_offsets[i]));
}

/* A frame record must lie inside the hypervisor stacks and be aligned. */
static bool frame_ok(uint64_t fp)
{
	uint64_t lo = (uint64_t)(uintptr_t)cpu_stacks;
	uint64_t hi = lo + ((uint64_t)STACK_SIZE * (uint64_t)NR_CPUS);

	return ((fp & 0xfU) == 0U) && (fp >= lo) && ((fp + 16U) <= hi);
}

void backtrace_from(uint64_t fp, uint64_t pc)
{
	const uint64_t *frame;
	unsigned int n;

	printk(XENLOG_ERR "Backtrace:\n");
	printk(XENLOG_ERR "  ");
	symbols_print(pc);
	printk("\n");
	for (n = 0; (n < MAX_FRAMES) && frame_ok(fp); n++) {
		frame = (const uint64_t *)(uintptr_t)fp;
		if (frame[1] == 0U) {
			break;
		}
		printk(XENLOG_ERR "  ");
		symbols_print(frame[1]);
		printk("\n");
		if (frame[0] <= fp) {
			break; /* frames must move up the stack */
		}
		fp = frame[0];
	}
}

void arch_dump_backtrace(void)
{
	backtrace_from((uint64_t)(uintptr_t)__builtin_frame_address(0),
		       (uint64_t)(uintptr_t)&arch_dump_backtrace);
}
