# conformance - libiscsi's iscsi-test-cu (family ALL: SCSI SPC/SBC commands,
# iSCSI protocol, reservations, TMF, ...) against our target over 127.0.0.1,
# one process per suite under a per-suite and an overall deadline.
# Expected failures are listed in /e2e/conformance.expected (copied from
# tests/e2e/conformance.expected): a suite's check fails when a test outside
# that list fails or gets no result, and also when a listed test now passes
# (so the list only shrinks: take the line out).  Per-test results are in
# the log as "    test NAME: passed|FAILED|...".
# About 2 minutes under TCG on an idle 2-core machine; more when it is busy:
# e2e-timeout: 420

require_ours module ietd || return 0

CU_IQN=iqn.2001-04.com.example:e2e.conformance
CU_INIT1=iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-test
CU_INIT2=iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-test-2
CU_SUITE_TIMEOUT=${CU_SUITE_TIMEOUT:-90}	# seconds per suite
# Seconds for all suites: what the guest deadline (iet.timeout) leaves.
CU_BUDGET=$(sed -n 's/.*iet\.timeout=\([0-9]*\).*/\1/p' /proc/cmdline)
CU_BUDGET=$(( ${CU_BUDGET:-270} - 40 ))
CU_EXPECTED=/e2e/conformance.expected

mkdir -p /etc/iet
truncate -s 128M /tmp/cu.img
printf '%s\n' "# written by tests/e2e/scenarios/conformance.sh" \
	"Target $CU_IQN" \
	"	Lun 0 Path=/tmp/cu.img,Type=fileio,IOMode=wt" > /etc/iet/ietd.conf
echo "ALL $CU_INIT1,$CU_INIT2" > /etc/iet/initiators.allow
echo "ALL ALL" > /etc/iet/targets.allow
run cat /etc/iet/ietd.conf /etc/iet/initiators.allow
check "modprobe iscsi_trgt" iet_load_module || return 0
if ietd_start; then ok "ietd starts and listens on 3260"
else fail "ietd starts and listens on 3260"; show_log /tmp/ietd.log; iet_teardown; return 0; fi

url=iscsi://127.0.0.1/$CU_IQN/0
check "iscsi-inq answers over $url" iscsi-inq -i "$CU_INIT1" "$url" || { iet_teardown; return 0; }

# expected: test names (first word of each non-comment line).
sed -n 's/^[[:space:]]*\([^#[:space:]][^[:space:]]*\).*/\1/p' "$CU_EXPECTED" 2>/dev/null > /tmp/cu.expected
info "$(wc -l < /tmp/cu.expected) expected failure(s) listed in tests/e2e/conformance.expected"
iscsi-test-cu --list > /tmp/cu.list 2>&1
sed -n 's/^ALL\.\([^.]*\)$/\1/p' /tmp/cu.list > /tmp/cu.suites
info "$(wc -l < /tmp/cu.suites) suites, $(grep -c '^ALL\.[^.]*\.[^.]*$' /tmp/cu.list) tests in family ALL"

# cu_parse: CUnit verbose output -> "Suite.Test passed|FAILED|skipped WHY"
# lines.  The verdict may come lines after "Test: NAME ..." when the test
# logs; a test that says "[SKIPPED] why" before its verdict counts as passed
# in CUnit, and as "skipped" here.
cu_parse() {
	awk '
	function verdict(v) {
		if (t == "") return
		if (v == "passed" && sk != "") print s "." t " skipped " sk; else print s "." t " " v
		t = ""; sk = ""
	}
	function skipped(l) {
		if (t == "" || sk != "" || l !~ /\[SKIPPED\]/) return
		sk = l; sub(/.*\[SKIPPED\][[:space:]]*/, "", sk)
	}
	/Suite: / { s = $0; sub(/.*Suite: /, "", s); sub(/[[:space:]].*/, "", s) }
	/Test: / {
		t = $0; sub(/.*Test: /, "", t); r = t; sk = ""
		sub(/[[:space:]]*\.\.\..*/, "", t); sub(/[[:space:]].*/, "", t)
		sub(/^[^.]*\.\.\./, "", r)
		if (r ~ /^passed/) verdict("passed"); else if (r ~ /^FAILED/) verdict("FAILED"); else skipped(r)
		next
	}
	/^passed/ { verdict("passed"); next }
	/^FAILED/ { verdict("FAILED"); next }
	{ skipped($0) }
	' "$1"
}

t0=$(cut -d. -f1 /proc/uptime)
total=0 npass=0 nskip=0 nxfail=0 nbad=0
: > /tmp/cu.all
while read -r suite; do
	now=$(cut -d. -f1 /proc/uptime)
	grep "^ALL\.$suite\.[^.]*$" /tmp/cu.list | sed 's/^ALL\.//' > /tmp/cu.want
	if [ $((now - t0)) -ge "$CU_BUDGET" ]; then
		fail "suite $suite not run: the ${CU_BUDGET}s budget is used up"
		continue
	fi
	s0=$now
	timeout "$CU_SUITE_TIMEOUT" iscsi-test-cu --dataloss -t "ALL.$suite" "$url" > /tmp/cu.out 2>&1
	crc=$?
	s1=$(cut -d. -f1 /proc/uptime)
	cu_parse /tmp/cu.out > /tmp/cu.res
	bad= xpass=
	while read -r name; do
		total=$((total + 1))
		line=$(grep -F "$name " /tmp/cu.res | grep -E "^$(echo "$name" | sed 's/[.]/\\./g') " | head -n 1)
		verdict=$(echo "$line" | cut -d' ' -f2)
		why=$(echo "$line" | cut -d' ' -f3-)
		[ "$verdict" = skipped ] && { nskip=$((nskip + 1)); verdict=passed; why=" (skipped: $why)"; }
		listed=no; grep -qxF "$name" /tmp/cu.expected && listed=yes
		case $verdict/$listed in
		passed/no) npass=$((npass + 1)); r="passed$why" ;;
		passed/yes) npass=$((npass + 1)); r="passed, but listed as an expected failure: take it off the list"; xpass="$xpass $name" ;;
		FAILED/yes) nxfail=$((nxfail + 1)); r="FAILED (expected: $(grep "^[[:space:]]*$(echo "$name" | sed 's/[.]/\\./g')[[:space:]]" "$CU_EXPECTED" | sed 's/^[^[:space:]]*[[:space:]]*//'))" ;;
		FAILED/no) nbad=$((nbad + 1)); r=FAILED; bad="$bad $name" ;;
		*/yes) nxfail=$((nxfail + 1)); r="no result (listed as an expected failure)" ;;
		*) nbad=$((nbad + 1)); r="no result"; bad="$bad $name" ;;
		esac
		echo "    test ALL.$name: $r"
		echo "ALL.$name $r" >> /tmp/cu.all
	done < /tmp/cu.want
	n=$(wc -l < /tmp/cu.want)
	if [ -z "$bad" ] && [ -z "$xpass" ]; then
		ok "conformance $suite: $n test(s) as expected ($((s1 - s0))s)"
	else
		[ -n "$bad" ] && fail "conformance $suite: unexpected failure:$bad (exit $crc, $((s1 - s0))s)"
		[ -n "$xpass" ] && fail "conformance $suite: listed as expected failure but now passes:$xpass"
		# The suite's own words (the first 60 lines).
		head -n 60 /tmp/cu.out | sed 's/^/      | /'
		[ "$crc" -eq 124 ] || [ "$crc" -eq 143 ] && info "suite $suite hit its ${CU_SUITE_TIMEOUT}s deadline"
	fi
done < /tmp/cu.suites
info "conformance: $npass/$total passed ($nskip of them skipped by the test itself), $nxfail expected failure(s), $nbad unexpected, $(( $(cut -d. -f1 /proc/uptime) - t0 ))s"

if ietd_stop; then ok "ietd stops on SIGTERM"; else fail "ietd stops on SIGTERM (needed SIGKILL)"; fi
check "rmmod iscsi_trgt" rmmod iscsi_trgt
