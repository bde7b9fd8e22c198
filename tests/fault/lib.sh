# tests/fault/lib.sh: helpers for the fault-injection tests (t6002, t6003),
# sourced after tests/e2e/lib.sh.  See fault.c for the FAULT_* variables.

# is_asan: $SECPORT is the ASan build.  LD_PRELOAD does not mix with ASan
# (libasan must come first in the link map), so the preload checks run
# against the plain build only; `make check` runs both.
is_asan() {
	nm -D "$SECPORT" 2>/dev/null | grep -q __asan_init ||
		ldd "$SECPORT" 2>/dev/null | grep -q libasan
}

# skip_checks N REASON: N checks skipped, so the plan does not change
skip_checks() { i=0; while [ $i -lt "$1" ]; do ok "# SKIP $2"; i=$((i + 1)); done; }

# build_fault: compile fault.c to $FAULT_SO (the test's own copy)
FAULT_SO=$TEST_DIR/fault.so
build_fault() {
	"${CC:-cc}" -Wall -Wextra -Werror -Wshadow -shared -fPIC -o "$FAULT_SO" \
		"$SRCDIR/tests/fault/fault.c" -ldl
}

# same_file A B: same content and permission bits
same_file() {
	[ -f "$1" ] && [ -f "$2" ] && cmp -s "$1" "$2" &&
		[ "$(stat -c %a "$1")" = "$(stat -c %a "$2")" ]
}

# is_temp NAME: one of apply's temporary files (.secport-XXXXXX)
is_temp() { case ${1##*/} in .secport-??????) return 0 ;; esac; return 1; }

# old_or_new CUR PRE POST: every regular file of CUR (apply's temporary
# files aside) is as in PRE or as in POST, and a file missing from CUR is
# missing from PRE or from POST.  Prints the paths that are neither.
# Absolute paths.
old_or_new() {
	{ (cd "$1" && find . -type f); (cd "$2" && find . -type f); (cd "$3" && find . -type f); } |
		sort -u | while read -r f; do
		is_temp "$f" && continue
		if [ -e "$1/$f" ]; then
			same_file "$1/$f" "$2/$f" || same_file "$1/$f" "$3/$f" || echo "$f"
		elif [ -e "$2/$f" ] && [ -e "$3/$f" ]; then
			echo "$f (missing)"
		fi
	done
}

# same_tree A B: same files, content and modes, apply's temporary files
# (and the empty directories a killed run can leave) aside
same_tree() {
	[ -z "$( { (cd "$1" && find . -type f); (cd "$2" && find . -type f); } | sort -u |
		while read -r f; do is_temp "$f" && continue; same_file "$1/$f" "$2/$f" || echo "$f"; done)" ]
}

# temps DIR: apply's temporary files under DIR
temps() { find "$1" -name '.secport-*'; }

# snap DIR [EXCLUDE...]: a listing of everything under DIR (name, type,
# size, mode, mtime, checksum) but the EXCLUDEd subtrees and SQLite's
# -wal/-shm files (SQLite's own, recreated by any reader)
snap() {
	d=$1; shift
	prune=
	for x in "$@"; do prune="$prune -path $d/$x -prune -o"; done
	# shellcheck disable=SC2086
	find "$d" -mindepth 1 $prune ! -name '*.sqlite-wal' ! -name '*.sqlite-shm' -print |
		sort | while read -r f; do
		if [ -f "$f" ]; then
			echo "$(stat -c '%n %F %s %a %Y' "$f") $(cksum <"$f")"
		else
			stat -c '%n %F %a' "$f"
		fi
	done
}
