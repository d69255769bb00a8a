#!/bin/bash
# mkinitramfs.sh - assemble the guest's initramfs for the QEMU e2e harness.
#
#   mkinitramfs.sh --kroot DIR --kver KVER --out FILE.cpio.gz
#                  [--module PATH] [--ietd PATH] [--ietadm PATH] [--etc DIR]
#                  [--scenarios DIR]
#
# --kroot is the unpacked Debian kernel image (fetch-kernel.sh).  The result
# holds: busybox-static for the shell and applets, /init (guest/init), the
# real kmod as /sbin/modprobe & co., the kernel modules the scenarios need by
# their dependency closure, our iscsi_trgt.ko (in /lib/modules/KVER/extra),
# ietd and ietadm, open-iscsi's iscsiadm + iscsid, sg3-utils and libiscsi
# tools, each with its ldd closure, and tests/e2e/{guest,scenarios} in /e2e
# (--scenarios takes the scenario scripts from another directory; the
# tests/e2e/*.expected lists scenarios compare against go to /e2e too).
# Missing pieces of OURS are left out with a note (the scenarios that need
# them then FAIL with a clear message); missing host tools are an error.
#
# Extra host binaries can be added with E2E_EXTRA_BINS="fio mkfs.ext4 ...".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
KROOT= KVER= OUT= MODULE= IETD= IETADM= ETC= SCENARIOS=$here/scenarios
while [ $# -gt 0 ]; do
	case $1 in
	--kroot) KROOT=$2; shift 2 ;;
	--kver) KVER=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--module) MODULE=$2; shift 2 ;;
	--ietd) IETD=$2; shift 2 ;;
	--ietadm) IETADM=$2; shift 2 ;;
	--etc) ETC=$2; shift 2 ;;
	--scenarios) SCENARIOS=$2; shift 2 ;;
	*) echo "mkinitramfs: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -n "$KROOT" ] && [ -n "$KVER" ] && [ -n "$OUT" ] && [ -d "$KROOT" ] || {
	echo "usage: mkinitramfs.sh --kroot DIR --kver KVER --out FILE [--module KO] [--ietd BIN] [--ietadm BIN]" >&2
	exit 2
}

KROOT=$(cd "$KROOT" && pwd)
mkdir -p "$(dirname "$OUT")"
root=$(mktemp -d "$(dirname "$OUT")/initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

# Merged-/usr skeleton like Debian 12: /bin /sbin /lib /lib64 are symlinks,
# so a library found by ldd at /lib/x86_64-linux-gnu/... lands in usr/lib.
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{dev,proc,sys,run,tmp,etc,root,var,mnt,e2e}
ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"
ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
ln -s ../run "$root/var/run"; mkdir -p "$root/var/lib" "$root/var/tmp"

# copy_file SRC [DEST]: copy (dereferenced) to the same path in the guest.
copy_file() {
	local src=$1 dst=${2:-$1}
	mkdir -p "$root$(dirname "$dst")"
	cp -L "$src" "$root$dst"
}

# copy_bin PATH [DEST]: a program plus every shared library ldd names.
declare -A copied
copy_bin() {
	local src=$1 dst=${2:-$1} lib
	copy_file "$src" "$dst"
	# A program inside the Debian root E2E_ROOT (tests/pkg: installed
	# packages) takes its ldd closure from that root, resolved in a chroot.
	if [ -n "${E2E_ROOT:-}" ] && [ "${src#"$E2E_ROOT"/}" != "$src" ]; then
		for lib in $(chroot "$E2E_ROOT" ldd "/${src#"$E2E_ROOT"/}" 2>/dev/null |
			sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'); do
			mkdir -p "$root$(dirname "$lib")"; cp -L "$E2E_ROOT$lib" "$root$lib"
		done
		return 0
	fi
	# ldd exits non-zero for static binaries: that is fine.
	while read -r lib; do
		[ -n "$lib" ] || continue
		[ -n "${copied[$lib]:-}" ] && continue
		copied[$lib]=1
		copy_file "$lib"
	done < <(ldd "$src" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p')
}

need_bin() {	# need_bin NAME: a host tool the harness cannot do without
	local p
	p=$(command -v "$1" 2>/dev/null || PATH=/usr/sbin:/sbin:$PATH command -v "$1" 2>/dev/null) || {
		echo "mkinitramfs: host tool '$1' not found (run scripts/install-deps.sh)" >&2
		exit 1
	}
	copy_bin "$p" "/usr/${p#/usr}"
}
want_bin() {	# want_bin NAME: nice to have
	local p
	p=$(command -v "$1" 2>/dev/null || PATH=/usr/sbin:/sbin:$PATH command -v "$1" 2>/dev/null) || {
		echo "mkinitramfs: note: optional tool '$1' not found, left out" >&2
		return 0
	}
	copy_bin "$p" "/usr/${p#/usr}"
}

# --- busybox: every applet as a symlink, unless a real tool takes the name.
copy_file /bin/busybox /usr/bin/busybox
# --- the real kmod: busybox's modprobe cannot read modules.dep.bin & co.
need_bin kmod
for t in modprobe insmod rmmod lsmod depmod modinfo; do
	ln -sf ../bin/kmod "$root/usr/sbin/$t"
done
# --- initiator side and tools the scenarios use.
for t in iscsiadm iscsid dd lsblk sg_inq sg_readcap sg_luns sg_turs sg_vpd iscsi-inq iscsi-ls \
	iscsi-readcapacity16 iscsi-test-cu iscsi-perf; do
	need_bin "$t"
done
for t in iscsistart mkfs.ext4 e2fsck blkdiscard sg_sync sg_requests ${E2E_EXTRA_BINS:-}; do
	want_bin "$t"
done
for a in $("$root/usr/bin/busybox" --list-full); do
	# --list-full names e.g. "sbin/modprobe"; map onto merged /usr.
	d=usr/${a#usr/}
	[ -e "$root/$d" ] || [ -L "$root/$d" ] || ln -s /usr/bin/busybox "$root/$d"
done

# --- configuration for the initiator and a minimal user database.
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
printf 'hosts: files\npasswd: files\ngroup: files\n' > "$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost e2e\n::1 localhost\n' > "$root/etc/hosts"
mkdir -p "$root/etc/iscsi/nodes" "$root/etc/iscsi/send_targets" "$root/etc/iscsi/ifaces" "$root/var/lib/iscsi"
echo "InitiatorName=iqn.1993-08.org.debian:01:e2e-guest" > "$root/etc/iscsi/initiatorname.iscsi"
cp "$here/guest/iscsid.conf" "$root/etc/iscsi/iscsid.conf"

# --- kernel modules by dependency closure (host kmod reads the image tree).
moddir=/lib/modules/$KVER
mkdir -p "$root/usr$moddir"
cp "$KROOT$moddir"/modules.{order,builtin,builtin.modinfo} "$root/usr$moddir/" 2>/dev/null || true
mods="scsi_mod sd_mod sg scsi_transport_iscsi libiscsi libiscsi_tcp iscsi_tcp
	crc32c_generic crc32c-intel libcrc32c crc_t10dif
	virtio_pci virtio_net virtio_blk virtio_rng loop ext4 configfs
	target_core_mod target_core_file iscsi_target_mod ${E2E_EXTRA_MODULES:-}"	# LIO: harness self-test
have_ours=
if [ -n "$MODULE" ] && [ -f "$MODULE" ]; then
	mkdir -p "$root/usr$moddir/extra"
	cp "$MODULE" "$root/usr$moddir/extra/iscsi_trgt.ko"
	# Whatever our module depends on comes along too.
	ourdeps=$(modinfo -F depends "$MODULE" 2>/dev/null | tr "," " ")
	mods="$mods $ourdeps"
	have_ours="$have_ours module"
else
	echo "mkinitramfs: note: no module at '${MODULE:-<unset>}': scenarios needing iscsi_trgt will fail" >&2
fi
for m in $mods; do
	if ! deps=$(modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" 2>/dev/null); then
		echo "mkinitramfs: note: module '$m' not in this kernel" >&2
		continue
	fi
	for ko in $(printf '%s\n' "$deps" | sed -n 's/^insmod \([^ ]*\).*/\1/p'); do
		rel=${ko#"$KROOT"}; rel=${rel#/}; rel=${rel#./}	# -> lib/modules/KVER/...
		case $rel in lib/modules/*) ;; *) continue ;; esac	# our own extra/ module
		[ -f "$root/usr/$rel" ] || { mkdir -p "$root/usr/$(dirname "$rel")"; cp "$ko" "$root/usr/$rel"; }
	done
done
depmod -b "$root" "$KVER"

# --- our daemon and tool.
for pair in "ietd:$IETD" "ietadm:$IETADM"; do
	name=${pair%%:*} path=${pair#*:}
	if [ -n "$path" ] && [ -x "$path" ]; then
		copy_bin "$path" "/usr/sbin/$name"
		have_ours="$have_ours $name"
	else
		echo "mkinitramfs: note: no $name at '${path:-<unset>}': scenarios needing it will fail" >&2
	fi
done
mkdir -p "$root/etc/iet"
if [ -n "$ETC" ] && [ -d "$ETC" ]; then
	cp -r "$ETC"/. "$root/etc/iet/" 2>/dev/null || true
fi

# --- the harness itself.
cp "$here/guest/init" "$root/init"
cp "$here/guest/lib.sh" "$root/e2e/lib.sh"
mkdir -p "$root/e2e/scenarios"
cp "$SCENARIOS"/*.sh "$root/e2e/scenarios/"
cp "$here"/*.expected "$root/e2e/" 2>/dev/null || true
chmod 755 "$root/init"
echo "$KVER" > "$root/e2e/kver"
echo "${have_ours# }" > "$root/e2e/ours"

( cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 ) | gzip -1 > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "mkinitramfs: $OUT ($(du -h "$OUT" | cut -f1); ours: ${have_ours:-none})" >&2
