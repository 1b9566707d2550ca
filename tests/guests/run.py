#!/usr/bin/env python3
"""Run the guest tests (tests/guests/<name>/) as dom0less domUs under QEMU.

    tests/guests/run.py --hypervisor build/xen-ref/xen-4.17-arm64 [TEST...]
    tests/guests/run.py --hypervisor build/xenon --list

Each test is booted on its own: QEMU's own device tree for the machine is
dumped, a /chosen/domU<i> node per guest is added with fdtput (the layout
Xen 4.17 documents in docs/misc/arm/device-tree/booting.txt, and that boots
Debian Linux domUs), the guest images are put in RAM with QEMU's loader
device, and the hypervisor is booted with -kernel. No dom0, except for a
test whose Spec says dom0=True: its image is then /chosen/module@<addr>
("multiboot,kernel", as QEMU's guest-loader writes it for Linux dom0s),
with dom0_mem and dom0_max_vcpus on the hypervisor's command line. Dom0
owns the host's devices (the PL031 RTC among them) and their interrupts;
its console_io lines reach the console without a "(d0)" prefix, so any
line without a hypervisor prefix is taken as domain 0's.

The verdict comes from the guest's own last line, `Test result: <R>`, in
the hypervisor's console. Guest lines are recognised with either prefix:
    (XEN) DOM1: text     Xen 4.17's vpl011 (guest output via the UART)
    (d1) text            Xen's console_io, and Xenon
optionally after a hypervisor prefix such as "(XEN) ". Domain n is the
n-th domU node (Xen numbers dom0less domains 1, 2, ... in DT order).

Tests with a companion (isolation, poweroff) boot a second domain, the
`ticker` guest, which prints "tick N" every 10 ms; they pass only if it
keeps ticking after the test domain faulted or powered off. For isolation
a hypervisor may stop the faulting domain (Xenon: "Domain 1 (domU1)
crashed: ...") or inject a data abort that the guest reports (Xen 4.17,
silently); --isolation chooses which is accepted.

Prints `PASS <test>`, `SKIP <test>` or `FAIL <test>` (with reasons and the
end of the log), and last `N passed, M failed` (`, K skipped` if any).
Exits 1 if a test failed or none ran. Logs: <build>/guests-run/<test>/.
Standard library only; needs qemu-system-aarch64 and fdtput.
"""

from __future__ import annotations

import argparse
import os
import re
import selectors
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
MACHINE = "virt,virtualization=on,gic-version=3"
CPU = "cortex-a57"
HOST_MEM = "2G"
# console=dtuart uses /chosen/stdout-path (QEMU 7.2's tree has no /aliases,
# so dtuart=serial0 leaves Xen silent). guest_loglvl=all makes Xen print
# console_io output of domUs. bootscrub=0: no 2 GiB scrub under TCG.
DEFAULT_BOOTARGS = "console=dtuart loglvl=all guest_loglvl=all bootscrub=0"
MODULE_BASE = 0x50000000  # QEMU puts the DTB at 0x48000000
MODULE_STRIDE = 0x01000000
COMPANION = "ticker"
TICKS_AFTER = 5  # ticks the companion must print after the event
TAIL_LINES = 25


@dataclass
class Spec:
    """How to boot one test."""

    vcpus: int = 1  # of the test domain
    host_cpus: int = 1  # QEMU -smp
    memory_kib: int = 16384
    companion: bool = False  # boot the ticker as domain 2
    kind: str = "result"  # result | isolation | poweroff
    expect: tuple[str, ...] = ()  # lines the test domain must print
    peers: tuple[str, ...] = ()  # more guests, booted as domains 2, 3, ...
    qemu_extra: tuple[str, ...] = ()  # more QEMU options
    guest_args: str = ""  # appended to the test domain's bootargs
    hv_args: str = ""  # appended to the hypervisor's command line
    timeout: float = 0.0  # seconds for this boot, if more than --timeout
    # Xenon's own log: wait for wait_count lines matching wait_re after the
    # verdict, then check(watch) gives the reasons to fail, if any.
    wait_re: str = ""
    wait_count: int = 0
    check: Optional[Callable[["Watch"], list[str]]] = None
    cpu: str = CPU  # QEMU -cpu
    dom0: bool = False  # boot the test guest as dom0


TESTS: dict[str, Spec] = {
    "selftest": Spec(),
    # console_io output must reach the hypervisor's console too.
    "hello": Spec(expect=("hello: this line went through console_io",)),
    "smp": Spec(vcpus=4, host_cpus=2),
    "timer": Spec(),
    "sgi": Spec(vcpus=2, host_cpus=2),
    "wfi": Spec(),
    "isolation": Spec(host_cpus=2, companion=True, kind="isolation"),
    "poweroff": Spec(vcpus=2, host_cpus=2, companion=True, kind="poweroff"),
    "overcommit": Spec(vcpus=4, host_cpus=1),
    "lr-overflow": Spec(),
    "psci-race": Spec(vcpus=3, host_cpus=2),
    "poll": Spec(vcpus=2, host_cpus=2),
    # Dom0 owns the PL031 and its SPI; 2 pCPUs, so that the SPI's routing
    # to dom0's vCPU matters.
    "passthrough-irq": Spec(dom0=True, vcpus=2, host_cpus=2),
}

# A guest's console line, as the hypervisor prints it.
GUEST_RE = re.compile(
    r"^(?:\((?:XEN|XENON)\) )?(?:DOM(?P<a>\d+): |\(d(?P<b>\d+)\) )(?P<text>.*)$"
)
RESULT_RE = re.compile(r"^Test result: (SUCCESS|SKIP|ERROR|FAILURE)\s*$")
TICK_RE = re.compile(r"^tick (\d+)(?: \+(\d+) us)?\s*$")
BANNER_RE = re.compile(r"^--- Xenon guest test: (\S+) ---\s*$")
ISOLATION_MARKER = "isolation: about to fault"


@dataclass
class Line:
    t: float  # seconds since QEMU started
    raw: str
    dom: Optional[int] = None  # guest domain, None for hypervisor lines
    text: str = ""


@dataclass
class Outcome:
    name: str
    status: str  # PASS | FAIL | SKIP
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    log: Optional[Path] = None
    tail: str = ""
    seconds: float = 0.0


# A hypervisor line: Xen's and Xenon's prefixes.
HYP_RE = re.compile(r"^\((?:XEN|XENON)\)")


def parse_line(t: float, raw: str, dom0: bool = False) -> Line:
    raw = raw.rstrip("\r\n").replace("\r", "")
    m = GUEST_RE.match(raw)
    if not m:
        if dom0 and raw and not HYP_RE.match(raw):
            return Line(t, raw, 0, raw)
        return Line(t, raw)
    return Line(t, raw, int(m.group("a") or m.group("b")), m.group("text"))


class Watch:
    """What has been seen on the console so far, and when to stop.

    Domains are told apart by the banner every guest prints first,
    "--- Xenon guest test: <name> ---", not by their number.
    """

    def __init__(self, spec: Spec, test: str, isolation: str = "either"):
        self.spec = spec
        self.test = test
        self.isolation = isolation
        self.lines: list[Line] = []
        self.names: dict[int, str] = {}  # domain id -> guest name
        self.event_t: Optional[float] = None  # fault marker / poweroff
        self.event_index = 0
        self.notes: list[str] = []
        self.have_result = False  # the test domain printed its verdict

    def dom_of(self, name: str) -> Optional[int]:
        for dom, n in self.names.items():
            if n == name:
                return dom
        return None

    def guest(self, name: str, since: int = 0) -> list[Line]:
        dom = self.dom_of(name)
        if dom is None:
            return []
        return [ln for ln in self.lines[since:] if ln.dom == dom]

    def results(self) -> list[Line]:
        return [ln for ln in self.guest(self.test) if RESULT_RE.match(ln.text)]

    def ticks_after_event(self) -> list[int]:
        if self.event_t is None:
            return []
        return [
            int(TICK_RE.match(ln.text).group(1))
            for ln in self.guest(COMPANION, self.event_index)
            if TICK_RE.match(ln.text)
        ]

    def add(self, ln: Line) -> None:
        self.lines.append(ln)
        if ln.dom is None:
            return
        m = BANNER_RE.match(ln.text)
        if m and ln.dom not in self.names:
            self.names[ln.dom] = m.group(1)
        if self.names.get(ln.dom) == self.test and RESULT_RE.match(ln.text):
            self.have_result = True
        if self.event_t is not None or self.names.get(ln.dom) != self.test:
            return
        if (self.spec.kind == "isolation" and ln.text.strip() == ISOLATION_MARKER) or (
            self.spec.kind == "poweroff" and RESULT_RE.match(ln.text)
        ):
            self.event_t = ln.t
            self.event_index = len(self.lines)

    def done(self) -> bool:
        if self.spec.kind == "result" and self.spec.companion:
            return self.have_result
        if self.spec.wait_re:
            seen = sum(1 for ln in self.lines
                       if ln.dom is None and re.search(self.spec.wait_re, ln.raw))
            return bool(self.results()) and seen >= self.spec.wait_count
        if not self.spec.companion:
            return bool(self.results())
        ticks = len(self.ticks_after_event())
        if self.spec.kind == "isolation":
            # A domain that got an abort reports it; one that was stopped
            # says nothing more: give it twice as long.
            return ticks >= TICKS_AFTER and (
                bool(self.results()) or ticks >= 2 * TICKS_AFTER
            )
        if self.event_t is None and self.results():
            return True  # ended without the expected event: judge now
        return ticks >= TICKS_AFTER


FREE_RE = re.compile(r"Memory free: \d+ MiB \((\d+) KiB\)")
DESTROYED_RE = re.compile(r"Domain (\d+) destroyed: (\d+) KiB free")


def hyp_lines(watch: "Watch") -> list[tuple[int, str]]:
    return [(i, ln.raw) for i, ln in enumerate(watch.lines) if ln.dom is None]


def check_reclaim(watch: "Watch") -> list[str]:
    """Free memory after the last destroy equals free memory at boot."""
    before = [int(m.group(1)) for _, raw in hyp_lines(watch) if (m := FREE_RE.search(raw))]
    after = [(int(m.group(1)), int(m.group(2))) for _, raw in hyp_lines(watch)
             if (m := DESTROYED_RE.search(raw))]
    if not before:
        return ["no 'Memory free: ... KiB' line before the domains were built"]
    if len(after) < 3:
        return [f"{len(after)} of 3 domains destroyed"]
    watch.notes.append(f"free before the domains: {before[0]} KiB; after each destroy: "
                       + ", ".join(f"d{d} {k} KiB" for d, k in after))
    if after[-1][1] != before[0]:
        return [f"free memory after the last destroy is {after[-1][1]} KiB, "
                f"{before[0]} KiB before the domains were built"]
    return []


def check_zombie(watch: "Watch") -> list[str]:
    """The granter stays a zombie until the mapper unmaps, then goes."""
    hyp = hyp_lines(watch)
    zombie = [i for i, raw in hyp if re.search(r"Domain 2 \(\S+\) is a zombie", raw)]
    gone = [i for i, raw in hyp if DESTROYED_RE.search(raw) and "Domain 2 " in raw]
    unmap = [i for i, ln in enumerate(watch.lines)
             if ln.dom is not None and ln.text.strip() == "grant: unmapping now"]
    if not zombie:
        return ["domain 2 never became a zombie while its page was mapped"]
    if not unmap:
        return ["the mapper never unmapped"]
    if not gone:
        return ["domain 2 was not destroyed after the unmap"]
    reasons = []
    if zombie[0] > unmap[0]:
        reasons.append("domain 2 became a zombie only after the unmap")
    if gone[0] < unmap[0]:
        reasons.append("domain 2 was freed while its page was still mapped")
    watch.notes.append(" | ".join(raw for _, raw in hyp if "Domain 2" in raw))
    return reasons


# Longest the ticker may wait between two ticks while the other domain
# makes long hypercalls: its 10 ms period plus two 10 ms time slices.
MAX_TICK_GAP_US = 30000


def check_escape(watch: "Watch") -> list[str]:
    """The domU's lines reach the console without their control bytes."""
    lines = [ln.raw for ln in watch.lines if "console-escape: " in ln.raw]
    want = ("console-escape: uart [[31m[2J] end", "console-escape: hypercall []0;title[2J] end")
    reasons = [f"control bytes reached the console: {raw!r}" for raw in lines
               if any(ord(c) < 0x20 and c != "\t" for c in raw.rstrip("\r\n"))]
    for w in want:
        if not any(w in raw for raw in lines):
            reasons.append(f"missing on the console: {w!r}")
    return reasons


def check_bhb_loop(watch: "Watch") -> list[str]:
    """Xenon found the Cortex-A76's Spectre-BHB mitigation (Xen's log says
    nothing of it: not checked there)."""
    if any(ln.raw.startswith("(XEN)") for ln in watch.lines):
        return []
    if not any("Spectre-BHB: a loop of 24 branches on guest exit" in ln.raw
               for ln in watch.lines):
        return ["no 'Spectre-BHB: a loop of 24 branches on guest exit' line"]
    return []


def check_ratelimit(watch: "Watch") -> list[str]:
    """Of the 30 console_io lines, the console shows the burst of 10."""
    shown = [ln for ln in watch.lines if "flood line " in ln.raw]
    if len(shown) != 10:
        return [f"{len(shown)} of the 30 console_io lines shown, not 10"]
    return []


def check_tick_gaps(watch: "Watch") -> list[str]:
    """The ticker kept ticking, promptly, during the long hypercalls."""
    start = next((i for i, ln in enumerate(watch.lines)
                  if ln.dom is not None and ln.text.strip() == "long-batch: start"), None)
    end = next((i for i, ln in enumerate(watch.lines)
                if ln.dom is not None and RESULT_RE.match(ln.text)), None)
    if start is None or end is None:
        return ["no 'long-batch: start' line or no verdict"]
    gaps = [int(m.group(2)) for ln in watch.guest(COMPANION, start)[:]
            if watch.lines.index(ln) <= end and (m := TICK_RE.match(ln.text)) and m.group(2)]
    if len(gaps) < 3:
        return [f"the ticker printed {len(gaps)} tick(s) during the long hypercalls"]
    watch.notes.append(f"{len(gaps)} ticks during the long hypercalls, worst gap {max(gaps)} us")
    if max(gaps) > MAX_TICK_GAP_US:
        return [f"the ticker waited {max(gaps)} us between two ticks "
                f"(at most {MAX_TICK_GAP_US} us allowed)"]
    return []


def check_neighbour(watch: "Watch") -> list[str]:
    """Domain 2 allocated after domain 1 was refused, and succeeded."""
    refused = next((i for i, ln in enumerate(watch.lines)
                    if ln.dom is not None and "then the call returned 0" in ln.text), None)
    done = next((i for i, ln in enumerate(watch.lines)
                 if ln.dom is not None and ln.text.startswith("limit-neighbour: ")), None)
    verdicts = [RESULT_RE.match(ln.text).group(1) for ln in watch.guest("limit-neighbour")
                if RESULT_RE.match(ln.text)]
    if verdicts != ["SUCCESS"]:
        return [f"limit-neighbour's verdict: {verdicts or 'none'}"]
    if refused is None or done is None or done < refused:
        return ["limit-neighbour did not allocate after domain 1 was refused"]
    return []


TESTS.update({
    # Virtual time from instructions (-icount), so that gaps measure the
    # hypervisor, not the host's load.
    # 4 MiB of console output under -icount: about 13 s on an idle host.
    "long-batch": Spec(companion=True, check=check_tick_gaps,
                       qemu_extra=("-icount", "shift=0,sleep=off"), timeout=180.0),
    "destroy-reclaim": Spec(peers=("destroy-reclaim", "destroy-reclaim"), host_cpus=2,
                            wait_re=r"Domain \d+ destroyed:", wait_count=3,
                            check=check_reclaim),
    # Two domUs sharing a page: not under Xen's default silo policy.
    "grant-outlives-granter": Spec(peers=("grant-granter",), host_cpus=2,
                                   hv_args="xsm=dummy",
                                   wait_re=r"Domain 2 destroyed:", wait_count=1,
                                   check=check_zombie),
    "populate-limit": Spec(peers=("limit-neighbour",), host_cpus=2,
                           wait_re=r"Domain 2 destroyed:", wait_count=1,
                           check=check_neighbour),
    "ram-scrub": Spec(peers=("scrub-marker",), host_cpus=2),
    "console-escape": Spec(check=check_escape),
    "console-ratelimit": Spec(hv_args="guest_loglvl=info/all", check=check_ratelimit),
    # A Cortex-A76: Xenon runs a 24-branch loop on every guest exit, and,
    # as Xen 4.17, offers guests only SSBD control (QEMU's firmware has no
    # SMCCC 1.1, which leaves Xen's SSBD state at "runtime").
    "spectre": Spec(cpu="cortex-a76", guest_args="spectre=010", check=check_bhb_loop),
    "attack-grant-handles": Spec(vcpus=2, host_cpus=2),
})
# Guests that only serve as peers of a test, or that a script runs
# (conformance: scripts/conformance.py; pv-hostile-frontend: xl in dom0,
# tests/system/dom0/pv-hostile-frontend.sh), never run alone here.
PEER_ONLY = {"grant-granter", "scrub-marker", "limit-neighbour", "conformance",
             "pv-hostile-frontend"}


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def build_dtb(work: Path, spec: Spec, images: list[tuple[str, Path]], bootargs: str,
              vpl011: bool = True) -> Path:
    base = work / "base.dtb"
    run([QEMU, "-machine", f"{MACHINE},dumpdtb={base}", "-cpu", spec.cpu,
         "-smp", str(spec.host_cpus), "-m", HOST_MEM, "-nographic"])
    dtb = work / "boot.dtb"
    shutil.copyfile(base, dtb)

    def put(node: str, prop: str, kind: str, *values) -> None:
        run(["fdtput", "-t", kind, str(dtb), node, prop, *[str(v) for v in values]])

    put("/chosen", "#address-cells", "i", 2)
    put("/chosen", "#size-cells", "i", 2)
    hv_args = spec.hv_args
    if spec.dom0:
        hv_args += f" dom0_mem={spec.memory_kib // 1024}M dom0_max_vcpus={spec.vcpus}"
    put("/chosen", "xen,xen-bootargs", "s", f"{bootargs} {hv_args}".strip())
    # fdtput -c puts a new node before its siblings: create the last domain
    # first so that the tree lists domU1, domU2, ... (Xen's d1, d2, ...).
    for i, (name, image) in reversed(list(enumerate(images))):
        dom = f"/chosen/domU{i + 1}"
        addr = MODULE_BASE + i * MODULE_STRIDE
        size = image.stat().st_size
        if size > MODULE_STRIDE:
            raise RuntimeError(f"{image} is larger than {MODULE_STRIDE:#x}")
        extra = f" {spec.guest_args}" if i == 0 and spec.guest_args else ""
        if spec.dom0 and i == 0:
            mod = f"/chosen/module@{addr:x}"
            run(["fdtput", "-c", str(dtb), mod])
            put(mod, "compatible", "s", "multiboot,kernel", "multiboot,module")
            put(mod, "reg", "x", 0, f"{addr:x}", 0, f"{size:x}")
            put(mod, "bootargs", "s", f"xtf test={name}{extra}")
            continue
        vcpus = spec.vcpus if i == 0 else 1
        run(["fdtput", "-c", str(dtb), dom])
        put(dom, "compatible", "s", "xen,domain")
        put(dom, "#address-cells", "i", 2)
        put(dom, "#size-cells", "i", 2)
        put(dom, "memory", "i", 0, spec.memory_kib)
        put(dom, "cpus", "i", vcpus)
        if vpl011:
            put(dom, "vpl011", "x")  # no value: an empty property
        mod = f"{dom}/module@{addr:x}"
        run(["fdtput", "-c", str(dtb), mod])
        put(mod, "compatible", "s", "multiboot,kernel", "multiboot,module")
        put(mod, "reg", "x", 0, f"{addr:x}", 0, f"{size:x}")
        put(mod, "bootargs", "s", f"xtf test={name}{extra}")
    return dtb


def qemu_cmd(hypervisor: Path, spec: Spec, dtb: Path, images: list[tuple[str, Path]]) -> list[str]:
    cmd = [QEMU, "-M", MACHINE, "-cpu", spec.cpu, "-smp", str(spec.host_cpus),
           "-m", HOST_MEM, "-nographic", "-no-reboot",
           "-kernel", str(hypervisor), "-dtb", str(dtb)]
    for i, (_, image) in enumerate(images):
        addr = MODULE_BASE + i * MODULE_STRIDE
        cmd += ["-device", f"loader,file={image},addr={addr:#x},force-raw=on"]
    return cmd + list(spec.qemu_extra)


def boot(cmd: list[str], watch: Watch, log: Path, timeout: float) -> tuple[bool, Optional[int]]:
    """Run QEMU until watch.done() or timeout; returns (timed_out, exit)."""
    start = time.monotonic()
    with open(log, "w") as out:
        out.write("# " + " ".join(cmd) + "\n")
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        buf = b""
        timed_out = False
        try:
            while True:
                left = timeout - (time.monotonic() - start)
                if left <= 0:
                    timed_out = True
                    break
                if not sel.select(min(left, 0.5)):
                    continue
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                buf += chunk
                *complete, buf = buf.split(b"\n")
                now = time.monotonic() - start
                for raw in complete:
                    text = raw.decode("utf-8", "replace")
                    out.write(f"[{now:8.3f}] {text}\n")
                    watch.add(parse_line(now, text, watch.spec.dom0))
                if watch.done():
                    break
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if buf:
                text = buf.decode("utf-8", "replace")
                out.write(f"[{time.monotonic() - start:8.3f}] {text}\n")
                watch.add(parse_line(time.monotonic() - start, text, watch.spec.dom0))
    return timed_out, proc.returncode


def judge_result(watch: Watch, o: Outcome) -> None:
    results = watch.results()
    if not results:
        o.reasons.append("the test domain printed no 'Test result:' line")
        return
    verdict = RESULT_RE.match(results[-1].text).group(1)
    if verdict == "SKIP":
        o.status = "SKIP"
    elif verdict != "SUCCESS":
        o.reasons.append(f"Test result: {verdict}")
    last = watch.guest(watch.test)[-1]
    if last is not results[-1]:
        o.reasons.append(f"the domain printed after its verdict: {last.text!r}")
    texts = {ln.text.rstrip() for ln in watch.guest(watch.test)}
    for want in watch.spec.expect:
        if want not in texts:
            o.reasons.append(f"the domain's output lacks the line {want!r}")
    if o.reasons:
        o.status = "FAIL"
    elif o.status != "SKIP":
        o.status = "PASS"


def judge_companion(watch: Watch, o: Outcome) -> None:
    kind = watch.spec.kind
    if watch.event_t is None:
        what = ISOLATION_MARKER if kind == "isolation" else "Test result:"
        o.reasons.append(f"the test domain never printed {what!r}")
        if watch.results():
            judge_result(watch, o)
        o.status = "FAIL"
        return
    ticks = watch.ticks_after_event()
    if len(ticks) < TICKS_AFTER:
        o.reasons.append(
            f"the ticker printed {len(ticks)} tick(s) after the event, wanted {TICKS_AFTER}"
        )
    elif any(b != a + 1 for a, b in zip(ticks, ticks[1:])):
        o.reasons.append(f"ticks out of order after the event: {ticks}")
    after = watch.guest(watch.test, watch.event_index)
    hyp = [ln.raw for ln in watch.lines[watch.event_index:] if ln.dom is None]
    if kind == "poweroff":
        judge_result(watch, o)
        if after:
            o.reasons.append(f"the domain printed after SYSTEM_OFF: {after[0].text!r}")
        o.notes.append("hypervisor lines after SYSTEM_OFF: " + (" | ".join(hyp[:5]) or "none"))
    else:
        results = watch.results()
        if results:
            verdict = RESULT_RE.match(results[-1].text).group(1)
            if verdict != "SUCCESS":
                o.reasons.append(f"Test result: {verdict}")
            else:
                o.notes.append("the hypervisor injected an abort into the guest: "
                               + " | ".join(ln.text for ln in after[:-1]))
                if watch.isolation == "crash":
                    o.reasons.append("the domain got an abort, --isolation=crash wants it stopped")
        elif after:
            o.reasons.append(f"the domain went on without a verdict: {after[-1].text!r}")
        else:
            o.notes.append("the domain was stopped at the fault")
            if watch.isolation == "abort":
                o.reasons.append("the domain was stopped, --isolation=abort wants an abort")
        o.notes.append("hypervisor lines after the fault: " + (" | ".join(hyp[:5]) or "none"))
    o.status = "FAIL" if o.reasons else "PASS"


def run_test(name: str, args, images_dir: Path, run_root: Path) -> Outcome:
    spec = TESTS.get(name, Spec())
    o = Outcome(name, "FAIL")
    work = run_root / name
    work.mkdir(parents=True, exist_ok=True)
    images = [(name, images_dir / f"{name}.bin")]
    images += [(peer, images_dir / f"{peer}.bin") for peer in spec.peers]
    if spec.companion:
        images.append((COMPANION, images_dir / f"{COMPANION}.bin"))
    for _, image in images:
        if not image.is_file():
            o.reasons.append(f"missing image {image}")
            return o
    start = time.monotonic()
    try:
        dtb = build_dtb(work, spec, images, args.bootargs, not args.no_vpl011)
    except (subprocess.CalledProcessError, RuntimeError) as e:
        o.reasons.append(f"building the device tree failed: {e}")
        return o
    cmd = qemu_cmd(Path(args.hypervisor), spec, dtb, images)
    watch = Watch(spec, name, args.isolation)
    o.log = work / "console.log"
    timeout = max(args.timeout, spec.timeout)
    timed_out, rc = boot(cmd, watch, o.log, timeout)
    o.seconds = time.monotonic() - start
    if spec.companion and spec.kind != "result":
        judge_companion(watch, o)
    else:
        judge_result(watch, o)
    if spec.check is not None and o.status != "SKIP":
        o.reasons += spec.check(watch)
        o.status = "FAIL" if o.reasons else o.status
    o.notes += watch.notes
    if timed_out and o.status != "PASS":
        o.reasons.append(f"timed out after {timeout:.0f} s")
    if o.status == "FAIL" and not o.reasons:
        o.reasons.append("no verdict")
    o.tail = "\n".join(ln.raw for ln in watch.lines[-TAIL_LINES:])
    return o


def print_outcome(o: Outcome, verbose: bool) -> None:
    print(f"{o.status} {o.name}" + (f" ({o.seconds:.1f} s)" if verbose else ""), flush=True)
    for r in o.reasons:
        print(f"    {r}")
    if verbose or o.status == "FAIL":
        for n in o.notes:
            print(f"    note: {n}")
    if o.status == "FAIL":
        if o.log:
            print(f"    log: {o.log}")
        if o.tail:
            print("    --- last lines of output ---")
            for ln in o.tail.split("\n"):
                print(f"    | {ln}")
    sys.stdout.flush()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tests", nargs="*", help="tests to run (default: all)")
    ap.add_argument("--hypervisor", required=False, help="hypervisor Image booted with -kernel")
    ap.add_argument("--build", default=str(REPO / "build"), help="build directory (default: build)")
    ap.add_argument("--no-build", action="store_true", help="do not run make first")
    ap.add_argument("--bootargs", default=DEFAULT_BOOTARGS, help="hypervisor command line")
    ap.add_argument("--no-vpl011", action="store_true",
                    help="give the domains no vpl011: guests print with console_io")
    ap.add_argument("--isolation", choices=("either", "crash", "abort"), default="either",
                    help="what the isolation test accepts: the domain stopped (crash), "
                         "a data abort injected into it (abort, Xen 4.17), or either")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per boot")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="boots in parallel")
    ap.add_argument("-v", "--verbose", action="store_true", help="times and notes")
    ap.add_argument("--list", action="store_true", help="list the tests and exit")
    args = ap.parse_args()

    known = sorted(p.parent.name for p in HERE.glob("*/main.c")
                   if p.parent.name != COMPANION and p.parent.name not in PEER_ONLY)
    if args.list:
        for name in known:
            print(name)
        return 0
    if not args.hypervisor:
        ap.error("--hypervisor is required")
    names = args.tests or known
    unknown = [n for n in names if n not in known]
    if unknown:
        ap.error(f"unknown test(s): {' '.join(unknown)}")

    build = Path(args.build).resolve()
    if not args.no_build:
        wanted = set(names) | ({COMPANION} if any(TESTS.get(n, Spec()).companion for n in names) else set())
        wanted |= {peer for n in names for peer in TESTS.get(n, Spec()).peers}
        r = subprocess.run(["make", "-s", "-C", str(HERE), f"O={build}",
                            "TESTS=" + " ".join(sorted(wanted))])
        if r.returncode:
            print("FAIL build")
            print("0 passed, 1 failed")
            return 1
    images_dir = build / "guests"
    run_root = build / "guests-run"

    outcomes: list[Outcome] = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_test, n, args, images_dir, run_root) for n in names]
        for f in futures:
            o = f.result()
            print_outcome(o, args.verbose)
            outcomes.append(o)

    passed = sum(o.status == "PASS" for o in outcomes)
    failed = sum(o.status == "FAIL" for o in outcomes)
    skipped = sum(o.status == "SKIP" for o in outcomes)
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed or not outcomes else 0


if __name__ == "__main__":
    sys.exit(main())
