#!/bin/sh
# fuzz/run.sh SECONDS NAME...: run each libFuzzer harness build/fuzz/fuzz-NAME
# for SECONDS, seeded from fuzz/corpus/NAME (read only: new inputs go to
# build/fuzz/corpus/NAME), and print one summary line per harness:
# executions, and whether it crashed, leaked or tripped a sanitizer.
# Crashing inputs land in build/fuzz/artifacts/.  Exits 1 if any failed.
set -u
secs=$1; shift
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/fuzz
mkdir -p "$out/artifacts" "$out/logs"
# libFuzzer reports leaks itself; tests/lsan.supp covers libgit2's globals
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0
max_len() {
	case $1 in
	config) echo 8192 ;;
	record | trailers) echo 32768 ;;
	*) echo 65536 ;;
	esac
}
# executions per harness for FUZZ_RUNS=ci: what runs in about 25 s here
ci_runs() {
	case $1 in
	trailers) echo 700000 ;;
	record) echo 1300000 ;;
	patch) echo 800000 ;;
	place) echo 150000 ;;
	import) echo 100000 ;;
	config) echo 60000 ;;
	*) echo 100000 ;;
	esac
}
failed=0
names=$*
for name in $names; do
	mkdir -p "$out/corpus/$name"
	log=$out/logs/$name.log
	# FUZZ_SEED (and FUZZ_RUNS): a reproducible run, as CI wants
	set -- ${FUZZ_SEED:+-seed=$FUZZ_SEED} ${FUZZ_RUNS:+-runs=$(ci_runs "$name")}
	"$out/fuzz-$name" "$@" -max_total_time="$secs" -max_len="$(max_len "$name")" \
		-rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=20 \
		-close_fd_mask=3 -print_final_stats=1 \
		-artifact_prefix="$out/artifacts/$name-" \
		"$out/corpus/$name" "$top/fuzz/corpus/$name" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		status=clean
	else
		status="FAILED (exit $rc): $(grep -m1 -E 'ERROR|runtime error|check failed|SUMMARY' "$log")"
		failed=1
	fi
	# with FUZZ_RUNS, fewer executions than asked means the time ran out
	want=${FUZZ_RUNS:+$(ci_runs "$name")}
	[ -n "$want" ] && [ "${runs:-0}" -lt "$want" ] &&
		status="$status (time limit: $runs of $want executions)"
	printf '%-9s %10s executions (at most %ss): %s\n' "$name" "${runs:-?}" "$secs" "$status"
done
[ "$failed" -eq 0 ] || echo "fuzz: see build/fuzz/logs/ and build/fuzz/artifacts/" >&2
exit $failed
