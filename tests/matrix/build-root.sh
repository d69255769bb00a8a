#!/bin/bash
# build-root.sh RELEASE - a Debian build root for the kernel matrix.
#
#   tests/matrix/build-root.sh trixie|sid      (run as root)
#
# debootstraps RELEASE (minbase + build-essential, linux-headers-amd64, kmod,
# and linux-image-amd64 for the guest kernel and its modules) into
#   $MATRIX_CACHE/roots/RELEASE    (default /var/cache/iscsitarget-ci)
# outside the git clone, so every clone on the machine (and CI) reuses it.
# A root older than MATRIX_MAX_AGE days (default 7) is rebuilt; a half-built
# one never counts (it is built in RELEASE.new and renamed when complete).
# The root's kernel version is resolved there and written to ROOT/.kver;
# ROOT/boot/vmlinuz-KVER always exists (in sid it is a link to
# /usr/lib/modules/KVER/vmlinuz, which linux-binary-KVER ships).
# Prints the root's path on stdout; progress goes to stderr.
set -euo pipefail

rel=${1:?usage: build-root.sh RELEASE}
cache=${MATRIX_CACHE:-/var/cache/iscsitarget-ci}
max_age=${MATRIX_MAX_AGE:-7}
mirror=${MATRIX_MIRROR:-http://deb.debian.org/debian}
root=$cache/roots/$rel
pkgs=build-essential,linux-headers-amd64,linux-image-amd64,kmod

[ "$(id -u)" -eq 0 ] || { echo "build-root: must run as root (debootstrap, chroot)" >&2; exit 1; }
mkdir -p "$cache/roots"

fresh() {	# the root is complete and younger than max_age days
	[ -f "$root/.complete" ] && [ -n "$(find "$root/.complete" -mtime -"$max_age" 2>/dev/null)" ]
}

# One builder at a time per release (two clones running `make matrix`).
exec 9> "$cache/roots/.$rel.lock"
flock 9

if ! fresh; then
	new=$root.new
	rm -rf "$new"
	echo "build-root: debootstrap $rel into $new (2-3 minutes)" >&2
	t0=$(date +%s)
	debootstrap --variant=minbase --include="$pkgs" "$rel" "$new" "$mirror" > "$cache/roots/$rel.log" 2>&1 || {
		tail -n 20 "$cache/roots/$rel.log" >&2
		echo "build-root: debootstrap $rel failed (log: $cache/roots/$rel.log)" >&2
		exit 1
	}
	# Keep the root small: the .debs are not needed once unpacked.
	rm -f "$new"/var/cache/apt/archives/*.deb
	rm -rf "$root"
	mv "$new" "$root"
	date -u +%FT%TZ > "$root/.complete"
	echo "build-root: $rel ready in $(( $(date +%s) - t0 ))s" >&2
fi

# The kernel of this root: the one whose headers linux-headers-amd64 pulled.
kver=$(ls -d "$root"/usr/src/linux-headers-*-amd64 2>/dev/null | sed 's,.*/linux-headers-,,' | sort -V | tail -n1)
[ -n "$kver" ] && [ -e "$root/lib/modules/$kver/build/Makefile" ] || {
	echo "build-root: no linux-headers-*-amd64 in $root" >&2; exit 1; }
if [ ! -e "$root/boot/vmlinuz-$kver" ]; then
	[ -f "$root/usr/lib/modules/$kver/vmlinuz" ] || { echo "build-root: no vmlinuz for $kver in $root" >&2; exit 1; }
	ln -sf "../usr/lib/modules/$kver/vmlinuz" "$root/boot/vmlinuz-$kver"
fi
echo "$kver" > "$root/.kver"
echo "$root"
