/*
 * Emulated MMIO dispatch.
 */
#include <hv/errno.h>
#include <hv/vmmio.h>

int vmmio_register(struct vmmio *m, paddr_t base, uint64_t size,
		   const struct vmmio_ops *ops, void *priv)
{
	unsigned int i;

	for (i = 0; i < m->nr; i++) {
		if ((base < (m->handlers[i].base + m->handlers[i].size)) &&
		    (m->handlers[i].base < (base + size))) {
			return -EEXIST;
		}
	}
	if (m->nr >= VMMIO_MAX_HANDLERS) {
		return -ENOSPC;
	}
	m->handlers[m->nr].base = base;
	m->handlers[m->nr].size = size;
	m->handlers[m->nr].ops = ops;
	m->handlers[m->nr].priv = priv;
	m->nr++;
	return 0;
}

bool vmmio_dispatch(struct vmmio *m, struct vcpu *v, paddr_t addr,
		    unsigned int size, bool write, uint64_t *val)
{
	const struct vmmio_handler *h;
	unsigned int i;

	for (i = 0; i < m->nr; i++) {
		h = &m->handlers[i];
		if ((addr < h->base) || ((addr + size) > (h->base + h->size))) {
			continue;
		}
		if (write) {
			return h->ops->write(v, addr - h->base, size, *val,
					     h->priv);
		}
		return h->ops->read(v, addr - h->base, size, val, h->priv);
	}
	return false;
}
