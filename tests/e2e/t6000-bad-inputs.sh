#!/bin/sh
# The catalogue of bad inputs (doc/bad-inputs.md): each row that no other
# test covers.  Every case: a clear message, a sane exit code, nothing
# damaged.
. "$(dirname "$0")/lib.sh"

says() { grep -q "$1" "$TEST_DIR/.out"; }

demo_history
sp init repo >/dev/null
cd repo
sp scan -q "$up" >/dev/null 2>&1 || not_ok "first scan"
rec=advisories/XSA-101/record
cp "$rec" "$TEST_DIR/record.good"

# --- records ---------------------------------------------------------------
# a duplicate field: an error naming file, line and field; nothing rewritten
printf 'Advisory: XSA-101\nSubject: a\nsubject: b\n' >"$rec"
cp -r advisories "$TEST_DIR/adv.before"
expect_fail 128 "record: duplicate field fails list" sp list
says "XSA-101/record' line 3: duplicate field 'subject'" && ok "record: the error names line and field" || not_ok "duplicate message"
expect_fail 128 "record: duplicate field fails show" sp show XSA-101
expect "record: scan with a broken record it need not touch" sp scan "$up"
check "record: nothing rewritten" diff -r "$TEST_DIR/adv.before" advisories

# unknown fields are kept, by a rewrite too
cp "$TEST_DIR/record.good" "$rec"
printf 'X-Local-Triage: keep me\nX-Multi: one\n two\n' >>"$rec"
expect "record: unknown fields are accepted" sp list
expect "record: scan --rewrite" sp scan -q --rewrite "$up"
check "record: unknown field kept by a rewrite" grep -q '^X-Local-Triage: keep me$' "$rec"
check "record: unknown multi-line field kept" grep -q '^ two$' "$rec"
expect "record: show prints unknown fields" sp show XSA-101
says "keep me" && ok "record: shown" || not_ok "unknown field shown"

# CRLF: parsed as LF, rewritten as LF
cp "$TEST_DIR/record.good" "$rec"
sed -i 's/$/\r/' "$rec"
expect "record: CRLF record lists" sp list
expect "record: CRLF record shows" sp show --json XSA-101
check "record: no CR in the values" sh -c "! grep -q \"\$(printf '\r')\" '$TEST_DIR/.out'"
expect "record: CRLF record rewritten" sp scan -q --rewrite "$up"
check "record: written back with LF" sh -c "! grep -q \"\$(printf '\r')\" '$rec'"

# non-UTF-8 in a record: list --json stays valid JSON
cp "$TEST_DIR/record.good" "$rec"
printf 'X-Text: caf\351 \377\376\n' >>"$rec"
expect "record: non-UTF-8 text" sp show --json XSA-101
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TEST_DIR/.out" &&
	ok "record: show --json is valid JSON" || not_ok "non-UTF-8 json"

# larger than 4 MiB: refused with the limit named
{ cat "$TEST_DIR/record.good"; printf 'Notes: big\n'; head -c 5000000 /dev/zero | tr '\0' a | fold -w 100 | sed 's/^/ /'; } >"$rec"
expect_fail 128 "record: larger than 4 MiB is refused" sp list
says "record larger than 4 MiB" && ok "record: the limit is named" || not_ok "record size message"
cp "$TEST_DIR/record.good" "$rec"

# --- patches (secport apply) -----------------------------------------------
cd "$TEST_DIR"
mkdir -p t
printf 'a\nb\nc\n' >t/f.c
cp -r t t.orig

: >empty.patch
expect_fail 128 "patch: empty" sp apply --tree t --patch empty.patch
says "no file changes found" && ok "patch: empty says so" || not_ok "empty message"
printf 'diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n' >nohunk.patch
expect_fail 128 "patch: a file section without hunks" sp apply --tree t --patch nohunk.patch
says "line 3: file section has no hunks" && ok "patch: no hunks names the line" || not_ok "no hunks message"

printf -- '--- a/f.c\r\n+++ b/f.c\r\n@@ -1,3 +1,3 @@\r\n a\r\n-b\r\n+B\r\n c\r\n' >crlf.patch
cp -r t.orig t1
expect "patch: CRLF patch on an LF file" sp apply --tree t1 --patch crlf.patch
printf 'a\nB\nc\n' >want
check "patch: the file stays LF" cmp t1/f.c want

printf -- '--- a/f.c\n+++ b/f.c\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n' >short.patch
expect_fail 128 "patch: fewer lines than the @@ counts" sp apply --tree t --patch short.patch
says "short.patch': line 6: patch ends in the middle of a hunk" && ok "patch: names the line" || not_ok "short message"
printf -- '--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @@\n a\n-b\n+B\n c\n' >long.patch
cp -r t.orig t2
expect "patch: lines past the @@ counts are trailing text (as git apply)" sp apply --tree t2 --patch long.patch
check "patch: only the counted lines applied" cmp t2/f.c want
printf -- '--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @\n a\n' >hdr.patch
expect_fail 128 "patch: malformed @@ header" sp apply --tree t --patch hdr.patch

mkdir -p outside
printf -- '--- a/x/../../outside/p.c\n+++ b/x/../../outside/p.c\n@@ -0,0 +1 @@\n+p\n' >mid.patch
expect_fail 128 "patch: '..' inside a path" sp apply --tree t --patch mid.patch
check "patch: nothing written outside" test ! -e outside/p.c
printf 'secret\n' >outside/s.c
ln -s ../outside/s.c t/s.c
printf -- '--- a/s.c\n+++ b/s.c\n@@ -1 +1 @@\n-secret\n+pwned\n' >sl.patch
expect_fail 128 "patch: the target file is a symlink" sp apply --tree t --patch sl.patch
check "patch: the link's target untouched" grep -q '^secret$' outside/s.c
rm t/s.c
mkdir -p t/d.c && printf 'x\n' >t/other.c
printf -- '--- a/other.c\n+++ b/other.c\n@@ -1 +1 @@\n-x\n+y\n--- a/d.c\n+++ b/d.c\n@@ -1 +1 @@\n-a\n+b\n' >dir.patch
expect_fail 1 "patch: a directory where the file should be" sp apply --tree t --patch dir.patch
says "not a regular file" && ok "patch: says so for that file" || not_ok "directory message"
check "patch: nothing written (the other file neither)" grep -qx x t/other.c
rmdir t/d.c; rm t/other.c
printf 'diff --git a/b.bin b/b.bin\nindex 1..2 100644\nGIT binary patch\nliteral 5\nMcmZ?b00001\n\nliteral 0\nHcmV?d00001\n\n' >gbin.patch
expect_fail 1 "patch: a GIT binary patch is refused" sp apply --tree t --patch gbin.patch
says "binary" && ok "patch: says binary" || not_ok "binary message"

printf 'caf\351\n' >t/l.c
printf -- '--- a/l.c\n+++ b/l.c\n@@ -1 +1 @@\n-caf\351\n+caf\351 cr\350me\n' >latin.patch
expect "patch: non-UTF-8 lines" sp apply --tree t --patch latin.patch
printf 'caf\351 cr\350me\n' >want.l
check "patch: bytes kept exactly" cmp t/l.c want.l

# a malformed quoted file name must be an error, never a crash
printf -- '--- "f.c\n+++ "f.c\n@@ -1 +1 @@\n-a\n+b\n' >quote.patch
"$SECPORT" apply --tree t --patch quote.patch >.out 2>&1; rc=$?
check "patch: unterminated quoted name is an error (exit $rc, wanted 128)" test "$rc" -eq 128
check "patch: the tree is unchanged" cmp t/f.c t.orig/f.c

head -c 70000000 /dev/zero >huge.patch
expect_fail 128 "patch: larger than 64 MiB is refused" sp apply --tree t --patch huge.patch
check "patch: the message names the limit" says "larger than"
rm -f huge.patch

# --- import ----------------------------------------------------------------
{ echo "CVE-2024-1 $(printf '%040d' 0)"; head -c 17000000 /dev/zero | tr '\0' '#'; } >big.list
expect_fail 128 "import: a list larger than 16 MiB is refused" sh -c "cd repo && '$SECPORT' import ../big.list"
rm -f big.list

# --- histories (secport scan) ----------------------------------------------
cd "$up"
git tag backup-2024 master~2
git tag RELEASE-notes master:xen/README
git checkout -q --orphan orphan
git rm -rqf .
echo o >o.c && git add o.c && git -c user.name=U -c user.email=u@x commit -q -m "orphan root

This is XSA-200."
echo p >>o.c && git -c user.name=U -c user.email=u@x commit -q -am "orphan fix

This is XSA-201 / CVE-2026-2001."
git checkout -q master
git -c user.name=U -c user.email=u@x merge -q --allow-unrelated-histories -m "merge orphan" orphan
cd "$TEST_DIR/repo"
expect "history: two root commits (an orphan branch merged)" sp scan "$up"
check "history: the orphan's advisories found" test -f advisories/XSA-200/record -a -f advisories/XSA-201/record
expect "history: affected with two roots" sp affected XSA-101 XSA-201
check "history: a tag that is not a release is not one" sh -c "! grep -q backup-2024 '$TEST_DIR/.out'"
check "history: a tag of a blob is not a release" sh -c "! grep -q RELEASE-notes '$TEST_DIR/.out'"

# grafted history: a replace ref is not history, and not a second fix
cd "$up"
fix=$(git log --format=%H --grep='This is XSA-101' master)
git replace --graft "$fix"
repl=$(git rev-parse "refs/replace/$fix")
cd "$TEST_DIR"
sp init repo2 >/dev/null
cd repo2
expect "history: grafted (git replace --graft)" sp scan "$up"
check "history: the real fix is recorded" grep -q "$fix" advisories/XSA-101/record
check "history: the replacement commit is not a second fix" sh -c "! grep -q '$repl' advisories/XSA-101/record"
expect "history: info/grafts is ignored" sh -c "echo $fix >'$up/.git/info/grafts' && '$SECPORT' scan '$up'"
rm -f "$up/.git/info/grafts"

# shallow with depth 1: the Fixes: target is missing
git clone -q --depth 1 "file://$up" "$TEST_DIR/shallow1" 2>/dev/null
sp init "$TEST_DIR/repo3" >/dev/null
expect "history: depth-1 shallow clone" sh -c "cd '$TEST_DIR/repo3' && '$SECPORT' scan '$TEST_DIR/shallow1'"
says "shallow" && ok "history: shallow reported" || not_ok "shallow warning"
done_testing
