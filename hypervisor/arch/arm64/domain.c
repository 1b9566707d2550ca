/*
 * arm64 domain set-up: stage-2 memory, virtual devices, and the copy of
 * boot images into guest memory.
 */
#include <hv/control.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/page-alloc.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/time.h>

#include <xen/arch-arm.h>

#include <asm/domain-build.h>
#include <asm/psci.h>
#include <asm/vcpu.h>
#include <asm/vpl011.h>

/* The event-channel PPI of dom0: the first PPI QEMU's virt machine leaves
 * free (Xen 4.17 picks the same). */
#define DOM0_EVTCHN_PPI 16U

/* SPIs each guest's distributor offers (INTIDs 32-63): the vpl011 and
 * virtio-mmio lines of Xen's guest layout fit. */
#define GUEST_NR_SPIS 32U

/* Default p2m pool: the root, one table per GiB of RAM and per 16 MiB
 * of RAM for unaligned edges, and room for device mappings. */
static uint64_t default_p2m_pages(uint64_t ram)
{
	return 16U + (2U * (ram >> 30)) + (ram >> 24);
}

static unsigned int largest_order(paddr_t ipa, uint64_t size)
{
	unsigned int order = MAX_ORDER;

	while ((order > 0U) && (((PAGE_SIZE << order) > size) ||
				((ipa & ((PAGE_SIZE << order) - 1U)) != 0U))) {
		order--;
	}
	return order;
}

/* Back [ipa, ipa + size) with RAM in the largest blocks available. */
static int populate(struct domain *d, paddr_t ipa, uint64_t size)
{
	unsigned int order;
	paddr_t pa;
	int err;

	while (size > 0U) {
		order = largest_order(ipa, size);
		pa = domain_alloc_pages(d, order, false);
		while ((pa == INVALID_PADDR) && (order > 0U)) {
			order--;
			pa = domain_alloc_pages(d, order, false);
		}
		if (pa == INVALID_PADDR) {
			return -ENOMEM;
		}
		err = p2m_map(&d->arch.p2m, ipa, pa, PAGE_SIZE << order,
			      P2M_RAM);
		if (err != 0) {
			domain_put_pages(pa, 1ULL << order);
			return err;
		}
		ipa += PAGE_SIZE << order;
		size -= PAGE_SIZE << order;
	}
	return 0;
}

static int create_memory(struct domain *d, uint64_t ram)
{
	int err;

	d->arch.ram_size[0] = MIN(ram, (uint64_t)GUEST_RAM0_SIZE);
	d->arch.ram_size[1] = ram - d->arch.ram_size[0];
	err = populate(d, GUEST_RAM0_BASE, d->arch.ram_size[0]);
	if ((err == 0) && (d->arch.ram_size[1] != 0U)) {
		err = populate(d, GUEST_RAM1_BASE, d->arch.ram_size[1]);
	}
	return err;
}

/* VMIDs are 8 bits and domain IDs 15: each domain takes the lowest free
 * VMID (0 is never used, so that a stale VTTBR matches no domain). */
#define NR_VMIDS 256U
static uint64_t vmid_used[NR_VMIDS / 64U] = {1U};
static spinlock_t vmid_lock = SPINLOCK_INIT;

static uint16_t vmid_alloc(void)
{
	uint16_t vmid = 0;
	unsigned int i;

	spin_lock(&vmid_lock);
	for (i = 1; (i < NR_VMIDS) && (vmid == 0U); i++) {
		if ((vmid_used[i / 64U] & (1ULL << (i % 64U))) == 0U) {
			vmid_used[i / 64U] |= 1ULL << (i % 64U);
			vmid = (uint16_t)i;
		}
	}
	spin_unlock(&vmid_lock);
	return vmid;
}

static void vmid_free(uint16_t vmid)
{
	spin_lock(&vmid_lock);
	vmid_used[vmid / 64U] &= ~(1ULL << (vmid % 64U));
	spin_unlock(&vmid_lock);
}

int arch_domain_create(struct domain *d, const struct domain_config *cfg)
{
	uint64_t pool = (cfg->p2m_pages != 0U)
				? cfg->p2m_pages
				: default_p2m_pages(cfg->ram_bytes);
	uint16_t vmid = vmid_alloc();
	int err;

	if (vmid == 0U) {
		return -ENOSPC; /* more domains than VMIDs */
	}
	err = p2m_init(&d->arch.p2m, vmid, pool);
	if (err != 0) {
		vmid_free(vmid);
		d->arch.p2m.vmid = 0;
		return err;
	}
	if ((err == 0) && !cfg->direct_map) {
		err = create_memory(d, ALIGN_UP(cfg->ram_bytes, PAGE_SIZE));
	}
	if (err == 0) {
		d->arch.gicd_base = cfg->direct_map ? cfg->arch.host_gicd
						    : GUEST_GICV3_GICD_BASE;
		d->arch.gicr_base = cfg->direct_map ? cfg->arch.host_gicr
						    : GUEST_GICV3_GICR0_BASE;
		d->arch.evtchn_ppi = cfg->direct_map ? DOM0_EVTCHN_PPI
						     : GUEST_EVTCHN_PPI;
		err = vgic_domain_init(d, cfg->direct_map ? cfg->arch.nr_spis
							  : GUEST_NR_SPIS);
	}
	if (err == 0) {
		err = vgic_register_mmio(d);
	}
	if ((err == 0) && cfg->arch.vpl011) {
		err = vpl011_init(d);
	}
	d->arch.cntvoff = arch_counter_read();
	return err;
}

void arch_domain_stop(struct domain *d)
{
	(void)d;
}

/* Pages of RAM whose allocation references one relinquish step drops. */
#define RELINQUISH_STEP_PAGES (1ULL << PAGE_ORDER_1G)

static void put_ram(paddr_t pa, uint64_t pages, void *data)
{
	(void)data;
	domain_put_pages(pa, pages);
}

int arch_domain_relinquish_memory(struct domain *d)
{
	if (d->arch.p2m.root == 0U) {
		return 0; /* p2m_init() failed */
	}
	return p2m_relinquish(&d->arch.p2m, RELINQUISH_STEP_PAGES, put_ram,
			      NULL);
}

void arch_domain_destroy(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		if (d->vcpus[i] != NULL) {
			arch_vcpu_destroy(d->vcpus[i]);
		}
	}
	vpl011_destroy(d);
	vgic_domain_destroy(d);
	if (d->arch.p2m.vmid != 0U) {
		p2m_destroy(&d->arch.p2m); /* flushes the VMID's TLB entries */
		vmid_free(d->arch.p2m.vmid);
		d->arch.p2m.vmid = 0;
	}
}

int arch_set_paging_pool(struct domain *d, uint64_t pages)
{
	return p2m_set_pool(&d->arch.p2m, pages);
}

uint64_t arch_paging_pool(const struct domain *d)
{
	return d->arch.p2m.pool_pages;
}

void arch_domain_console_input(struct domain *d, char c)
{
	if (d->arch.vpl011 != NULL) {
		vpl011_rx_char(d, c);
	} else {
		guest_console_input(d, c); /* dom0's hvc0, by console_io */
	}
}

int copy_to_guest_phys(struct domain *d, paddr_t ipa, const void *src,
		       uint64_t len)
{
	const uint8_t *p = src;
	uint64_t chunk;
	paddr_t pa;

	while (len > 0U) {
		chunk = MIN(len, PAGE_SIZE - (ipa & (PAGE_SIZE - 1U)));
		pa = p2m_lookup(&d->arch.p2m, ipa);
		if (pa == INVALID_PADDR) {
			return -EFAULT;
		}
		memcpy(maddr_to_virt(pa), p, chunk);
		p += chunk;
		ipa += chunk;
		len -= chunk;
	}
	return 0;
}

void arch_machine_shutdown(bool reboot)
{
	if (reboot) {
		psci_system_reset();
	}
	psci_system_off();
}

int64_t arch_domain_config(struct xen_arch_domainconfig *a)
{
	if ((a->gic_version != XEN_DOMCTL_CONFIG_GIC_NATIVE) &&
	    (a->gic_version != XEN_DOMCTL_CONFIG_GIC_V3)) {
		return -EOPNOTSUPP; /* the host's GICv3 only */
	}
	if (a->tee_type != XEN_DOMCTL_CONFIG_TEE_NONE) {
		return -EINVAL;
	}
	a->gic_version = XEN_DOMCTL_CONFIG_GIC_V3;
	a->clock_frequency = 0; /* none in the host's device tree */
	return 0;
}

void arch_domaininfo(const struct domain *d,
		     struct xen_domctl_getdomaininfo *info)
{
	(void)d;
	info->gpaddr_bits = (uint8_t)p2m_ipa_bits();
	info->arch_config.gic_version = XEN_DOMCTL_CONFIG_GIC_V3;
}
