#!/bin/sh
# make demo: build a small Xen-shaped upstream history, then run
# secport init -> scan -> list -> show on it, as a maintainer would.
# With XEN_REPO pointing at a clone of xen-project/xen, run on that too.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
secport="$top/secport"
out=${DEMO_DIR:-$top/demo-out}
rm -rf "$out"
mkdir -p "$out"
if [ -t 1 ]; then
	say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
else
	say() { printf '\n$ %s\n' "$*"; }
fi
run() { say "$*"; "$@"; }

sh "$top/scripts/mkhistory.sh" "$out/upstream" >/dev/null 2>&1
say "git -C upstream log --oneline --graph --all"
git -C "$out/upstream" log --oneline --graph --all --decorate=short
cd "$out"
run "$secport" init patches
cd patches
run "$secport" scan ../upstream
run "$secport" list
run "$secport" show XSA-101
run "$secport" show CVE-2026-1002
say "head -12 advisories/XSA-101/0001-*.patch"
head -12 advisories/XSA-101/0001-*.patch
run "$secport" matrix
run "$secport" affected XSA-102

# a vendor tree: the RELEASE-1.1.1 tarball, drifted by a local change
mkdir -p "$out/vendor-1.1.1/xen"
git -C "$out/upstream" archive RELEASE-1.1.1 | tar -x -C "$out/vendor-1.1.1"
printf 'export XEN_VERSION       = 1\nexport XEN_SUBVERSION    = 1\nexport XEN_EXTRAVERSION ?= .1\n' \
	>"$out/vendor-1.1.1/xen/Makefile"
sed -i '1i /* vendor: local tuning */' "$out/vendor-1.1.1/xen/common/grant.c"
run "$secport" status --tree ../vendor-1.1.1 || true
run "$secport" apply --tree ../vendor-1.1.1 --needed --series ../vendor-series
say "cat ../vendor-series/series"
cat ../vendor-series/series
run "$secport" status --tree ../vendor-1.1.1
run "$secport" export --format osv -o ../osv
run "$secport" report -o ../report
if [ -n "${XEN_REPO:-}" ]; then
	cd "$out"
	run "$secport" init xen-patches
	cd xen-patches
	say "time secport scan \$XEN_REPO"
	start=$(date +%s.%N)
	"$secport" scan "$XEN_REPO"
	echo "took $(echo "$(date +%s.%N) - $start" | bc 2>/dev/null || echo '?') s"
	run "$secport" show XSA-450
	say "secport list | tail -5"
	"$secport" list | tail -5
else
	printf '\n(set XEN_REPO to a clone of xen-project/xen to run on the real history)\n'
fi
printf '\nThe demo repositories are in %s (the report: %s/report/index.html)\n' "$out" "$out"
