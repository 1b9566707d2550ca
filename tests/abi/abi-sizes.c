/*
 * Pinned sizes and offsets of every Xen ABI structure Xenon uses, as the
 * arm64 guest sees them (Xen 4.17's public headers, compiled for aarch64).
 * A change in the headers or in how they are included fails the build.
 * Values from Xen's ABI as Linux 6.1 uses it on arm64.
 */
#include <stddef.h>
#include <stdint.h>

#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/hvm/hvm_op.h>
#include <xen/memory.h>
#include <xen/platform.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/xen.h>

#define PIN_SIZE(t, n) _Static_assert(sizeof(t) == (n), "size of " #t)
#define PIN_OFF(t, f, n)                                                       \
	_Static_assert(offsetof(t, f) == (n), "offset of " #t "." #f)

/* shared_info and vcpu_info. */
PIN_SIZE(struct shared_info, 1088);
PIN_OFF(struct shared_info, evtchn_pending, 48);
PIN_OFF(struct shared_info, evtchn_mask, 560);
PIN_OFF(struct shared_info, wc_version, 1072);
PIN_OFF(struct shared_info, wc_sec_hi, 1084);
PIN_SIZE(struct vcpu_info, 48);
PIN_OFF(struct vcpu_info, evtchn_pending_sel, 8);
_Static_assert(XEN_LEGACY_MAX_VCPUS == 1, "one vcpu_info in shared_info");

/* vcpu_op, sched_op, version, hvm_op, platform_op, multicall. */
PIN_SIZE(struct vcpu_runstate_info, 48);
PIN_OFF(struct vcpu_runstate_info, state_entry_time, 8);
PIN_OFF(struct vcpu_runstate_info, time, 16);
PIN_SIZE(struct vcpu_register_vcpu_info, 16);
PIN_SIZE(struct sched_shutdown, 4);
PIN_SIZE(struct xen_feature_info, 8);
PIN_SIZE(struct xen_hvm_param, 16);
PIN_OFF(struct xen_hvm_param, value, 8);
PIN_SIZE(struct xen_platform_op, 136);
PIN_OFF(struct xen_platform_op, u.settime64, 8);
PIN_SIZE(struct multicall_entry, 64);
PIN_OFF(struct multicall_entry, args, 16);

/* memory_op. */
PIN_SIZE(struct xen_add_to_physmap, 24);
PIN_OFF(struct xen_add_to_physmap, space, 4);
PIN_OFF(struct xen_add_to_physmap, idx, 8);
PIN_OFF(struct xen_add_to_physmap, gpfn, 16);

/* grant_table_op. */
PIN_SIZE(struct grant_entry_v1, 8);
PIN_SIZE(struct gnttab_query_size, 16);
PIN_SIZE(struct gnttab_setup_table, 24);
PIN_SIZE(struct gnttab_set_version, 4);
PIN_SIZE(struct gnttab_cache_flush, 16);

/* event_channel_op. */
PIN_SIZE(struct evtchn_init_control, 24);
PIN_OFF(struct evtchn_init_control, link_bits, 16);
PIN_SIZE(struct evtchn_expand_array, 8);
PIN_SIZE(struct evtchn_alloc_unbound, 8);
PIN_SIZE(struct evtchn_bind_virq, 12);
PIN_SIZE(struct evtchn_bind_interdomain, 12);
PIN_OFF(struct evtchn_bind_interdomain, local_port, 8);
PIN_SIZE(struct evtchn_bind_vcpu, 8);
PIN_SIZE(struct evtchn_send, 4);
PIN_SIZE(struct evtchn_close, 4);
PIN_SIZE(struct evtchn_unmask, 4);
