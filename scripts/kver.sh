#!/bin/sh
# kver.sh - print the kernel version (KVER) that this project builds for and
# that the QEMU harness boots: the one Debian's linux-image-amd64 depends on
# (e.g. 6.1.0-56-amd64).  This is the ONE place that decides it; the
# Makefile, scripts/install-deps.sh and tests/e2e/run.sh all ask here.
#
# Order:  $KVER if set  >  apt's linux-image-amd64 dependency  >  the newest
# installed linux-headers-*-amd64 (when apt's lists are missing, e.g. offline).
# Headers and image must match exactly, so we never guess from `uname -r`:
# the running kernel of a build machine is not the target kernel.
set -eu

if [ -n "${KVER:-}" ]; then
	echo "$KVER"
	exit 0
fi

kver=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*\)$/\1/p' |
	sed 's/-unsigned$//' | head -n1) || kver=
if [ -n "$kver" ]; then
	echo "$kver"
	exit 0
fi

# Fallback: headers already installed (sorted by version, newest last).
kver=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null |
	sed 's,^/usr/src/linux-headers-,,' | sort -V | tail -n1) || kver=
if [ -n "$kver" ]; then
	echo "$kver"
	exit 0
fi

echo "kver.sh: cannot resolve the kernel version: run 'apt-get update' (or set KVER=...)" >&2
exit 1
