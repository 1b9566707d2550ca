"""Scenarios where Xenon must stop and say why, or a guest must be refused.

  wrong-el          entered at EL1 (QEMU without virtualization=on): a PANIC
                    that says Xenon needs EL2.
  exception-report  the 'C' debug key raises an exception in the hypervisor:
                    the report names the exception and prints ESR/FAR/ELR/
                    SPSR, x0-x30 and a backtrace with symbol names.
  wx-write-text     the 'W' key writes to hypervisor text, the 'X' key
  wx-exec-data      jumps into hypervisor data: each must end in an EL2
                    permission fault (W^X), not return.
  bad-domains       three dom0less domains, two badly described (no kernel;
                    more memory than the machine has): each is refused with
                    a clear error and the good one still runs.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parent.parent
sys.path.insert(0, str(_ROOT / "scripts"))
import dom0less  # noqa: E402
import qemu  # noqa: E402


@dataclass
class FaultScenario:
    name: str
    doc: str
    command: Callable[[Path], list[str]]
    success: str  # stop once a line matches
    required: list[str] = field(default_factory=list)  # regexes (re.M)
    forbidden: list[str] = field(default_factory=list)
    send: Optional[tuple[str, bytes]] = None
    timeout: float = 60.0


def plain_boot(build: Path, machine: str = "virt,virtualization=on,gic-version=3") -> list[str]:
    return [qemu.QEMU, "-M", machine, "-cpu", "cortex-a57", "-smp", "2", "-m", "1G",
            "-nographic", "-no-reboot", "-kernel", str(qemu.image_path(build))]


def bad_domains(build: Path) -> list[str]:
    hello = build / "guests" / "hello.bin"
    doms = [
        dom0less.Domain(kernel=hello, memory_kib=16384, bootargs="xtf test=hello"),
        dom0less.Domain(kernel=hello, memory_kib=8 << 20),  # 8 GiB on a 1 GiB machine
        dom0less.Domain(kernel=hello, memory_kib=16384),
    ]
    dtb, loaders = dom0less.make(build / "system-work" / "bad-domains", doms,
                                 "console=dtuart", smp=2, mem="1G")
    # Take the kernel module away from the third domain.
    dom0less._run(["fdtput", "-r", str(dtb), _module_node(dtb, "/chosen/domU3")])
    return dom0less.qemu_command(qemu.image_path(build), dtb, loaders, smp=2, mem="1G")


def _module_node(dtb: Path, parent: str) -> str:
    import subprocess

    out = subprocess.run(["fdtget", "-l", str(dtb), parent], check=True,
                         capture_output=True, text=True).stdout.split()
    return f"{parent}/{out[0]}"


SCENARIOS = [
    FaultScenario(
        "wrong-el", "entered at EL1: PANIC saying Xenon needs EL2",
        lambda b: plain_boot(b, "virt,gic-version=3"),
        success=r"PANIC: .*EL2", required=[r"entered at EL1"],
        forbidden=[r"Xenon ready"], timeout=30,
    ),
    FaultScenario(
        "exception-report", "the 'C' key: exception report with registers and symbols",
        plain_boot, success=r"^\(XENON\)\s+x30: ", send=(r"Xenon ready", b"C"),
        required=[
            r"Unexpected exception on CPU0: synchronous \(EL2\)",
            r"ESR_EL2: 0x0*2000000 \(EC 0x00\)",
            r"ELR_EL2: 0x[0-9a-f]+ +SPSR_EL2: 0x[0-9a-f]+",
            r"PC is at 0x[0-9a-f]+ <arch_trigger_crash\+0x",
            r"x0 : 0x[0-9a-f]+ +x1 : ",
            r"x28: 0x[0-9a-f]+ +x29: ",
        ],
    ),
    FaultScenario(
        "wx-write-text", "the 'W' key writes to hypervisor text: a permission fault at EL2",
        plain_boot, success=r"^\(XENON\)\s+x30: ", send=(r"Xenon ready", b"W"),
        required=[
            r"EL2 page table \(\d+ tables\): text 0x[0-9a-f]+-0x[0-9a-f]+ read-only executable",
            r"Unexpected exception on CPU0: synchronous \(EL2\)",
            # Data abort at EL2 (EC 0x25), a write (WnR), permission fault.
            r"ESR_EL2: 0x0*9[67][0-9a-f]{4}[4-7c-f]f \(EC 0x25\)",
            r"PC is at 0x[0-9a-f]+ <write_text\+0x",
        ],
        forbidden=[r"W\^X: hypervisor text is writable"],
    ),
    FaultScenario(
        "wx-exec-data", "the 'X' key jumps into hypervisor data: a permission fault at EL2",
        plain_boot, success=r"^\(XENON\)\s+x30: ", send=(r"Xenon ready", b"X"),
        required=[
            r"Unexpected exception on CPU0: synchronous \(EL2\)",
            # Instruction abort at EL2 (EC 0x21), permission fault.
            r"ESR_EL2: 0x0*860000[01]f \(EC 0x21\)",
        ],
        forbidden=[r"W\^X: hypervisor data is executable"],
    ),
    FaultScenario(
        "bad-domains", "badly described domains are refused, the others boot",
        bad_domains, success=r"^\(d\d\) Test result:",
        required=[
            r"Cannot create domain 2 \(domU2\): more memory requested than is free",
            r"Domain 'domU2' not started: ",
            r"Domain 'domU3' not started: no kernel module",
            r"^\(d1\) --- Xenon guest test: hello ---",
        ],
        timeout=60,
    ),
]


@dataclass
class Outcome:
    name: str
    ok: bool
    problems: list[str]
    log: str
    log_path: Optional[Path]


def run_scenario(sc: FaultScenario, build: Path) -> Outcome:
    log_path = build / "system-logs" / f"{sc.name}.log"
    try:
        cmd = sc.command(build)
    except Exception as e:  # a broken set-up is a failed test
        return Outcome(sc.name, False, [f"setup failed: {e}"], "", None)
    res = qemu.run(cmd, success=sc.success, failure=None, timeout=sc.timeout,
                   settle=1.0, log_path=log_path, send=sc.send)
    problems = []
    if res.outcome != "success":
        problems.append(f"waiting for {sc.success!r}: {res.describe()}")
    problems += [f"missing {r!r}" for r in sc.required if not re.search(r, res.log, re.M)]
    problems += [f"unexpected {r!r}" for r in sc.forbidden if re.search(r, res.log, re.M)]
    return Outcome(sc.name, not problems, problems, res.log, log_path)


if __name__ == "__main__":
    build = Path(sys.argv[1] if len(sys.argv) > 1 else "build").resolve()
    failed = 0
    for sc in SCENARIOS:
        o = run_scenario(sc, build)
        print(("PASS " if o.ok else "FAIL ") + o.name, *o.problems)
        failed += not o.ok
    print(f"{len(SCENARIOS) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
