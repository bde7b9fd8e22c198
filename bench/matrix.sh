#!/bin/sh
# bench/matrix.sh: `secport matrix` (every advisory x every release, warm
# index) against git answering the same question in the same run.
#
#   (a) Xen (XEN_REPO; skipped when unset), with a commit-graph: the warm
#       matrix vs a `git tag --contains` loop over the commits the matrix
#       decides on (every Fixed-By, Introduced-By and backport commit of the
#       records), timed on BENCH_SAMPLE (default 40) of them and
#       extrapolated (said so).                  goal: >= 1000x, < 0.2 s
#   (b) the generated 1.3M-commit history of bench/reach.sh, when it is in
#       $BENCH_CACHE/gen-1300000 (make bench-reach generates it): the cold
#       scan, then the warm matrix vs `git rev-list --all --count`.
#                                              goal: <= 2x, RSS < 2 GiB
#       And `secport status` of a git work tree of a stable branch with two
#       commits of its own, vs a `git merge-base --is-ancestor` loop over
#       the fix commits (sampled and extrapolated, as in (a)).
# Each warm figure is the median of 3 runs (the matrix: of 5).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
secport=${SECPORT:-$root/secport}
sample=${BENCH_SAMPLE:-40}
cache=${BENCH_CACHE:-$root/../cache}
export LC_ALL=C
work=$(mktemp -d "${TMPDIR:-/tmp}/secport-bench-matrix.XXXXXX")
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# timed OUT CMD...: seconds and peak RSS (KiB) of CMD into OUT.time/OUT.rss
timed() {
	out=$1; shift
	/usr/bin/time -f '%e %M' -o "$out.t" "$@" >/dev/null 2>&1
	# the last line: time puts "Command exited with non-zero status" first
	tail -1 "$out.t" | cut -d' ' -f1 >>"$out.time"
	tail -1 "$out.t" | cut -d' ' -f2 >"$out.rss"
}
# spread FILE: $sample lines of FILE, evenly spread
spread() {
	awk -v n="$sample" -v t="$(wc -l <"$1")" \
		'BEGIN { s = t / n } NR >= k * s && k < n { print; k++ }' "$1"
}
# warm_matrix DIR: median of 5 timed by the clock (time(1) gives 10 ms
# steps, too coarse for a run of 30 ms), peak RSS from time(1)
warm_matrix() {
	: >"$work/m.time"
	timed "$work/m" "$secport" -C "$1" matrix
	: >"$work/m.time"
	for i in 1 2 3 4 5; do
		m0=$(now); "$secport" -C "$1" matrix >/dev/null; m1=$(now)
		awk "BEGIN { print $m1 - $m0 }" >>"$work/m.time"
	done
	mtime=$(median <"$work/m.time"); mrss=$(cat "$work/m.rss")
}

if [ -n "${XEN_REPO:-}" ]; then
	git clone -q --bare --shared "$XEN_REPO" "$work/xen.git"
	git --git-dir="$work/xen.git" commit-graph write --reachable 2>/dev/null
	"$secport" init "$work/x" >/dev/null
	t0=$(now); (cd "$work/x" && "$secport" scan -q "$work/xen.git"); t1=$(now)
	warm_matrix "$work/x"
	awk '/^(Fixed-By|Introduced-By):/ { print $2; f = 1; next }
	     /^Backports:/ { f = 2; next } /^[A-Z]/ { f = 0 }
	     f == 1 && /^ / { print $1 } f == 2 && /^ / { print $2 }' \
		"$work"/x/advisories/*/record | grep -E '^[0-9a-f]{40}$' | sort -u >"$work/commits"
	n=$(wc -l <"$work/commits")
	spread "$work/commits" >"$work/sample"
	ns=$(wc -l <"$work/sample")
	t2=$(now)
	while read -r c; do
		git --git-dir="$work/xen.git" tag --contains "$c" 'RELEASE-*' >/dev/null
	done <"$work/sample"
	t3=$(now)
	rels=$(git --git-dir="$work/xen.git" tag -l 'RELEASE-*' | wc -l)
	awk -v cold="$(awk "BEGIN{print $t1 - $t0}")" -v m="$mtime" -v rss="$mrss" \
	    -v loop="$(awk "BEGIN{print $t3 - $t2}")" -v ns="$ns" -v n="$n" -v rels="$rels" 'BEGIN {
		all = loop / ns * n
		printf "matrix: Xen, %d commits decided on x %d RELEASE tags (commit-graph)\n", n, rels
		printf "  %-44s %8.3f s\n", "cold scan (walk, records, patches)", cold
		printf "  %-44s %8.3f s  %6.0f MiB\n", "warm secport matrix", m, rss / 1024
		printf "  %-44s %8.1f s  (%d timed, extrapolated)\n", "git tag --contains loop over them", all, ns
		printf "  %-44s %8.0fx (goal >= 1000x, < 0.2 s)\n", "ratio", all / m
	}'
else
	echo "matrix: Xen part skipped (set XEN_REPO to a clone of xen-project/xen)"
fi

gen=$cache/gen-1300000
if [ -d "$gen/gen-meta" ]; then
	"$secport" init "$work/k" >/dev/null
	git -C "$work/k" config -f secport.conf source.gen.path "$gen"
	: >"$work/s.time"
	timed "$work/s" sh -c "cd '$work/k' && '$secport' scan -q gen"
	stime=$(cat "$work/s.time"); srss=$(cat "$work/s.rss")
	warm_matrix "$work/k"
	: >"$work/g.time"
	for i in 1 2 3; do timed "$work/g" git --git-dir="$gen" rev-list --all --count; done
	gtime=$(median <"$work/g.time")
	adv=$(ls "$work/k/advisories" | wc -l)
	# status of a branch: a work tree of the newest stable branch, plus
	# two commits of its own
	branch=$(git --git-dir="$gen" for-each-ref --format='%(refname:short)' \
		refs/heads/ | grep '\.y$' | sort -V | tail -1)
	git clone -q --shared --branch "$branch" "$gen" "$work/wt"
	(cd "$work/wt" && for i in 1 2; do echo "$i" >>vendor.txt && git add vendor.txt &&
		git -c user.name=v -c user.email=v@x commit -q -m "vendor $i"; done)
	: >"$work/st.time"
	for i in 1 2 3; do
		timed "$work/st" sh -c "cd '$work/k' && '$secport' status --tree '$work/wt'"
	done
	sttime=$(median <"$work/st.time"); strss=$(cat "$work/st.rss")
	awk '/^Fixed-By:/ { print $2; f = 1; next } /^[A-Z]/ { f = 0 } f && /^ / { print $1 }' \
		"$work"/k/advisories/*/record | grep -E '^[0-9a-f]{40}$' | sort -u >"$work/kfix"
	nk=$(wc -l <"$work/kfix")
	spread "$work/kfix" >"$work/ksample"
	nks=$(wc -l <"$work/ksample")
	t0=$(now)
	while read -r c; do
		git -C "$work/wt" merge-base --is-ancestor "$c" HEAD
	done <"$work/ksample"
	t1=$(now)
	kloop=$(awk -v a="$t0" -v b="$t1" -v n="$nks" -v t="$nk" 'BEGIN { print (b - a) / n * t }')
	awk -v s="$stime" -v srss="$srss" -v m="$mtime" -v mrss="$mrss" -v g="$gtime" -v adv="$adv" 'BEGIN {
		printf "matrix: generated history, 1.3M commits, %d advisories x 3,689 tags\n", adv
		printf "  %-44s %8.1f s  %6.0f MiB\n", "cold scan (walk, records, patches)", s, srss / 1024
		printf "  %-44s %8.3f s  %6.0f MiB (goal < 2048)\n", "warm secport matrix", m, mrss / 1024
		printf "  %-44s %8.3f s\n", "git rev-list --all --count", g
		printf "  %-44s %8.2fx (goal <= 2x)\n", "ratio", m / g
	}'
	awk -v st="$sttime" -v rss="$strss" -v loop="$kloop" -v n="$nk" -v ns="$nks" -v b="$branch" 'BEGIN {
		printf "status: a work tree of %s plus 2 commits, %d fix commits\n", b, n
		printf "  %-44s %8.2f s  %6.0f MiB\n", "secport status --tree", st, rss / 1024
		printf "  %-44s %8.1f s  (%d timed, extrapolated)\n", "git merge-base --is-ancestor loop", loop, ns
		printf "  %-44s %8.0fx\n", "ratio", loop / st
	}'
else
	echo "matrix: generated part skipped (make bench-reach generates $gen)"
fi
