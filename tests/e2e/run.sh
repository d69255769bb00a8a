#!/bin/bash
# run.sh - host side of the QEMU end-to-end harness.
#
#   tests/e2e/run.sh [options] [SCENARIO...]      (default: every scenario)
#     --module PATH   our iscsi_trgt.ko          (default kernel/iscsi_trgt.ko)
#     --ietd PATH     our ietd                   (default build/daemon/ietd)
#     --ietadm PATH   our ietadm                 (default build/tools/ietadm)
#     --kver KVER     guest kernel               (default scripts/kver.sh)
#     --out DIR       logs, cache, initramfs     (default build/e2e)
#     --timeout S     hard limit per boot        (default 300; a scenario may
#                     ask for more with a line "# e2e-timeout: S")
#     --scenarios DIR scenario scripts           (default tests/e2e/scenarios)
#     --verbose       stream the guest console while it runs
#   Environment: E2E_ACCEL=tcg|kvm (default tcg), E2E_MEM (2G), E2E_SMP (2),
#   E2E_APPEND (extra kernel arguments), E2E_EXTRA_BINS / E2E_EXTRA_MODULES
#   (more host programs / kernel modules for the initramfs).
#
# For each scenario it boots Debian's kernel in QEMU with one initramfs
# (mkinitramfs.sh) and iet.scenario=NAME; the guest's /init runs
# tests/e2e/scenarios/NAME.sh.  The full guest log goes to OUT/NAME.log.
# A scenario fails on any FAIL line, a missing completion marker, a timeout,
# or a kernel warning in the log (Oops, BUG, WARNING, general protection
# fault, refcount_t, list_del corruption, kmemleak, lockups, stalls).
# The last line is "N passed, N failed"; the exit status is non-zero when
# anything failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/e2e
MODULE=$top/kernel/iscsi_trgt.ko
IETD=$top/build/daemon/ietd
IETADM=$top/build/tools/ietadm
KVER=${KVER:-}
OUT=$top/build/e2e
TIMEOUT=300
VERBOSE=0
SCENARIO_DIR=$here/scenarios
scenarios=()
while [ $# -gt 0 ]; do
	case $1 in
	--module) MODULE=$2; shift 2 ;;
	--ietd) IETD=$2; shift 2 ;;
	--ietadm) IETADM=$2; shift 2 ;;
	--kver) KVER=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--scenarios) SCENARIO_DIR=$(cd "$2" && pwd) || exit 2; shift 2 ;;
	--verbose|-v) VERBOSE=1; shift ;;
	-h|--help) sed -n '2,/^set /p' "$0" | sed 's/^# \{0,1\}//;/^set /d'; exit 0 ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) scenarios+=("$1"); shift ;;
	esac
done
if [ ${#scenarios[@]} -eq 0 ]; then
	# boot first: if the harness itself is broken, say so first.
	scenarios=(boot)
	for f in "$SCENARIO_DIR"/*.sh; do
		n=$(basename "$f" .sh)
		case $n in boot|lab) ;; *) scenarios+=("$n") ;; esac
	done
fi
for s in "${scenarios[@]}"; do
	[ -f "$SCENARIO_DIR/$s.sh" ] || { echo "run.sh: no scenario $SCENARIO_DIR/$s.sh" >&2; exit 2; }
done

KVER=$(KVER=$KVER "$top/scripts/kver.sh") || exit 1
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
t0=$(date +%s)

kroot=$("$here/fetch-kernel.sh" "$KVER" "$OUT/cache" "$OUT/kernel") || {
	echo "run.sh: could not get the guest kernel"; echo "0 passed, 1 failed"; exit 1; }
initrd=$OUT/initramfs-$KVER.cpio.gz
"$here/mkinitramfs.sh" --kroot "$kroot" --kver "$KVER" --out "$initrd" \
	--module "$MODULE" --ietd "$IETD" --ietadm "$IETADM" --etc "$top/etc" --scenarios "$SCENARIO_DIR" || {
	echo "run.sh: could not build the initramfs"; echo "0 passed, 1 failed"; exit 1; }
t1=$(date +%s)
echo "e2e: kernel $KVER, initramfs ready in $((t1 - t0))s"

accel=${E2E_ACCEL:-tcg}
# Kernel log lines that fail a run whatever the scenario said.
# (issue 2 names Oops, BUG, WARNING, general protection fault, refcount_t and
# list_del corruption; "BUG <cache> (Not tainted)" is SLUB's debug report.)
bad='Oops|BUG:|kernel BUG|BUG [^ ]+ \((Not t|T)ainted\)|WARNING:|general protection fault|refcount_t|list_del corruption|list_add corruption|kmemleak: .*suspected memory leak|unreferenced object|Kernel panic|soft lockup|hard LOCKUP|detected stall|blocked for more than|UBSAN:|KASAN:|Call Trace:'

total_pass=0 total_fail=0
for s in "${scenarios[@]}"; do
	log=$OUT/$s.log
	stimeout=$(sed -n 's/^# e2e-timeout: *\([0-9][0-9]*\).*/\1/p' "$SCENARIO_DIR/$s.sh" | head -n1)
	[ -n "$stimeout" ] && [ "$stimeout" -gt "$TIMEOUT" ] || stimeout=$TIMEOUT
	gtimeout=$((stimeout - 30))	# the guest gives up first, so we still get its dmesg
	cmd=(qemu-system-x86_64 -accel "$accel" -m "${E2E_MEM:-2G}" -smp "${E2E_SMP:-2}"
		-nographic -no-reboot -nodefaults -serial stdio -monitor none
		-device isa-debug-exit,iobase=0xf4,iosize=0x04
		-kernel "$kroot/boot/vmlinuz-$KVER" -initrd "$initrd"
		-append "console=ttyS0 panic=-1 loglevel=4 iet.scenario=$s iet.timeout=$gtimeout ${E2E_APPEND:-}")
	echo "e2e: === $s (log: ${log#"$top/"})"
	s0=$(date +%s)
	if [ "$VERBOSE" = 1 ]; then
		timeout -k 10 "$stimeout" "${cmd[@]}" < /dev/null 2>&1 | tee "$log" | tr -d '\r'
		qrc=${PIPESTATUS[0]}
	else
		timeout -k 10 "$stimeout" "${cmd[@]}" < /dev/null > "$log" 2>&1
		qrc=$?
	fi
	s1=$(date +%s)
	clean=$(mktemp)
	tr -d '\r' < "$log" > "$clean"

	# The scenario's own output: from the BEGIN marker to the dmesg dump.
	[ "$VERBOSE" = 1 ] || sed -n '/E2E-BEGIN:/,/^---- dmesg ----$/p' "$clean" | grep -v '^---- dmesg ----$' | sed 's/^.*E2E-BEGIN:/E2E-BEGIN:/'
	p=$(grep -c '^PASS: ' "$clean")
	f=$(grep -c '^FAIL: ' "$clean")
	why=()
	done_line=$(grep -a '^E2E-DONE: ' "$clean" | tail -n1)
	if [ -z "$done_line" ]; then
		if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
			why+=("timed out after ${stimeout}s")
		else
			why+=("no completion marker (qemu exit $qrc)")
		fi
	else
		# The guest's own tally guards against a PASS line garbled by
		# kernel messages interleaved on the console.
		gp=$(sed -n 's/.* passed=\([0-9]*\).*/\1/p' <<< "$done_line")
		gf=$(sed -n 's/.* failed=\([0-9]*\).*/\1/p' <<< "$done_line")
		if [ -n "$gp" ] && { [ "$gp" != "$p" ] || [ "$gf" != "$f" ]; }; then
			echo "e2e: note: counted $p/$f PASS/FAIL lines, guest says $gp/$gf; using the guest's"
			p=$gp f=$gf
		fi
	fi
	if grep -aEq "$bad" "$clean"; then
		why+=("kernel warning in the guest log:")
	fi
	if [ $p -eq 0 ] && [ $f -eq 0 ] && [ ${#why[@]} -eq 0 ]; then
		why+=("scenario ran no check")
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f + ${#why[@]}))
	if [ ${#why[@]} -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "e2e: $s: ok, $p passed in $((s1 - s0))s"
	else
		for w in "${why[@]}"; do echo "FAIL: $s: $w"; done
		grep -aEn "$bad" "$clean" | head -n 20 | sed 's/^/    /'
		echo "e2e: $s: FAILED ($p passed, $f failed, $((s1 - s0))s); full log: $log"
	fi
	rm -f "$clean"
done

echo "e2e: total $(( $(date +%s) - t0 ))s"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
