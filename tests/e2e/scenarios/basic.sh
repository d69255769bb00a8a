# basic - the walking skeleton end to end (issue 2, item 5): our ietd and
# iscsi_trgt.ko serve a fileio LUN and a nullio LUN to the real open-iscsi
# initiator on 127.0.0.1; data written with O_DIRECT reads back identically
# and lands in the backing file; /proc/net/iet and ietadm show the state;
# logout, ietd stop and rmmod are clean.

require_ours module ietd ietadm || return 0

if ! iet_bring_up; then
	iet_teardown
	return 0
fi

check_grep "/proc/net/iet/volume lists the target" "name:$E2E_TARGET_IQN" /proc/net/iet/volume
check_grep "/proc/net/iet/volume: LUN 0 fileio, 2097152 blocks of 512" \
	"lun:0 state:0 iotype:fileio iomode:wt blocks:2097152 blocksize:512 path:$E2E_LUN0_FILE" /proc/net/iet/volume
check_grep "/proc/net/iet/volume: LUN 1 nullio" "lun:1 state:0 iotype:nullio" /proc/net/iet/volume
run cat /proc/net/iet/volume
run /usr/sbin/ietadm --op show
check_grep "ietadm --op show lists the target" "$E2E_TARGET_IQN" /run/e2e/out

if iet_login; then
	dev=/dev/$E2E_DISK
	vendor=$(cat "/sys/block/$E2E_DISK/device/vendor" 2>/dev/null | tr -d ' ')
	model=$(cat "/sys/block/$E2E_DISK/device/model" 2>/dev/null | tr -d ' ')
	check_eq "INQUIRY vendor is IET" IET "$vendor"
	check_eq "INQUIRY product is VIRTUAL-DISK" VIRTUAL-DISK "$model"
	if wait_for 10 iscsi_disk "$E2E_TARGET_IQN" 1; then
		ok "LUN 1 (nullio) attached as /dev/$(iscsi_disk "$E2E_TARGET_IQN" 1)"
	else
		fail "LUN 1 (nullio) attached as a disk"
	fi

	disk_io_checks "$dev" "$E2E_LUN0_FILE"

	run cat /proc/net/iet/session
	check_grep "/proc/net/iet/session shows the target" "tid:1 name:$E2E_TARGET_IQN" /run/e2e/out
	check_grep "/proc/net/iet/session shows the initiator's IQN" "initiator:$E2E_INITIATOR_IQN" /run/e2e/out
	check_grep "/proc/net/iet/session shows an active connection" "ip:127.0.0.1 state:active hd:none dd:none" /run/e2e/out

	check "logout" iscsiadm -m node -T "$E2E_TARGET_IQN" -p 127.0.0.1 --logout
	if wait_for 10 sh -c "! grep -q 'initiator:' /proc/net/iet/session"; then
		ok "session gone from /proc/net/iet/session after logout"
	else
		fail "session gone from /proc/net/iet/session after logout"
		run cat /proc/net/iet/session
	fi
fi

iscsiadm -m node -u > /dev/null 2>&1
if ietd_stop; then ok "ietd stops on SIGTERM"; else fail "ietd stops on SIGTERM (needed SIGKILL)"; fi
show_log /tmp/ietd.log
check "rmmod iscsi_trgt" rmmod iscsi_trgt
iscsid_stop
