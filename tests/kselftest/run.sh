#!/bin/bash
# run.sh - build the SCSI-half self-test module and run it in the QEMU guest.
#
#   tests/kselftest/run.sh [--kver KVER] [--out DIR]
#
# The module (named iscsi_trgt so the e2e initramfs carries it) is built from
# kernel/{scsi_cmd,cdb,spc,sbc,volume,io_file,io_null}.c plus
# scsi_selftest.c.  tests/e2e/run.sh boots it with the one scenario in
# scenarios/scsi_selftest.sh (the module's PASS/FAIL lines become checks).
# scripts/check.sh runs this as a step of `make check`.
# Output ends with "N passed, N failed"; exit status non-zero on failure or
# on any kernel warning (the e2e runner's checks).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/kselftest
OUT=$top/build/kselftest
KVER=${KVER:-}
while [ $# -gt 0 ]; do
	case $1 in
	--kver) KVER=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
KVER=$(KVER=$KVER "$top/scripts/kver.sh")
KDIR=${KDIR:-/lib/modules/$KVER/build}

mod=$OUT/module
rm -rf "$mod" "$OUT/tree"	# (tree: a private harness copy of old)
mkdir -p "$mod" "$OUT/e2e"
for f in scsi_cmd.c cdb.c cdb.h spc.c sbc.c volume.c io_file.c io_null.c \
	 scsi.h iet.h pure.h compat.h; do
	ln -s "$top/kernel/$f" "$mod/$f"
done
ln -s "$here/scsi_selftest.c" "$mod/scsi_selftest.c"
cat > "$mod/Kbuild" <<KB
ccflags-y += -include \$(src)/compat.h -I$top/include
obj-m += iscsi_trgt.o
iscsi_trgt-y := scsi_selftest.o scsi_cmd.o cdb.o spc.o sbc.o volume.o io_file.o io_null.o
KB
make -C "$KDIR" M="$mod" W=1 -j2 modules >"$OUT/build.log" 2>&1 || {
	cat "$OUT/build.log"; echo "0 passed, 1 failed"; exit 1; }

# The main harness boots it, with the scenario from scenarios/ beside this
# file (the module stands in for iscsi_trgt; ietd/ietadm are not needed).
# Reuse the guest kernel the e2e suite unpacked, if it is there.
if [ -z "${E2E_KROOT:-}" ] && [ -f "$top/build/e2e/kernel/$KVER/.unpacked-from" ]; then
	export E2E_KROOT=$top/build/e2e/kernel/$KVER
fi
exec "$top/tests/e2e/run.sh" --kver "$KVER" --out "$OUT/e2e" --scenarios "$here/scenarios" \
	--module "$mod/iscsi_trgt.ko" --ietd /bin/true --ietadm /bin/true \
	--timeout 200 scsi_selftest
