"""Parse Xenon's boot console into facts the scenario checks look at.

The lines understood (every hypervisor line starts with "(XENON) "):

    Xenon <version> (Xen 4.17 interface) starting at EL2
    Loaded at 0x<image>, device tree at 0x<dtb>      (optional)
    Command line: <text>
    RAM bank <i>: 0x<start>-0x<end> (<n> MiB)
    Free pool: 0x<start>-0x<end> (<n> MiB)
    Boot module <i>: <kind> 0x<start>-0x<end> bootargs="<text>" [(<note>)]
    No boot modules found
    CPUs online: <n>
    Xenon ready
    PANIC: <message>
    Unexpected exception ...

Hex numbers may have any width. Whether an <end> is exclusive (start+size)
or inclusive (start+size-1) is not assumed: for page-aligned ranges (RAM,
free pool) Range.end_exclusive() tells from the low bits, and the module
checks accept either form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

PREFIX = "(XENON) "
QEMU_LINE = re.compile(r"^qemu-system-\w+: ")

HEX = r"0x([0-9a-fA-F]+)"
RE_BANNER = re.compile(r"^Xenon (\S+) \(Xen 4\.17 interface\) starting at EL2\s*$")
RE_LOADED = re.compile(rf"^Loaded at {HEX}, device tree at {HEX}")
RE_CMDLINE = re.compile(r"^Command line:(?: (.*))?$")
RE_RAM = re.compile(rf"^RAM bank (\d+): {HEX}-{HEX} \((\d+) MiB\)")
RE_POOL = re.compile(rf"^Free pool: {HEX}-{HEX} \((\d+) MiB\)")
RE_MODULE = re.compile(
    rf'^Boot module (\d+): (\S+) {HEX}-{HEX} bootargs="(.*)"(?: \((.*)\))?\s*$'
)
RE_NO_MODULES = re.compile(r"^No boot modules found")
RE_CPUS = re.compile(r"^CPUs online: (\d+)")
RE_READY = re.compile(r"^Xenon ready\b")
RE_PANIC = re.compile(r"^PANIC: ?(.*)$")
RE_EXCEPTION = re.compile(r"^Unexpected exception")

MiB = 1 << 20


@dataclass
class Range:
    start: int
    end: int  # as printed
    mib: Optional[int] = None  # as printed, if the line has a count

    def end_exclusive(self) -> int:
        """The exclusive end, deciding whether the printed end is inclusive
        from the odd last digit (an inclusive end of a page-aligned range
        ends in ...fff)."""
        return self.end + 1 if (self.end & 0xFFF) == 0xFFF else self.end

    def size(self) -> int:
        return self.end_exclusive() - self.start

    def overlaps(self, start: int, end_excl: int) -> bool:
        return self.start < end_excl and start < self.end_exclusive()

    def within(self, start: int, end_excl: int) -> bool:
        return start <= self.start and self.end_exclusive() <= end_excl

    def __str__(self) -> str:
        return f"{self.start:#x}-{self.end:#x}"


@dataclass
class Module:
    index: int
    kind: str
    range: Range
    bootargs: str
    note: str = ""  # e.g. "dom0less domain"


@dataclass
class BootLog:
    lines: list[str]  # every line of the log
    xenon: list[str] = field(default_factory=list)  # "(XENON) " lines, unprefixed
    foreign: list[str] = field(default_factory=list)  # lines without the prefix
    version: Optional[str] = None
    image_addr: Optional[int] = None  # from the optional "Loaded at" line
    dtb_addr: Optional[int] = None
    banner_index: Optional[int] = None  # index in xenon[]
    cmdlines: list[str] = field(default_factory=list)
    ram: list[Range] = field(default_factory=list)
    pools: list[Range] = field(default_factory=list)
    modules: list[Module] = field(default_factory=list)
    no_modules: bool = False
    cpus_online: list[int] = field(default_factory=list)
    ready_index: Optional[int] = None  # index in xenon[] of "Xenon ready"
    panics: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.ready_index is not None


def parse(text: str) -> BootLog:
    lines = text.replace("\r", "").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    log = BootLog(lines=lines)
    for raw in lines:
        if not raw.startswith(PREFIX):
            if raw.strip() and not QEMU_LINE.match(raw) and not raw.startswith("[run: "):
                log.foreign.append(raw)
            continue
        line = raw[len(PREFIX):]
        idx = len(log.xenon)
        log.xenon.append(line)
        m = RE_BANNER.match(line)
        if m:
            if log.version is None:
                log.version, log.banner_index = m.group(1), idx
            continue
        m = RE_LOADED.match(line)
        if m:
            log.image_addr, log.dtb_addr = int(m.group(1), 16), int(m.group(2), 16)
            continue
        m = RE_CMDLINE.match(line)
        if m:
            log.cmdlines.append(m.group(1) or "")
            continue
        m = RE_RAM.match(line)
        if m:
            log.ram.append(Range(int(m.group(2), 16), int(m.group(3), 16), int(m.group(4))))
            continue
        m = RE_POOL.match(line)
        if m:
            log.pools.append(Range(int(m.group(1), 16), int(m.group(2), 16), int(m.group(3))))
            continue
        m = RE_MODULE.match(line)
        if m:
            log.modules.append(
                Module(
                    int(m.group(1)), m.group(2),
                    Range(int(m.group(3), 16), int(m.group(4), 16)), m.group(5),
                    m.group(6) or "",
                )
            )
            continue
        if RE_NO_MODULES.match(line):
            log.no_modules = True
            continue
        m = RE_CPUS.match(line)
        if m:
            log.cpus_online.append(int(m.group(1)))
            continue
        if RE_READY.match(line):
            if log.ready_index is None:
                log.ready_index = idx
            continue
        m = RE_PANIC.match(line)
        if m:
            log.panics.append(m.group(1))
            continue
        if RE_EXCEPTION.match(line):
            log.exceptions.append(line)
    return log


def parse_size(text: str) -> int:
    """A QEMU -m value ("2G", "512M", "2048") in bytes."""
    m = re.fullmatch(r"(\d+)\s*([KMGT]?)i?B?", str(text).strip(), re.I)
    if not m:
        raise ValueError(f"bad size {text!r}")
    n, unit = int(m.group(1)), m.group(2).upper()
    if unit == "":
        unit = "M"  # QEMU's default unit for -m
    return n << {"K": 10, "M": 20, "G": 30, "T": 40}[unit]
