#!/usr/bin/env python3
"""Virtual time Xenon takes to build a dom0less domU, by size.

    scripts/domu-build-cost.py [--build DIR]

Boots Xenon under QEMU (-m 20G, -icount shift=0, so time is instructions)
with one domU of 256 MiB, 1 GiB, 4 GiB and 16 GiB (the `hello` micro-VM as
kernel, built by `make guests`) and prints Xenon's own "built in" line for
each: the mappings used and the time from reading the description to the
vCPU being ready.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dom0less  # noqa: E402
import qemu  # noqa: E402

SIZES_KIB = (262144, 1 << 20, 4 << 20, 16 << 20)
ICOUNT = ("-icount", "shift=0,sleep=off", "-rtc", "base=2024-01-01T00:00:00,clock=vm")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    build = Path(ap.parse_args().build).resolve()
    kernel = build / "guests" / "hello.bin"
    for kib in SIZES_KIB:
        d = dom0less.Domain(kernel=kernel, memory_kib=kib, bootargs="xtf test=hello")
        dtb, loaders = dom0less.make(build / "build-cost" / str(kib), [d], "console=dtuart",
                                     smp=1, mem="20G", machine_opts=",dtb-randomness=off")
        cmd = dom0less.qemu_command(qemu.image_path(build), dtb, loaders, smp=1, mem="20G",
                                    machine_opts=",dtb-randomness=off", extra=ICOUNT)
        res = qemu.run(cmd, success=r"built in", timeout=120)
        print(f"{kib >> 10:6} MiB: {res.matched or res.describe()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
