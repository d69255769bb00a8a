# teardown - the target going away under I/O:
#   1. logout while O_DIRECT writes run: the logout completes, the writer
#      ends (with an error once the disk is gone), the session disappears;
#   2. rmmod iscsi_trgt with a live session and I/O in flight (ietd still
#      running; ietadm --op delete is not implemented yet): the module
#      unloads, /proc/net/iet goes away, the initiator's I/O fails after its
#      replacement timeout instead of hanging; the module loads again after.
# The runner fails the scenario on any kernel warning in the guest log.

require_ours module ietd ietadm || return 0

# Fail queued I/O 5 s after the connection is lost (not 15).
E2E_NODE_SETTINGS="node.session.timeo.replacement_timeout=5"

if ! iet_bring_up; then
	iet_teardown
	return 0
fi

# bg_writer DEV: O_DIRECT writes of 1 MiB until the disk fails or 900 MiB
# are done; its exit status goes to /tmp/writer.rc.
bg_writer() {
	rm -f /tmp/writer.rc
	( /usr/bin/dd if=/dev/zero of="$1" bs=1M count=900 oflag=direct status=none 2> /tmp/writer.err
	  echo $? > /tmp/writer.rc ) &
	E2E_WRITER=$!
}
# writer_ended SECONDS: wait for the background writer; "rc" in WRITER_RC.
writer_ended() {
	wait_for "$1" test -s /tmp/writer.rc || return 1
	WRITER_RC=$(cat /tmp/writer.rc)
	wait "$E2E_WRITER" 2>/dev/null
	return 0
}
# Is the disk busy?  Its in-flight counters (reads writes) are not "0 0".
disk_busy() { [ "$(tr -s ' ' < "/sys/block/$1/inflight" | sed 's/^ //')" != "0 0" ]; }

# --- 1. logout during I/O ---------------------------------------------------
if iet_login; then
	dev=/dev/$E2E_DISK
	bg_writer "$dev"
	if wait_for 20 disk_busy "$E2E_DISK"; then ok "writer has I/O in flight on $dev"
	else fail "writer has I/O in flight on $dev"; fi
	sleep 1
	check "logout while the writer runs" iscsiadm -m node -T "$E2E_TARGET_IQN" -p 127.0.0.1 --logout
	if writer_ended 30; then
		ok "writer ends after the logout (dd exit $WRITER_RC)"
		sed 's/^/    dd: /' /tmp/writer.err | head -n 3
	else
		fail "writer ends within 30s after the logout"; run ps
	fi
	if wait_for 10 sh -c "! grep -q 'initiator:' /proc/net/iet/session"; then
		ok "session gone from /proc/net/iet/session after the logout"
	else
		fail "session gone from /proc/net/iet/session after the logout"; run cat /proc/net/iet/session
	fi
fi

# --- 2. rmmod with a live session under I/O ----------------------------------
if iet_login; then
	dev=/dev/$E2E_DISK
	check_grep "session is live before rmmod" "initiator:$E2E_INITIATOR_IQN" /proc/net/iet/session
	bg_writer "$dev"
	if wait_for 20 disk_busy "$E2E_DISK"; then ok "writer has I/O in flight on $dev"
	else fail "writer has I/O in flight on $dev"; fi
	sleep 1
	check "rmmod iscsi_trgt with a live session and I/O in flight" rmmod iscsi_trgt
	if grep -qw iscsi_trgt /proc/modules; then fail "iscsi_trgt gone from /proc/modules"
	else ok "iscsi_trgt gone from /proc/modules"; fi
	if [ -e /proc/net/iet ]; then fail "/proc/net/iet removed"; else ok "/proc/net/iet removed"; fi
	# replacement_timeout 5 s, then the SCSI layer fails the queued writes.
	if writer_ended 60; then
		if [ "$WRITER_RC" != 0 ]; then ok "the initiator sees I/O errors (dd exit $WRITER_RC)"
		else fail "the initiator sees I/O errors (dd succeeded although the target vanished)"; fi
		sed 's/^/    dd: /' /tmp/writer.err | head -n 3
	else
		fail "writer ends within 60s after rmmod"; run ps
	fi
	run iscsiadm -m session
	check "initiator logs out of the dead session" iscsiadm -m node -T "$E2E_TARGET_IQN" -p 127.0.0.1 --logout
	if kill -0 "$E2E_IETD_PID" 2>/dev/null; then info "ietd still runs after rmmod"
	else info "ietd exited after rmmod"; fi
	ietd_stop
	show_log /tmp/ietd.log
	check "modprobe iscsi_trgt again after the forced teardown" iet_load_module
	check "/proc/net/iet/session is empty after reload" sh -c '! grep -q initiator: /proc/net/iet/session'
	check "rmmod iscsi_trgt (idle)" rmmod iscsi_trgt
fi
iet_teardown
