/*
 * The device tree dom0 boots with, made from the host's tree as Xen 4.17
 * makes it (handle_node() in xen/arch/arm/domain_build.c and
 * gicv{2,3}_make_hwdom_dt_node()). See docs/xen-arm64-guest-abi.md,
 * section 2.2.
 *
 * Every host node is copied with its properties, in order, except:
 *  - dropped with their subtrees: /cpus, /psci, /hypervisor, memory nodes
 *    (device_type "memory"), multiboot modules, "xen,domain" nodes, PMUs,
 *    "arm,armv7-timer-mem", "arm,cortex-a53-edac", IOMMUs, secondary GICs,
 *    the UART the hypervisor keeps, and every node with an interrupt that
 *    is a PPI of the GIC;
 *  - the GIC, replaced in place by "interrupt-controller" (the host
 *    phandle, #address-cells and #size-cells, #interrupt-cells = 3, the
 *    host compatible, and the host reg cut down to the distributor and the
 *    redistributor regions dom0's vCPUs need (GICv3, with
 *    #redistributor-regions) or to GICD and GICC (GICv2); no children, no
 *    maintenance interrupt);
 *  - the timer, replaced in place by "timer" (compatible
 *    "arm,armv8-timer", the host's first three PPIs as level-low, the
 *    host clock-frequency if any);
 *  - in every node "xen,passthrough" is dropped and "status" moves to the
 *    end of the properties ("disabled" for a node with xen,passthrough);
 *    a node whose "iommus" names an IOMMU loses iommus, iommu-map and
 *    iommu-map-mask;
 *  - /chosen loses bootargs, xen,xen-bootargs, xen,dom0-bootargs,
 *    stdout-path, linux,initrd-start/-end and linux,uefi-*, and ends with
 *    dom0's bootargs and linux,initrd-start/-end (64-bit).
 * The root then ends with hypervisor, psci, cpus and memory@<first bank>,
 * in that order, with the root's #address-cells and #size-cells (each 1 or
 * 2). Phandles are kept, so interrupt-parent references stay valid.
 */
#ifndef HV_DT_DOM0_DT_H
#define HV_DT_DOM0_DT_H

#include <hv/compiler.h>
#include <hv/fdt.h>

/* Limits of struct dom0_dt_info. */
#define DOM0_DT_MAX_VCPUS 128U
#define DOM0_DT_MAX_BANKS 16U
#define DOM0_DT_MAX_EXT_REGIONS 16U

/* A range of host physical addresses (dom0 is mapped 1:1). */
struct dom0_dt_range {
	uint64_t start;
	uint64_t size;
};

struct dom0_dt_info {
	/* vCPUs (1 to DOM0_DT_MAX_VCPUS): cpu nodes named and numbered by
	 * the MPIDR affinity Xen gives vCPU n (Aff0 = n & 0xf,
	 * Aff1 = n >> 4), with the compatible (and clock-frequency) of the
	 * host's first cpu node. */
	unsigned int nr_vcpus;
	/* dom0's RAM banks, in address order: one memory node lists them. */
	struct dom0_dt_range mem[DOM0_DT_MAX_BANKS];
	unsigned int nr_mem;
	/* /chosen/bootargs, as the caller resolved it (§1.4); NULL for
	 * none. */
	const char *bootargs;
	/* Placement of the initrd; size 0 for none. */
	uint64_t initrd_start;
	uint64_t initrd_size;
	/* The grant table region: reg[0] of the hypervisor node. */
	struct dom0_dt_range gnttab;
	/* Extended regions: reg[1..] of the hypervisor node. */
	struct dom0_dt_range ext[DOM0_DT_MAX_EXT_REGIONS];
	unsigned int nr_ext;
	/* Interrupt ID of the event channel upcall, a PPI (16 to 31). */
	unsigned int evtchn_irq;
	/* Host node offset of the UART the hypervisor keeps, or negative. */
	int uart_node;
	/* The host GIC is a GICv3 (else a GICv2). */
	bool gic_v3;
};

/*
 * Build dom0's tree from host in the size bytes at buf. Returns the size
 * of the tree, -EINVAL for a NULL argument, an inconsistent info or a
 * value that does not fit the root's cells, -ENOSPC if buf is too small
 * (nothing is written past buf + size), or another negative code
 * (-EINVAL, -ERANGE, -ENODEV or FDT_ERR_*) for a host tree that lacks
 * what dom0 needs: a GIC of the given version with a phandle,
 * #interrupt-cells, compatible and reg, a timer with three PPIs, /cpus
 * with a cpu node that has a compatible.
 */
int __must_check dom0_dt_build(const struct fdt *host,
			       const struct dom0_dt_info *info, void *buf,
			       size_t size);

/* Limits of struct dom0_device. */
#define DOM0_DEV_MAX_MMIO 16U
#define DOM0_DEV_MAX_SPIS 32U

/* An MMIO region, as host physical addresses (not page-aligned). */
struct dom0_mmio {
	uint64_t addr;
	uint64_t size;
};

/* A shared peripheral interrupt and its trigger type from the tree
 * (DT_IRQ_TYPE_*: 1 edge rising, 2 edge falling, 4 level high, 8 level
 * low). */
struct dom0_spi {
	uint32_t intid;
	uint32_t type;
};

/* A host device that dom0 gets. */
struct dom0_device {
	int node; /* offset in the host tree */
	const char *name; /* its name, in the host tree */
	/* 0, or why the node could not be described: FDT_ERR_BADVALUE for a
	 * malformed reg, ranges, interrupts or interrupt-map, -ERANGE for
	 * an address that no parent bus translates, -E2BIG for more
	 * regions or SPIs than the arrays hold, -EINVAL for an interrupt
	 * of the GIC that is not an SPI. The lists are then partial. */
	int err;
	unsigned int nr_mmio;
	struct dom0_mmio mmio[DOM0_DEV_MAX_MMIO];
	unsigned int nr_spis;
	struct dom0_spi spis[DOM0_DEV_MAX_SPIS];
};

/*
 * Call cb, in document order, for every host node that dom0's tree keeps
 * (as dom0_dt_build() decides, with skip_node as the hypervisor's UART)
 * and whose MMIO and SPIs dom0 gets, as Xen's handle_device() gives them:
 * nodes that are enabled (no status, or "okay"), without xen,passthrough,
 * outside /chosen and /reserved-memory (RAM, not MMIO), with a reg
 * (translated to host addresses through the parents' ranges; ignored
 * under a bus with #size-cells = 0) or an SPI of the GIC. A node of
 * device_type "pci" also gets the windows of its ranges and the SPIs of
 * its interrupt-map. Nodes without either are not reported; a node that
 * cannot be described is reported with err set. Returns the number of
 * nodes reported, the first negative value cb returned (which stops the
 * walk), or a negative code for a host tree without a usable GIC or a
 * malformed structure.
 */
int __must_check
dom0_dt_devices(const struct fdt *host, int skip_node,
		int (*cb)(void *ctx, const struct dom0_device *dev), void *ctx);

#endif /* HV_DT_DOM0_DT_H */
