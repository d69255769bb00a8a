# selftest-lio - proves the harness's initiator half (discovery, login, disk
# lookup, O_DIRECT data checks, logout) against the kernel's own LIO target,
# configured through configfs.  Needs nothing of ours, so a failure here is
# the harness's (or the guest's), not iscsi_trgt's.  Runs the same
# disk_io_checks as the basic scenario.

check "initiator modules load" initiator_modules
if iscsid_start; then ok "iscsid starts"; else fail "iscsid starts"; show_log /tmp/iscsid.log; fi
truncate -s "$E2E_LUN0_BYTES" "$E2E_LUN0_FILE"

lio_setup() {
	mkdir -p /etc/target/pr	# LIO's persistent-reservation store
	for m in target_core_mod target_core_file iscsi_target_mod; do modprobe "$m" || return 1; done
	t=/sys/kernel/config/target
	[ -d "$t" ] || mount -t configfs configfs /sys/kernel/config || return 1
	mkdir -p "$t/core/fileio_0/lun0" || return 1
	echo "fd_dev_name=$E2E_LUN0_FILE,fd_dev_size=$E2E_LUN0_BYTES" > "$t/core/fileio_0/lun0/control" || return 1
	echo 1 > "$t/core/fileio_0/lun0/enable" || return 1
	tpg=$t/iscsi/$E2E_TARGET_IQN/tpgt_1
	mkdir -p "$tpg/np/127.0.0.1:3260" "$tpg/lun/lun_0" || return 1
	ln -s "$t/core/fileio_0/lun0" "$tpg/lun/lun_0/port0" || return 1
	echo 1 > "$tpg/attrib/generate_node_acls"
	echo 0 > "$tpg/attrib/authentication"
	echo 0 > "$tpg/attrib/demo_mode_write_protect"
	echo 1 > "$tpg/enable"
}
check "LIO target configured through configfs (fileio on $E2E_LUN0_FILE)" lio_setup
if iet_login; then
	disk_io_checks "/dev/$E2E_DISK" "$E2E_LUN0_FILE"
	check "logout" iscsiadm -m node -T "$E2E_TARGET_IQN" -p 127.0.0.1 --logout
	check "no session left" sh -c '! test -e /sys/class/iscsi_session/session1'
fi
iscsid_stop
