/*
 * The online CPU set and cross-CPU function calls.
 *
 * Each CPU has one mailbox; a caller takes the mailbox lock, fills it in,
 * sends the IPI and waits for the target to clear "pending".
 */
#include <hv/atomic.h>
#include <hv/errno.h>
#include <hv/smp.h>
#include <hv/spinlock.h>
#include <hv/time.h>

struct call_mailbox {
	spinlock_t lock;
	void (*fn)(void *data);
	void *data;
	bool pending;
};

static struct call_mailbox mailboxes[NR_CPUS];
static bool cpu_online_flags[NR_CPUS];

void smp_set_online(unsigned int cpu)
{
	if (cpu < (unsigned int)NR_CPUS) {
		write_full(&cpu_online_flags[cpu], true);
	}
}

bool smp_cpu_online(unsigned int cpu)
{
	return (cpu < (unsigned int)NR_CPUS) &&
	       read_full(&cpu_online_flags[cpu]);
}

unsigned int smp_num_online(void)
{
	unsigned int n = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < (unsigned int)NR_CPUS; cpu++) {
		n += smp_cpu_online(cpu) ? 1U : 0U;
	}
	return n;
}

static bool wait_done(struct call_mailbox *mb)
{
	s_time_t deadline = time_now() + SECONDS(1);

	while (read_acquire(&mb->pending)) {
		if (time_now() > deadline) {
			return false;
		}
	}
	return true;
}

int smp_call_function(unsigned int cpu, void (*fn)(void *data), void *data)
{
	struct call_mailbox *mb;
	bool done;

	if (!smp_cpu_online(cpu)) {
		return -EINVAL;
	}
	if (cpu == smp_processor_id()) {
		fn(data);
		return 0;
	}
	mb = &mailboxes[cpu];
	spin_lock(&mb->lock);
	mb->fn = fn;
	mb->data = data;
	write_release(&mb->pending, true);
	arch_send_call_ipi(cpu);
	done = wait_done(mb);
	if (!done) {
		/* Withdraw the request so a late IPI does nothing. */
		write_full(&mb->pending, false);
	}
	spin_unlock(&mb->lock);
	return done ? 0 : -EBUSY;
}

void smp_call_function_interrupt(void)
{
	struct call_mailbox *mb = &mailboxes[smp_processor_id()];

	if (read_acquire(&mb->pending)) {
		mb->fn(mb->data);
		write_release(&mb->pending, false);
	}
}
