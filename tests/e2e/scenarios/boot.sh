# boot - smoke test of the harness itself; needs nothing of ours.
# The guest boots, loads the SCSI/iSCSI initiator modules with the real kmod,
# starts iscsid and runs the initiator tools the other scenarios use.
info "uptime at scenario start: $(cut -d' ' -f1 /proc/uptime)s"
check "initiator modules load (scsi_mod ... iscsi_tcp)" initiator_modules
check "crc32c loads" modprobe crc32c
check "iscsi_tcp transport registered" test -d /sys/class/iscsi_transport/tcp
check "iscsiadm runs" iscsiadm --version
if iscsid_start; then ok "iscsid starts and listens"; else fail "iscsid starts and listens"; show_log /tmp/iscsid.log; fi
check "iscsiadm talks to iscsid (no sessions yet)" sh -c 'iscsiadm -m session 2>&1 | grep -q "No active sessions"'
check "loopback is up" ping -c 1 -W 2 127.0.0.1
check "/tmp is a tmpfs big enough for a 1 GiB sparse LUN" sh -c 'df -k /tmp | awk "NR==2 && \$2 >= 1048576 {f=1} END {exit !f}"'
check "sparse 1 GiB file in /tmp" truncate -s 1G /tmp/sparse.img
check "O_DIRECT dd works on a block device (loop over /tmp file)" sh -c '
	/usr/sbin/modprobe loop && losetup /dev/loop0 /tmp/sparse.img &&
	/usr/bin/dd if=/dev/zero of=/dev/loop0 bs=1M count=4 oflag=direct status=none; r=$?;
	losetup -d /dev/loop0; exit $r'
rm -f /tmp/sparse.img
check "lsblk runs" lsblk
check "sg3-utils present" sg_inq --version
check "libiscsi tools present" sh -c 'iscsi-test-cu --list >/dev/null'
iscsid_stop
info "uptime at scenario end: $(cut -d' ' -f1 /proc/uptime)s"
