/*
 * Debug keys: single characters typed on the hypervisor console run a
 * diagnostic, as Xen's do ('h' lists them).
 */
#ifndef HV_KEYHANDLER_H
#define HV_KEYHANDLER_H

#include <hv/compiler.h>

struct keyhandler {
	char key;
	const char *desc;
	void (*fn)(char key);
};

#define HV_KEYHANDLER(k, description, handler)                                 \
	__used __section("hv_keyhandlers") static const struct keyhandler      \
		keyhandler_##handler = {(k), (description), (handler)}

/* Run the handler for key, or say that none is installed. */
void keyhandler_handle(char key);

/* Arch hook: raise an unexpected exception in the hypervisor. */
void arch_trigger_crash(void);

/* Handle every character waiting in the console input ring. */
void keyhandler_poll(void);

#endif /* HV_KEYHANDLER_H */
