#!/usr/bin/env python3
"""Hostile-guest hypercall fuzzer: random hypercalls from a seeded domU,
with hostile argument pointers, beside the ticker domU on one CPU.

    scripts/fuzz.py [--seed N] [--count N] [--build DIR] [--as domu|dom0|both]
                                                  (make fuzz SEED=n COUNT=n: both)

The fuzzer is the conformance micro-VM (tests/guests/conformance) with
"fuzz=1": every hypercall number and sub-op, structures of hostile words,
and an argument pointer that is the buffer, straddles its end into a hole,
points into the GIC distributor, the hole, 0, 2^48 - 8, 2^64 - 8 or
anywhere. It never shuts itself down. Both domains share one physical CPU
under `-icount` (virtual time from instructions), so that a hypercall that
holds the CPU shows as a gap in the ticker's ticks.

As dom0 (--as dom0) the fuzzer has every privilege of the control and
hardware domain over the ticker, domain 1; it leaves out only what
legitimately tears the ticker or itself down (remote shutdown, destroying,
pausing, resetting or shrinking a domain; "dom0=1" in
tests/guests/conformance).

Passes when: no hypervisor fault (a PANIC or an exception taken in the
hypervisor), the ticker never waited more than MAX_TICK_GAP_US between two
ticks, and the fuzzer either reached its verdict or was crashed for a
reason the log states. Prints the seed, the calls made, the answers by
kind, the worst tick gap and the verdict; exits 1 on failure. Standard
library only.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "guests"))

import run as guests  # noqa: E402  (tests/guests/run.py)

# A fault in the hypervisor itself, as Xenon reports one.
HV_FAULT_RE = re.compile(r"PANIC|Unexpected exception|exception in the hypervisor|BUG at")
# A domain crashed for a reason the log states.
CRASH_RE = re.compile(r"[Dd]omain 1 .*crash|d1v\d+.*crash")


# Where dom0's micro-VM is loaded (after the domUs' modules).
DOM0_MODULE = 0x58000000
DOM0_CRASH_RE = re.compile(r"[Dd]omain 0 .*crash|d0v\d+.*crash")


def add_dom0(dtb: Path, image: Path, bootargs: str) -> list[str]:
    """Make image dom0 (a module in /chosen itself); its QEMU loader."""
    node = f"/chosen/module@{DOM0_MODULE:x}"
    subprocess.run(["fdtput", "-c", str(dtb), node], check=True)
    for prop, kind, *vals in (
            ("compatible", "s", "multiboot,kernel", "multiboot,module"),
            ("reg", "x", "0", f"{DOM0_MODULE:x}", "0", f"{image.stat().st_size:x}"),
            ("bootargs", "s", bootargs)):
        subprocess.run(["fdtput", "-t", kind, str(dtb), node, prop, *vals], check=True)
    return ["-device", f"loader,file={image},addr={DOM0_MODULE:#x},force-raw=on"]


def fuzz(build: Path, seed: int, count: int, as_dom0: bool = False) -> int:
    args = f"seed={seed} count={count} fuzz=1"
    fuzzer = build / "guests" / "conformance.bin"
    ticker = (guests.COMPANION, build / "guests" / f"{guests.COMPANION}.bin")
    spec = guests.Spec(companion=not as_dom0, guest_args=args,
                       qemu_extra=("-icount", "shift=0,sleep=off"),
                       timeout=120.0 + count / 500.0)
    work = build / ("fuzz-dom0" if as_dom0 else "fuzz")
    work.mkdir(parents=True, exist_ok=True)
    if as_dom0:
        images = [ticker]
        dtb = guests.build_dtb(work, spec, images, guests.DEFAULT_BOOTARGS + " dom0_mem=64M")
        extra = add_dom0(dtb, fuzzer, f"xtf test=conformance {args} dom0=1")
    else:
        images = [("conformance", fuzzer), ticker]
        dtb = guests.build_dtb(work, spec, images, guests.DEFAULT_BOOTARGS)
        extra = []
    cmd = guests.qemu_cmd(build / "xenon", spec, dtb, images) + extra
    watch = guests.Watch(spec, "conformance")
    log = work / "console.log"
    timed_out, _ = guests.boot(cmd, watch, log, timeout=spec.timeout)

    reasons = []
    hyp = [ln.raw for ln in watch.lines if ln.dom is None]
    faults = [raw for raw in hyp if HV_FAULT_RE.search(raw)]
    if faults:
        reasons.append(f"hypervisor fault: {faults[0].strip()}")
    if as_dom0:
        # dom0's lines come unprefixed, as on Xen.
        mine = [ln.raw.strip() for ln in watch.lines
                if ln.dom is None and not ln.raw.startswith("(XENON)")]
        results = [t for t in mine if guests.RESULT_RE.match(t)]
        crashed = [raw for raw in hyp if DOM0_CRASH_RE.search(raw)]
    else:
        mine = [ln.text for ln in watch.guest("conformance")]
        results = watch.results()
        crashed = [raw for raw in hyp if CRASH_RE.search(raw)]
    summary = [t for t in mine if t.startswith("fuzz: ") and "answers" in t]
    if not results:
        if crashed:
            print(f"fuzz: the fuzzer was crashed: {crashed[0].strip()}")
        else:
            reasons.append("no verdict from the fuzzer and no crash reason in the log"
                           + (" (timed out)" if timed_out else ""))
    gaps = [int(m.group(2)) for ln in watch.guest(guests.COMPANION)
            if (m := guests.TICK_RE.match(ln.text)) and m.group(2)]
    if len(gaps) < 3:
        reasons.append(f"the ticker printed only {len(gaps)} tick(s)")
    elif max(gaps) > guests.MAX_TICK_GAP_US:
        reasons.append(f"the ticker waited {max(gaps)} us between two ticks "
                       f"(at most {guests.MAX_TICK_GAP_US} us)")
    print(f"fuzz: as {'dom0' if as_dom0 else 'a domU'}, seed {seed}, {count} calls drawn")
    for text in summary:
        print(text)
    if gaps:
        print(f"fuzz: {len(gaps)} ticks, worst gap {max(gaps)} us")
    print(f"fuzz: log {log}")
    for r in reasons:
        print(f"fuzz: FAIL: {r}")
    print("fuzz: PASS" if not reasons else "fuzz: FAIL")
    return 1 if reasons else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=1000000)
    ap.add_argument("--as", dest="who", choices=("domu", "dom0", "both"), default="both")
    args = ap.parse_args()
    build = Path(args.build).resolve()
    subprocess.run(["make", "-s", "-C", str(ROOT / "tests" / "guests"), f"O={build}",
                    f"TESTS=conformance {guests.COMPANION}"], check=True)
    rc = 0
    if args.who in ("domu", "both"):
        rc |= fuzz(build, args.seed, args.count)
    if args.who in ("dom0", "both"):
        rc |= fuzz(build, args.seed, args.count, as_dom0=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
