/*
 * Everything a guest test includes: the XTF-style runtime for Xen/Xenon
 * arm64 guests.
 *
 * A test is a folder tests/guests/<name>/ whose main.c defines
 *
 *     const char test_title[] = "one line saying what is tested";
 *     void test_main(void);
 *
 * The runtime boots the guest (MMU on with an identity map, exceptions,
 * device tree, console, GIC), prints the title, calls test_main() on vCPU 0,
 * then prints "Test result: <SUCCESS|SKIP|ERROR|FAILURE>" and powers the
 * domain off with PSCI SYSTEM_OFF.
 */
#ifndef XTF_H
#define XTF_H

#include <xtf/lib.h>
#include <xtf/arch.h>
#include <xtf/console.h>
#include <xtf/report.h>
#include <xtf/fdt.h>
#include <xtf/platform.h>
#include <xtf/hypercall.h>
#include <xtf/psci.h>
#include <xtf/gic.h>
#include <xtf/timer.h>
#include <xtf/smp.h>
#include <xtf/traps.h>

/* Provided by the test (tests/guests/<name>/main.c). */
extern const char test_title[];
void test_main(void);

/* Provided by the build: the test's folder name. */
extern const char test_name[];

#endif /* XTF_H */
