#!/bin/sh
# secport import: the kernel CNA's published records and plain lists, for
# histories whose messages never name the advisory.
. "$(dirname "$0")/lib.sh"
CNA=$SRCDIR/tests/data/kernel-cna-sample

sp init repo >/dev/null
cd repo
if [ -d "$CNA" ]; then
	expect "import the CNA sample" sp import "$CNA"
	n=$(find "$CNA" -name 'CVE-*.sha1' | wc -l)
	[ "$(ls advisories | wc -l)" = "$n" ] && ok "one record per CVE ($n)" || not_ok "record count"
	bad=0
	for f in $(find "$CNA" -name 'CVE-*.sha1'); do
		id=$(basename "$f" .sha1)
		for c in $(cat "$f"); do
			grep -q "^\(Fixed-By:\)\? $c$" "advisories/$id/record" || { bad=1; echo "# $id lacks $c"; }
		done
		v=${f%.sha1}.vulnerable
		[ -f "$v" ] && for c in $(cat "$v"); do
			grep -q "^\(Introduced-By:\)\? $c$" "advisories/$id/record" || { bad=1; echo "# $id lacks introducer $c"; }
		done
	done
	[ $bad = 0 ] && ok "Fixed-By and Introduced-By equal the .sha1 and .vulnerable files" || not_ok "CNA ids"
	title=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["containers"]["cna"]["title"])' "$(find "$CNA" -name CVE-2021-4439.json)" 2>/dev/null)
	grep -qxF "Subject: $title" advisories/CVE-2021-4439/record && ok "the subject is the CVE record's title" || not_ok "title"
	cp -r advisories ../before
	expect "import again" sp import "$CNA"
	diff -r advisories ../before >/dev/null && ok "importing twice changes nothing" || not_ok "idempotent"
else
	for i in 1 2 3 4 5; do ok "# SKIP no CNA sample"; done
fi

# a kernel-shaped history: fixes never name the CVE; stable backports say
# "commit <id> upstream."
cd "$TEST_DIR"
git init -q up && cd up
echo a >f.c && git add f.c && test_tick && git commit -q -m "init"
echo bug >>f.c && git commit -qam "mm: add the bug" && test_tick
git tag v6.1
git branch linux-6.1.y
echo fixed >>f.c && test_tick && git commit -qam "mm: fix the bug"
fix=$(git rev-parse HEAD)
git checkout -q linux-6.1.y
echo fixed >>f.c && test_tick && git commit -qm "mm: fix the bug

commit $fix upstream.

Signed-off-by: Stable <stable@example.org>" -a
bp=$(git rev-parse HEAD)
git checkout -q master
cd "$TEST_DIR/repo"
expect "scan the kernel-shaped history" sp scan "$TEST_DIR/up"
printf '# id and fixing commits\nCVE-2026-4242 %s\n' "$fix" >list
expect "import a plain list" sp import list
r=advisories/CVE-2026-4242/record
grep -qx "Fixed-By: $fix" $r && ok "the list's fix" || not_ok "list fix"
grep -qx " linux-6.1.y $bp $fix" $r && ok "its stable backport, on its branch" || not_ok "backport"
ls advisories/CVE-2026-4242/0001-mm-fix-the-bug.patch >/dev/null 2>&1 && ok "and its patch" || not_ok "patch"
printf 'CVE-2026-1 nothex\n' >bad
expect_fail 128 "a bad list line" sp import bad
grep -q "'bad' line 1: 'nothex' is not a full commit id" "$TEST_DIR/.out" && ok "names file and line" || not_ok "message"
expect_fail 128 "a missing file" sp import nothere
printf '{"not": "cve"}' >CVE-2026-9.json
expect_fail 128 "a JSON file that is no CVE record" sp import CVE-2026-9.json
grep -q "not a CVE JSON 5 record" "$TEST_DIR/.out" && ok "says so" || not_ok "json message"
done_testing
