#!/bin/sh
# install-deps.sh - install everything this project needs to build, to run
# its unit tests and to run the QEMU end-to-end suite, from Debian 12's own
# packages.  Idempotent: running it again installs only what is missing (and
# refreshes apt's lists).  Run as root, or as a user with sudo.
#
#   sudo scripts/install-deps.sh          # or: KVER=6.1.0-56-amd64 scripts/install-deps.sh
#
# The guest kernel's version (and so the linux-headers package) comes from
# scripts/kver.sh, the one place that decides it.
set -eu

here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		exec sudo -E "$0" "$@"
	fi
	echo "install-deps.sh: must run as root (no sudo found)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
APT_OPTS="-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold"

echo "install-deps: apt-get update"
apt-get update -q

# Resolve KVER only after the update: it reads apt's fresh lists.
KVER=$("$here/kver.sh")
echo "install-deps: guest kernel $KVER"

pkgs="
	build-essential make cmake g++ gcc pkg-config
	libmnl-dev nlohmann-json3-dev libgtest-dev libssl-dev
	linux-headers-$KVER
	qemu-system-x86 busybox-static kmod cpio gzip dpkg apt coreutils util-linux
	open-iscsi libiscsi-bin sg3-utils fio mdadm e2fsprogs
	debhelper dh-dkms dpkg-dev fakeroot lintian debootstrap
"

missing=
for p in $pkgs; do
	# 'install ok installed' only: half-configured packages get reinstalled.
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing="$missing $p"
done

if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing"
	# shellcheck disable=SC2086
	apt-get install $APT_OPTS $missing
else
	echo "install-deps: all packages already installed"
fi

# Sanity: the pieces the Makefile and the harness call by path.
for f in "/lib/modules/$KVER/build/Makefile" /usr/bin/qemu-system-x86_64 /bin/busybox /usr/sbin/iscsiadm; do
	[ -e "$f" ] || { echo "install-deps: missing $f after install" >&2; exit 1; }
done
echo "install-deps: done (KVER=$KVER)"
