#!/bin/sh
# Runs each harness named for SECONDS (at the lowest priority, one after another), from its
# seed corpus in fuzz/corpus/NAME/ plus what earlier runs found (build/fuzz/corpus/NAME/, not
# checked in), with fuzz/NAME.dict. A crash stops that harness (exit status 1 at the end) and
# leaves its input in build/fuzz/crash-NAME-*; with FUZZ_KEEP_GOING=1 the harness is started
# again for the time left, so a long run collects every crash it meets (libFuzzer's own fork
# mode makes each short job set up the demo database again, which costs more than it fuzzes).
# Prints per harness: the seconds run, executions, the last cov: and ft:, and the crashes.
# The timeout per input is 120 s: at nice 19 on a busy machine an input of 0.2 s was seen to
# take over 20 s (the argon2id of a new user, under ASan).
# Usage: sh fuzz/run.sh SECONDS NAME...
secs=$1; shift
status=0
for n in "$@"; do
	mkdir -p build/fuzz/corpus/$n
	log=build/fuzz/$n.log
	len=8192
	[ $n = defs ] && len=65536 # the shipped documents are the seeds: case.json alone is 20 kB
	: > $log
	start=$(date +%s); left=$secs; runs=0; execs=0; crashes=0
	while [ $left -gt 0 ]; do
		LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1 \
		nice -n 19 ${FUZZ_BIN:-build/fuzz}/fuzz_$n -max_total_time=$left -timeout=120 -report_slow_units=60 -rss_limit_mb=4096 -max_len=$len \
			-dict=fuzz/$n.dict -artifact_prefix=build/fuzz/crash-$n- -print_final_stats=1 \
			build/fuzz/corpus/$n fuzz/corpus/$n > $log.run 2>&1
		rc=$?
		cat $log.run >> $log
		runs=$((runs + 1))
		e=$(sed -n 's/^stat::number_of_executed_units: *//p' $log.run)
		[ -z "$e" ] && e=$(grep -E '^#[0-9]+' $log.run | tail -1 | sed 's/^#\([0-9]*\).*/\1/')
		execs=$((execs + ${e:-0}))
		if [ $rc -ne 0 ]; then
			crashes=$((crashes + 1)); status=1
			echo "fuzz $n: crash (exit $rc):" $(grep -m2 -E 'ERROR|SUMMARY|runtime error' $log.run)
			[ -z "$FUZZ_KEEP_GOING" ] && break
		fi
		left=$((secs - ($(date +%s) - start)))
	done
	rm -f $log.run
	last=$(grep -E '^#[0-9]+' $log | tail -1)
	echo "fuzz $n: $(($(date +%s) - start)) s, $execs executions, $(echo "$last" | grep -o 'cov: [0-9]* ft: [0-9]*'), $crashes crash(es), $runs start(s)"
done
exit $status
