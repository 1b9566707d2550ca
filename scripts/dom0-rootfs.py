#!/usr/bin/env python3
"""Make a dom0 root file system of Debian's own Xen 4.17 tools (`make dom0-rootfs`).

    scripts/dom0-rootfs.py [--build DIR]

Downloads Debian's arm64 packages with apt-get download (never installed on
this machine), unpacks them and writes DIR/dom0-rootfs.cpio.gz, an initramfs
for Debian's Linux 6.1 as dom0. Its /init mounts the usual file systems,
loads the Xen modules of the dom0 kernel's own package, runs Debian's
/etc/init.d/xen start unchanged (oxenstored, or C xenstored when
XENSTORED= is set in /etc/default/xen or on the kernel command line as
xenon.xenstored=c), makes the bridge xenbr0 and gives a shell on hvc0.
/root holds a domU (Debian's kernel and a busybox initramfs) and
/root/domu.cfg, an xl.cfg for it. Prints the path.
"""
from __future__ import annotations

import argparse
import gzip
import importlib
import io
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
debian = importlib.import_module("debian-guest")

# Debian bookworm packages the tools, init script and hotplug scripts load.
PACKAGES = [
    "xen-utils-4.17", "xen-utils-common", "xenstore-utils", "libxenmisc4.17",
    "libxencall1", "libxenevtchn1", "libxengnttab1", "libxenforeignmemory1",
    "libxendevicemodel1", "libxentoolcore1", "libxentoollog1",
    "libxenhypfs1", "libxenstore4", "libyajl2", "libfdt1", "libuuid1",
    "zlib1g", "libc6", "libgcc-s1", "bash", "libtinfo6", "busybox-static",
    "sysvinit-utils", "util-linux", "iproute2", "libbpf1", "libelf1",
    "libmnl0", "libbsd0", "libmd0", "libcap2", "dpkg",
]

# The dom0 kernel's modules /init loads, from its own package.
MODULES = [
    "drivers/xen/xen-privcmd", "drivers/xen/xenfs/xenfs",
    "drivers/xen/xen-evtchn", "drivers/xen/xen-gntdev",
    "drivers/xen/xen-gntalloc", "net/802/stp", "net/llc/llc",
    "net/bridge/bridge", "drivers/block/loop",
    "drivers/block/xen-blkback/xen-blkback", "drivers/net/xen-netback/xen-netback",
    "drivers/virtio/virtio_mmio", "drivers/block/virtio_blk",
]

# Parts of the packages dom0 never uses: documentation and translations.
SKIP = ("usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale",
        "usr/share/lintian", "usr/share/bash-completion", "usr/lib/xen-4.17/boot",
        "usr/lib/aarch64-linux-gnu/gconv", "usr/lib/aarch64-linux-gnu/tc")

INIT = """#!/bin/sh
# dom0's /init: the usual file systems, Debian's Xen start-up, a shell.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin 2>/dev/null
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
# What udev would add: the hotplug scripts' lock (locking.sh) stats
# /dev/stdin.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /run/lock /var/log/xen/console /var/lib/xen /var/lib/xenstored
hostname dom0
depmod
for m in $(cat /etc/modules); do modprobe $m; done
case " $(cat /proc/cmdline) " in
*" xenon.xenstored=c "*) echo "XENSTORED=/usr/lib/xen-4.17/bin/xenstored" >> /etc/default/xen ;;
esac
/etc/init.d/xen start
echo "XENON-DOM0-XEN-START: rc=$?"
# In this minimal root file system a second xenconsoled, without the
# init script's arguments, appears beside the init script's (on Xen 4.17
# as well); the two would share each guest's console.
for p in $(pidof xenconsoled); do
    grep -q pid-file /proc/$p/cmdline || kill $p
done
ip link add xenbr0 type bridge && ip link set xenbr0 up
echo "XENON-DOM0-READY: $(xl list 2>&1 | wc -l) lines from xl list"
# xenon.test=NAME runs /root/tests/NAME.sh, then powers the machine off.
for arg in $(cat /proc/cmdline); do
    case "$arg" in
    xenon.test=*)
        t=${arg#xenon.test=}
        /bin/bash /root/tests/$t.sh
        echo "XENON-TS-DONE: $t"
        poweroff -f ;;
    esac
done
echo "Debian's Xen 4.17 tools in dom0: try 'xl list', 'xl create -c /root/domu.cfg'."
exec setsid cttyhack /bin/bash -l
"""

DOMU_CFG = """# A Debian Linux 6.1 guest with a busybox shell on its console.
name = "domu"
kernel = "/root/Image"
ramdisk = "/root/initrd.gz"
extra = "console=hvc0 rdinit=/init"
memory = 256
vcpus = 1
# Stated, not left to the default: Xen 4.17's xl mem-set on Arm reads this
# setting back from the saved configuration and aborts if it is unset.
acpi = 0
"""


def tree_to_cpio(root: Path, out: io.BytesIO) -> None:
    """Every directory, file and symbolic link under root, into out."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, root)
        for name in sorted(dirnames) + sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.normpath(os.path.join(rel_dir, name))
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                debian.cpio_entry(out, rel, stat.S_IFLNK | 0o777,
                                  os.readlink(path).encode())
            elif stat.S_ISDIR(st.st_mode):
                debian.cpio_entry(out, rel, stat.S_IFDIR | (st.st_mode & 0o7777))
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as f:
                    debian.cpio_entry(out, rel, stat.S_IFREG | (st.st_mode & 0o7777),
                                      f.read())


# Programs that must run; other programs of the packages whose libraries
# are not in PACKAGES are left out.
REQUIRED = [
    "usr/lib/xen-4.17/bin/xl", "usr/lib/xen-4.17/bin/oxenstored",
    "usr/lib/xen-4.17/bin/xenstored", "usr/lib/xen-4.17/bin/xenconsoled",
    "usr/lib/xen-4.17/bin/xenconsole", "usr/lib/xen-4.17/bin/xen-init-dom0",
    "usr/bin/xenstore", "bin/bash", "bin/ip", "sbin/bridge", "usr/bin/choom",
    "usr/bin/flock", "sbin/start-stop-daemon",
]


def needed(readelf: str, f: Path) -> list[str]:
    out = subprocess.run([readelf, "-d", str(f)], capture_output=True,
                         text=True).stdout
    return [line.split("[", 1)[1].rstrip("]") for line in out.splitlines()
            if "(NEEDED)" in line]


def is_elf(f: Path) -> bool:
    if f.is_symlink() or not f.is_file():
        return False
    with open(f, "rb") as fh:
        return fh.read(4) == b"\x7fELF"


def prune_unresolved(root: Path) -> list[str]:
    """Remove programs needing a library root lacks; return the missing
    libraries of REQUIRED programs and of the libraries themselves."""
    readelf = os.environ.get("CROSS_COMPILE", "aarch64-linux-gnu-") + "readelf"
    libdirs = [root / d for d in ("lib/aarch64-linux-gnu",
                                  "usr/lib/aarch64-linux-gnu")]
    have = set()
    for d in libdirs:
        have.update(os.listdir(d))
    missing = {f"/{rel} (not in the packages)" for rel in REQUIRED
               if not (root / rel).exists()}
    for d in libdirs:
        for f in sorted(d.glob("*.so*")):
            if is_elf(f):
                missing.update(f"{lib} (for {f.name})" for lib in needed(readelf, f)
                               if lib not in have)
    for d in ("bin", "sbin", "usr/bin", "usr/sbin", "usr/lib/xen-4.17/bin"):
        for f in sorted((root / d).glob("*")):
            if not is_elf(f):
                continue
            lack = [lib for lib in needed(readelf, f) if lib not in have]
            rel = str(f.relative_to(root))
            if lack and rel in REQUIRED:
                missing.update(f"{lib} (for /{rel})" for lib in lack)
            elif lack:
                f.unlink()
    return sorted(missing)


def build_rootfs(build: Path, tmp: Path) -> Path:
    root = tmp / "root"
    root.mkdir()
    debs = build / "debian" / "dom0-debs"
    debs.mkdir(parents=True, exist_ok=True)
    for pkg in PACKAGES:
        if not any(f.name.startswith(pkg + "_") for f in debs.glob("*.deb")):
            debian.apt_download(pkg + ":arm64", str(debs))
        deb = sorted(f for f in debs.glob(pkg + "_*.deb"))[-1]
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    for part in SKIP:
        shutil.rmtree(root / part, ignore_errors=True)
    missing = prune_unresolved(root)
    if missing:
        sys.exit("dom0-rootfs: libraries missing from the package list:\n  " +
                 "\n  ".join(missing))

    # The dom0 kernel's own modules, where modprobe looks for them.
    kpkg = debian.kernel_package()
    kroot, _ = debian.extract(kpkg, str(tmp))
    version = kpkg[len("linux-image-"):]
    moddir = root / "lib" / "modules" / version
    names = []
    for m in MODULES:
        src = Path(kroot) / "lib" / "modules" / version / "kernel" / (m + ".ko")
        dst = moddir / "kernel" / (m + ".ko")
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dst)
        names.append(os.path.basename(m))

    for d in ("proc", "sys", "dev", "run", "tmp", "root", "var/log", "var/lib",
              "etc/default"):
        (root / d).mkdir(parents=True, exist_ok=True)
    if not (root / "bin" / "sh").exists():
        (root / "bin" / "sh").symlink_to("busybox")
    # As Debian's base-files: run-time state lives in /run.
    for link, target in (("var/run", "/run"), ("var/lock", "/run/lock")):
        shutil.rmtree(root / link, ignore_errors=True)
        (root / link).symlink_to(target)
    (root / "etc" / "modules").write_text(
        "\n".join(n for n in names if n not in ("stp", "llc")) + "\n")
    (root / "etc" / "default" / "xen").write_text(
        "# Read by /etc/init.d/xen. XENSTORED=/usr/lib/xen-4.17/bin/xenstored\n"
        "# starts C xenstored instead of oxenstored. xenconsoled keeps each\n"
        "# guest's console in /var/log/xen/console/guest-NAME.log.\n"
        "XENCONSOLED_ARGS=--log=guest\n")
    (root / "etc" / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (root / "etc" / "group").write_text("root:x:0:\n")
    (root / "etc" / "hostname").write_text("dom0\n")
    init = root / "init"
    init.write_text(INIT)
    init.chmod(0o755)

    # The guest xl builds: Debian's kernel and the busybox initramfs.
    image, initrd = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("debian-guest.py")),
         "--build", str(build)], check=True, capture_output=True,
        text=True).stdout.split()
    # Uncompressed: xl would inflate a gzip'd kernel at every create (about
    # 2.5 s of emulated dom0 time); the initramfs is compressed as a whole.
    shutil.copy(image, root / "root" / "Image")
    shutil.copy(initrd, root / "root" / "initrd.gz")
    (root / "root" / "domu.cfg").write_text(DOMU_CFG)

    buf = io.BytesIO()
    tree_to_cpio(root, buf)
    debian.cpio_entry(buf, "TRAILER!!!", 0)
    path = build / "dom0-rootfs.cpio.gz"
    with gzip.open(str(path) + ".tmp", "wb", compresslevel=6) as f:
        f.write(buf.getvalue())
    os.replace(str(path) + ".tmp", path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    args = ap.parse_args()
    build = Path(args.build).resolve()
    path = build / "dom0-rootfs.cpio.gz"
    stamp = Path(__file__).stat().st_mtime
    if not path.exists() or path.stat().st_mtime < stamp:
        tmp = Path(tempfile.mkdtemp())
        os.chmod(tmp, 0o755)
        try:
            path = build_rootfs(build, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print(path)


if __name__ == "__main__":
    main()
