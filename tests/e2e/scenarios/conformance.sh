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

info "$(grep -cv '^[[:space:]]*\(#\|$\)' "$CU_EXPECTED") expected failure(s) listed in tests/e2e/conformance.expected"
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

# cu_judge RESULTS WANT: each wanted test against its result and the list of
# expected failures ($CU_EXPECTED: "Suite.Test reason").
cu_judge() {
	awk -v expf="$CU_EXPECTED" '
	BEGIN {
		while ((getline l < expf) > 0) {
			if (l ~ /^[[:space:]]*(#|$)/) continue
			sub(/^[[:space:]]*/, "", l); n = l; sub(/[[:space:]].*/, "", n)
			r = l; sub(/^[^[:space:]]*[[:space:]]*/, "", r); xp[n] = r
		}
	}
	FNR == NR { v = $2; w = $0; sub(/^[^ ]* [^ ]* ?/, "", w); res[$1] = v; why[$1] = w; next }
	{
		n = $1; v = res[n]; tot++
		if (v == "skipped") { v = "passed"; sk++; w = " (skipped: " why[n] ")" } else w = ""
		if (v == "passed") {
			pass++
			if (n in xp) { r = "passed, but listed as an expected failure: take it off the list"; xpass = xpass " " n }
			else r = "passed" w
		} else {
			if (v == "") v = "no result"
			if (n in xp) { xf++; r = v " (expected: " xp[n] ")" }
			else { bad++; r = v; badl = badl " " n }
		}
		print "    test ALL." n ": " r
	}
	END { print "= " tot+0, pass+0, sk+0, xf+0, bad+0; print "bad:" badl; print "xpass:" xpass }
	' "$1" "$2"
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
	# One line per test into the log, then "= n pass skip xfail bad", the
	# unexpected failures and the listed tests that now pass.
	cu_judge /tmp/cu.res /tmp/cu.want > /tmp/cu.judged
	grep '^    test ' /tmp/cu.judged
	grep '^    test ' /tmp/cu.judged >> /tmp/cu.all
	set -- $(sed -n 's/^= //p' /tmp/cu.judged)
	total=$((total + $1)) npass=$((npass + $2)) nskip=$((nskip + $3)) nxfail=$((nxfail + $4)) nbad=$((nbad + $5))
	bad=$(sed -n 's/^bad://p' /tmp/cu.judged)
	xpass=$(sed -n 's/^xpass://p' /tmp/cu.judged)
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
