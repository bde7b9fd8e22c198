#!/bin/sh
# The diff of each patch a scan writes is git's own diff of the commit
# (git show --format=), whether the patch is made blob to blob (plain files:
# nested directories, new, deleted, a file replaced by a directory) or by
# libgit2's tree diff (an executable, a mode change, a symlink).
. "$(dirname "$0")/lib.sh"

git init -q up && cd up
mkdir -p a/b/c d
for f in a/b/c/deep.c a/b/mid.c top.c d/gone.c foo run.sh; do
	seq 1 30 | sed "s|^|$f line |" >$f
done
git add -A && test_tick && git commit -q -m base
sed -i 's/line 15$/line fifteen/' a/b/c/deep.c top.c
seq 1 5 >a/b/new.c
git rm -q d/gone.c foo
mkdir foo && echo inside >foo/x
git add -A && test_tick && git commit -q -m "fix one

This is XSA-1."
sed -i 's/line 3$/line three/' a/b/mid.c
chmod +x run.sh
ln -s top.c link
git add -A && test_tick && git commit -q -m "fix two

This is XSA-2."
test_tick && git commit -q --allow-empty -m "fix three, which changes nothing

This is XSA-3."
cd ..

sp init repo >/dev/null && cd repo
expect "scan" sp scan -q "$TEST_DIR/up"
for x in 1 2; do
	c=$(git -C "$TEST_DIR/up" log --format=%H -1 --grep="XSA-$x")
	p=$(ls advisories/XSA-$x/*.patch)
	git -C "$TEST_DIR/up" show --format= "$c" >want
	# the diff: after the diffstat's blank line, up to the signature
	sed -n '/^---$/,$p' "$p" | sed '1,/^$/d' | sed '/^-- $/,$d' >got
	if cmp -s want got; then
		ok "XSA-$x: the patch's diff is git's"
	else
		not_ok "XSA-$x: the patch's diff is git's"
		diff want got | say "$(cat)"
	fi
done
# an empty commit: no patch, as git format-patch writes none; the record
# still names it, and status and apply have nothing to do for it
c=$(git -C "$TEST_DIR/up" log --format=%H -1 --grep="XSA-3")
check "an empty fix commit gets a record" grep -qx "Fixed-By: $c" advisories/XSA-3/record
check "and no patch" [ -z "$(ls advisories/XSA-3/*.patch 2>/dev/null)" ]
git -C "$TEST_DIR/up" worktree add -q --detach "$TEST_DIR/tree" HEAD~2 2>/dev/null
sp status --tree "$TEST_DIR/tree" >"$TEST_DIR/.out" 2>&1; rc=$?
check "status of a tree copes with it (exit $rc)" [ $rc -le 1 ]
grep -q "XSA-3" "$TEST_DIR/.out" && ! grep -q "^error" "$TEST_DIR/.out" &&
	ok "status lists it without an error" || { not_ok "status lists it without an error"; say "$(cat "$TEST_DIR/.out")"; }
done_testing
