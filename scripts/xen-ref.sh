#!/bin/sh
# Fetch the reference hypervisor: Debian's Xen 4.17 for arm64.
#
#   scripts/xen-ref.sh [BUILD_DIR]      (default: build)
#
# Downloads the Debian package xen-hypervisor-4.17-arm64 with apt-get,
# extracts the file the package installs as /boot/xen-4.17-arm64 into
# BUILD_DIR/xen-ref/ and prints the path of that image (an arm64 Image that
# QEMU's -kernel boots at EL2). Nothing is downloaded when the image is
# already there. The binary lives under build/ and is never committed.
#
# The package is arm64-only and the machine is amd64: rather than adding the
# architecture to dpkg for good (dpkg --add-architecture), apt is told about
# arm64 for these two commands only (APT::Architectures). Needs root for
# apt-get update; run as root or with sudo. Debian's registry is the only
# network access.
set -eu

BUILD=${1:-build}
OUT="$BUILD/xen-ref"
IMAGE="$OUT/xen-4.17-arm64"
PKG=xen-hypervisor-4.17-arm64

if [ -s "$IMAGE" ]; then
	echo "$IMAGE"
	exit 0
fi

mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# apt downloads as the _apt user when it can write the folder (otherwise
# it warns and downloads as root).
chown _apt "$TMP" 2>/dev/null || true

ARCHS="-o APT::Architectures::=$(dpkg --print-architecture) -o APT::Architectures::=arm64"
# shellcheck disable=SC2086 # ARCHS is a list of options
if ! (cd "$TMP" && apt-get $ARCHS download "$PKG:arm64") >"$TMP/log" 2>&1; then
	# The package lists may lack arm64 (or be missing): refresh them once.
	apt-get $ARCHS update >&2
	(cd "$TMP" && apt-get $ARCHS download "$PKG:arm64") >&2
fi

DEB=$(ls "$TMP"/"$PKG"_*_arm64.deb)
dpkg-deb -x "$DEB" "$TMP/root"
SRC="$TMP/root/boot/xen-4.17-arm64"
if [ ! -s "$SRC" ]; then
	echo "xen-ref.sh: $DEB has no /boot/xen-4.17-arm64" >&2
	exit 1
fi
cp "$SRC" "$IMAGE.tmp"
mv "$IMAGE.tmp" "$IMAGE"
basename "$DEB" >"$OUT/package.txt"
echo "$IMAGE"
