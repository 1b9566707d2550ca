/*
 * What domctl and sysctl share: the information on a domain, and Xen's
 * CPU and node bitmaps in guest memory.
 */
#include <hv/control.h>
#include <hv/errno.h>
#include <hv/guest-copy.h>
#include <hv/page-alloc.h>
#include <hv/sched.h>
#include <hv/string.h>

#include <xen/sched.h>

/* The shutdown code a domain reports before it ever shut down. */
#define SHUTDOWN_CODE_NONE 0xffU

void control_domaininfo(const struct domain *d,
			struct xen_domctl_getdomaininfo *info)
{
	uint32_t flags = XEN_DOMINF_blocked;
	const struct vcpu *v;
	unsigned int code;
	unsigned int i;

	memset(info, 0, sizeof(*info));
	info->domain = d->domain_id;
	info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
	/* Blocked if every online vCPU is, running if any is. */
	for (i = 0; i < d->max_vcpus; i++) {
		v = d->vcpus[i];
		info->cpu_time += vcpu_cpu_time(v);
		info->max_vcpu_id = i;
		if (v->state != VCPU_DOWN) {
			if (v->state != VCPU_BLOCKED) {
				flags &= ~XEN_DOMINF_blocked;
			}
			if (v->state == VCPU_RUNNING) {
				flags |= XEN_DOMINF_running;
			}
			info->nr_online_vcpus++;
		}
	}
	code = d->is_shut_down ? d->shutdown_code : SHUTDOWN_CODE_NONE;
	info->flags =
		((info->nr_online_vcpus != 0U) ? flags : 0U) |
		((d->death == DOMAIN_ZOMBIE) ? XEN_DOMINF_dying : 0U) |
		(d->is_shut_down ? XEN_DOMINF_shutdown : 0U) |
		((d->pause_count != 0U) ? XEN_DOMINF_paused : 0U) |
		XEN_DOMINF_hvm_guest | XEN_DOMINF_hap |
		((code & XEN_DOMINF_shutdownmask) << XEN_DOMINF_shutdownshift);
	info->tot_pages = d->tot_pages;
	info->max_pages = d->max_pages;
	info->outstanding_pages = d->claimed_pages;
	/* On Arm, Xen reports the frame's machine number. */
	info->shared_info_frame = virt_to_maddr(d->shared_info) >> PAGE_SHIFT;
	info->cpupool = 0;
	memcpy(info->handle, d->handle, sizeof(info->handle));
	arch_domaininfo(d, info);
}

/* Bytes of a bitmap of n bits. */
static uint32_t bitmap_bytes(uint32_t n)
{
	return (n / 8U) + (((n % 8U) != 0U) ? 1U : 0U);
}

/* Xenon's masks hold one bit per possible CPU. */
#define MASK_BITS ((uint32_t)NR_CPUS)

int control_bitmap_out(const struct xenctl_bitmap *b, uint64_t mask)
{
	uint32_t guest = bitmap_bytes(b->nr_bits);
	uint32_t ours = bitmap_bytes(MASK_BITS);
	uint8_t byte;
	uint32_t i;

	if (b->nr_bits < MASK_BITS) {
		mask &= (1ULL << b->nr_bits) - 1U;
	}
	for (i = 0; i < guest; i++) {
		byte = (i < ours) ? (uint8_t)(mask >> (8U * i)) : 0U;
		if (copy_to_guest(GUEST_HANDLE_ADDR(b->bitmap) + i, &byte, 1) !=
		    0) {
			return -EFAULT;
		}
	}
	return 0;
}

int control_bitmap_in(const struct xenctl_bitmap *b, uint64_t *mask)
{
	uint32_t n = MIN(bitmap_bytes(b->nr_bits), bitmap_bytes(MASK_BITS));
	uint8_t bytes[8] = {0};
	uint32_t i;

	if ((n != 0U) &&
	    (copy_from_guest(bytes, GUEST_HANDLE_ADDR(b->bitmap), n) != 0)) {
		return -EFAULT;
	}
	*mask = 0;
	for (i = 0; i < n; i++) {
		*mask |= (uint64_t)bytes[i] << (8U * i);
	}
	if (b->nr_bits < 64U) {
		*mask &= (1ULL << b->nr_bits) - 1U;
	}
	return 0;
}

uint64_t control_online_cpus(void)
{
	uint64_t mask = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < (unsigned int)NR_CPUS; cpu++) {
		if (smp_cpu_online(cpu)) {
			mask |= 1ULL << cpu;
		}
	}
	return mask;
}
