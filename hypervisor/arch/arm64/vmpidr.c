/*
 * The MPIDR each vCPU shows its guest, both ways. On its own so that the
 * vGIC and vPSCI can find a vCPU by affinity without depending on the
 * vCPU code, which depends on them.
 */
#include <hv/domain.h>

#include <asm/cpu.h>
#include <asm/vcpu.h>

uint64_t vcpu_mpidr(unsigned int vcpu_id)
{
	return MPIDR_RES1 | ((uint64_t)(vcpu_id >> 4) << 8) | (vcpu_id & 0xfU);
}

struct vcpu *vcpu_by_mpidr(struct domain *d, uint64_t mpidr)
{
	uint64_t aff = mpidr & MPIDR_AFF_MASK;
	unsigned int id;

	if ((aff & ~0xff0fULL) != 0U) {
		return NULL;
	}
	id = (unsigned int)(((aff >> 8) & 0xffU) << 4) |
	     (unsigned int)(aff & 0xfU);
	return (id < d->max_vcpus) ? d->vcpus[id] : NULL;
}
