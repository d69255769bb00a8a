# lab - the main job, for a person to watch (make lab): our target serves a
# 1 GiB fileio disk and a nullio disk, open-iscsi logs in, and we show what
# an admin would look at; then everything is taken down again.

require_ours module ietd ietadm || return 0
if ! iet_bring_up; then
	iet_teardown
	return 0
fi
if iet_login; then
	wait_for 10 iscsi_disk "$E2E_TARGET_IQN" 1
	check "write and read 4 MiB on /dev/$E2E_DISK" sh -c \
		"/usr/bin/dd if=/dev/urandom of=/dev/$E2E_DISK bs=1M count=4 oflag=direct status=none &&
		 /usr/bin/dd if=/dev/$E2E_DISK of=/dev/null bs=1M count=4 iflag=direct status=none"
	echo
	echo "==== cat /proc/net/iet/session"; cat /proc/net/iet/session
	echo "==== cat /proc/net/iet/volume"; cat /proc/net/iet/volume
	echo "==== ietadm --op show"; /usr/sbin/ietadm --op show 2>&1
	echo "==== iscsiadm -m session"; iscsiadm -m session 2>&1
	echo "==== lsblk"; lsblk -o NAME,SIZE,TYPE,VENDOR,MODEL,TRAN 2>&1
	echo
	check "logout" iscsiadm -m node -T "$E2E_TARGET_IQN" -p 127.0.0.1 --logout
fi
iscsiadm -m node -u > /dev/null 2>&1
if ietd_stop; then ok "ietd stops"; else fail "ietd stops"; fi
check "rmmod iscsi_trgt" rmmod iscsi_trgt
iscsid_stop
