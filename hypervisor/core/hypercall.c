/*
 * Hypercall table and the hypercalls that need no subsystem of their own.
 */
#include <hv/cmdline.h>
#include <hv/event.h>
#include <hv/grant-table.h>
#include <hv/errno.h>
#include <hv/guest-copy.h>
#include <hv/hypercall.h>
#include <hv/poll.h>
#include <hv/printk.h>
#include <hv/irq.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/string.h>

#include <xen/features.h>
#include <xen/sched.h>
#include <xen/version.h>

typedef int64_t (*hypercall_fn_t)(struct vcpu *v, const uint64_t *args);

struct hypercall_entry {
	hypercall_fn_t fn;
	const char *name;
};

/* The strings xen_version copies out, each as Xen's fixed-size field
 * (zero-padded), so a call is a single checked copy. */
static const xen_extraversion_t extraversion = ".0-xenon";
static const xen_capabilities_info_t capabilities = ARCH_XEN_CAPABILITIES;
static const xen_changeset_info_t changeset = "xenon";
static const char denied[] = "<denied>";
static const xen_compile_info_t compile_info = {.compiler = "gcc",
						.compile_by = "xenon",
						.compile_domain = "xenon",
						.compile_date = "-"};
static const xen_domain_handle_t no_handle = {0};
/* Xen on Arm reports where it is linked (XEN_VIRT_START), which is in no
 * guest's address space. */
static const struct xen_platform_parameters platform_parameters = {
	.virt_start = 0x200000U};

/* XENVER_get_features submap 0, as Xen 4.17 gives it on Arm. */
static uint32_t feature_bits(const struct domain *d)
{
	uint32_t bits = (1U << XENFEAT_writable_page_tables) |
			(1U << XENFEAT_auto_translated_physmap) |
			(1U << XENFEAT_memory_op_vnode_supported) |
			(1U << XENFEAT_ARM_SMCCC_supported);

	bits |= d->is_hardware_domain ? (1U << XENFEAT_dom0) : 0U;
	bits |= d->direct_map ? (1U << XENFEAT_direct_mapped)
			      : (1U << XENFEAT_not_direct_mapped);
	return bits;
}

static int64_t get_features(const struct vcpu *v, uint64_t gva)
{
	xen_feature_info_t fi;

	if (copy_from_guest(&fi, gva, sizeof(fi)) != 0) {
		return -EFAULT;
	}
	if (fi.submap_idx != 0U) {
		return -EINVAL; /* Xen has one submap */
	}
	fi.submap = feature_bits(v->domain);
	return copy_to_guest(gva, &fi, sizeof(fi));
}

/* The hypervisor's command line, in Xen's zero-padded field. */
static int64_t command_line(uint64_t gva)
{
	xen_commandline_t line = {0};

	(void)format_string(line, sizeof(line), "%s", cmdline_get());
	return copy_to_guest(gva, line, sizeof(line));
}

#define XEN_VERSION_NUMBER ((4 << 16) | 17)

static __noinline int64_t xen_version_copy(struct vcpu *v, const uint64_t *args)
{
	switch (args[0]) {
	case XENVER_version:
		return XEN_VERSION_NUMBER;
	case XENVER_extraversion:
		return copy_to_guest(args[1], extraversion,
				     sizeof(extraversion));
	case XENVER_capabilities:
		return copy_to_guest(args[1], capabilities,
				     sizeof(capabilities));
	case XENVER_changeset:
		return copy_to_guest(args[1], changeset, sizeof(changeset));
	case XENVER_get_features:
		return get_features(v, args[1]);
	case XENVER_pagesize:
		return 4096;
	case XENVER_platform_parameters:
		return copy_to_guest(args[1], &platform_parameters,
				     sizeof(platform_parameters));
	case XENVER_compile_info:
		return copy_to_guest(args[1], &compile_info,
				     sizeof(compile_info));
	case XENVER_guest_handle:
		/* Xenon gives domains no handle (a toolstack's UUID): zero. */
		return copy_to_guest(args[1], &no_handle, sizeof(no_handle));
	case XENVER_commandline:
		/* Privileged in Xen: others get its "<denied>" string. */
		return v->domain->is_hardware_domain
			       ? command_line(args[1])
			       : copy_to_guest(args[1], denied, sizeof(denied));
	case XENVER_build_id:
		return v->domain->is_hardware_domain ? -ENOSYS : -EPERM;
	default:
		return -ENOSYS;
	}
}

/* XENVER_version, the null hypercall guests and benchmarks use, is
 * answered before the sub-ops that need a stack frame. */
static int64_t do_xen_version(struct vcpu *v, const uint64_t *args)
{
	return (args[0] == XENVER_version) ? XEN_VERSION_NUMBER
					   : xen_version_copy(v, args);
}

/* CONSOLEIO_write: print the guest's buffer as its console output, in
 * chunks, continued when preempted (any length, as Xen). */
static int64_t console_write_from_guest(struct vcpu *v, uint64_t count,
					uint64_t gva)
{
	char buf[128];
	uint64_t done = 0;
	size_t chunk;
	size_t i;

	while (done < count) {
		if ((done != 0U) && hypercall_preempt_check()) {
			return hypercall_continue(v, CONSOLEIO_write,
						  count - done, gva + done);
		}
		chunk = (size_t)MIN(count - done, (uint64_t)sizeof(buf));
		if (copy_from_guest(buf, gva + done, chunk) != 0) {
			return -EFAULT;
		}
		for (i = 0; i < chunk; i++) {
			guest_console_io_putc(v->domain, buf[i]);
		}
		done += chunk;
	}
	return 0;
}

/* CONSOLEIO_read: the hardware domain's console input (hvc0). */
static int64_t console_read_to_guest(struct vcpu *v, uint64_t count,
				     uint64_t gva)
{
	char buf[128];
	size_t n;

	if (!v->domain->is_hardware_domain) {
		return 0; /* as Xen: a domU's console input is elsewhere */
	}
	n = guest_console_read(v->domain, buf,
			       (size_t)MIN(count, (uint64_t)sizeof(buf)));
	if ((n > 0U) && (copy_to_guest(gva, buf, n) != 0)) {
		return -EFAULT;
	}
	return (int64_t)n;
}

static int64_t do_console_io(struct vcpu *v, const uint64_t *args)
{
	/* Xen takes the command and count as 32-bit unsigned. */
	switch ((uint32_t)args[0]) {
	case CONSOLEIO_write:
		return console_write_from_guest(v, (uint32_t)args[1], args[2]);
	case CONSOLEIO_read:
		/* A count that is negative as an int would overlap the
		 * errors. */
		if ((int32_t)(uint32_t)args[1] < 0) {
			return -E2BIG;
		}
		return console_read_to_guest(v, (uint32_t)args[1], args[2]);
	default:
		return -ENOSYS;
	}
}

/* SCHEDOP_remote_shutdown: the control domain's; others get Xen's
 * answers (the domain is looked up first). */
static int64_t remote_shutdown(struct vcpu *v, uint64_t arg)
{
	struct sched_remote_shutdown rs;
	struct domain *d;

	if (copy_from_guest(&rs, arg, sizeof(rs)) != 0) {
		return -EFAULT;
	}
	d = domain_by_id(rs.domain_id);
	if (d == NULL) {
		return -ESRCH;
	}
	if (!v->domain->is_hardware_domain) {
		return -EPERM;
	}
	domain_shutdown(d, rs.reason);
	return 0;
}

static int64_t do_sched_op(struct vcpu *v, const uint64_t *args)
{
	struct sched_shutdown sd;

	switch (args[0]) {
	case SCHEDOP_yield:
		vcpu_yield(v);
		return 0;
	case SCHEDOP_block:
		/* As Xen: event delivery is enabled, then the vCPU blocks
		 * until an event or a virtual interrupt arrives. */
		arch_vcpu_enable_events(v);
		vcpu_block(v);
		return 0;
	case SCHEDOP_poll:
		return sched_poll(v, args[1]);
	case SCHEDOP_shutdown:
		if (copy_from_guest(&sd, args[1], sizeof(sd)) != 0) {
			return -EFAULT;
		}
		domain_shutdown(v->domain, sd.reason);
		return 0;
	case SCHEDOP_remote_shutdown:
		return remote_shutdown(v, args[1]);
	case SCHEDOP_shutdown_code:
		/* Xen keeps the code for a later crash report; Xenon reports
		 * the reason of the shutdown itself. */
		return (copy_from_guest(&sd, args[1], sizeof(sd)) != 0)
			       ? -EFAULT
			       : 0;
	case SCHEDOP_pin_override:
		return v->domain->is_hardware_domain ? -ENOSYS : -EPERM;
	default:
		return -ENOSYS;
	}
}

static int64_t do_multicall(struct vcpu *v, const uint64_t *args);

static const struct hypercall_entry hypercalls[] = {
	[__HYPERVISOR_platform_op] = {do_platform_op, "platform_op"},
	[__HYPERVISOR_memory_op] = {do_memory_op, "memory_op"},
	[__HYPERVISOR_multicall] = {do_multicall, "multicall"},
	[__HYPERVISOR_xen_version] = {do_xen_version, "xen_version"},
	[__HYPERVISOR_console_io] = {do_console_io, "console_io"},
	[__HYPERVISOR_grant_table_op] = {do_grant_table_op, "grant_table_op"},
	[__HYPERVISOR_vm_assist] = {do_vm_assist, "vm_assist"},
	[__HYPERVISOR_vcpu_op] = {do_vcpu_op, "vcpu_op"},
	[__HYPERVISOR_sched_op] = {do_sched_op, "sched_op"},
	[__HYPERVISOR_event_channel_op] = {do_event_channel_op,
					   "event_channel_op"},
	[__HYPERVISOR_physdev_op] = {do_physdev_op, "physdev_op"},
	[__HYPERVISOR_hvm_op] = {do_hvm_op, "hvm_op"},
	[__HYPERVISOR_sysctl] = {do_sysctl, "sysctl"},
	[__HYPERVISOR_domctl] = {do_domctl, "domctl"},
	[__HYPERVISOR_hypfs_op] = {do_hypfs_op, "hypfs_op"},
	[__HYPERVISOR_xsm_op] = {do_xsm_op, "xsm_op"},
};

/*
 * Run each call of a multicall batch and store its result. Preempted
 * between entries, or inside one (whose entry then keeps the arguments of
 * what is left of it), it continues from that entry, as in Xen.
 */
static int64_t do_multicall(struct vcpu *v, const uint64_t *args)
{
	struct multicall_entry mc;
	uint64_t call_args[HYPERCALL_MAX_ARGS];
	uint64_t gva;
	uint64_t i;
	unsigned int j;
	int64_t rc;

	for (i = 0; i < args[1]; i++) {
		gva = args[0] + (i * sizeof(mc));
		if ((i != 0U) && hypercall_preempt_check()) {
			return hypercall_continue(v, gva, args[1] - i, 0U);
		}
		if (copy_from_guest(&mc, gva, sizeof(mc)) != 0) {
			return -EFAULT;
		}
		for (j = 0; j < HYPERCALL_MAX_ARGS; j++) {
			call_args[j] = mc.args[j];
		}
		rc = (mc.op == __HYPERVISOR_multicall)
			     ? -EINVAL
			     : hypercall_dispatch(v, call_args, mc.op);
		if ((rc == -ERESTART) && v->hcall_continues) {
			v->hcall_continues = false;
			for (j = 0; j < HYPERCALL_MAX_ARGS; j++) {
				mc.args[j] = v->hcall_args[j];
			}
			if (copy_to_guest(gva, &mc, sizeof(mc)) != 0) {
				return -EFAULT;
			}
			return hypercall_continue(v, gva, args[1] - i, 0U);
		}
		mc.result = (xen_ulong_t)rc;
		if (copy_to_guest(gva, &mc, sizeof(mc)) != 0) {
			return -EFAULT;
		}
	}
	return 0;
}

/* Log each unknown hypercall number once per boot. */
static uint64_t unknown_seen;

uint8_t hypercall_log;

static int set_log_bit(const char *value, uint8_t bit)
{
	bool on;
	int rc = parse_bool(value, &on);

	if (rc == 0) {
		hypercall_log = on ? (uint8_t)(hypercall_log | bit)
				   : (uint8_t)(hypercall_log & ~bit);
	}
	return rc;
}

/* hypercall_debug: log each hypercall the first time a domain makes it,
 * so that gaps in what Xenon implements are visible. */
static int param_hypercall_debug(const char *value)
{
	return set_log_bit(value, HYPERCALL_LOG_FIRST_USE);
}
HV_PARAM("hypercall_debug", param_hypercall_debug);

/* hypercall_trace: log every failing hypercall with its first two
 * arguments, to see where a guest's tools stop. */
static int param_hypercall_trace(const char *value)
{
	return set_log_bit(value, HYPERCALL_LOG_FAILURES);
}
HV_PARAM("hypercall_trace", param_hypercall_trace);

static void log_first_use(struct domain *d, uint64_t nr, const char *name)
{
	if (((hypercall_log & HYPERCALL_LOG_FIRST_USE) != 0U) && (nr < 64U) &&
	    ((d->hypercalls_seen & (1ULL << nr)) == 0U)) {
		d->hypercalls_seen |= 1ULL << nr;
		printk("d%u: first hypercall %lu (%s)\n", d->domain_id,
		       (unsigned long)nr, name);
	}
}

/* The slow path of hypercall_dispatch(): with hypercall_debug or
 * hypercall_trace on, or for a number with no handler. */
static __noinline int64_t dispatch_logged(
	struct vcpu *v, const uint64_t args[HYPERCALL_MAX_ARGS], uint64_t nr)
{
	int64_t rc;

	if ((nr < ARRAY_SIZE(hypercalls)) && (hypercalls[nr].fn != NULL)) {
		log_first_use(v->domain, nr, hypercalls[nr].name);
		rc = hypercalls[nr].fn(v, args);
		if (hypercall_tracing() && (rc < 0) && (rc != -ERESTART)) {
			printk("d%u: %s(0x%lx, 0x%lx) = %ld\n",
			       v->domain->domain_id, hypercalls[nr].name,
			       (unsigned long)args[0], (unsigned long)args[1],
			       (long)rc);
		}
		return rc;
	}
	log_first_use(v->domain, nr, "not implemented");
	if ((nr < 64U) && ((unknown_seen & (1ULL << nr)) == 0U)) {
		unknown_seen |= 1ULL << nr;
		printk(XENLOG_WARNING "d%u: unimplemented hypercall %lu\n",
		       v->domain->domain_id, (unsigned long)nr);
	}
	return -ENOSYS;
}

/* The hot path: a bounds check, one flag and a tail call. */
int64_t hypercall_dispatch(struct vcpu *v,
			   const uint64_t args[HYPERCALL_MAX_ARGS], uint64_t nr)
{
	hypercall_fn_t fn = NULL;

	if ((nr < ARRAY_SIZE(hypercalls)) && (hypercall_log == 0U)) {
		fn = hypercalls[nr].fn;
	}
	if (likely(fn != NULL)) {
		return fn(v, args);
	}
	return dispatch_logged(v, args, nr);
}
