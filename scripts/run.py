#!/usr/bin/env python3
"""Boot Xenon in QEMU on this terminal (`make run`).

    python3 scripts/run.py [--build DIR] [--smp N] [--cpu CPU] [--mem SIZE]
                           [--append TEXT] [--no-guests] [--guest PROPS]...
                           [--gdb] [--dry-run] [-- QEMU-OPTION...]

The guests booted by default are listed in DEFAULT_GUESTS below; each
becomes one `-device guest-loader,...` (a Xen multiboot module node under
/chosen in the device tree QEMU gives Xenon).
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

# The default set of boot modules. Each entry is passed to
# qemu.guest_loader_arg(): addr plus kernel= or initrd=, and bootargs= for
# kernels. Paths are relative to the build directory. Example:
#   dict(addr=0x49000000, kernel="guests/dom0/Image",
#        bootargs="console=hvc0 rdinit=/init"),
#   dict(addr=0x50000000, initrd="guests/dom0/initrd.cpio"),
DEFAULT_GUESTS: list[dict] = []

DEFAULTS = dict(cpu="cortex-a57", smp=4, mem="2G")


def guest_args(build: Path, guests: list[dict]) -> list[str]:
    args: list[str] = []
    for g in guests:
        g = dict(g)
        for key in ("kernel", "initrd"):
            if key in g:
                path = Path(g[key])
                if not path.is_absolute():
                    path = build / path
                if not path.exists():
                    sys.exit(f"run: guest file {path} not found (is it built?)")
                g[key] = str(path)
        args += qemu.guest_loader_arg(**g)
    return args


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

    extra: list[str] = []
    if not args.no_guests:
        extra += guest_args(build, DEFAULT_GUESTS)
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
    print("Booting Xenon in QEMU. Quit with Ctrl-a x (Ctrl-a c: QEMU monitor).", flush=True)
    if args.gdb:
        print(
            f"QEMU waits for gdb: gdb-multiarch {build / 'xenon.elf'} "
            "-ex 'target remote :1234'",
            flush=True,
        )
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main()
