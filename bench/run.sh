#!/bin/sh
# make bench (bench/README.md). Not part of make test: it takes minutes and measures time.
#   BENCH_SCENARIOS  what to run, in order (default "scale"):
#     scale                 issue 15: every measure at each of BENCH_SIZES (bench/scale.sh)
#     paced, slow, mixed    issue 14: load and the slow-connection attack on a demo database
#                           (bench/load.sh; they run together, on one server, in the order given)
# The settings of each are described at the top of its script.
set -eu
cd "$(dirname "$0")/.."
scale=0
load=
for s in ${BENCH_SCENARIOS:-scale}; do
	case $s in
	scale) scale=1 ;;
	paced | slow | mixed) load="$load $s" ;;
	*)
		echo "bench: unknown scenario $s (scale, paced, slow, mixed)" >&2
		exit 2
		;;
	esac
done
if [ -n "$load" ]; then
	BENCH_LOAD_SCENARIOS=$load sh bench/load.sh
fi
if [ "$scale" = 1 ]; then
	sh bench/scale.sh
fi
