"""Debian's own Xen 4.17 tools in dom0, side by side on Xen 4.17 and Xenon.

Each scenario boots the dom0 of `make dom0-rootfs` (scripts/dom0-rootfs.py)
with the same QEMU line on Debian's Xen 4.17 and on Xenon (only -kernel
differs) and `xenon.test=NAME` on dom0's command line: dom0 starts Debian's
/etc/init.d/xen, runs /root/tests/NAME.sh (tests/system/dom0/NAME.sh,
appended to the initramfs at boot) and powers off. Each command's
output sits between XENON-TS-BEGIN and XENON-TS-END lines; after the
normalisations below, every command must print the same on both and
succeed on Xenon.
"""

from __future__ import annotations

import gzip
import importlib
import io
import re
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parent.parent
sys.path.insert(0, str(_ROOT / "scripts"))
sys.path.insert(0, str(_HERE))
import linux  # noqa: E402
import qemu  # noqa: E402

debian = importlib.import_module("debian-guest")

DOM0_ARGS = "console=hvc0 earlycon=xen rdinit=/init"
# Virtual time (an instruction a nanosecond; idle time skipped) on one
# CPU, for the scenarios that move data: under plain emulation the PV data
# paths crawl (16 MiB over the vif took more than 10 minutes of host time
# on Xen 4.17), and sleeps in the scripts cost nothing.
ICOUNT = ["-icount", "shift=0,sleep=off"]
XEN_ARGS = "dom0_mem=512M console=dtuart loglvl=all"

# What differs by design, each with its reason: (pattern, replacement).
NORMALISE = [
    # Versions, build details and the hypervisor's own prefix.
    (r"^(xen_extra|xen_version|xen_changeset|cc_compiler|cc_compile_by|"
     r"cc_compile_domain|cc_compile_date|build_id)\s*:.*$", r"\1 : <build>"),
    (r"^\((XEN|XENON)\)", "(HV)"),
    # Domain IDs in the toolstack's messages.
    (r"(Domain |domid=|domain |/libxl/)\d+", r"\1N"),
    # Memory the hypervisor keeps for itself differs: the figures are not
    # compared (toolstack-loop checks that memory comes back).
    (r"^(total_memory|free_memory)\s*:.*$", r"\1 : <MiB>"),
    # CPU time used so far (xl list).
    (r"^(\S+\s+\d+\s+\d+\s+\d+\s+\S+)\s+[\d.]+$", r"\1 <time>"),
    # xl vcpu-list: the CPU, state and time of a vCPU at that instant
    # (each scheduler places and moves vCPUs its own way).
    (r"^(\S+\s+\d+\s+\d+)\s+\d+\s+\S+\s+[\d.]+\s+(.*)$",
     r"\1 <cpu> <state> <time> \2"),
]

# Lines that differ with a reason (Xen's, Xenon's).
KNOWN = {
    # Xenon offers no virtual PMU (guests read PMU registers as zero).
    ("virt_caps              : hvm hap vpmu gnttab-v1",
     "virt_caps              : hvm hap gnttab-v1"),
    # Xenon runs AArch64 guests only.
    ("xen_caps               : xen-3.0-aarch64 xen-3.0-armv7l ",
     "xen_caps               : xen-3.0-aarch64"),
}


@dataclass
class Scenario:
    name: str
    doc: str
    timeout: float = 600.0
    # Compared with Xen 4.17 line by line, or checked on Xenon alone.
    side_by_side: bool = True
    # In make test, or with this script alone.
    in_make_test: bool = True
    # Micro-VM images (build/guests/NAME.bin) dom0 gets as /root/guests/NAME.bin.
    guests: tuple = ()
    # One CPU in virtual time (ICOUNT), for the scenarios that move data.
    icount: bool = False


SCENARIOS = [
    Scenario("toolstack-xl", "xl info, list, dmesg, vcpu-list, create (to the guest's "
             "shell), pause, unpause, destroy and xenstore in dom0"),
    Scenario("toolstack-bad-input", "malformed xl.cfg files: the same clear errors as "
             "on Xen, no domain left, free memory unchanged"),
    Scenario("pv-devices", "PV disks (a file, phy:/dev/vda, one attached and detached "
             "at run time) and networks (ping, 16 MiB over TCP, a vif attached and "
             "detached) through Linux's back ends in dom0 and front ends in a guest",
             icount=True),
    Scenario("pv-hostile-frontend", "a micro-VM as a hostile blkfront/netfront: garbage on "
             "its rings, req_prod far ahead; the back ends log it and stop that device, a "
             "real guest's disk and network carry on", guests=("pv-hostile-frontend",),
             icount=True),
    Scenario("toolstack-loop", "20 x (xl create, the guest's shell, xl destroy): "
             "increasing IDs, all memory back each time", side_by_side=False),
]

LOOPS = 20


def check_loop(found: list) -> list[str]:
    """Every round succeeded, the IDs increase by one (as on Xen) and the
    free memory after each destroy is what it was after the first."""
    problems = []
    rounds = []
    for cmd, out, rc in found:
        m = re.match(r"^id=(\d+) free=(\d+)$", out[-1]) if out else None
        if rc != "0" or m is None:
            problems.append(f"round {len(rounds) + 1}: rc {rc}: {' / '.join(out[-3:])}")
            continue
        rounds.append((int(m.group(1)), int(m.group(2))))
    if len(found) != LOOPS:
        problems.append(f"{len(found)} of {LOOPS} rounds ran")
    for i in range(1, len(rounds)):
        if rounds[i][0] != rounds[i - 1][0] + 1:
            problems.append(f"round {i + 1}: domain ID {rounds[i][0]} after {rounds[i - 1][0]}")
        if rounds[i][1] != rounds[0][1]:
            problems.append(f"round {i + 1}: {rounds[i][1]} MiB free, {rounds[0][1]} after round 1")
    return problems



def command(sc: Scenario, hypervisor: Path, kernel: Path, rootfs: Path,
            disk: Path) -> list[str]:
    """The QEMU line: dom0 and its initramfs as boot modules, and a virtio
    disk dom0 sees as /dev/vda (for phy: disks)."""
    test = sc.name
    return [qemu.QEMU, "-machine", "virt,virtualization=on,gic-version=3",
            "-cpu", "cortex-a57", "-smp", "1" if sc.icount else "2", "-m", "2048",
            "-nographic", "-no-reboot",
            "-kernel", str(hypervisor), "-append", XEN_ARGS,
            *qemu.guest_loader_arg(0x49000000, kernel=str(kernel),
                                   bootargs=f"{DOM0_ARGS} xenon.test={test}"),
            *qemu.guest_loader_arg(0x50000000, initrd=str(rootfs)),
            "-drive", f"if=none,id=vda,format=raw,file={disk}",
            "-device", "virtio-blk-device,drive=vda", *(ICOUNT if sc.icount else [])]


def sections(log: str) -> list[tuple[str, list[str], str]]:
    """(command, output lines, rc) for each command the test ran."""
    out = []
    cur = None
    for raw in log.splitlines():
        line = raw.rstrip("\r")
        m = re.match(r"^XENON-TS-BEGIN: (.*)$", line)
        if m:
            cur = (m.group(1), [])
            continue
        m = re.match(r"^XENON-TS-END: rc=(\d+)$", line)
        if m and cur is not None:
            out.append((cur[0], cur[1], m.group(1)))
            cur = None
            continue
        if cur is not None and not re.match(r"^(\[ *\d+\.\d+\]|\(XEN\) |\(XENON\) )", line):
            cur[1].append(line)
    return out


def normalise(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        for pat, rep in NORMALISE:
            line = re.sub(pat, rep, line)
        out.append(line)
    return out


def boot_files(build: Path) -> tuple[Path, Path]:
    """dom0's kernel and root file system (built if missing or stale)."""
    kernel, _ = linux.guest_files(build)
    rootfs = Path(subprocess.run([sys.executable, str(_ROOT / "scripts" / "dom0-rootfs.py"),
                                  "--build", str(build)], check=True, capture_output=True,
                                 text=True).stdout.strip())
    return kernel, rootfs


def build_guests(build: Path) -> None:
    """The micro-VM images (build/guests/NAME.bin)."""
    subprocess.run(["make", "-s", "-C", str(_ROOT / "tests" / "guests"), f"O={build}"],
                   check=True)


def scenario(name: str) -> Scenario:
    return next((s for s in SCENARIOS if s.name == name), Scenario(name, ""))


def test_rootfs(build: Path, rootfs: Path, test: str, label: str) -> Path:
    """make dom0-rootfs's initramfs with the scenarios (tests/system/dom0 as
    /root/tests) and the scenario's micro-VMs appended: Linux unpacks
    concatenated archives in order."""
    sc = scenario(test)
    buf = io.BytesIO()
    for d in ("root", "root/tests", "root/guests"):
        debian.cpio_entry(buf, d, stat.S_IFDIR | 0o755)
    for f in sorted((_HERE / "dom0").glob("*.sh")):
        debian.cpio_entry(buf, f"root/tests/{f.name}", stat.S_IFREG | 0o755, f.read_bytes())
    for g in sc.guests:
        debian.cpio_entry(buf, f"root/guests/{g}.bin", stat.S_IFREG | 0o644,
                          (build / "guests" / f"{g}.bin").read_bytes())
    debian.cpio_entry(buf, "TRAILER!!!", 0)
    path = build / "system" / f"dom0-{test}-{label}.cpio.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(rootfs.read_bytes() + gzip.compress(buf.getvalue()))
    return path


def boot(build: Path, hypervisor: Path, test: str, label: str) -> tuple[object, Path]:
    kernel, base = boot_files(build)
    rootfs = test_rootfs(build, base, test, label)
    # A fresh 16 MiB disk per boot: the two hypervisors run at once.
    disk = build / "system" / f"vda-{test}-{label}.img"
    disk.write_bytes(bytes(16 << 20))
    log_path = build / "system-logs" / f"{test}-{label}.log"
    res = qemu.run(command(scenario(test), hypervisor, kernel, rootfs, disk),
                   success=rf"^XENON-TS-DONE: {test}", failure=linux.FAILURE_RE,
                   timeout=1200, settle=0.5, log_path=log_path)
    return res, log_path


def compare(xen: list, xenon: list) -> list[str]:
    problems = []
    if len(xen) != len(xenon):
        problems.append(f"{len(xen)} commands ran on Xen, {len(xenon)} on Xenon")
    for (cmd, xout, _), (_, nout, nrc) in zip(xen, xenon):
        if nrc != "0":
            problems.append(f"'{cmd}' failed on Xenon (rc {nrc})")
        a, b = normalise(xout), normalise(nout)
        if len(a) != len(b):
            problems.append(f"'{cmd}': {len(a)} lines on Xen, {len(b)} on Xenon")
        for la, lb in zip(a, b):
            if la != lb and (la, lb) not in KNOWN:
                problems.append(f"'{cmd}': Xen {la!r} / Xenon {lb!r}")
    return problems


def run_scenario(sc: Scenario, build: Path, xen: Path) -> tuple[bool, list[str], str]:
    if not sc.side_by_side:
        rn, _ = boot(build, qemu.image_path(build), sc.name, "xenon")
        problems = [] if rn.outcome == "success" else [f"Xenon: {rn.describe()}"]
        problems += check_loop(sections(rn.log))
        return not problems, problems, rn.log
    # Both hypervisors at once (one QEMU each): the root file system and
    # the micro-VMs are built first so the two do not race to write them.
    boot_files(build)
    if sc.guests:
        build_guests(build)
    with ThreadPoolExecutor(max_workers=2) as pool:
        on_xen = pool.submit(boot, build, xen, sc.name, "xen-4.17")
        rn, _ = boot(build, qemu.image_path(build), sc.name, "xenon")
        rx, _ = on_xen.result()
    problems = [] if rn.outcome == "success" else [f"Xenon: {rn.describe()}"]
    if rx.outcome != "success":
        problems.append(f"Xen 4.17: {rx.describe()}")
    problems += compare(sections(rx.log), sections(rn.log))
    return not problems, problems, rn.log


def xen_image(build: Path) -> Path:
    out = subprocess.run(["sh", str(_ROOT / "scripts" / "xen-ref.sh"), str(build)],
                         check=True, capture_output=True, text=True).stdout
    return Path(out.strip().splitlines()[-1])


if __name__ == "__main__":
    build = Path(sys.argv[1] if len(sys.argv) > 1 else "build").resolve()
    xen = xen_image(build)
    failed = 0
    for sc in SCENARIOS:
        ok, problems, _ = run_scenario(sc, build, xen)
        print(("PASS " if ok else "FAIL ") + sc.name)
        for p in problems:
            print("  " + p)
        failed += not ok
    print(f"{len(SCENARIOS) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
