#!/bin/bash
# run.sh - the kernel matrix (what `make matrix` runs; run as root).
#
#   tests/matrix/run.sh [--ietd PATH] [--ietadm PATH] [--out DIR] [--no-e2e] [RELEASE...]
#
# For each RELEASE (default: bookworm trixie sid):
#   build  iscsi_trgt.ko with W=1 against that release's kernel, with that
#          release's own gcc: bookworm = this host and scripts/kver.sh's KVER;
#          trixie/sid = in the debootstrap root of build-root.sh (chroot,
#          /proc mounted for objtool).  Any compiler warning fails the build.
#   e2e    (not bookworm: `make check` runs the full suite on it) boot the
#          root's kernel in QEMU with the e2e harness (E2E_KROOT=root) and
#          run the smoke scenario(s) E2E_SCENARIOS (default: basic) with the
#          module built for it; ietd/ietadm are the host's build.
# Logs and modules go to OUT (default build/matrix).  The last line is
# "N passed, N failed" (one check per build, plus the e2e checks); the exit
# status is non-zero when anything failed.
set -uo pipefail

if [ "$(id -u)" -ne 0 ] && command -v sudo > /dev/null; then
	exec sudo -E "$0" "$@"	# debootstrap, chroot and mount need root
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/matrix
IETD=$top/build/daemon/ietd
IETADM=$top/build/tools/ietadm
OUT=$top/build/matrix
E2E=1
releases=()
while [ $# -gt 0 ]; do
	case $1 in
	--ietd) IETD=$2; shift 2 ;;
	--ietadm) IETADM=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--no-e2e) E2E=0; shift ;;
	-h|--help) sed -n '2,/^set /p' "$0" | sed 's/^# \{0,1\}//;/^set /d'; exit 0 ;;
	-*) echo "matrix: unknown option $1" >&2; exit 2 ;;
	*) releases+=("$1"); shift ;;
	esac
done
[ ${#releases[@]} -gt 0 ] || releases=(bookworm trixie sid)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
passed=0 failed=0
results=()
t0=$(date +%s)

# build_module NAME KVER ROOT: W=1 build of a copy of kernel/ + include/ in
# ROOT (/ = the host); the module lands in OUT/KVER/iscsi_trgt.ko.
build_module() {
	local name=$1 kver=$2 root=$3 src rc=0 log=$OUT/build-$1.log
	src=$root/tmp/iet-matrix-$$
	rm -rf "$src" "$OUT/$kver"
	mkdir -p "$src" "$OUT/$kver"
	cp -r "$top/kernel" "$top/include" "$src/"
	( cd "$src/kernel" && rm -f ./*.o ./*.ko ./*.mod ./*.mod.c ./.*.cmd Module.symvers modules.order )
	local make=(make -C "/lib/modules/$kver/build" M="${src#"$root"}/kernel" W=1 -j"${JOBS:-2}" modules)
	if [ "$root" = / ]; then
		"${make[@]}" > "$log" 2>&1 || rc=$?
	else
		# One build per root at a time (other clones share it and its /proc
		# mount); the same lock keeps build-root.sh from replacing it meanwhile.
		exec {lk}> "$(dirname "$root")/.$(basename "$root").lock"
		flock "$lk"
		mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
		chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "${make[@]}" > "$log" 2>&1 || rc=$?
		umount "$root/proc" 2>/dev/null || true
		exec {lk}>&-
	fi
	[ -f "$src/kernel/iscsi_trgt.ko" ] && cp "$src/kernel/iscsi_trgt.ko" "$OUT/$kver/"
	rm -rf "$src"
	local warn
	warn=$(grep -cE 'warning:|error:' "$log")
	if [ "$rc" -eq 0 ] && [ "$warn" -eq 0 ] && [ -f "$OUT/$kver/iscsi_trgt.ko" ]; then
		echo "PASS: $name: iscsi_trgt.ko for $kver builds warning-free with W=1 ($(gcc_of "$root"))"
		passed=$((passed + 1)); results+=("ok     $name $kver: W=1 build")
		return 0
	fi
	grep -E 'warning:|error:' "$log" | head -n 30 | sed 's/^/    /'
	echo "FAIL: $name: iscsi_trgt.ko for $kver (make exit $rc, $warn warnings/errors; log: $log)"
	failed=$((failed + 1)); results+=("FAILED $name $kver: W=1 build")
	return 1
}
gcc_of() { chroot "$1" gcc -dumpfullversion 2>/dev/null | sed 's/^/gcc /'; }

# Missing roots are debootstrapped in parallel (mostly download and unpack)
# while bookworm builds; build-root.sh's lock makes the loop wait for them.
for rel in "${releases[@]}"; do
	[ "$rel" = bookworm ] || "$here/build-root.sh" "$rel" > /dev/null 2>&1 &
done

for rel in "${releases[@]}"; do
	echo "matrix: === $rel"
	if [ "$rel" = bookworm ]; then
		kver=$("$top/scripts/kver.sh") || { failed=$((failed + 1)); results+=("FAILED $rel: no KVER"); continue; }
		build_module "$rel" "$kver" /
		continue
	fi
	root=$("$here/build-root.sh" "$rel") || { failed=$((failed + 1)); results+=("FAILED $rel: build root"); continue; }
	kver=$(cat "$root/.kver")
	build_module "$rel" "$kver" "$root" || continue
	[ "$E2E" = 1 ] || continue
	elog=$OUT/e2e-$rel.log
	# shellcheck disable=SC2086
	E2E_KROOT=$root "$top/tests/e2e/run.sh" --kver "$kver" --module "$OUT/$kver/iscsi_trgt.ko" \
		--ietd "$IETD" --ietadm "$IETADM" --out "$OUT/e2e-$kver" ${E2E_SCENARIOS:-basic} 2>&1 | tee "$elog"
	erc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$elog" | tail -n1)
	if [ -n "$line" ]; then
		ep=${line%% passed*}; ef=${line#*passed, }; ef=${ef%% failed*}
		[ "$erc" -eq 0 ] || [ "$ef" -gt 0 ] || ef=1
		passed=$((passed + ep)); failed=$((failed + ef))
		results+=("$( [ "$ef" -eq 0 ] && echo "ok    " || echo FAILED) $rel $kver: e2e ${E2E_SCENARIOS:-basic}: $ep passed, $ef failed")
	else
		failed=$((failed + 1)); results+=("FAILED $rel $kver: e2e (exit $erc, no summary)")
	fi
done

wait
echo
echo "matrix: summary ($(( $(date +%s) - t0 ))s)"
for r in "${results[@]}"; do echo "  $r"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
