#!/bin/sh
# bench/scale.sh — issue 15: nrm measured from outside at each database size (bench/README.md).
# For each of BENCH_SIZES: a copy of a cached generated database, one nrm serve, wrk with a
# logged-in session for four roles beside nginx serving the same bytes, figures against the
# sqlite3 shell, import against `.import`, concurrent writes, a login storm, memory, start-up
# and bytes per case; one table per size and a growth table at the end.
#
# Settings (environment):
#   BENCH_SIZES        case counts (default "10000 100000 1000000")
#   BENCH_SEED         the generator's seed (default 1)
#   BENCH_DB_DIR       cached databases (default build/bench/db), made by bench/gen, kept
#                      between runs, keyed by size, seed and schema version
#   BENCH_WORK_DIR     where the run's copies and files go (default a new folder in build/bench/)
#   BENCH_WRK_SECONDS  length of each wrk run (default 5); BENCH_WRK_THREADS (2), BENCH_WRK_CONNS (16)
#   BENCH_DEEP         how many `next` cursors the deep list page follows (default 20)
#   BENCH_IMPORT_MAX   the largest size at which the import is measured (default 1000000)
#   BENCH_PARTS        which measures (default "http figures match writes storm import"; the size's
#                      bytes, start-up and memory always)
#   BENCH_ONLY         measure only the HTTP rows whose "who page" matches this grep pattern
#   BENCH_SERVE_OPTS   more options of nrm serve
#   BENCH_WRITE_DOC=1  also write the tables into docs/PERFORMANCE.md
#   NRM_BIN            the nrm under test (default build/nrm)
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh

NRM=${NRM_BIN:-build/nrm}
GEN=build/bench/gen
SIZES=${BENCH_SIZES:-10000 100000 1000000}
SEED=${BENCH_SEED:-1}
DB_DIR=${BENCH_DB_DIR:-build/bench/db}
WRK_SECONDS=${BENCH_WRK_SECONDS:-5}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
WRK_CONNS=${BENCH_WRK_CONNS:-16}
DEEP=${BENCH_DEEP:-20}
IMPORT_MAX=${BENCH_IMPORT_MAX:-1000000}
ONLY=${BENCH_ONLY:-}
PARTS=${BENCH_PARTS:-http figures match writes storm import}
LIMIT=50 # the web UI's page of cases (web/js/screens/cases.js)
# wrk comes from one address: the per-client limits as shipped would answer most of it 429.
# They are raised here; bench/load.sh measures them with clients from many addresses.
SERVE_OPTS="--client-rate 1000000 --client-burst 1000000 --client-requests 10000 --client-connections 10000 ${BENCH_SERVE_OPTS:-}"
STORM_PASSWORD="bench-storm-Gj3#kq9!vZ"
STORM_USERS="bench.storm1 bench.storm2 bench.storm3 bench.storm4"

bench_need "$NRM" "$GEN" wrk nginx sqlite3 curl jq python3 awk
mkdir -p "$DB_DIR"
work=${BENCH_WORK_DIR:-}
if [ -z "$work" ]; then
	mkdir -p build/bench
	work=$(mktemp -d "$PWD/build/bench/run.XXXXXX")
	own_work=1
else
	mkdir -p "$work"
	own_work=0
fi
work=$(cd "$work" && pwd)
results=$work/results.tsv
: >"$results"
cleanup() {
	bench_cleanup
	# The copies of the databases are big; the results are printed (and maybe in the doc).
	rm -rf "$work"/nrm.db* "$work"/import.db* "$work"/plain.db
	[ "$own_work" = 1 ] && rm -rf "$work"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

schema=$(sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9]*\).*/\1/p' src/store/schema.h)
[ -n "$schema" ] || bench_die "cannot read STORE_SCHEMA_VERSION from src/store/schema.h"

# Writes a result: size, section, name, value...
want() {
	case " $PARTS " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

put() {
	printf '%s' "$1" >>"$results"
	shift
	for v in "$@"; do
		printf '\t%s' "$v" >>"$results"
	done
	printf '\n' >>"$results"
}

# ---- databases ----

# The base every database starts from: the demo's organisation and users without cases, and
# four accounts with a full-cost password (the login storm's).
base_db() {
	f=$DB_DIR/base-v$schema.db
	if [ ! -s "$f" ]; then
		rm -f "$f.part" "$f.part.key"
		"$NRM" init --db "$f.part" --demo --no-demo-cases >/dev/null || bench_die "nrm init failed"
		for u in $STORM_USERS; do
			printf '%s\n' "$STORM_PASSWORD" | "$NRM" user add --db "$f.part" --username "$u" \
				--role county_secretariat --county fier --name "Bench $u" >/dev/null ||
				bench_die "nrm user add $u failed"
		done
		mv "$f.part.key" "$f.key"
		mv "$f.part" "$f"
	fi
	echo "$f"
}

# A CSV of N cases in the layout `nrm import cases` reads, for the import measurement.
import_csv() {
	f=$work/import-$1.csv
	"$GEN" --csv "$f" --cases "$1" --seed "$SEED" >/dev/null || bench_die "bench/gen --csv failed"
	echo "$f"
}

# The cached database of N cases, made once by bench/gen.
size_db() {
	n=$1
	f=$DB_DIR/gen-$n-s$SEED-v$schema.db
	if [ -s "$f" ]; then
		echo "$f"
		return
	fi
	base=$(base_db)
	rm -f "$f.part" "$f.part.key" "$f.part-wal" "$f.part-shm"
	cp "$base" "$f.part"
	cp "$base.key" "$f.part.key"
	echo "bench: generating $n cases (seed $SEED) into $f" >&2
	t0=$(bench_now_ms)
	"$GEN" --db "$f.part" --cases "$n" --seed "$SEED" >"$work/gen.out" || bench_die "bench/gen failed"
	echo "bench: $(cat "$work/gen.out") in $(( ($(bench_now_ms) - t0) / 1000 )) s" >&2
	sqlite3 "$f.part" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	mv "$f.part.key" "$f.key"
	mv "$f.part" "$f"
	echo "$f"
}

# ---- the server and nginx ----

pid=
port=
start_server() {
	log=$work/serve.log
	: >"$log"
	t0=$(bench_now_ms)
	# shellcheck disable=SC2086
	bench_spawn "$NRM" serve --db "$work/nrm.db" --listen 127.0.0.1:0 $SERVE_OPTS 2>"$log"
	pid=$bench_spawned
	port=
	i=0
	while [ $i -lt 3000 ]; do
		if [ -z "$port" ]; then
			port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -n 1)
		fi
		if [ -n "$port" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ]; then
			break
		fi
		kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; bench_die "nrm serve stopped at start"; }
		sleep 0.01
		i=$((i + 1))
	done
	[ -n "$port" ] || { cat "$log" >&2; bench_die "nrm serve did not start"; }
	startup_ms=$(($(bench_now_ms) - t0))
}

nginx_port=
start_nginx() {
	nd=$work/nginx
	rm -rf "$nd"
	mkdir -p "$nd/www" "$nd/tmp" "$nd/logs"
	nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	# As an operator would set it up for static files on this machine: a worker per core,
	# keep-alive, sendfile, no access log (nrm writes its own to the serve log, as in
	# production: a cost nginx is spared here).
	# Started as root, nginx's workers would run as nobody, who cannot enter the private run
	# folder (mktemp -d is 0700): they run as whoever runs the bench.
	user=""
	[ "$(id -u)" -eq 0 ] && user="user root;"
	cat >"$nd/nginx.conf" <<EOF
$user
worker_processes auto;
daemon off;
pid $nd/nginx.pid;
error_log $nd/logs/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $nd/tmp/body;
	proxy_temp_path $nd/tmp/proxy;
	fastcgi_temp_path $nd/tmp/fastcgi;
	uwsgi_temp_path $nd/tmp/uwsgi;
	scgi_temp_path $nd/tmp/scgi;
	default_type application/json;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	keepalive_timeout 75s;
	server {
		listen 127.0.0.1:$nginx_port;
		root $nd/www;
	}
}
EOF
	bench_spawn nginx -e "$nd/logs/error.log" -p "$nd" -c "$nd/nginx.conf"
	nginx_pid=$bench_spawned
	echo ok >"$nd/www/ping"
	i=0
	until [ "$(curl -s "http://127.0.0.1:$nginx_port/ping" 2>/dev/null)" = ok ]; do
		kill -0 "$nginx_pid" 2>/dev/null || { cat "$nd/logs/error.log" >&2; bench_die "nginx did not start"; }
		[ $i -lt 500 ] || bench_die "nginx did not answer"
		sleep 0.01
		i=$((i + 1))
	done
}

# ---- sessions and pages ----

# Logs ROLE (a demo user, password "demo") in: $work/ROLE.cookie and $work/ROLE.csrf.
login() {
	code=$(curl -s -o "$work/login.json" -D "$work/login.head" -w '%{http_code}' -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"demo\"}" "http://127.0.0.1:$port/api/v1/session")
	[ "$code" = 200 ] || bench_die "cannot log in as $1 (HTTP $code)"
	sed -n 's/^[Ss]et-[Cc]ookie: nrm_session=\([^;]*\).*/\1/p' "$work/login.head" | tr -d '\r' >"$work/$1.cookie"
	jq -r .csrf "$work/login.json" >"$work/$1.csrf"
	[ -s "$work/$1.cookie" ] || bench_die "no session cookie for $1"
}

# api ROLE METHOD PATH [BODY]: the answer in $work/body, the status printed.
api() {
	if [ -n "${4:-}" ]; then
		curl -s -o "$work/body" -w '%{http_code}' -X "$2" -H "Cookie: nrm_session=$(cat "$work/$1.cookie")" \
			-H "X-CSRF-Token: $(cat "$work/$1.csrf")" -H 'Content-Type: application/json' -d "$4" \
			"http://127.0.0.1:$port$3"
	else
		curl -s -o "$work/body" -w '%{http_code}' -X "$2" -H "Cookie: nrm_session=$(cat "$work/$1.cookie")" \
			"http://127.0.0.1:$port$3"
	fi
}

# get ROLE PATH: the answer in $work/body; a status other than 200 stops the run.
get() {
	s=$(api "$1" GET "$2")
	[ "$s" = 200 ] || { head -c 400 "$work/body" >&2; echo >&2; bench_die "GET $2 as $1: HTTP $s"; }
}

# wrk_run THREADS CONNS URL [wrk options]: one wrk run; sets rps, p50, p99, reqs, errs. A slow
# answer is waited for (up to 30 s), so that it counts in the latencies, not as an error.
wrk_run() {
	t=$1 c=$2 url=$3
	shift 3
	wrk -t"$t" -c"$c" -d"${WRK_SECONDS}s" --timeout 30s "$@" "$url" >"$work/wrk.out" 2>&1 ||
		{ cat "$work/wrk.out" >&2; bench_die "wrk failed on $url"; }
	wrk_result "$work/wrk.out" "$url"
}

# Reads the line bench/wrk/report.lua printed into FILE.
wrk_result() {
	sed -n 's/^wrk\t//p' "$1" | tr '\t' ' ' >"$work/wrk.line"
	read -r rps p50 p99 _ errs <"$work/wrk.line" || true
	[ -n "${errs:-}" ] || { cat "$1" >&2; bench_die "wrk printed no result for $2"; }
}

# measure SIZE ROLE LABEL PATH: wrk on nrm with ROLE's session, then on nginx serving the same
# bytes with the same settings; one row of the size's table.
row=0
measure() {
	n=$1 role=$2 label=$3 path=$4
	if [ -n "$ONLY" ] && ! echo "$role $label" | grep -q -- "$ONLY"; then
		return
	fi
	get "$role" "$path"
	bytes=$(wc -c <"$work/body")
	items=$(jq -r 'if type == "object" and has("items") then (.items | length | tostring) else "" end' "$work/body")
	row=$((row + 1))
	cp "$work/body" "$work/nginx/www/$row.json"
	session "$role"
	wrk_run "$WRK_THREADS" "$WRK_CONNS" "http://127.0.0.1:$port$path" -s bench/wrk/session.lua
	a_rps=$rps a_p50=$p50 a_p99=$p99 a_errs=$errs
	wrk_run "$WRK_THREADS" "$WRK_CONNS" "http://127.0.0.1:$nginx_port/$row.json" -s bench/wrk/report.lua
	nrps=$rps np99=$p99
	rps=$a_rps p50=$a_p50 p99=$a_p99 errs=$a_errs
	pct=$(awk -v a="$rps" -v b="$nrps" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')
	put "$n" http "$role" "$label" "$items" "$bytes" "$rps" "$p50" "$p99" "$errs" "$nrps" "$np99" "$pct"
	echo "bench: $n $role $label: $rps req/s, p99 $p99 ms ($pct% of nginx)" >&2
}

# The session of ROLE for bench/wrk/*.lua.
session() {
	BENCH_COOKIE=$(cat "$work/$1.cookie")
	BENCH_CSRF=$(cat "$work/$1.csrf")
	export BENCH_COOKIE BENCH_CSRF
}

# ---- one size ----

run_size() {
	n=$1
	db=$(size_db "$n")
	cp "$db" "$work/nrm.db"
	cp "$db.key" "$work/nrm.db.key"
	cases=$(sqlite3 "$work/nrm.db" 'SELECT count(*) FROM cases')
	put "$n" info cases "$cases"

	# Bytes per case: the file's pages in use less the base's (the demo's organisation and
	# users), and that without the sealed personal data (case_personal and its indexes).
	sqlite3 "$work/nrm.db" "SELECT (SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM pragma_freelist_count),
		(SELECT page_size FROM pragma_page_size),
		(SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN
			(SELECT name FROM sqlite_master WHERE tbl_name IN ('case_personal')))" | tr '|' ' ' >"$work/bytes"
	read -r pages psize personal <"$work/bytes"
	base=$(base_db)
	total=$((pages * psize - $(sqlite3 "$base" 'PRAGMA page_count') * $(sqlite3 "$base" 'PRAGMA page_size')))
	put "$n" measure "database bytes per case (beyond the base without cases)" "$((total / cases))"
	put "$n" measure "database bytes per case beyond personal data" "$(((total - personal) / cases))"

	start_server
	put "$n" measure "start-up ms (to /healthz answering)" "$startup_ms"
	for r in authority.secretariat fier.caseworker tirane.ngo fier.secretariat; do
		login "$r"
	done
	put "$n" measure "RSS idle MB" "$(($(bench_rss_kb "$pid") / 1024))"
	start_nginx

	# The figures first: their first request is the one that counts a year (then kept).
	if want figures; then
		figures_vs_sqlite "$n"
	fi
	if want http; then
		http_pages "$n"
	fi
	if want match; then
		match_one "$n"
	fi
	if want writes; then
		writes "$n"
	fi
	if want storm; then
		storm "$n"
	fi
	put "$n" measure "RSS peak MB (VmHWM, after everything above)" "$(($(bench_rss_kb "$pid" peak) / 1024))"
	bench_stop "$pid"
	bench_stop "$nginx_pid"
	if want import && [ "$n" -le "$IMPORT_MAX" ]; then
		import_vs_sqlite "$n"
	fi
	rm -rf "$work"/nrm.db*
}

# The pages of each role: lists, a case, home, figures, a meeting, a report draft.
http_pages() {
	n=$1
	for r in authority.secretariat fier.caseworker tirane.ngo fier.secretariat; do
		list="/api/v1/cases?limit=$LIMIT"
		measure "$n" "$r" "cases, first page" "$list"
		measure "$n" "$r" "cases, children" "$list&child=true"
		measure "$n" "$r" "cases, filter matching nothing" "$list&exploitation=Surrogacy&child=false&county=kukes"
		get "$r" "$list"
		# A case page: a case in the middle of the role's first page.
		code=$(jq -r '.items[(.items | length) / 2 | floor].code // empty' "$work/body")
		k=0
		after=$(jq -r '.next // empty' "$work/body")
		deep=$list
		# The deep page: BENCH_DEEP cursors on, or the last page that has cases.
		while [ -n "$after" ] && [ $k -lt "$DEEP" ]; do
			get "$r" "$list&after=$after"
			[ "$(jq '.items | length' "$work/body")" -gt 0 ] || break
			deep="$list&after=$after"
			after=$(jq -r '.next // empty' "$work/body")
			k=$((k + 1))
		done
		[ $k -gt 0 ] && measure "$n" "$r" "cases, page $((k + 1)) (by cursors)" "$deep"
		[ -n "$code" ] && measure "$n" "$r" "case page" "/api/v1/cases/$code"
		measure "$n" "$r" "home" /api/v1/home
	done
	measure "$n" authority.secretariat "figures 2025" "/api/v1/stats/figures?period=2025"
	measure "$n" fier.secretariat "figures 2025, Fier" "/api/v1/stats/figures?period=2025&county=fier"
	meeting_and_report "$n"
}

# The meeting page and a report draft of Fier's KRAT, made if the database has none.
meeting_and_report() {
	n=$1
	get fier.secretariat "/api/v1/bodies?kind=krat&county=fier"
	body=$(jq -r '.items[0].id' "$work/body")
	get fier.secretariat "/api/v1/bodies/$body/meetings"
	meeting=$(jq -r '.items[0].id // empty' "$work/body")
	if [ -z "$meeting" ]; then
		s=$(api fier.secretariat POST "/api/v1/bodies/$body/meetings" '{"date":"2026-06-10","time":"10:00","title":"Mbledhja e KRAT"}')
		[ "$s" = 201 ] || bench_die "cannot schedule a meeting (HTTP $s): $(head -c 300 "$work/body")"
		meeting=$(jq -r .id "$work/body")
	fi
	measure "$n" fier.secretariat "meeting page" "/api/v1/meetings/$meeting"
	get fier.secretariat "/api/v1/reports?county=fier"
	report=$(jq -r '.items[0].id // empty' "$work/body")
	if [ -z "$report" ]; then
		s=$(api fier.secretariat POST /api/v1/reports '{"type":"krat-annual","scope":"fier","period":"2025"}')
		[ "$s" = 201 ] || bench_die "cannot draft a report (HTTP $s): $(head -c 300 "$work/body")"
		report=$(jq -r .id "$work/body")
	fi
	measure "$n" fier.secretariat "report draft" "/api/v1/reports/$report"
}

# Approximate matching (issue 16): the Authority re-checks one case, which compares it with
# every stored encoding of its blocks (its sex and the unknown one, three birth years) —
# about 2.5% of a million. The time of the whole request as curl measures it: median and
# worst of the 21 newest cases.
match_one() {
	n=$1
	encodings=$(sqlite3 "$work/nrm.db" 'SELECT count(*) FROM case_match')
	put "$n" info "match: encodings stored" "$encodings"
	[ "$encodings" -gt 0 ] || return 0
	get authority.secretariat "/api/v1/cases?limit=21"
	jq -r '.items[].code' "$work/body" >"$work/match.codes"
	: >"$work/match.ms"
	while read -r code; do
		t=$(curl -s -o /dev/null -w '%{time_total}' -X POST -H "Cookie: nrm_session=$(cat "$work/authority.secretariat.cookie")" \
			-H "X-CSRF-Token: $(cat "$work/authority.secretariat.csrf")" "http://127.0.0.1:$port/api/v1/cases/$code/dedup")
		awk -v t="$t" 'BEGIN { printf "%.1f\n", t * 1000 }' >>"$work/match.ms"
	done <"$work/match.codes"
	sort -n "$work/match.ms" | awk '{ v[NR] = $1 } END { printf "%s %s\n", v[int((NR + 1) / 2)], v[NR] }' >"$work/match.sum"
	read -r med worst <"$work/match.sum"
	put "$n" measure "match: one case re-checked against the stored encodings, median ms / worst ms" "$med / $worst"
}

# A year's figures and standard tables through the API (as the Authority), each against its
# plain-SQL equivalent in the sqlite3 shell on the same file (bench/figures.sql, part C's: one
# query per measured figure, each preceded by a one-row SELECT of its name).
figures_vs_sqlite() {
	n=$1
	# The shell's own timer, per named query: the best of three runs.
	# Lines "RUN NAME MS"; the API's figures are the three figures_* queries together.
	for r in 1 2 3; do
		sqlite3 -readonly -cmd ".parameter set :first \"'2025-01-01'\"" -cmd ".parameter set :last \"'2025-12-31'\"" \
			-cmd '.timer on' "$work/nrm.db" ".read bench/figures.sql" |
			awk -v r="$r" '/^[a-z_]+$/ { name = $1 } /^Run Time: real/ { t[name] += $4 }
				END { for (k in t) { printf "%s %s %.0f\n", r, k, t[k] * 1000; if (k ~ /^figures_/) f += t[k] }
					printf "%s figures %.0f\n", r, f * 1000 }'
	done >"$work/sql.times" || bench_die "sqlite3 failed on bench/figures.sql"
	for f in figures national_annual eurostat by_county; do
		if [ "$f" = figures ]; then
			path="/api/v1/stats/figures?period=2025"
		else
			path="/api/v1/stats/tables/$f?period=2025"
		fi
		sql_ms=$(awk -v f="$f" '$2 == f && (m == "" || $3 < m) { m = $3 } END { print m }' "$work/sql.times")
		[ -n "$sql_ms" ] || bench_die "bench/figures.sql has no query named $f"
		# The API's time as curl measures it (request sent to answer read). The first request
		# counts the year and keeps its grids (schema 18); the best of the next three reads them.
		api_ms=
		first_ms=
		for _ in 1 2 3 4; do
			t=$(curl -sf -o /dev/null -w '%{time_total}' -H "Cookie: nrm_session=$(cat "$work/authority.secretariat.cookie")" \
				"http://127.0.0.1:$port$path") || bench_die "GET $path failed"
			t=$(awk -v t="$t" 'BEGIN { printf "%.0f", t * 1000 }')
			if [ -z "$first_ms" ]; then first_ms=$t; continue; fi
			if [ -z "$api_ms" ] || [ "$t" -lt "$api_ms" ]; then api_ms=$t; fi
		done
		put "$n" measure "figures 2025, $f: first request ms (counted, then kept) / plain SQL ms (ratio)" \
			"$first_ms / $sql_ms ($(awk -v a="$first_ms" -v b="$sql_ms" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }')×)"
		put "$n" measure "figures 2025, $f: API ms (kept) / plain SQL ms (ratio)" \
			"$api_ms / $sql_ms ($(awk -v a="$api_ms" -v b="$sql_ms" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }')×)"
	done
}

# Concurrent creates (a new case each) and updates (a field of existing cases, each
# connection its own cases) by Fier's case worker.
writes() {
	n=$1
	get fier.caseworker /api/v1/session
	inst=$(jq -r .user.institution "$work/body")
	cat >"$work/create.json" <<EOF
{"fields":{"al_identifying_institution":$inst,"prs_FirstName":"Bench","prs_SecondName":"Load","prs_Gender":"Feminine","prs_Birthdate":"2001-03-04",
"al_identification_date":"2026-10-01","al_identification_method":"police","al_county":"fier",
"al_municipality":"patos","al_indicators_a":["A01"],"al_indicators_c":["C01"],"vic_TypeOfExploitation":["ForcedBegging"]}}
EOF
	# Cases it holds and has not closed: those it may edit (it also sees cases referred to it).
	# Enough that no two connections write one case at once: 8 a connection, or fewer connections.
	: >"$work/update.cases"
	after=
	k=0
	while [ $k -lt 40 ] && [ "$(wc -l <"$work/update.cases")" -lt $((8 * WRK_CONNS)) ]; do
		get fier.caseworker "/api/v1/cases?limit=500${after:+&after=$after}"
		jq -r --argjson inst "$inst" '.items[] | select(.holder == $inst and .stage != "closed") |
			"\(.code) \(.version)"' "$work/body" >>"$work/update.cases"
		after=$(jq -r '.next // empty' "$work/body")
		[ -n "$after" ] || break
		k=$((k + 1))
	done
	held=$(wc -l <"$work/update.cases")
	[ "$held" -ge "$WRK_THREADS" ] || bench_die "Fier's case worker holds too few open cases to update ($held)"
	# A thread with one connection writes its cases one after the other: never two at once.
	upd_conns=$((held / 8 < WRK_CONNS ? held / 8 : WRK_CONNS))
	[ "$upd_conns" -ge "$WRK_THREADS" ] || upd_conns=$WRK_THREADS
	session fier.caseworker
	BENCH_METHOD=POST BENCH_BODY=$work/create.json
	export BENCH_METHOD BENCH_BODY
	wrk_run "$WRK_THREADS" "$WRK_CONNS" "http://127.0.0.1:$port/api/v1/cases" -s bench/wrk/session.lua
	unset BENCH_METHOD BENCH_BODY
	put "$n" measure "case creates/s" "$rps"
	put "$n" measure "case creates: errors" "$errs"
	put "$n" measure "case creates: p99 ms" "$p99"
	BENCH_CASES=$work/update.cases BENCH_THREADS=$WRK_THREADS
	export BENCH_CASES BENCH_THREADS
	wrk_run "$WRK_THREADS" "$upd_conns" "http://127.0.0.1:$port/" -s bench/wrk/update.lua
	unset BENCH_CASES BENCH_THREADS
	put "$n" measure "case updates: connections, cases they write" "$upd_conns, $held"
	put "$n" measure "case updates/s" "$rps"
	put "$n" measure "case updates: errors" "$errs"
	put "$n" measure "case updates: p99 ms" "$p99"
}

# Readers (a case page, 2 connections) alone, then during a storm of logins of accounts with
# a full-cost Argon2id hash (4 connections logging in again and again).
storm() {
	n=$1
	get fier.caseworker "/api/v1/cases?limit=$LIMIT"
	code=$(jq -r '.items[0].code' "$work/body")
	url=http://127.0.0.1:$port/api/v1/cases/$code
	session fier.caseworker
	wrk_run 1 2 "$url" -s bench/wrk/session.lua
	put "$n" measure "readers' p99 ms, alone (case page, 2 connections)" "$p99"
	# At least 10 s: a login takes seconds while readers keep the cores busy.
	storm_s=$((WRK_SECONDS < 10 ? 10 : WRK_SECONDS))
	BENCH_STORM_USERS=$STORM_USERS BENCH_STORM_PASSWORD=$STORM_PASSWORD \
		wrk -t1 -c4 -d"${storm_s}s" --timeout 30s -s bench/wrk/login.lua "http://127.0.0.1:$port/api/v1/session" \
		>"$work/storm.out" 2>&1 &
	storm_pid=$!
	wrk -t1 -c2 -d"${storm_s}s" --timeout 30s -s bench/wrk/session.lua "$url" >"$work/wrk.out" 2>&1 ||
		{ cat "$work/wrk.out" >&2; bench_die "wrk failed on $url"; }
	wrk_result "$work/wrk.out" "$url"
	put "$n" measure "readers' p99 ms, during a login storm (4 connections)" "$p99"
	wait "$storm_pid" || { cat "$work/storm.out" >&2; bench_die "the login storm's wrk failed"; }
	wrk_result "$work/storm.out" "the login storm"
	put "$n" measure "login storm: logins/s" "$rps"
	put "$n" measure "login storm: errors (503 busy and others)" "$errs"
}

# `nrm import` of an N-row CSV into the base database, against the sqlite3 shell's `.import`
# of the same file into a plain table.
import_vs_sqlite() {
	n=$1
	csv=$(import_csv "$n")
	base=$(base_db)
	cp "$base" "$work/import.db"
	cp "$base.key" "$work/import.db.key"
	t0=$(bench_now_ms)
	# As the Authority, for Fier's police: the rows hold every stage, and a case worker may not
	# register a case straight into some of them.
	inst=$(sqlite3 "$work/import.db" "SELECT institution_id FROM users WHERE username = 'fier.caseworker'")
	"$NRM" import cases "$csv" --db "$work/import.db" --as authority.secretariat --institution "$inst" \
		>/dev/null 2>"$work/import.err" ||
		{ head -n 20 "$work/import.err" >&2; bench_die "nrm import of $n rows failed"; }
	nrm_ms=$(($(bench_now_ms) - t0))
	rm -f "$work/plain.db"
	t0=$(bench_now_ms)
	sqlite3 "$work/plain.db" ".mode csv" ".import '$csv' cases" || bench_die "sqlite3 .import failed"
	sql_ms=$(($(bench_now_ms) - t0))
	rows=$(sqlite3 "$work/plain.db" 'SELECT count(*) FROM cases')
	[ "$rows" = "$n" ] || bench_die "sqlite3 .import read $rows rows of $n"
	put "$n" measure "import: nrm import rows/s" "$(awk -v n="$n" -v t="$nrm_ms" 'BEGIN { printf "%.0f", n * 1000 / (t > 0 ? t : 1) }')"
	put "$n" measure "import: sqlite3 .import rows/s" "$(awk -v n="$n" -v t="$sql_ms" 'BEGIN { printf "%.0f", n * 1000 / (t > 0 ? t : 1) }')"
	put "$n" measure "import: nrm / .import (time)" "$(awk -v a="$nrm_ms" -v b="$sql_ms" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 1) }')"
	rm -rf "$work"/import.db* "$work/plain.db" "$csv"
}

for n in $SIZES; do
	case $n in
	*[!0-9]* | '') bench_die "BENCH_SIZES: $n is not a number" ;;
	esac
	run_size "$n"
done

# ---- the tables ----
machine=$work/machine.txt
{
	echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "nrm: $(cat VERSION) ($(git rev-parse --short HEAD 2>/dev/null || echo '?')), schema $schema"
	echo "kernel: $(uname -sr)"
	lscpu | sed -n 's/^\(Model name\|CPU(s)\|Thread(s) per core\|CPU max MHz\|L3 cache\):[[:space:]]*/\1: /p'
	free -g | awk 'NR == 2 { print "memory: " $2 " GB" }'
	echo "wrk: -t$WRK_THREADS -c$WRK_CONNS -d${WRK_SECONDS}s on loopback; nginx $(nginx -v 2>&1 | sed 's/.*\///')," \
		"$(nproc) workers, the same bytes as each nrm answer from a static file"
	echo "nrm serve $SERVE_OPTS"
	echo "run: BENCH_SIZES=\"$SIZES\" at nice $(nice); the load average at its end $(cut -d' ' -f1-3 /proc/loadavg) (others' work included)"
	echo "databases: bench/gen, seed $SEED"
} >"$machine"
python3 bench/tables.py "$results" "$machine" ${BENCH_WRITE_DOC:+--doc docs/PERFORMANCE.md}
