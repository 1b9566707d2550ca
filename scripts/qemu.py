"""Launch Xenon under QEMU and watch its serial console.

Shared by scripts/run.py (interactive) and the system tests (tests/system/).
Standard library only.

Xenon is booted like Xen: QEMU's `-kernel` loads the arm64 Image, enters it at
EL2 with the device tree's address in x0. For device trees that QEMU would not
pass through unchanged (`-dtb` files are rewritten: QEMU replaces every memory
node, and it refuses a blob whose header is invalid), `direct_boot_args()`
builds an equivalent boot without `-kernel`: the Image, the DTB and a
six-instruction trampoline that sets x0 are put in RAM with QEMU's generic
loader device.
"""

from __future__ import annotations

import os
import re
import select
import selectors
import shlex
import signal
import struct
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
MACHINE = "virt,virtualization=on,gic-version=3"
RAM_BASE = 0x40000000  # QEMU virt

# Every console line of the hypervisor starts with this.
PREFIX = "(XENON) "
READY_RE = r"^\(XENON\) Xenon ready\b"
FAILURE_RE = r"^\(XENON\) (PANIC:|Unexpected exception)"

DEFAULT_TIMEOUT = 60.0
MAX_LOG_BYTES = 8 << 20  # a hypervisor printing in a loop is stopped here

# Where direct_boot_args() puts things. QEMU's -kernel boot of a 2 GiB+
# machine puts the DTB at RAM base + 128 MiB too.
DIRECT_DTB_ADDR = RAM_BASE + 0x08000000
DIRECT_TRAMPOLINE_ADDR = DIRECT_DTB_ADDR - 0x1000


def image_path(build: os.PathLike | str) -> Path:
    return Path(build) / "xenon"


def machine_args(
    cpu: str = "cortex-a57",
    smp: int = 1,
    mem: str = "2G",
    machine_opts: str = "",
) -> list[str]:
    """The QEMU options that describe the board (no boot payload)."""
    machine = MACHINE + ("," + machine_opts if machine_opts else "")
    return [QEMU, "-M", machine, "-cpu", cpu, "-smp", str(smp), "-m", str(mem)]


def qemu_command(
    build: os.PathLike | str,
    *,
    cpu: str = "cortex-a57",
    smp: int = 1,
    mem: str = "2G",
    append: Optional[str] = None,
    extra: Sequence[str] = (),
    kernel: bool = True,
    interactive: bool = False,
) -> list[str]:
    """The full QEMU command line for booting Xenon.

    kernel=False leaves out `-kernel` (for direct_boot_args(), given in
    extra). interactive=True leaves out -no-reboot so that a reset from the
    console behaves as on a board.
    """
    cmd = machine_args(cpu, smp, mem) + ["-nographic"]
    if not interactive:
        cmd.append("-no-reboot")
    if kernel:
        cmd += ["-kernel", str(image_path(build))]
    if append is not None:
        cmd += ["-append", append]
    cmd += list(extra)
    return cmd


def guest_loader_arg(
    addr: int,
    kernel: Optional[str] = None,
    initrd: Optional[str] = None,
    bootargs: Optional[str] = None,
) -> list[str]:
    """`-device guest-loader,...` for one boot module (a Xen multiboot
    module node under /chosen). Give kernel or initrd, not both. The
    arguments are for exec, not a shell: bootargs needs no quotes."""
    if (kernel is None) == (initrd is None):
        raise ValueError("guest-loader takes exactly one of kernel, initrd")
    props = [f"addr={addr:#x}"]
    if kernel is not None:
        props.append(f"kernel={kernel}")
    else:
        props.append(f"initrd={initrd}")
    if bootargs is not None:
        if "," in bootargs:
            # QEMU's option parser escapes a comma by doubling it.
            bootargs = bootargs.replace(",", ",,")
        props.append(f"bootargs={bootargs}")
    return ["-device", "guest-loader," + ",".join(props)]


# ---------------------------------------------------------------------------
# Device trees


def dump_dtb(
    path: os.PathLike | str,
    *,
    cpu: str = "cortex-a57",
    smp: int = 1,
    mem: str = "2G",
    extra: Sequence[str] = (),
) -> Path:
    """Write the DTB QEMU generates for this board to path."""
    path = Path(path)
    cmd = machine_args(cpu, smp, mem, machine_opts=f"dumpdtb={path}")
    cmd += ["-nographic"] + list(extra)
    proc = subprocess.run(
        cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60
    )
    if proc.returncode != 0 or not path.exists():
        raise RuntimeError(
            f"dumpdtb failed ({proc.returncode}): {proc.stderr.strip()}"
        )
    return path


def fdt_remove_node(path: os.PathLike | str, node: str) -> None:
    """Delete node (and its subnodes) from the DTB file in place."""
    proc = subprocess.run(
        ["fdtput", "-r", str(path), node], capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise RuntimeError(f"fdtput -r {node} failed: {proc.stderr.strip()}")


def fdt_set_u32(path: os.PathLike | str, node: str, prop: str, value: int) -> None:
    """Set a one-cell property of node in the DTB file in place."""
    proc = subprocess.run(
        ["fdtput", "-t", "u", str(path), node, prop, str(value)],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"fdtput {node} {prop} failed: {proc.stderr.strip()}")


def loader_arg(path: os.PathLike | str, addr: int) -> list[str]:
    """`-device loader,...` putting a file's bytes at addr (nothing else)."""
    return ["-device", f"loader,file={path},addr={addr:#x},force-raw=on"]


FDT_MAGIC = 0xD00DFEED
# Offsets of the big-endian u32 fields of the FDT header.
FDT_HDR = {
    "magic": 0,
    "totalsize": 4,
    "off_dt_struct": 8,
    "off_dt_strings": 12,
    "off_mem_rsvmap": 16,
    "version": 20,
    "last_comp_version": 24,
    "boot_cpuid_phys": 28,
    "size_dt_strings": 32,
    "size_dt_struct": 36,
}


def fdt_header(blob: bytes) -> dict[str, int]:
    return {k: struct.unpack_from(">I", blob, o)[0] for k, o in FDT_HDR.items()}


def fdt_set_header(blob: bytearray, name: str, value: int) -> None:
    struct.pack_into(">I", blob, FDT_HDR[name], value)


# ---------------------------------------------------------------------------
# Booting without -kernel


def image_header(path: os.PathLike | str) -> tuple[int, int]:
    """(text_offset, image_size) from an arm64 Image header."""
    with open(path, "rb") as f:
        hdr = f.read(64)
    if len(hdr) < 64 or hdr[56:60] != b"ARM\x64":
        raise ValueError(f"{path}: not an arm64 Image (no ARM\\x64 magic)")
    text_offset, image_size = struct.unpack_from("<QQ", hdr, 8)
    return text_offset, image_size


def image_load_address(path: os.PathLike | str) -> int:
    """Where QEMU's -kernel puts an arm64 Image (hw/arm/boot.c)."""
    text_offset, image_size = image_header(path)
    if image_size == 0:
        return RAM_BASE + 0x80000
    if text_offset < 0x1000:  # would overlap QEMU's boot stub
        text_offset += 2 << 20
    return RAM_BASE + text_offset


def _trampoline(dtb: int, entry: int) -> bytes:
    insns = [
        0x580000C0,  # ldr x0, dtb   (pc + 0x18)
        0xAA1F03E1,  # mov x1, xzr
        0xAA1F03E2,  # mov x2, xzr
        0xAA1F03E3,  # mov x3, xzr
        0x58000084,  # ldr x4, entry (pc + 0x10)
        0xD61F0080,  # br  x4
    ]
    return struct.pack("<6I", *insns) + struct.pack("<QQ", dtb, entry)


def direct_boot_args(
    build: os.PathLike | str, dtb: os.PathLike | str, workdir: os.PathLike | str
) -> list[str]:
    """QEMU options that boot Xenon with the given DTB file exactly as it is
    (use with qemu_command(kernel=False)). Entry state matches -kernel: EL2,
    MMU off, x0 = DTB address, x1-x3 = 0, Image at RAM base + text_offset;
    secondary CPUs stay off until PSCI CPU_ON."""
    image = image_path(build)
    load = image_load_address(image)
    tramp = Path(workdir) / "trampoline.bin"
    tramp.write_bytes(_trampoline(DIRECT_DTB_ADDR, load))
    return (
        loader_arg(image, load)
        + loader_arg(dtb, DIRECT_DTB_ADDR)
        + loader_arg(tramp, DIRECT_TRAMPOLINE_ADDR)
        + ["-device", f"loader,addr={DIRECT_TRAMPOLINE_ADDR:#x},cpu-num=0"]
    )


# ---------------------------------------------------------------------------
# Running and watching the console


@dataclass
class Result:
    cmd: list[str]
    log: str = ""
    # "success": the success pattern appeared first; "failure": the failure
    # pattern did; "timeout"; "exited": QEMU stopped by itself before either;
    # "overflow": the log passed MAX_LOG_BYTES; "error": QEMU did not start.
    outcome: str = "error"
    matched: Optional[str] = None  # the line that decided the outcome
    returncode: Optional[int] = None
    elapsed: float = 0.0
    log_path: Optional[Path] = None
    error: Optional[str] = None
    lines: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.log

    def describe(self) -> str:
        if self.outcome == "success":
            return f"matched {self.matched!r} after {self.elapsed:.1f} s"
        if self.outcome == "failure":
            return f"failure line {self.matched!r} after {self.elapsed:.1f} s"
        if self.outcome == "timeout":
            return f"timed out after {self.elapsed:.0f} s"
        if self.outcome == "exited":
            return f"QEMU exited (status {self.returncode}) after {self.elapsed:.1f} s"
        if self.outcome == "overflow":
            return f"console output passed {MAX_LOG_BYTES} bytes; stopped"
        return f"could not run QEMU: {self.error}"


def _die_with_parent() -> None:
    # Make QEMU exit if the Python process that started it dies, whatever
    # the cause (Linux only; harmless elsewhere).
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _read_rest(pipe, buf: bytearray, until: float) -> None:
    try:
        fd = pipe.fileno()
        while len(buf) <= MAX_LOG_BYTES:
            left = until - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                break
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buf += chunk[: MAX_LOG_BYTES + 1 - len(buf)]
    except (OSError, ValueError):
        pass


def _compile(pattern):
    if pattern is None or isinstance(pattern, re.Pattern):
        return pattern
    return re.compile(pattern)


def run(
    cmd: Sequence[str],
    *,
    success=READY_RE,
    failure=FAILURE_RE,
    timeout: float = DEFAULT_TIMEOUT,
    settle: float = 0.0,
    drain: float = 0.5,
    log_path: Optional[os.PathLike | str] = None,
    echo: bool = False,
    send: Optional[tuple[str, bytes]] = None,
) -> Result:
    """Run cmd (a QEMU command line), reading its console line by line.

    Stops at the first line matching success or failure (regexes, matched
    per line with re.search; either may be None), when timeout seconds have
    passed, or when QEMU exits. After a success match it keeps reading for
    `settle` seconds (to catch a crash just after), after a failure match
    for `drain` seconds (to get the rest of a panic message). QEMU is then
    killed. The log (serial output plus QEMU's own stderr, with CRs removed)
    is saved to log_path if given, and the command line next to it as a
    shell script (same name, .cmd) for reproducing by hand. send = (regex,
    data) types data on the console once a line matches regex.
    """
    # A list of success patterns succeeds once every one has matched.
    waiting = [_compile(x) for x in success] if isinstance(success, list) else None
    success_re = None if waiting is not None else _compile(success)
    failure_re = _compile(failure)
    res = Result(cmd=list(cmd))
    if log_path is not None:
        res.log_path = Path(log_path)
        res.log_path.parent.mkdir(parents=True, exist_ok=True)
        res.log_path.with_suffix(".cmd").write_text(shlex.join(res.cmd) + "\n")

    buf = bytearray()
    start = time.monotonic()
    deadline = start + timeout
    proc = None
    try:
        try:
            proc = subprocess.Popen(
                res.cmd,
                stdin=subprocess.PIPE if send else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        except OSError as e:
            res.error = f"{res.cmd[0]}: {e.strerror}"
            if isinstance(e, FileNotFoundError):
                res.error += " (run 'make deps')"
            return res

        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        # The log as it comes (replaced by the whole log at the end), to
        # follow a long boot with tail -f.
        live = open(res.log_path, "wb") if res.log_path is not None else None
        scanned = 0  # bytes of buf already split into complete lines
        stop_at = None  # set once decided: read until then, then stop
        eof = False
        while True:
            now = time.monotonic()
            limit = deadline if stop_at is None else stop_at
            if now >= limit:
                if stop_at is None:
                    res.outcome = "timeout"
                break
            events = sel.select(limit - now)
            if not events:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                eof = True
                break
            if echo:
                os.write(1, chunk)
            if live is not None:
                live.write(chunk)
                live.flush()
            buf += chunk
            if len(buf) > MAX_LOG_BYTES:
                if stop_at is None:
                    res.outcome = "overflow"
                break
            # Look at each new complete line.
            while stop_at is None:
                nl = buf.find(b"\n", scanned)
                if nl < 0:
                    break
                line = buf[scanned:nl].decode("utf-8", "replace").rstrip("\r")
                scanned = nl + 1
                if send is not None and re.search(send[0], line):
                    proc.stdin.write(send[1])
                    proc.stdin.flush()
                    send = None
                if failure_re is not None and failure_re.search(line):
                    res.outcome, res.matched = "failure", line
                    stop_at = time.monotonic() + drain
                elif success_re is not None and success_re.search(line):
                    res.outcome, res.matched = "success", line
                    stop_at = time.monotonic() + settle
                elif waiting:
                    waiting = [w for w in waiting if not w.search(line)]
                    if not waiting:
                        res.outcome, res.matched = "success", line
                        stop_at = time.monotonic() + settle
        sel.close()
        if live is not None:
            live.close()
        if stop_at is None and res.outcome in ("timeout", "error") and len(buf) <= MAX_LOG_BYTES:
            # A last line without a newline can still decide.
            tail = buf[scanned:].decode("utf-8", "replace").rstrip("\r")
            if failure_re is not None and tail and failure_re.search(tail):
                res.outcome, res.matched = "failure", tail
            elif success_re is not None and tail and success_re.search(tail):
                res.outcome, res.matched = "success", tail
            elif eof:
                res.outcome = "exited"
    finally:
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            # Whatever QEMU printed while stopping (not searched). Bounded in
            # time and size: a child process may still hold the pipe open.
            _read_rest(proc.stdout, buf, time.monotonic() + 1.0)
            proc.stdout.close()
            res.returncode = proc.returncode
        res.elapsed = time.monotonic() - start
        res.log = buf.decode("utf-8", "replace").replace("\r", "")
        # QEMU's note that we stopped it is not part of the boot.
        res.log = re.sub(r"(?m)^qemu-system-\w+: terminating on signal .*\n?", "", res.log)
        if res.error is not None:
            res.log += f"\n[run: {res.error}]\n"
        res.lines = res.log.splitlines()
        if res.log_path is not None:
            res.log_path.write_text(res.log)
    return res


def boot(
    build: os.PathLike | str,
    name: str,
    *,
    cpu: str = "cortex-a57",
    smp: int = 1,
    mem: str = "2G",
    append: Optional[str] = None,
    extra: Iterable[str] = (),
    kernel: bool = True,
    success=READY_RE,
    failure=FAILURE_RE,
    timeout: float = DEFAULT_TIMEOUT,
    settle: float = 0.0,
    echo: bool = False,
) -> Result:
    """Boot build/xenon and watch the console; the log is saved to
    <build>/system-logs/<name>.log. See run() for the rest."""
    cmd = qemu_command(
        build, cpu=cpu, smp=smp, mem=mem, append=append, extra=list(extra),
        kernel=kernel,
    )
    log_path = Path(build) / "system-logs" / f"{name}.log"
    if kernel and not image_path(build).is_file():
        res = Result(cmd=cmd, log_path=log_path)
        res.error = f"{image_path(build)} not found (run 'make')"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        res.log = f"[run: {res.error}]\n"
        res.lines = res.log.splitlines()
        log_path.write_text(res.log)
        return res
    return run(
        cmd, success=success, failure=failure, timeout=timeout, settle=settle,
        log_path=log_path, echo=echo,
    )
