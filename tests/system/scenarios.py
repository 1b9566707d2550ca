"""The system test scenarios: how QEMU boots Xenon and what the log must show.

Each Scenario (see harness.py) gives the board (cpu, smp, mem), the Xenon
command line (append), an optional setup function that makes files and adds
QEMU options, and what to expect:

  expect="ready"  the boot reaches "(XENON) Xenon ready", and the common
                  checks in harness.READY_CHECKS hold: banner, every line
                  prefixed, no PANIC or exception, command line echoed, RAM
                  banks add up to -m, free pools inside RAM and clear of the
                  boot modules, the expected boot modules (or "No boot
                  modules found"), "CPUs online" = smp (or cpus=), unknown
                  options warned about and known ones not, "Xenon ready" last.
  expect="panic"  the hypervisor stops with "(XENON) PANIC: <message>"
                  matching panic_re, with no exception dump and without
                  reaching "Xenon ready" (a hang is a failure, by timeout).

plus any extra checks. Logs go to <build>/system-logs/<name>.log, with the
QEMU command in <name>.cmd; files a scenario makes stay in
<build>/system-work/<name>/ so the command can be rerun by hand.

To add a scenario, append to SCENARIOS. Run one with
`python3 tests/run-all.py --only system -k <name>`.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE.parent.parent / "scripts"))
sys.path.insert(0, str(_HERE))
import qemu  # noqa: E402
from bootlog import MiB  # noqa: E402
from harness import ExpectedModule, Scenario  # noqa: E402

FOUR_GIB = 1 << 32
# A PANIC message that names the device tree.
DEVICE_TREE_RE = r"device.?tree|\bdtb\b|\bfdt\b"

MODULE_KERNEL_ADDR = 0x49000000
MODULE_INITRD_ADDR = 0x50000000
MODULE_BOOTARGS = "console=hvc0 rdinit=/init"


# --- checks -----------------------------------------------------------------


def check_pool_above_4g(log, ctx):
    if not any(p.end_exclusive() > FOUR_GIB for p in log.pools):
        return "no free pool range above 0x100000000"
    return None


# --- setups -----------------------------------------------------------------


def _payload(size: int, tag: bytes) -> bytes:
    pattern = tag.ljust(16, b".")
    return (pattern * (size // len(pattern) + 1))[:size]


def setup_modules(ctx):
    """A kernel (2 MiB + 12345 bytes, so not a page multiple) with bootargs
    and a ramdisk (5000 bytes), as Xen multiboot module nodes."""
    kernel = ctx.workdir / "Image"
    kernel.write_bytes(_payload(2 * MiB + 12345, b"kernel"))
    initrd = ctx.workdir / "initrd.cpio"
    initrd.write_bytes(_payload(5000, b"initrd"))
    ctx.extra += qemu.guest_loader_arg(
        MODULE_KERNEL_ADDR, kernel=str(kernel), bootargs=MODULE_BOOTARGS
    )
    ctx.extra += qemu.guest_loader_arg(MODULE_INITRD_ADDR, initrd=str(initrd))
    ctx.modules = [
        ExpectedModule("kernel", MODULE_KERNEL_ADDR, kernel.stat().st_size, MODULE_BOOTARGS),
        ExpectedModule("ramdisk", MODULE_INITRD_ADDR, initrd.stat().st_size, ""),
    ]


def setup_modules_cells(ctx):
    """The same modules, in a /chosen that states #address-cells = 2 and
    #size-cells = 2 (QEMU's guest-loader writes 2+2-cell reg properties but
    no cell counts; Xen then uses the root's). Booted directly, so the
    module files are put in RAM with the generic loader instead."""
    setup_modules(ctx)
    dtb = ctx.dump_dtb("modules.dtb", extra=ctx.extra)
    qemu.fdt_set_u32(dtb, "/chosen", "#address-cells", 2)
    qemu.fdt_set_u32(dtb, "/chosen", "#size-cells", 2)
    ctx.dtb = dtb
    ctx.extra = qemu.loader_arg(ctx.workdir / "Image", MODULE_KERNEL_ADDR)
    ctx.extra += qemu.loader_arg(ctx.workdir / "initrd.cpio", MODULE_INITRD_ADDR)


def setup_direct(ctx):
    """QEMU's own DTB, unchanged, passed without -kernel (the path the DTB
    scenarios below use), to show that path boots."""
    ctx.dtb = ctx.dump_dtb()


def setup_no_memory(ctx):
    # QEMU replaces the memory nodes of a -dtb file, so boot directly.
    dtb = ctx.dump_dtb()
    qemu.fdt_remove_node(dtb, f"/memory@{qemu.RAM_BASE:x}")
    ctx.dtb = dtb


def _corrupt(ctx, name: str, edit) -> None:
    blob = bytearray(ctx.dump_dtb().read_bytes())
    blob = edit(blob, qemu.fdt_header(blob))
    path = ctx.workdir / name
    path.write_bytes(bytes(blob))
    ctx.dtb = path


def setup_bad_magic(ctx):
    def edit(blob, hdr):
        qemu.fdt_set_header(blob, "magic", 0xDEADBEEF)
        return blob

    _corrupt(ctx, "bad-magic.dtb", edit)


def setup_truncated(ctx):
    """The header's totalsize cut to the middle of the structure block (the
    strings block now lies past the end)."""

    def edit(blob, hdr):
        cut = hdr["off_dt_struct"] + hdr["size_dt_struct"] // 2
        qemu.fdt_set_header(blob, "totalsize", cut & ~3)
        return blob

    _corrupt(ctx, "truncated.dtb", edit)


def setup_cut(ctx):
    """Only the first half of the structure block is in memory; the header
    still claims the full size and the rest of RAM there reads as zeros."""

    def edit(blob, hdr):
        return blob[: hdr["off_dt_struct"] + hdr["size_dt_struct"] // 2]

    _corrupt(ctx, "cut.dtb", edit)


# --- the list -----------------------------------------------------------------

SCENARIOS: list[Scenario] = [
    Scenario("boot-smp1", "boots on 1 CPU", smp=1),
    Scenario("boot-smp2", "boots on 2 CPUs (cortex-a57)", smp=2),
    Scenario("boot-smp4", "boots on 4 CPUs", smp=4),
    Scenario("boot-smp8", "boots on 8 CPUs", smp=8),
    Scenario("cpu-cortex-a72", "boots on cortex-a72", cpu="cortex-a72", smp=2),
    Scenario("cpu-max", "boots on QEMU's 'max' CPU", cpu="max", smp=2),
    Scenario(
        "mem-4g", "with 4 GiB of RAM, free memory above 4 GiB is found",
        mem="4G", smp=2, checks=[check_pool_above_4g],
    ),
    Scenario(
        "cmdline-maxcpus", "maxcpus=2 brings up 2 of 4 CPUs",
        smp=4, append="maxcpus=2", cpus=2,
    ),
    Scenario(
        "cmdline-unknown-option", "an unknown option is warned about, boot goes on",
        smp=2, append="frobnicate=1 loglvl=all", unknown_options=("frobnicate",),
    ),
    Scenario(
        "boot-modules", "guest-loader modules are listed with kind, range, bootargs",
        smp=2, setup=setup_modules,
    ),
    Scenario(
        "boot-modules-cells", "the same, /chosen stating its #address-cells/#size-cells",
        smp=2, setup=setup_modules_cells,
    ),
    Scenario(
        "direct-boot", "boots with the DTB loaded without -kernel",
        smp=2, setup=setup_direct,
    ),
    Scenario(
        "dtb-no-memory", "a DTB without a memory node: PANIC about memory",
        smp=2, expect="panic", panic_re=r"memory", setup=setup_no_memory, timeout=20,
    ),
    Scenario(
        "dtb-bad-magic", "a DTB with a wrong magic: PANIC about the device tree",
        smp=2, expect="panic", panic_re=DEVICE_TREE_RE, setup=setup_bad_magic, timeout=20,
    ),
    Scenario(
        "dtb-truncated", "a DTB whose totalsize is too small: PANIC about the device tree",
        smp=2, expect="panic", panic_re=DEVICE_TREE_RE, setup=setup_truncated, timeout=20,
    ),
    Scenario(
        "dtb-cut", "a DTB cut short in memory: PANIC about the device tree",
        smp=2, expect="panic", panic_re=DEVICE_TREE_RE, setup=setup_cut, timeout=20,
    ),
]

_names = [s.name for s in SCENARIOS]
assert len(_names) == len(set(_names)), "duplicate scenario names"
