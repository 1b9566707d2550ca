/*
 * Host stand-ins for the domain, scheduler and guest-memory arch hooks.
 * Guest RAM is a host buffer; guest virtual addresses equal guest
 * physical ones (as with the guest MMU off).
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest-copy.h>
#include <hv/page-alloc.h>
#include <hv/sched.h>

/* The vCPU the fake guest-copy hooks act for. */
struct vcpu *fake_current_guest;
unsigned int fake_resched_ipis;

int arch_domain_create(struct domain *d, const struct domain_config *cfg)
{
	/* From the hypervisor's own heap, so tests leak nothing. */
	d->arch.ram = xzalloc(cfg->ram_bytes);
	d->arch.ram_size = cfg->ram_bytes;
	return (d->arch.ram != NULL) ? 0 : -ENOMEM;
}

int arch_vcpu_create(struct vcpu *v)
{
	(void)v;
	return 0;
}

void arch_domain_stop(struct domain *d)
{
	(void)d;
}

void arch_domain_console_input(struct domain *d, char c)
{
	d->arch.last_input = c;
}

void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
	(void)prev;
	next->arch.switched_in++;
}

void arch_send_resched_ipi(unsigned int cpu)
{
	(void)cpu;
	fake_resched_ipis++;
}

bool arch_vcpu_has_work(struct vcpu *v)
{
	return v->arch.has_work;
}

paddr_t arch_guest_va_to_ipa(uint64_t gva, bool write)
{
	(void)write;
	return gva;
}

paddr_t arch_guest_ipa_to_ram(paddr_t ipa)
{
	struct domain *d = fake_current_guest->domain;

	if (ipa >= d->arch.ram_size) {
		return INVALID_PADDR;
	}
	return virt_to_maddr(&d->arch.ram[ipa]);
}
