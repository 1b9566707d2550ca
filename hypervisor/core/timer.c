/*
 * Soft timers: one sorted singly linked list per CPU.
 */
#include <hv/irq.h>
#include <hv/smp.h>
#include <hv/spinlock.h>
#include <hv/timer.h>

struct timer_queue {
	spinlock_t lock;
	struct timer *head;
};

static struct timer_queue queues[NR_CPUS];

void timer_init(struct timer *t, void (*fn)(void *data), void *data,
		unsigned int cpu)
{
	t->expires = 0;
	t->fn = fn;
	t->data = data;
	t->cpu = (cpu < (unsigned int)NR_CPUS) ? cpu : 0U;
	t->active = false;
	t->next = NULL;
}

static void unlink_timer(struct timer_queue *q, struct timer *t)
{
	struct timer **pp = &q->head;

	while (*pp != NULL) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
		pp = &(*pp)->next;
	}
	t->active = false;
	t->next = NULL;
}

static void insert_timer(struct timer_queue *q, struct timer *t)
{
	struct timer **pp = &q->head;

	while ((*pp != NULL) && ((*pp)->expires <= t->expires)) {
		pp = &(*pp)->next;
	}
	t->next = *pp;
	*pp = t;
	t->active = true;
}

/* Reprogram the hardware if the queue is this CPU's. */
static void reprogram(const struct timer_queue *q, unsigned int cpu)
{
	if (cpu == smp_processor_id()) {
		arch_timer_program((q->head != NULL) ? q->head->expires : 0);
	}
}

void timer_set(struct timer *t, s_time_t expires)
{
	struct timer_queue *q = &queues[t->cpu];
	unsigned long flags;

	flags = spin_lock_irqsave(&q->lock);
	if (t->active) {
		unlink_timer(q, t);
	}
	t->expires = (expires > 0) ? expires : 1;
	insert_timer(q, t);
	reprogram(q, t->cpu);
	spin_unlock_irqrestore(&q->lock, flags);
}

void timer_stop(struct timer *t)
{
	struct timer_queue *q = &queues[t->cpu];
	unsigned long flags;

	flags = spin_lock_irqsave(&q->lock);
	if (t->active) {
		unlink_timer(q, t);
		reprogram(q, t->cpu);
	}
	spin_unlock_irqrestore(&q->lock, flags);
}

void timer_interrupt(void)
{
	unsigned int cpu = smp_processor_id();
	struct timer_queue *q = &queues[cpu];
	struct timer *t;
	unsigned long flags;

	flags = spin_lock_irqsave(&q->lock);
	while ((q->head != NULL) && (q->head->expires <= time_now())) {
		t = q->head;
		unlink_timer(q, t);
		/* The handler may re-arm t, so it runs without the lock. */
		spin_unlock(&q->lock);
		t->fn(t->data);
		spin_lock(&q->lock);
	}
	reprogram(q, cpu);
	spin_unlock_irqrestore(&q->lock, flags);
}
