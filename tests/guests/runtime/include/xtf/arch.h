/* AArch64 helpers: system registers, barriers, interrupt masking, locks. */
#ifndef XTF_ARCH_H
#define XTF_ARCH_H

#include <xtf/lib.h>

/* Register names are macro-expanded first (e.g. S3_0_C12_C12_0). */
#define read_sysreg(r) read_sysreg_(r)
#define write_sysreg(v, r) write_sysreg_(v, r)
#define read_sysreg_(r)                                                        \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mrs %0, " #r : "=r"(v_));                    \
		v_;                                                            \
	})
#define write_sysreg_(v, r)                                                    \
	__asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")

#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt : : : "memory")
#define wfi() __asm__ volatile("wfi" : : : "memory")
#define wfe() __asm__ volatile("wfe" : : : "memory")
#define sev() __asm__ volatile("sev" : : : "memory")
#define cpu_relax() __asm__ volatile("yield" : : : "memory")

/* PSTATE.I: IRQs. The guest is entered with D, A, I and F masked. */
static inline void local_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

static inline void local_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

/* MMIO accessors (the device area is mapped Device-nGnRnE). */
static inline uint32_t readl(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void writel(uint32_t v, uint64_t addr)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline uint64_t readq(uint64_t addr)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

/* MPIDR_EL1 without the RES1 bit 31, U (30) and MT (24): Aff3..Aff0. */
#define MPIDR_AFF_MASK 0xff00ffffffULL

/*
 * A spinlock on load-acquire/store-release exclusives. Waiters sleep in WFE,
 * which Xen traps and turns into a yield, so a lock holder that is not
 * running (more vCPUs than pCPUs) gets the CPU back sooner.
 */
typedef struct {
	uint32_t locked;
} spinlock_t;

static inline void spin_lock(spinlock_t *l)
{
	uint32_t tmp, one = 1;

	__asm__ volatile("	sevl\n"
			 "1:	wfe\n"
			 "2:	ldaxr	%w0, [%1]\n"
			 "	cbnz	%w0, 1b\n"
			 "	stxr	%w0, %w2, [%1]\n"
			 "	cbnz	%w0, 2b\n"
			 : "=&r"(tmp)
			 : "r"(&l->locked), "r"(one)
			 : "memory");
}

static inline void spin_unlock(spinlock_t *l)
{
	__asm__ volatile("stlr wzr, [%0]" : : "r"(&l->locked) : "memory");
}

static inline unsigned int atomic_inc(unsigned int *p)
{
	return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST);
}

static inline unsigned int atomic_read(const unsigned int *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void atomic_set(unsigned int *p, unsigned int v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

#endif /* XTF_ARCH_H */
