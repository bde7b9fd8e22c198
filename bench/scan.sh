#!/bin/sh
# bench/scan.sh: secport scan on the Xen history (XEN_REPO; skipped when
# unset) against git doing the same work, in the same run.  Each figure is
# the median of BENCH_RUNS (default 3) runs.
#
# Each is measured without and then with a commit-graph file (git gc
# writes one by default), which both git and secport use.
#
#   walk:   secport's history walk and extraction (the "walked" trace
#           line) vs git log --all --format=%H%x00%P%x00%B           goal <= 1.2x
#   first:  a whole first scan, records and patches written, vs that git
#           log plus one git show --format=email of every fix commit goal <= 1.0x
#   rescan: a rescan after 100 new commits                goal <= 0.1 s + O(new)
#
# The benchmark scans a --shared bare clone of XEN_REPO (objects borrowed,
# nothing written into XEN_REPO).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
secport=${SECPORT:-$root/secport}
runs=${BENCH_RUNS:-3}
if [ -z "${XEN_REPO:-}" ]; then
	echo "scan: skipped (set XEN_REPO to a clone of xen-project/xen)"
	exit 0
fi
export LC_ALL=C
work=$(mktemp -d "${TMPDIR:-/tmp}/secport-bench-scan.XXXXXX")
trap 'rm -rf "$work"' EXIT
git clone -q --bare --shared "$XEN_REPO" "$work/xen.git"
src=$work/xen.git

now() { date +%s.%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }

measure() { # [DIR: where the patch repositories go, default $work]
	# first scans: total time, and the walk time from the trace
	# Each run scans into a new repository, and none is removed before
	# the end: a file system may make creating files slow for a while
	# after many were deleted (ext4 without a journal passes over inodes
	# freed in the last minute), which is no cost of the scan.
	rdir=${1:-$work}
	mkdir -p "$rdir"
	: >"$work/first"; : >"$work/walk"
	for i in $(seq "$runs"); do
		[ -d "$work/r" ] && mv "$work/r" "$work/old.$(date +%s%N)"
		"$secport" init "$rdir/r.$i" >/dev/null
		ln -s "$rdir/r.$i" "$work/r"
		t0=$(now)
		(cd "$work/r" && SECPORT_TRACE=1 "$secport" scan -q "$src" 2>"$work/trace")
		t1=$(now)
		awk "BEGIN { print $t1 - $t0 }" >>"$work/first"
		sed -n 's/^trace: *\([0-9.]*\) s scan: walked.*/\1/p' "$work/trace" >>"$work/walk"
	done
	commits=$(sed -n 's/.*scan: walked \([0-9]*\) commits/\1/p' "$work/trace")
	awk '/^Fixed-By:/ { print $2; f = 1; next } /^[A-Z]/ { f = 0 } f && /^ / { print $1 }' \
		"$work"/r/advisories/*/record | sort -u >"$work/fixes"
	nfix=$(wc -l <"$work/fixes")

	: >"$work/gitlog"; : >"$work/gitall"
	for i in $(seq "$runs"); do
		t0=$(now)
		git --git-dir="$src" log --all --format=%H%x00%P%x00%B >/dev/null
		t1=$(now)
		xargs git --git-dir="$src" show --format=email <"$work/fixes" >/dev/null
		t2=$(now)
		awk "BEGIN { print $t1 - $t0 }" >>"$work/gitlog"
		awk "BEGIN { print $t2 - $t0 }" >>"$work/gitall"
	done
	walk=$(median <"$work/walk"); first=$(median <"$work/first")
	gitlog=$(median <"$work/gitlog"); gitall=$(median <"$work/gitall")
}

report() {
	printf '  %-62s %8.3f s  vs git log %8.3f s  = %sx (goal <= 1.2x)\n' \
		"walk and extraction$1" "$walk" "$gitlog" "$(ratio "$walk" "$gitlog")"
	printf '  %-62s %8.3f s  vs git log + git show %8.3f s  = %sx (goal <= 1.0x)\n' \
		"first scan$1" "$first" "$gitall" "$(ratio "$first" "$gitall")"
}

# The same with the patch repositories in memory (tmpfs): secport's own
# work, without the cost of creating some 1,700 files and directories,
# which git's side of the comparison does not pay.
shm=
if [ -d /dev/shm ] && shm=$(mktemp -d /dev/shm/secport-bench-scan.XXXXXX); then
	trap 'rm -rf "$work" "$shm"' EXIT
fi
on_tmpfs() { # DIR LABEL
	[ -n "$shm" ] || return 0
	mv "$work/r" "$work/r.disk"
	measure "$shm/$1"
	report " ($2, repository on tmpfs)"
	rm "$work/r" && mv "$work/r.disk" "$work/r" # the rescan is on disk
}

measure "$work/nocg"
printf 'scan: Xen, %s commits, %s fix commits, median of %s runs\n' "$commits" "$nfix" "$runs"
report " (no commit-graph)"
on_tmpfs nocg "no commit-graph"
git --git-dir="$src" commit-graph write --reachable 2>/dev/null
measure "$work/cg"
report " (commit-graph)"
on_tmpfs cg "commit-graph"

# 100 new commits on master, then a rescan
: >"$work/rescan"
for i in $(seq "$runs"); do
	tip=$(git --git-dir="$src" rev-parse master)
	tree=$(git --git-dir="$src" rev-parse "master^{tree}")
	for k in $(seq 100); do
		msg="bench: commit $i.$k"
		[ $((k % 10)) = 0 ] && msg="$msg

This is XSA-$((9000 + i * 100 + k))."
		tip=$(GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@x GIT_COMMITTER_NAME=b \
			GIT_COMMITTER_EMAIL=b@x git --git-dir="$src" commit-tree \
			-p "$tip" -m "$msg" "$tree")
	done
	git --git-dir="$src" update-ref refs/heads/master "$tip"
	t0=$(now)
	(cd "$work/r" && "$secport" scan -q)
	t1=$(now)
	awk "BEGIN { print $t1 - $t0 }" >>"$work/rescan"
done
rescan=$(median <"$work/rescan")

printf '  %-62s %8.3f s  (goal <= 0.1 s + proportional)\n' \
	"rescan after 100 new commits (10 advisories)" "$rescan"
