/*
 * Unit tests for hypercall dispatch, the checked guest copies and MMIO
 * dispatch. Guest memory is a host buffer (arch/fake): guest address n is
 * byte n of the domain's RAM.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>

#include <hv/cmdline.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest-copy.h>
#include <hv/hypercall.h>
#include <hv/page-alloc.h>
#include <hv/sched.h>
#include <hv/smp.h>
#include <hv/vmmio.h>

#include <xen/memory.h>
#include <xen/sched.h>
/* As in hv/control.h: the header's strict-ISO check predates C11. */
#undef __STRICT_ANSI__
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/version.h>

#include "fake-console.h"
#include "fake-host.h"

extern struct vcpu *fake_current_guest;

#define ARENA_SIZE (4U << 20)
#define GUEST_RAM 65536U

static void *arena;
static struct domain *dom;

static int group_setup(void **state)
{
	struct domain_config cfg = {
		.name = "hc", .max_vcpus = 1, .ram_bytes = GUEST_RAM};

	(void)state;
	arena = fake_host_start(ARENA_SIZE);
	dom = domain_create(1, &cfg);
	assert_non_null(dom);
	fake_current_guest = dom->vcpus[0];
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	fake_console_start();
	return 0;
}

static int64_t call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	const uint64_t args[HYPERCALL_MAX_ARGS] = {a0, a1, a2, 0, 0};

	return hypercall_dispatch(dom->vcpus[0], args, nr);
}

static void test_xen_version(void **state)
{
	char extra[XEN_EXTRAVERSION_LEN];

	(void)state;
	assert_int_equal(call(__HYPERVISOR_xen_version, XENVER_version, 0, 0),
			 (4 << 16) | 17);
	assert_int_equal(call(__HYPERVISOR_xen_version, XENVER_extraversion,
			      0x100, 0),
			 0);
	memcpy(extra, &dom->arch.ram[0x100], sizeof(extra));
	assert_string_equal(extra, ".0-xenon");
	assert_int_equal(call(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0),
			 4096);
	/* Unknown sub-ops: -ENOSYS, as Xen 4.17 answers. */
	assert_int_equal(call(__HYPERVISOR_xen_version, 999, 0, 0), -ENOSYS);
}

static void test_version_buffer_outside_ram_faults(void **state)
{
	(void)state;
	assert_int_equal(call(__HYPERVISOR_xen_version, XENVER_extraversion,
			      GUEST_RAM - 4U, 0),
			 -EFAULT);
	assert_int_equal(call(__HYPERVISOR_xen_version, XENVER_extraversion,
			      UINT64_MAX - 2U, 0),
			 -EFAULT);
}

static void test_console_io_write(void **state)
{
	static const char msg[] = "hello\nworld\n";
	static const char quiet[] = "quiet\n";

	(void)state;
	/* Xen's default guest_loglvl (none/warning): a domU's lines are
	 * dropped, and the call still succeeds. */
	assert_int_equal(cmdline_parse("guest_loglvl=none/warning"), 0U);
	memcpy(&dom->arch.ram[0x200], quiet, sizeof(quiet) - 1U);
	assert_int_equal(call(__HYPERVISOR_console_io, CONSOLEIO_write,
			      sizeof(quiet) - 1U, 0x200),
			 0);
	assert_null(strstr(fake_console_text(), "quiet"));
	/* guest_loglvl=all prints them. */
	assert_int_equal(cmdline_parse("guest_loglvl=all"), 0U);
	memcpy(&dom->arch.ram[0x200], msg, sizeof(msg) - 1U);
	assert_int_equal(call(__HYPERVISOR_console_io, CONSOLEIO_write,
			      sizeof(msg) - 1U, 0x200),
			 0);
	assert_non_null(strstr(fake_console_text(), "(d1) hello\r\n"));
	assert_non_null(strstr(fake_console_text(), "(d1) world\r\n"));
	assert_int_equal(cmdline_parse("guest_loglvl=none/warning"), 0U);
}

static void test_console_io_bad_buffer(void **state)
{
	(void)state;
	assert_int_equal(call(__HYPERVISOR_console_io, CONSOLEIO_write, 100,
			      GUEST_RAM - 10U),
			 -EFAULT);
	/* A huge count runs until the buffer leaves the guest's RAM. */
	assert_int_equal(call(__HYPERVISOR_console_io, CONSOLEIO_write,
			      UINT64_MAX, 0),
			 -EFAULT);
}

extern bool fake_irq_pending;

static void test_console_io_continues_when_preempted(void **state)
{
	struct vcpu *v = dom->vcpus[0];

	(void)state;
	memset(&dom->arch.ram[0x200], 'x', 300);
	fake_irq_pending = true;
	assert_int_equal(call(__HYPERVISOR_console_io, CONSOLEIO_write, 300,
			      0x200),
			 -ERESTART);
	fake_irq_pending = false;
	/* One 128-byte chunk done; the rest is what the guest issues again. */
	assert_true(v->hcall_continues);
	assert_int_equal(v->hcall_args[0], CONSOLEIO_write);
	assert_int_equal(v->hcall_args[1], 300 - 128);
	assert_int_equal(v->hcall_args[2], 0x200 + 128);
	v->hcall_continues = false;
}

static void test_multicall_continues_inside_an_entry(void **state)
{
	struct vcpu *v = dom->vcpus[0];
	struct multicall_entry mc[2] = {
		{.op = __HYPERVISOR_xen_version, .args = {XENVER_pagesize}},
		{.op = __HYPERVISOR_console_io,
		 .args = {CONSOLEIO_write, 300, 0x200}},
	};

	(void)state;
	memset(&dom->arch.ram[0x200], 'y', 300);
	memcpy(&dom->arch.ram[0x800], mc, sizeof(mc));
	fake_irq_pending = true;
	assert_int_equal(call(__HYPERVISOR_multicall, 0x800, 2, 0), -ERESTART);
	fake_irq_pending = false;
	/* Entry 0 ran before the first preemption point. */
	memcpy(mc, &dom->arch.ram[0x800], sizeof(mc));
	assert_int_equal(mc[0].result, 4096);
	/* Preempted between entries: the multicall goes on at entry 1. */
	assert_true(v->hcall_continues);
	assert_int_equal(v->hcall_args[0], 0x800 + sizeof(mc[0]));
	assert_int_equal(v->hcall_args[1], 1);
	v->hcall_continues = false;
	/* Entry 1 alone, preempted inside: its arguments are rewritten. */
	fake_irq_pending = true;
	assert_int_equal(call(__HYPERVISOR_multicall, 0x800 + sizeof(mc[0]), 1,
			      0),
			 -ERESTART);
	fake_irq_pending = false;
	memcpy(mc, &dom->arch.ram[0x800], sizeof(mc));
	assert_int_equal(mc[1].args[1], 300 - 128);
	assert_int_equal(mc[1].args[2], 0x200 + 128);
	assert_int_equal(v->hcall_args[0], 0x800 + sizeof(mc[0]));
	v->hcall_continues = false;
}

static void test_unknown_hypercall(void **state)
{
	(void)state;
	assert_int_equal(call(__HYPERVISOR_kexec_op, 0, 0, 0), -ENOSYS);
	assert_int_equal(call(4000, 0, 0, 0), -ENOSYS);
	assert_non_null(
		strstr(fake_console_text(), "unimplemented hypercall 37"));
	/* Logged once only. */
	fake_console_start();
	assert_int_equal(call(__HYPERVISOR_kexec_op, 0, 0, 0), -ENOSYS);
	assert_null(strstr(fake_console_text(), "unimplemented"));
}

/* The control hypercalls answer a domU as Xen 4.17 does: the structure
 * is read first, then its version, then the caller is refused. */
static void test_control_ops_checks_in_xen_order(void **state)
{
	uint32_t hdr[3] = {0, 0, 0}; /* cmd, interface_version, domain */

	(void)state;
	assert_int_equal(call(__HYPERVISOR_sysctl, GUEST_RAM - 8U, 0, 0),
			 -EFAULT);
	memcpy(&dom->arch.ram[0x300], hdr, sizeof(hdr));
	assert_int_equal(call(__HYPERVISOR_sysctl, 0x300, 0, 0), -EACCES);
	hdr[1] = XEN_SYSCTL_INTERFACE_VERSION;
	memcpy(&dom->arch.ram[0x300], hdr, sizeof(hdr));
	assert_int_equal(call(__HYPERVISOR_sysctl, 0x300, 0, 0), -EPERM);
	/* Xen 4.17 gives domctl the same interface version, 0x15. The
	 * domain it names is looked up before the caller is refused. */
	hdr[0] = XEN_DOMCTL_pausedomain;
	memcpy(&dom->arch.ram[0x300], hdr, sizeof(hdr));
	assert_int_equal(call(__HYPERVISOR_domctl, 0x300, 0, 0), -ESRCH);
	hdr[2] = dom->domain_id;
	memcpy(&dom->arch.ram[0x300], hdr, sizeof(hdr));
	assert_int_equal(call(__HYPERVISOR_domctl, 0x300, 0, 0), -EPERM);
	/* getdomaininfo past the last ID that a domain can have. */
	hdr[0] = XEN_DOMCTL_getdomaininfo;
	hdr[2] = DOMID_FIRST_RESERVED;
	memcpy(&dom->arch.ram[0x300], hdr, sizeof(hdr));
	assert_int_equal(call(__HYPERVISOR_domctl, 0x300, 0, 0), -EINVAL);
	assert_int_equal(call(__HYPERVISOR_hypfs_op, 0, 0, 0), -EPERM);
}

static void test_copy_crosses_pages(void **state)
{
	uint8_t buf[6000];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(buf); i++) {
		buf[i] = (uint8_t)i;
	}
	assert_int_equal(copy_to_guest(4000, buf, sizeof(buf)), 0);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(copy_from_guest(buf, 4000, sizeof(buf)), 0);
	for (i = 0; i < sizeof(buf); i++) {
		assert_int_equal(buf[i], (uint8_t)i);
	}
	assert_int_equal(copy_from_guest(buf, GUEST_RAM - 100U, 200), -EFAULT);
}

static int mmio_reads;
static uint64_t mmio_last;

static bool dev_read(struct vcpu *v, uint64_t off, unsigned int size,
		     uint64_t *val, void *priv)
{
	(void)v;
	(void)size;
	(void)priv;
	mmio_reads++;
	*val = off;
	return true;
}

static bool dev_write(struct vcpu *v, uint64_t off, unsigned int size,
		      uint64_t val, void *priv)
{
	(void)v;
	(void)off;
	(void)size;
	mmio_last = val;
	return priv != NULL;
}

static const struct vmmio_ops dev_ops = {.read = dev_read, .write = dev_write};

static void test_vmmio(void **state)
{
	struct vmmio m = {0};
	uint64_t val = 0;
	int tag;

	(void)state;
	assert_int_equal(vmmio_register(&m, 0x1000, 0x100, &dev_ops, &tag), 0);
	assert_int_equal(vmmio_register(&m, 0x10f0, 0x100, &dev_ops, NULL),
			 -EEXIST);
	assert_true(vmmio_dispatch(&m, NULL, 0x1010, 4, false, &val));
	assert_int_equal(val, 0x10);
	val = 77;
	assert_true(vmmio_dispatch(&m, NULL, 0x1000, 8, true, &val));
	assert_int_equal(mmio_last, 77);
	/* Outside any range, or straddling the end: not handled. */
	assert_false(vmmio_dispatch(&m, NULL, 0x2000, 4, false, &val));
	assert_false(vmmio_dispatch(&m, NULL, 0x10fe, 4, false, &val));
	assert_int_equal(mmio_reads, 1);
}

static void test_shutdown(void **state)
{
	struct sched_shutdown sd = {.reason = SHUTDOWN_poweroff};

	(void)state;
	memcpy(&dom->arch.ram[0x300], &sd, sizeof(sd));
	assert_int_equal(
		call(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0x300, 0), 0);
	assert_true(dom->is_dying);
	assert_non_null(strstr(fake_console_text(), "shut down: poweroff"));
}

static void test_reservation(void **state)
{
	struct xen_memory_reservation r = {0};
	const uint64_t gfns[2] = {3, 4};

	(void)state;
	memcpy(&dom->arch.ram[0x500], gfns, sizeof(gfns));
	set_xen_guest_handle(r.extent_start, (xen_pfn_t *)(uintptr_t)0x500);
	r.nr_extents = 2;
	r.domid = DOMID_SELF;
	memcpy(&dom->arch.ram[0x400], &r, sizeof(r));
	assert_int_equal(call(__HYPERVISOR_memory_op,
			      XENMEM_decrease_reservation, 0x400, 0),
			 2);
	/* A list outside guest memory: nothing done. */
	set_xen_guest_handle(r.extent_start,
			     (xen_pfn_t *)(uintptr_t)(GUEST_RAM + 8U));
	memcpy(&dom->arch.ram[0x400], &r, sizeof(r));
	assert_int_equal(call(__HYPERVISOR_memory_op,
			      XENMEM_decrease_reservation, 0x400, 0),
			 0);
	/* Extents larger than a page are not given: nothing done (Xen's
	 * answer when it cannot give them). */
	r.extent_order = 9;
	memcpy(&dom->arch.ram[0x400], &r, sizeof(r));
	assert_int_equal(call(__HYPERVISOR_memory_op, XENMEM_populate_physmap,
			      0x400, 0),
			 0);
	/* A 1:1 domain only gets back frames it kept: none here. */
	r.extent_order = 0;
	memcpy(&dom->arch.ram[0x400], &r, sizeof(r));
	dom->direct_map = true;
	assert_int_equal(call(__HYPERVISOR_memory_op, XENMEM_populate_physmap,
			      0x400, 0),
			 0);
	dom->direct_map = false;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_xen_version, setup),
		cmocka_unit_test_setup(test_version_buffer_outside_ram_faults,
				       setup),
		cmocka_unit_test_setup(test_console_io_write, setup),
		cmocka_unit_test_setup(test_console_io_bad_buffer, setup),
		cmocka_unit_test_setup(test_control_ops_checks_in_xen_order,
				       setup),
		cmocka_unit_test_setup(test_console_io_continues_when_preempted,
				       setup),
		cmocka_unit_test_setup(test_multicall_continues_inside_an_entry,
				       setup),
		cmocka_unit_test_setup(test_unknown_hypercall, setup),
		cmocka_unit_test_setup(test_copy_crosses_pages, setup),
		cmocka_unit_test_setup(test_vmmio, setup),
		cmocka_unit_test_setup(test_reservation, setup),
		cmocka_unit_test_setup(test_shutdown, setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
