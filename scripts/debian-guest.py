#!/usr/bin/env python3
"""Fetch Debian's arm64 Linux kernel and busybox and make a guest of them.

    scripts/debian-guest.py [--build DIR]

Writes DIR/debian/Image (the uncompressed arm64 Image of Debian's
linux-image-*-arm64) and DIR/debian/initrd-v4.gz (a busybox initramfs whose
/init prints a marker line and starts a shell on the console). Packages come
from Debian's archive with apt-get download, are cached under DIR/debian and
are never committed. Prints the two paths.
"""
import argparse
import gzip
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

ARCH_OPTS = []

# Modules from the kernel package put in the initramfs, in load order.
MODULES = ["drivers/xen/xen-privcmd", "drivers/xen/xenfs/xenfs",
           "drivers/xen/xen-evtchn", "drivers/xen/xen-gntdev",
           "drivers/virtio/virtio_mmio", "drivers/block/virtio_blk",
           "drivers/block/xen-blkfront", "drivers/net/xen-netfront"]

INIT_SCRIPT = """#!/bin/busybox sh
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# The kernel runs /sbin/poweroff when its hypervisor asks for a clean
# shutdown (xl shutdown); with busybox's sh as init, power off directly.
mkdir -p /sbin
printf '#!/bin/sh\nexec /bin/busybox poweroff -f\n' > /sbin/poweroff
chmod +x /sbin/poweroff
echo "XENON-GUEST-INIT: $(uname -sr) on $(nproc) CPUs, $(grep MemTotal /proc/meminfo)"
if [ -r /sys/hypervisor/type ]; then
    v=/sys/hypervisor/version
    echo "XENON-GUEST-HYPERVISOR: $(cat /sys/hypervisor/type)" \
         "$(cat $v/major).$(cat $v/minor)$(cat $v/extra)"
    for m in /lib/modules/*.ko; do
        n=${m##*/}
        if insmod $m; then echo "XENON-GUEST-MODULE: ${n%.ko} loaded"; fi
    done
    mkdir -p /proc/xen
    if mount -t xenfs xenfs /proc/xen; then
        echo "XENON-GUEST-XENFS: capabilities=$(cat /proc/xen/capabilities)"
    fi
    ls /dev/xen 2>/dev/null | tr '\\n' ' ' | sed 's/^/XENON-GUEST-DEVXEN: /'; echo
fi
if [ -b /dev/vda ]; then
    echo "XENON-GUEST-DISK-READ: $(dd if=/dev/vda bs=64 count=1 2>/dev/null | tr -d '\\000')"
    echo "written-by-guest-$(cat /proc/sys/kernel/random/boot_id)" > /tmp/w
    dd if=/tmp/w of=/dev/vda bs=512 seek=8 conv=notrunc,fsync 2>/dev/null
    echo 3 > /proc/sys/vm/drop_caches
    echo "XENON-GUEST-DISK-WRITE: $(dd if=/dev/vda bs=512 skip=8 count=1 2>/dev/null | tr -d '\\000')"
fi
if grep -q xenon.poweroff /proc/cmdline; then
    echo "XENON-GUEST-POWEROFF"
    poweroff -f
fi
echo "Busybox shell: type 'poweroff -f' to stop this domain."
exec setsid cttyhack sh
"""


def apt_opts():
    host = subprocess.run(["dpkg", "--print-architecture"], check=True,
                          capture_output=True, text=True).stdout.strip()
    return ["-o", "APT::Architectures::=" + host,
            "-o", "APT::Architectures::=arm64"]


def apt_download(pkg, dest):
    opts = apt_opts()
    cmd = ["apt-get"] + opts + ["download", pkg]
    if subprocess.run(cmd, cwd=dest, capture_output=True).returncode != 0:
        subprocess.run(["apt-get"] + opts + ["update"], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(cmd, cwd=dest, check=True, stdout=subprocess.DEVNULL)


def kernel_package():
    """The versioned package linux-image-arm64 depends on."""
    out = subprocess.run(["apt-cache"] + apt_opts() +
                         ["depends", "linux-image-arm64:arm64"],
                         capture_output=True, text=True).stdout
    m = re.search(r"Depends: (linux-image-[0-9][^\s:]*-arm64)", out)
    if not m:
        subprocess.run(["apt-get"] + apt_opts() + ["update"], check=True,
                       stdout=subprocess.DEVNULL)
        out = subprocess.run(["apt-cache"] + apt_opts() +
                             ["depends", "linux-image-arm64:arm64"],
                             capture_output=True, text=True).stdout
        m = re.search(r"Depends: (linux-image-[0-9][^\s:]*-arm64)", out)
    if not m:
        sys.exit("debian-guest: cannot resolve linux-image-arm64")
    return m.group(1)


def extract(pkg, tmp):
    apt_download(pkg + ":arm64", tmp)
    deb = [f for f in os.listdir(tmp) if f.startswith(pkg.split(":")[0] + "_")
           and f.endswith(".deb")][0]
    root = os.path.join(tmp, pkg + "-root")
    subprocess.run(["dpkg-deb", "-x", os.path.join(tmp, deb), root],
                   check=True)
    return root, deb


def cpio_entry(out, name, mode, data=b"", ino=[1]):
    ino[0] += 1
    hdr = "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x" % (
        ino[0], mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0)
    out.write(hdr.encode() + name.encode() + b"\0")
    out.write(b"\0" * ((4 - (110 + len(name) + 1) % 4) % 4))
    out.write(data)
    out.write(b"\0" * ((4 - len(data) % 4) % 4))


def make_initrd(busybox, path, modules):
    buf = io.BytesIO()
    for d in ("bin", "dev", "proc", "sys", "tmp", "etc", "root", "lib",
              "lib/modules"):
        cpio_entry(buf, d, stat.S_IFDIR | 0o755)
    for i, mod in enumerate(modules):
        with open(mod, "rb") as f:
            name = "lib/modules/%02d-%s" % (i, os.path.basename(mod))
            cpio_entry(buf, name, stat.S_IFREG | 0o644, f.read())
    with open(busybox, "rb") as f:
        cpio_entry(buf, "bin/busybox", stat.S_IFREG | 0o755, f.read())
    cpio_entry(buf, "bin/sh", stat.S_IFLNK | 0o777, b"busybox")
    cpio_entry(buf, "init", stat.S_IFREG | 0o755, INIT_SCRIPT.encode())
    cpio_entry(buf, "TRAILER!!!", 0)
    with gzip.open(path, "wb") as f:
        f.write(buf.getvalue())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    args = ap.parse_args()
    out = os.path.join(args.build, "debian")
    image = os.path.join(out, "Image")
    initrd = os.path.join(out, "initrd-v4.gz")
    os.makedirs(out, exist_ok=True)
    if not (os.path.exists(image) and os.path.exists(initrd)):
        tmp = tempfile.mkdtemp()
        os.chmod(tmp, 0o755)
        try:
            pkg = kernel_package()
            root, deb = extract(pkg, tmp)
            vmlinuz = [f for f in os.listdir(os.path.join(root, "boot"))
                       if f.startswith("vmlinuz-")][0]
            with open(os.path.join(root, "boot", vmlinuz), "rb") as f:
                data = f.read()
            if data[:2] == b"\x1f\x8b":  # a gzip-compressed Image
                data = gzip.decompress(data)
            with open(image + ".tmp", "wb") as f:
                f.write(data)
            os.replace(image + ".tmp", image)
            with open(os.path.join(out, "kernel-package.txt"), "w") as f:
                f.write(deb + "\n")
            version = pkg[len("linux-image-"):]
            mods = [os.path.join(root, "lib", "modules", version, "kernel",
                                 m + ".ko") for m in MODULES]
            broot, _ = extract("busybox-static", tmp)
            make_initrd(os.path.join(broot, "bin", "busybox"),
                        initrd + ".tmp", mods)
            os.replace(initrd + ".tmp", initrd)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print(image)
    print(initrd)


if __name__ == "__main__":
    main()
