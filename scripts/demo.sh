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
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
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
printf '\nThe demo repositories are in %s\n' "$out"
