#!/bin/sh
# make deb: the Debian package of nrm (debian/, dpkg-buildpackage -b) into build/deb/.
# dpkg-buildpackage builds in the tree it is given and writes beside it; so it is given a copy
# (the files git knows and the new ones it does not ignore, as they are now) under
# build/deb/src/, and neither the tree nor its parent gets a file. Then lintian, if installed.
#   DEB_OUT=DIR          where the packages go (default build/deb)
#   DEB_VERSION=V        build as version V (a changelog entry added in the copy; tests/deb)
#   DEB_JOBS=N           parallel jobs (default: the cores)
set -eu
cd "$(dirname "$0")/.."

out=${DEB_OUT:-build/deb}
jobs=${DEB_JOBS:-$(nproc 2>/dev/null || echo 1)}
ver=$(cat VERSION)
for t in dpkg-buildpackage dh dpkg-parsechangelog; do
	command -v $t >/dev/null 2>&1 || { echo "nrm: $t is missing (make deps installs debhelper and dpkg-dev)" >&2; exit 1; }
done
debver=$(dpkg-parsechangelog -S Version)
case "$debver" in
"$ver"-*) ;;
*)
	echo "nrm: debian/changelog is at $debver but VERSION says $ver: add an entry for $ver-1" >&2
	exit 1
	;;
esac

src=$out/src/nrm-$ver
rm -rf "$out/src"
mkdir -p "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf - | tar -C "$src" -xf -
else
	tar --exclude=./build --exclude=./.git -cf - . | tar -C "$src" -xf -
fi

if [ -n "${DEB_VERSION:-}" ]; then
	{
		printf 'nrm (%s) unstable; urgency=medium\n\n  * Built as %s by scripts/deb.sh.\n\n' "$DEB_VERSION" "$DEB_VERSION"
		printf ' -- %s  %s\n\n' "$(dpkg-parsechangelog -S Maintainer)" "$(date -R)"
		cat debian/changelog
	} >"$src/debian/changelog"
	debver=$DEB_VERSION
fi

echo "nrm: dpkg-buildpackage -b -us -uc -J$jobs of nrm $debver"
(cd "$src" && dpkg-buildpackage -b -us -uc -J"$jobs") >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	echo "nrm: the package did not build (the whole log: $out/build.log)" >&2
	exit 1
}
arch=$(dpkg --print-architecture)
base=nrm_${debver}_$arch
rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mv "$out/src/$base.changes" "$out/src/$base.buildinfo" "$out"/src/*.deb "$out/"
rm -rf "$out/src"
ls -l "$out"/*.deb | sed 's/^/  /'

if command -v lintian >/dev/null 2>&1; then
	lintian --info "$out/$base.changes" >"$out/lintian.txt" 2>&1 || true
	grep -E '^[EWI]:' "$out/lintian.txt" | sed 's/^/  lintian /' || true
	echo "nrm: lintian: $(grep -c '^E:' "$out/lintian.txt") errors, $(grep -c '^W:' "$out/lintian.txt") warnings ($out/lintian.txt)"
fi
echo "nrm: $out/$base.deb"
