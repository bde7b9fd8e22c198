# lib.sh: helpers for end-to-end tests (after git's test-lib.sh).
# Each test script sources this, builds small real git repositories with
# fixed identities and dates (so commit ids repeat), runs $SECPORT and
# prints TAP.  Run by prove from `make check` with SECPORT set.

set -u
: "${SECPORT:?SECPORT must name the secport binary}"
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/secport-test.XXXXXX")
trap 'rm -rf "$TEST_DIR"' EXIT
cd "$TEST_DIR" || exit 1

export GIT_AUTHOR_NAME="A U Thor" GIT_AUTHOR_EMAIL="author@example.com"
export GIT_COMMITTER_NAME="C O Mitter" GIT_COMMITTER_EMAIL="committer@example.com"
export GIT_CONFIG_NOSYSTEM=1 HOME="$TEST_DIR" TZ=UTC LC_ALL=C
git config --global init.defaultBranch master
git config --global advice.detachedHead false
test_tick_n=1112911993
test_tick() {
	test_tick_n=$((test_tick_n + 60))
	export GIT_AUTHOR_DATE="$test_tick_n +0000" GIT_COMMITTER_DATE="$test_tick_n +0000"
}
test_tick

tap_n=0
tap_failed=0
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $*"; }
# expect DESC CMD...: the command must succeed
expect() { d=$1; shift; if "$@" >"$TEST_DIR/.out" 2>&1; then ok "$d"; else not_ok "$d"; sed 's/^/# /' "$TEST_DIR/.out"; fi; }
# expect_fail CODE DESC CMD...: the command must exit with CODE (not die by a signal)
expect_fail() {
	code=$1 d=$2; shift 2
	"$@" >"$TEST_DIR/.out" 2>&1; rc=$?
	if [ "$rc" -eq "$code" ]; then ok "$d"; else not_ok "$d (exit $rc, wanted $code)"; sed 's/^/# /' "$TEST_DIR/.out"; fi
}
# check DESC CMD...: ok when CMD succeeds
check() { d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# say TEXT: TEXT as TAP comments (at most 12 lines)
say() { [ -z "$1" ] || printf '%s\n' "$1" | sed '/^$/d' | head -12 | sed 's/^/# /'; }
# sp ARGS...: run the secport under test
sp() { "$SECPORT" "$@"; }
done_testing() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }

# commit_file PATH CONTENT MESSAGE: write a file and commit it
commit_file() {
	mkdir -p "$(dirname "$1")"
	printf '%s\n' "$2" >"$1"
	git add "$1" && test_tick && git commit -q -m "$3"
}

# demo_history: build scripts/mkhistory.sh's history in $TEST_DIR/up (or
# stop the test); sets up, and on_master PATTERN gives the newest master
# commit whose message matches PATTERN
demo_history() {
	sh "$SRCDIR/scripts/mkhistory.sh" "$TEST_DIR/up" >/dev/null 2>&1 ||
		{ not_ok "build history"; done_testing; exit 1; }
	up=$TEST_DIR/up
}
on_master() { git -C "$TEST_DIR/up" log --format=%H -1 --grep="$1" master; }
