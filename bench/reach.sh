#!/bin/sh
# bench/reach.sh: the reachability engine (src/reach.c) against git.
#
#   (a) Xen (XEN_REPO, a clone with RELEASE-* tags; skipped when unset):
#       containment of every commit of interest (XSA/CVE commits, Fixes:
#       and "master commit:" targets) in every RELEASE-* tag, against a
#       shell loop of `git tag --contains` over an evenly spaced sample of
#       them (BENCH_SAMPLE, default 50), extrapolated to all; the sample's
#       answers must be equal.
#   (b) a generated kernel-shaped history (gen-history.py, generated once
#       into $BENCH_CACHE/gen-$BENCH_GEN_COMMITS, default ../cache and
#       1300000 commits: ~5 minutes, 1.7 GiB): the full matrix against
#       `git rev-list --all --count` (goal: at most 2x), peak RSS (goal:
#       under 2 GiB), answers checked against gen-meta/truth-sample.tsv and
#       `git tag --contains` on a sample (BENCH_GEN_SAMPLE, default 10).
#
# Load time (reading the graph from git with libgit2) is reported apart
# from engine time: secport reads the graph from its SQLite index instead.
# Run by `make bench-reach`, which builds the driver and sets REACH_RUN.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
run=${REACH_RUN:-$root/build/obj/reach-run}
[ -x "$run" ] || { echo "reach: $run missing (run make bench-reach)" >&2; exit 1; }
export LC_ALL=C
work=$(mktemp -d "${TMPDIR:-/tmp}/secport-bench-reach.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail=0

now() { date +%s.%N; }
field() { sed -n "s/^reach-run: $1: //p" "$2"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# sample N FILE: N evenly spaced lines of FILE
sample() { awk -v n="$1" -v t="$(wc -l <"$2")" \
	'BEGIN { s = t / n; if (s < 1) s = 1; k = 0 }
	 NR > k * s && k < n { print; k++ }' "$2"; }

# contains_loop REPO COMMITS PATTERN OUT: `git tag --contains` for each
# commit (its tags, sorted, one line per commit like reach-run); prints the
# seconds taken
contains_loop() {
	t0=$(now)
	while read -r c; do
		printf '%s\t%s\n' "$c" "$(git -C "$1" tag --contains "$c" -l "$3" |
			sort | tr '\n' ' ' | sed 's/ $//')"
	done <"$2" >"$4"
	t1=$(now)
	calc %.3f "$t1 - $t0"
}

# check_rows WANT GOT: every line of WANT is a line of GOT
check_rows() {
	awk -F '\t' 'NR == FNR { got[$1] = $0; next }
		{ n++; if (got[$1] != $0) { bad++; if (bad < 4)
			print "reach:   mismatch for " $1 > "/dev/stderr" } }
		END { printf "%d/%d equal\n", n - bad, n; exit bad > 0 }' "$2" "$1"
}

echo "== reach (a): Xen history, all commits of interest x all RELEASE-* tags"
if [ -z "${XEN_REPO:-}" ]; then
	echo "reach: XEN_REPO not set (a clone of xen.git), skipping"
else
	x=$XEN_REPO
	git -C "$x" for-each-ref --format='%(refname:short)' 'refs/tags/RELEASE-*' \
		>"$work/xen-tags"
	git -C "$x" log --all --format=%H -E -i --grep='XSA-[0-9]+' \
		--grep='CVE-[0-9]{4}-[0-9]+' >"$work/xen-i1"
	git -C "$x" log --all --format=%B -E -i \
		--grep='^(Fixes|master commit):' |
		sed -n 's/^\(Fixes\|master commit\): *\([0-9a-fA-F]\{7,40\}\).*/\2/Ip' |
		git -C "$x" cat-file --batch-check='%(objectname) %(objecttype)' |
		awk '$2 == "commit" { print $1 }' >"$work/xen-i2"
	sort -u "$work/xen-i1" "$work/xen-i2" >"$work/xen-interest"
	ni=$(wc -l <"$work/xen-interest")
	nt=$(wc -l <"$work/xen-tags")
	"$run" "$x" "$work/xen-tags" "$work/xen-interest" \
		>"$work/xen-rows" 2>"$work/xen-err" ||
		{ cat "$work/xen-err"; fail=1; }
	load=$(field load-seconds "$work/xen-err")
	eng=$(field engine-seconds "$work/xen-err")
	rows=$(field rows-seconds "$work/xen-err")
	echo "reach: $ni commits of interest, $nt RELEASE-* tags," \
		"$(field commits "$work/xen-err") commits," \
		"$(field distinct-sets "$work/xen-err") distinct release sets"
	echo "reach: engine $(calc %.4f "$eng") s (+ row lookups $(calc %.4f "$rows") s);" \
		"graph load from git $(calc %.2f "$load") s;" \
		"peak RSS $(field maxrss-mib "$work/xen-err") MiB"

	ns=${BENCH_SAMPLE:-50}
	sample "$ns" "$work/xen-interest" >"$work/xen-sample"
	ns=$(wc -l <"$work/xen-sample")
	cg=without
	[ -f "$x/objects/info/commit-graph" ] ||
		[ -d "$x/objects/info/commit-graphs" ] && cg=with
	echo "reach: git tag --contains loop over $ns sampled commits ($cg a commit-graph)..."
	loop=$(contains_loop "$x" "$work/xen-sample" 'RELEASE-*' "$work/xen-git")
	all=$(calc %.1f "$loop * $ni / $ns")
	echo "reach: loop $loop s for $ns commits; extrapolated to $ni: $all s"
	echo "reach: ratio (extrapolated loop / engine): $(calc %.0f "$all / $eng")x;" \
		"with the row lookups: $(calc %.0f "$all / ($eng + $rows)")x;" \
		"with the git load too: $(calc %.0f "$all / ($eng + $rows + $load)")x"
	printf 'reach: sample equal to git tag --contains: '
	check_rows "$work/xen-git" "$work/xen-rows" || fail=1
fi

echo "== reach (b): generated kernel-shaped history, full matrix"
n=${BENCH_GEN_COMMITS:-1300000}
cache=${BENCH_CACHE:-$(dirname "$root")/cache}
gen=$cache/gen-$n
tool=${GEN_HISTORY:-$(dirname "$root")/shared/tools/gen-history.py}
if [ ! -d "$gen" ]; then
	if [ ! -f "$tool" ]; then
		echo "reach: $tool missing (set GEN_HISTORY), skipping"
		exit $fail
	fi
	echo "reach: generating $n commits into $gen (once; ~5 min for 1.3M)"
	mkdir -p "$cache" &&
		rm -rf "$gen.tmp" &&
		python3 "$tool" --commits "$n" --seed 1 "$gen.tmp" >"$work/gen.log" 2>&1 &&
		git -C "$gen.tmp" commit-graph write --reachable 2>>"$work/gen.log" &&
		mv "$gen.tmp" "$gen" ||
		{ tail "$work/gen.log"; exit 1; }
fi
[ -f "$gen/objects/info/commit-graph" ] ||
	git -C "$gen" commit-graph write --reachable 2>/dev/null
cut -f1,2 "$gen/gen-meta/tags.tsv" >"$work/gen-tags"
cut -f1 "$gen/gen-meta/interest.tsv" | sort -u >"$work/gen-interest"
ni=$(wc -l <"$work/gen-interest")

t0=$(now)
count=$(git -C "$gen" rev-list --all --count)
t1=$(now)
rl=$(calc %.3f "$t1 - $t0")
t0=$(now)
git -C "$gen" -c core.commitGraph=false rev-list --all --count >/dev/null
t1=$(now)
rlno=$(calc %.3f "$t1 - $t0")
echo "reach: git rev-list --all --count: $count commits, $rl s with a commit-graph, $rlno s without"

ns=${BENCH_GEN_SAMPLE:-10}
sample "$ns" "$work/gen-interest" >"$work/gen-sample"
ns=$(wc -l <"$work/gen-sample")
# print the rows to check only: all of them would be ~1 GB of tag names
cut -f1 "$gen/gen-meta/truth-sample.tsv" | cat - "$work/gen-sample" >"$work/gen-print"
"$run" "$gen" "$work/gen-tags" "$work/gen-interest" "$work/gen-print" \
	>"$work/gen-rows" 2>"$work/gen-err" || { cat "$work/gen-err"; fail=1; }
load=$(field load-seconds "$work/gen-err")
eng=$(field engine-seconds "$work/gen-err")
rows=$(field rows-seconds "$work/gen-err")
rss=$(field maxrss-mib "$work/gen-err")
echo "reach: $(field commits "$work/gen-err") commits, $(field edges "$work/gen-err") edges," \
	"$(field releases "$work/gen-err") releases, $(field distinct-sets "$work/gen-err") distinct release sets"
echo "reach: engine (every commit x every release) $(calc %.4f "$eng") s," \
	"$(field engine-mib "$work/gen-err") MiB;" \
	"matrix rows of $ni commits of interest looked up in $(calc %.4f "$rows") s" \
	"($(field cells "$work/gen-err") true cells)"
echo "reach: graph load from git (libgit2, not the production path) $(calc %.2f "$load") s"
echo "reach: peak RSS of load + engine: $rss MiB (goal < 2048)"
echo "reach: engine / rev-list (commit-graph): $(calc %.4f "$eng / $rl") (goal <= 2);" \
	"(engine + row lookups) / rev-list: $(calc %.4f "($eng + $rows) / $rl")"
awk "BEGIN { exit !($eng <= 2 * $rl && $rss < 2048) }" ||
	{ echo "reach: GOAL MISSED"; fail=1; }
printf 'reach: truth-sample.tsv: '
check_rows "$gen/gen-meta/truth-sample.tsv" "$work/gen-rows" || fail=1

loop=$(contains_loop "$gen" "$work/gen-sample" '*' "$work/gen-git")
all=$(calc %.1f "$loop * $ni / $ns")
echo "reach: git tag --contains: $loop s for $ns sampled commits; extrapolated to $ni: $all s;" \
	"ratio to engine + row lookups: $(calc %.0f "$all / ($eng + $rows)")x"
printf 'reach: sample equal to git tag --contains: '
check_rows "$work/gen-git" "$work/gen-rows" || fail=1
exit $fail
