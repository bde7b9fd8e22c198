#!/bin/sh
# bench/apply.sh (make bench-apply): secport apply on real Xen backports,
# beside the six baseline tools and GNU patch rerun in the same run.
# XEN_REPO=/path/to/xen.git (bare clone); LIMIT=N for a spread sample;
# ROWS=REGEX on backport_sha (e.g. '^[89a-f]' for the held-out half);
# TSV=... (default /work/shared/bench/xen-backports-dev.tsv); OUT=rows.jsonl.
cd "$(dirname "$0")/.." || exit 1
if [ -z "${XEN_REPO:-}" ]; then
	echo "bench-apply: skipped (set XEN_REPO to a bare clone of xen.git)"
	exit 0
fi
TSV=${TSV:-/work/shared/bench/xen-backports-dev.tsv}
if [ ! -r "$TSV" ]; then
	echo "bench-apply: skipped (no corpus at $TSV; set TSV)"
	exit 0
fi
OUT=${OUT:-${TMPDIR:-/tmp}/secport-bench-apply.jsonl}
echo "bench-apply: ${LIMIT:-all} rows of $TSV${ROWS:+ matching $ROWS}; rows in $OUT"
python3 bench/apply-run.py "$PWD/secport" "$TSV" "$OUT" || exit 1
python3 bench/apply-report.py "$OUT"
