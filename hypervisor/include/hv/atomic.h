/*
 * Atomic accesses to memory that CPUs share: the one way the hypervisor
 * writes them, the compiler's __atomic builtins on plain types, named
 * after the operation and its ordering (_acquire, _release, _relaxed;
 * _full for sequentially consistent; read-modify-writes without a suffix
 * are acquire-release).
 *
 * READ_ONCE()/WRITE_ONCE() (hv/compiler.h) stay for single accesses that
 * only must not be torn, merged or repeated by the compiler. Read-modify-
 * writes on memory a guest can write go through hv/guest-atomics.h, whose
 * bound a guest cannot defeat.
 */
#ifndef HV_ATOMIC_H
#define HV_ATOMIC_H

/* Loads. */
#define read_relaxed(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define read_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define read_full(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)

/* Stores. */
#define write_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define write_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define write_full(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)

/* Read-modify-writes returning the new value. */
#define add_return(p, v) __atomic_add_fetch((p), (v), __ATOMIC_ACQ_REL)
#define add_return_relaxed(p, v) __atomic_add_fetch((p), (v), __ATOMIC_RELAXED)
#define sub_return(p, v) __atomic_sub_fetch((p), (v), __ATOMIC_ACQ_REL)

/* Read-modify-writes returning the old value. */
#define fetch_add_relaxed(p, v) __atomic_fetch_add((p), (v), __ATOMIC_RELAXED)
#define fetch_or(p, v) __atomic_fetch_or((p), (v), __ATOMIC_ACQ_REL)
#define fetch_and(p, v) __atomic_fetch_and((p), (v), __ATOMIC_ACQ_REL)
#define xchg(p, v) __atomic_exchange_n((p), (v), __ATOMIC_ACQ_REL)

/* If *p holds *expected, store desired (acquire) and return true; else
 * copy *p to *expected and return false. Never fails spuriously. */
#define cmpxchg_acquire(p, expected, desired)                                  \
	__atomic_compare_exchange_n((p), (expected), (desired), false,         \
				    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)

#endif /* HV_ATOMIC_H */
