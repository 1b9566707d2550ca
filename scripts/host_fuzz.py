#!/usr/bin/env python3
"""The libFuzzer host targets (tests/fuzz, built by `make fuzz-build` into
build/host/fuzz/): each runs from a seed corpus made here, with a fixed
seed, so a run is the same every time. A crash is a failure; libFuzzer
leaves the input that caused it as crash-* in the working directory, to be
made a unit test.

    scripts/host_fuzz.py [--build DIR] [--runs N]     (make fuzz: 10^7 each)
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

# libFuzzer host targets (tests/fuzz): runs of each from its seeds, with a
# fixed seed, so a run is the same every time (a few seconds each).
RUNS_IN_TEST = {"dt-fuzz": 3000, "dom0less-fuzz": 20000, "cmdline-fuzz": 100000, "control-fuzz": 50000}


def dt_seeds(corpus: Path) -> None:
    """QEMU's own device tree for the board the tests use, compacted."""
    import qemu  # scripts/qemu.py

    raw = corpus / "virt-raw.dtb"
    subprocess.run([qemu.QEMU, "-machine",
                    f"virt,virtualization=on,gic-version=3,dumpdtb={raw}",
                    "-cpu", "cortex-a57", "-smp", "2", "-m", "2G", "-nographic"],
                   check=True, capture_output=True)
    subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dtb", "-o", str(corpus / "virt.dtb"),
                    str(raw)], check=True, capture_output=True)
    raw.unlink()


DOM0LESS_DTS = """/dts-v1/;
/ {
	#address-cells = <2>; #size-cells = <2>;
	memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x80000000>; };
	cpus { #address-cells = <1>; #size-cells = <0>;
		cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a57"; reg = <0>; }; };
	chosen {
		#address-cells = <2>; #size-cells = <2>;
		xen,xen-bootargs = "console=dtuart";
		domU1 {
			compatible = "xen,domain"; #address-cells = <1>; #size-cells = <1>;
			memory = <0 0x20000>; cpus = <2>; vpl011; xen,domain-p2m-mem-mb = <8>;
			xen,enhanced = "enabled";
			module@4a000000 { compatible = "multiboot,kernel", "multiboot,module";
				reg = <0x4a000000 0x1000000>; bootargs = "console=ttyAMA0"; };
			module@4c000000 { compatible = "multiboot,ramdisk", "multiboot,module";
				reg = <0x4c000000 0x100000>; };
		};
		domU2 {
			compatible = "xen,domain"; memory = <0x40000>; cpus = <1>;
			module@4e000000 { compatible = "multiboot,kernel", "multiboot,module";
				reg = <0 0x4e000000 0 0x800000>; };
		};
	};
};
"""


def dom0less_seeds(corpus: Path) -> None:
    """Two dom0less domains under /chosen, with the bindings Xen reads."""
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(corpus / "dom0less.dtb")],
                   input=DOM0LESS_DTS, text=True, check=True, capture_output=True)


def cmdline_seeds(corpus: Path) -> None:
    """The command lines the tests boot with."""
    for i, line in enumerate((
            "console=dtuart loglvl=all guest_loglvl=all bootscrub=0",
            "dom0_mem=512M console=dtuart loglvl=all/warning xsm=dummy",
            "guest_loglvl=info/all serrors=panic hypercall_debug maxcpus=2")):
        (corpus / f"line{i}").write_text(line)


def control_seeds(corpus: Path) -> None:
    """A domctl getdomaininfo of domain 1 and a sysctl physinfo (byte 0:
    bit 0 sysctl, bit 1 the right interface version; then the structure:
    cmd, version, domain)."""
    (corpus / "getdomaininfo").write_bytes(bytes([2]) + (5).to_bytes(4, "little")
                                           + bytes(4) + (1).to_bytes(2, "little"))
    (corpus / "physinfo").write_bytes(bytes([3]) + (3).to_bytes(4, "little") + bytes(4))


SEEDS = {"dt-fuzz": dt_seeds, "dom0less-fuzz": dom0less_seeds, "cmdline-fuzz": cmdline_seeds,
              "control-fuzz": control_seeds}


def targets(build: Path) -> list[Path]:
    return sorted((build / "host" / "fuzz").glob("*-fuzz"))


def run(binary: Path, runs: int, timeout: float = 600.0) -> tuple[bool, list[str], str]:
    """(passed, reasons, libFuzzer's output) for runs executions."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        try:
            SEEDS.get(binary.name, lambda c: None)(corpus)
            proc = subprocess.run([str(binary), str(corpus), f"-runs={runs}", "-seed=1",
                                   "-max_len=16384"], capture_output=True, text=True,
                                  timeout=timeout)
        except (OSError, subprocess.SubprocessError) as e:
            return False, [f"could not run: {e}"], ""
    done = re.search(r"^Done (\d+) runs in (\d+) second", proc.stderr, re.M)
    if proc.returncode == 0 and done is not None:
        return True, [f"{done.group(1)} runs in {done.group(2)} s, no crash"], proc.stderr
    return False, [f"exit status {proc.returncode}"], proc.stderr


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--runs", type=int, default=10_000_000)
    args = ap.parse_args()
    bins = targets(Path(args.build).resolve())
    if not bins:
        print("host-fuzz: no targets (make fuzz-build)")
        return 1
    failed = 0
    for b in bins:
        ok, why, log = run(b, args.runs, timeout=7 * 24 * 3600.0)
        print(f"host-fuzz: {b.name}: {'PASS' if ok else 'FAIL'}: {'; '.join(why)}")
        if not ok:
            print(log[-3000:])
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
