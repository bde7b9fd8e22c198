#!/bin/sh
# Disk full and a read-only tree.  tests/fault/fault.c (LD_PRELOAD) makes
# write() and pwrite() to regular files fail with ENOSPC after N bytes, for
# N spread over what an uninterrupted run writes: `secport apply` (a patch,
# and advisories from a patch repository) and `secport scan` into a fresh
# repository must exit 128 with one error line and damage nothing (apply:
# the tree as it was; scan: the records parse and a later scan writes what
# an uninterrupted one does).  Then a read-only tree, as nobody (root
# writes anywhere): a clean error, nothing changed.  The disk-full checks
# need the plain build (see is_asan); the read-only ones run on both.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/fault/lib.sh"


# one_error FILE: FILE (a command's stderr) is one line, "error: ..."
one_error() { [ "$(wc -l <"$1")" -eq 1 ] && grep -q '^error: ' "$1"; }
# written LOG: bytes written to regular files, from a FAULT_LOG
written() { awk '$2 ~ /write/ && $3 ~ /^\// && $3 !~ /^\/(dev|proc)\// { s += $NF } END { print s + 0 }' "$1"; }
# checkpoint_start LOG: bytes written before SQLite's closing checkpoint
# (the last writes, all to the main *.sqlite file, copying the WAL in)
checkpoint_start() { awk '$2 ~ /write/ && $3 ~ /^\// && $3 !~ /^\/(dev|proc)\// { s += $NF; if ($3 !~ /\.sqlite$/) t = s } END { print t + 0 }' "$1"; }
# spread T K: 0, 1 and K points spread over 1..T-1
spread() { awk -v t="$1" -v k="$2" 'BEGIN { print 0; print 1; for (i = 1; i < k; i++) print int(t * i / k); print t - 1 }' | sort -nu; }
dir_list() { (cd "$1" && find . -type d | sort); }

# --- the trees --------------------------------------------------------------
# A: a patch of edits in two directories and a new file in a new directory
mkdir -p A/ws A/pre/src A/pre/lib
for f in src/a.c src/b.c lib/c.h; do seq 1 40 | sed "s|^|$f line |" >A/pre/$f; done
printf 'int neighbour;\n' >A/ws/neighbour.c
cp -a A/pre A/g && git -C A/g init -q && git -C A/g add -A && git -C A/g commit -q -m pre
sed -i 's/line 10$/line 10 changed/' A/g/src/a.c A/g/src/b.c
sed -i 's/line 20$/line 20 changed/' A/g/lib/c.h
mkdir -p A/g/new/dir && printf 'brand new\n' >A/g/new/dir/n.c && git -C A/g add -A
git -C A/g diff --cached >A/ws/fix.patch
cp -a A/pre A/post && sp apply -q --tree A/post --patch A/ws/fix.patch >/dev/null 2>&1 ||
	not_ok "apply the patch"

# C: advisories from a patch repository (as t6002): two files change
mkdir C
sh "$SRCDIR/scripts/mkhistory.sh" C/up >/dev/null 2>&1 || not_ok "mkhistory"
sp init C/ws/r >/dev/null && (cd C/ws/r && sp scan -q ../../up) >/dev/null 2>&1 || not_ok "scan"
mkdir C/pre && git -C C/up archive RELEASE-1.1.1 | tar -x -C C/pre
{ printf 'vendor 1;\nvendor 2;\nvendor 3;\n'; cat C/pre/xen/common/grant.c; } >C/g && mv C/g C/pre/xen/common/grant.c
cp -a C/pre C/post
(cd C/ws/r && sp apply -q --tree ../../post XSA-101 XSA-102 CVE-2026-1003) >/dev/null 2>&1 || not_ok "apply the advisories"
IDS="XSA-101 XSA-102 CVE-2026-1003"

# --- disk full: apply --patch -------------------------------------------------
enospc_patch() {
	rm -rf A/ws/tree && cp -a A/pre A/ws/tree
	(cd A/ws && FAULT_LOG="$TEST_DIR/a.log" LD_PRELOAD="$FAULT_SO" "$SECPORT" apply -q --tree tree --patch fix.patch) >/dev/null 2>&1
	t=$(written a.log)
	before=$(snap A/ws tree)
	ns= bad_rc= bad_err= bad_tree= bad_dirs= bad_out=
	for n in $(spread "$t" 4); do
		ns="$ns $n"
		rm -rf A/ws/tree && cp -a A/pre A/ws/tree
		(cd A/ws && FAULT_ENOSPC_AFTER=$n LD_PRELOAD="$FAULT_SO" "$SECPORT" apply -q --tree tree --patch fix.patch) >.out 2>.err
		rc=$?
		[ $rc -eq 128 ] || bad_rc="$bad_rc N=$n: exit $rc"
		one_error .err || bad_err="$bad_err
N=$n: $(cat .err)"
		same_tree A/ws/tree A/pre && [ -z "$(temps A/ws/tree)" ] || bad_tree="$bad_tree N=$n"
		[ "$(dir_list A/ws/tree)" = "$(dir_list A/pre)" ] || bad_dirs="$bad_dirs
N=$n: $(dir_list A/ws/tree | grep -vxF "$(dir_list A/pre)" | tr '\n' ' ')"
		[ "$(snap A/ws tree)" = "$before" ] || bad_out="$bad_out N=$n"
	done
	check "apply --patch, disk full after N of $t bytes (N =$ns): exit 128 each time" test -z "$bad_rc"
	say "$bad_rc"
	check "apply --patch, disk full: one error line each time" test -z "$bad_err"
	say "$bad_err"
	check "apply --patch, disk full: every file as it was, no temporary files" test -z "$bad_tree"
	say "$bad_tree"
	# apply.c write_all(): write_temp() creates the new file's directories
	# and nothing removes them when a later write fails
	check "apply --patch, disk full: no directory created" test -z "$bad_dirs"
	say "$bad_dirs"
	check "apply --patch, disk full: nothing outside the tree changed" test -z "$bad_out"
	say "$bad_out"
	(cd A/ws && "$SECPORT" apply -q --tree tree --patch fix.patch) >.out 2>&1 && same_tree A/ws/tree A/post &&
		ok "apply --patch: with room again the apply completes" ||
		{ not_ok "apply --patch: with room again the apply completes"; say "$(cat .out)"; }
}

# --- disk full: apply --tree DIR ID... ----------------------------------------
enospc_ids() {
	ix=C/ws/r/.secport/index.sqlite
	cp "$ix" ix.good
	rm -rf C/ws/t && cp -a C/pre C/ws/t
	(cd C/ws/r && FAULT_LOG="$TEST_DIR/c.log" LD_PRELOAD="$FAULT_SO" "$SECPORT" apply -q --tree ../t $IDS) >/dev/null 2>&1
	t=$(written c.log)
	ns= bad_rc= bad_err= bad_tree= bad_ix= bad_after=
	for n in $(spread "$t" 4); do
		ns="$ns $n"
		rm -rf C/ws/t "$ix-wal" "$ix-shm" && cp -a C/pre C/ws/t && cp ix.good "$ix"
		(cd C/ws/r && FAULT_ENOSPC_AFTER=$n LD_PRELOAD="$FAULT_SO" "$SECPORT" apply -q --tree ../t $IDS) >.out 2>.err
		rc=$?
		[ $rc -eq 128 ] || bad_rc="$bad_rc N=$n: exit $rc"
		one_error .err || bad_err="$bad_err
N=$n: $(tr '\n' ' ' <.err)"
		s=$(old_or_new "$TEST_DIR/C/ws/t" "$TEST_DIR/C/pre" "$TEST_DIR/C/post")
		[ -z "$s$(temps C/ws/t)" ] || bad_tree="$bad_tree N=$n: $s $(temps C/ws/t)"
		cmp -s "$ix" ix.good || bad_ix="$bad_ix N=$n: $(stat -c %s "$ix") bytes"
		(cd C/ws/r && "$SECPORT" apply -q --tree ../t $IDS) >.out 2>&1 && same_tree C/ws/t C/post ||
			bad_after="$bad_after N=$n: $(tr '\n' ' ' <.out)"
	done
	check "apply IDs, disk full after N of $t bytes (N =$ns): exit 128 each time" test -z "$bad_rc"
	say "$bad_rc"
	# index.c index_open(): the failed open, the failed re-creation and
	# "cannot create" are three errors for one failure
	check "apply IDs, disk full: one error line each time" test -z "$bad_err"
	say "$bad_err"
	check "apply IDs, disk full: every file old or new (whole patches), no temporary files" test -z "$bad_tree"
	say "$bad_tree"
	# index.c index_open(): any failure of try_open(), SQLITE_FULL from
	# the -shm file included, is "unusable: rebuilding it": the good index
	# is unlinked and its re-creation fails too, leaving an empty file
	check "apply IDs, disk full: the index is kept" test -z "$bad_ix"
	say "$bad_ix"
	check "apply IDs, disk full: with room again the apply completes" test -z "$bad_after"
	say "$bad_after"
}

# --- disk full: scan into a fresh repository ----------------------------------
enospc_scan() {
	sp init ref >/dev/null
	(cd ref && FAULT_LOG="$TEST_DIR/s.log" LD_PRELOAD="$FAULT_SO" "$SECPORT" scan -q ../C/up) >/dev/null 2>&1 ||
		not_ok "reference scan"
	(cd ref && "$SECPORT" list) >list.ref 2>&1
	t=$(checkpoint_start s.log) all=$(written s.log)
	ns= bad_rc= bad_err= bad_list= bad_tmp= bad_after=
	for n in $(spread "$t" 8) $(((t + all) / 2)); do
		ns="$ns $n"
		rm -rf s && sp init s >/dev/null
		(cd s && FAULT_ENOSPC_AFTER=$n LD_PRELOAD="$FAULT_SO" "$SECPORT" scan -q ../C/up) >.out 2>.err
		rc=$?
		if [ $n -ge $t ]; then
			# a failed checkpoint keeps the data in the WAL: success
			[ $rc -eq 0 ] && [ ! -s .err ] || bad_rc="$bad_rc N=$n (checkpoint): exit $rc"
		else
			[ $rc -eq 128 ] || bad_rc="$bad_rc N=$n: exit $rc"
			one_error .err || bad_err="$bad_err
N=$n: $(tr '\n' ' ' <.err)"
		fi
		(cd s && "$SECPORT" list) >.out 2>&1 || bad_list="$bad_list N=$n: $(head -1 .out)"
		[ -z "$(find s -name '*.tmp*')" ] || bad_tmp="$bad_tmp N=$n: $(find s -name '*.tmp*' | tr '\n' ' ')"
		if (cd s && "$SECPORT" scan -q ../C/up) >.out 2>&1 && diff -r ref/advisories s/advisories >/dev/null &&
			(cd s && "$SECPORT" list) 2>&1 | cmp -s - list.ref; then :; else
			bad_after="$bad_after N=$n"
		fi
	done
	check "scan, disk full after N of $t bytes (N =$ns): exit 128 each time (0 when only the closing checkpoint fails)" test -z "$bad_rc"
	say "$bad_rc"
	# index.c index_open(), as above
	check "scan, disk full: one error line each time" test -z "$bad_err"
	say "$bad_err"
	check "scan, disk full: the records parse (list) after each" test -z "$bad_list"
	say "$bad_list"
	check "scan, disk full: no temporary files left" test -z "$bad_tmp"
	say "$bad_tmp"
	check "scan, disk full: a later scan writes what an uninterrupted one does; list agrees" test -z "$bad_after"
	say "$bad_after"
}

if is_asan; then
	skip_checks 17 "preload faults need the plain build"
elif build_fault; then
	ok "build the preload library"
	enospc_patch
	enospc_ids
	enospc_scan
else
	not_ok "build the preload library"
	skip_checks 16 "no preload library"
fi

# --- a read-only tree -----------------------------------------------------------
# root writes anywhere: as root the commands run as nobody (setpriv) on
# copies nobody owns
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
		chmod 755 "$TEST_DIR"
		as_user() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups env HOME="$TEST_DIR" "$@"; }
	fi
else
	as_user() { "$@"; }
fi
if command -v as_user >/dev/null 2>&1; then
	mkdir ro && cp -a A/ws ro/a && cp -a C/ws ro/c && rm -rf ro/a/tree ro/c/t &&
		cp -a A/pre ro/a/tree && cp -a C/pre ro/c/t
	[ "$(id -u)" -eq 0 ] && chown -R nobody ro
	chmod -R a-w ro/a/tree ro/c/t
	cp -a ro/a/tree ro/a.before && cp -a ro/c/t ro/c.before

	(cd ro/a && as_user "$SECPORT" apply -q --tree tree --patch fix.patch) >.out 2>.err; rc=$?
	check "read-only tree, apply --patch: exit 128 (got $rc)" test $rc -eq 128
	check "read-only tree, apply --patch: one error line" one_error .err
	say "$(cat .err)"
	check "read-only tree, apply --patch: nothing changed" sh -c "diff -r ro/a.before ro/a/tree >/dev/null && [ \"\$(cd ro/a.before && find . -printf '%p %m\n' | sort)\" = \"\$(cd ro/a/tree && find . -printf '%p %m\n' | sort)\" ]"

	(cd ro/c/r && as_user "$SECPORT" apply -q --tree ../t $IDS) >.out 2>.err; rc=$?
	check "read-only tree, apply IDs: exit 128 (got $rc)" test $rc -eq 128
	check "read-only tree, apply IDs: one error line" one_error .err
	say "$(cat .err)"
	check "read-only tree, apply IDs: nothing changed" sh -c "diff -r ro/c.before ro/c/t >/dev/null && [ \"\$(cd ro/c.before && find . -printf '%p %m\n' | sort)\" = \"\$(cd ro/c/t && find . -printf '%p %m\n' | sort)\" ]"

	# only src/ read-only: lib/c.h's and new/dir/n.c's temporary files are
	# written before src/a.c's fails
	rm -rf ro/p && cp -a A/ws ro/p && rm -rf ro/p/tree && cp -a A/pre ro/p/tree
	[ "$(id -u)" -eq 0 ] && chown -R nobody ro/p
	chmod a-w ro/p/tree/src
	(cd ro/p && as_user "$SECPORT" apply -q --tree tree --patch fix.patch) >.out 2>.err; rc=$?
	check "src/ read-only, apply --patch: exit 128 (got $rc), one error line" sh -c "[ $rc -eq 128 ] && [ \$(wc -l <.err) -eq 1 ]"
	say "$(cat .err)"
	check "src/ read-only: every file as it was, no temporary files" test -z "$(old_or_new "$TEST_DIR/ro/p/tree" "$TEST_DIR/A/pre" "$TEST_DIR/A/pre")$(temps ro/p/tree)"
	check "src/ read-only: no directory created" test "$(dir_list ro/p/tree)" = "$(dir_list A/pre)"
	chmod -R u+w ro
else
	skip_checks 9 "root without setpriv or a nobody user"
fi
done_testing
