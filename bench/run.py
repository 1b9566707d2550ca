#!/usr/bin/env python3
"""Side-by-side benchmarks of Xenon and Xen 4.17 under deterministic emulation.

    bench/run.py [--build DIR] [--runs N] [--only RUN...] [--list]

`make bench` runs this. It fetches Debian's Xen 4.17 (scripts/xen-ref.sh)
and Linux 6.1 (scripts/debian-guest.py), builds the benchmark micro-VMs
(bench/guests, on the tests/guests runtime), the bare-metal floor
(bench/floor) and dom0's /init (bench/linux), boots every scenario on both
hypervisors under QEMU with `-icount shift=0,sleep=off` (one instruction =
1 ns of virtual time; idle time skipped, not waited), prints a table
(scenario, Xen 4.17, Xenon, Xenon/Xen), and writes
bench/results/latest.json, the chart bench/results/latest.png (gnuplot,
installed with apt-get if missing) and the table in docs/performance.md
(between its `<!-- bench:begin -->` and `<!-- bench:end -->` lines).

Every figure comes from the guest counter (CNTVCT/CNTPCT, 62.5 MHz, one
tick = 16 instructions), so it is a count of emulated instructions, not of
host time, and identical from run to run: each boot is done --runs times
(default 2) and any difference is an error. No figure is checked against a
limit.

--only runs some boots (names from --list) and writes nothing but logs.
Logs: <build>/bench/logs/<run>.<hypervisor>.<n>.log, with the QEMU command
next to each (.cmd). Standard library only; needs qemu-system-aarch64,
fdtput (device-tree-compiler) and the cross compiler (make deps).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import selectors
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "scripts"))

import dom0less  # noqa: E402  (scripts/dom0less.py)

QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
CPU = "cortex-a57"
# Deterministic board: no random seeds in the DTB, the RTC on the virtual
# clock from a fixed date, one instruction per virtual ns, and idle time
# skipped instead of slept (sleep=off), so host speed and load never show.
MACHINE_OPTS = ",dtb-randomness=off"
DETERMINISM = ["-icount", "shift=0,sleep=off",
               "-rtc", "base=2024-01-01T00:00:00,clock=vm"]
# QEMU 7.2 under -icount stalls Xen 4.17's secondary CPU bring-up: every
# scenario runs on one physical CPU.
SMP = 1
COUNTER_HZ = 62_500_000  # CNTFRQ of QEMU virt; checked against the guests
NS_PER_TICK = 1e9 / COUNTER_HZ

XEN_BOOTARGS = "console=dtuart loglvl=all guest_loglvl=all bootscrub=0"
DOM0_XEN_BOOTARGS = "dom0_mem=512M " + XEN_BOOTARGS
DOM0_KERNEL_ARGS = "console=hvc0 rdinit=/init"
DOM0_KERNEL_ADDR = 0x49000000
DOM0_INITRD_ADDR = 0x50000000

RESULTS = HERE / "results"
DOC = REPO / "docs" / "performance.md"
DOC_BEGIN = "<!-- bench:begin -->"
DOC_END = "<!-- bench:end -->"

# A guest's console line: "(XEN) DOM1: text" (Xen's vpl011) or "(d1) text".
GUEST_RE = re.compile(
    r"^(?:\((?:XEN|XENON)\) )?(?:DOM(?P<a>\d+): |\(d(?P<b>\d+)\) )(?P<text>.*)$")
BANNER_RE = re.compile(r"^--- Xenon guest test: (\S+) ---\s*$")
RESULT_RE = re.compile(r"^Test result: (SUCCESS|SKIP|ERROR|FAILURE)\s*$")
BENCH_RE = re.compile(
    r"^bench: (?P<name>\w+) (?P<median>\d+) ticks min=(?P<min>\d+) "
    r"max=(?P<max>\d+) n=(?P<n>\d+) per=(?P<per>\d+)\s*$")
UNSUPPORTED_RE = re.compile(r"^bench: (?P<name>\w+) unsupported (?P<why>.*)$")
CNTFRQ_RE = re.compile(r"CNTFRQ (\d+)")
HV_FAILURE_RE = re.compile(
    r"^\((?:XEN|XENON)\) (?:.*PANIC|Unexpected exception|.*Panic on CPU)")
# The dom0 benchmark's /init (bench/linux/init.c) reports on the console.
DOM0_INIT_RE = re.compile(
    r"XENON-GUEST-INIT bench: reset_to_init_ns=(?P<reset_to_init_ns>\d+) rtc_s=(?P<rtc_s>\d+) "
    r"c1_c0=(?P<c1_c0>\d+) poll_ticks=(?P<poll_ticks>\d+)")
DOM0_INIT_ERROR_RE = re.compile(r"XENON-GUEST-INIT bench: error: (.*)$")
NO_DOM0_RE = re.compile(r"No domains to start|no dom0")


# ---------------------------------------------------------------------------
# What is run


@dataclass
class Run:
    """One boot: a set of domains (or the floor, or a dom0) on one board."""

    name: str
    kind: str = "guest"  # guest | dom0-guest | floor | dom0 | xl
    guest: str = ""  # image under <build>/bench/guests/
    vcpus: int = 1
    domains: int = 1
    memory_mib: int = 16
    host_mem: str = "2G"
    timeout: float = 120.0
    script: str = ""  # kind xl: bench/linux/<script>.sh run in dom0


@dataclass
class Row:
    """One line of the table: a figure from a run, or a static one."""

    key: str
    label: str
    run: str = ""  # Run.name; "" for static rows
    metric: str = ""  # the name in the guest's "bench:" line
    unit: str = "time"  # time | bytes | lines
    goal: Optional[float] = None  # the Xenon/Xen ratio to stay at or under
    limit: Optional[float] = None  # or the Xenon figure (in unit) to stay under


RUNS = [
    Run("floor", kind="floor"),  # bare metal at EL2, no hypervisor
    Run("hypercall", guest="hypercall"),
    Run("timer", guest="timer"),
    Run("sgi", guest="sgi", vcpus=2),
    Run("yield", guest="yield", domains=2),
    Run("evtchn", guest="evtchn"),
    Run("boot", guest="boot-stamped"),
    Run("build-256M", guest="boot-stamped", memory_mib=256, host_mem="20G"),
    Run("build-1G", guest="boot-stamped", memory_mib=1024, host_mem="20G"),
    Run("build-4G", guest="boot-stamped", memory_mib=4096, host_mem="20G"),
    Run("build-16G", guest="boot-stamped", memory_mib=16384, host_mem="20G"),
    # The boot micro-VM as dom0 (dom0_mem=512M), which also times the
    # PL031's interrupt passed through to it.
    Run("dom0-boot", kind="dom0-guest", guest="dom0-stamped"),
    Run("dom0", kind="dom0", timeout=300.0),
    # Debian's xl in dom0 (make dom0-rootfs) creating and destroying guests.
    Run("toolstack", kind="xl", host_mem="3G", timeout=1800.0, script="xl-bench"),
    # PV disk and network of a Linux guest xl builds, measured in the guest.
    Run("pv", kind="xl", host_mem="3G", timeout=1800.0, script="pv-bench"),
]
RUN_BY_NAME = {r.name: r for r in RUNS}

# Every hypercall, interrupt and exit path: at most this fraction of Xen 4.17.
HOT_PATH_GOAL = 0.30
# Reset to dom0's first instruction: at most this fraction of Xen 4.17.
DOM0_BOOT_GOAL = 0.05

ROWS = [
    Row("floor_hvc", "Trap floor: HVC to an EL2 vector that only ERETs (no hypervisor)",
        "floor", "floor_hvc"),
    Row("null_hypercall", "Null hypercall: xen_version(XENVER_version)",
        "hypercall", "null_hypercall", goal=HOT_PATH_GOAL),
    Row("copy_1k", "Hypercall copying 1 KiB out: xen_version(XENVER_capabilities)",
        "hypercall", "copy_1k", goal=HOT_PATH_GOAL),
    Row("vtimer_running", "Virtual timer IRQ, deadline to handler, vCPU spinning",
        "timer", "vtimer_running", goal=HOT_PATH_GOAL),
    Row("vtimer_wfi", "Virtual timer IRQ, deadline to handler, vCPU in WFI",
        "timer", "vtimer_wfi", goal=HOT_PATH_GOAL),
    Row("vtimer_wfi_short", "The same, deadline 20 µs ahead (inside Xen's 50 µs timer_slop)",
        "timer", "vtimer_wfi_short", goal=HOT_PATH_GOAL),
    Row("sgi_oneway", "SGI vCPU 0 to vCPU 1, send to handler (2 vCPUs on 1 pCPU)",
        "sgi", "sgi_oneway", goal=HOT_PATH_GOAL),
    Row("sgi_roundtrip", "SGI ping-pong round trip (2 vCPUs on 1 pCPU)",
        "sgi", "sgi_roundtrip", goal=HOT_PATH_GOAL),
    Row("yield_switch", "SCHEDOP_yield round trip between 2 domains on 1 pCPU",
        "yield", "yield_switch", goal=HOT_PATH_GOAL),
    Row("evtchn_upcall", "Event channel: EVTCHNOP_send to upcall handler (IPI port)",
        "evtchn", "evtchn_upcall", goal=HOT_PATH_GOAL),
    Row("boot_to_domU", "Boot: reset to first instruction of a 16 MiB domU (-m 2G)",
        "boot", "boot_to_domU"),
    Row("build_256M", "Build a 256 MiB domU: reset to its first instruction (-m 20G)",
        "build-256M", "boot_to_domU"),
    Row("build_1G", "Build a 1 GiB domU: reset to its first instruction (-m 20G)",
        "build-1G", "boot_to_domU"),
    Row("build_4G", "Build a 4 GiB domU: reset to its first instruction (-m 20G)",
        "build-4G", "boot_to_domU"),
    Row("build_16G", "Build a 16 GiB domU: reset to its first instruction (-m 20G)",
        "build-16G", "boot_to_domU"),
    Row("boot_to_dom0", "Boot: reset to dom0's first instruction (-m 2G, dom0_mem=512M)",
        "dom0-boot", "boot_to_dom0", goal=DOM0_BOOT_GOAL),
    Row("passthrough_irq", "Device IRQ passed through to dom0: PL031 raise to handler",
        "dom0-boot", "passthrough_irq", goal=HOT_PATH_GOAL),
    Row("dom0_linux", "Debian Linux 6.1 as dom0: reset to /init (-m 2G, dom0_mem=512M)",
        "dom0", "dom0_init"),
    Row("xl_first_256", "xl create -> first instruction of a 256 MiB micro guest",
        "toolstack", "first_256"),
    Row("xl_first_2G", "xl create -> first instruction of a 2 GiB micro guest",
        "toolstack", "first_2048"),
    Row("xl_init_256", "xl create -> /init of a 256 MiB Debian Linux guest",
        "toolstack", "init_256"),
    Row("xl_init_2G", "xl create -> /init of a 2 GiB Debian Linux guest",
        "toolstack", "init_2048"),
    Row("xl_destroy_256", "xl destroy -> memory back, 256 MiB Linux guest",
        "toolstack", "destroy_256"),
    Row("xl_destroy_2G", "xl destroy -> memory back, 2 GiB Linux guest",
        "toolstack", "destroy_2048"),
    Row("pv_write", "PV disk: 64 MiB written to xvda, 1 MiB O_DIRECT blocks (guest time)",
        "pv", "pv_write"),
    Row("pv_read", "PV disk: 64 MiB read from xvda, 1 MiB O_DIRECT blocks (guest time)",
        "pv", "pv_read"),
    Row("pv_net", "PV network: 64 MiB domU -> dom0 over TCP, busybox nc (guest time)",
        "pv", "pv_net"),
    Row("pv_ping", "PV network: ping round trip domU <-> dom0 (average of 20)",
        "pv", "pv_ping"),
    Row("image_size", "Hypervisor image size", unit="bytes", limit=250 * 1000),
    Row("lines_of_code", "Hypervisor source: lines of C/asm, no blanks or comments",
        unit="lines"),
]


@dataclass
class Hypervisor:
    key: str  # xen | xenon
    title: str
    image: Path


# ---------------------------------------------------------------------------
# Small helpers


def say(text: str) -> None:
    print(text, flush=True)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fail(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)
    sys.exit(1)


def ensure_gnuplot() -> bool:
    """gnuplot for the chart: Debian's gnuplot-nox, installed if missing
    (as scripts/deps.sh does for the build's packages)."""
    if shutil.which("gnuplot"):
        return True
    if not shutil.which("apt-get"):
        say("bench: gnuplot missing and no apt-get: no chart")
        return False
    sudo = [] if os.geteuid() == 0 else (["sudo"] if shutil.which("sudo") else None)
    if sudo is None:
        say("bench: gnuplot missing; as root run: apt-get install gnuplot-nox")
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    say("bench: installing gnuplot-nox (for the chart)")
    install = sudo + ["apt-get", "install", "-y", "-q", "gnuplot-nox"]
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(sudo + ["apt-get", "update", "-q"], env=env,
                       stdout=subprocess.DEVNULL)
        subprocess.run(install, env=env, stdout=subprocess.DEVNULL)
    if shutil.which("gnuplot"):
        return True
    say("bench: could not install gnuplot-nox: no chart")
    return False


def qemu_version() -> str:
    out = subprocess.run([QEMU, "--version"], capture_output=True, text=True)
    return out.stdout.splitlines()[0].strip() if out.stdout else "unknown"


def git_describe() -> str:
    rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"],
                         capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain",
                            "--untracked-files=no", "--", "hypervisor"],
                           capture_output=True, text=True).stdout.strip()
    return (rev or "unknown") + ("+changes" if dirty else "")


# ---------------------------------------------------------------------------
# Booting and watching the console


@dataclass
class Boot:
    log: list[str]
    timed_out: bool
    exited: bool
    seconds: float


def boot(cmd: list[str], log_path: Path,
         done: Callable[[list[str], list[str]], bool], timeout: float) -> Boot:
    """Run QEMU until done(all_lines, new_lines) is true, it exits or
    timeout (host seconds; a safety net only). The log and command are
    kept."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.with_suffix(".cmd").write_text(shlex.join(cmd) + "\n")
    lines: list[str] = []
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    buf = b""
    timed_out = exited = False
    try:
        while True:
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                timed_out = True
                break
            if not sel.select(min(left, 1.0)):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                exited = True
                break
            buf += chunk
            *complete, buf = buf.split(b"\n")
            new = [c.decode("utf-8", "replace").replace("\r", "") for c in complete]
            lines += new
            if new and done(lines, new):
                break
    finally:
        sel.close()
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        proc.stdout.close()
        if buf:
            lines.append(buf.decode("utf-8", "replace").replace("\r", ""))
        lines = [ln for ln in lines
                 if not ln.startswith("qemu-system-aarch64: terminating on signal")]
        log_path.write_text("\n".join(lines) + "\n")
    return Boot(lines, timed_out, exited, time.monotonic() - start)


@dataclass
class Outcome:
    """What one boot measured: metric -> figures, or why not."""

    metrics: dict = field(default_factory=dict)  # name -> dict
    missing: dict = field(default_factory=dict)  # name -> why ("not yet")
    error: Optional[str] = None
    log: Optional[Path] = None
    seconds: float = 0.0


def guest_lines(lines: list[str]) -> dict[int, list[str]]:
    """Each guest domain's output, by domain number."""
    doms: dict[int, list[str]] = {}
    for ln in lines:
        m = GUEST_RE.match(ln)
        if m:
            doms.setdefault(int(m.group("a") or m.group("b")), []).append(m.group("text"))
    return doms


def collect_guest(who: str, text: list[str], out: Outcome) -> list[str]:
    """A micro-VM's figures (into out) and what went wrong with it."""
    problems = []
    verdicts = [RESULT_RE.match(x).group(1) for x in text if RESULT_RE.match(x)]
    for x in text:
        m = CNTFRQ_RE.search(x)
        if m and int(m.group(1)) != COUNTER_HZ:
            problems.append(f"{who}: CNTFRQ {m.group(1)}, expected {COUNTER_HZ}")
        m = BENCH_RE.match(x)
        if m and m.group("name") not in out.metrics:
            out.metrics[m.group("name")] = {
                k: int(m.group(k)) for k in ("median", "min", "max", "n", "per")}
        m = UNSUPPORTED_RE.match(x)
        if m:
            out.missing.setdefault(m.group("name"), m.group("why").strip())
    if not verdicts:
        problems.append(f"{who} printed no 'Test result:'")
    elif verdicts[-1] not in ("SUCCESS", "SKIP"):
        why = [x for x in text if x.startswith(("Failure:", "Error:"))]
        problems.append(f"{who}: Test result: {verdicts[-1]}"
                        + (f" ({why[0]})" if why else ""))
    return problems


def finish(run: Run, b: Boot, out: Outcome, problems: list[str]) -> Outcome:
    """Add a boot's hypervisor failure or timeout to what its guests said."""
    hv_fail = [ln for ln in b.log if HV_FAILURE_RE.match(ln)]
    if hv_fail:
        problems.append(f"hypervisor failure: {hv_fail[0]}")
    if b.timed_out:
        problems.append(f"timed out after {run.timeout:.0f} s")
    if problems:
        out.error = "; ".join(problems)
    return out


def run_guest(run: Run, hv: Hypervisor, images: Path, work: Path, log: Path) -> Outcome:
    image = images / f"{run.guest}.bin"
    domains = [dom0less.Domain(kernel=image, bootargs=f"xtf bench={run.name}",
                               memory_kib=run.memory_mib * 1024, vcpus=run.vcpus)
               for _ in range(run.domains)]
    dtb, loaders = dom0less.make(work, domains, XEN_BOOTARGS, cpu=CPU, smp=SMP,
                                 mem=run.host_mem, machine_opts=MACHINE_OPTS)
    cmd = dom0less.qemu_command(hv.image, dtb, loaders, cpu=CPU, smp=SMP,
                                mem=run.host_mem, machine_opts=MACHINE_OPTS,
                                extra=tuple(DETERMINISM))

    def done(lines: list[str], new: list[str]) -> bool:
        if any(HV_FAILURE_RE.match(ln) for ln in new):
            return True
        doms = guest_lines(lines)
        finished = [d for d, t in doms.items() if any(RESULT_RE.match(x) for x in t)]
        return len(finished) >= run.domains

    b = boot(cmd, log, done, run.timeout)
    out = Outcome(log=log, seconds=b.seconds)
    doms = guest_lines(b.log)
    problems = []
    for dom in sorted(doms)[: run.domains]:
        problems += collect_guest(f"d{dom}", doms[dom], out)
    if len(doms) < run.domains:
        problems.append(f"{len(doms)} of {run.domains} domains printed anything")
    return finish(run, b, out, problems)


def run_floor(run: Run, floor: Path, log: Path) -> Outcome:
    cmd = [QEMU, "-M", dom0less.machine() + MACHINE_OPTS, "-cpu", CPU,
           "-smp", str(SMP), "-m", run.host_mem, "-nographic", "-no-reboot",
           "-kernel", str(floor), *DETERMINISM]
    b = boot(cmd, log, lambda _, new: any(BENCH_RE.match(ln) for ln in new),
             run.timeout)
    out = Outcome(log=log, seconds=b.seconds)
    for ln in b.log:
        m = BENCH_RE.match(ln)
        if m:
            out.metrics[m.group("name")] = {
                k: int(m.group(k)) for k in ("median", "min", "max", "n", "per")}
    if not out.metrics:
        out.error = "the floor printed no 'bench:' line"
    return out


def cpio_entry(name: str, mode: int, data: bytes = b"", ino: int = 0) -> bytes:
    """One newc cpio entry."""
    fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0)
    hdr = b"070701" + b"".join(b"%08x" % f for f in fields) + name.encode() + b"\0"
    hdr += b"\0" * (-len(hdr) % 4)
    return hdr + data + b"\0" * (-len(data) % 4)


def write_initrd(init: Path, path: Path) -> Path:
    """An uncompressed newc cpio archive with /dev and /init (the kernel's
    built-in initramfs already provides /dev/console)."""
    blob = (cpio_entry("dev", 0o040755, ino=1)
            + cpio_entry("init", 0o100755, init.read_bytes(), ino=2)
            + cpio_entry("TRAILER!!!", 0))
    path.write_bytes(blob)
    return path


def dom0_command(run: Run, hv: Hypervisor, kernel: Path, initrd: Optional[Path],
                 bootargs: str) -> list[str]:
    """Xen's own QEMU line for a dom0: guest-loader modules (the kernel
    becomes /chosen's multiboot,kernel node), the initrd if any."""
    ramdisk = (["-device", f"guest-loader,addr={DOM0_INITRD_ADDR:#x},initrd={initrd}"]
               if initrd else [])
    return [QEMU, "-M", dom0less.machine() + MACHINE_OPTS, "-cpu", CPU,
            "-smp", str(SMP), "-m", run.host_mem, "-nographic", "-no-reboot",
            "-kernel", str(hv.image), "-append", DOM0_XEN_BOOTARGS,
            "-device", f"guest-loader,addr={DOM0_KERNEL_ADDR:#x},kernel={kernel},"
            f"bootargs={bootargs}",
            *ramdisk, *DETERMINISM]


# A hypervisor's own console line (dom0's console_io lines carry no prefix).
HV_LINE_RE = re.compile(r"^\((?:XEN|XENON)\) ")


def run_dom0_guest(run: Run, hv: Hypervisor, images: Path, log: Path) -> Outcome:
    """A benchmark micro-VM booted as dom0 (not a dom0less domU) by the
    same QEMU line as the Linux dom0, without initrd; it prints on
    console_io (the hypervisors keep the UART), lines without prefix."""
    cmd = dom0_command(run, hv, images / f"{run.guest}.bin", None,
                       f"xtf bench={run.name}")

    def done(_, new: list[str]) -> bool:
        return any(RESULT_RE.match(ln) or NO_DOM0_RE.search(ln)
                   or HV_FAILURE_RE.match(ln) for ln in new)

    b = boot(cmd, log, done, run.timeout)
    out = Outcome(log=log, seconds=b.seconds)
    no_dom0 = [ln for ln in b.log if NO_DOM0_RE.search(ln)]
    if no_dom0:
        for row in ROWS:
            if row.run == run.name:
                out.missing[row.metric] = "not yet: " + no_dom0[0]
        return out
    problems = collect_guest("d0", [ln for ln in b.log if not HV_LINE_RE.match(ln)], out)
    return finish(run, b, out, problems)


def run_dom0(run: Run, hv: Hypervisor, kernel: Optional[Path], initrd: Path,
             log: Path) -> Outcome:
    """Debian's Linux 6.1 kernel (scripts/debian-guest.py) as dom0, booted
    with Xen's own QEMU line (guest-loader modules), with an initramfs whose
    /init (bench/linux/init.c) times itself against the virtual-clock RTC and
    powers dom0 off."""
    out = Outcome(log=log)
    if kernel is None:
        out.missing["dom0_init"] = "not measured: scripts/debian-guest.py failed"
        return out
    cmd = dom0_command(run, hv, kernel, initrd, DOM0_KERNEL_ARGS)

    def done(_, new: list[str]) -> bool:
        return any(DOM0_INIT_RE.search(ln) or DOM0_INIT_ERROR_RE.search(ln)
                   or NO_DOM0_RE.search(ln) or HV_FAILURE_RE.match(ln) for ln in new)

    b = boot(cmd, log, done, run.timeout)
    out.seconds = b.seconds
    for ln in b.log:
        m = DOM0_INIT_RE.search(ln)
        if m:
            out.metrics["dom0_init"] = {k: int(v) for k, v in m.groupdict().items()}
            return out
    errors = [m.group(1) for m in map(DOM0_INIT_ERROR_RE.search, b.log) if m]
    no_dom0 = [ln for ln in b.log if NO_DOM0_RE.search(ln)]
    if no_dom0:
        # The hypervisor ignored the dom0 kernel: a missing feature.
        out.missing["dom0_init"] = "not yet: " + no_dom0[0]
        return out
    out.error = (errors[0] if errors else "dom0's /init reported nothing") + (
        f"; timed out after {run.timeout:.0f} s" if b.timed_out else "")
    return out


XL_STAMP_RE = re.compile(r"XENON-BENCH (\w+)=(\d+)")
XL_ERROR_RE = re.compile(r"XENON-BENCH error: (.*)$")
XL_DONE_RE = re.compile(r"XENON-TS-DONE: ")
XL_SIZES = (256, 2048)


def xl_initrd(build: Path, images: Path) -> Path:
    """make dom0-rootfs's initramfs with the benchmark's script and micro
    guest appended (Linux unpacks concatenated archives in order)."""
    rootfs = Path(subprocess.run(
        [sys.executable, str(REPO / "scripts" / "dom0-rootfs.py"), "--build", str(build)],
        check=True, capture_output=True, text=True).stdout.strip())
    extra = (cpio_entry("root", 0o040755, ino=1)
             + cpio_entry("root/bench", 0o040755, ino=2)
             + cpio_entry("root/bench/first.bin", 0o100644,
                          (images / "boot-stamped.bin").read_bytes(), ino=3)
             + cpio_entry("root/tests", 0o040755, ino=4)
             + b"".join(cpio_entry(f"root/tests/{name}.sh", 0o100755,
                                   (HERE / "linux" / f"{name}.sh").read_bytes(), ino=5 + i)
                        for i, name in enumerate(("bench-lib", "xl-bench", "pv-bench")))
             + cpio_entry("TRAILER!!!", 0))
    path = build / "bench" / "xl-dom0.cpio.gz"
    path.write_bytes(rootfs.read_bytes() + gzip.compress(extra))
    return path


def run_xl(run: Run, hv: Hypervisor, kernel: Optional[Path], initrd: Path,
           log: Path) -> Outcome:
    """Debian's Xen 4.17 tools in dom0 (make dom0-rootfs) run
    bench/linux/<run.script>.sh: xl-bench times xl create and destroy
    against the virtual-clock RTC (the micro guest stamps its own first
    instruction); pv-bench prints what the guest measured."""
    out = Outcome(log=log)
    names = [r.metric for r in ROWS if r.run == run.name]
    if kernel is None:
        for n in names:
            out.missing[n] = "not measured: scripts/debian-guest.py failed"
        return out
    cmd = dom0_command(run, hv, kernel, initrd,
                       f"{DOM0_KERNEL_ARGS} xenon.test={run.script}")

    def done(_, new: list[str]) -> bool:
        return any(XL_DONE_RE.search(ln) or XL_ERROR_RE.search(ln)
                   or HV_FAILURE_RE.match(ln) for ln in new)

    b = boot(cmd, log, done, run.timeout)
    out.seconds = b.seconds
    us = {m.group(1): int(m.group(2)) for m in map(XL_STAMP_RE.search, b.log) if m}
    for mib in XL_SIZES:
        start, ticks = us.get(f"first_{mib}_start_us"), us.get(f"first_{mib}_ticks")
        if start is not None and ticks is not None:
            out.metrics[f"first_{mib}"] = {"ns": round(ticks * NS_PER_TICK) - start * 1000}
        for k in ("init", "destroy"):
            a, z = us.get(f"{k}_{mib}_start_us"), us.get(f"{k}_{mib}_us")
            if a is not None and z is not None:
                out.metrics[f"{k}_{mib}"] = {"ns": (z - a) * 1000}
    for n in names:
        if f"{n}_ns" in us:
            out.metrics[n] = {"ns": us[f"{n}_ns"]}
    lost = [n for n in names if n not in out.metrics]
    if lost:
        errors = [m.group(1) for m in map(XL_ERROR_RE.search, b.log) if m]
        errors += [ln for ln in b.log if HV_FAILURE_RE.match(ln)]
        out.error = f"no figure for {', '.join(lost)}" + (
            f": {errors[0]}" if errors else "") + (
            f"; timed out after {run.timeout:.0f} s" if b.timed_out else "")
    return out


# ---------------------------------------------------------------------------
# Static figures


def count_code_lines(root: Path) -> dict:
    """Lines of hypervisor/*.c, *.h, *.S: all, and without blank lines and
    comments (C and C++ style; '//' inside strings is rare enough here)."""
    total = code = files = 0
    for p in sorted(root.rglob("*")):
        if p.suffix not in (".c", ".h", ".S") or not p.is_file():
            continue
        files += 1
        text = p.read_text(errors="replace")
        total += text.count("\n")
        in_comment = False
        for line in text.splitlines():
            out = []
            i = 0
            while i < len(line):
                if in_comment:
                    end = line.find("*/", i)
                    if end < 0:
                        i = len(line)
                    else:
                        in_comment, i = False, end + 2
                elif line.startswith("/*", i):
                    in_comment, i = True, i + 2
                elif line.startswith("//", i):
                    break
                else:
                    out.append(line[i])
                    i += 1
            if "".join(out).strip():
                code += 1
    return {"files": files, "lines": total, "code_lines": code}


# ---------------------------------------------------------------------------
# Figures, table, JSON, chart, docs


def figure(metric: dict) -> float:
    """The number shown: ns per operation (time), or a count."""
    if "reset_to_init_ns" in metric:
        return float(metric["reset_to_init_ns"])
    if "ns" in metric:
        return float(metric["ns"])
    return metric["median"] * NS_PER_TICK / metric["per"]


def fmt_value(unit: str, v: Optional[float]) -> str:
    if v is None:
        return "-"
    if unit == "bytes":
        return f"{v / 1024:,.1f} KiB"
    if unit == "lines":
        return f"{int(v):,}"
    if v < 1e3:
        return f"{v:.1f} ns"
    if v < 1e6:
        return f"{v / 1e3:.2f} µs"
    if v < 1e9:
        return f"{v / 1e6:.2f} ms"
    return f"{v / 1e9:.3f} s"


def cell(entry: dict, unit: str) -> str:
    if "value" in entry:
        return fmt_value(unit, entry["value"])
    return entry.get("status", "-")


def ratio(row_entry: dict) -> str:
    r = row_entry.get("ratio")
    return f"{r:.2f}" if r is not None else "-"


def goal_met(row_entry: dict) -> Optional[bool]:
    """Whether the row meets its goal; None if it has none or no figure."""
    if row_entry.get("goal") is not None:
        r = row_entry.get("ratio")
        return None if r is None else r <= row_entry["goal"]
    if row_entry.get("limit") is not None:
        v = row_entry["xenon"].get("value")
        return None if v is None else v <= row_entry["limit"]
    return None


def goal_cell(row_entry: dict) -> str:
    if row_entry.get("goal") is not None:
        text = f"≤ {row_entry['goal']:.2f}"
    elif row_entry.get("limit") is not None:
        text = "≤ " + fmt_value(row_entry["unit"], row_entry["limit"])
        if row_entry["unit"] == "bytes":
            text = f"≤ {row_entry['limit'] / 1000:.0f} kB"
    else:
        return "-"
    met = goal_met(row_entry)
    return text + ("" if met is None else (" met" if met else " NOT met"))


HEAD = ("scenario", "Xen 4.17", "Xenon", "Xenon/Xen", "goal")


def table_rows(rows: list[dict]) -> list[tuple[str, ...]]:
    out = []
    for r in rows:
        out.append((r["label"], cell(r["xen"], r["unit"]), cell(r["xenon"], r["unit"]),
                    ratio(r), goal_cell(r)))
    return out


def print_table(rows: list[dict]) -> None:
    data = table_rows(rows)
    w = [max(len(HEAD[i]), *(len(d[i]) for d in data)) for i in range(len(HEAD))]
    say("")
    say("  ".join([f"{HEAD[0]:<{w[0]}}"] + [f"{h:>{w[i + 1]}}" for i, h in enumerate(HEAD[1:])]))
    say("  ".join("-" * x for x in w))
    for d in data:
        say("  ".join([f"{d[0]:<{w[0]}}"] + [f"{c:>{w[i + 1]}}" for i, c in enumerate(d[1:])]))
    say("")


def markdown_table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(HEAD) + " |", "|---|---:|---:|---:|---|"]
    for d in table_rows(rows):
        lines.append("| " + " | ".join(d) + " |")
    return "\n".join(lines)


def write_chart(rows: list[dict], build: Path, png: Path) -> bool:
    """Clustered bars, one pair per timed scenario, log scale (us)."""
    timed = [r for r in rows if r["unit"] == "time" and r["key"] != "floor_hvc"]
    dat = build / "bench" / "chart.dat"
    with open(dat, "w") as f:
        f.write("# label xen_us xenon_us\n")
        for r in timed:
            def us(e):
                return f"{e['value'] / 1000:.6g}" if "value" in e else "NaN"
            f.write(f"\"{r['key']}\" {us(r['xen'])} {us(r['xenon'])}\n")
    floor = next((r for r in rows if r["key"] == "floor_hvc"), None)
    floor_us = floor["xen"]["value"] / 1000 if floor and "value" in floor["xen"] else 0
    tmp = png.with_suffix(".tmp.png")
    proc = subprocess.run(
        ["gnuplot", "-e", f"datafile='{dat}'; outfile='{tmp}'; floor_us={floor_us:.6g}",
         str(HERE / "chart.gp")], capture_output=True, text=True)
    if proc.returncode != 0 or not tmp.exists():
        say(f"bench: gnuplot failed: {proc.stderr.strip()}")
        return False
    tmp.replace(png)
    return True


def derived(rows: list[dict]) -> list[str]:
    """Sentences computed from the table: trap cost over the floor, and how
    building a domU grows with its memory."""
    by = {r["key"]: r for r in rows}
    out = []

    def val(key: str, hv: str) -> Optional[float]:
        return by.get(key, {}).get(hv, {}).get("value")

    floor = val("floor_hvc", "xen")
    parts = []
    for hv, title in (("xen", "Xen 4.17"), ("xenon", "Xenon")):
        null = val("null_hypercall", hv)
        if floor and null:
            parts.append(f"{title} {null / floor:.1f}x ({null - floor:.0f} "
                         "instructions of hypervisor work per call)")
    if parts:
        out += ["Null hypercall over the trap floor: " + "; ".join(parts) + ".", ""]
    parts = []
    for hv, title in (("xen", "Xen 4.17"), ("xenon", "Xenon")):
        small, big = val("build_256M", hv), val("build_16G", hv)
        if small and big:
            per_gib = (big - small) / (16 - 0.25)
            sign = "-" if per_gib < 0 else "+"
            parts.append(f"{title} {sign}{fmt_value('time', abs(per_gib))} per GiB")
    if parts:
        out += ["Building a domU, cost of each further GiB of its memory "
                "(256 MiB to 16 GiB): " + "; ".join(parts) + ".", ""]
    return out


def update_doc(results: dict) -> None:
    text = DOC.read_text() if DOC.exists() else ""
    if DOC_BEGIN not in text or DOC_END not in text:
        say(f"bench: {DOC} lacks the {DOC_BEGIN} / {DOC_END} lines: not updated")
        return
    env = results["environment"]
    block = [
        DOC_BEGIN,
        "",
        f"Measured with `make bench` on Xenon {env['xenon_commit']} "
        f"({env['xenon_image_bytes']:,}-byte image) and Debian's "
        f"`{env['xen_package']}`, {env['qemu']}, "
        f"`-icount shift=0,sleep=off`, `-smp {SMP}`, `-cpu {CPU}`. "
        "Times are virtual (1 ns = 1 emulated instruction); lower is better; "
        "Xenon/Xen below 1 means Xenon is cheaper.",
        "",
        markdown_table(results["rows"]),
        "",
        *derived(results["rows"]),
        ("Every boot was run twice and gave identical figures." if results["runs"] == 2
         else f"Every boot was run {results['runs']} times and gave identical figures.")
        if results["runs"] > 1 else
        "Every boot was run once (`--runs 1`): determinism not rechecked.",
        "",
        "![Xen 4.17 and Xenon, virtual time per scenario (log scale)]"
        "(../bench/results/latest.png)",
        "",
        DOC_END,
    ]
    before = text.split(DOC_BEGIN)[0]
    after = text.split(DOC_END, 1)[1]
    DOC.write_text(before + "\n".join(block) + after)


# ---------------------------------------------------------------------------
# Main


def build_everything(build: Path, need_dom0: bool) -> tuple[Path, Optional[Path]]:
    r = subprocess.run([str(REPO / "scripts" / "xen-ref.sh"), str(build)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"scripts/xen-ref.sh failed:\n{r.stderr}")
    xen = Path(r.stdout.strip().splitlines()[-1])
    if not xen.is_absolute():
        xen = (Path.cwd() / xen).resolve()
    for sub in ("guests", "floor", "linux"):
        r = subprocess.run(["make", "-s", "--no-print-directory", "-C", str(HERE / sub),
                            f"O={build}"])
        if r.returncode != 0:
            fail(f"building bench/{sub} failed")
    kernel = None
    if need_dom0:
        r = subprocess.run([sys.executable, str(REPO / "scripts" / "debian-guest.py"),
                            "--build", str(build)], capture_output=True, text=True)
        paths = r.stdout.split()
        if r.returncode == 0 and len(paths) >= 2:
            kernel = Path(paths[-2]).resolve()
        else:
            say(f"bench: scripts/debian-guest.py failed; dom0 not measured:\n{r.stderr}")
    return xen, kernel


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=str(REPO / "build"),
                    help="build directory with xenon (default: build)")
    ap.add_argument("--runs", type=int, default=2,
                    help="boots per scenario and hypervisor; all must agree (default 2)")
    ap.add_argument("--only", nargs="+", metavar="RUN", help="only these runs; writes nothing")
    ap.add_argument("--list", action="store_true", help="list the runs and rows")
    ap.add_argument("--on", choices=("xen", "xenon"),
                    help="boot one hypervisor only (with --only; writes nothing)")
    args = ap.parse_args()
    if args.on and not args.only:
        ap.error("--on needs --only")

    if args.list:
        for r in RUNS:
            rows = [row.key for row in ROWS if row.run == r.name]
            say(f"{r.name:<11} {', '.join(rows)}")
        return 0
    selected = RUNS
    if args.only:
        unknown = [n for n in args.only if n not in RUN_BY_NAME]
        if unknown:
            ap.error(f"unknown run(s): {' '.join(unknown)} (see --list)")
        selected = [RUN_BY_NAME[n] for n in args.only]
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    build = Path(args.build).resolve()
    xenon_image = build / "xenon"
    if not xenon_image.is_file():
        fail(f"{xenon_image} not found: run 'make' first")
    xen_image, dom0_kernel = build_everything(
        build, any(r.kind in ("dom0", "xl") for r in selected))
    dom0_initrd = write_initrd(build / "bench" / "linux" / "init",
                               build / "bench" / "linux" / "initrd.cpio")
    hvs = [
        Hypervisor("xen", "Xen 4.17", xen_image),
        Hypervisor("xenon", "Xenon", xenon_image),
    ]
    hvs = [hv for hv in hvs if args.on in (None, hv.key)]
    images = build / "bench" / "guests"
    xl_dom0_initrd = (xl_initrd(build, images)
                      if any(r.kind == "xl" for r in selected) else None)
    floor = build / "bench" / "floor.elf"
    logs = build / "bench" / "logs"

    # results[run][hv] = Outcome of the first boot; later boots must agree.
    results: dict[str, dict[str, Outcome]] = {}
    errors: list[str] = []
    started = time.monotonic()
    for run in selected:
        results[run.name] = {}
        targets = [None] if run.kind == "floor" else hvs
        for hv in targets:
            hv_key = hv.key if hv else "bare"
            first: Optional[Outcome] = None
            for n in range(1, args.runs + 1):
                log = logs / f"{run.name}.{hv_key}.{n}.log"
                work = build / "bench" / "work" / f"{run.name}.{hv_key}"
                if run.kind == "floor":
                    o = run_floor(run, floor, log)
                elif run.kind == "dom0":
                    o = run_dom0(run, hv, dom0_kernel, dom0_initrd, log)
                elif run.kind == "dom0-guest":
                    o = run_dom0_guest(run, hv, images, log)
                elif run.kind == "xl":
                    o = run_xl(run, hv, dom0_kernel, xl_dom0_initrd, log)
                else:
                    o = run_guest(run, hv, images, work, log)
                figures = ", ".join(
                    f"{k}={fmt_value('time', figure(v))}"
                    for k, v in o.metrics.items())
                status = "FAIL " + o.error if o.error else (
                    figures or "; ".join(o.missing.values()))
                say(f"{run.name:<11} {hv.title if hv else 'no hypervisor':<9} #{n} "
                    f"{o.seconds:5.1f} s  {status}")
                if o.error:
                    errors.append(f"{run.name} on {hv_key}: {o.error} (log: {o.log})")
                    break
                if first is None:
                    first = o
                elif (o.metrics, o.missing) != (first.metrics, first.missing):
                    errors.append(f"{run.name} on {hv_key}: boot {n} differs from boot 1: "
                                  f"{o.metrics or o.missing} vs "
                                  f"{first.metrics or first.missing} (logs: {logs})")
                    break
            results[run.name][hv_key] = first if first else o

    rows = []
    lines_of_code = count_code_lines(REPO / "hypervisor")
    selected_names = {r.name for r in selected}
    for row in ROWS:
        if args.only and row.run not in selected_names:
            continue
        entry = {"key": row.key, "label": row.label, "unit": row.unit,
                 "xen": {}, "xenon": {}, "ratio": None, "goal": row.goal,
                 "limit": row.limit}
        if row.unit == "bytes":
            entry["xen"] = {"value": float(xen_image.stat().st_size)}
            entry["xenon"] = {"value": float(xenon_image.stat().st_size)}
        elif row.unit == "lines":
            entry["xen"] = {"status": "not measured here"}
            entry["xenon"] = {"value": float(lines_of_code["code_lines"]),
                              **lines_of_code}
        else:
            per_hv = results.get(row.run, {})
            for hv in hvs:
                o = per_hv.get("bare") or per_hv.get(hv.key)
                if o is None:
                    entry[hv.key] = {"status": "not run"}
                elif row.metric in o.metrics:
                    m = o.metrics[row.metric]
                    entry[hv.key] = {"value": figure(m), **m}
                elif row.metric in o.missing:
                    why = o.missing[row.metric]
                    status = "not measured" if why.startswith("not measured") else "not yet"
                    entry[hv.key] = {"status": status, "why": why}
                else:
                    entry[hv.key] = {"status": "FAILED", "why": o.error or "no figure"}
        if "value" in entry["xen"] and "value" in entry["xenon"] and row.run != "floor":
            entry["ratio"] = entry["xenon"]["value"] / entry["xen"]["value"]
        rows.append(entry)

    print_table(rows)
    for r in rows:
        for hv in hvs:
            why = r[hv.key].get("why")
            if why:
                say(f"  {r['key']} on {hv.title}: {why}")
    say(f"bench: {len(selected)} runs, {time.monotonic() - started:.0f} s")

    if errors:
        for e in errors:
            say(f"bench: ERROR {e}")
        return 1
    if args.only:
        return 0

    env = {
        "qemu": qemu_version(),
        "qemu_options": shlex.join(["-M", dom0less.machine() + MACHINE_OPTS, "-cpu", CPU,
                                    "-smp", str(SMP), *DETERMINISM]),
        "xen_package": (xen_image.parent / "package.txt").read_text().strip()
        if (xen_image.parent / "package.txt").exists() else xen_image.name,
        "xen_sha256": sha256(xen_image),
        "xen_bootargs": XEN_BOOTARGS,
        "xenon_commit": git_describe(),
        "xenon_sha256": sha256(xenon_image),
        "xenon_image_bytes": xenon_image.stat().st_size,
        "bench_images_sha256": hashlib.sha256("".join(
            sha256(p) for p in sorted(images.glob("*.bin")) + [floor]).encode()).hexdigest(),
        "dom0_kernel": (build / "debian" / "kernel-package.txt").read_text().strip()
        if dom0_kernel and (build / "debian" / "kernel-package.txt").exists() else None,
        "counter_hz": COUNTER_HZ,
    }
    out = {"suite": "xenon-bench", "format": 1, "runs": args.runs,
           "environment": env, "rows": rows}
    RESULTS.mkdir(parents=True, exist_ok=True)
    previous = None
    latest = RESULTS / "latest.json"
    if latest.exists():
        try:
            previous = json.loads(latest.read_text())
        except ValueError:
            previous = None
    latest.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    say(f"bench: wrote {latest.relative_to(REPO)}")
    keys = ("xenon_sha256", "xen_sha256", "bench_images_sha256", "qemu")
    if previous and all(previous.get("environment", {}).get(k) == env[k] for k in keys):
        same = previous.get("rows") == json.loads(json.dumps(rows))
        say("bench: figures identical to the previous results (same images)"
            if same else "bench: WARNING: figures differ from the previous results "
            "with the same hypervisor images")
    if ensure_gnuplot() and write_chart(rows, build, RESULTS / "latest.png"):
        say(f"bench: wrote {(RESULTS / 'latest.png').relative_to(REPO)}")
    update_doc(out)
    say(f"bench: updated {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
