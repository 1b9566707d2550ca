/*
 * A xenstore client for guests an xl toolstack builds: the ring page of
 * HVM_PARAM_STORE_PFN and the event channel of HVM_PARAM_STORE_EVTCHN
 * (struct xenstore_domain_interface, <xen/io/xs_wire.h>).
 *
 * One request at a time, answered before the next is sent; no
 * transactions, no watches. A path without a leading '/' is relative to
 * the domain's home, /local/domain/<domid>. Each call gives up after a
 * bounded wait.
 */
#ifndef XTF_XENSTORE_H
#define XTF_XENSTORE_H

#include <xtf/lib.h>

/* Find the ring; 0, or -XEN_ENODEV when the domain has none. */
int xenstore_init(void);

/*
 * Read path's value into buf, NUL-terminated (cut to size - 1 bytes).
 * Returns the value's length, or a negative Xen errno (-XEN_ENOENT for a
 * missing node, -XEN_ETIMEDOUT when xenstored did not answer).
 */
long xenstore_read(const char *path, char *buf, size_t size);

/* Read path as an unsigned decimal number; 0 or a negative Xen errno. */
long xenstore_read_uint(const char *path, unsigned long *value);

/* Write value at path (creating it); 0 or a negative Xen errno. */
long xenstore_write(const char *path, const char *value);

/*
 * The names of path's children, each NUL-terminated, one after the other
 * in buf. Returns the bytes used, or a negative Xen errno.
 */
long xenstore_directory(const char *path, char *buf, size_t size);

/*
 * Wait up to timeout_us until path holds a number >= want; returns the
 * last number read, or a negative Xen errno if it never could be read.
 */
long xenstore_wait_uint(const char *path, unsigned long want,
			uint64_t timeout_us);

#endif /* XTF_XENSTORE_H */
