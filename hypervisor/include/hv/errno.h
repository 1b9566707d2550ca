/*
 * Error numbers. The values are Xen's (public errno.h), so that a negative
 * errno returned inside the hypervisor reaches guests unchanged.
 */
#ifndef HV_ERRNO_H
#define HV_ERRNO_H

#include <xen/errno.h>

#define EPERM XEN_EPERM
#define ENOENT XEN_ENOENT
#define ESRCH XEN_ESRCH
#define EIO XEN_EIO
#define E2BIG XEN_E2BIG
#define ENOMEM XEN_ENOMEM
#define EACCES XEN_EACCES
#define EFAULT XEN_EFAULT
#define EBUSY XEN_EBUSY
#define EEXIST XEN_EEXIST
#define ENODEV XEN_ENODEV
#define EINVAL XEN_EINVAL
#define ENOSPC XEN_ENOSPC
#define ERANGE XEN_ERANGE
#define ENOSYS XEN_ENOSYS
#define EOPNOTSUPP XEN_EOPNOTSUPP
#define EAGAIN XEN_EAGAIN
#define EDOM XEN_EDOM
#define ENXIO XEN_ENXIO
#define EILSEQ XEN_EILSEQ
#define EOVERFLOW XEN_EOVERFLOW
/* Internal, as Xen's (its public errno.h shows it only to Xen): the
 * hypercall continues later (hypercall_continue()). */
#define ERESTART 85

#endif /* HV_ERRNO_H */
