#!/bin/sh
# secport init + scan + list/show on the demo history: records, aliases,
# backports, patches, determinism, incremental rescans and hand edits.
. "$(dirname "$0")/lib.sh"

demo_history
fix101=$(on_master 'x86/mm: fix use after free')
bp101=$(git -C up rev-parse 'stable-1.1^')
buggy=$(on_master '^x86/mm: drop the page reference early')
part1=$(on_master 'gnttab: take the lock')
part2=$(on_master 'gnttab: release the lock')

expect "init" sp init repo
cd repo
expect "scan a repository path" sp scan "$up"
grep -q "^source.up.path=$up$" <<EOF2 && ok "the path is added as a source" || not_ok "the path is added as a source"
$(git config -f secport.conf --list)
EOF2

# every advisory id git finds has a record (as id or alias)
git -C "$up" log --all --format=%B | grep -oiE 'XSA-[0-9]+|CVE-[0-9]{4}-[0-9]+' |
	tr a-z A-Z | sort -u >want
{ ls advisories; sed -n 's/^Aliases: //p' advisories/*/record | tr ' ' '\n'; } | grep . | sort -u >got
if cmp -s want got; then ok "every id in the history has a record"; else not_ok "every id has a record"; diff want got | sed 's/^/# /'; fi

r=advisories/XSA-101/record
grep -qx "Aliases: CVE-2026-1001" $r && ok "CVE stated beside the XSA is an alias" || not_ok "alias"
grep -qx "Fixed-By: $fix101" $r && ok "Fixed-By names the master commit only" || not_ok "Fixed-By"
grep -qx "Introduced-By: $buggy" $r && ok "Fixes: resolved to the full id" || not_ok "Introduced-By"
grep -qx " stable-1.1 $bp101 $fix101" $r && ok "master commit: backport on its branch" || not_ok "Backports"
[ ! -d advisories/CVE-2026-1001 ] && ok "no separate record for the alias" || not_ok "alias record"
r=advisories/XSA-102/record
[ "$(sed -n '/^Fixed-By:/,/^[A-Z]/p' $r | grep -c '[0-9a-f]\{40\}')" = 2 ] &&
	ok "two-commit fix has both commits" || not_ok "XSA-102 two fixes"
grep -q "^ stable-1.1 [0-9a-f]* $part2$" $r && ok "cherry picked from: backport" || not_ok "cherry-pick backport"
grep -qx "Introduced-By: unknown" $r && ok "no Fixes: means unknown" || not_ok "unknown introducer"
grep -qx "Introduced-By: unknown" advisories/CVE-2026-1003/record &&
	ok "'Fixes: this build error' is not a reference" || not_ok "Fixes: prose"

p=$(ls advisories/XSA-101/*.patch)
[ "$(ls advisories/XSA-101/*.patch | wc -l)" = 1 ] && ok "one patch per fix commit" || not_ok "patch count"
grep -qx "Origin: upstream, $fix101" $p && grep -qx "Bug: https://xenbits.xen.org/xsa/advisory-101.html" $p &&
	ok "DEP-3 Origin and Bug" || not_ok "DEP-3 headers"
(cd "$up" && git checkout -q RELEASE-1.1.0 && git am -q --3way <"$TEST_DIR/repo/$p" && git checkout -q master) 2>/dev/null &&
	ok "the patch applies with git am" || not_ok "git am"
git -C "$up" checkout -q -f master 2>/dev/null

expect "show by alias" sp show CVE-2026-1001
grep -q "^Advisory: XSA-101" "$TEST_DIR/.out" && ok "alias finds the advisory" || not_ok "show alias"
expect "show --json" sp show --json XSA-101
grep -q "\"upstream\": \"$fix101\"" "$TEST_DIR/.out" && ok "json lists backports" || not_ok "show json"
expect_fail 1 "show unknown id exits 1" sp show XSA-999
expect "list" sp list
[ "$(wc -l <"$TEST_DIR/.out")" = 3 ] && ok "three advisories listed" || not_ok "list count"
expect "list --json" sp list --json

# determinism: a second repository scanning the same history is identical
cd "$TEST_DIR"
sp init repo2 >/dev/null && (cd repo2 && sp scan -q "$up") &&
	diff -r repo/advisories repo2/advisories >/dev/null &&
	ok "same history, byte-identical repository" || not_ok "determinism"
cd repo

# hand edits survive, incremental rescan sees only new commits
sed -i 's/^Notes:$/Notes: checked by hand/; s/^Introduced-By: .*/Introduced-By: 1111111111111111111111111111111111111111/' advisories/XSA-101/record
(cd "$up" && echo "more;" >>xen/common/sched.c && git add -A &&
	GIT_AUTHOR_DATE="1800000000 +0000" GIT_COMMITTER_DATE="1800000000 +0000" \
	git -c user.name=U -c user.email=u@x commit -q -m "x86/mm: harden again

This is XSA-101.")
expect "rescan" sp scan
grep -q "1 new commits" "$TEST_DIR/.out" && ok "rescan walks only the new commit" || not_ok "incremental"
grep -qx "Notes: checked by hand" advisories/XSA-101/record && ok "hand-written Notes kept" || not_ok "Notes kept"
grep -qx "Introduced-By: 1111111111111111111111111111111111111111" advisories/XSA-101/record &&
	ok "Introduced-By correction kept" || not_ok "Introduced-By kept"
[ "$(ls advisories/XSA-101/*.patch | wc -l)" = 2 ] && ok "new fix gets a patch" || not_ok "new patch"
(cd "$up" && echo "bp;" >>xen/README && git add -A &&
	git -c user.name=U -c user.email=u@x commit -q -m "backport of a lost commit

(cherry picked from commit 00000000000000000000000000000000deadbeef)")
dangler=$(git -C "$up" rev-parse HEAD)
expect "rescan" sp scan
grep -q "^  $dangler 00000000000000000000000000000000deadbeef$" "$TEST_DIR/.out" &&
	ok "a backport of a commit not in the history is reported" || not_ok "dangling backport"
expect "rescan with nothing new" sp scan
grep -q " 0 new commits" "$TEST_DIR/.out" && ok "nothing new" || not_ok "nothing new"

# one fix committed to each branch with no trailer (Xen's older XSAs) is
# one change: the master commit is the fix, the stable one its backport
(cd "$up" && git checkout -q stable-1.1 && echo "s;" >>xen/common/sched.c && git add -A &&
	git -c user.name=U -c user.email=u@x commit -q -m "sched: bound the loop

This is XSA-107." && git checkout -q master && echo "s;" >>xen/common/sched.c && git add -A &&
	git -c user.name=U -c user.email=u@x commit -q -m "sched: bound the loop

This is XSA-107.")
m107=$(git -C "$up" rev-parse master)
s107=$(git -C "$up" rev-parse stable-1.1)
expect "scan a fix committed to two branches" sp scan
grep -qx "Fixed-By: $m107" advisories/XSA-107/record && ok "the master commit is the fix" || not_ok "XSA-107 Fixed-By"
grep -qx " stable-1.1 $s107 $m107" advisories/XSA-107/record && ok "the stable commit is its backport" || not_ok "XSA-107 backport"

# in a clone, the remote-tracking branches name the backports
git clone -q "$up" "$TEST_DIR/clone"
sp init "$TEST_DIR/repo4" >/dev/null
expect "scan a clone" sh -c "cd '$TEST_DIR/repo4' && '$SECPORT' scan -q '$TEST_DIR/clone'"
grep -qx " stable-1.1 $bp101 $fix101" "$TEST_DIR/repo4/advisories/XSA-101/record" &&
	ok "origin/stable-1.1 names the backport's branch" || not_ok "remote-tracking branch"

# a Fixed-By added by hand is kept and gets its patch
sed -i "s/^Fixed-By: .*/&\n $part1/" advisories/CVE-2026-1003/record
expect "rewrite" sp scan --rewrite
grep -q "^\(Fixed-By:\)\? $part1$" advisories/CVE-2026-1003/record && ok "hand-added Fixed-By kept" || not_ok "Fixed-By kept"
[ "$(ls advisories/CVE-2026-1003/*.patch | wc -l)" = 2 ] && ok "and patched" || not_ok "manual fix patch"
done_testing
