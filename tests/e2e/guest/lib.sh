# lib.sh - helpers for e2e scenarios, sourced by /init before a scenario.
# Every check prints one line that the host runner counts:
#   PASS: <what>    FAIL: <what>    (and "# ..." notes)
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
# proc_diag PID: where a stuck process waits (a daemon blocked in a netlink
# recvmsg is waiting for a kernel answer that never came).
proc_diag() {
	[ -n "$1" ] && [ -d "/proc/$1" ] || { info "process $1 is gone"; return 0; }
	info "pid $1 $(grep State /proc/$1/status), wchan $(cat /proc/$1/wchan 2>/dev/null)"
	sed 's/^/    /' "/proc/$1/stack" 2>/dev/null
	ls -l "/proc/$1/fd" 2>/dev/null | sed 's/^/    /'
}
show_log() { info "---- $1 ----"; sed 's/^/    /' "$1" 2>/dev/null; }

# iet_standard_config: the configuration most scenarios use - one target with
# a fileio LUN 0 on a 1 GiB sparse file in the guest's tmpfs and a nullio LUN 1,
# everyone allowed.  A scenario may set E2E_TARGET_PARAMS (lines "Key Value",
# one per line) before iet_bring_up: they go into the target's section.
E2E_LUN0_FILE=/tmp/lun0.img
E2E_LUN0_BYTES=1073741824
E2E_TARGET_PARAMS=${E2E_TARGET_PARAMS:-}
iet_standard_config() {
	truncate -s "$E2E_LUN0_BYTES" "$E2E_LUN0_FILE" || return 1
	mkdir -p /etc/iet
	{
		printf '%s\n' "# written by tests/e2e/guest/lib.sh (iet_standard_config)" \
			"Target $E2E_TARGET_IQN" \
			"	Lun 0 Path=$E2E_LUN0_FILE,Type=fileio,IOMode=wt" \
			"	Lun 1 Type=nullio"
		[ -z "$E2E_TARGET_PARAMS" ] || printf '%s\n' "$E2E_TARGET_PARAMS" | sed 's/^[[:space:]]*/	/'
	} > /etc/iet/ietd.conf
	sed 's/^/    /' /etc/iet/ietd.conf
	echo "ALL ALL" > /etc/iet/initiators.allow
	echo "ALL ALL" > /etc/iet/targets.allow
}

# iet_bring_up: initiator modules + iscsid, standard config, our module and
# ietd.  One PASS/FAIL per step; returns non-zero at the first broken step.
iet_bring_up() {
	check "initiator modules load" initiator_modules || return 1
	if iscsid_start; then ok "iscsid starts"; else fail "iscsid starts"; show_log /tmp/iscsid.log; return 1; fi
	check "ietd.conf with a fileio LUN (1 GiB sparse file) and a nullio LUN" iet_standard_config || return 1
	check "modprobe iscsi_trgt" iet_load_module || return 1
	check "/proc/net/iet/{session,volume} exist" test -r /proc/net/iet/session -a -r /proc/net/iet/volume
	if ietd_start; then
		ok "ietd starts and listens on 3260"
	else
		fail "ietd starts and listens on 3260"; show_log /tmp/ietd.log
		proc_diag "$E2E_IETD_PID"; run cat /proc/net/iet/volume; return 1
	fi
}

# iet_login: discovery + login to E2E_TARGET_IQN on 127.0.0.1; sets E2E_DISK
# to the sdX of LUN 0 once the SCSI scan has attached it.  E2E_NODE_SETTINGS
# ("node.x=value ...") are set on the node record before the login.
iet_login() {
	E2E_DISK=
	run iscsiadm -m discovery -t st -p 127.0.0.1
	check_grep "SendTargets discovery lists $E2E_TARGET_IQN" "$E2E_TARGET_IQN" /run/e2e/out || return 1
	# E2E_NODE_SETTINGS: "name=value ..." applied to the node record first.
	for _kv in ${E2E_NODE_SETTINGS:-}; do
		check "iscsiadm node setting ${_kv%%=*} = ${_kv#*=}" iscsiadm -m node -T "$E2E_TARGET_IQN" \
			-p 127.0.0.1 -o update -n "${_kv%%=*}" -v "${_kv#*=}" || return 1
	done
	check "login to $E2E_TARGET_IQN" iscsiadm -m node -T "$E2E_TARGET_IQN" -p 127.0.0.1 --login || return 1
	if wait_for 30 iscsi_disk "$E2E_TARGET_IQN" 0; then
		E2E_DISK=$(iscsi_disk "$E2E_TARGET_IQN" 0)
		ok "LUN 0 attached as /dev/$E2E_DISK"
	else
		fail "LUN 0 attached as a disk within 30s"
		run iscsiadm -m session -P 3
		return 1
	fi
}

# disk_io_checks /dev/sdX BACKING_FILE: the size is E2E_LUN0_BYTES; 32 MiB of
# random data written with O_DIRECT reads back with O_DIRECT after dropping
# caches and is what the backing file holds; the last MiB round-trips.
disk_io_checks() {
	_dev=$1 _backing=$2
	check_eq "LUN 0 size is 1 GiB (blockdev --getsize64)" "$E2E_LUN0_BYTES" "$(blockdev --getsize64 "$_dev" 2>&1)"
	dd if=/dev/urandom of=/tmp/rand.bin bs=1M count=32 status=none
	_want=$(sha256sum < /tmp/rand.bin | cut -d' ' -f1)
	check "write 32 MiB with O_DIRECT" dd if=/tmp/rand.bin of="$_dev" bs=1M count=32 oflag=direct status=none
	sync
	echo 3 > /proc/sys/vm/drop_caches
	_got=$(dd if="$_dev" bs=1M count=32 iflag=direct status=none | sha256sum | cut -d' ' -f1)
	check_eq "read back 32 MiB with O_DIRECT: same checksum" "$_want" "$_got"
	_got=$(dd if="$_backing" bs=1M count=32 status=none | sha256sum | cut -d' ' -f1)
	check_eq "backing file holds the same 32 MiB" "$_want" "$_got"
	# The last MiB: LBAs near the end of the LUN.
	dd if=/tmp/rand.bin of="$_dev" bs=1M count=1 seek=1023 oflag=direct status=none
	echo 3 > /proc/sys/vm/drop_caches
	_want=$(dd if=/tmp/rand.bin bs=1M count=1 status=none | sha256sum | cut -d' ' -f1)
	_got=$(dd if="$_dev" bs=1M count=1 skip=1023 iflag=direct status=none | sha256sum | cut -d' ' -f1)
	check_eq "last MiB of the LUN round-trips" "$_want" "$_got"
	rm -f /tmp/rand.bin
}

# iet_teardown: log out everything, stop ietd and iscsid, unload our module
# (quietly: scenarios check these steps themselves where they matter).
iet_teardown() {
	iscsiadm -m node -u > /dev/null 2>&1
	ietd_stop
	iscsid_stop
	/usr/sbin/rmmod iscsi_trgt 2>/dev/null
	return 0
}
