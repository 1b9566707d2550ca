/*
 * Work done by idle CPUs.
 */
#ifndef HV_IDLE_H
#define HV_IDLE_H

#include <hv/types.h>

/* One bounded step of idle work (domain destruction, scrubbing); true if
 * more remains. Called with interrupts enabled. */
bool idle_work(void);

/* Let idle CPUs start their work (after the boot domains are built). */
void idle_work_start(void);

#endif /* HV_IDLE_H */
