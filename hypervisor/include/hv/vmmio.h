/*
 * Emulated MMIO: device models register the guest-physical ranges they
 * handle; stage-2 data aborts in those ranges are forwarded to them.
 */
#ifndef HV_VMMIO_H
#define HV_VMMIO_H

#include <hv/compiler.h>

struct vcpu;

#define VMMIO_MAX_HANDLERS 8U

struct vmmio_ops {
	/* Read size bytes (1, 2, 4 or 8) at offset; returns false if the
	 * access is not allowed (the domain is then crashed). */
	bool (*read)(struct vcpu *v, uint64_t offset, unsigned int size,
		     uint64_t *val, void *priv);
	bool (*write)(struct vcpu *v, uint64_t offset, unsigned int size,
		      uint64_t val, void *priv);
};

struct vmmio_handler {
	paddr_t base;
	uint64_t size;
	const struct vmmio_ops *ops;
	void *priv;
};

struct vmmio {
	struct vmmio_handler handlers[VMMIO_MAX_HANDLERS];
	unsigned int nr;
};

/* Register ops for [base, base + size) in d; 0 or -ENOSPC / -EEXIST. */
int __must_check vmmio_register(struct vmmio *m, paddr_t base, uint64_t size,
				const struct vmmio_ops *ops, void *priv);

/* Dispatch an access; returns false if nothing handles addr or the
 * handler refused. */
bool vmmio_dispatch(struct vmmio *m, struct vcpu *v, paddr_t addr,
		    unsigned int size, bool write, uint64_t *val);

#endif /* HV_VMMIO_H */
