/*
 * Exceptions taken at EL2 that the hypervisor does not expect: report
 * everything useful, then halt.
 */
#include <hv/irq.h>
#include <hv/keyhandler.h>
#include <hv/panic.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/smp.h>

#include <asm/esr.h>
#include <asm/regs.h>
#include <asm/symbols.h>
#include <asm/sysregs.h>
#include <asm/vcpu.h>

static const char *const exc_names[] = {
	"synchronous (EL2, SP0)",
	"IRQ (EL2, SP0)",
	"FIQ (EL2, SP0)",
	"SError (EL2, SP0)",
	"synchronous (EL2)",
	"IRQ (EL2)",
	"FIQ (EL2)",
	"SError (EL2)",
	"synchronous (lower EL, AArch64)",
	"IRQ (lower EL, AArch64)",
	"FIQ (lower EL, AArch64)",
	"SError (lower EL, AArch64)",
	"synchronous (lower EL, AArch32)",
	"IRQ (lower EL, AArch32)",
	"FIQ (lower EL, AArch32)",
	"SError (lower EL, AArch32)",
};

static void dump_regs(const struct cpu_regs *regs)
{
	unsigned int i;

	printk(XENLOG_ERR "ESR_EL2: 0x%016lx (EC 0x%02x)  FAR_EL2: 0x%016lx\n",
	       (unsigned long)regs->esr, esr_ec(regs->esr),
	       (unsigned long)regs->far);
	printk(XENLOG_ERR "ELR_EL2: 0x%016lx  SPSR_EL2: 0x%016lx\n",
	       (unsigned long)regs->elr, (unsigned long)regs->spsr);
	printk(XENLOG_ERR "PC is at ");
	symbols_print(regs->elr);
	printk("\n");
	for (i = 0; i < 30U; i += 2U) {
		printk(XENLOG_ERR "x%-2u: 0x%016lx  x%-2u: 0x%016lx\n", i,
		       (unsigned long)regs->x[i], i + 1U,
		       (unsigned long)regs->x[i + 1U]);
	}
	printk(XENLOG_ERR "x30: 0x%016lx  sp : 0x%016lx\n",
	       (unsigned long)regs->x[30], (unsigned long)regs->sp);
}

void do_bad_exception(struct cpu_regs *regs, unsigned int kind)
{
	(void)arch_irq_save();
	printk(XENLOG_ERR "Unexpected exception on CPU%u: %s\n",
	       smp_processor_id(),
	       (kind < ARRAY_SIZE(exc_names)) ? exc_names[kind] : "?");
	dump_regs(regs);
	backtrace_from(regs->x[29], regs->elr);
	arch_halt();
}

void do_guest_bad_exception(struct cpu_regs *regs, unsigned int kind)
{
	struct vcpu *v = current_vcpu();

	vgic_sync_lrs(v);
	printk(XENLOG_ERR "d%uv%u: %s at PC 0x%lx (ESR 0x%lx)\n",
	       v->domain->domain_id, v->vcpu_id,
	       (kind < ARRAY_SIZE(exc_names)) ? exc_names[kind] : "?",
	       (unsigned long)regs->elr, (unsigned long)regs->esr);
	domain_crash(v->domain, "unexpected exception from the guest");
}

void do_hyp_sync(struct cpu_regs *regs)
{
	do_bad_exception(regs, 4U);
}

void arch_trigger_crash(void)
{
	__asm__ volatile("udf #0" : : : "memory");
}
