"""Debian's stock Linux 6.1 as dom0 of Xenon, booted by the QEMU line that
boots it on Xen 4.17 with only -kernel changed.

The initramfs's /init (scripts/debian-guest.py) reports what it finds:
/sys/hypervisor (type and version), the xen modules it loads from the kernel
package (xen-privcmd, xenfs, xen-evtchn, xen-gntdev, virtio_mmio,
virtio_blk), xenfs at /proc/xen, and a read and a write of the virtio-blk
disk dom0 owns (its MMIO mapped and its SPI forwarded). A second scenario
boots a dom0less Linux domU beside dom0.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parent.parent
sys.path.insert(0, str(_ROOT / "scripts"))
sys.path.insert(0, str(_HERE))
import dom0less  # noqa: E402
import linux  # noqa: E402
import qemu  # noqa: E402

DOM0_ARGS = "console=hvc0 earlycon=xen rdinit=/init panic=-1 xenon.poweroff"
# With a domU beside it, dom0 must not power the machine off.
DOM0_ARGS_STAY = "console=hvc0 earlycon=xen rdinit=/init panic=-1"
DISK_MAGIC = b"xenon-disk-hello"

DOM0_REQUIRED = [
    r"^XENON-GUEST-INIT: Linux 6\.1\S* on 2 CPUs",
    r"^XENON-GUEST-HYPERVISOR: xen 4\.17",
    r"^XENON-GUEST-MODULE: \d+-xen-evtchn loaded",
    r"^XENON-GUEST-MODULE: \d+-xen-gntdev loaded",
    r"^XENON-GUEST-XENFS: capabilities=control_d",
    r"^XENON-GUEST-DISK-READ: xenon-disk-hello",
    r"^XENON-GUEST-DISK-WRITE: written-by-guest-",
]


@dataclass
class Dom0Scenario:
    name: str
    doc: str
    domu: bool = False
    timeout: float = 300.0


SCENARIOS = [
    Dom0Scenario("linux-dom0", "Debian Linux 6.1 as dom0 from Xen's QEMU line"),
    Dom0Scenario("linux-dom0-and-domu", "dom0 and a dom0less Linux domU together",
                 domu=True),
]


@dataclass
class Outcome:
    name: str
    ok: bool
    problems: list[str]
    log: str
    log_path: Optional[Path]


def command(sc: Dom0Scenario, build: Path, work: Path, kernel: Path,
            initrd: Path) -> list[str]:
    disk = work / "disk.img"
    disk.write_bytes(DISK_MAGIC.ljust(1 << 20, b"\0"))
    extra = ["-drive", f"if=none,file={disk},format=raw,id=hd0",
             "-device", "virtio-blk-device,drive=hd0"]
    if not sc.domu:
        return [qemu.QEMU, "-machine", "virt,virtualization=on,gic-version=3",
                "-cpu", "cortex-a57", "-smp", "2", "-m", "2048", "-nographic",
                "-no-reboot", "-kernel", str(qemu.image_path(build)),
                "-append", "dom0_mem=512M console=dtuart loglvl=all",
                "-device", f"guest-loader,addr=0x49000000,kernel={kernel},bootargs={DOM0_ARGS}",
                "-device", f"guest-loader,addr=0x50000000,initrd={initrd}", *extra]
    # dom0 and a domU from one device tree (dom0's modules under /chosen).
    domu = dom0less.Domain(kernel=kernel, ramdisk=initrd, bootargs=linux.GUEST_ARGS,
                           memory_kib=262144, vcpus=1)
    dtb, loaders = dom0less.make(work, [domu], "dom0_mem=512M console=dtuart loglvl=all",
                                 smp=2, mem="2048", dom0=(kernel, initrd, DOM0_ARGS_STAY))
    return dom0less.qemu_command(qemu.image_path(build), dtb, loaders, smp=2, mem="2048",
                                 extra=tuple(extra))


def run_scenario(sc: Dom0Scenario, build: Path) -> Outcome:
    log_path = build / "system-logs" / f"{sc.name}.log"
    work = build / "system-work" / sc.name
    work.mkdir(parents=True, exist_ok=True)
    try:
        kernel, initrd = linux.guest_files(build)
        cmd = command(sc, build, work, kernel, initrd)
    except Exception as e:  # a broken set-up is a failed test
        return Outcome(sc.name, False, [f"setup failed: {e}"], "", None)
    need_domu = r"^\(d1\) XENON-GUEST-INIT:" if sc.domu else None
    # dom0 powers the machine off when done: with a domU, wait for both.
    success = [r"^XENON-GUEST-DISK-WRITE:", need_domu] if sc.domu else r"^XENON-GUEST-POWEROFF"
    res = qemu.run(cmd, success=success, failure=linux.FAILURE_RE,
                   timeout=sc.timeout, settle=0.5, log_path=log_path)
    problems = []
    if res.outcome != "success":
        problems.append(f"waiting for dom0 to finish its checks: {res.describe()}")
    for r in DOM0_REQUIRED + ([need_domu] if need_domu else []):
        if not re.search(r, res.log, re.M):
            problems.append(f"missing {r!r}")
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
