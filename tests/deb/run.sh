#!/bin/sh
# make deb-test: the Debian package installed, run, upgraded and purged in a fresh Debian
# bookworm (debootstrap --variant=minbase; the pristine tree is cached as a tarball under
# build/deb-test/, so a second run downloads only nrm's libraries). systemd cannot run in a
# chroot: the units' Exec lines are run as their User with their Environment, EnvironmentFile,
# WorkingDirectory and UMask, under strace when there is one, and every system call and
# address family nrm used is checked against the unit's SystemCallFilter and
# RestrictAddressFamilies. Root only. Ends with "N passed, N failed".
#   DEB_MIRROR=URL   the Debian mirror (default http://deb.debian.org/debian)
set -u
cd "$(dirname "$0")/../.."
top=$PWD

[ "$(id -u)" = 0 ] || { echo "nrm: make deb-test needs root (debootstrap, chroot, mount)" >&2; exit 1; }
for t in debootstrap dpkg-buildpackage curl python3; do
	command -v $t >/dev/null 2>&1 || { echo "nrm: $t is missing (make deps)" >&2; exit 1; }
done

work=$top/build/deb-test
mirror=${DEB_MIRROR:-http://deb.debian.org/debian}
arch=$(dpkg --print-architecture)
cache=$work/bookworm-minbase-$arch.tar
root=$work/root
mkdir -p "$work"
passed=0
failed=0
server=""

ok() { passed=$((passed + 1)); echo "  ok    $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL  $1"; }
# check DESCRIPTION COMMAND...: passes when COMMAND exits 0.
check() {
	d=$1
	shift
	if "$@" >"$work/check.out" 2>&1; then ok "$d"; else bad "$d"; sed 's/^/        /' "$work/check.out" | head -n 15; fi
}
in_root() { chroot "$root" "$@"; }
# The mounts under the chroot, deepest first.
unmount_all() {
	[ -d "$root" ] || return 0
	for m in $(awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
}
stop_server() {
	[ -n "$server" ] || return 0
	# Under strace, nrm is strace's child: strace exits after it.
	if [ "$(cat /proc/$server/comm 2>/dev/null)" = strace ]; then
		for c in $(cat /proc/$server/task/*/children 2>/dev/null); do kill -TERM "$c" 2>/dev/null; done
	else
		kill -TERM "$server" 2>/dev/null
	fi
	i=0
	while [ -d /proc/$server ] && [ "$(cut -d' ' -f3 /proc/$server/stat 2>/dev/null)" != Z ] && [ $i -lt 150 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ $i -lt 150 ] || { echo "   nrm serve did not stop in 15 s after SIGTERM: killed"; kill -KILL $(cat /proc/$server/task/*/children 2>/dev/null) "$server" 2>/dev/null; }
	wait 2>/dev/null
	server=""
}
cleanup() {
	stop_server
	unmount_all
	rm -rf "$root" "$work/upgrade"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "== the packages"
sh scripts/deb.sh || { bad "make deb"; echo "$passed passed, $failed failed"; exit 1; }
ok "make deb"
ver=$(dpkg-parsechangelog -S Version)
up=$ver+upgrade1
DEB_OUT=build/deb-test/upgrade DEB_VERSION=$up sh scripts/deb.sh >"$work/upgrade.log" 2>&1 && ok "an upgrade built as $up" ||
	{ bad "an upgrade built as $up"; tail -n 20 "$work/upgrade.log"; }
deb1=$top/build/deb/nrm_${ver}_$arch.deb
deb2=$work/upgrade/nrm_${up}_$arch.deb
check "lintian: no error" lintian --fail-on error "$top/build/deb/nrm_${ver}_$arch.changes"

echo "== a clean bookworm ($mirror)"
if [ ! -f "$cache" ]; then
	echo "   debootstrap --variant=minbase bookworm (once; cached in $cache)"
	rm -rf "$work/pristine"
	if debootstrap --variant=minbase bookworm "$work/pristine" "$mirror" >"$work/debootstrap.log" 2>&1; then
		tar -C "$work/pristine" -cf "$cache.tmp" . && mv "$cache.tmp" "$cache"
	else
		tail -n 20 "$work/debootstrap.log"
	fi
	root=$work/pristine unmount_all
	rm -rf "$work/pristine"
fi
[ -f "$cache" ] || { bad "debootstrap bookworm from $mirror ($work/debootstrap.log)"; echo "$passed passed, $failed failed"; exit 1; }
unmount_all
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" -xf "$cache"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
cp "$deb1" "$deb2" "$root/tmp/"
in_root apt-get update -qq >"$work/apt.log" 2>&1 || { tail "$work/apt.log"; bad "apt-get update in the chroot"; }

apt_in() { in_root env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Options::=--force-confold "$@"; }

echo "== install"
check "apt-get install ./$(basename "$deb1")" apt_in install --no-install-recommends "/tmp/$(basename "$deb1")"
check "/usr/bin/nrm --version is $(cat VERSION)" sh -c "chroot '$root' /usr/bin/nrm --version | grep -qF '$(cat VERSION)'"
check "the manual page" test -f "$root/usr/share/man/man1/nrm.1.gz"
if [ -x "$root/usr/bin/man" ]; then check "man -w nrm" in_root man -w nrm; fi
check "/usr/share/nrm/data and web" test -f "$root/usr/share/nrm/data/labels.json" -a -f "$root/usr/share/nrm/web/index.html" -a -f "$root/usr/share/nrm/data/passwords/weak.txt"
check "the units" test -f "$root/lib/systemd/system/nrm.service" -a -f "$root/lib/systemd/system/nrm-backup.service" -a -f "$root/lib/systemd/system/nrm-backup.timer"
check "nrm.service and the timer enabled" test -L "$root/etc/systemd/system/multi-user.target.wants/nrm.service" -a -L "$root/etc/systemd/system/timers.target.wants/nrm-backup.timer"
check "/etc/nrm/nrm.conf, a conffile" sh -c "test -f '$root/etc/nrm/nrm.conf' && chroot '$root' dpkg-query -W -f='\${Conffiles}' nrm | grep -q /etc/nrm/nrm.conf"
check "README.Debian" test -f "$root/usr/share/doc/nrm/README.Debian.gz"
check "the system user nrm (home /var/lib/nrm, no shell)" sh -c "chroot '$root' getent passwd nrm | awk -F: '\$3 < 1000 && \$6 == \"/var/lib/nrm\" && \$7 == \"/usr/sbin/nologin\"' | grep -q nrm"
check "/var/lib/nrm is 700 nrm:nrm" sh -c "[ \"\$(chroot '$root' stat -c '%a %U %G' /var/lib/nrm)\" = '700 nrm nrm' ]"
check "no database made by the installation" test ! -e "$root/var/lib/nrm/nrm.db"

# as_unit UNIT LINE...: runs the unit's Exec lines of those kinds (ExecStart, ExecStartPost) in
# the chroot as its User, with its Environment=, EnvironmentFile=, WorkingDirectory= and
# UMask=, systemd's "$$" read as "$"; with a third argument "exec" the one line replaces the
# shell (the server, started in the background: server=PID, of strace when traced).
as_unit() {
	unit=$root/lib/systemd/system/$1
	kinds=$2
	mode=${3:-}
	user=$(sed -n 's/^User=//p' "$unit")
	script="umask $(sed -n 's/^UMask=//p' "$unit"); cd $(sed -n 's/^WorkingDirectory=//p' "$unit") || exit 1; set -a"
	for e in $(sed -n 's/^Environment=//p' "$unit"); do script="$script; $e"; done
	for f in $(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$unit"); do script="$script; . $f"; done
	script="$script; set +a"
	for k in $kinds; do
		while IFS= read -r line; do
			cmd=$(printf '%s' "$line" | sed 's/\$\$/$/g')
			if [ "$mode" = exec ]; then script="$script; exec $cmd"; else script="$script; $cmd || exit \$?"; fi
		done <<EOF
$(sed -n "s/^$k=//p" "$unit")
EOF
	done
	echo "$script" >"$work/as_unit.sh"
	set -- chroot "$root" setpriv --reuid="$user" --regid="$user" --init-groups --inh-caps=-all \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 /bin/sh -c "$script"
	[ -n "${TRACE:-}" ] && command -v strace >/dev/null 2>&1 && set -- strace -f -qq -e signal=none -o "$TRACE" "$@"
	if [ "$mode" = exec ]; then exec "$@"; else "$@"; fi
}
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
healthz() {
	i=0
	while [ $i -lt 300 ]; do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ] && return 0
		kill -0 "$server" 2>/dev/null || { echo "nrm serve exited"; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
	echo "no 200 from /healthz in 30 s"
	return 1
}
# start_server LOG [TRACE]
start_server() {
	TRACE=${2:-} as_unit nrm.service ExecStart exec >"$work/$1" 2>&1 &
	server=$!
}

echo "== first start (README.Debian)"
check "nrm init as nrm" in_root setpriv --reuid=nrm --regid=nrm --init-groups env -i /usr/bin/nrm init --db /var/lib/nrm/nrm.db
check "nrm.db.key is 600 nrm" sh -c "[ \"\$(chroot '$root' stat -c '%a %U' /var/lib/nrm/nrm.db.key)\" = '600 nrm' ]"
check "nrm user add admin" sh -c "echo 'Deb-test passphrase 2026' | chroot '$root' setpriv --reuid=nrm --regid=nrm --init-groups env -i /usr/bin/nrm user add --db /var/lib/nrm/nrm.db --username admin --role admin --name Admin"
sed -i "s/^NRM_OPTS=.*/NRM_OPTS=\"--listen 127.0.0.1:$port --min-free-space 1\"/" "$root/etc/nrm/nrm.conf"
key1=$(sha256sum "$root/var/lib/nrm/nrm.db.key" | cut -d' ' -f1)
start_server serve1.log "$work/serve.strace"
check "nrm.service's ExecStart as nrm: /healthz 200 on port $port" healthz
check "a login (Argon2id) answers 200" sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{\"username\":\"admin\",\"password\":\"Deb-test passphrase 2026\"}' http://127.0.0.1:$port/api/v1/session)\" = 200 ]"
check "the web UI" sh -c "curl -sf http://127.0.0.1:$port/ | grep -qi '<html'"
stop_server
check "its log (stderr, for the journal) says where it listened" grep -q "listening on http://127.0.0.1:$port" "$work/serve1.log"
check "it stops on SIGTERM" grep -q "shutting down" "$work/serve1.log"
TRACE=$work/backup.strace
check "nrm-backup.service's Exec lines as nrm" as_unit nrm-backup.service "ExecStart ExecStartPost"
TRACE=""
check "a backup in nrm.db.backups, 600" sh -c "ls '$root'/var/lib/nrm/nrm.db.backups/nrm-*.backup && [ \"\$(stat -c '%a' '$root'/var/lib/nrm/nrm.db.backups/nrm-*.backup)\" = 600 ]"

# Every system call and address family nrm used, against the unit's filters.
filter_check() {
	unit=$root/lib/systemd/system/$1
	trace=$2
	[ -s "$trace" ] || { echo "no trace"; return 1; }
	expand() {
		case "$1" in @*) ;; *) echo "$1"; return ;; esac
		systemd-analyze syscall-filter "$1" 2>/dev/null | sed -n '2,$p' | sed 's/#.*//; s/^ *//; /^$/d' | while read -r s; do
			case "$s" in @*) expand "$s" ;; *) echo "$s" ;; esac
		done
	}
	# systemd's reading: the first line an allow-list; each later line, in order, adds (or, after
	# "~", takes away) every call it names.
	: >"$work/allowed"
	sed -n 's/^SystemCallFilter=//p' "$unit" >"$work/filters"
	while IFS= read -r l; do
		: >"$work/set"
		for v in ${l#\~}; do expand "$v" >>"$work/set"; done
		sort -u "$work/set" -o "$work/set"
		case "$l" in
		~*) comm -23 "$work/allowed" "$work/set" >"$work/next" ;;
		*) sort -u "$work/allowed" "$work/set" >"$work/next" ;;
		esac
		mv "$work/next" "$work/allowed"
	done <"$work/filters"
	# The calls of /usr/bin/nrm and its threads (not those of chroot, setpriv, env, sh before it).
	awk '
		{ pid = $1; line = $0; sub(/^[0-9]+ +/, "", line)
		  if (line ~ /^<\.\.\. /) { split(line, w, " "); name = w[2] } else { name = line; sub(/\(.*/, "", name) } }
		name !~ /^[a-z_0-9]+$/ { next }
		NR == FNR {
			if (name == "execve" && line ~ /"\/usr\/bin\/nrm"/ && line !~ /= -1/) root[pid] = 1
			if ((name ~ /^(clone|clone3|fork|vfork)$/) && line ~ /= [0-9]+$/) { n = line; sub(/.*= /, "", n); parent[n] = pid }
			next
		}
		FNR == 1 { for (p in parent) { q = p; while (q in parent && !(q in root)) q = parent[q]; if (q in root) nrm[p] = 1 }
			   for (p in root) nrm[p] = 1 }
		!(pid in nrm) { next }
		# A process that became nrm counts from its execve on (not its chroot, setpriv, sh).
		(pid in root) && !(pid in started) {
			if (name == "execve" && line ~ /"\/usr\/bin\/nrm"/ && line !~ /= -1/) started[pid] = 1
			else next
		}
		{ print "call " name }
		name == "socket" && match(line, /AF_[A-Z0-9]+/) { print "family " substr(line, RSTART, RLENGTH) }
	' "$trace" "$trace" | sort -u >"$work/used"
	calls=$(grep -c '^call ' "$work/used")
	[ "$calls" -gt 20 ] || { echo "only $calls system calls found in $trace"; return 1; }
	bad_calls=$(sed -n 's/^call //p' "$work/used" | comm -23 - "$work/allowed" | tr '\n' ' ')
	families=$(sed -n 's/^RestrictAddressFamilies=//p' "$unit")
	bad_fam=""
	for f in $(sed -n 's/^family //p' "$work/used"); do
		case " $families " in *" $f "*) ;; *) bad_fam="$bad_fam $f" ;; esac
	done
	echo "$calls system calls: $(sed -n 's/^call //p' "$work/used" | tr '\n' ' ')"
	[ -z "$bad_calls" ] && [ -z "$bad_fam" ] || { echo "outside the unit's filters: $bad_calls$bad_fam"; return 1; }
}
if command -v strace >/dev/null 2>&1 && command -v systemd-analyze >/dev/null 2>&1; then
	check "nrm serve's system calls and address families within nrm.service's filters" filter_check nrm.service "$work/serve.strace"
	check "nrm backup's within nrm-backup.service's" filter_check nrm-backup.service "$work/backup.strace"
else
	echo "   (no strace or systemd-analyze here: the system-call filters are not checked)"
fi
if command -v systemd-analyze >/dev/null 2>&1; then
	# In the chroot, which has no systemd: the host's targets lent in its /run for the while.
	mkdir -p "$root/run/systemd/system"
	for u in /lib/systemd/system/*.target /lib/systemd/system/*.slice; do
		[ -e "$root/lib/systemd/system/${u##*/}" ] || cp "$u" "$root/run/systemd/system/"
	done
	check "systemd-analyze verify of the units" sh -c "systemd-analyze verify --root='$root' --man=no /lib/systemd/system/nrm.service /lib/systemd/system/nrm-backup.service /lib/systemd/system/nrm-backup.timer 2>&1 | tee /dev/stderr | grep -q . && exit 1 || exit 0"
	rm -rf "$root/run/systemd"
else
	echo "   (no systemd-analyze here: the units are not verified)"
fi

echo "== upgrade to $up"
check "apt-get install ./$(basename "$deb2")" apt_in install --no-install-recommends "/tmp/$(basename "$deb2")"
check "dpkg says $up" sh -c "[ \"\$(chroot '$root' dpkg-query -W -f='\${Version}' nrm)\" = '$up' ]"
check "the key file unchanged" sh -c "[ \"\$(sha256sum '$root/var/lib/nrm/nrm.db.key' | cut -d' ' -f1)\" = '$key1' ]"
check "the database and its admin still there" sh -c "chroot '$root' setpriv --reuid=nrm --regid=nrm --init-groups env -i /usr/bin/nrm user list --db /var/lib/nrm/nrm.db | grep -q admin"
check "the edited nrm.conf kept" grep -q "127.0.0.1:$port" "$root/etc/nrm/nrm.conf"
start_server serve2.log
check "started again: /healthz 200" healthz
stop_server

echo "== purge"
apt_in purge nrm >"$work/purge.log" 2>&1 && ok "apt-get purge nrm" || { bad "apt-get purge nrm"; tail "$work/purge.log"; }
check "it says it keeps /var/lib/nrm" grep -q "purge keeps /var/lib/nrm" "$work/purge.log"
check "the program, data, manual and units gone" sh -c "! ls -d '$root/usr/bin/nrm' '$root/usr/share/nrm' '$root/usr/share/man/man1/nrm.1.gz' '$root/lib/systemd/system/nrm.service' '$root/lib/systemd/system/nrm-backup.timer' 2>/dev/null | grep ."
check "/etc/nrm gone" test ! -e "$root/etc/nrm"
check "the units' enablement links gone" sh -c "! ls '$root'/etc/systemd/system/*/nrm* 2>/dev/null | grep ."
check "kept as README.Debian says: the database, key, backups and the user nrm" sh -c "test -f '$root/var/lib/nrm/nrm.db' -a -f '$root/var/lib/nrm/nrm.db.key' && ls '$root'/var/lib/nrm/nrm.db.backups/nrm-*.backup && chroot '$root' getent passwd nrm"
check "README.Debian says so" sh -c "grep -q 'KEEPS /var/lib/nrm' debian/README.Debian"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
