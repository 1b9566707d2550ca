/*
 * Xen's guest memory map (<xen/arch-arm.h>) and device-tree constants
 * (<xen/device_tree_defs.h>) for the device-tree layer. Both are visible
 * only to Xen and its toolstack, which the Makefile's -D__XEN_TOOLS__
 * gives us. <xen/xen.h> would define xen_mk_ullong(), but it pulls in the
 * x86 definitions when the host tests are built on an x86 host, so the Arm
 * header is included alone with xen_mk_ullong() defined as xen.h does.
 * Neither header depends on __XEN_INTERFACE_VERSION__, so the target and
 * the host see the same values.
 */
#ifndef HV_DT_XEN_ARM_ABI_H
#define HV_DT_XEN_ARM_ABI_H

#ifndef xen_mk_ullong
#define xen_mk_ullong(x) x##ULL
#endif
#include <xen/arch-arm.h>
#include <xen/device_tree_defs.h>

#endif /* HV_DT_XEN_ARM_ABI_H */
