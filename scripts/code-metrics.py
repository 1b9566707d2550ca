#!/usr/bin/env python3
"""Function length and #if density of the hypervisor's directories.

A function is a '{' in column 0 after its signature, ending at the next
'}' in column 0 (the clang-format style the sources follow); its length
is the lines between the braces. #if density counts #if/#ifdef/#ifndef
lines per 1,000 lines.

    python3 scripts/code-metrics.py [DIR ...]   (default: core, arch/arm64)
"""

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "hypervisor"


def functions(text: str) -> list[int]:
    lengths = []
    start = None
    for i, line in enumerate(text.splitlines()):
        if line.startswith("{"):
            start = i
        elif line.startswith("}") and start is not None:
            lengths.append(i - start - 1)
            start = None
    return lengths


def measure(sub: str) -> str:
    files = sorted((ROOT / sub).rglob("*.c"))
    lengths: list[int] = []
    lines = ifs = 0
    for f in files:
        text = f.read_text()
        lengths += functions(text)
        lines += text.count("\n")
        ifs += sum(1 for ln in text.splitlines()
                   if ln.lstrip().startswith(("#if", "#ifdef", "#ifndef")))
    lengths.sort()
    p90 = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    return (f"{sub}: {len(files)} files, {lines} lines, {len(lengths)} functions, "
            f"length median {statistics.median(lengths):g}, p90 {p90}, max {max(lengths)}; "
            f"#if {ifs} ({1000 * ifs / lines:.2f} per 1,000 lines)")


if __name__ == "__main__":
    for d in sys.argv[1:] or ["core", "arch/arm64"]:
        print(measure(d))
