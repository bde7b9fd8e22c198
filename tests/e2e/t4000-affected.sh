#!/bin/sh
# secport affected / matrix on the demo history: verdicts per release,
# backports, several fix commits, unknown introducers, --release evidence,
# ranges, Needed-For / Fixed-In in the records.
. "$(dirname "$0")/lib.sh"

demo_history
fix101=$(on_master 'x86/mm: fix use after free')
bp101=$(git -C up rev-parse 'stable-1.1^')
bp102=$(git -C up rev-parse 'stable-1.1')
part1=$(on_master 'gnttab: take the lock')
short() { echo "$1" | cut -c1-12; }

# cell ID TAG: the state of ID in TAG in the CSV matrix
cell() { awk -F, -v a="$1" -v r="$2" '$1 == a && $2 == r { print $4 }' matrix.csv; }
check_cell() {
	got=$(cell "$1" "$2")
	[ "$got" = "$3" ] && ok "$1 in $2: $3" || not_ok "$1 in $2: got '$got', wanted '$3'"
}

sp init repo >/dev/null && cd repo && sp scan -q "$up" >/dev/null || { not_ok "scan"; done_testing; exit 1; }
cd "$TEST_DIR/repo"

expect "matrix --format csv" sp matrix --format csv
cp "$TEST_DIR/.out" matrix.csv
head -1 matrix.csv | grep -qx "advisory,release,series,state,introducer_unknown,via_backport,fixed_by" &&
	ok "csv header" || not_ok "csv header"
[ "$(grep -c . matrix.csv)" = $((1 + 3 * 4)) ] && ok "csv has every advisory x release" || not_ok "csv rows"

# XSA-101: introduced before 1.0.0, fixed on master after 1.1.0, backported
check_cell XSA-101 RELEASE-1.0.0 vulnerable
check_cell XSA-101 RELEASE-1.1.0 vulnerable
check_cell XSA-101 RELEASE-1.1.1 fixed
check_cell XSA-101 RELEASE-1.2.0 fixed
grep -qx "XSA-101,RELEASE-1.1.1,1.1,fixed,0,1,$bp101" matrix.csv &&
	ok "1.1.1 fixed by the backport" || not_ok "1.1.1 fixed_by"
grep -qx "XSA-101,RELEASE-1.2.0,1.2,fixed,0,0,$fix101" matrix.csv &&
	ok "1.2.0 fixed by the upstream commit" || not_ok "1.2.0 fixed_by"
# XSA-102: two fix commits, only the second backported
check_cell XSA-102 RELEASE-1.1.1 vulnerable
check_cell XSA-102 RELEASE-1.2.0 fixed
grep -q "^XSA-102,RELEASE-1.1.1,1.1,vulnerable,1," matrix.csv &&
	ok "unknown introducer flagged in the csv" || not_ok "csv introducer_unknown"

expect "affected XSA-101" sp affected XSA-101
cat >want <<EOF2
XSA-101: needed for 1.0.0, 1.1.0
  1.0.x affected, no fix in series
  1.1.0 affected, fixed in 1.1.1 ($(short $bp101))
  1.2.0 and later unaffected (fixed before release)
EOF2
diff -u want "$TEST_DIR/.out" >diff && ok "XSA-101 ranges in the kernel CNA style" || { not_ok "XSA-101 ranges"; sed 's/^/# /' diff; }
expect "affected by alias" sp affected CVE-2026-1002
grep -q "^  introducer unknown" "$TEST_DIR/.out" && ok "introducer unknown is flagged" || not_ok "unknown flag"
grep -qx "  1.1.x affected (introducer unknown), no fix in series" "$TEST_DIR/.out" &&
	ok "partial backport leaves the series open" || not_ok "XSA-102 1.1.x"
expect "affected --json" sp affected --json XSA-101
grep -q "\"fixed_by\": \"$bp101\"" "$TEST_DIR/.out" && grep -q '"RELEASE-1.1.1": "fixed"' "$TEST_DIR/.out" &&
	ok "json ranges and verdicts" || not_ok "affected json"
expect_fail 1 "unknown advisory exits 1" sp affected XSA-999
expect_fail 129 "no argument is a usage error" sp affected
expect_fail 129 "--all without --release" sp affected --all XSA-101

# --release: what a tree based on RELEASE-1.1.1 needs, with evidence
expect_fail 1 "--release needing fixes exits 1" sp affected --release RELEASE-1.1.1
grep -q "^XSA-102 .* vulnerable .*lacks fix $(short $part1).*has fix $(short $bp102) (backport of" "$TEST_DIR/.out" &&
	ok "XSA-102 needed: missing part named, backported part by trailer" || not_ok "XSA-102 evidence"
! grep -q "^XSA-101 " "$TEST_DIR/.out" && ok "a fixed advisory is not listed" || not_ok "XSA-101 listed"
expect_fail 1 "--release --all" sp affected --all --release refs/tags/RELEASE-1.1.1
grep -q "^XSA-101 .* fixed .*introduced by .*(ancestry); has fix $(short $bp101) (backport of $(short $fix101))" "$TEST_DIR/.out" &&
	ok "--all shows fixed verdicts with ancestry and backport evidence" || not_ok "--all evidence"
expect "--release with everything fixed exits 0" sp affected --release RELEASE-1.2.0
[ ! -s "$TEST_DIR/.out" ] && ok "nothing needed" || not_ok "1.2.0 output"
expect_fail 128 "not a release" sp affected --release stable-1.1
expect_fail 1 "--release --json" sp affected --json --release RELEASE-1.0.0
grep -q '"needed": 3' "$TEST_DIR/.out" && grep -q '"evidence": "ancestry"' "$TEST_DIR/.out" &&
	ok "release json" || not_ok "release json"

# a backport known only from the record (no trailer): evidence "record"
(cd "$up" && git checkout -q stable-1.1 && git cherry-pick -n "$part1" >/dev/null 2>&1 &&
	git -c user.name=U -c user.email=u@x commit -q -m "gnttab: take the lock" &&
	GIT_COMMITTER_DATE="1800000000 +0000" git -c user.name=U -c user.email=u@x tag -a -m 1.1.2 RELEASE-1.1.2 &&
	git checkout -q master) || not_ok "cherry-pick without -x"
bp1=$(git -C "$up" rev-parse stable-1.1)
sp scan -q >/dev/null
printf ' stable-1.1 %s %s\n' "$bp1" "$part1" >>line
awk -v l="$(cat line)" '{ print } /^Backports:/ { print l }' advisories/XSA-102/record >rec && mv rec advisories/XSA-102/record
expect_fail 1 "--release 1.1.2" sp affected --all --release RELEASE-1.1.2
grep -q "^XSA-102 .* fixed .*has fix $(short $bp1) (record of $(short $part1))" "$TEST_DIR/.out" &&
	ok "record-only backport counts, evidence record" || not_ok "record evidence"
git -C "$up" tag --contains "$bp1" | grep -qx RELEASE-1.1.2 && ! git -C "$up" tag --contains "$bp1" | grep -qx RELEASE-1.1.1 &&
	ok "git agrees: only 1.1.2 contains the record backport" || not_ok "git oracle for record backport"

# --annotate writes Needed-For / Fixed-In, and only when they change (the
# scan wrote them already: drop them first)
for r in advisories/*/record; do
	awk '/^(Needed-For|Fixed-In):/ { skip = 1; next } /^[^ ]/ { skip = 0 } !skip' "$r" >"$r.new" && mv "$r.new" "$r"
done
! grep -q "^Needed-For:" advisories/*/record && ok "the scan's Needed-For dropped" || not_ok "drop fields"
expect "annotate" sp affected --annotate
grep -q "3 records written" "$TEST_DIR/.out" && ok "every record written once" || not_ok "annotate count"
r=advisories/XSA-101/record
grep -qx "Needed-For: 1.0.0" $r && grep -qx " 1.1.0" $r && ok "Needed-For, one line per series" || not_ok "Needed-For"
grep -qx "Fixed-In: 1.0.x affected, no fix in series" $r &&
	grep -qx " 1.1.0 affected, fixed in 1.1.1 ($(short $bp101))" $r && ok "Fixed-In ranges" || not_ok "Fixed-In"
grep -qx "Needed-For: 1.0.0" advisories/CVE-2026-1003/record && grep -q "^ 1.1.0.*1.1.2$" advisories/CVE-2026-1003/record &&
	ok "Needed-For shortens runs" || not_ok "Needed-For runs"
cp $r before
expect "annotate again" sp affected --annotate
grep -q " 0 records written" "$TEST_DIR/.out" && cmp -s before $r && ok "unchanged records are not rewritten" || not_ok "annotate idempotent"
expect "scan keeps the fields" sp scan
grep -q "^Needed-For:" $r && ok "scan keeps Needed-For" || not_ok "scan drops Needed-For"
expect "show still parses" sp show XSA-101

# text matrix: a grid with a legend
expect "matrix" sp matrix
grep -q "^XSA-101 *V VBB F$" "$TEST_DIR/.out" && ok "grid row of XSA-101" || not_ok "grid row"
grep -q "^V vulnerable, v vulnerable (introducer unknown)" "$TEST_DIR/.out" && ok "legend" || not_ok "legend"
expect "matrix json" sp matrix --format json
grep -q '"name": "RELEASE-1.1.2"' "$TEST_DIR/.out" && ok "json releases" || not_ok "json releases"
expect_fail 129 "bad format" sp matrix --format xml

# an id stated only by a backport of a commit the history lacks: no fix
# and no introducer known, which is no reason to list every release
(cd "$up" && test_tick && git commit -q --allow-empty -m "x86: late backport

This is XSA-909.

commit 1234567890abcdef1234567890abcdef12345678 upstream.")
expect "rescan" sp scan
grep -qx "Needed-For: unknown (no fix or introducing commit known)" advisories/XSA-909/record &&
	ok "Needed-For of an advisory with nothing known" || not_ok "XSA-909 Needed-For"

done_testing
