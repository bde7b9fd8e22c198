#!/bin/sh
# valgrind-secport.sh: ./secport under valgrind, for `make valgrind`, which
# sets SECPORT to this script and runs a subset of the e2e tests.  Any
# memory error or definite leak makes the command exit 99 (which the tests
# report as a failure); the report goes to stderr, or with VALGRIND_LOG_DIR
# set to a file per process there (empty when clean).
top=$(cd "$(dirname "$0")/.." && pwd)
log=
[ -n "${VALGRIND_LOG_DIR:-}" ] && log=--log-file=$VALGRIND_LOG_DIR/vg.%p.log
exec valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \
	--suppressions="$top/tests/valgrind.supp" $log "$top/secport" "$@"
