#!/bin/bash
# check.sh - the whole test suite, what `make check` runs:
#   1. userspace build + unit tests (ctest)
#   2. kernel module build for KVER
#   3. QEMU end-to-end suite (tests/e2e/run.sh), even if 1 or 2 failed, so
#      the harness's own smoke test still runs and reports.
#   4. kernel matrix: W=1 builds for bookworm 6.1, trixie 6.12 and sid 7.x,
#      smoke e2e booting 6.12 and 7.x (tests/matrix/run.sh; CHECK_MATRIX=0 skips)
#   5. in-kernel self-test of the SCSI half (tests/kselftest/run.sh: its own
#      module, booted by the same harness; KSELFTEST=0 skips)
#   6. packages and DKMS: .debs built, installed in a bookworm root, DKMS
#      build, e2e with the installed module, removal (tests/pkg/run.sh;
#      CHECK_PKG=0 skips)
# Ends with one line "N passed, N failed" (unit tests + e2e checks + failed
# steps) and exits non-zero when anything failed.
#   usage: scripts/check.sh  (env: KVER, BUILD=build, JOBS=2, E2E_ARGS, KSELFTEST=1)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
JOBS=${JOBS:-2}
KVER=$("$top/scripts/kver.sh") || exit 1
export KVER
passed=0 failed=0
steps=()
t0=$(date +%s)
mkdir -p "$BUILD"

step() {	# step NAME: record the outcome of the command that just ran
	if [ "$1" -eq 0 ]; then steps+=("ok     $2"); else steps+=("FAILED $2"); failed=$((failed + 1)); fi
}

echo "check: [1/6] userspace build and unit tests"
if cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$BUILD/cmake-configure.log" 2>&1; then
	# Keep going past a broken file, so every unit test that does build runs
	# (ctest reports the others as "Not Run", i.e. failed).
	cmake --build "$BUILD" --parallel "$JOBS" -- -k
	step $? "userspace build"
	ctest --test-dir "$BUILD" --output-on-failure -j "$JOBS" 2>&1 | tee "$BUILD/ctest.log"
	crc=${PIPESTATUS[0]}
	# "NN% tests passed, F tests failed out of T"
	line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$BUILD/ctest.log" | tail -n1)
	if [ -n "$line" ]; then
		tf=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<< "$line")
		tt=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<< "$line")
		passed=$((passed + tt - tf)); failed=$((failed + tf))
		steps+=("$( [ "$crc" -eq 0 ] && echo "ok    " || echo FAILED) unit tests: $((tt - tf)) passed, $tf failed")
	elif grep -q 'No tests were found' "$BUILD/ctest.log"; then
		steps+=("note   unit tests: none found")
	else
		step 1 "unit tests (ctest exit $crc)"
	fi
else
	tail -n 30 "$BUILD/cmake-configure.log"
	step 1 "userspace configure (cmake)"
fi

echo "check: [2/6] kernel module for $KVER"
make -C "/lib/modules/$KVER/build" M="$top/kernel" -j"$JOBS" modules
step $? "module build (iscsi_trgt.ko for $KVER)"

echo "check: [3/6] QEMU end-to-end suite"
# shellcheck disable=SC2086
tests/e2e/run.sh --kver "$KVER" --ietd "$top/$BUILD/daemon/ietd" --ietadm "$top/$BUILD/tools/ietadm" \
	${E2E_ARGS:-} 2>&1 | tee "$BUILD/e2e.log"
erc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$BUILD/e2e.log" | tail -n1)
if [ -n "$line" ]; then
	ep=${line%% passed*}; ef=${line#*passed, }; ef=${ef%% failed*}
	passed=$((passed + ep)); failed=$((failed + ef))
	steps+=("$( [ "$erc" -eq 0 ] && echo "ok    " || echo FAILED) e2e: $ep passed, $ef failed")
else
	step 1 "e2e suite (exit $erc, no summary)"
fi

# --- kernel matrix (tests/matrix/run.sh; owner: kernel matrix) --------------
# W=1 builds for bookworm/trixie/sid kernels + smoke e2e on trixie and sid.
# CHECK_MATRIX=0 skips it.
if [ "${CHECK_MATRIX:-1}" != 0 ]; then
	echo "check: [4/6] kernel matrix (bookworm, trixie, sid)"
	tests/matrix/run.sh --ietd "$top/$BUILD/daemon/ietd" --ietadm "$top/$BUILD/tools/ietadm" \
		--out "$BUILD/matrix" 2>&1 | tee "$BUILD/matrix.log"
	mrc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$BUILD/matrix.log" | tail -n1)
	if [ -n "$line" ]; then
		mp=${line%% passed*}; mf=${line#*passed, }; mf=${mf%% failed*}
		passed=$((passed + mp)); failed=$((failed + mf))
		steps+=("$( [ "$mrc" -eq 0 ] && echo "ok    " || echo FAILED) kernel matrix: $mp passed, $mf failed")
	else
		step 1 "kernel matrix (exit $mrc, no summary)"
	fi
fi
# ---------------------------------------------------------------------------

# KSELFTEST=0 leaves it out (e.g. with SCENARIOS=... for a quick run).
if [ "${KSELFTEST:-1}" != 0 ]; then
	echo "check: [5/6] in-kernel SCSI self-test (tests/kselftest)"
	# The kernel the e2e suite unpacked is reused (no second unpack).
	E2E_KROOT=$top/$BUILD/e2e/kernel/$KVER
	[ -f "$E2E_KROOT/.unpacked-from" ] && export E2E_KROOT || unset E2E_KROOT
	tests/kselftest/run.sh --kver "$KVER" --out "$top/$BUILD/kselftest" 2>&1 | tee "$BUILD/kselftest.log"
	krc=${PIPESTATUS[0]}
	unset E2E_KROOT
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$BUILD/kselftest.log" | tail -n1)
	if [ -n "$line" ]; then
		kp=${line%% passed*}; kf=${line#*passed, }; kf=${kf%% failed*}
		passed=$((passed + kp)); failed=$((failed + kf))
		steps+=("$( [ "$krc" -eq 0 ] && echo "ok    " || echo FAILED) kselftest: $kp passed, $kf failed")
	else
		step 1 "kselftest (exit $krc, no summary)"
	fi
else
	steps+=("note   kselftest: skipped (KSELFTEST=0)")
fi

# --- packaging proof (tests/pkg/run.sh = make pkg-check; owner: packaging) --
# .debs + lintian, install in a bookworm root, DKMS, e2e basic with the
# installed module, apt remove.  One step: counts as one pass or one fail.
# CHECK_PKG=0 skips it.
if [ "${CHECK_PKG:-1}" != 0 ]; then
	echo "check: [6/6] packages and DKMS (tests/pkg/run.sh)"
	BUILD="$BUILD" JOBS="$JOBS" tests/pkg/run.sh 2>&1 | tee "$BUILD/pkg.log"
	prc=${PIPESTATUS[0]}
	if [ "$prc" -eq 0 ]; then passed=$((passed + 1)); fi
	step "$prc" "packaging proof: $(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$BUILD/pkg.log" | tail -n1)"
fi
# ---------------------------------------------------------------------------

echo
echo "check: summary ($(( $(date +%s) - t0 ))s)"
for s in "${steps[@]}"; do echo "  $s"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
