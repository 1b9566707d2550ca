#!/usr/bin/env python3
"""Where a benchmark's hypervisor instructions go, from a QEMU trace.

Reruns one boot of `make bench` on Xenon (the QEMU command it saved in
build/bench/logs/<run>.xenon.1.cmd) with one instruction per translation
block and `-d exec,nochain`, so that the log holds every instruction
executed. Each stretch of hypervisor instructions between two guest
instructions is one exit; exits of the same length are the same path.
Prints the commonest exit lengths and, for the ones asked for, how many
instructions each hypervisor function took on that path.

    python3 bench/trace.py hypercall              # lengths of the exits
    python3 bench/trace.py hypercall --show 123   # one path by function
    python3 bench/trace.py hypercall --show 123 --sum   # totals by function
"""
import argparse
import bisect
import collections
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def symbols(elf: Path) -> tuple[list[int], list[str]]:
    out = subprocess.run(["nm", "-n", str(elf)], capture_output=True, text=True,
                         check=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW" and not parts[2].startswith("$"):
            addrs.append(int(parts[0], 16))
            names.append(parts[2])
    return addrs, names


def exits(log: Path, lo: int, hi: int):
    """Yield the PCs of each stretch of hypervisor instructions."""
    run: list[int] = []
    with log.open("rb") as f:
        for line in f:
            if not line.startswith(b"Trace"):
                continue
            i = line.find(b"/")
            pc = int(line[i + 1:i + 17], 16)
            if lo <= pc < hi:
                run.append(pc)
            elif run:
                yield run
                run = []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run", help="a boot of bench/run.py (see --list there)")
    ap.add_argument("--build", default="build", help="build directory (default: build)")
    ap.add_argument("--seconds", type=float, default=40.0,
                    help="how long QEMU runs traced (default 40)")
    ap.add_argument("--top", type=int, default=10, help="exit lengths to list")
    ap.add_argument("--show", type=int, nargs="*", default=[],
                    help="exit lengths to break down by function")
    ap.add_argument("--sum", action="store_true",
                    help="with --show: one total per function, largest first")
    args = ap.parse_args()
    build = (REPO / args.build).resolve()
    cmd_file = build / "bench" / "logs" / f"{args.run}.xenon.1.cmd"
    if not cmd_file.exists():
        print(f"trace: no {cmd_file}; run `python3 bench/run.py --only {args.run} "
              "--on xenon` first", file=sys.stderr)
        return 1
    elf = build / "xenon.elf"
    addrs, names = symbols(elf)
    lo = addrs[0]
    hi = next(a for a, n in zip(addrs, names) if n == "_etext") if "_etext" in names \
        else addrs[-1]
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "trace.log"
        cmd = shlex.split(cmd_file.read_text()) + [
            "-singlestep", "-d", "exec,nochain", "-D", str(log)]
        try:
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=args.seconds)
        except subprocess.TimeoutExpired:
            pass
        lengths: collections.Counter = collections.Counter()
        first: dict[int, list[int]] = {}
        for run in exits(log, lo, hi):
            lengths[len(run)] += 1
            first.setdefault(len(run), run)
    print(f"{args.run}: exits by number of hypervisor instructions (count)")
    for n, count in lengths.most_common(args.top):
        print(f"  {n:8d} x{count}")
    for n in args.show:
        if n not in first:
            print(f"no exit of {n} instructions")
            continue
        print(f"\n{args.run}: an exit of {n} instructions, by function in order")
        steps: list[list] = []
        for pc in first[n]:
            name = names[bisect.bisect_right(addrs, pc) - 1]
            if steps and steps[-1][0] == name:
                steps[-1][1] += 1
            else:
                steps.append([name, 1])
        if args.sum:
            totals: collections.Counter = collections.Counter()
            for name, count in steps:
                totals[name] += count
            steps = [[name, count] for name, count in totals.most_common()]
        for name, count in steps:
            print(f"  {count:5d}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
