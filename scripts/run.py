#!/usr/bin/env python3
"""Boot Xenon in QEMU on this terminal (`make run`).

    python3 scripts/run.py [--build DIR] [--smp N] [--cpu CPU] [--mem SIZE]
                           [--append TEXT] [--no-guests] [--guest PROPS]...
                           [--dom0] [--gdb] [--dry-run] [-- QEMU-OPTION...]

By default three dom0less domains boot side by side, described in the
device tree as Xen 4.17 reads it (scripts/dom0less.py): Debian's Linux 6.1
with a busybox shell (d1, 2 vCPUs) and the micro-VMs "hello" and "smp"
from tests/guests (d2, d3). Their output is interleaved, each line
prefixed "(dN) ". --guest adds guest-loader modules (dom0 style) instead.

--dom0 (`make run-dom0`) boots Debian's Linux 6.1 as dom0 instead, with
the root file system of `make dom0-rootfs`: Debian's own Xen 4.17 tools
(xl, oxenstored, xenconsoled) start and a shell waits on hvc0.

QEMU's escape key is moved to Ctrl-t, so that Ctrl-a reaches Xenon: three
Ctrl-a switch the console input between Xenon and the domains, as in Xen.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qemu  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

LINUX_ARGS = "console=ttyAMA0 earlycon=pl011,0x22000000 rdinit=/init"
MICRO_VMS = ("hello", "smp")
ESCAPE = ["-echr", "0x14"]  # QEMU's mux escape: Ctrl-t


def dom0less_default(build: Path, smp: int, mem: str, cpu: str) -> list[str]:
    """-dtb and loader options for the default dom0less domains."""
    import subprocess

    import dom0less

    out = subprocess.run([sys.executable, str(REPO / "scripts" / "debian-guest.py"),
                          "--build", str(build)], check=True, capture_output=True,
                         text=True).stdout.split()
    doms = [dom0less.Domain(kernel=Path(out[0]), ramdisk=Path(out[1]), bootargs=LINUX_ARGS,
                            memory_kib=262144, vcpus=2)]
    for name in MICRO_VMS:
        image = build / "guests" / f"{name}.bin"
        if not image.exists():
            sys.exit(f"run: {image} not found (make guests)")
        doms.append(dom0less.Domain(kernel=image, bootargs=f"xtf test={name}",
                                    memory_kib=16384, vcpus=2))
    dtb, loaders = dom0less.make(build / "run", doms, "console=dtuart loglvl=all",
                                 cpu=cpu, smp=smp, mem=mem)
    return ["-dtb", str(dtb)] + loaders

DOM0_ARGS = "console=hvc0 earlycon=xen rdinit=/init"


def dom0_toolstack(build: Path) -> list[str]:
    """guest-loader options for dom0 with Debian's Xen tools."""
    import subprocess

    kernel = subprocess.run([sys.executable, str(REPO / "scripts" / "debian-guest.py"),
                             "--build", str(build)], check=True, capture_output=True,
                            text=True).stdout.split()[0]
    rootfs = subprocess.run([sys.executable, str(REPO / "scripts" / "dom0-rootfs.py"),
                             "--build", str(build)], check=True, capture_output=True,
                            text=True).stdout.strip()
    return (qemu.guest_loader_arg(0x49000000, kernel=kernel, bootargs=DOM0_ARGS)
            + qemu.guest_loader_arg(0x50000000, initrd=rootfs))


DEFAULTS = dict(cpu="cortex-a57", smp=4, mem="2G")


def main() -> None:
    ap = argparse.ArgumentParser(
        description="Boot Xenon in QEMU, attached to this terminal.",
        epilog="Options after -- go to QEMU as they are.",
    )
    ap.add_argument("--build", default="build", help="build directory (default: build)")
    ap.add_argument("--cpu", default=DEFAULTS["cpu"])
    ap.add_argument("--smp", type=int, default=DEFAULTS["smp"])
    ap.add_argument("--mem", "-m", default=DEFAULTS["mem"])
    ap.add_argument("--append", help="the Xenon command line (/chosen/bootargs)")
    ap.add_argument("--no-guests", action="store_true", help="boot no default guests")
    ap.add_argument(
        "--guest", action="append", default=[], metavar="PROPS",
        help="another boot module, as guest-loader properties, e.g. "
        "'addr=0x49000000,kernel=Image,bootargs=console=hvc0'",
    )
    ap.add_argument("--dom0", action="store_true",
                    help="dom0 with Debian's Xen 4.17 tools (make run-dom0)")
    ap.add_argument(
        "--gdb", action="store_true",
        help="wait for gdb on localhost:1234 (QEMU -s -S)",
    )
    ap.add_argument("--dry-run", action="store_true", help="print the command only")
    ap.add_argument("qemu_args", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()

    build = Path(args.build)
    if not build.is_absolute():
        build = (Path.cwd() / build).resolve()
    image = qemu.image_path(build)
    if not image.is_file() and not args.dry_run:
        sys.exit(f"run: {image} not found; build it with 'make'")
    if shutil.which(qemu.QEMU) is None and not args.dry_run:
        sys.exit(f"run: {qemu.QEMU} not found; install it with 'make deps'")

    extra: list[str] = list(ESCAPE)
    if args.dom0:
        extra += dom0_toolstack(build)
        if args.append is None:
            args.append = "dom0_mem=512M console=dtuart loglvl=all"
    elif not args.no_guests and not args.guest and not args.dry_run:
        extra += dom0less_default(build, args.smp, args.mem, args.cpu)
    for props in args.guest:
        extra += ["-device", "guest-loader," + props]
    if args.gdb:
        extra += ["-s", "-S"]
    extra += args.qemu_args

    cmd = qemu.qemu_command(
        build, cpu=args.cpu, smp=args.smp, mem=args.mem, append=args.append,
        extra=extra, interactive=True,
    )
    if args.dry_run:
        print(shlex.join(cmd))
        return
    print("Booting Xenon in QEMU. Quit with Ctrl-t x (Ctrl-t c: QEMU monitor); "
          "Ctrl-a three times switches the console input.", flush=True)
    if args.gdb:
        print(
            f"QEMU waits for gdb: gdb-multiarch {build / 'xenon.elf'} "
            "-ex 'target remote :1234'",
            flush=True,
        )
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main()
