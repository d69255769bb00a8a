# r2t - writes that must all go through R2T: InitialR2T=Yes and
# ImmediateData=No, a small MaxBurstLength/FirstBurstLength (16 KiB, so every
# 64 KiB..1 MiB write needs several R2T sequences) and QueuedCommands 4 while
# six O_DIRECT writers run at once (more commands than the target's window);
# every region reads back as written and matches the backing file.

require_ours module ietd ietadm || return 0

E2E_TARGET_PARAMS="InitialR2T Yes
ImmediateData No
MaxBurstLength 16384
FirstBurstLength 16384
QueuedCommands 4"

if ! iet_bring_up; then
	iet_teardown
	return 0
fi

if iet_login; then
	dev=/dev/$E2E_DISK
	run sh -c "iscsiadm -m session -P 2 | grep -E 'InitialR2T|ImmediateData|MaxBurstLength|FirstBurstLength'"
	check_grep "negotiated InitialR2T: Yes" "InitialR2T: Yes" /run/e2e/out
	check_grep "negotiated ImmediateData: No" "ImmediateData: No" /run/e2e/out
	check_grep "negotiated MaxBurstLength: 16384" "MaxBurstLength: 16384" /run/e2e/out
	check_grep "negotiated FirstBurstLength: 16384" "FirstBurstLength: 16384" /run/e2e/out

	# Six writers, each 8 MiB of its own random data into its own region
	# (region i at MiB 16*i), block sizes from 4 KiB to 1 MiB.
	i=0
	for bs in 4k 16k 64k 192k 512k 1M; do
		dd if=/dev/urandom of=/tmp/w$i.bin bs=1M count=8 status=none
		i=$((i + 1))
	done
	t0=$(cut -d. -f1 /proc/uptime)
	i=0 pids=
	for bs in 4k 16k 64k 192k 512k 1M; do
		( /usr/bin/dd if=/tmp/w$i.bin of="$dev" bs=$bs seek=$((16 * i))M oflag=direct,seek_bytes \
			status=none 2> /tmp/w$i.err; echo $? > /tmp/w$i.rc ) &
		pids="$pids $!"
		i=$((i + 1))
	done
	wait $pids
	info "six parallel writers took $(( $(cut -d. -f1 /proc/uptime) - t0 ))s"
	for i in 0 1 2 3 4 5; do
		rc=$(cat /tmp/w$i.rc 2>/dev/null)
		if [ "$rc" = 0 ]; then ok "writer $i (O_DIRECT, in parallel) succeeds"
		else fail "writer $i (O_DIRECT, in parallel) succeeds (exit $rc: $(cat /tmp/w$i.err))"; fi
	done
	sync
	echo 3 > /proc/sys/vm/drop_caches
	for i in 0 1 2 3 4 5; do
		want=$(sha256sum < /tmp/w$i.bin | cut -d' ' -f1)
		got=$(/usr/bin/dd if="$dev" bs=1M skip=$((16 * i)) count=8 iflag=direct status=none | sha256sum | cut -d' ' -f1)
		check_eq "region $i reads back as written (O_DIRECT)" "$want" "$got"
		got=$(/usr/bin/dd if="$E2E_LUN0_FILE" bs=1M skip=$((16 * i)) count=8 status=none | sha256sum | cut -d' ' -f1)
		check_eq "region $i is in the backing file" "$want" "$got"
		rm -f /tmp/w$i.bin /tmp/w$i.rc /tmp/w$i.err
	done

	check "logout" iscsiadm -m node -T "$E2E_TARGET_IQN" -p 127.0.0.1 --logout
fi
if ietd_stop; then ok "ietd stops on SIGTERM"; else fail "ietd stops on SIGTERM (needed SIGKILL)"; fi
check "rmmod iscsi_trgt" rmmod iscsi_trgt
iscsid_stop
