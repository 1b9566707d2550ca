"""Run one system scenario: prepare its files, boot QEMU, check the log.

A Scenario (defined in scenarios.py) says how to boot and what the serial
log must show. Scenarios that expect a normal boot get the common checks
below automatically; each may add its own. A check is a function
check(log: bootlog.BootLog, ctx: Context) returning None when it is
satisfied or a string saying what is wrong.
"""

from __future__ import annotations

import re
import shutil
import struct
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "scripts"))
sys.path.insert(0, str(HERE))
import bootlog  # noqa: E402
import qemu  # noqa: E402
from bootlog import MiB  # noqa: E402

Check = Callable[["bootlog.BootLog", "Context"], Optional[str]]

DEFAULT_TIMEOUT = 30.0  # per scenario; a healthy boot takes a few seconds
SETTLE = 1.0  # keep watching this long after "Xenon ready"

# A line that complains about an option.
COMPLAINT_RE = re.compile(r"unknown|unrecogni[sz]ed|invalid|ignor|bad|warn", re.I)


@dataclass
class ExpectedModule:
    kind: str  # kernel, ramdisk, device-tree, unknown
    addr: int
    size: int
    bootargs: str = ""


@dataclass
class Scenario:
    name: str
    doc: str
    cpu: str = "cortex-a57"
    smp: int = 1
    mem: str = "2G"
    append: Optional[str] = None
    # "ready": boots to "Xenon ready"; "panic": stops with a PANIC line.
    expect: str = "ready"
    cpus: Optional[int] = None  # expected "CPUs online" (default: smp)
    # Options in append the hypervisor must warn about as unknown; every
    # other option must not be complained about.
    unknown_options: tuple[str, ...] = ()
    # For expect="panic": the PANIC message must match this (re.I).
    panic_re: Optional[str] = None
    # setup(ctx) may make files in ctx.workdir, add QEMU options to
    # ctx.extra, set ctx.dtb (boot directly with that DTB file, see
    # qemu.direct_boot_args) and list ctx.modules (expected boot modules).
    setup: Optional[Callable[["Context"], None]] = None
    checks: list[Check] = field(default_factory=list)
    timeout: float = DEFAULT_TIMEOUT

    def expected_cpus(self) -> int:
        return self.smp if self.cpus is None else self.cpus


@dataclass
class Context:
    scenario: Scenario
    build: Path
    workdir: Path
    extra: list[str] = field(default_factory=list)
    dtb: Optional[Path] = None
    modules: list[ExpectedModule] = field(default_factory=list)
    result: Optional[qemu.Result] = None

    def dtb_size(self) -> int:
        """Size of the DTB the hypervisor is given (its header's totalsize
        when known; QEMU's generated trees are 1 MiB)."""
        if self.dtb is not None:
            try:
                return max(qemu.fdt_header(self.dtb.read_bytes())["totalsize"], 64)
            except (OSError, struct.error):
                pass
        return 64  # at least the header

    def dump_dtb(self, name: str = "base.dtb", extra: list[str] = ()) -> Path:
        """The DTB QEMU makes for this scenario's board (with the devices in
        extra, e.g. guest-loader modules)."""
        sc = self.scenario
        return qemu.dump_dtb(
            self.workdir / name, cpu=sc.cpu, smp=sc.smp, mem=sc.mem, extra=extra
        )


@dataclass
class Outcome:
    name: str
    ok: bool
    problems: list[str]
    log: str
    log_path: Optional[Path]
    elapsed: float


# ---------------------------------------------------------------------------
# Common checks


def check_banner(log, ctx):
    if log.version is None:
        return "no banner line 'Xenon <version> (Xen 4.17 interface) starting at EL2'"
    return None


def check_prefix(log, ctx):
    if log.foreign:
        shown = "; ".join(repr(x) for x in log.foreign[:3])
        return f"{len(log.foreign)} console line(s) without the '(XENON) ' prefix: {shown}"
    return None


def check_no_errors(log, ctx):
    problems = [f"PANIC: {p}" for p in log.panics]
    problems += log.exceptions
    if problems:
        return "unexpected: " + "; ".join(problems[:3])
    return None


def check_ready_last(log, ctx):
    if not log.ready:
        return "no 'Xenon ready' line"
    after = log.xenon[log.ready_index + 1:]
    if after:
        return f"'Xenon ready' is not the last line; then: {after[0]!r}"
    return None


def check_cpus(log, ctx):
    want = ctx.scenario.expected_cpus()
    if not log.cpus_online:
        return "no 'CPUs online: N' line"
    if log.cpus_online[-1] != want:
        return f"CPUs online: {log.cpus_online[-1]}, expected {want}"
    return None


def check_ram(log, ctx):
    want = bootlog.parse_size(ctx.scenario.mem)
    if not log.ram:
        return "no 'RAM bank' line"
    problems = []
    total = 0
    for r in log.ram:
        total += r.size()
        if r.mib != r.size() // MiB:
            problems.append(f"RAM bank {r} says {r.mib} MiB, its size is {r.size() / MiB:.1f} MiB")
    if total != want:
        problems.append(f"RAM banks add up to {total // MiB} MiB, QEMU has {want // MiB} MiB")
    return "; ".join(problems) or None


def check_pools(log, ctx):
    if not log.pools:
        return "no 'Free pool' line"
    problems = []
    ram_total = sum(r.size() for r in log.ram)
    for p in log.pools:
        if p.size() <= 0:
            problems.append(f"free pool {p} is empty or reversed")
            continue
        if abs(p.mib - p.size() / MiB) >= 1:
            problems.append(f"free pool {p} says {p.mib} MiB, its size is {p.size() / MiB:.1f} MiB")
        if log.ram and not any(p.within(r.start, r.end_exclusive()) for r in log.ram):
            problems.append(f"free pool {p} is not inside a RAM bank")
        for m in ctx.modules:
            if p.overlaps(m.addr, m.addr + m.size):
                problems.append(f"free pool {p} overlaps the {m.kind} module at {m.addr:#x}")
    if log.image_addr is not None:
        # The hypervisor says where it runs: that and the DTB stay reserved.
        try:
            size = qemu.image_header(qemu.image_path(ctx.build))[1]
        except (OSError, ValueError):
            size = 0
        for p in log.pools:
            if size and p.overlaps(log.image_addr, log.image_addr + size):
                problems.append(
                    f"free pool {p} overlaps the hypervisor image "
                    f"{log.image_addr:#x}-{log.image_addr + size:#x}"
                )
            if p.overlaps(log.dtb_addr, log.dtb_addr + ctx.dtb_size()):
                problems.append(f"free pool {p} overlaps the device tree at {log.dtb_addr:#x}")
    pools = sorted(log.pools, key=lambda r: r.start)
    for a, b in zip(pools, pools[1:]):
        if b.start < a.end_exclusive():
            problems.append(f"free pools {a} and {b} overlap")
    free = sum(max(p.size(), 0) for p in log.pools)
    if ram_total and free < ram_total // 2:
        problems.append(f"only {free // MiB} MiB of {ram_total // MiB} MiB RAM is free")
    return "; ".join(problems) or None


def _module_matches(m: bootlog.Module, e: ExpectedModule) -> list[str]:
    problems = []
    if m.kind != e.kind:
        problems.append(f"module at {e.addr:#x} is '{m.kind}', expected '{e.kind}'")
    if m.range.end not in (e.addr + e.size, e.addr + e.size - 1):
        problems.append(
            f"module at {e.addr:#x} ends at {m.range.end:#x}, expected "
            f"{e.addr + e.size:#x} (size {e.size})"
        )
    if m.bootargs != e.bootargs:
        problems.append(f"module at {e.addr:#x} bootargs={m.bootargs!r}, expected {e.bootargs!r}")
    return problems


def check_modules(log, ctx):
    # The hypervisor may list the DTB it was booted with as a device-tree
    # module; any other module must be one the scenario gave QEMU.
    listed = [m for m in log.modules if m.kind != "device-tree"]
    if not ctx.modules:
        if listed:
            return "unexpected boot module(s): " + "; ".join(
                f"{m.kind} {m.range}" for m in listed
            )
        if not log.no_modules and not log.modules:
            return "no 'No boot modules found' line"
        return None
    problems = []
    for e in ctx.modules:
        found = [m for m in log.modules if m.range.start == e.addr]
        if not found:
            problems.append(f"no 'Boot module' line for the {e.kind} at {e.addr:#x}")
        else:
            problems += _module_matches(found[0], e)
    addrs = {e.addr for e in ctx.modules}
    for m in listed:
        if m.range.start not in addrs:
            problems.append(f"unexpected boot module {m.kind} {m.range}")
    if log.no_modules:
        problems.append("says 'No boot modules found' although there are some")
    return "; ".join(problems) or None


def check_cmdline(log, ctx):
    want = ctx.scenario.append
    if want is None:
        if log.cmdlines and log.cmdlines[0] != "":
            return f"Command line: {log.cmdlines[0]!r}, expected an empty one"
        return None
    if not log.cmdlines:
        return "no 'Command line:' line"
    if log.cmdlines[0] != want:
        return f"Command line: {log.cmdlines[0]!r}, expected {want!r}"
    return None


def check_option_warnings(log, ctx):
    sc = ctx.scenario
    if not sc.append:
        return None
    problems = []
    others = [x for x in log.xenon if not x.startswith("Command line:")]
    for opt in sc.append.split():
        name = opt.split("=", 1)[0]
        mentions = [x for x in others if name in x]
        if name in sc.unknown_options:
            if not mentions:
                problems.append(f"no warning about the unknown option '{name}'")
        else:
            bad = [x for x in mentions if COMPLAINT_RE.search(x)]
            if bad:
                problems.append(f"complains about the valid option '{name}': {bad[0]!r}")
    return "; ".join(problems) or None


READY_CHECKS: list[Check] = [
    check_banner, check_prefix, check_no_errors, check_cmdline,
    check_option_warnings, check_ram, check_pools, check_modules, check_cpus,
    check_ready_last,
]


def check_clean_panic(log, ctx):
    sc = ctx.scenario
    problems = []
    if not log.panics:
        problems.append("no 'PANIC:' line")
    elif sc.panic_re and not re.search(sc.panic_re, log.panics[0], re.I):
        problems.append(f"PANIC message {log.panics[0]!r} does not match /{sc.panic_re}/i")
    if log.exceptions:
        problems.append(f"exception dump instead of a clean panic: {log.exceptions[0]!r}")
    if log.ready:
        problems.append("reached 'Xenon ready'")
    return "; ".join(problems) or None


PANIC_CHECKS: list[Check] = [check_prefix, check_clean_panic]


# ---------------------------------------------------------------------------


def run_scenario(sc: Scenario, build: Path, timeout: Optional[float] = None) -> Outcome:
    build = Path(build).resolve()
    workdir = build / "system-work" / sc.name
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    ctx = Context(scenario=sc, build=build, workdir=workdir)
    log_path = build / "system-logs" / f"{sc.name}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (log_path, log_path.with_suffix(".cmd")):
        stale.unlink(missing_ok=True)

    def fail(msg: str, log: str = "") -> Outcome:
        log_path.write_text(log + f"[harness: {msg}]\n")
        return Outcome(sc.name, False, [msg], log, log_path, 0.0)

    image = qemu.image_path(build)
    if not image.is_file():
        return fail(f"{image} not found (run 'make')")
    try:
        if sc.setup is not None:
            sc.setup(ctx)
        if ctx.dtb is not None:
            extra = qemu.direct_boot_args(build, ctx.dtb, workdir) + ctx.extra
        else:
            extra = ctx.extra
    except Exception as e:  # a broken setup is a failed test, not a crash
        return fail(f"setup failed: {e}", traceback.format_exc())

    if sc.expect == "ready":
        success, failure = qemu.READY_RE, qemu.FAILURE_RE
        checks = READY_CHECKS + sc.checks
    elif sc.expect == "panic":
        # Wait for the end of the panic report (the backtrace comes
        # before it), so that no line is cut when QEMU is stopped.
        success = r"^\(XENON\) (Reboot in five seconds|Halted)"
        failure = r"^\(XENON\) (Unexpected exception|Xenon ready)"
        checks = PANIC_CHECKS + sc.checks
    else:
        raise ValueError(f"{sc.name}: unknown expect={sc.expect!r}")

    cmd = qemu.qemu_command(
        build, cpu=sc.cpu, smp=sc.smp, mem=sc.mem, append=sc.append,
        extra=extra, kernel=ctx.dtb is None,
    )
    res = qemu.run(
        cmd, success=success, failure=failure,
        timeout=timeout if timeout is not None else sc.timeout,
        settle=SETTLE if sc.expect == "ready" else 0.0,
        log_path=log_path,
    )
    ctx.result = res
    problems = []
    if res.outcome != "success":
        what = "'Xenon ready'" if sc.expect == "ready" else "a PANIC line"
        problems.append(f"waiting for {what}: {res.describe()}")
        # The log tail tells the rest; checking every line of a boot that
        # did not finish would only add noise.
        checks = [] if sc.expect == "ready" else PANIC_CHECKS
    log = bootlog.parse(res.log)
    for check in checks:
        try:
            p = check(log, ctx)
        except Exception as e:
            p = f"{check.__name__} raised {e!r}"
        if p and p not in problems:
            problems.append(p)
    return Outcome(sc.name, not problems, problems, res.log, log_path, res.elapsed)
