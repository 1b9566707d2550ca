/*
 * /init of the dom0 benchmark's initramfs: how long from reset until this
 * program's first instruction, measured inside dom0 without any help from
 * the hypervisor.
 *
 * QEMU runs the PL031 RTC on the virtual clock from a fixed date
 * (-rtc base=2024-01-01T00:00:00,clock=vm), so its seconds change exactly
 * at whole seconds of virtual time since reset. dom0 owns the PL031 (a host
 * device passed through). This program reads CNTVCT_EL0 first (c0), then
 * polls the RTC (RTC_RD_TIME) until its second changes to S; the poll that
 * saw the change started at CNTVCT c1. Then
 *
 *     reset to /init = S s - (c1 - c0) ticks          (1 tick = 16 ns)
 *
 * to within one poll (reported as poll_ticks). The result goes to the
 * console as
 *
 *     XENON-GUEST-INIT bench: reset_to_init_ns=<N> rtc_s=<S> c1_c0=<ticks> poll_ticks=<p>
 *
 * and dom0 powers off. Freestanding: raw Linux arm64 system calls, no libc.
 */
#include <stdint.h>

#define SYS_ioctl 29
#define SYS_mount 40
#define SYS_openat 56
#define SYS_write 64
#define SYS_exit 93
#define SYS_reboot 142

#define AT_FDCWD (-100)
#define O_RDONLY 0
#define RTC_RD_TIME 0x80247009UL /* _IOR('p', 0x09, struct rtc_time) */
#define REBOOT_MAGIC1 0xfee1deadUL
#define REBOOT_MAGIC2 672274793UL
#define REBOOT_CMD_POWER_OFF 0x4321fedcUL

#define NS_PER_TICK 16 /* CNTFRQ 62.5 MHz */

struct rtc_time {
	int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, tm_wday, tm_yday,
		tm_isdst;
};

void init_main(void);

__asm__(".text\n"
	".global _start\n"
	"_start:\n"
	"	mov	x29, xzr\n"
	"	bl	init_main\n"
	"1:	b	1b\n");

static long syscall6(long nr, long a0, long a1, long a2, long a3, long a4)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;
	register long x3 __asm__("x3") = a3;
	register long x4 __asm__("x4") = a4;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "memory");
	return x0;
}

static uint64_t vct(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static unsigned long slen(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

static char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

static char *put_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static void say(const char *s)
{
	syscall6(SYS_write, 1, (long)s, (long)slen(s), 0, 0);
}

static __attribute__((noreturn)) void power_off(void)
{
	syscall6(SYS_reboot, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWER_OFF,
		 0, 0);
	syscall6(SYS_exit, 1, 0, 0, 0, 0);
	for (;;)
		;
}

/* Seconds since 2024-01-01T00:00:00 (the RTC's base), within one day. */
static long rtc_seconds(long fd)
{
	struct rtc_time tm;

	if (syscall6(SYS_ioctl, fd, (long)RTC_RD_TIME, (long)&tm, 0, 0) != 0)
		return -1;
	if (tm.tm_year != 124 || tm.tm_mon != 0 || tm.tm_mday != 1)
		return -2; /* not the QEMU base date: not this setup */
	return (long)tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

void init_main(void)
{
	uint64_t c0 = vct(), c1 = 0, prev = 0;
	long fd, s0, s;
	char line[200], *p;

	syscall6(SYS_mount, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0,
		 0);
	fd = syscall6(SYS_openat, AT_FDCWD, (long)"/dev/rtc0", O_RDONLY, 0, 0);
	s0 = fd >= 0 ? rtc_seconds(fd) : -1;
	if (s0 < 0) {
		say("XENON-GUEST-INIT bench: error: cannot read /dev/rtc0\n");
		power_off();
	}
	do {
		prev = c1;
		c1 = vct();
		s = rtc_seconds(fd);
	} while (s == s0);
	p = put_str(line, "XENON-GUEST-INIT bench: reset_to_init_ns=");
	p = put_u64(p, (uint64_t)s * 1000000000ULL - (c1 - c0) * NS_PER_TICK);
	p = put_str(p, " rtc_s=");
	p = put_u64(p, (uint64_t)s);
	p = put_str(p, " c1_c0=");
	p = put_u64(p, c1 - c0);
	p = put_str(p, " poll_ticks=");
	p = put_u64(p, prev ? c1 - prev : 0);
	p = put_str(p, "\n");
	*p = 0;
	if (s < 0)
		say("XENON-GUEST-INIT bench: error: RTC read failed while polling\n");
	else
		say(line);
	power_off();
}
