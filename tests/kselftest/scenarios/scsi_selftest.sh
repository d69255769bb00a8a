# scsi_selftest - guest half of tests/kselftest/run.sh (the module is the self-test).
truncate -s 1M /tmp/st.img
modprobe loop && truncate -s 8M /tmp/bd.img && losetup /dev/loop0 /tmp/bd.img
check "load self-test module" modprobe iscsi_trgt file=/tmp/st.img bdev=/dev/loop0
# The module's checks, as PASS/FAIL lines of this scenario.
dmesg | sed -n 's/^.*iet_st: //p' > /tmp/st.out
grep -v '^PASS: \|^FAIL: ' /tmp/st.out | sed 's/^/# /'
grep '^PASS: \|^FAIL: ' /tmp/st.out | while read -r verdict what; do
	case $verdict in PASS:) ok "$what" ;; *) fail "$what" ;; esac
done
check "module ran every check" grep -q '^RESULT ' /tmp/st.out
check "rmmod" rmmod iscsi_trgt
check "unloaded message" sh -c 'dmesg | grep -q "iet_st: unloaded"'
check "loop device detaches after unload" losetup -d /dev/loop0
