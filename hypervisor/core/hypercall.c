/*
 * Hypercall table and the hypercalls that need no subsystem of their own.
 */
#include <hv/cmdline.h>
#include <hv/errno.h>
#include <hv/guest-copy.h>
#include <hv/hypercall.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/string.h>

#include <xen/features.h>
#include <xen/sched.h>
#include <xen/version.h>

typedef int64_t (*hypercall_fn_t)(struct vcpu *v, const uint64_t *args);

struct hypercall_entry {
	hypercall_fn_t fn;
	const char *name;
};

/* XENVER_extraversion: Xenon's name, in Xen's 16-byte field. */
static const char extraversion[] = ".0-xenon";

static int64_t copy_string_out(uint64_t gva, const char *s, size_t field)
{
	char buf[1024];
	size_t len = strnlen(s, field - 1U);

	memset(buf, 0, field);
	memcpy(buf, s, len);
	return copy_to_guest(gva, buf, field);
}

static int64_t get_features(uint64_t gva)
{
	xen_feature_info_t fi;

	if (copy_from_guest(&fi, gva, sizeof(fi)) != 0) {
		return -EFAULT;
	}
	fi.submap = 0;
	if (fi.submap_idx == 0U) {
		fi.submap = (1U << XENFEAT_auto_translated_physmap) |
			    (1U << XENFEAT_ARM_SMCCC_supported) |
			    (1U << XENFEAT_not_direct_mapped);
	}
	return copy_to_guest(gva, &fi, sizeof(fi));
}

static int64_t do_xen_version(struct vcpu *v, const uint64_t *args)
{
	(void)v;
	switch (args[0]) {
	case XENVER_version:
		return (4 << 16) | 17;
	case XENVER_extraversion:
		return copy_string_out(args[1], extraversion,
				       sizeof(xen_extraversion_t));
	case XENVER_capabilities:
		return copy_string_out(args[1], "xen-3.0-aarch64",
				       sizeof(xen_capabilities_info_t));
	case XENVER_changeset:
		return copy_string_out(args[1], "xenon",
				       sizeof(xen_changeset_info_t));
	case XENVER_get_features:
		return get_features(args[1]);
	case XENVER_pagesize:
		return 4096;
	default:
		return -EINVAL;
	}
}

/* CONSOLEIO_write: print the guest's buffer as its console output. */
static int64_t console_write_from_guest(struct vcpu *v, uint64_t count,
					uint64_t gva)
{
	char buf[128];
	uint64_t done = 0;
	size_t chunk;
	size_t i;

	while (done < count) {
		chunk = (size_t)MIN(count - done, (uint64_t)sizeof(buf));
		if (copy_from_guest(buf, gva + done, chunk) != 0) {
			return -EFAULT;
		}
		for (i = 0; i < chunk; i++) {
			guest_console_putc(v->domain, buf[i]);
		}
		done += chunk;
	}
	return 0;
}

static int64_t do_console_io(struct vcpu *v, const uint64_t *args)
{
	switch (args[0]) {
	case CONSOLEIO_write:
		return console_write_from_guest(v, args[1], args[2]);
	case CONSOLEIO_read:
		return 0; /* no input for guests through console_io yet */
	default:
		return -ENOSYS;
	}
}

static int64_t do_sched_op(struct vcpu *v, const uint64_t *args)
{
	struct sched_shutdown sd;

	switch (args[0]) {
	case SCHEDOP_yield:
		vcpu_yield(v);
		return 0;
	case SCHEDOP_block:
		vcpu_block(v);
		return 0;
	case SCHEDOP_shutdown:
		if (copy_from_guest(&sd, args[1], sizeof(sd)) != 0) {
			return -EFAULT;
		}
		domain_shutdown(v->domain, sd.reason);
		return 0;
	default:
		return -ENOSYS;
	}
}

static const struct hypercall_entry hypercalls[] = {
	[__HYPERVISOR_xen_version] = {do_xen_version, "xen_version"},
	[__HYPERVISOR_console_io] = {do_console_io, "console_io"},
	[__HYPERVISOR_sched_op] = {do_sched_op, "sched_op"},
};

/* Log each unknown hypercall number once per boot. */
static uint64_t unknown_seen;

/* hypercall_debug: log each hypercall the first time a domain makes it,
 * so that gaps in what Xenon implements are visible. */
static bool opt_hypercall_debug;

static int param_hypercall_debug(const char *value)
{
	return parse_bool(value, &opt_hypercall_debug);
}
HV_PARAM("hypercall_debug", param_hypercall_debug);

static void log_first_use(struct domain *d, uint64_t nr, const char *name)
{
	if (opt_hypercall_debug && (nr < 64U) &&
	    ((d->hypercalls_seen & (1ULL << nr)) == 0U)) {
		d->hypercalls_seen |= 1ULL << nr;
		printk("d%u: first hypercall %lu (%s)\n", d->domain_id,
		       (unsigned long)nr, name);
	}
}

int64_t hypercall_dispatch(struct vcpu *v, uint64_t nr,
			   const uint64_t args[HYPERCALL_MAX_ARGS])
{
	if ((nr < ARRAY_SIZE(hypercalls)) && (hypercalls[nr].fn != NULL)) {
		log_first_use(v->domain, nr, hypercalls[nr].name);
		return hypercalls[nr].fn(v, args);
	}
	log_first_use(v->domain, nr, "not implemented");
	if ((nr < 64U) && ((unknown_seen & (1ULL << nr)) == 0U)) {
		unknown_seen |= 1ULL << nr;
		printk(XENLOG_WARNING "d%u: unimplemented hypercall %lu\n",
		       v->domain->domain_id, (unsigned long)nr);
	}
	return -ENOSYS;
}
