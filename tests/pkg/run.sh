#!/bin/bash
# tests/pkg/run.sh - the packaging proof (issue 3), what `make pkg-check` runs.
#
#   tests/pkg/run.sh          (env: KVER, BUILD=build, JOBS=2, PKG_CACHE, PKG_KEEP=1)
#
#  1. Build the two binary packages with `dpkg-buildpackage -us -uc -b` from a
#     copy of this work tree (tracked + untracked-but-not-ignored files) under
#     BUILD/pkg/src, and run lintian on them: any lintian error fails.
#  2. A Debian bookworm root (debootstrap --variant=minbase + build-essential,
#     kmod, dkms, openssl, libmnl0, linux-headers-KVER), cached as a tarball in
#     PKG_CACHE/pkg/ (PKG_CACHE=/var/cache/iscsitarget-ci: outside any clone,
#     so clean clones and CI reruns share it; delete it to rebuild), unpacked
#     fresh into BUILD/pkg/root for every run.  /proc is mounted inside (objtool).
#  3. dpkg -i both .deb files there: iscsitarget-dkms's postinst has DKMS
#     build and install iscsi_trgt.ko for KVER, which is not the running
#     kernel; then by hand as an admin would: dkms remove --all, dkms add,
#     dkms build -k KVER, dkms install -k KVER.
#  4. The e2e `basic` scenario in QEMU with THE INSTALLED module
#     (/lib/modules/KVER/updates/dkms/) and the root's ietd and ietadm, whose
#     shared libraries come from the root too (E2E_ROOT, mkinitramfs.sh).
#  5. apt-get remove iscsitarget-dkms: the module is gone from `dkms status`
#     and from /lib/modules; dpkg --purge iscsitarget removes /etc/iet.
# Prints PASS:/FAIL: lines and ends with "N passed, N failed"; exit status is
# non-zero when anything failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
JOBS=${JOBS:-2}
CACHE=${PKG_CACHE:-/var/cache/iscsitarget-ci}
MIRROR=${PKG_MIRROR:-http://deb.debian.org/debian}
SECURITY=${PKG_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
SUITE=bookworm
KVER=$("$top/scripts/kver.sh") || exit 1
out=$top/$BUILD/pkg
root=$out/root
t0=$(date +%s)
passed=0 failed=0

ok() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() {	# check "what" CMD...
	local what=$1; shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}
finish() {
	echo "pkg: total $(( $(date +%s) - t0 ))s"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"; }
mounted=()
umount_all() {
	local m i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		m=${mounted[$i]}
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	mounted=()
}
mount_root() {
	mount -t proc proc "$root/proc" && mounted+=("$root/proc")
	mount --bind /dev "$root/dev" && mounted+=("$root/dev")
}
cleanup() {
	umount_all
	if [ "${PKG_KEEP:-0}" != 1 ] && [ -d "$root" ]; then rm -rf "$root"; fi
}
trap cleanup EXIT

if [ "$(id -u)" -ne 0 ]; then
	echo "pkg: needs root (debootstrap, chroot, mount)" >&2
	fail "running as root"; finish
fi
mkdir -p "$out"

# ---- 1. build the packages from a copy of this tree
echo "pkg: [1/5] dpkg-buildpackage -us -uc -b (log: $BUILD/pkg/build.log)"
rm -rf "$out/src" "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mkdir -p "$out/src"
git -C "$top" ls-files --cached --others --exclude-standard -z |
	(cd "$top" && cpio -pdm0 --quiet "$out/src")
s0=$(date +%s)
if (cd "$out/src" && dpkg-buildpackage -us -uc -b -j"$JOBS") > "$out/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b ($(( $(date +%s) - s0 ))s)"
else
	tail -n 40 "$out/build.log"
	fail "dpkg-buildpackage -us -uc -b"; finish
fi
deb=$(ls "$out"/iscsitarget_*_amd64.deb 2>/dev/null | head -n1)
dkmsdeb=$(ls "$out"/iscsitarget-dkms_*_all.deb 2>/dev/null | head -n1)
changes=$(ls "$out"/iscsitarget_*.changes 2>/dev/null | head -n1)
check "two binary packages built" test -f "$deb" -a -f "$dkmsdeb"
dpkg -c "$dkmsdeb" > "$out/dkms-deb.list" 2>&1
check "iscsitarget-dkms ships kernel/ and include/ beside dkms.conf" \
	sh -c "grep -q '/usr/src/iscsitarget-[^/]*/kernel/Kbuild\$' '$out/dkms-deb.list' &&
		grep -q '/usr/src/iscsitarget-[^/]*/include/iet_pdu.h\$' '$out/dkms-deb.list' &&
		grep -q '/usr/src/iscsitarget-[^/]*/dkms.conf\$' '$out/dkms-deb.list'"
version=$(dpkg-deb -f "$dkmsdeb" Version)
if command -v lintian > /dev/null; then
	lintian --fail-on error --tag-display-limit 0 "$changes" > "$out/lintian.log" 2>&1
	lrc=$?
	sed 's/^/    /' "$out/lintian.log"
	check "lintian: no errors ($(grep -c '^E:' "$out/lintian.log") errors, $(grep -c '^W:' "$out/lintian.log") warnings)" \
		test "$lrc" -eq 0
else
	fail "lintian installed (scripts/install-deps.sh)"
fi

# ---- 2. the Debian root, from the cache or debootstrap
tarball=$CACHE/pkg/$SUITE-minbase-$KVER.tar
echo "pkg: [2/5] Debian $SUITE root with linux-headers-$KVER (cache: $tarball)"
rm -rf "$root"
if [ ! -s "$tarball" ]; then
	mkdir -p "$CACHE/pkg"
	stage=$out/stage
	rm -rf "$stage"
	s0=$(date +%s)
	echo "pkg: debootstrap --variant=minbase $SUITE (a few minutes; log: $BUILD/pkg/debootstrap.log)"
	if debootstrap --variant=minbase \
		--include=build-essential,kmod,dkms,openssl,libmnl0,ca-certificates \
		"$SUITE" "$stage" "$MIRROR" > "$out/debootstrap.log" 2>&1; then
		# The guest kernel's headers can be in bookworm-security only.
		cat > "$stage/etc/apt/sources.list" <<-EOF
			deb $MIRROR $SUITE main
			deb $MIRROR $SUITE-updates main
			deb $SECURITY $SUITE-security main
		EOF
		root=$stage
		mount_root
		in_root apt-get update -q >> "$out/debootstrap.log" 2>&1 &&
		in_root apt-get install -y -q --no-install-recommends "linux-headers-$KVER" \
			>> "$out/debootstrap.log" 2>&1
		hrc=$?
		in_root apt-get clean
		umount_all
		root=$out/root
		if [ $hrc -eq 0 ] && tar -C "$stage" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"; then
			ok "debootstrap $SUITE + linux-headers-$KVER, cached ($(( $(date +%s) - s0 ))s)"
		else
			tail -n 30 "$out/debootstrap.log"
			rm -f "$tarball.tmp"
			fail "linux-headers-$KVER in the $SUITE root"
		fi
	else
		tail -n 30 "$out/debootstrap.log"
		fail "debootstrap --variant=minbase $SUITE"
	fi
	rm -rf "$stage"
fi
[ -s "$tarball" ] || finish
mkdir -p "$root"
tar -C "$root" -xf "$tarball" || { fail "unpack $tarball"; finish; }
mount_root
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"; chmod 755 "$root/usr/sbin/policy-rc.d"
check "root has the headers of $KVER" test -e "$root/lib/modules/$KVER/build/Makefile"
echo "pkg: the running kernel is $(uname -r); DKMS builds for $KVER"

# ---- 3. install the packages; DKMS builds the module
echo "pkg: [3/5] dpkg -i iscsitarget iscsitarget-dkms"
mkdir -p "$root/tmp/debs"
cp "$deb" "$dkmsdeb" "$root/tmp/debs/"
s0=$(date +%s)
in_root dpkg -i /tmp/debs/"$(basename "$deb")" /tmp/debs/"$(basename "$dkmsdeb")" > "$out/install.log" 2>&1
irc=$?
sed 's/^/    /' "$out/install.log"
check "dpkg -i both packages ($(( $(date +%s) - s0 ))s)" test $irc -eq 0
in_root dkms status > "$out/dkms-status" 2>&1; sed 's/^/    dkms status: /' "$out/dkms-status"
check "dkms status: iscsitarget/$version installed for $KVER" \
	grep -Eq "^iscsitarget/$version, $KVER, x86_64: installed" "$out/dkms-status"
# Again by hand, as an admin would, for a kernel that is not the running one:
# remove it from DKMS's tree, then add, build, install from /usr/src.
for op in "remove iscsitarget/$version --all" "add iscsitarget/$version" \
	"build iscsitarget/$version -k $KVER" "install iscsitarget/$version -k $KVER"; do
	s0=$(date +%s)
	# shellcheck disable=SC2086
	in_root dkms $op >> "$out/dkms.log" 2>&1
	drc=$?
	check "dkms $op ($(( $(date +%s) - s0 ))s)" test $drc -eq 0
done
ko=
for f in "$root/lib/modules/$KVER/updates/dkms/iscsi_trgt.ko"{,.xz,.zst,.gz}; do
	[ -f "$f" ] && ko=$f && break
done
check "module installed in /lib/modules/$KVER/updates/dkms/" test -n "$ko"
[ -n "$ko" ] || finish
case $ko in
*.xz) xz -dc "$ko" > "$out/iscsi_trgt.ko" ;;
*.zst) zstd -qdc "$ko" > "$out/iscsi_trgt.ko" ;;
*.gz) gzip -dc "$ko" > "$out/iscsi_trgt.ko" ;;
*) cp "$ko" "$out/iscsi_trgt.ko" ;;
esac
check "installed module is for $KVER" \
	test "$(modinfo -F vermagic "$out/iscsi_trgt.ko" | cut -d' ' -f1)" = "$KVER"
check "modules.dep in the root knows iscsi_trgt" \
	grep -q 'updates/dkms/iscsi_trgt.ko' "$root/lib/modules/$KVER/modules.dep"
signer=$(modinfo -F signer "$out/iscsi_trgt.ko" 2>/dev/null)
echo "pkg: module signer: ${signer:-none} (dkms's own key: the guest logs 'module verification failed')"
check "ietd and ietadm installed in /usr/sbin" test -x "$root/usr/sbin/ietd" -a -x "$root/usr/sbin/ietadm"
check "ietd runs in the root (its libraries are there)" in_root /usr/sbin/ietd --version
check "conffiles /etc/iet/{ietd.conf,initiators.allow,targets.allow} /etc/default/iscsitarget" \
	sh -c "chroot '$root' dpkg-query -W -f='\${Conffiles}\n' iscsitarget |
		awk 'NF{print \$1}' | sort | tr '\n' ' ' |
		grep -qx '/etc/default/iscsitarget /etc/iet/ietd.conf /etc/iet/initiators.allow /etc/iet/targets.allow '"
check "iscsitarget.service installed, disabled by default" \
	sh -c "test -f '$root/lib/systemd/system/iscsitarget.service' &&
		! ls '$root'/etc/systemd/system/*/iscsitarget.service > /dev/null 2>&1"

# ---- 4. the installed module and daemons serve the e2e smoke in QEMU
echo "pkg: [4/5] e2e basic with the installed module, ietd and ietadm"
e2e=$out/e2e
mkdir -p "$e2e"
# Share the guest kernel download and its unpacked tree with the main suite.
for d in cache kernel; do
	if [ ! -e "$e2e/$d" ]; then
		mkdir -p "$top/$BUILD/e2e/$d"
		ln -s "$top/$BUILD/e2e/$d" "$e2e/$d"
	fi
done
E2E_ROOT=$root tests/e2e/run.sh --kver "$KVER" --out "$e2e" --module "$out/iscsi_trgt.ko" \
	--ietd "$root/usr/sbin/ietd" --ietadm "$root/usr/sbin/ietadm" basic 2>&1 | tee "$out/e2e.log"
erc=${PIPESTATUS[0]}
check "e2e basic with the installed packages (log: $BUILD/pkg/e2e/basic.log)" test "$erc" -eq 0
if grep -aq 'module verification failed' "$e2e/basic.log"; then
	echo "pkg: note: the guest logged 'module verification failed' (expected: signed with dkms's key)"
fi

# ---- 5. removal
echo "pkg: [5/5] apt-get remove iscsitarget-dkms; dpkg --purge iscsitarget"
check "apt-get remove iscsitarget-dkms" sh -c "chroot '$root' apt-get remove -y -q iscsitarget-dkms > '$out/remove.log' 2>&1"
in_root dkms status > "$out/dkms-status" 2>&1
check "iscsitarget gone from dkms status" sh -c "! grep -q iscsitarget '$out/dkms-status'"
check "module gone from /lib/modules/$KVER" \
	sh -c "! ls '$root/lib/modules/$KVER/updates/dkms/'iscsi_trgt.ko* > /dev/null 2>&1"
check "dpkg --purge iscsitarget" sh -c "chroot '$root' dpkg --purge iscsitarget >> '$out/remove.log' 2>&1"
check "/etc/iet and ietd gone after purge" sh -c "test ! -e '$root/etc/iet' -a ! -e '$root/usr/sbin/ietd'"
finish
