#!/bin/sh
# Fault injection for scan: SIGKILL at many points of a scan, then the
# records must all parse and a second scan must reach exactly the tree an
# uninterrupted scan writes.  And a read-only advisories/ directory: a clean
# error, a non-zero exit, no partial (*.tmp*) files, and nothing marked as
# scanned that was not written.
. "$(dirname "$0")/lib.sh"


gen=$SRCDIR/../shared/tools/gen-history.py
up=$TEST_DIR/up.git
if [ -f "$gen" ] && command -v python3 >/dev/null; then
	python3 "$gen" --commits 3000 --seed 1 --cve-frac 0.05 "$up" >/dev/null 2>&1 ||
		{ not_ok "gen-history"; done_testing; exit 1; }
else
	# no generator: a shell loop (slower per commit, fewer advisories)
	git init -q --bare "$up"
	git clone -q "$up" "$TEST_DIR/work" 2>/dev/null
	(cd "$TEST_DIR/work" && i=0 && while [ $i -lt 1500 ]; do
		i=$((i + 1)); echo "$i" >>f.c; git add f.c
		if [ $((i % 15)) = 0 ]; then m="fix $i

This is XSA-$i."; else m="change $i"; fi
		git -c user.name=U -c user.email=u@x commit -q -m "$m"
	done && git push -q origin HEAD:master)
fi

sp init ref >/dev/null
(cd ref && "$SECPORT" scan -q "$up") || not_ok "reference scan"
n=$(ls ref/advisories | wc -l)
[ "$n" -gt 10 ] && ok "reference scan wrote $n advisories" || not_ok "reference scan wrote $n advisories"

# how long a scan takes here, to spread the kill points over it
t0=$(date +%s%N)
sp init timing >/dev/null && (cd timing && "$SECPORT" scan -q "$up")
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -gt 0 ] || ms=100
ok "an uninterrupted scan takes ${ms} ms"

k=0 killed=0
for pct in 2 5 10 20 30 40 50 60 70 80 85 90 95 98; do
	k=$((k + 1))
	delay=$(awk "BEGIN { printf \"%.3f\", $ms * $pct / 100000 }")
	sp init "k$k" >/dev/null
	cd "k$k"
	"$SECPORT" scan -q "$up" >/dev/null 2>&1 & pid=$!
	sleep "$delay"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	[ $? -eq 137 ] && killed=$((killed + 1))
	echo "# kill at ${delay}s: $(ls advisories 2>/dev/null | wc -l) advisories written"
	expect "kill at ${delay}s ($pct%): the records parse" sp list
	expect "kill at ${delay}s ($pct%): a second scan completes" sp scan -q "$up"
	# the second scan swept what the killed one left
	stale=$(find advisories -name '*.tmp*' 2>/dev/null)
	[ -z "$stale" ] && ok "kill at ${delay}s ($pct%): no stale temporary files" || not_ok "kill at ${delay}s ($pct%): stale temporary files: $stale"
	if diff -r -x '*.tmp*' "$TEST_DIR/ref/advisories" advisories >"$TEST_DIR/.diff" 2>&1; then
		ok "kill at ${delay}s ($pct%): same advisories/ as an uninterrupted scan"
	else
		not_ok "kill at ${delay}s ($pct%): same advisories/ as an uninterrupted scan"
		head -20 "$TEST_DIR/.diff" | sed 's/^/# /'
	fi
	cd "$TEST_DIR"
done

[ "$killed" -gt 0 ] && ok "$killed of $k kills interrupted a running scan" ||
	not_ok "no kill interrupted a running scan"

# a read-only advisories/ directory.  root writes anywhere, so as root the
# scan runs as nobody (setpriv) over copies that nobody owns.
# killed inside libgit2's write of secport.conf (the scan adds its source):
# the lock file left behind is removed with the killed run's other leftovers
sp init conflock >/dev/null
mkdir -p conflock/.secport && : >conflock/.secport/dirty && : >conflock/secport.conf.lock
(cd conflock && "$SECPORT" scan -q "$up") >"$TEST_DIR/.out" 2>&1 &&
	ok "a secport.conf.lock left by a killed scan: the next scan completes" ||
	{ not_ok "a secport.conf.lock left by a killed scan: the next scan completes"; say "$(cat "$TEST_DIR/.out")"; }
[ ! -e conflock/secport.conf.lock ] && diff -r ref/advisories conflock/advisories >/dev/null &&
	ok "the lock file is gone and the result complete" || not_ok "the lock file is gone and the result complete"

sp init ro >/dev/null
mkdir -p ro/advisories
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
		chmod 755 "$TEST_DIR"
		chown -R nobody "$up" ro
		run_ro() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups env HOME="$TEST_DIR/ro" "$@"; }
	else
		run_ro=
	fi
else
	run_ro() { "$@"; }
fi
if command -v run_ro >/dev/null 2>&1; then
	chmod a-w ro/advisories
	(cd ro && run_ro "$SECPORT" scan "$up") >"$TEST_DIR/.out" 2>&1; rc=$?
	[ $rc -ne 0 ] && [ $rc -lt 129 ] && ok "read-only advisories/: scan fails (exit $rc)" ||
		not_ok "read-only advisories/: scan fails (exit $rc)"
	grep -q "^error: .*advisories" "$TEST_DIR/.out" && ok "read-only: a clean error naming the path" ||
		{ not_ok "read-only: a clean error naming the path"; sed 's/^/# /' "$TEST_DIR/.out"; }
	[ -z "$(find ro -name '*.tmp*')" ] && ok "read-only: no partial files" || not_ok "read-only: no partial files"
	[ -z "$(ls ro/advisories)" ] && ok "read-only: advisories/ untouched" || not_ok "read-only: advisories/ untouched"
	chmod u+w ro/advisories
	(cd ro && run_ro "$SECPORT" scan -q "$up") >"$TEST_DIR/.out" 2>&1 &&
		ok "writable again: the scan completes" || { not_ok "writable again: the scan completes"; sed 's/^/# /' "$TEST_DIR/.out"; }
	diff -r ref/advisories ro/advisories >/dev/null &&
		ok "writable again: nothing was skipped as already scanned" ||
		not_ok "writable again: nothing was skipped as already scanned"
else
	for i in 1 2 3 4 5 6; do ok "# SKIP root without setpriv"; done
fi
done_testing
