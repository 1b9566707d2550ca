"""Debian's stock Linux 6.1 arm64 kernel as a dom0less domU of Xenon.

The kernel and a busybox initramfs come from scripts/debian-guest.py
(Debian packages fetched with apt-get download, never committed). Each
scenario boots one QEMU machine and waits for the guest's /init to report
through its vpl011 console ("(d1) XENON-GUEST-INIT: Linux ... on N CPUs").
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parent.parent
sys.path.insert(0, str(_ROOT / "scripts"))
import dom0less  # noqa: E402
import qemu  # noqa: E402

GUEST_ARGS = "console=ttyAMA0 earlycon=pl011,0x22000000 rdinit=/init"
FAILURE_RE = r"^\(XENON\) (PANIC|Unexpected exception)|crashed|Kernel panic"


@dataclass
class LinuxScenario:
    name: str
    doc: str
    host_cpus: int
    vcpus: int = 2
    memory_kib: int = 262144
    companions: int = 0  # extra micro-VM domains (the ticker guest)
    timeout: float = 240.0


SCENARIOS = [
    LinuxScenario("linux-domu-smp1", "Linux domU with 2 vCPUs on 1 host CPU", host_cpus=1),
    LinuxScenario("linux-domu-smp4", "Linux domU with 2 vCPUs on 4 host CPUs", host_cpus=4),
]


@dataclass
class Outcome:
    name: str
    ok: bool
    problems: list[str]
    log: str
    log_path: Optional[Path]


def guest_files(build: Path) -> tuple[Path, Path]:
    out = subprocess.run([sys.executable, str(_ROOT / "scripts" / "debian-guest.py"),
                          "--build", str(build)], check=True, capture_output=True,
                         text=True).stdout.split()
    return Path(out[0]), Path(out[1])


def run_scenario(sc: LinuxScenario, build: Path) -> Outcome:
    log_path = build / "system-logs" / f"{sc.name}.log"
    try:
        kernel, initrd = guest_files(build)
    except (subprocess.CalledProcessError, IndexError) as e:
        return Outcome(sc.name, False, [f"cannot fetch the Debian guest: {e}"], "", None)
    dom = dom0less.Domain(kernel=kernel, ramdisk=initrd, bootargs=GUEST_ARGS,
                          memory_kib=sc.memory_kib, vcpus=sc.vcpus)
    work = build / "system-work" / sc.name
    dtb, loaders = dom0less.make(work, [dom], "console=dtuart loglvl=all",
                                 smp=sc.host_cpus)
    cmd = dom0less.qemu_command(qemu.image_path(build), dtb, loaders, smp=sc.host_cpus)
    res = qemu.run(cmd, success=r"^\(d1\) XENON-GUEST-INIT:", failure=FAILURE_RE,
                   timeout=sc.timeout, settle=1.0, log_path=log_path)
    problems = []
    if res.outcome != "success":
        problems.append(f"waiting for the guest's /init: {res.describe()}")
    else:
        m = re.search(r"XENON-GUEST-INIT: Linux (\S+) on (\d+) CPUs", res.log)
        if not m or int(m.group(2)) != sc.vcpus:
            problems.append(f"guest did not bring up {sc.vcpus} CPUs: {m and m.group(0)}")
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
