#!/bin/sh
# Runs every suite — unit and API tests in the plain and the sanitized build, then the
# browser tests — and ends with one line "N passed, N failed". Exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
tmp=$(mktemp -d)
start=$(date +%s)
# Seconds since the run started: each stage says when it ends, so the budget of the run
# (20 minutes on a 2-core machine) can be watched stage by stage.
at() { echo "   ($(( $(date +%s) - start )) s)"; }
trap 'rm -rf "$tmp"' EXIT

count_criterion() { # $1 = log file, $2 = suite name, $3 = its seconds
	line=$(grep -a 'Synthesis: Tested:' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		echo "!! $2: no summary (crashed?)"
		failed=$((failed + 1))
		return
	fi
	p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	passed=$((passed + p))
	failed=$((failed + f + c))
	echo "   $2: $p passed, $((f + c)) failed (${3:-?} s)"
}

# The plain build's API suites record every exchange, for the browser run's contract test
# (tests/ui/contract.test.mjs: each reply against the OpenAPI document's schemas).
mkdir -p "$tmp/exchanges"
for flavour in build build/asan; do
	record=""
	[ "$flavour" = build ] && record="$tmp/exchanges"
	[ -x "$flavour/nrm" ] || { echo "!! $flavour/nrm missing"; failed=$((failed + 1)); continue; }
	echo "== $flavour"
	rm -f "$tmp/template.db" "$tmp/template.db.key"
	"$flavour/nrm" init --db "$tmp/template.db" --demo --no-demo-cases >/dev/null || { echo "!! demo init failed"; failed=$((failed + 1)); continue; }
	for t in "$flavour"/tests/unit_* "$flavour"/tests/api_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		t0=$(date +%s)
		NRM_BIN="$flavour/nrm" NRM_TEST_TEMPLATE="$tmp/template.db" NRM_TEST_EXCHANGES="$record" \
			ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1" \
			LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
			"$t" --jobs 2 >"$tmp/$name.log" 2>&1
		status=$?
		count_criterion "$tmp/$name.log" "$flavour/$name" $(( $(date +%s) - t0 ))
		# Failures in a suite's teardown (the server's exit, sanitizer reports) are not in
		# Criterion's synthesis; the harness marks them.
		late=$(grep -a -c -E '^NRM-FAIL:|crashed during its setup or teardown' "$tmp/$name.log")
		if [ "$late" -gt 0 ]; then
			failed=$((failed + late))
			status=1
			echo "   $flavour/$name: $late teardown failure(s)"
			grep -a -A 30 '^NRM-FAIL:' "$tmp/$name.log" | head -n 60
		fi
		if [ $status -ne 0 ]; then
			grep -a -E '\[FAIL\]|\[----\].*(Assertion|Test|Expected)|ERROR|runtime error|Sanitizer' "$tmp/$name.log" | head -n 40
			grep -q 'Synthesis' "$tmp/$name.log" || tail -n 30 "$tmp/$name.log"
			[ "$(grep -a 'Synthesis' "$tmp/$name.log" | sed -n 's/.*Failing: \([0-9]*\).*Crashing: \([0-9]*\).*/\1\2/p')" = "00" ] && failed=$((failed + 1))
		fi
	done
	at
done

if [ -d tests/ui/node_modules ] && ls tests/ui/*.test.mjs >/dev/null 2>&1; then
	echo "== browser (chromium)"
	(cd tests/ui && NRM_BIN="$PWD/../../build/nrm" NRM_API_EXCHANGES="$tmp/exchanges" node --test --test-reporter=tap --test-concurrency=1 *.test.mjs) >"$tmp/ui.log" 2>&1
	status=$?
	p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tmp/ui.log" | tail -n 1)
	f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tmp/ui.log" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	passed=$((passed + p))
	failed=$((failed + f))
	echo "   browser: $p passed, $f failed"
	if [ $status -ne 0 ]; then
		grep -E -A 30 '^ *not ok' "$tmp/ui.log" | head -n 80
		[ "$f" = 0 ] && failed=$((failed + 1))
	fi
fi

[ -d tests/ui/node_modules ] && at
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
