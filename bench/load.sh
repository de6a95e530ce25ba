#!/bin/sh
# Issue 14's scenarios (bench/README.md): load and attack against a fresh demo database, one
# table. bench/run.sh starts it for the scenarios paced, slow and mixed.
#
# Settings (environment):
#   BENCH_LOAD_SCENARIOS  which to run, in order (default "paced slow mixed": the attack is
#                         measured on the demo database before the mixed load adds its cases)
#   BENCH_SECONDS         length of the mixed load (default 120)
#   BENCH_CLIENTS         its clients (default 100)
#   BENCH_ATTACK          slow connections of the attack (default 200)
#   BENCH_ATTACK_FROM     spread (one address each, default) or single (all from one address)
#   BENCH_ATTACK_SECONDS  length of the attack (default 60)
#   BENCH_ATTACK_CLIENTS  ordinary clients measured during the attack (default 20)
#   BENCH_ATTACK_PACE     their requests a second each (default 2)
#   BENCH_SERVE_OPTS      more options of nrm serve (default none: the limits as shipped)
#   NRM_BIN               the nrm under test (default build/nrm)
set -eu
cd "$(dirname "$0")/.."
NRM=${NRM_BIN:-build/nrm}
LOAD=build/bench/load
SCENARIOS=${BENCH_LOAD_SCENARIOS:-paced slow mixed}
SECONDS_MIXED=${BENCH_SECONDS:-120}
CLIENTS=${BENCH_CLIENTS:-100}
ATTACK=${BENCH_ATTACK:-200}
ATTACK_FROM=${BENCH_ATTACK_FROM:-spread}
ATTACK_SECONDS=${BENCH_ATTACK_SECONDS:-60}
ATTACK_CLIENTS=${BENCH_ATTACK_CLIENTS:-20}
ATTACK_PACE=${BENCH_ATTACK_PACE:-2}

tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# ---- the server ----
"$NRM" init --db "$tmp/nrm.db" --demo >/dev/null 2>&1
# shellcheck disable=SC2086
"$NRM" serve --db "$tmp/nrm.db" --listen 127.0.0.1:0 ${BENCH_SERVE_OPTS:-} 2>"$tmp/serve.log" &
pid=$!
port=
for _ in $(seq 1 200); do
	port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/serve.log" | head -n 1)
	[ -n "$port" ] && break
	sleep 0.05
done
[ -n "$port" ] || { echo "bench: nrm serve did not start" >&2; cat "$tmp/serve.log" >&2; exit 1; }

rss_kb() { sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' "/proc/$pid/status"; }

# Samples the server's RSS every second into $1 until $2 exists.
sample() {
	while [ ! -e "$2" ]; do
		rss_kb >>"$1"
		sleep 1
	done
}

# Runs `load` with the given options under the RSS sampler; adds a row to the table.
measure() {
	name=$1
	shift
	cases=$(sqlite3 "$tmp/nrm.db" 'SELECT count(*) FROM cases' 2>/dev/null || echo '?')
	: >"$tmp/rss.$name"
	sample "$tmp/rss.$name" "$tmp/done.$name" &
	sampler=$!
	line=$("$LOAD" --port "$port" --label "$name" "$@" 2>>"$tmp/load.log") || {
		touch "$tmp/done.$name"
		wait "$sampler"
		echo "bench: $name failed" >&2
		tail -n 20 "$tmp/load.log" >&2
		exit 1
	}
	rss_kb >>"$tmp/rss.$name"
	touch "$tmp/done.$name"
	wait "$sampler"
	mem=$(awk 'NR==1{s=$1} NR==11{w=$1} {e=$1; if ($1>m) m=$1} END {if (!w) w=s;
		printf "%.0f\t%.0f\t%.0f\t%.0f", s/1024, w/1024, e/1024, m/1024}' "$tmp/rss.$name")
	printf '%s\t%s\t%s\n' "$line" "$mem" "$cases" >>"$tmp/results"
}

# ---- scenarios (issue 15 adds its own beside these) ----

# 100 clients of mixed reads and writes on real routes (bench/load.c says which).
scenario_mixed() {
	measure mixed --clients "$CLIENTS" --seconds "$SECONDS_MIXED"
}

# The ordinary clients of the attack, without it: what their p99 is when nothing is wrong.
scenario_paced() {
	measure paced --clients "$ATTACK_CLIENTS" --pace "$ATTACK_PACE" --seconds "$ATTACK_SECONDS"
}

# 200 connections trickling their heads and bodies a byte a second, while ordinary clients
# work; the deadline (nrm serve --header-timeout, 10 s) cuts each slow one.
scenario_slow() {
	measure slow-attack --clients "$ATTACK_CLIENTS" --pace "$ATTACK_PACE" --seconds "$ATTACK_SECONDS" --attack "$ATTACK" \
		--attack-from "$ATTACK_FROM"
}

for s in $SCENARIOS; do
	case $s in
	mixed) scenario_mixed ;;
	paced) scenario_paced ;;
	slow) scenario_slow ;;
	*) echo "bench: unknown scenario $s" >&2; exit 2 ;;
	esac
done

# ---- the table ----
echo
echo "nrm $(cat VERSION), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ); nrm serve ${BENCH_SERVE_OPTS:-(defaults)}"
{
	printf 'scenario\tclients\ts\trequests\treq/s\terrors\tresets\tp50 ms\tp99 ms\tmax ms\twrites\tslow conns\tcut\tRSS start MB\tRSS 10 s MB\tRSS end MB\tRSS max MB\tcases at start\n'
	cat "$tmp/results"
} | column -t -s "$(printf '\t')"
cuts=$(grep -c 'past its deadline cut' "$tmp/serve.log" || true)
busy=$(grep -c '"status":"503"' "$tmp/serve.log" || true)
echo "server: $cuts connections cut at their deadline, $busy answers 503"
echo "(p50/p99/max: latency of the ordinary clients' requests; resets: connections refused or broken;"
echo " slow conns: connections of the attack, cut: how often the server cut one at its deadline)"
if [ -s "$tmp/load.log" ]; then
	echo "first problems reported by the clients:"
	head -n 10 "$tmp/load.log"
fi
