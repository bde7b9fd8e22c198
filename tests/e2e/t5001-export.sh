#!/bin/sh
# secport export: CVE JSON 5, OSV, OpenVEX and CSV from the demo history;
# every file validates against the schemas in tests/schemas (run by
# tests/schema-validate.py: a missing python3-jsonschema fails the test);
# kernel-CNA-style git and release ranges; byte-identical output on every
# run; the published patch repository; the output directory's rules.
. "$(dirname "$0")/lib.sh"

SCHEMAS=${SECPORT_SCHEMAS:-$SRCDIR/tests/schemas}
VALIDATE="python3 $SRCDIR/tests/schema-validate.py"
python3 -c 'import jsonschema' 2>/dev/null && ok "python3-jsonschema is installed" ||
	not_ok "python3-jsonschema is installed (scripts/deps.sh installs it)"
[ -f "$SCHEMAS/osv-schema.json" ] && ok "schemas found in $SCHEMAS" || not_ok "schemas in $SCHEMAS"

demo_history
fix101=$(on_master 'x86/mm: fix use after free')
bp101=$(git -C up rev-parse 'stable-1.1^')
tweak=$(on_master 'sched: tweak')
sp init repo >/dev/null && cd repo && sp scan -q "$up" >/dev/null || { not_ok "scan"; done_testing; exit 1; }
git config -f secport.conf source.up.url https://git.example.org/up.git
git config -f secport.conf source.up.commitUrl 'https://git.example.org/up/commit/%s'
git config -f secport.conf export.vendor Example
# XSA-101 introduced by "sched: tweak" (after 1.0.0): 1.0.0 not affected
sed -i "s/^Introduced-By: .*/Introduced-By: $tweak/" advisories/XSA-101/record

# validate SCHEMA FILE...: every file must validate
validate() {
	schema=$1; shift
	if $VALIDATE "$SCHEMAS/$schema" "$@" >val.out 2>&1; then
		ok "$# files validate against $schema"
	else
		not_ok "validate against $schema"; grep -v '^ok ' val.out | head -10 | sed 's/^/# /'
	fi
}
# json FILE EXPR: evaluate a python expression on the document d
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }

for f in cve5 osv openvex csv; do
	expect "export --format $f" sp export --format $f -o "$TEST_DIR/out/$f"
done
validate cve-record-format-bundled.json "$TEST_DIR"/out/cve5/*.json
validate osv-schema.json "$TEST_DIR"/out/osv/*.json
validate openvex-schema.json "$TEST_DIR"/out/openvex/*.json
[ "$(ls "$TEST_DIR/out/cve5")" = "$(printf 'CVE-2026-1001.json\nCVE-2026-1002.json\nCVE-2026-1003.json')" ] &&
	ok "one CVE record per CVE id (own id and aliases)" || not_ok "cve5 files: $(ls "$TEST_DIR/out/cve5" | tr '\n' ' ')"
[ "$(ls "$TEST_DIR/out/osv")" = "$(printf 'CVE-2026-1003.json\nx_XSA-101.json\nx_XSA-102.json')" ] &&
	ok "one OSV file per advisory" || not_ok "osv files: $(ls "$TEST_DIR/out/osv" | tr '\n' ' ')"
# the validator does reject a broken document
printf '{"id": "XSA-1"}\n' >bad.json
$VALIDATE "$SCHEMAS/osv-schema.json" bad.json >/dev/null 2>&1; [ $? -eq 1 ] && ok "validator rejects an invalid file" || not_ok "validator accepts anything"

# CVE JSON 5, kernel CNA style
c=$TEST_DIR/out/cve5/CVE-2026-1001.json
json "$c" "d['cveMetadata']['state'] == 'PUBLISHED' and d['dataVersion'] == '5.1.1'" && ok "cve5: published 5.1.1 record" || not_ok "cve5 metadata"
json "$c" "{'version': '$tweak', 'lessThan': '$fix101', 'status': 'affected', 'versionType': 'git'} in d['containers']['cna']['affected'][0]['versions']" &&
	ok "cve5: git range introducer..upstream fix" || not_ok "cve5 git range master"
json "$c" "{'version': '$tweak', 'lessThan': '$bp101', 'status': 'affected', 'versionType': 'git'} in d['containers']['cna']['affected'][0]['versions']" &&
	ok "cve5: git range introducer..backport (stable branch)" || not_ok "cve5 git range backport"
json "$c" "d['containers']['cna']['affected'][0]['repo'] == 'https://git.example.org/up.git' and d['containers']['cna']['affected'][0]['vendor'] == 'Example'" &&
	ok "cve5: repo and vendor from secport.conf" || not_ok "cve5 repo"
json "$c" "{'version': '1.1.0', 'lessThan': '1.1.1', 'status': 'affected', 'versionType': 'semver'} in d['containers']['cna']['affected'][1]['versions'] and {'version': '1.1.1', 'lessThanOrEqual': '1.1.*', 'status': 'unaffected', 'versionType': 'semver'} in d['containers']['cna']['affected'][1]['versions'] and {'version': '1.0.0', 'lessThanOrEqual': '1.0.*', 'status': 'unaffected', 'versionType': 'semver'} in d['containers']['cna']['affected'][1]['versions']" &&
	ok "cve5: release ranges per series" || not_ok "cve5 release ranges"
json "$c" "{'url': 'https://git.example.org/up/commit/$bp101'} in d['containers']['cna']['references'] and {'url': 'https://xenbits.xen.org/xsa/advisory-101.html'} in d['containers']['cna']['references']" &&
	ok "cve5: fix commit and advisory references" || not_ok "cve5 references"
json "$c" "'x86/mm: fix use after free of the page' in d['containers']['cna']['descriptions'][0]['value']" && ok "cve5: description from Subject" || not_ok "cve5 description"

# OSV: GIT ranges, one per fix commit, and the affected tags
o=$TEST_DIR/out/osv/x_XSA-101.json
json "$o" "d['aliases'] == ['CVE-2026-1001'] and d['affected'][0]['ranges'][0]['events'] == [{'introduced': '$tweak'}, {'fixed': '$fix101'}, {'fixed': '$bp101'}]" &&
	ok "osv: introduced and fixed events, backport included" || not_ok "osv events"
json "$o" "d['affected'][0]['versions'] == ['RELEASE-1.1.0'] and d['affected'][0]['ranges'][0]['repo'] == 'https://git.example.org/up.git'" &&
	ok "osv: affected release tags, repo url" || not_ok "osv versions"
json "$TEST_DIR/out/osv/x_XSA-102.json" "len(d['affected'][0]['ranges']) == 2 and d['affected'][0]['ranges'][0]['events'][0] == {'introduced': '0'}" &&
	ok "osv: two fix commits, two ranges; unknown introducer is 0" || not_ok "osv XSA-102"

# OpenVEX: statuses per release
v=$TEST_DIR/out/openvex/up.openvex.json
json "$v" "[(s['status'], [p['@id'] for p in s['products']]) for s in d['statements'] if s['vulnerability']['name'] == 'XSA-101'] == [('affected', ['pkg:generic/up@1.1.0']), ('fixed', ['pkg:generic/up@1.1.1', 'pkg:generic/up@1.2.0']), ('not_affected', ['pkg:generic/up@1.0.0'])]" &&
	ok "openvex: affected, fixed, not_affected per release" || not_ok "openvex statuses"
json "$v" "all(s.get('justification') == 'vulnerable_code_not_present' for s in d['statements'] if s['status'] == 'not_affected') and all('XSA' in s['action_statement'] or 'CVE' in s['action_statement'] for s in d['statements'] if s['status'] == 'affected')" &&
	ok "openvex: justification and action statements" || not_ok "openvex justification"

# CSV
head -1 "$TEST_DIR/out/csv/matrix.csv" | grep -qx "advisory,aliases,release,series,state,introducer_unknown,via_backport,fixed_by" &&
	ok "csv header" || not_ok "csv header"
grep -qx "XSA-101,CVE-2026-1001,RELEASE-1.1.1,1.1,fixed,0,1,$bp101" "$TEST_DIR/out/csv/matrix.csv" &&
	grep -qx "XSA-101,CVE-2026-1001,RELEASE-1.0.0,1.0,not affected,0,0," "$TEST_DIR/out/csv/matrix.csv" &&
	[ "$(grep -c . "$TEST_DIR/out/csv/matrix.csv")" = 13 ] && ok "csv rows" || not_ok "csv rows"

# deterministic: a second export, elsewhere, is byte-identical
for f in cve5 osv openvex csv; do
	sp export --format $f -o "$TEST_DIR/again/$f" >/dev/null 2>&1
done
diff -r "$TEST_DIR/out" "$TEST_DIR/again" >diff.out && ok "two exports are byte-identical" || { not_ok "exports differ"; head diff.out | sed 's/^/# /'; }
cp "$TEST_DIR/out/cve5/CVE-2026-1001.json" before.json
expect "export again into the same directory" sp export --format cve5 -o "$TEST_DIR/out/cve5"
cmp -s before.json "$TEST_DIR/out/cve5/CVE-2026-1001.json" && ok "same bytes on re-export" || not_ok "re-export changed"

# the published patch repository
expect "export --patches" sp export --patches -o "$TEST_DIR/pub"
json "$TEST_DIR/pub/index.json" "[a['id'] for a in d] == ['CVE-2026-1003', 'XSA-101', 'XSA-102'] and d[2]['patches'] == ['XSA-102/0001-gnttab-take-the-lock-part-1.patch', 'XSA-102/0002-gnttab-release-the-lock-part-2.patch']" &&
	ok "patches: index.json lists advisories and patches" || not_ok "patches index"
same=1
for p in advisories/*/*.patch advisories/*/record; do
	cmp -s "$p" "$TEST_DIR/pub/${p#advisories/}" || same=0
done
[ $same = 1 ] && ok "patches and records copied byte for byte" || not_ok "patch copies"
head -1 "$TEST_DIR/pub/XSA-101/0001-x86-mm-fix-use-after-free-of-the-page.patch" | grep -q "^From $fix101 Mon Sep 17 00:00:00 2001$" &&
	ok "patches are mbox" || not_ok "mbox header"
sp export --patches -o "$TEST_DIR/pub2" >/dev/null 2>&1
diff -r "$TEST_DIR/pub" "$TEST_DIR/pub2" >/dev/null && ok "patch export is deterministic" || not_ok "patch export differs"

# the output directory: never someone else's, stale files removed
mkdir mine && echo keep >mine/notes.txt
expect_fail 128 "refuses a non-empty directory that is no export" sp export --format osv -o mine
[ "$(cat mine/notes.txt)" = keep ] && ok "its files are untouched" || not_ok "notes.txt touched"
expect "an osv export over a cve5 one" sp export --format osv -o "$TEST_DIR/out/cve5"
[ ! -e "$TEST_DIR/out/cve5/CVE-2026-1001.json" ] && [ -e "$TEST_DIR/out/cve5/x_XSA-101.json" ] &&
	ok "the previous export's files are removed" || not_ok "stale files"

expect_fail 129 "no -o" sp export --format osv
expect_fail 129 "no format" sp export -o x
expect_fail 129 "--format and --patches" sp export --format osv --patches -o x
expect_fail 129 "unknown format" sp export --format xml -o x
expect_fail 129 "extra argument" sp export --format csv -o x y

done_testing
