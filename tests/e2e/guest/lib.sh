# lib.sh - helpers for e2e scenarios, sourced by /init before a scenario.
# Every check prints one line that the host runner counts:
#   PASS: <what>    FAIL: <what>    SKIP: <what>    (and "# ..." notes)
# A scenario is a plain sh script (busybox ash) of checks; it need not exit.

E2E_RESULTS=/run/e2e/results
E2E_TARGET_IQN=${E2E_TARGET_IQN:-iqn.2001-04.com.example:e2e.disk}
E2E_INITIATOR_IQN=$(sed -n 's/^InitiatorName=//p' /etc/iscsi/initiatorname.iscsi 2>/dev/null)

# busybox ash prefers its own applets over files in PATH ("modprobe" would
# run busybox's, which cannot read modules.dep.bin): functions win over
# applets, so route these names to the real tools.
modprobe() { /usr/sbin/modprobe "$@"; }
insmod() { /usr/sbin/insmod "$@"; }
rmmod() { /usr/sbin/rmmod "$@"; }
lsmod() { /usr/sbin/lsmod "$@"; }
modinfo() { /usr/sbin/modinfo "$@"; }
dd() { /usr/bin/dd "$@"; }

ok()   { echo "PASS: $*"; echo PASS >> "$E2E_RESULTS"; }
fail() { echo "FAIL: $*"; echo FAIL >> "$E2E_RESULTS"; }
skip() { echo "SKIP: $*"; }
info() { echo "# $*"; }

# run CMD...: show the command and its output (indented), return its status.
run() {
	echo "+ $*"
	"$@" > /run/e2e/out 2>&1
	_rc=$?
	sed 's/^/    /' /run/e2e/out
	return $_rc
}

# check "what" CMD...: PASS if CMD succeeds, else FAIL with its output.
check() {
	_what=$1; shift
	if run "$@"; then ok "$_what"; return 0; fi
	fail "$_what (exit $_rc: $*)"
	return 1
}

# check_eq "what" EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; return 0; fi
	fail "$1 (expected '$2', got '$3')"
	return 1
}

# check_grep "what" PATTERN FILE|-   (fixed string, stdin with -)
check_grep() {
	_what=$1 _pat=$2 _f=$3
	if [ "$_f" = - ]; then cat > /run/e2e/grep; _f=/run/e2e/grep; fi
	if grep -qF -- "$_pat" "$_f" 2>/dev/null; then ok "$_what"; return 0; fi
	fail "$_what ('$_pat' not in:)"; sed 's/^/    /' "$_f" 2>/dev/null
	return 1
}

# wait_for SECONDS CMD...: poll CMD every half second until it succeeds.
wait_for() {
	_n=$(($1 * 2)); shift
	while [ "$_n" -gt 0 ]; do
		"$@" > /dev/null 2>&1 && return 0
		sleep 0.5; _n=$((_n - 1))
	done
	return 1
}

# Exit status of a scenario: non-zero when any check failed.
e2e_scenario_rc() { ! grep -q '^FAIL' "$E2E_RESULTS" 2>/dev/null; }

have_ours() { grep -qw "$1" /e2e/ours; }

# require_ours WHAT...: FAIL (once per piece) when our build is missing.
require_ours() {
	_miss=0
	for _w in "$@"; do
		if ! have_ours "$_w"; then
			fail "our $_w is in the guest (build it first: make)"
			_miss=1
		fi
	done
	return $_miss
}

# --- initiator side -------------------------------------------------------

initiator_modules() {
	for _m in scsi_mod sd_mod sg scsi_transport_iscsi libiscsi libiscsi_tcp iscsi_tcp; do
		modprobe "$_m" || return 1
	done
}

# Start iscsid in the foreground (in the background of this shell), logging
# to /tmp/iscsid.log, and wait for its control socket.
iscsid_start() {
	# Own session: iscsid -f signals its whole process group when it stops.
	setsid /usr/sbin/iscsid -f > /tmp/iscsid.log 2>&1 &
	E2E_ISCSID_PID=$!
	wait_for 10 grep -q ISCSIADM_ABSTRACT_NAMESPACE /proc/net/unix
}
iscsid_stop() {
	[ -n "${E2E_ISCSID_PID:-}" ] && kill "$E2E_ISCSID_PID" 2>/dev/null
	E2E_ISCSID_PID=
}

# iscsi_disk TARGET_IQN LUN: print sdX for that LUN of a logged-in session.
iscsi_disk() {
	for _s in /sys/class/iscsi_session/session*; do
		[ "$(cat "$_s/targetname" 2>/dev/null)" = "$1" ] || continue
		for _b in "$_s"/device/target*/*:*:*:"$2"/block/*; do
			[ -e "$_b" ] && { basename "$_b"; return 0; }
		done
	done
	return 1
}

# --- our target -----------------------------------------------------------

IETD_ARGS=${IETD_ARGS:--f}
# Load crc32c first (as Debian's init script did), then our module.
iet_load_module() {
	modprobe crc32c 2>/dev/null
	modprobe iscsi_trgt
}

# listening TCP port (hex in /proc/net/tcp{,6}, state 0A = LISTEN)
port_listening() {
	_hex=$(printf '%04X' "$1")
	grep -q ":$_hex [0-9A-F:]* 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# Start ietd in the foreground (backgrounded here) with its log in
# /tmp/ietd.log; wait until it listens on 3260.
ietd_start() {
	/usr/sbin/ietd $IETD_ARGS > /tmp/ietd.log 2>&1 &
	E2E_IETD_PID=$!
	wait_for 15 port_listening 3260
}
ietd_stop() {
	[ -n "${E2E_IETD_PID:-}" ] || return 0
	kill "$E2E_IETD_PID" 2>/dev/null
	_n=20
	while kill -0 "$E2E_IETD_PID" 2>/dev/null && [ $_n -gt 0 ]; do sleep 0.5; _n=$((_n - 1)); done
	if kill -0 "$E2E_IETD_PID" 2>/dev/null; then
		kill -9 "$E2E_IETD_PID"; E2E_IETD_PID=; return 1
	fi
	E2E_IETD_PID=
}
show_log() { info "---- $1 ----"; sed 's/^/    /' "$1" 2>/dev/null; }
