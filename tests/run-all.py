#!/usr/bin/env python3
"""Run every Xenon test and summarise (`make test` calls this after building).

    python3 tests/run-all.py [--build DIR] [--only check|unit|system] [-k TEXT]
                             [--timeout S] [--list]

In order:
  check   scripts/check.sh (clang-format, cppcheck, MISRA): one test, passes
          if it exits 0.
  unit    every cmocka binary in <build>/host/unit/; each test case counts.
  system  the QEMU boot scenarios of tests/system/scenarios.py; logs in
          <build>/system-logs/.
  guests  the micro-VM guest tests of tests/guests/ (run.py, each a
          dom0less domU on Xenon), Debian's Linux as a dom0less domU
          (tests/system/linux.py) and as dom0 (tests/system/dom0.py),
          and Debian's Xen 4.17 tools in dom0 side by side on Xen 4.17
          and Xenon (tests/system/toolstack.py).

Prints `PASS name` or `FAIL name` (with the reason and the end of the log)
for each test, and last a line `N passed, M failed`. Exits 1 if any test
failed or none ran. Test names: check, unit/<binary>/<case>,
system/<scenario>; -k keeps those containing TEXT.
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
import time
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "tests" / "system"))

SECTIONS = ("check", "unit", "system", "guests")
CHECK_TIMEOUT = 900.0
UNIT_TIMEOUT = 300.0
TAIL_LINES = 30


class Reporter:
    def __init__(self, keyword: Optional[str]):
        self.keyword = keyword
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.pending: Optional[str] = None
        self.last = time.monotonic()

    def section(self, text: str) -> None:
        """A heading, printed before the section's first result."""
        self.pending = f"== {text}"

    def _heading(self) -> None:
        if self.pending:
            print(self.pending, flush=True)
            self.pending = None

    def wanted(self, name: str) -> bool:
        return not self.keyword or self.keyword in name

    def result(
        self, name: str, ok: bool, reasons: list[str] = (), tail: str = "",
        where: Optional[Path] = None, head: bool = False,
    ) -> None:
        """Count and print one result. For a failure, print the reasons and
        the last lines of tail (the first ones if head: a sanitizer report
        starts with what matters)."""
        self._heading()
        # How long it took, where that is worth reading (CI has a limit).
        now = time.monotonic()
        took = f" ({now - self.last:.0f} s)" if now - self.last >= 5 else ""
        self.last = now
        if ok:
            self.passed += 1
            print(f"PASS {name}{took}", flush=True)
            return
        self.failed += 1
        lines = [f"FAIL {name}{took}"]
        lines += [f"    {r}" for r in reasons]
        if where is not None:
            lines.append(f"    log: {where}")
        tail_lines = tail.strip("\n").split("\n") if tail.strip() else []
        if len(tail_lines) > TAIL_LINES:
            cut = len(tail_lines) - TAIL_LINES
            if head:
                tail_lines = tail_lines[:TAIL_LINES] + [f"[... {cut} more lines]"]
            else:
                tail_lines = [f"[... {cut} lines before]"] + tail_lines[-TAIL_LINES:]
        if tail_lines:
            lines.append("    --- output ---")
            lines += [f"    | {x}" for x in tail_lines]
        print("\n".join(lines), flush=True)

    def skip(self, name: str, why: str = "") -> None:
        self.skipped += 1
        self._heading()
        print(f"SKIP {name}" + (f" ({why})" if why else ""), flush=True)


# ---------------------------------------------------------------------------
# check


def run_check(rep: Reporter, build: Path) -> None:
    if not rep.wanted("check"):
        return
    rep.section("check: scripts/check.sh")
    script = REPO / "scripts" / "check.sh"
    if not script.is_file():
        rep.result("check", False, [f"{script} not found"])
        return
    cmd = [str(script)] if os.access(script, os.X_OK) else ["bash", str(script)]
    try:
        proc = subprocess.run(
            cmd, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, timeout=CHECK_TIMEOUT,
            env={**os.environ, "O": str(build)},
        )
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        rep.result("check", False, [f"timed out after {CHECK_TIMEOUT:.0f} s"], out)
        return
    out = proc.stdout.decode("utf-8", "replace")
    if proc.returncode == 0:
        rep.result("check", True)
    else:
        rep.result("check", False, [f"scripts/check.sh exited with status {proc.returncode}"], out)


# ---------------------------------------------------------------------------
# unit (cmocka)


def unit_env() -> dict[str, str]:
    env = dict(os.environ)
    env["CMOCKA_MESSAGE_OUTPUT"] = "stdout"
    # On a terminal the sanitizers would print colour codes.
    for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        env[var] = ":".join(x for x in (env.get(var), "color=never") if x)
    return env


ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run_in_pty(cmd: list[str], timeout: float, cwd: Path) -> tuple[str, Optional[int], bool]:
    """Run cmd with stdout and stderr on a pseudo-terminal, so that cmocka's
    buffered stdout and unbuffered stderr arrive line by line in the order
    they were written. Returns (output, exit status, timed out)."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
            close_fds=True, env=unit_env(),
        )
    except OSError as e:
        os.close(master)
        os.close(slave)
        return f"cannot run {cmd[0]}: {e.strerror}\n", None, False
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + timeout
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([master], [], [], min(left, 1.0))
            if not ready:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        if proc.poll() is None and timed_out:
            proc.kill()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(master)
    out = b"".join(chunks).decode("utf-8", "replace").replace("\r", "")
    out = ANSI_RE.sub("", out)
    return out, proc.returncode, timed_out


RE_CM = re.compile(r"^\[\s*(RUN|OK|FAILED|ERROR|SKIPPED|PASSED|LINE|=+)\s*\] ?(.*)$")
RE_COUNT = re.compile(r"^(\d+) test\(s\)")


def parse_cmocka(out: str) -> tuple[list[tuple[str, str, list[str]]], dict[str, int]]:
    """Return ([(case, "pass"|"fail"|"skip", its output lines)], summary
    counts {"passed": n, "failed": n} from the "[  PASSED  ] N test(s)." and
    "[  FAILED  ] N test(s)" lines). A case that started but never finished
    (a crash) counts as failed."""
    cases = []
    summary = {"passed": 0, "failed": 0}
    current: Optional[str] = None
    buf: list[str] = []
    in_list = False  # inside "listed below:" after a group summary
    for line in out.split("\n"):
        m = RE_CM.match(line)
        tag, rest = (m.group(1), m.group(2).strip()) if m else (None, "")
        if tag is not None and tag.startswith("="):
            in_list = False
            if rest.startswith("Running"):
                current, buf = None, []
            continue
        cnt = RE_COUNT.match(rest) if tag in ("PASSED", "FAILED", "SKIPPED") else None
        if cnt:
            if tag == "PASSED":
                summary["passed"] += int(cnt.group(1))
            elif tag == "FAILED":
                summary["failed"] += int(cnt.group(1))
            in_list = "listed below" in rest
            continue
        if tag == "RUN":
            if current is not None:  # previous case never finished
                cases.append((current, "fail", buf))
            current, buf, in_list = rest, [], False
            continue
        if tag in ("OK", "FAILED", "ERROR", "SKIPPED") and not rest.startswith("---") and not in_list:
            if current is not None and rest == current:
                status = {"OK": "pass", "SKIPPED": "skip"}.get(tag, "fail")
                cases.append((current, status, buf))
                current, buf = None, []
                continue
            if tag == "ERROR" and rest and current is None:
                # a group setup/teardown failure names no running case
                cases.append((rest, "fail", buf))
                buf = []
                continue
        if in_list and tag in ("FAILED", "SKIPPED", "ERROR"):
            continue
        buf.append(line)
    if current is not None:
        cases.append((current, "fail", buf))
    return cases, summary


def run_abi(rep: Reporter, build: Path) -> None:
    """tests/abi: the pinned ABI layouts compile for aarch64."""
    if not rep.wanted("unit/abi-sizes"):
        return
    proc = subprocess.run(["make", "--no-print-directory", f"O={build}", "abi-check"],
                          cwd=REPO, capture_output=True, text=True)
    rep.result("unit/abi-sizes", proc.returncode == 0, [], proc.stdout + proc.stderr)


def run_unit(rep: Reporter, build: Path) -> None:
    unit_dir = build / "host" / "unit"
    sources = sorted(p.stem for p in (REPO / "tests" / "unit").glob("*-test.c"))
    bins = []
    if unit_dir.is_dir():
        bins = sorted(
            p.name for p in unit_dir.iterdir()
            if p.is_file() and os.access(p, os.X_OK) and p.suffix not in (".o", ".d")
        )
    names = sorted(set(sources) | set(bins))
    if not names:
        return
    # Case names are only known once a binary has run, so -k runs them all
    # unless the keyword names another section.
    if rep.keyword and rep.keyword.startswith(("system", "check")):
        return
    rep.section(f"unit: {len(names)} binaries in {unit_dir}")
    for name in names:
        exe = unit_dir / name
        label = f"unit/{name}"
        if name not in bins:
            if rep.wanted(label):
                rep.result(label, False, [f"{exe} not built (make unit-build)"])
            continue
        out, status, timed_out = run_in_pty([str(exe)], UNIT_TIMEOUT, REPO)
        cases, summary = parse_cmocka(out)
        for case, st, lines in cases:
            full = f"{label}/{case}"
            if not rep.wanted(full):
                continue
            if st == "pass":
                rep.result(full, True)
            elif st == "skip":
                rep.skip(full)
            else:
                rep.result(full, False, tail="\n".join(lines) or out, head=True)
        nfail = sum(1 for _, st, _ in cases if st == "fail")
        npass = sum(1 for _, st, _ in cases if st == "pass")
        problems = []
        if timed_out:
            problems.append(f"timed out after {UNIT_TIMEOUT:.0f} s")
        elif status != 0 and nfail == 0:
            problems.append(f"exited with status {status} with no failed test case")
        elif not cases and status == 0:
            if rep.wanted(label):
                rep.result(label, True)
            continue
        if summary["passed"] > npass or summary["failed"] > nfail:
            problems.append(
                f"cmocka's summary says {summary['passed']} passed, {summary['failed']} "
                f"failed, but {npass} passed, {nfail} failed were seen"
            )
        if problems and rep.wanted(label):
            rep.result(label, False, problems, out)


# ---------------------------------------------------------------------------
# system


def run_system(rep: Reporter, build: Path, timeout: Optional[float]) -> None:
    import harness
    import scenarios

    import faults

    chosen = [s for s in scenarios.SCENARIOS if rep.wanted(f"system/{s.name}")]
    chosen_faults = [f for f in faults.SCENARIOS if rep.wanted(f"system/{f.name}")]
    if not chosen and not chosen_faults:
        return
    rep.section(f"system: {len(chosen) + len(chosen_faults)} QEMU scenarios, "
                f"logs in {build / 'system-logs'}")
    for sc in chosen:
        out = harness.run_scenario(sc, build, timeout=timeout)
        rep.result(f"system/{sc.name}", out.ok, out.problems, out.log, out.log_path)
    for fs in chosen_faults:
        out = faults.run_scenario(fs, build)
        rep.result(f"system/{fs.name}", out.ok, out.problems, out.log, out.log_path)


# ---------------------------------------------------------------------------
# guests

GUEST_LINE_RE = re.compile(r"^(PASS|FAIL|SKIP) (\S+)")


# Micro-VM tests of how a guest's mistakes are handled: they must pass on
# Debian's Xen 4.17 too, as the reference for Xenon's behaviour.
XEN_REFERENCE_TESTS = ("abort-injected", "hvc-bad-imm", "block-wake", "poll",
                       "sysreg-isolation", "spectre", "attack-grant-special",
                       "attack-evtchn", "attack-data-abort", "console-ratelimit",
                       "grant-frame-move", "passthrough-irq")
CONFORMANCE_ANSWERS = REPO / "tests" / "guests" / "conformance" / "xen-4.17.answers"


def run_mistakes_on_xen(rep: Reporter, label: str, build: Path) -> None:
    xen = subprocess.run(["sh", str(REPO / "scripts" / "xen-ref.sh"), str(build)],
                         capture_output=True, text=True)
    if xen.returncode != 0:
        rep.result(label, False, ["scripts/xen-ref.sh failed"], xen.stdout + xen.stderr)
        return
    cmd = [sys.executable, str(REPO / "tests" / "guests" / "run.py"),
           "--hypervisor", xen.stdout.strip().splitlines()[-1], "--build", str(build),
           "--no-build", *XEN_REFERENCE_TESTS]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    rep.result(label, proc.returncode == 0,
               [ln for ln in proc.stdout.splitlines() if ln.startswith(("PASS", "FAIL"))],
               proc.stdout + proc.stderr)


def run_conformance(rep: Reporter, label: str, build: Path) -> None:
    """The seeded hypercall stream on Xenon against Xen 4.17's recorded
    answers (scripts/conformance.py --record regenerates them)."""
    cmd = [sys.executable, str(REPO / "scripts" / "conformance.py"), "--build", str(build),
           "--against", str(CONFORMANCE_ANSWERS)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    lines = proc.stdout.strip().splitlines()
    summary = [ln for ln in lines if ln.startswith("all:")]
    if proc.returncode != 0:
        summary += [ln for ln in lines if ln.startswith("  ")][:20]
    rep.result(label, proc.returncode == 0, summary, proc.stdout + proc.stderr)


def run_fuzz(rep: Reporter, label: str, build: Path) -> None:
    """10,000 hostile hypercalls beside the ticker, as a domU and as dom0
    (make fuzz runs 10^6 of each)."""
    cmd = [sys.executable, str(REPO / "scripts" / "fuzz.py"), "--build", str(build),
           "--count", "10000"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("fuzz: ")]
    rep.result(label, proc.returncode == 0, lines, proc.stdout + proc.stderr)


def prepare_dom0(build: Path) -> None:
    """Debian's packages for dom0 and Xen 4.17, fetched and built while the
    earlier tests run (mostly downloads). A failure here shows again, as a
    failed test, when the scenarios ask for the same files."""
    import toolstack

    try:
        toolstack.boot_files(build)
        toolstack.xen_image(build)
    except Exception:  # noqa: BLE001 (reported by the scenarios themselves)
        pass


def run_host_fuzzers(rep: Reporter, build: Path) -> None:
    """The libFuzzer host targets for a few seconds each (make fuzz runs
    them for 10^7 executions): scripts/host_fuzz.py."""
    import host_fuzz

    bins = [b for b in host_fuzz.targets(build) if rep.wanted(f"fuzz/{b.name}")]
    if not bins:
        return
    rep.section(f"fuzz: {len(bins)} libFuzzer host targets")
    # Two at a time: they use one CPU each and nothing else runs now.
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [(b, pool.submit(host_fuzz.run, b, host_fuzz.RUNS_IN_TEST.get(b.name, 5000)))
                for b in bins]
        for b, fut in runs:
            ok, why, log = fut.result()
            rep.result(f"fuzz/{b.name}", ok, why, log, head=True)


def run_guests(rep: Reporter, build: Path, prepared: Optional[threading.Thread]) -> None:
    import dom0
    import linux

    rep.section("guests: micro-VM tests and Debian Linux as dom0less domUs")
    cmd = [sys.executable, str(REPO / "tests" / "guests" / "run.py"),
           "--hypervisor", str(build / "xenon"), "--build", str(build), "--no-build"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
    blocks: dict[str, list[str]] = {}
    current = None
    for line in proc.stdout.splitlines():
        m = GUEST_LINE_RE.match(line)
        if m:
            current = m.group(2)
            blocks[current] = [m.group(1)]
        elif current is not None:
            blocks[current].append(line)
    if not blocks:
        rep.result("guests/micro-vm", False, ["tests/guests/run.py reported nothing"],
                   proc.stdout + proc.stderr)
    for name, lines in blocks.items():
        label = f"guests/{name}"
        if not rep.wanted(label):
            continue
        if lines[0] == "SKIP":
            rep.skip(label)
        else:
            rep.result(label, lines[0] == "PASS", [], "\n".join(lines[1:]))
    if prepared is not None:
        prepared.join()  # it fetches the Linux guest files the next tests use
    for sc in linux.SCENARIOS:
        label = f"guests/{sc.name}"
        if rep.wanted(label):
            out = linux.run_scenario(sc, build)
            rep.result(label, out.ok, out.problems, out.log, out.log_path)
    for sc in dom0.SCENARIOS:
        label = f"guests/{sc.name}"
        if rep.wanted(label):
            out = dom0.run_scenario(sc, build)
            rep.result(label, out.ok, out.problems, out.log, out.log_path)
    import toolstack

    for sc in toolstack.SCENARIOS:
        label = f"guests/{sc.name}"
        if sc.in_make_test and rep.wanted(label):
            try:
                ok, problems, log = toolstack.run_scenario(sc, build,
                                                           toolstack.xen_image(build))
            except Exception as e:  # a broken set-up is a failed test
                ok, problems, log = False, [f"setup failed: {e}"], ""
            rep.result(label, ok, problems, log)
    label = "guests/same-answers-on-xen-4.17"
    if rep.wanted(label):
        run_mistakes_on_xen(rep, label, build)
    label = "guests/conformance"
    if rep.wanted(label):
        run_conformance(rep, label, build)
    label = "guests/fuzz"
    if rep.wanted(label):
        run_fuzz(rep, label, build)
    label = "guests/same-dt-on-xen-4.17-and-xenon"
    if rep.wanted(label):
        proc = subprocess.run([sys.executable, str(REPO / "scripts" / "compare-dom0less.py"),
                               "--build", str(build)], capture_output=True, text=True,
                              timeout=900)
        rep.result(label, proc.returncode == 0, proc.stdout.strip().splitlines(),
                   proc.stderr)


# ---------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build", help="build directory (default: build)")
    ap.add_argument(
        "--only", action="append", default=[], metavar="SECTION",
        help="run only these sections: check, unit, system (repeat or comma-separate)",
    )
    ap.add_argument("-k", dest="keyword", help="run only tests whose name contains this")
    ap.add_argument("--timeout", type=float, help="seconds per system scenario (default: its own)")
    ap.add_argument("--list", action="store_true", help="list the system scenarios and exit")
    args = ap.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up QEMU

    if args.list:
        import scenarios

        for s in scenarios.SCENARIOS:
            print(f"system/{s.name:28} {s.doc}")
        return 0

    only = {x.strip() for o in args.only for x in o.split(",") if x.strip()}
    bad = only - set(SECTIONS)
    if bad:
        ap.error(f"--only takes {', '.join(SECTIONS)}; not {', '.join(sorted(bad))}")
    sections = [s for s in SECTIONS if not only or s in only]

    build = Path(args.build)
    if not build.is_absolute():
        build = (Path.cwd() / build).resolve()
    rep = Reporter(args.keyword)
    start = time.monotonic()
    prepared = None
    if "guests" in sections:
        prepared = threading.Thread(target=prepare_dom0, args=(build,), daemon=True)
        prepared.start()
    try:
        if "check" in sections:
            run_check(rep, build)
        if "unit" in sections:
            run_unit(rep, build)
            run_abi(rep, build)
            run_host_fuzzers(rep, build)
        if "system" in sections:
            run_system(rep, build, args.timeout)
        if "guests" in sections:
            run_guests(rep, build, prepared)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        rep.failed += 1
    total = rep.passed + rep.failed
    if total == 0:
        print("no test ran" + (f" (nothing matches -k {args.keyword!r})" if args.keyword else ""))
    extra = f", {rep.skipped} skipped" if rep.skipped else ""
    print(f"(took {time.monotonic() - start:.0f} s{extra})")
    print(f"{rep.passed} passed, {rep.failed} failed", flush=True)
    return 1 if rep.failed or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
