/*
 * arm64 vCPUs: creation, reset, and the context switch.
 */
#include <hv/errno.h>
#include <hv/idle.h>
#include <hv/irq.h>
#include <hv/keyhandler.h>
#include <hv/page-alloc.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/string.h>

#include <xen/arch-arm.h>

#include <asm/sysregs.h>
#include <asm/vcpu.h>
#include <asm/vsysreg.h>

/* The idle vCPUs run on the physical CPUs' boot stacks. */
static struct domain idle_domain;
static struct vcpu idle_vcpus[NR_CPUS];

int arch_vcpu_create(struct vcpu *v)
{
	paddr_t stack = alloc_pages(STACK_SHIFT - PAGE_SHIFT);

	if (stack == INVALID_PADDR) {
		return -ENOMEM;
	}
	v->arch.stack = maddr_to_virt(stack);
	v->arch.regs =
		(struct cpu_regs *)(void *)((char *)v->arch.stack + STACK_SIZE -
					    VCPU_STACK_TOP_SIZE);
	*frame_vcpu_slot(v->arch.regs) = v;
	v->arch.vmpidr = vcpu_mpidr(v->vcpu_id);
	v->arch.hcr = HCR_GUEST;
	vgic_vcpu_init(v);
	vtimer_vcpu_init(v);
	return 0;
}

void arch_vcpu_destroy(struct vcpu *v)
{
	if (v->arch.stack == NULL) {
		return; /* arch_vcpu_create() failed */
	}
	timer_stop(&v->arch.vtimer.wake);
	free_pages(virt_to_maddr(v->arch.stack), STACK_SHIFT - PAGE_SHIFT);
	v->arch.stack = NULL;
}

void arch_vcpu_enable_events(struct vcpu *v)
{
	v->arch.regs->spsr &= ~(uint64_t)PSR_IRQ_MASK;
}

bool arch_vcpu_events_due(struct vcpu *v)
{
	return ((v->arch.regs->spsr & PSR_IRQ_MASK) == 0U) &&
	       vgic_vcpu_pending(v);
}

bool arch_vcpu_on_cpu(const struct vcpu *v)
{
	return (v != NULL) && (READ_ONCE(sched_cpus[v->processor].curr) == v);
}

void vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t arg)
{
	struct cpu_regs *regs = v->arch.regs;

	memset(regs, 0, sizeof(*regs));
	memset(&v->arch.sys, 0, sizeof(v->arch.sys));
	memset(&v->arch.fp, 0, sizeof(v->arch.fp));
	regs->elr = pc;
	regs->spsr = PSR_GUEST64_INIT;
	regs->x[0] = arg;
	v->arch.sys.sctlr = SCTLR_GUEST_INIT;
	v->arch.hcr = HCR_GUEST;
	memset(&v->arch.ctx, 0, sizeof(v->arch.ctx));
	v->arch.ctx.sp = (uint64_t)(uintptr_t)regs;
	v->arch.ctx.lr = (uint64_t)(uintptr_t)vcpu_first_entry;
}

/* An AArch64 mode a guest may be in: EL1 or EL0 (Xen's
 * is_guest_pv64_psr()). */
static bool guest_psr_ok(uint64_t psr)
{
	if ((psr & PSR_MODE_BIT) != 0U) {
		return false; /* AArch32 */
	}
	switch (psr & 0xfU) {
	case PSR_MODE_EL1h:
	case PSR_MODE_EL1t:
	case PSR_MODE_EL0t:
		return true;
	default:
		return false;
	}
}

int arch_vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
	const struct vcpu_guest_core_regs *r = &c->user_regs;
	struct cpu_regs *regs = v->arch.regs;

	if (!guest_psr_ok(r->cpsr) ||
	    ((r->spsr_el1 != 0U) && !guest_psr_ok(r->spsr_el1))) {
		return -EINVAL;
	}
	vcpu_reset(v, r->pc64, r->x0);
	_Static_assert(sizeof(struct vcpu_guest_core_regs) >=
			       31U * sizeof(uint64_t),
		       "x0-x30 lead the core registers");
	memcpy(regs->x, r, sizeof(regs->x)); /* x0-x30, in order */
	regs->spsr = r->cpsr;
	v->arch.sys.spsr_el1 = r->spsr_el1;
	v->arch.sys.sp_el0 = r->sp_el0;
	v->arch.sys.sp_el1 = r->sp_el1;
	v->arch.sys.elr_el1 = r->elr_el1;
	v->arch.sys.sctlr = c->sctlr;
	v->arch.sys.tcr = c->ttbcr;
	v->arch.sys.ttbr0 = c->ttbr0;
	v->arch.sys.ttbr1 = c->ttbr1;
	return 0;
}

void arch_vcpu_moved(struct vcpu *v)
{
	vtimer_vcpu_init(v);
	vgic_vcpu_moved(v);
}

static void save_el1(struct el1_sysregs *s)
{
	s->sctlr = READ_SYSREG(sctlr_el1);
	s->ttbr0 = READ_SYSREG(ttbr0_el1);
	s->ttbr1 = READ_SYSREG(ttbr1_el1);
	s->tcr = READ_SYSREG(tcr_el1);
	s->mair = READ_SYSREG(mair_el1);
	s->amair = READ_SYSREG(amair_el1);
	s->vbar = READ_SYSREG(vbar_el1);
	s->contextidr = READ_SYSREG(contextidr_el1);
	s->tpidr_el0 = READ_SYSREG(tpidr_el0);
	s->tpidrro_el0 = READ_SYSREG(tpidrro_el0);
	s->tpidr_el1 = READ_SYSREG(tpidr_el1);
	s->sp_el0 = READ_SYSREG(sp_el0);
	s->sp_el1 = READ_SYSREG(sp_el1);
	s->elr_el1 = READ_SYSREG(elr_el1);
	s->spsr_el1 = READ_SYSREG(spsr_el1);
	s->esr = READ_SYSREG(esr_el1);
	s->far = READ_SYSREG(far_el1);
	s->afsr0 = READ_SYSREG(afsr0_el1);
	s->afsr1 = READ_SYSREG(afsr1_el1);
	s->par = READ_SYSREG(par_el1);
	s->cpacr = READ_SYSREG(cpacr_el1);
	s->cntkctl = READ_SYSREG(cntkctl_el1);
	s->csselr = READ_SYSREG(csselr_el1);
	s->mdscr = READ_SYSREG(mdscr_el1);
}

static void restore_el1(const struct el1_sysregs *s)
{
	WRITE_SYSREG(sctlr_el1, s->sctlr);
	WRITE_SYSREG(ttbr0_el1, s->ttbr0);
	WRITE_SYSREG(ttbr1_el1, s->ttbr1);
	WRITE_SYSREG(tcr_el1, s->tcr);
	WRITE_SYSREG(mair_el1, s->mair);
	WRITE_SYSREG(amair_el1, s->amair);
	WRITE_SYSREG(vbar_el1, s->vbar);
	WRITE_SYSREG(contextidr_el1, s->contextidr);
	WRITE_SYSREG(tpidr_el0, s->tpidr_el0);
	WRITE_SYSREG(tpidrro_el0, s->tpidrro_el0);
	WRITE_SYSREG(tpidr_el1, s->tpidr_el1);
	WRITE_SYSREG(sp_el0, s->sp_el0);
	WRITE_SYSREG(sp_el1, s->sp_el1);
	WRITE_SYSREG(elr_el1, s->elr_el1);
	WRITE_SYSREG(spsr_el1, s->spsr_el1);
	WRITE_SYSREG(esr_el1, s->esr);
	WRITE_SYSREG(far_el1, s->far);
	WRITE_SYSREG(afsr0_el1, s->afsr0);
	WRITE_SYSREG(afsr1_el1, s->afsr1);
	WRITE_SYSREG(par_el1, s->par);
	WRITE_SYSREG(cpacr_el1, s->cpacr);
	WRITE_SYSREG(cntkctl_el1, s->cntkctl);
	WRITE_SYSREG(csselr_el1, s->csselr);
	WRITE_SYSREG(mdscr_el1, s->mdscr);
}

static void ctxt_save(struct vcpu *v)
{
	/* The CPU clears VSE when the guest takes the SError. */
	v->arch.hcr = READ_SYSREG(hcr_el2);
	save_el1(&v->arch.sys);
	fpsimd_save(&v->arch.fp);
	vgic_save(v);
	vtimer_save(v);
}

static void ctxt_restore(struct vcpu *v)
{
	struct domain *d = v->domain;

	WRITE_SYSREG(vttbr_el2, p2m_vttbr(&d->arch.p2m));
	WRITE_SYSREG(vmpidr_el2, v->arch.vmpidr);
	WRITE_SYSREG(cntvoff_el2, d->arch.cntvoff);
	WRITE_SYSREG(hcr_el2, v->arch.hcr);
	isb();
	restore_el1(&v->arch.sys);
	fpsimd_restore(&v->arch.fp);
	vgic_restore(v);
	vtimer_restore(v);
	isb();
}

void vcpu_inject_serror(struct vcpu *v)
{
	v->arch.hcr |= HCR_VSE;
	WRITE_SYSREG(hcr_el2, v->arch.hcr);
	isb();
}

void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
	if (!prev->is_idle) {
		ctxt_save(prev);
	}
	if (!next->is_idle) {
		ctxt_restore(next);
	} else {
		WRITE_SYSREG(hcr_el2, HCR_HOST_DEFAULT);
		isb();
	}
	switch_to(&prev->arch.ctx, &next->arch.ctx);
}

bool arch_vcpu_has_work(struct vcpu *v)
{
	return vgic_vcpu_pending(v);
}

static __noinline void leave_with_work(struct vcpu *v)
{
	if (vcpu_entry_work_due(v)) {
		vcpu_entry_work_slow(v);
	}
	vgic_flush_lrs(v);
}

/* Back here, this stack's vCPU runs again, on this CPU or another. */
static __noinline void leave_after_schedule(struct vcpu *v)
{
	schedule_pending();
	leave_with_work(v);
}

/* The checks inline and the work out of line, so that a return with
 * nothing to do builds no stack frame. v owns this stack. */
void leave_hypervisor_to_guest(struct vcpu *v)
{
	bool resched = READ_ONCE(sched_cpus[smp_processor_id()].need_resched);
	bool work = vcpu_entry_work_due(v) || vgic_flush_due(v);

	if (resched) {
		leave_after_schedule(v);
	} else if (work) {
		leave_with_work(v);
	}
}

void vcpu_crash(struct vcpu *v, const char *what, uint64_t addr)
{
	struct cpu_regs *regs = v->arch.regs;

	printk(XENLOG_ERR "d%uv%u: %s at 0x%lx (ESR 0x%lx, PC 0x%lx)\n",
	       v->domain->domain_id, v->vcpu_id, what, (unsigned long)addr,
	       (unsigned long)regs->esr, (unsigned long)regs->elr);
	domain_crash(v->domain, what);
}

/* CPTR_EL2: no FP/SIMD trap (RES1 bits only). CNTHCTL_EL2: guests read
 * the physical counter but their physical timer accesses trap. */
#define CPTR_EL2_DEFAULT 0x33ffU
#define CNTHCTL_EL1PCTEN 1U

void vcpu_init_cpu(unsigned int cpu)
{
	struct vcpu *idle = &idle_vcpus[cpu];

	WRITE_SYSREG(cptr_el2, CPTR_EL2_DEFAULT);
	WRITE_SYSREG(cnthctl_el2, CNTHCTL_EL1PCTEN);
	WRITE_SYSREG(mdcr_el2, MDCR_EL2_GUEST);
	vsysreg_init_cpu();
	/* Guests see this CPU's own MIDR: the same for every vCPU. */
	WRITE_SYSREG(vpidr_el2, READ_SYSREG(midr_el1));
	isb();
	p2m_init_cpu();
	idle_domain.domain_id = DOMID_IDLE;
	idle->domain = &idle_domain;
	sched_init_cpu(cpu, idle);
}

void idle_loop(void)
{
	unsigned long flags;

	for (;;) {
		if (smp_processor_id() == 0U) {
			keyhandler_poll();
		}
		/* The idle vCPU comes back here when it is switched to again,
		 * so idle work is looked at after every switch. */
		flags = arch_irq_save();
		(void)schedule_if_needed();
		arch_irq_restore(flags);
		if (idle_work()) {
			continue;
		}
		flags = arch_irq_save();
		/* An interrupt that arrived since the checks stays pending
		 * and ends the wfi at once; work queued by this CPU itself
		 * came with need_resched. */
		if (!READ_ONCE(sched_cpus[smp_processor_id()].need_resched)) {
			wfi();
		}
		arch_irq_restore(flags);
	}
}
