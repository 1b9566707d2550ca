#!/usr/bin/env python3
"""Boot the same dom0less device tree and modules on Xen 4.17 and on Xenon.

    scripts/compare-dom0less.py [--build DIR] [--smp N] [--domains N]

Makes one device tree (scripts/dom0less.py) with N Debian Linux 6.1 domUs
(kernel and busybox initramfs from scripts/debian-guest.py), boots it under
QEMU with Debian's Xen 4.17 (scripts/xen-ref.sh) and then with Xenon,
changing only -kernel, and reports for each hypervisor whether every domU
reached its /init and how long that took (wall time). Exits 1 unless both
booted every domain.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import dom0less  # noqa: E402
import qemu  # noqa: E402

GUEST_ARGS = "console=ttyAMA0 earlycon=pl011,0x22000000 rdinit=/init"
# Xen prints a domU's vpl011 output as "(XEN) DOM1: ...", Xenon as "(d1) ...".
INIT_RE = r"(?:DOM|\(d)(\d+)\)?:? .*XENON-GUEST-INIT"


def fetch(build: Path) -> tuple[Path, Path, Path]:
    out = subprocess.run([sys.executable, str(ROOT / "scripts/debian-guest.py"), "--build",
                          str(build)], check=True, capture_output=True, text=True).stdout.split()
    xen = subprocess.run(["sh", str(ROOT / "scripts/xen-ref.sh"), str(build)], check=True,
                         capture_output=True, text=True).stdout.split()[-1]
    return Path(out[0]), Path(out[1]), Path(xen)


def boot(name: str, hypervisor: Path, dtb: Path, loaders: list[str], smp: int, n: int,
         build: Path) -> tuple[bool, str]:
    seen: set[str] = set()
    cmd = dom0less.qemu_command(hypervisor, dtb, loaders, smp=smp)
    # Stop once the last domain's /init line is in.
    res = qemu.run(cmd, success=rf"(?:DOM|\(d){n}\)?:? .*XENON-GUEST-INIT",
                   failure=r"PANIC|Kernel panic", timeout=300, settle=5.0,
                   log_path=build / "compare" / f"{name}.log")
    for m in re.finditer(INIT_RE, res.log):
        seen.add(m.group(1))
    ok = len(seen) == n
    return ok, f"{name:8} {len(seen)}/{n} domUs reached /init ({res.describe()})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--domains", type=int, default=2)
    args = ap.parse_args()
    build = Path(args.build).resolve()
    kernel, initrd, xen = fetch(build)
    doms = [dom0less.Domain(kernel=kernel, ramdisk=initrd, bootargs=GUEST_ARGS,
                            memory_kib=262144, vcpus=1) for _ in range(args.domains)]
    dtb, loaders = dom0less.make(build / "compare", doms,
                                 "console=dtuart loglvl=all guest_loglvl=all",
                                 smp=args.smp)
    results = [boot(name, hv, dtb, loaders, args.smp, args.domains, build)
               for name, hv in (("xen-4.17", xen), ("xenon", qemu.image_path(build)))]
    for _, line in results:
        print(line)
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
