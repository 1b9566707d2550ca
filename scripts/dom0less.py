"""Device trees for dom0less boots, made the way Xen 4.17 documents them.

QEMU's own tree for the machine is dumped; /chosen gets #address-cells and
#size-cells = 2 and the hypervisor's command line (xen,xen-bootargs); each
domain becomes /chosen/domU<i> with compatible "xen,domain", memory (KiB),
cpus, an empty vpl011 and module@ADDR children (multiboot,kernel and
multiboot,ramdisk, each with reg; the kernel with bootargs). The files are
placed in RAM by QEMU's loader device from 0x50000000 up (QEMU puts its own
DTB at 0x48000000). The same tree and files boot on Xen 4.17 and on Xenon.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

QEMU = "qemu-system-aarch64"
MODULE_BASE = 0x50000000
MODULE_ALIGN = 0x200000


@dataclass
class Domain:
    kernel: Path
    ramdisk: Optional[Path] = None
    bootargs: str = ""
    memory_kib: int = 65536
    vcpus: int = 1
    vpl011: bool = True
    extra_props: dict = field(default_factory=dict)  # name -> (type, values)


def _run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, capture_output=True, text=True)


def machine(gic: int = 3) -> str:
    return f"virt,virtualization=on,gic-version={gic}"


def make(work: Path, domains: list[Domain], xen_bootargs: str, *, cpu: str = "cortex-a57",
         smp: int = 1, mem: str = "2G", machine_opts: str = "",
         dom0: Optional[tuple[Path, Optional[Path], str]] = None) -> tuple[Path, list[str]]:
    """Write work/boot.dtb; return it and the QEMU loader arguments.
    dom0 = (kernel, ramdisk or None, bootargs) adds dom0's modules directly
    under /chosen, as QEMU's guest-loader does."""
    work.mkdir(parents=True, exist_ok=True)
    base = work / "base.dtb"
    _run([QEMU, "-machine", f"{machine()}{machine_opts},dumpdtb={base}", "-cpu", cpu,
          "-smp", str(smp), "-m", mem, "-nographic"])
    dtb = work / "boot.dtb"
    shutil.copyfile(base, dtb)

    def put(node: str, prop: str, kind: str, *values) -> None:
        _run(["fdtput", "-t", kind, str(dtb), node, prop, *[str(v) for v in values]])

    put("/chosen", "#address-cells", "i", 2)
    put("/chosen", "#size-cells", "i", 2)
    put("/chosen", "xen,xen-bootargs", "s", xen_bootargs)
    loaders: list[str] = []
    addr = MODULE_BASE
    placed = []
    if dom0 is not None:
        for kind, f in (("kernel", dom0[0]), ("ramdisk", dom0[1])):
            if f is None:
                continue
            size = Path(f).stat().st_size
            mod = f"/chosen/module@{addr:x}"
            _run(["fdtput", "-c", str(dtb), mod])
            put(mod, "compatible", "s", f"multiboot,{kind}", "multiboot,module")
            put(mod, "reg", "x", 0, f"{addr:x}", 0, f"{size:x}")
            if kind == "kernel":
                put(mod, "bootargs", "s", dom0[2])
            loaders += ["-device", f"loader,file={f},addr={addr:#x},force-raw=on"]
            addr = (addr + size + MODULE_ALIGN - 1) & ~(MODULE_ALIGN - 1)
    for d in domains:
        mods = [("kernel", d.kernel)] + ([("ramdisk", d.ramdisk)] if d.ramdisk else [])
        entry = []
        for kind, f in mods:
            size = Path(f).stat().st_size
            entry.append((kind, f, addr, size))
            loaders += ["-device", f"loader,file={f},addr={addr:#x},force-raw=on"]
            addr = (addr + size + MODULE_ALIGN - 1) & ~(MODULE_ALIGN - 1)
        placed.append(entry)
    # fdtput -c puts a new node first among its siblings: create the last
    # domain first so the tree lists domU1, domU2, ... (domains 1, 2, ...).
    for i in reversed(range(len(domains))):
        d, node = domains[i], f"/chosen/domU{i + 1}"
        _run(["fdtput", "-c", str(dtb), node])
        put(node, "compatible", "s", "xen,domain")
        put(node, "#address-cells", "i", 2)
        put(node, "#size-cells", "i", 2)
        put(node, "memory", "i", 0, d.memory_kib)
        put(node, "cpus", "i", d.vcpus)
        if d.vpl011:
            put(node, "vpl011", "x")
        for name, (kind, values) in d.extra_props.items():
            put(node, name, kind, *values)
        for kind, _f, a, size in reversed(placed[i]):
            mod = f"{node}/module@{a:x}"
            _run(["fdtput", "-c", str(dtb), mod])
            put(mod, "compatible", "s", f"multiboot,{kind}", "multiboot,module")
            put(mod, "reg", "x", 0, f"{a:x}", 0, f"{size:x}")
            if kind == "kernel":
                put(mod, "bootargs", "s", d.bootargs)
    return dtb, loaders


def qemu_command(hypervisor: Path, dtb: Path, loaders: list[str], *, cpu: str = "cortex-a57",
                 smp: int = 1, mem: str = "2G", machine_opts: str = "",
                 extra: tuple[str, ...] = ()) -> list[str]:
    return [QEMU, "-M", machine() + machine_opts, "-cpu", cpu, "-smp", str(smp),
            "-m", mem, "-nographic", "-no-reboot", "-kernel", str(hypervisor),
            "-dtb", str(dtb), *loaders, *extra]
