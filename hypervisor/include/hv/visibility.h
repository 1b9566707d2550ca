/*
 * Included first in every hypervisor file by the build (-include): the
 * image is one position-independent executable, so every symbol is local
 * to it. Declaring them hidden lets the compiler call and address them
 * directly (pc-relative) instead of through the GOT.
 */
#ifndef HV_VISIBILITY_H
#define HV_VISIBILITY_H

#pragma GCC visibility push(hidden)

#endif /* HV_VISIBILITY_H */
