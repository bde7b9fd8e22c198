#!/bin/sh
# secport status and secport apply ID... / --needed / --series: advisories
# applied to drifted trees in upstream order, all-or-nothing per patch,
# regenerated quilt series checked with patch -p1 --fuzz=0 and quilt.
. "$(dirname "$0")/lib.sh"

jq_() { python3 -c "import json,sys; d=json.load(open('$TEST_DIR/.out')); sys.exit(0 if ($1) else 1)"; }
jcheck() { d=$1; shift; if jq_ "$1"; then ok "$d"; else not_ok "$d"; sed 's/^/# /' .out | head -40; fi; }

sh "$SRCDIR/scripts/mkhistory.sh" "$TEST_DIR/up" >/dev/null 2>&1 || { not_ok "mkhistory"; done_testing; exit 1; }
sp init r >/dev/null && (cd r && sp scan -q ../up) >/dev/null 2>&1 && ok "scan" || not_ok "scan"
R=$TEST_DIR/r
xenmk() { printf 'export XEN_VERSION       = %s\nexport XEN_SUBVERSION    = %s\nexport XEN_EXTRAVERSION ?= .%s$(XEN_VENDORVERSION)\n' "$1" "$2" "$3" >"$4/xen/Makefile"; }

# a plain tree of RELEASE-1.1.1, drifted: three vendor lines atop grant.c
mkdir t && git -C up archive RELEASE-1.1.1 | tar -x -C t
xenmk 1 1 1 t
{ printf 'vendor 1;\nvendor 2;\nvendor 3;\n'; cat t/xen/common/grant.c; } >t/g && mv t/g t/xen/common/grant.c
cp -r t t.orig

cd "$R"
expect_fail 1 "status: fixes missing exits 1" sp status --tree ../t
grep -q "release RELEASE-1.1.1 (xen/Makefile)" "$TEST_DIR/.out" && ok "release from xen/Makefile" || not_ok "release from xen/Makefile"
cd "$TEST_DIR"
(cd "$R" && sp status --json --tree ../t) >.out
jcheck "status --json states" 'd["release"] == "RELEASE-1.1.1" and d["release_from"] == "xen/Makefile" and {a["id"]: a["state"] for a in d["advisories"]} == {"XSA-101": "present", "XSA-102": "partial", "CVE-2026-1003": "absent"} and d["missing"] == 2'
jcheck "status evidence names patch and hunk" 'any(p["patch"].startswith("0002-") and p["evidence"] == "content" and p["hunks"][0]["state"] == "present" and p["hunks"][0]["line"] == 35 for a in d["advisories"] if a["id"] == "XSA-102" for p in a["patches"])'
jcheck "not-needed release state" '{a["id"]: a["release_state"] for a in d["advisories"]}["XSA-101"] == "fixed"'
check "status writes nothing" diff -r t.orig t

cd "$R"
expect_fail 128 "status: unknown --release" sp status --tree ../t --release RELEASE-9.9.9
mkdir -p ../k && printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 5\nEXTRAVERSION =\nNAME = x\n' >../k/Makefile
sp status --json --tree ../k >../.out 2>../err.out
cd "$TEST_DIR"
jcheck "kernel Makefile gives v6.1.5" 'd["release"] == "v6.1.5" and d["release_from"] == "Makefile"'
grep -q "not a scanned release" err.out && ok "unknown tree release is a warning" || not_ok "unknown tree release is a warning"

# apply in upstream order, dry run with a series
cd "$R"
mkdir -p ../tmp
TMPDIR=$TEST_DIR/tmp sp apply --json --dry-run --tree ../t --series ../s CVE-2026-1003 XSA-102 XSA-101 >../.out; rc=$?
cd "$TEST_DIR"
[ $rc -eq 0 ] && ok "dry run of three advisories" || not_ok "dry run of three advisories (exit $rc)"
jcheck "upstream order" '[a["id"] for a in d["advisories"]] == ["XSA-101", "XSA-102", "CVE-2026-1003"]'
jcheck "per patch and hunk report" '[p["state"] for a in d["advisories"] for p in a["patches"]] == ["already applied", "would apply", "already applied", "would apply"] and d["advisories"][1]["patches"][0]["files"][0]["hunks"][0]["tier"] == "offset"'
check "dry run writes nothing to the tree" diff -r t.orig t
ls tmp | grep -q . && not_ok "scratch directory removed" || ok "scratch directory removed"
check "series lists the two patches" test "$(cat s/series)" = "XSA-102-0001-gnttab-take-the-lock-part-1.patch
CVE-2026-1003-0001-sched-avoid-a-NULL-dereference.patch"
check "DEP-3 header" grep -q '^Origin: upstream, e353dce608a6f3f7afe831d1c0a4cf5b30baa168$' s/XSA-102-0001-gnttab-take-the-lock-part-1.patch
check "Description and Bug" sh -c 'grep -q "^Description: gnttab: take the lock (part 1)$" s/XSA-102-0001-*.patch && grep -q "^Bug: " s/XSA-102-0001-*.patch'
grep -q '^Last-Update' s/*.patch && not_ok "no Last-Update" || ok "no Last-Update"
check "regenerated against the tree" grep -q '^@@ -5,7 +5,7 @@' s/XSA-102-0001-gnttab-take-the-lock-part-1.patch

# the series applies with plain patch, without fuzz, to the same result
cp -r t.orig tp
okp=1
while read -r p; do patch -s -p1 --fuzz=0 -d tp <"s/$p" >/dev/null 2>&1 || okp=0; done <s/series
[ $okp -eq 1 ] && ok "patch -p1 --fuzz=0 applies the series" || not_ok "patch -p1 --fuzz=0 applies the series"
find tp -name '*.orig' -o -name '*.rej' | grep -q . && not_ok "no fuzz leftovers" || ok "no fuzz leftovers"

cd "$R"
expect "apply the advisories for real" sp apply --tree ../t XSA-102 CVE-2026-1003 XSA-101
grep -q "hunk 1 @@ -2,7 +2,7 @@: offset +3 at line 5" "$TEST_DIR/.out" && ok "text report per hunk" || not_ok "text report per hunk"
cd "$TEST_DIR"
check "patch -p1 and secport agree" diff -r tp t
if command -v quilt >/dev/null 2>&1; then
	cp -r t.orig tq
	if (cd tq && QUILT_PATCHES="$TEST_DIR/s" quilt push -a --fuzz=0 -q >/dev/null 2>&1); then ok "quilt push -a --fuzz=0"; else not_ok "quilt push -a --fuzz=0"; fi
	rm -rf tq/.pc
	check "quilt and secport agree" diff -r tq t
else
	ok "# SKIP quilt not installed"
	ok "# SKIP quilt not installed"
fi
cd "$R"
expect "status after apply exits 0" sp status --tree ../t
expect "applying again is already applied" sp apply --tree ../t XSA-102 CVE-2026-1003 XSA-101
grep -q "applied 0 patches, 4 already applied" "$TEST_DIR/.out" && ok "all already applied" || not_ok "all already applied"

# all-or-nothing per patch: part 1 of XSA-102 conflicts, part 2 is skipped
cd "$TEST_DIR"
cp -r t.orig tc
sed -i 's/^grant line 5;$/grant line 5 (vendor);/; s/^grant line 35; spin_unlock.*$/grant line 35;/' tc/xen/common/grant.c
cp -r tc tc.orig
cd "$R"
sp apply --json --tree ../tc XSA-102 >../.out; rc=$?
cd "$TEST_DIR"
[ $rc -eq 1 ] && ok "conflict exits 1" || not_ok "conflict exits 1 (exit $rc)"
jcheck "failed then skipped" '[p["state"] for p in d["advisories"][0]["patches"]] == ["failed", "skipped"] and d["advisories"][0]["state"] == "failed" and d["advisories"][0]["patches"][0]["files"][0]["hunks"][0]["tier"] == "failed"'
check "nothing written on conflict" diff -r tc.orig tc

# --needed: what the release needs
cp -r t.orig tn
cd "$R"
sp apply --json --dry-run --needed --tree ../tn >../.out; rc=$?
cd "$TEST_DIR"
jcheck "--needed from xen/Makefile (1.1.1)" 'd["release"] == "RELEASE-1.1.1" and [a["id"] for a in d["advisories"]] == ["XSA-102", "CVE-2026-1003"]'
cd "$R"
sp apply --json --dry-run --needed --release RELEASE-1.1.0 --tree ../tn >../.out
cd "$TEST_DIR"
jcheck "--needed --release RELEASE-1.1.0" '[a["id"] for a in d["advisories"]] == ["XSA-101", "XSA-102", "CVE-2026-1003"]'
mkdir -p nomk
cd "$R"
expect_fail 128 "--needed without a release is an error" sp apply --needed --tree ../nomk
expect_fail 129 "ids and --needed together" sp apply --needed --tree ../tn XSA-101
expect_fail 129 "--partial with advisories" sp apply --partial --tree ../tn XSA-101
expect_fail 128 "unknown advisory" sp apply --tree ../tn XSA-999

# safety: a hostile patch in the repository cannot write outside the tree
mkdir -p advisories/XSA-666
printf 'Advisory: XSA-666\nSubject: evil\nFixed-By: 0000000000000000000000000000000000000000\n' >advisories/XSA-666/record
printf 'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] evil\n\n---\n--- a/../outside/p.c\n+++ b/../outside/p.c\n@@ -0,0 +1 @@\n+pwned\n' >advisories/XSA-666/0001-evil.patch
expect_fail 128 "'..' in an advisory patch rejected" sp apply --tree ../tn XSA-666
expect_fail 128 "also in a dry run" sp apply --dry-run --tree ../tn XSA-666
check "nothing written outside" test ! -e ../outside/p.c
rm -rf advisories/XSA-666

# a git work tree: ancestry, trailer and patch-id evidence
cd "$TEST_DIR"
git clone -q up g && cd g
git checkout -q -b vendor origin/stable-1.1
xenmk 1 1 1 . && git add xen/Makefile && test_tick && git commit -q -m "vendor: version file"
test_tick && git cherry-pick -x e353dce608a6f3f7afe831d1c0a4cf5b30baa168 >/dev/null
test_tick && git cherry-pick 6a037d357655baa53773653dd0311f707a64a1eb >/dev/null
test_tick && git commit -q --amend -m "sched: harden the vCPU check"
sed -i 's/if (!v) return;/if (!v) return; \/* vendor *\//' xen/common/sched.c
git add -A && test_tick && git commit -q -m "sched: comment"
cd "$R"
sp status --json --tree ../g >../.out; rc=$?
cd "$TEST_DIR"
[ $rc -eq 0 ] && ok "git tree with every fix exits 0" || not_ok "git tree with every fix exits 0 (exit $rc)"
jcheck "ancestry, trailer and patch-id" '{(a["id"], p["patch"][:4]): p["evidence"] for a in d["advisories"] for p in a["patches"]} == {("XSA-101", "0001"): "ancestry", ("XSA-102", "0001"): "trailer", ("XSA-102", "0002"): "ancestry", ("CVE-2026-1003", "0001"): "patch-id"}'
jcheck "only commits since the release examined" 'd["git"] and d["commits_examined"] == 4'
jcheck "patch-id found what content could not" '[h["state"] for a in d["advisories"] if a["id"] == "CVE-2026-1003" for h in a["patches"][0]["hunks"]] != ["present"]'

# a branch off master with no release tag: the walk stops where the index
# knows the history (not at the root), and ancestry is the index graph's
# answer; git merge-base --is-ancestor is the oracle
cd "$TEST_DIR"
git clone -q up h && cd h
git checkout -q -b vendor2 origin/master
xenmk 9 9 9 . && git add xen/Makefile && test_tick && git commit -q -m "vendor: a version no tag has"
echo v >>xen/README && git add -A && test_tick && git commit -q -m "vendor: readme"
cd "$R"
sp status --json --tree ../h >../.out
cd "$TEST_DIR"
jcheck "no release tag: only the branch's own commits examined" 'd["git"] and d["commits_examined"] == 2'
python3 - "$TEST_DIR/.out" >"$TEST_DIR/anc" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for a in d["advisories"]:
    for p in a["patches"]:
        print(p.get("commit", ""), p["evidence"] == "ancestry")
PY
bad=0; n=0
while read -r c anc; do
	[ -n "$c" ] || continue
	n=$((n + 1))
	if git -C h merge-base --is-ancestor "$c" HEAD; then want=True; else want=False; fi
	[ "$want" = "$anc" ] || { bad=$((bad + 1)); echo "# $c: ancestry $anc, git says $want"; }
done <"$TEST_DIR/anc"
[ $n -gt 0 ] && [ $bad -eq 0 ] && ok "ancestry agrees with git merge-base --is-ancestor ($n patches)" ||
	not_ok "ancestry agrees with git merge-base --is-ancestor ($n patches, $bad differ)"

cd "$R"
expect "-h prints usage" sp status -h
grep -q '^usage: secport status --tree DIR' "$TEST_DIR/.out" && ok "status -h matches the SYNOPSIS" || not_ok "status -h matches the SYNOPSIS"
expect_fail 129 "status without --tree" sp status
done_testing
