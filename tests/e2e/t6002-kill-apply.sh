#!/bin/sh
# Fault injection for apply: tests/fault/fault.c (LD_PRELOAD) kills
# `secport apply` with SIGKILL before its Nth rename(), write(), pwrite(),
# close() or unlink(), for N = 1, 2, ... until a run completes, so the state
# after every such call is visited.  After each kill: every file of the
# tree is its old or its new content (and mode), nothing outside the tree
# changed, leftover temporary files cannot pass for sources, and a rerun
# succeeds (or says already applied) and leaves what an uninterrupted apply
# leaves.  Three runs: a patch of edits and a new file (--patch), a patch
# that deletes and renames (--patch), and advisories from a patch
# repository (apply --tree DIR ID...).  Plain build only (see is_asan).
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/fault/lib.sh"


CHECKS_PER_RUN=8
if is_asan; then
	skip_checks $((1 + 3 * CHECKS_PER_RUN)) "preload faults need the plain build"
	done_testing; exit
fi
build_fault && ok "build the preload library" || { not_ok "build the preload library"; done_testing; exit 1; }
mkdir -p "$TEST_DIR/tmp"

# kill_loop NAME RUNDIR TREE PRE POST CMD...: the kill loop for one apply
# command (CMD, run in RUNDIR) on TREE, reset from PRE before each run;
# POST is what an uninterrupted apply leaves.  Everything beside TREE in its
# parent directory must stay as it was.  Prints CHECKS_PER_RUN checks.
kill_loop() {
	name=$1 rundir=$2 tree=$3 pre=$4 post=$5; shift 5
	ws=$(dirname "$tree") tb=$(basename "$tree")
	snap "$ws" "$tb" >"$TEST_DIR/snap.before"
	n=0 points=0 left=0 srcish= bad_state= bad_outside= bad_rerun= bad_result= unswept=
	while :; do
		n=$((n + 1))
		rm -rf "$tree" "$TEST_DIR/fault.log"
		cp -a "$pre" "$tree"
		# in the background: wait keeps the shell's "Killed" off stderr
		(cd "$rundir" && FAULT_KILL_AT=$n FAULT_LOG="$TEST_DIR/fault.log" \
			LD_PRELOAD="$FAULT_SO" TMPDIR="$TEST_DIR/tmp" exec "$@") >/dev/null 2>&1 &
		wait $! 2>/dev/null
		rc=$?
		[ $rc -eq 137 ] && [ $n -lt 2000 ] || break
		points=$((points + 1))
		at=$(tail -n 1 "$TEST_DIR/fault.log" | sed "s|$TEST_DIR/||g")
		s=$(old_or_new "$tree" "$pre" "$post")
		[ -z "$s" ] || bad_state="$bad_state
kill before $at: neither old nor new: $(echo $s)"
		snap "$ws" "$tb" >"$TEST_DIR/snap.now"
		cmp -s "$TEST_DIR/snap.before" "$TEST_DIR/snap.now" && [ -z "$(ls -A "$TEST_DIR/tmp")" ] ||
			bad_outside="$bad_outside
kill before $at: $(diff "$TEST_DIR/snap.before" "$TEST_DIR/snap.now" | grep '^[<>]' | head -3 | tr '\n' ' ') $(ls -A "$TEST_DIR/tmp")"
		t=$(temps "$tree")
		if [ -n "$t" ]; then
			left=$((left + 1))
			for f in $t; do is_temp "$f" || srcish="$srcish ${f#"$tree"/}"; done
		fi
		if ! (cd "$rundir" && TMPDIR="$TEST_DIR/tmp" "$@") >"$TEST_DIR/.out" 2>&1; then
			bad_rerun="$bad_rerun
kill before $at: rerun: $(grep -E 'failed|error' "$TEST_DIR/.out" | head -2 | tr '\n' ' ')"
		fi
		same_tree "$tree" "$post" || bad_result="$bad_result
kill before $at"
		[ -z "$(temps "$tree")" ] || unswept="$unswept
kill before $at: $(temps "$tree" | sed "s|$tree/||" | tr '\n' ' ')"
	done
	# the last run was not killed: it must have completed as usual
	if [ $rc -eq 0 ] && [ $points -gt 0 ] && same_tree "$tree" "$post" && [ -z "$(temps "$tree")" ]; then
		ok "$name: killed at each of $points points, then a run completed"
	else
		not_ok "$name: killed at each of $points points, then a run completed (exit $rc)"
	fi
	(cd "$rundir" && TMPDIR="$TEST_DIR/tmp" "$@") >"$TEST_DIR/.out" 2>&1; rc=$?
	check "$name: applying again to the result says already applied" test $rc -eq 0
	[ $rc -eq 0 ] || say "$(grep -E 'failed|error' "$TEST_DIR/.out")"
	check "$name: every file old or new after each kill" test -z "$bad_state"
	say "$bad_state"
	check "$name: nothing outside the tree changed" test -z "$bad_outside"
	say "$bad_outside"
	check "$name: temporary files left by $left of $points kills are hidden .secport-XXXXXX files, not sources" test -z "$srcish"
	say "$srcish"
	check "$name: a rerun after each kill succeeds" test -z "$bad_rerun"
	say "$bad_rerun"
	check "$name: then the tree is as an uninterrupted apply leaves it" test -z "$bad_result"
	say "$bad_result"
	check "$name: a rerun removes the temporary files a killed run left" test -z "$unswept"
	say "$unswept"
}

# mkpatch PRE EDIT OUT: the git diff (renames found) from PRE to EDIT
mkpatch() {
	rm -rf "$TEST_DIR/g" && cp -a "$1" "$TEST_DIR/g" &&
		git -C "$TEST_DIR/g" init -q && git -C "$TEST_DIR/g" add -A &&
		git -C "$TEST_DIR/g" commit -q -m pre && git -C "$TEST_DIR/g" rm -rq . &&
		cp -a "$2/." "$TEST_DIR/g/" && git -C "$TEST_DIR/g" add -A &&
		git -C "$TEST_DIR/g" diff --cached -M >"$3" && rm -rf "$TEST_DIR/g"
}

# --- a patch of edits in two directories and a new file in a new one ------
# (made by git diff from a tree and its edited copy)
mkdir -p A/ws A/pre/src A/pre/lib
for f in src/a.c src/b.c lib/c.h README; do seq 1 40 | sed "s|^|$f line |" >A/pre/$f; done
chmod 755 A/pre/src/b.c
printf 'int neighbour;\n' >A/ws/neighbour.c
cp -a A/pre A/edit
sed -i 's/line 10$/line 10 changed/; s/line 30$/line 30 changed/' A/edit/src/a.c
sed -i 's/line 20$/line 20 changed/' A/edit/src/b.c A/edit/lib/c.h
mkdir -p A/edit/new/dir && printf 'brand new\n' >A/edit/new/dir/n.c
mkpatch A/pre A/edit A/ws/fix.patch
cp -a A/pre A/post
sp apply -q --tree A/post --patch A/ws/fix.patch >/dev/null 2>&1
if same_tree A/post A/edit; then
	kill_loop "edits" "$TEST_DIR/A/ws" "$TEST_DIR/A/ws/tree" "$TEST_DIR/A/pre" "$TEST_DIR/A/post" \
		"$SECPORT" apply -q --tree tree --patch fix.patch
else
	not_ok "edits: an uninterrupted apply gives the edited tree"
	skip_checks $((CHECKS_PER_RUN - 1)) "no reference result"
fi

# --- a patch that deletes a file, renames one with an edit, changes a mode -
mkdir -p B/ws
cp -a A/pre B/pre
cp -a A/pre B/edit
printf 'int neighbour;\n' >B/ws/neighbour.c
rm B/edit/README
mv B/edit/src/a.c B/edit/src/a_moved.c
sed -i 's/line 5$/line 5 moved/' B/edit/src/a_moved.c
sed -i 's/line 7$/line 7 edited/' B/edit/lib/c.h
chmod 644 B/edit/src/b.c
mkpatch B/pre B/edit B/ws/fix.patch
cp -a B/pre B/post
sp apply -q --tree B/post --patch B/ws/fix.patch >/dev/null 2>&1
if same_tree B/post B/edit; then
	# apply.c prepare(): a file the patch deletes or renames that is
	# already gone is "no such file in the tree", and a rename whose
	# target exists fails, so a rerun cannot finish an interrupted apply
	kill_loop "delete+rename" "$TEST_DIR/B/ws" "$TEST_DIR/B/ws/tree" "$TEST_DIR/B/pre" "$TEST_DIR/B/post" \
		"$SECPORT" apply -q --tree tree --patch fix.patch
else
	not_ok "delete+rename: an uninterrupted apply gives the edited tree"
	skip_checks $((CHECKS_PER_RUN - 1)) "no reference result"
fi

# --- advisories from a patch repository: apply --tree DIR ID... -----------
# RELEASE-1.1.1 with three vendor lines atop grant.c (as t3100): XSA-102
# part 1 and CVE-2026-1003 apply, one file each; XSA-101 is already there
mkdir C
sh "$SRCDIR/scripts/mkhistory.sh" C/up >/dev/null 2>&1 || not_ok "mkhistory"
sp init C/ws/r >/dev/null && (cd C/ws/r && sp scan -q ../../up) >/dev/null 2>&1 || not_ok "scan"
mkdir C/pre && git -C C/up archive RELEASE-1.1.1 | tar -x -C C/pre
{ printf 'vendor 1;\nvendor 2;\nvendor 3;\n'; cat C/pre/xen/common/grant.c; } >C/g && mv C/g C/pre/xen/common/grant.c
cp -a C/pre C/ws/post
(cd C/ws/r && sp apply -q --tree ../post XSA-101 XSA-102 CVE-2026-1003) >/dev/null 2>&1
mv C/ws/post C/post
if [ "$(old_or_new "$TEST_DIR/C/post" "$TEST_DIR/C/pre" /dev/null 2>/dev/null | wc -l)" -eq 2 ]; then
	kill_loop "advisories" "$TEST_DIR/C/ws/r" "$TEST_DIR/C/ws/t" "$TEST_DIR/C/pre" "$TEST_DIR/C/post" \
		"$SECPORT" apply -q --tree ../t XSA-101 XSA-102 CVE-2026-1003
else
	not_ok "advisories: an uninterrupted apply changes two files"
	skip_checks $((CHECKS_PER_RUN - 1)) "no reference result"
fi
done_testing
