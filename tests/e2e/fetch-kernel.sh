#!/bin/sh
# fetch-kernel.sh KVER CACHEDIR OUTDIR
# Download Debian's linux-image-KVER package with `apt-get download` into
# CACHEDIR (kept between runs), unpack it with `dpkg -x` into OUTDIR and run
# depmod there (the package ships no modules.dep: its postinst would make it).
# Nothing is installed into the host's /boot or /lib/modules.
# Prints the path of the unpacked tree on success.
set -eu
KVER=$1 CACHE=$2 OUT=$3
# E2E_KROOT=DIR: take the kernel from a Debian root instead (tests/matrix:
# DIR/boot/vmlinuz-KVER and DIR/lib/modules/KVER, installed there by apt).
if [ -n "${E2E_KROOT:-}" ]; then
	[ -e "$E2E_KROOT/boot/vmlinuz-$KVER" ] || { echo "fetch-kernel: no vmlinuz-$KVER in $E2E_KROOT" >&2; exit 1; }
	[ -f "$E2E_KROOT/lib/modules/$KVER/modules.dep" ] || depmod -b "$E2E_KROOT" "$KVER"
	echo "$E2E_KROOT"; exit 0
fi
pkg=linux-image-$KVER
mkdir -p "$CACHE" "$OUT"

deb=$(ls "$CACHE"/"${pkg}"_*.deb 2>/dev/null | head -n1 || true)
if [ -z "$deb" ]; then
	echo "fetch-kernel: apt-get download $pkg" >&2
	# apt-get download writes into the current directory and needs no root.
	# Try the signed image first, then the -unsigned one (same files).
	( cd "$CACHE" && { apt-get download -q "$pkg" >&2 ||
		apt-get download -q "$pkg-unsigned" >&2; } ) || {
		echo "fetch-kernel: cannot download $pkg (run 'apt-get update'?)" >&2
		exit 1
	}
	deb=$(ls "$CACHE"/linux-image-"$KVER"*.deb | head -n1)
fi

root=$OUT/$KVER
stamp=$root/.unpacked-from
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(basename "$deb")" ]; then
	echo "fetch-kernel: unpacking $(basename "$deb")" >&2
	rm -rf "$root"
	mkdir -p "$root"
	dpkg -x "$deb" "$root"
	depmod -b "$root" "$KVER"
	basename "$deb" > "$stamp"
fi
[ -f "$root/boot/vmlinuz-$KVER" ] || { echo "fetch-kernel: no vmlinuz in $deb" >&2; exit 1; }
echo "$root"
