#!/bin/sh
# Runs each harness named for SECONDS (at the lowest priority, one after another), from its
# seed corpus in fuzz/corpus/NAME/ plus what earlier runs found (build/fuzz/corpus/NAME/, not
# checked in), with fuzz/NAME.dict when there is one. Stops at the first crash, leaving the
# input in build/fuzz/crash-NAME-*; prints each harness's last status line (cov:, ft:, execs).
# With FUZZ_FORK=1 a crash does not stop the run: libFuzzer's fork mode goes on for the whole
# time and keeps every crashing input (the long runs of the note were made so).
# Usage: sh fuzz/run.sh SECONDS NAME...
secs=$1; shift
status=0
for n in "$@"; do
	mkdir -p build/fuzz/corpus/$n
	dict=""
	[ -f fuzz/$n.dict ] && dict="-dict=fuzz/$n.dict"
	log=build/fuzz/$n.log
	len=8192
	[ $n = defs ] && len=65536 # the shipped documents are the seeds: case.json alone is 20 kB
	fork=""
	[ -n "$FUZZ_FORK" ] && fork="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
	echo "fuzz $n: ${secs}s"
	LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1 \
	nice -n 19 ${FUZZ_BIN:-build/fuzz}/fuzz_$n -max_total_time=$secs -timeout=20 -rss_limit_mb=4096 -max_len=$len $fork $dict \
		-artifact_prefix=build/fuzz/crash-$n- -print_final_stats=1 \
		build/fuzz/corpus/$n fuzz/corpus/$n > $log 2>&1
	rc=$?
	grep -E '^#[0-9]+.*(DONE|pulse|cov:)' $log | tail -1
	grep -E '^stat::(number_of_executed_units|peak_rss_mb)' $log
	if [ $rc -ne 0 ]; then
		echo "fuzz $n: FAILED (exit $rc), see $log and build/fuzz/crash-$n-*"
		grep -m3 -E 'ERROR|SUMMARY|runtime error' $log
		status=1
	fi
done
exit $status
