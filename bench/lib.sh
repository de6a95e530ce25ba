# Shared by bench/scale.sh (sourced, POSIX sh): failing loudly, the servers it starts and stops.
# Every process started through bench_spawn is stopped by bench_cleanup, which the caller sets
# as its trap on EXIT INT TERM: a run that fails half-way leaves no nrm serve or nginx behind.

bench_pids=""

bench_die() {
	echo "bench: $*" >&2
	exit 1
}

# Each named program must be on PATH (or an existing file), or the run stops before it starts.
bench_need() {
	for t in "$@"; do
		if [ -x "$t" ] || command -v "$t" >/dev/null 2>&1; then
			continue
		fi
		bench_die "$t is missing (deps/debian.txt lists it; make deps installs it)"
	done
}

bench_now_ms() {
	date +%s%3N
}

# Runs "$@" in the background, remembers its pid (bench_spawned) for bench_stop and the trap.
bench_spawn() {
	"$@" &
	bench_spawned=$!
	bench_pids="$bench_pids $bench_spawned"
}

# Stops one process started by bench_spawn: TERM, up to 10 s, then KILL.
bench_stop() {
	p=$1
	if kill -0 "$p" 2>/dev/null; then
		kill -TERM "$p" 2>/dev/null || true
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$p" 2>/dev/null || true
	fi
	wait "$p" 2>/dev/null || true
	rest=""
	for q in $bench_pids; do
		[ "$q" = "$p" ] || rest="$rest $q"
	done
	bench_pids=$rest
}

bench_cleanup() {
	for p in $bench_pids; do
		bench_stop "$p"
	done
}

# Resident memory of a process in kB: VmRSS now, or VmHWM (its peak) with "peak".
bench_rss_kb() {
	field=VmRSS
	[ "${2:-}" = peak ] && field=VmHWM
	sed -n "s/^$field:[^0-9]*\([0-9]*\).*/\1/p" "/proc/$1/status"
}
