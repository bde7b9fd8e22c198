#!/bin/sh
# secport scan on bad input: each case a clear one-line error or warning,
# a sane exit code, and no partial damage.
. "$(dirname "$0")/lib.sh"

demo_history
sp init repo >/dev/null
cd repo

# not a git repository: error, and the configuration is left alone
mkdir "$TEST_DIR/plain"
cp secport.conf conf.before
expect_fail 128 "not a git repository" sp scan "$TEST_DIR/plain"
grep -q "error: '.*plain' is not a git repository" "$TEST_DIR/.out" && ok "the message names the path" || not_ok "message"
cmp -s secport.conf conf.before && ok "secport.conf untouched" || not_ok "conf untouched"
expect_fail 128 "no source configured" sp scan
expect_fail 128 "not a secport repository" sh -c "cd '$TEST_DIR' && '$SECPORT' list"
expect_fail 129 "unknown option" sp scan --frobnicate

# a history with no release tags and no stable branches
git init -q "$TEST_DIR/bare-history"
(cd "$TEST_DIR/bare-history" && echo a >f && git add f &&
	git -c user.name=U -c user.email=u@x commit -q -m "fix

This is XSA-1.")
sp init "$TEST_DIR/repo-bare" >/dev/null
expect "no tags, no branches but master" sh -c "cd '$TEST_DIR/repo-bare' && '$SECPORT' scan -q '$TEST_DIR/bare-history' && '$SECPORT' matrix"

# a shallow clone: scan what exists and say so
git clone -q --depth 2 "file://$up" "$TEST_DIR/shallow" 2>/dev/null
expect "scan a shallow clone" sp scan "$TEST_DIR/shallow"
grep -q "shallow" "$TEST_DIR/.out" && ok "shallow history is reported" || not_ok "shallow warning"

# a record with a syntax error: named with its line, nothing rewritten
sp scan -q "$up" >/dev/null 2>&1
cp -r advisories advisories.before
printf 'Advisory: XSA-101\nthis line is not a field\n' >advisories/XSA-101/record
cp advisories/XSA-101/record advisories.before/XSA-101/record
(cd "$up" && echo "x;" >>xen/common/grant.c && git add -A &&
	git -c user.name=U -c user.email=u@x commit -q -m "gnttab: more

This is XSA-101 and XSA-102 / CVE-2026-1002.")
expect_fail 128 "a broken record stops the scan" sp scan "$up"
grep -q "advisories/XSA-101/record' line 2: expected 'Field: value'" "$TEST_DIR/.out" &&
	ok "the error names file and line" || not_ok "record error message"
diff -r advisories advisories.before >/dev/null && ok "no record or patch rewritten" || not_ok "partial damage"
cp advisories.before/XSA-102/record advisories/XSA-101/record
sed -i 's/XSA-102/XSA-101/; s/CVE-2026-1002/CVE-2026-1001/' advisories/XSA-101/record
expect "after the fix the scan resumes" sp scan "$up"
grep -q " 1 new commits" "$TEST_DIR/.out" && ok "the failed batch is scanned again" || not_ok "batch retried"

# a corrupt index is rebuilt; so is one from another version
printf 'garbage, not sqlite' >.secport/index.sqlite
rm -f .secport/index.sqlite-wal .secport/index.sqlite-shm
expect "a corrupt index is rebuilt" sp scan "$up"
grep -q "rebuilding" "$TEST_DIR/.out" && ok "the rebuild is reported" || not_ok "rebuild message"
# (python3's sqlite3 module: the sqlite3 program is not among the deps)
sql() {
	python3 -c 'import sqlite3, sys
db = sqlite3.connect(".secport/index.sqlite")
db.execute(sys.argv[1]); db.commit()' "$1"
}
sql 'PRAGMA user_version = 99' &&
expect "an index of another version is rebuilt" sp scan "$up"
grep -q "version 99" "$TEST_DIR/.out" && ok "the version is named" || not_ok "version message"
# a graph that does not add up to the commits: the commands that load it
# say so, and name the index
sql 'UPDATE graph SET nr = nr - 1, oids = substr(oids, 1, length(oids) - 20)' &&
expect_fail 128 "an inconsistent graph is an error" sp matrix
grep -q "index '.*index.sqlite' is inconsistent at commit" "$TEST_DIR/.out" &&
	ok "the message names the index" || not_ok "inconsistent graph message"
rm -f .secport/index.sqlite .secport/index.sqlite-wal .secport/index.sqlite-shm
expect "a deleted index is rebuilt by the next scan" sp scan "$up"

# huge and non-UTF-8 messages
(cd "$up" && head -c 10485760 /dev/zero | tr '\0' 'a' >msg && printf '\n\nThis is XSA-103 \377\376 caf\351.\n' >>msg &&
	echo y >>xen/README && git add xen/README && git -c user.name=U -c user.email=u@x commit -q -F msg && rm msg)
expect "a 10 MB non-UTF-8 message" sp scan "$up"
grep -q "longer than 1 MiB" "$TEST_DIR/.out" && ok "the truncation is reported" || not_ok "truncation warning"
(cd "$up" && printf 'sched: caf\351 \377 fix\n\nThis is XSA-104.\n' >msg && echo z >>xen/README &&
	git add xen/README && git -c user.name=U -c user.email=u@x commit -q -F msg && rm msg)
expect "a non-UTF-8 subject" sp scan "$up"
expect "list --json stays valid JSON" sp list --json
if command -v python3 >/dev/null; then
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TEST_DIR/.out" && ok "python parses it" || not_ok "json valid"
else
	ok "# SKIP python3 not installed"
fi

# a corrupt object: the scan fails naming the commit, the index is unchanged
git clone -q --no-local "$up" "$TEST_DIR/corrupt" 2>/dev/null
(cd "$TEST_DIR/corrupt" && echo w >>xen/README && git add -A && git -c user.name=U -c user.email=u@x commit -q -m "w
This is XSA-105.")
obj=$(git -C "$TEST_DIR/corrupt" rev-parse HEAD)
f="$TEST_DIR/corrupt/.git/objects/$(echo $obj | cut -c1-2)/$(echo $obj | cut -c3-)"
chmod u+w "$f"; printf 'garbage' >"$f"
sp init "$TEST_DIR/repo3" >/dev/null
expect_fail 128 "a corrupt commit object" sh -c "cd '$TEST_DIR/repo3' && '$SECPORT' scan '$TEST_DIR/corrupt'"
grep -q "error: cannot read object '$obj'" "$TEST_DIR/.out" && ok "the error names the object" || not_ok "corrupt object message"

# tags of trees and blobs are not history: skipped
(cd "$up" && git tag -a -m "tree" treetag "master^{tree}" && git tag blobtag "master:xen/README")
expect "tags of a tree and a blob are skipped" sp scan "$up"

# two scans at once: they serialize on the lock, and both succeed
(cd "$up" && echo v >>xen/README && git add -A && git -c user.name=U -c user.email=u@x commit -q -m "v

This is XSA-106.")
sp scan -q "$up" >"$TEST_DIR/a.out" 2>&1 & pa=$!
sp scan -q "$up" >"$TEST_DIR/b.out" 2>&1 & pb=$!
wait $pa; ra=$?; wait $pb; rb=$?
[ $ra = 0 ] && [ $rb = 0 ] && ok "concurrent scans both succeed" || not_ok "concurrent scans ($ra, $rb)"
[ -f advisories/XSA-106/record ] && ok "and the result is there" || not_ok "concurrent result"
# a held lock makes a scan fail cleanly after the timeout
if command -v flock >/dev/null; then
	flock .secport/lock sleep 3 & pl=$!
	sleep 0.5
	SECPORT_LOCK_TIMEOUT=200 expect_fail 128 "a held lock times out" sp scan "$up"
	grep -q "is locked by another secport process" "$TEST_DIR/.out" && ok "lock message" || not_ok "lock message"
	kill $pl 2>/dev/null; wait $pl 2>/dev/null
else
	ok "# SKIP flock not installed"; ok "# SKIP flock not installed"
fi
done_testing
