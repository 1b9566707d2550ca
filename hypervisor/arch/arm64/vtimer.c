/*
 * Virtual timer. While a vCPU runs, its CNTV is live and the physical
 * virtual-timer PPI (27) traps to EL2: the hypervisor masks the timer and
 * injects the virtual PPI, as Xen does. While the vCPU is off the CPU, a
 * hypervisor timer at the guest's deadline injects it and wakes the vCPU.
 */
#include <hv/irq.h>
#include <hv/panic.h>
#include <hv/sched.h>
#include <hv/time.h>

#include <asm/sysregs.h>
#include <asm/vcpu.h>
#include <asm/vtimer.h>

#define CNTV_CTL_ENABLE (1U << 0)
#define CNTV_CTL_IMASK (1U << 1)

static void vtimer_expired(void *data)
{
	struct vcpu *v = data;

	v->arch.vtimer.ctl |= CNTV_CTL_IMASK;
	vgic_inject_irq(v->domain, v, VTIMER_PPI);
}

void vtimer_vcpu_init(struct vcpu *v)
{
	timer_init(&v->arch.vtimer.wake, vtimer_expired, v, v->processor);
}

void vtimer_save(struct vcpu *v)
{
	struct vtimer *t = &v->arch.vtimer;
	uint64_t cval_host;

	t->ctl = READ_SYSREG(cntv_ctl_el0);
	t->cval = READ_SYSREG(cntv_cval_el0);
	WRITE_SYSREG(cntv_ctl_el0, 0U);
	isb();
	if ((t->ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) == CNTV_CTL_ENABLE) {
		/* The guest's compare value is in its virtual count. */
		cval_host = t->cval + v->domain->arch.cntvoff;
		timer_set(&t->wake, time_ticks_to_ns(cval_host));
	}
}

void vtimer_restore(struct vcpu *v)
{
	struct vtimer *t = &v->arch.vtimer;

	timer_stop(&t->wake);
	WRITE_SYSREG(cntv_cval_el0, t->cval);
	WRITE_SYSREG(cntv_ctl_el0, t->ctl);
}

static void vtimer_interrupt(unsigned int irq, void *data)
{
	struct vcpu *v = current_vcpu();
	uint64_t ctl = READ_SYSREG(cntv_ctl_el0);

	(void)irq;
	(void)data;
	WRITE_SYSREG(cntv_ctl_el0, ctl | CNTV_CTL_IMASK);
	isb();
	if (!v->is_idle) {
		vgic_inject_irq(v->domain, v, VTIMER_PPI);
	}
}

void vtimer_init_cpu(void)
{
	WRITE_SYSREG(cntv_ctl_el0, 0U);
	BUG_ON(irq_request(VTIMER_PPI, vtimer_interrupt, NULL) != 0);
}
