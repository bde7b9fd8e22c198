#!/bin/sh
# secport matrix against git itself on a history with topic merges,
# criss-cross merges, cherry-picked backports, a reverted fix (and the
# revert reverted) and a reverted introducer.  The oracle: `git tag
# --contains` for every commit a record names.
. "$(dirname "$0")/lib.sh"

git init -q up && cd up || exit 1
commit_file a "base" "init"
commit_file b "helper" "mm: add a helper"
i301=$(git rev-parse HEAD)
git tag RELEASE-3.0.0
git checkout -q -b topic
commit_file a "base, checked" "gnttab: check the bound

This is XSA-301.

Fixes: $(git rev-parse --short=12 $i301) (\"mm: add a helper\")"
f301=$(git rev-parse HEAD)
git checkout -q master
commit_file c "sched" "sched: rework"
i302=$(git rev-parse HEAD)
git tag RELEASE-3.0.1
test_tick; git merge -q --no-ff -m "Merge branch topic" topic
git tag RELEASE-3.1.0
# criss-cross: A and B each merge the other's first commit
git checkout -q -b A; commit_file d "a1" "sched: fix the rework

This is XSA-302.

Fixes: $(git rev-parse --short=12 $i302) (\"sched: rework\")"
f302=$(git rev-parse HEAD)
git checkout -q -b B master; commit_file e "b1" "docs: update"
b1=$(git rev-parse HEAD)
git tag RELEASE-3.1.1
test_tick; git merge -q --no-ff -m "Merge A into B" "$f302"
git checkout -q A; test_tick; git merge -q --no-ff -m "Merge B into A" "$b1"
git tag RELEASE-3.2.0
git checkout -q B; git tag RELEASE-3.2.1
git checkout -q master; test_tick; git merge -q --no-ff -m "Merge A" A
test_tick; git merge -q --no-ff -m "Merge B" B
# XSA-303: fixed, fix reverted, revert reverted
commit_file f "f" "x86: validate the input

This is XSA-303.

Fixes: $(git rev-parse --short=12 $i302) (\"sched: rework\")"
f303=$(git rev-parse HEAD)
git tag RELEASE-3.3.0
test_tick; git revert --no-edit "$f303" >/dev/null
rv=$(git rev-parse HEAD)
git tag RELEASE-3.3.1
test_tick; git revert --no-edit "$rv" >/dev/null
git tag RELEASE-3.3.2
# XSA-304: introducer reverted, no fix yet
commit_file g "g" "mm: fast path"
i304=$(git rev-parse HEAD)
git tag RELEASE-3.4.0
test_tick; git revert --no-edit "$i304" >/dev/null
git tag RELEASE-3.4.1
# XSA-305: fixed by reverting the commit that brought the bug
commit_file h "h" "mm: lazy map"
i305=$(git rev-parse HEAD)
git tag RELEASE-3.5.0
test_tick; git revert --no-edit "$i305" >/dev/null
git commit -q --amend -m "Revert \"mm: lazy map\"

This reverts commit $i305.

This is XSA-305.

Fixes: $(git rev-parse --short=12 $i305) (\"mm: lazy map\")"
f305=$(git rev-parse HEAD)
git tag RELEASE-3.5.1
# XSA-306 (written XSA306): two fixes, one taken back as not part of it
commit_file i "i" "io: check the length

This is XSA306."
f306=$(git rev-parse HEAD)
commit_file j "j" "io: tidy up

This is part of XSA306."
w306=$(git rev-parse HEAD)
git tag RELEASE-3.6.0
test_tick; git revert --no-edit "$w306" >/dev/null
git commit -q --amend -m "Revert \"io: tidy up\"

This reverts commit $w306; it was wrongly associated with XSA-306."
git tag RELEASE-3.6.1
# a stable branch with a backport of XSA-301's fix
git checkout -q -b stable-3.0 RELEASE-3.0.1
test_tick; git cherry-pick -x "$f301" >/dev/null
git tag RELEASE-3.0.2
# XSA-307: fixed on the stable branch only (the main line lacks the bug)
commit_file k "k" "x86: old path check

This is XSA-307."
f307=$(git rev-parse HEAD)
git tag RELEASE-3.0.3
git checkout -q master
cd "$TEST_DIR"

sp init repo >/dev/null && cd repo && sp scan -q "$TEST_DIR/up" >/dev/null || { not_ok "scan"; done_testing; exit 1; }
# XSA-304's fix does not exist: name the introducer by hand (the record
# is the truth), with a fix commit that is in no release
mkdir -p advisories/XSA-304
printf 'Advisory: XSA-304\nFixed-By: %s\nIntroduced-By: %s\n' \
	1111111111111111111111111111111111111111 "$i304" >advisories/XSA-304/record

expect "matrix csv" sp matrix --format csv
cp "$TEST_DIR/.out" matrix.csv
sed -i '/^warning:/d' matrix.csv

# containment from git, cached per commit
contains() { [ -f "$TEST_DIR/c.$1" ] || git -C "$TEST_DIR/up" tag --contains "$1" >"$TEST_DIR/c.$1" 2>/dev/null; grep -qx "$2" "$TEST_DIR/c.$1"; }
field() { sed -n "/^$1:/,/^[A-Z]/p" "$2" | sed "1s/^$1://; /^[A-Z]/d"; }

# The oracle for advisories whose commits were never reverted.
oracle() {
	rec=advisories/$1/record
	for tag in $(git -C "$TEST_DIR/up" tag -l 'RELEASE-*'); do
		intro=0 fixed=1
		intros=$(field Introduced-By $rec)
		if [ "$(echo $intros)" = unknown ]; then intro=1; fi
		for i in $intros; do [ "$i" != unknown ] && contains "$i" "$tag" && intro=1; done
		for f in $(field Fixed-By $rec); do
			have=0
			contains "$f" "$tag" && have=1
			for bp in $(field Backports $rec | awk -v f="$f" '$3 == f { print $2 }'); do
				contains "$bp" "$tag" && have=1
			done
			[ $have = 1 ] || fixed=0
		done
		if [ $intro = 0 ]; then s="not affected"; elif [ $fixed = 1 ]; then s=fixed; else s=vulnerable; fi
		echo "$1,$tag,$s"
	done | sort
}
for id in XSA-301 XSA-302; do
	oracle $id >want.$id
	awk -F, -v a=$id '$1 == a { print $1 "," $2 "," $4 }' matrix.csv | sort >got.$id
	if [ "$(wc -l <want.$id)" -gt 10 ] && cmp -s want.$id got.$id; then ok "$id equals git tag --contains"; else not_ok "$id oracle"; diff want.$id got.$id | sed 's/^/# /'; fi
done
grep -qx "XSA-301,RELEASE-3.0.2,3.0,fixed,0,1,$(git -C "$TEST_DIR/up" rev-parse RELEASE-3.0.2^{commit})" matrix.csv &&
	ok "cherry-picked backport fixes the stable release" || not_ok "stable backport"
grep -q "^XSA-302,RELEASE-3.1.1,3.1,vulnerable," matrix.csv && grep -q "^XSA-302,RELEASE-3.2.1,3.2,fixed," matrix.csv &&
	ok "criss-cross merge brings the fix to both sides" || not_ok "criss-cross"

state() { awk -F, -v a="$1" -v r="$2" '$1 == a && $2 == r { print $4 }' matrix.csv; }
for w in RELEASE-3.3.0:fixed RELEASE-3.3.1:vulnerable RELEASE-3.3.2:fixed RELEASE-3.2.0:vulnerable; do
	tag=${w%%:*} s=${w#*:}
	[ "$(state XSA-303 $tag)" = "$s" ] && ok "XSA-303 $tag $s (revert, revert of revert)" || not_ok "XSA-303 $tag: $(state XSA-303 $tag)"
done
contains "$f303" RELEASE-3.3.1 && ok "git: 3.3.1 contains the reverted fix" || not_ok "git revert oracle"
[ "$(state XSA-304 RELEASE-3.4.0)" = vulnerable ] && [ "$(state XSA-304 RELEASE-3.4.1)" = "not affected" ] &&
	ok "reverting the introducer ends the exposure" || not_ok "XSA-304"
expect "affected XSA-303 XSA-304" sp affected XSA-303 XSA-304
grep -q "^  3.3.1 affected, fixed in 3.3.2 (" "$TEST_DIR/.out" && ok "range after the reverted fix" || not_ok "XSA-303 range"
grep -qx "  3.4.0 affected" "$TEST_DIR/.out" && ok "range of a reverted introducer" || not_ok "XSA-304 range"
grep -q "XSA-304: 1 commits named by the record are not in the index" "$TEST_DIR/.out" &&
	ok "unknown fix commit is reported" || not_ok "unindexed warning"
field Fixed-By advisories/XSA-305/record | grep -qx " *$f305" &&
	field Introduced-By advisories/XSA-305/record | grep -qx " *$i305" &&
	ok "a revert stating the advisory is its fix" || not_ok "XSA-305 record"
[ "$(state XSA-305 RELEASE-3.5.0)" = vulnerable ] && [ "$(state XSA-305 RELEASE-3.5.1)" != vulnerable ] &&
	ok "the revert fixes the release after it" || not_ok "XSA-305: $(state XSA-305 RELEASE-3.5.0) $(state XSA-305 RELEASE-3.5.1)"
[ "$(field Fixed-By advisories/XSA-306/record | tr -d ' ')" = "$f306" ] &&
	ok "XSA306 is XSA-306; a fix reverted as not part of it is dropped" || not_ok "XSA-306 Fixed-By"
[ "$(state XSA-306 RELEASE-3.6.1)" = fixed ] && ok "the release after that revert is fixed" || not_ok "XSA-306 3.6.1: $(state XSA-306 RELEASE-3.6.1)"
for w in RELEASE-3.0.2:vulnerable RELEASE-3.0.3:fixed RELEASE-3.1.0:none RELEASE-3.6.1:none; do
	tag=${w%%:*} s=${w#*:}; [ "$s" = none ] && s="not affected"
	[ "$(state XSA-307 $tag)" = "$s" ] && ok "XSA-307 $tag $s (fixed on a stable branch only)" || not_ok "XSA-307 $tag: $(state XSA-307 $tag)"
done
expect "affected XSA-307" sp affected XSA-307
grep -qx "  3.1.x.*unaffected (fixed on stable branches only)" "$TEST_DIR/.out" &&
	ok "the range says why" || not_ok "XSA-307 range"
expect "export osv" sp export --format osv -o osv
grep -q "\"limit\": \"$f307\"" osv/x_XSA-307.json && ! grep -q '"limit"' osv/x_XSA-301.json &&
	ok "osv: a limit event keeps the main line out of a stable-only range" || not_ok "osv limit"
# a warm run reads no git objects: hide the upstream repository
mv "$TEST_DIR/up" "$TEST_DIR/up.away"
expect "matrix without the upstream repository" sp matrix --format csv
sed '/^warning:/d' "$TEST_DIR/.out" | cmp -s - matrix.csv && ok "same answer from the index alone" || not_ok "index-only run"
mv "$TEST_DIR/up.away" "$TEST_DIR/up"

done_testing
