/*
 * The xenstore ring client (see xtf/xenstore.h).
 *
 * The ring page sits in Xen's magic region below 1 GiB, which the runtime
 * maps Device-nGnRnE, so every access to it is a single volatile byte or
 * an aligned 32-bit index: no memcpy, no merged or unaligned accesses.
 * While waiting for xenstored the vCPU sleeps in 1 ms steps (WFI), so
 * dom0, where xenstored runs, gets the CPU.
 */
#include <xtf/arch.h>
#include <xtf/hypercall.h>
#include <xtf/timer.h>
#include <xtf/xenstore.h>

#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/io/xs_wire.h>

#define XS_TIMEOUT_US 10000000UL /* for one request and its answer */
#define XS_POLL_US 1000UL
#define XS_MSG_MAX 512 /* what this client sends at most */

static volatile struct xenstore_domain_interface *xs;
static evtchn_port_t xs_port;
static uint32_t xs_req_id;

/* The error names xenstored sends back, as Xen errno values. */
static const struct {
	const char *name;
	int value;
} xs_errnos[] = {
	{"EINVAL", XEN_EINVAL}, {"EACCES", XEN_EACCES}, {"EEXIST", XEN_EEXIST},
	{"EISDIR", XEN_EISDIR}, {"ENOENT", XEN_ENOENT}, {"ENOMEM", XEN_ENOMEM},
	{"ENOSPC", XEN_ENOSPC}, {"EIO", XEN_EIO},	{"E2BIG", XEN_E2BIG},
	{"EAGAIN", XEN_EAGAIN}, {"EPERM", XEN_EPERM},	{"EBUSY", XEN_EBUSY},
};

int xenstore_init(void)
{
	uint64_t pfn, port;

	if (!xtf_hvm_get_param(HVM_PARAM_STORE_PFN, &pfn) ||
	    !xtf_hvm_get_param(HVM_PARAM_STORE_EVTCHN, &port) || !pfn ||
	    (pfn << 12) >= (1UL << 30)) {
		return -XEN_ENODEV;
	}
	xs = (volatile struct xenstore_domain_interface *)(pfn << 12);
	xs_port = (evtchn_port_t)port;
	return 0;
}

static void xs_notify(void)
{
	struct evtchn_send send = {.port = xs_port};

	xen_hypercall3(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
		       (unsigned long)&send, 0);
}

/* Put len bytes on the request ring, as room appears, until deadline. */
static int xs_put(const char *data, size_t len, uint64_t deadline)
{
	while (len) {
		XENSTORE_RING_IDX cons = READ_ONCE(xs->req_cons);
		XENSTORE_RING_IDX prod = READ_ONCE(xs->req_prod);
		uint32_t room = XENSTORE_RING_SIZE - (prod - cons);
		uint32_t i;

		if (prod - cons > XENSTORE_RING_SIZE) {
			return -XEN_EIO;
		}
		if (!room) {
			if (timer_expired(deadline)) {
				return -XEN_ETIMEDOUT;
			}
			timer_sleep_us(XS_POLL_US);
			continue;
		}
		dmb(ish); /* the space is free before we write into it */
		for (i = 0; i < room && len; i++, len--) {
			xs->req[MASK_XENSTORE_IDX(prod + i)] = *data++;
		}
		dmb(ish); /* the bytes before the index that shows them */
		WRITE_ONCE(xs->req_prod, prod + i);
		xs_notify();
	}
	return 0;
}

/*
 * Take len bytes off the response ring into buf (dropped when buf is
 * NULL), as they arrive, until deadline.
 */
static int xs_get(char *buf, size_t len, uint64_t deadline)
{
	while (len) {
		XENSTORE_RING_IDX cons = READ_ONCE(xs->rsp_cons);
		XENSTORE_RING_IDX prod = READ_ONCE(xs->rsp_prod);
		uint32_t avail = prod - cons;
		uint32_t i;

		if (avail > XENSTORE_RING_SIZE) {
			return -XEN_EIO;
		}
		if (!avail) {
			if (timer_expired(deadline)) {
				return -XEN_ETIMEDOUT;
			}
			timer_sleep_us(XS_POLL_US);
			continue;
		}
		dmb(ish); /* the index before the bytes it covers */
		for (i = 0; i < avail && len; i++, len--) {
			char c = xs->rsp[MASK_XENSTORE_IDX(cons + i)];

			if (buf) {
				*buf++ = c;
			}
		}
		dmb(ish); /* done reading before the space is given back */
		WRITE_ONCE(xs->rsp_cons, cons + i);
		xs_notify();
	}
	return 0;
}

static int xs_errno(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(xs_errnos); i++) {
		if (strlen(xs_errnos[i].name) == len &&
		    !strncmp(xs_errnos[i].name, name, len)) {
			return -xs_errnos[i].value;
		}
	}
	return -XEN_EIO;
}

/* An XS_ERROR answer's payload, the error's name, as a negative errno. */
static long xs_error(uint32_t len, uint64_t deadline)
{
	char name[16];
	size_t n = len < sizeof(name) ? len : sizeof(name);
	int rc = xs_get(name, n, deadline);

	if (!rc) {
		rc = xs_get(NULL, len - n, deadline);
	}
	return rc ? rc : xs_errno(name, strnlen(name, n));
}

/* A payload of len bytes into reply, cut to size; its length. */
static long xs_reply(uint32_t len, char *reply, size_t size, uint64_t deadline)
{
	size_t n = len < size ? len : size;
	int rc = xs_get(reply, n, deadline);

	if (!rc) {
		rc = xs_get(NULL, len - n, deadline);
	}
	return rc ? rc : (long)len;
}

/*
 * Send one request (payload of len bytes) and wait for its answer: the
 * reply's payload goes into reply (cut to size bytes). Returns the
 * payload's full length or a negative Xen errno (an XS_ERROR answer is
 * turned into its errno).
 */
static long xs_talk(uint32_t type, const char *payload, size_t len, char *reply,
		    size_t size)
{
	uint64_t deadline = timer_now() + timer_us_to_ticks(XS_TIMEOUT_US);
	struct xsd_sockmsg msg = {.type = type, .req_id = ++xs_req_id};
	unsigned int skipped;
	int rc;

	if (!xs) {
		return -XEN_ENODEV;
	}
	msg.len = (uint32_t)len;
	rc = xs_put((const char *)&msg, sizeof(msg), deadline);
	if (!rc) {
		rc = xs_put(payload, len, deadline);
	}
	/* Answers come in order; watch events (none asked for) are skipped. */
	for (skipped = 0; !rc && skipped < 16; skipped++) {
		rc = xs_get((char *)&msg, sizeof(msg), deadline);
		if (rc) {
			break;
		}
		if (msg.len > XENSTORE_PAYLOAD_MAX) {
			return -XEN_EIO;
		}
		if (msg.type == XS_WATCH_EVENT || msg.req_id != xs_req_id) {
			rc = xs_get(NULL, msg.len, deadline);
			continue;
		}
		if (msg.type == XS_ERROR) {
			return xs_error(msg.len, deadline);
		}
		if (msg.type != type) {
			return -XEN_EIO;
		}
		return xs_reply(msg.len, reply, size, deadline);
	}
	return rc ? rc : -XEN_EIO;
}

/* path and its NUL, then value (without a NUL) into buf. */
static long xs_payload(char *buf, const char *path, const char *value)
{
	size_t p = strlen(path) + 1;
	size_t v = value ? strlen(value) : 0;

	if (p + v > XS_MSG_MAX) {
		return -XEN_E2BIG;
	}
	memcpy(buf, path, p);
	if (v) {
		memcpy(buf + p, value, v);
	}
	return (long)(p + v);
}

long xenstore_read(const char *path, char *buf, size_t size)
{
	char msg[XS_MSG_MAX];
	long len = xs_payload(msg, path, NULL);

	if (len < 0 || !size) {
		return len < 0 ? len : -XEN_EINVAL;
	}
	len = xs_talk(XS_READ, msg, (size_t)len, buf, size - 1);
	if (len < 0) {
		return len;
	}
	buf[(size_t)len < size - 1 ? (size_t)len : size - 1] = '\0';
	return len;
}

long xenstore_read_uint(const char *path, unsigned long *value)
{
	char buf[24];
	long len = xenstore_read(path, buf, sizeof(buf));
	unsigned long v = 0;
	long i;

	if (len < 0) {
		return len;
	}
	if (!len || len >= (long)sizeof(buf)) {
		return -XEN_EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (buf[i] < '0' || buf[i] > '9') {
			return -XEN_EINVAL;
		}
		v = v * 10 + (unsigned long)(buf[i] - '0');
	}
	*value = v;
	return 0;
}

long xenstore_write(const char *path, const char *value)
{
	char msg[XS_MSG_MAX];
	char reply[8];
	long len = xs_payload(msg, path, value);

	if (len < 0) {
		return len;
	}
	len = xs_talk(XS_WRITE, msg, (size_t)len, reply, sizeof(reply));
	return len < 0 ? len : 0;
}

long xenstore_directory(const char *path, char *buf, size_t size)
{
	char msg[XS_MSG_MAX];
	long len = xs_payload(msg, path, NULL);

	if (len < 0) {
		return len;
	}
	len = xs_talk(XS_DIRECTORY, msg, (size_t)len, buf, size);
	if (len > (long)size) {
		return -XEN_E2BIG;
	}
	return len;
}

long xenstore_wait_uint(const char *path, unsigned long want,
			uint64_t timeout_us)
{
	uint64_t deadline = timer_now() + timer_us_to_ticks(timeout_us);
	unsigned long value = 0;
	long rc;

	for (;;) {
		rc = xenstore_read_uint(path, &value);
		if ((!rc && value >= want) || timer_expired(deadline)) {
			break;
		}
		timer_sleep_us(10 * XS_POLL_US);
	}
	return rc ? rc : (long)value;
}
