# digests - HeaderDigest and DataDigest CRC32C: the target offers them in
# ietd.conf, open-iscsi is told to offer CRC32C too, the negotiated digests
# show in /proc/net/iet/session (hd:crc32c dd:crc32c) and 32 MiB of O_DIRECT
# data cross the wire with both digests checked on every PDU.

require_ours module ietd ietadm || return 0

E2E_TARGET_PARAMS="HeaderDigest CRC32C
DataDigest CRC32C"
E2E_NODE_SETTINGS="node.conn[0].iscsi.HeaderDigest=CRC32C node.conn[0].iscsi.DataDigest=CRC32C"

if ! iet_bring_up; then
	iet_teardown
	return 0
fi

if iet_login; then
	run cat /proc/net/iet/session
	check_grep "/proc/net/iet/session: hd:crc32c dd:crc32c" "ip:127.0.0.1 state:active hd:crc32c dd:crc32c" /run/e2e/out
	run sh -c "iscsiadm -m session -P 2 | grep -i digest"
	check_grep "open-iscsi negotiated HeaderDigest CRC32C" "HeaderDigest: CRC32C" /run/e2e/out
	check_grep "open-iscsi negotiated DataDigest CRC32C" "DataDigest: CRC32C" /run/e2e/out
	disk_io_checks "/dev/$E2E_DISK" "$E2E_LUN0_FILE"
	check "logout" iscsiadm -m node -T "$E2E_TARGET_IQN" -p 127.0.0.1 --logout
	if wait_for 10 sh -c "! grep -q 'initiator:' /proc/net/iet/session"; then
		ok "session gone after logout"
	else
		fail "session gone after logout"; run cat /proc/net/iet/session
	fi
fi
grep -i 'digest' /tmp/ietd.log | head -n 5 | sed 's/^/    ietd: /'
if ietd_stop; then ok "ietd stops on SIGTERM"; else fail "ietd stops on SIGTERM (needed SIGKILL)"; fi
check "rmmod iscsi_trgt" rmmod iscsi_trgt
iscsid_stop
