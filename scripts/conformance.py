#!/usr/bin/env python3
"""Same call, same answer: run one seeded stream of hypercalls on Xenon and
on Debian's Xen 4.17 and compare every answer.

    scripts/conformance.py [--seed N] [--count N]            Xenon vs live Xen 4.17
    scripts/conformance.py --record FILE [--seed N] [--count N]   record Xen's answers
    scripts/conformance.py --against FILE                     Xenon vs a recording
    scripts/conformance.py --show                 also print the buffers of differing calls

The stream comes from the micro-VM tests/guests/conformance (a dom0less
domU): each call is printed as `conf <i> <hypercall> <sub-op> <result>
<hash of the argument buffer after the call>`. Two answers agree when the
results and the buffers are equal, after the normalisation in NORMALISE
below (answers that legitimately differ between two hypervisors). Prints,
per hypercall and sub-op, how many calls agree, then the first differing
calls of each, and exits 1 if any differ. Standard library only.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "guests"))

import run as guests  # noqa: E402  (tests/guests/run.py)

NAMES = {7: "platform_op", 12: "memory_op", 17: "xen_version", 18: "console_io",
         20: "grant_table_op", 21: "vm_assist", 24: "vcpu_op", 27: "xsm_op",
         29: "sched_op", 32: "event_channel_op", 33: "physdev_op", 34: "hvm_op",
         35: "sysctl", 36: "domctl", 39: "argo_op", 41: "dm_op", 42: "hypfs_op",
         15: "set_timer_op", 37: "kexec_op", 40: "xenpmu_op",
         64: "smccc-hvc", 65: "smccc-smc"}

# Answers that differ for a reason, not a fault: (hypercall, sub-op or
# None for all) -> what is compared. "result": the buffer is not compared
# (it holds the hypervisor's own strings or addresses); "nothing": neither.
NORMALISE: dict[tuple[int, int | None], tuple[str, str]] = {
    (17, 1): ("result", "XENVER_extraversion: each hypervisor's own version string"),
    (17, 2): ("result", "XENVER_compile_info: compiler, date and builder"),
    (17, 3): ("result", "XENVER_capabilities: same string, rest of buffer untouched"),
    (17, 4): ("result", "XENVER_changeset: each hypervisor's own changeset"),
    (17, 5): ("result", "XENVER_platform_parameters: the hypervisor's virtual start"),
    (17, 7): ("nothing", "XENVER_pagesize: always 4096 (checked by hello)"),
    (17, 8): ("result", "XENVER_guest_handle: the domain handle"),
    (17, 9): ("result", "XENVER_commandline: each hypervisor's command line"),
    (17, 10): ("result", "XENVER_build_id: each hypervisor's build"),
}

Answer = tuple[int, int, int, int, str]  # index, hypercall, sub-op, result, hash


def run_stream(hypervisor: Path, build: Path, seed: int, count: int,
               show: list[int] | None = None) -> tuple[list[Answer], dict[int, str]]:
    """Run the stream on one hypervisor: the answers, and the buffers
    (first eight words, hex) after the calls listed in show."""
    extra = f" show={','.join(str(i) for i in show)}" if show else ""
    spec = guests.Spec(guest_args=f"seed={seed} count={count}{extra}")
    images = [("conformance", build / "guests" / "conformance.bin")]
    work = build / "conformance" / hypervisor.name
    work.mkdir(parents=True, exist_ok=True)
    dtb = guests.build_dtb(work, spec, images, guests.DEFAULT_BOOTARGS)
    cmd = guests.qemu_cmd(hypervisor, spec, dtb, images)
    watch = guests.Watch(spec, "conformance")
    guests.boot(cmd, watch, work / "console.log", timeout=60.0 + count / 200.0)
    answers = []
    after = {}
    for ln in watch.guest("conformance"):
        f = ln.text.split()
        if len(f) == 6 and f[0] == "conf":
            answers.append((int(f[1]), int(f[2]), int(f[3]), int(f[4]), f[5]))
        elif len(f) == 10 and f[0] == "after":
            after[int(f[1])] = " ".join(f[2:])
    if len(answers) == 0 or not watch.results():
        sys.exit(f"conformance: no complete stream from {hypervisor} (log: {work}/console.log)")
    return answers, after


def rule(nr: int, sub: int) -> str:
    got = NORMALISE.get((nr, sub)) or NORMALISE.get((nr, None))
    return got[0] if got else "all"


def agree(a: Answer, b: Answer) -> bool:
    what = rule(a[1], a[2])
    if what == "nothing":
        return True
    if what == "result":
        return a[3] == b[3]
    return a[3] == b[3] and a[4] == b[4]


def group(a: Answer) -> str:
    name = NAMES.get(a[1], f"#{a[1]}")
    if a[1] in (64, 65):  # SMCCC calls: by function ID
        return f"{name} {a[2]:#x}" if a[2] in Stream.SMCCC_FIDS else f"{name} (other IDs)"
    return f"{name} {a[2]}" if a[2] < 32 else f"{name} (other sub-ops)"


class Stream:
    """The guest's generator (tests/guests/conformance/main.c), again in
    Python, to name each call's arguments in the report."""

    MASK = (1 << 64) - 1
    HYPERCALLS = (7, 12, 17, 18, 20, 21, 24, 27, 29, 32, 33, 34, 35, 36, 39, 41, 42,
                  15, 37, 40)

    def __init__(self, seed: int):
        self.state = (seed * 0x9E3779B97F4A7C15 + 1) & self.MASK

    def next(self) -> int:
        s = self.state
        s ^= s >> 12
        s ^= (s << 25) & self.MASK
        s ^= s >> 27
        self.state = s
        return (s * 0x2545F4914F6CDD1D) & self.MASK

    def below(self, n: int) -> int:
        return self.next() % n

    def word(self) -> int:
        k = self.below(10)
        small = {0: lambda: 0, 1: lambda: 1, 2: lambda: self.below(16),
                 3: lambda: 0x7FF0, 4: lambda: 1,
                 5: lambda: 0x50000 + self.below(64),
                 6: lambda: 0x50000000 + self.below(64) * 4096,
                 7: lambda: self.MASK, 8: lambda: self.below(1 << 16)}
        return small[k]() if k in small else self.next()

    SMCCC_FIDS = (0x80000000, 0x80000001, 0x80000002, 0x80008000, 0x80007FFF, 0x80003FFF,
                  0x8500FF00, 0x8500FF01, 0x8500FF03, 0x85000000, 0x8600FF01, 0xC6000001,
                  0x8400FF00,
                  0x8400FF01, 0x8400FF03, 0x84000000, 0x8400000A, 0x84000004, 0xC4000004,
                  0x84000005, 0x84000006, 0x84000007, 0x8400000D, 0x84000010, 0x82000000,
                  0x83000000, 0xB0000000, 0xB2000000, 0xBF00FF01, 0x00000000, 0x01000000)

    def fid(self, sub: int) -> int:
        return self.SMCCC_FIDS[sub % len(self.SMCCC_FIDS)] if sub < 32 else sub & 0xFFFFFFFF

    # Interface versions of the control hypercalls (domctl, sysctl,
    # platform_op), which the guest puts in their buffer one time in two.
    VERSIONS = {36: 0x15, 35: 0x15, 7: 0x03000001}

    def calls(self, count: int) -> dict[int, tuple[int, tuple[str, ...], list[int]]]:
        """Each call's hypercall, registers (as text: "buf" for the
        buffer) and buffer, as the guest's args() makes them."""
        out = {}
        for i in range(count):
            nr = (self.below(64) if self.below(8) == 0
                  else self.HYPERCALLS[self.below(len(self.HYPERCALLS))])
            sub = self.word() if self.below(4) == 0 else self.below(32)
            a2 = self.below(4) if self.below(2) else self.word()
            buf = [self.word() for _ in range(128)]
            regs = (f"{sub:#x}", "buf", f"{a2:#x}")
            if nr in self.VERSIONS:
                if a2 & 1 == 0:
                    buf[0] = (sub & 0xFFFFFFFF) | (self.VERSIONS[nr] << 32)
                regs = ("buf", f"{a2:#x}", "0")
            elif nr in (24, 18, 41):  # vcpu_op, console_io, dm_op
                regs = (f"{sub:#x}", f"{a2:#x}", "buf")
            if self.below(16) == 0:  # an SMCCC call instead (x0..x3)
                nr = 65 if self.below(2) else 64
                x1 = buf[0] if a2 & 1 else self.fid(a2)
                regs = (f"{self.fid(sub):#x}", f"{x1:#x}", f"{buf[1]:#x}", f"{buf[2]:#x}")
            out[i] = (nr, regs, buf)
        return out


def compare(xenon: list[Answer], xen: list[Answer], seed: int, count: int) -> list[int]:
    """Print the agreement table; the first differing call of each sub-op."""
    ref = {a[0]: a for a in xen}
    per_call: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_sub: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    diffs: dict[str, list[tuple[Answer, Answer]]] = defaultdict(list)
    for a in xenon:
        b = ref.get(a[0])
        if b is None or b[1:3] != a[1:3]:
            sys.exit(f"conformance: the streams differ at call {a[0]}: another seed, or the "
                     "stream changed (record the answers again with --record)")
        g = group(a)
        ok = agree(a, b)
        name = g.split()[0]
        name = "other numbers" if name.startswith("#") else name
        for table, key in ((per_call, name), (per_sub, g)):
            table[key][0] += 1
            table[key][1] += ok
        if not ok:
            diffs[g].append((a, b))
    print(f"{'hypercall':<18} calls  agree")
    for name in sorted(per_call):
        n, ok = per_call[name]
        print(f"{name:<18} {n:5}  {ok:5}  {100.0 * ok / n:5.1f} %")
        for g in sorted(k for k in diffs if k.split()[0] == name):
            sn, sok = per_sub[g]
            print(f"    sub-op {g.split(' ', 1)[1]:<16} {sn:3}  {sok:3}")
    n = sum(t[0] for t in per_call.values())
    ok = sum(t[1] for t in per_call.values())
    print(f"all: {ok} of {n} calls agree ({100.0 * ok / n:.2f} %)")
    if diffs:
        args = Stream(seed).calls(count)
        print("\nFirst difference of each sub-op: call, arguments "
              "(x0, x1, x2, first words of the buffer), Xenon vs Xen 4.17:")
        for g in sorted(diffs):
            a, b = diffs[g][0]
            nr, regs, buf = args[a[0]]
            words = " ".join(f"{w:#x}" for w in buf[:4])
            print(f"  {g}: call {a[0]} ({', '.join(regs)}; buffer {words} ...): "
                  f"{a[3]} {a[4]} vs {b[3]} {b[4]}")
    return [diffs[g][0][0][0] for g in sorted(diffs)]


def show_buffers(ref: Path, build: Path, seed: int, count: int, first: list[int]) -> None:
    first = first[:64]
    _, xen = run_stream(ref, build, seed, count, first)
    _, xenon = run_stream(build / "xenon", build, seed, count, first)
    print("\nBuffers after those calls (first eight words), Xenon / Xen 4.17:")
    for i in first:
        print(f"  call {i}:\n    {xenon.get(i, '?')}\n    {xen.get(i, '?')}")


def read_answers(path: Path) -> tuple[int, int, list[Answer]]:
    lines = path.read_text().split("\n")
    seed, count = (int(x) for x in lines[0].split()[1:3])
    answers = [tuple(int(x) for x in ln.split()[:4]) + (ln.split()[4],)
               for ln in lines[1:] if ln.strip()]
    return seed, count, answers  # type: ignore[return-value]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--record", metavar="FILE", help="write Xen 4.17's answers to FILE")
    ap.add_argument("--against", metavar="FILE", help="compare with answers recorded in FILE")
    ap.add_argument("--show", action="store_true",
                    help="run both again and print the buffers of the first differing calls")
    args = ap.parse_args()
    build = Path(args.build).resolve()
    subprocess.run(["make", "-s", "-C", str(ROOT / "tests" / "guests"), f"O={build}",
                    "TESTS=conformance"], check=True)
    ref = None
    if args.against:
        seed, count, xen = read_answers(Path(args.against))
    else:
        seed, count = args.seed, args.count
        ref = Path(subprocess.run(["sh", str(ROOT / "scripts" / "xen-ref.sh"), str(build)],
                                  check=True, capture_output=True, text=True).stdout.split()[-1])
        xen, _ = run_stream(ref, build, seed, count)
        if args.record:
            with open(args.record, "w") as out:
                out.write(f"# {seed} {count} Xen 4.17 answers: index hypercall sub-op "
                          "result buffer-hash\n")
                for a in xen:
                    out.write(" ".join(str(x) for x in a) + "\n")
            print(f"conformance: recorded {len(xen)} answers of Xen 4.17 in {args.record}")
            return 0
    xenon, _ = run_stream(build / "xenon", build, seed, count)
    first = compare(xenon, xen, seed, count)
    if first and args.show and ref is not None:
        show_buffers(ref, build, seed, count, first)
    return 1 if first else 0


if __name__ == "__main__":
    sys.exit(main())
