#!/bin/sh
# Installs what nrm needs and is missing: the Debian packages of deps/debian.txt
# and the browser-test npm packages pinned in tests/ui/package-lock.json.
set -eu
cd "$(dirname "$0")/.."

missing=""
for p in $(grep -v '^#' deps/debian.txt); do
	# Node.js may come from elsewhere (e.g. a nodesource build that bundles npm): a working
	# command is enough for these two.
	case "$p" in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "nrm: missing Debian packages:$missing (run as root, or install them)" >&2
		exit 1
	fi
	echo "nrm: installing$missing"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# Again when the lock file names other packages than those installed (npm keeps what it
# installed in node_modules/.package-lock.json).
if [ "${1:-}" = "--ui" ] && { [ ! -d tests/ui/node_modules ] ||
	! node -e 'const r = (f) => { const p = { ...require(f).packages }; delete p[""]; return JSON.stringify(p); }; process.exit(r("./tests/ui/package-lock.json") === r("./tests/ui/node_modules/.package-lock.json") ? 0 : 1)' 2>/dev/null; }; then
	(cd tests/ui && npm ci --no-audit --no-fund --loglevel=error)
fi
