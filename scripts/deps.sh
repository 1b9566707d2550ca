#!/usr/bin/env bash
# Install the Debian packages Xenon needs to build, run and test, but only
# those that are missing. Silent and fast when everything is present; safe to
# run any number of times. Called by `make deps` (and so by `make run`,
# `make test` and `make check`).
set -euo pipefail

# package|why it is needed
PACKAGES=(
	"make|the build"
	"gcc|host unit tests"
	"libc6-dev|host unit tests (C library headers)"
	"gcc-aarch64-linux-gnu|cross-compiling the hypervisor"
	"binutils-aarch64-linux-gnu|linking the hypervisor image"
	"qemu-system-arm|qemu-system-aarch64, to run Xenon and the system tests"
	"device-tree-compiler|dtc/fdtput, to make test device trees"
	"libcmocka-dev|the unit test framework"
	"clang|host fuzzers (libFuzzer)"
	"libclang-rt-14-dev|host fuzzers (libFuzzer's runtime)"
	"libxen-dev|Xen public interface headers (/usr/include/xen)"
	"clang-format-19|make check (coding style)"
	"cppcheck|make check (static analysis, MISRA addon)"
	"python3|the test runner and run scripts"
)

# One dpkg-query call for all packages keeps the common case fast. Only
# "install ok installed" counts: a package that was removed but not purged is
# still known to dpkg (dpkg -s succeeds on it) but its files are gone.
names=()
for entry in "${PACKAGES[@]}"; do
	names+=("${entry%%|*}")
done
declare -A present=()
while read -r pkg status; do
	[[ "$status" == "install ok installed" ]] && present[${pkg%%:*}]=1
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${names[@]}" 2>/dev/null || true)

missing=()
for entry in "${PACKAGES[@]}"; do
	pkg=${entry%%|*}
	why=${entry#*|}
	if [[ -z "${present[$pkg]:-}" ]]; then
		missing+=("$pkg")
		echo "deps: $pkg is missing; needed for $why"
	fi
done

[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: apt-get not found; install these packages by hand: ${missing[*]}" >&2
	exit 1
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=(sudo)
	else
		echo "deps: not root and sudo not found; as root run: apt-get install ${missing[*]}" >&2
		exit 1
	fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "deps: running apt-get update"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
echo "deps: installing ${missing[*]}"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	"${missing[@]}"

# Make sure it worked rather than failing later with a confusing error.
still=()
for pkg in "${missing[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[[ "$status" == "install ok installed" ]] || still+=("$pkg")
done
if [[ ${#still[@]} -ne 0 ]]; then
	echo "deps: failed to install: ${still[*]}" >&2
	exit 1
fi
echo "deps: done"
