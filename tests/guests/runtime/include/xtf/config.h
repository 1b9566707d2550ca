/* Build-time limits, shared by C, assembly and the linker script. */
#ifndef XTF_CONFIG_H
#define XTF_CONFIG_H

#define MAX_CPUS 8 /* vCPUs a test can use */
#define STACK_SHIFT 14 /* 16 KiB stack per vCPU */
#define STACK_SIZE (1 << STACK_SHIFT)

#endif /* XTF_CONFIG_H */
