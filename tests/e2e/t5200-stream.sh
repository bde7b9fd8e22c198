#!/bin/sh
# secport stream: two components from one Xen-like source and a kernel from
# a second source, in lockstep; status, the lockstep check, release writing
# quilt series + changelog + version for all, all-or-nothing when one
# component does not apply, and no embargoed advisory leaking into the
# written files.
. "$(dirname "$0")/lib.sh"

jq_() { python3 -c "import json,sys; d=json.load(open('$TEST_DIR/.out')); sys.exit(0 if ($1) else 1)"; }
jcheck() { d=$1; shift; if jq_ "$1"; then ok "$d"; else not_ok "$d"; sed 's/^/# /' .out | head -40; fi; }

sh "$SRCDIR/scripts/mkhistory.sh" "$TEST_DIR/up" >/dev/null 2>&1 || { not_ok "mkhistory"; done_testing; exit 1; }
# a tiny kernel history: v6.1, a CVE fix, v6.2
git init -q lin && (
	cd lin
	i=1; while [ $i -le 30 ]; do echo "net line $i;"; i=$((i + 1)); done >drivers.c
	printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\nEXTRAVERSION =\nNAME = x\n' >Makefile
	git add -A && test_tick && git commit -q -m "Initial import" && git tag -a -m v6.1 v6.1
	sed -i 's/net line 10;/net line 10; if (!skb) return;/' drivers.c
	test_tick && git commit -q -am "tun: fix a NULL dereference

This is CVE-2026-2001."
	echo "more;" >>drivers.c && test_tick && git commit -q -am "net: more" && git tag -a -m v6.2 v6.2
) || not_ok "kernel history"
fix1003=$(git -C up log --format=%H -1 --grep='sched: avoid a NULL' master)

sp init r >/dev/null && (cd r && sp scan -q ../up && sp scan -q ../lin) >/dev/null 2>&1 && ok "scan two sources" || not_ok "scan two sources"
R=$TEST_DIR/r
xenmk() { mkdir -p "$1/xen"; printf 'export XEN_VERSION       = 1\nexport XEN_SUBVERSION    = 1\nexport XEN_EXTRAVERSION ?= .1$(XEN_VENDORVERSION)\n' >"$1/xen/Makefile"; }
xentree() { mkdir "$1" && git -C up archive RELEASE-1.1.1 | tar -x -C "$1" && xenmk "$1"; }
xentree th
xentree tt
mkdir tk && git -C lin archive v6.1 | tar -x -C tk
# the hypervisor package has a changelog and a patch of its own
mkdir -p th/debian/patches
printf 'xen (1.1.1-2) bookworm; urgency=medium\n\n  * Vendor build.\n\n -- Old Maintainer <old@example.org>  Mon, 05 Jan 2026 10:00:00 +0000\n' >th/debian/changelog
printf 'Description: local file\n---\n--- /dev/null\n+++ b/local.txt\n@@ -0,0 +1 @@\n+local\n' >th/debian/patches/local.patch
echo local.patch >th/debian/patches/series
for t in th tt tk; do cp -r $t $t.orig; done

cat >>r/secport.conf <<EOF2
[stream "stable"]
	version = 1.1.1-2
	distribution = bookworm
[stream "stable.hypervisor"]
	source = up
	release = RELEASE-1.1.1
	target = ../th
	package = xen
[stream "stable.tools"]
	source = up
	release = RELEASE-1.1.1
	target = $TEST_DIR/tt
	package = xen-tools
[stream "stable.kernel"]
	source = lin
	release = v6.1
	target = $TEST_DIR/tk
	package = linux
EOF2
cp r/secport.conf conf.orig
printf 'Embargoed: yes\n' >>r/advisories/CVE-2026-1003/record
export SECPORT_NOW=2026-06-01 DEBFULLNAME="Sec Team" DEBEMAIL=sec@example.org

cd "$R"
expect_fail 1 "status: pending fixes exit 1" sp stream status
grep -q "CVE-2026-1003 *pending \[embargoed\]" "$TEST_DIR/.out" && ok "embargoed advisory shown, marked" || not_ok "embargoed advisory shown, marked"
sp stream status --json stable >../.out
cd "$TEST_DIR"
jcheck "status --json: per component states" '[(c["name"], {a["id"]: a["state"] for a in c["advisories"]}) for c in d["streams"][0]["components"]] == [("hypervisor", {"XSA-101": "not affected", "XSA-102": "pending", "CVE-2026-1003": "pending"}), ("tools", {"XSA-101": "not affected", "XSA-102": "pending", "CVE-2026-1003": "pending"}), ("kernel", {"CVE-2026-2001": "pending"})]'
jcheck "not affected with the reason" '[a["reason"] for a in d["streams"][0]["components"][0]["advisories"] if a["id"] == "XSA-101"] == ["fixed before the release"]'
jcheck "counts and embargo flag" 'd["streams"][0]["components"][0]["counts"] == {"needed": 2, "applied": 0, "released": 0, "pending": 2, "not_affected": 1, "embargoed": 1} and d["pending"] == 5 and d["streams"][0]["lockstep"]'

# a fix already in the tree counts as applied
xentree tp
sed -i 's/sched line 3;/sched line 3; if (!v) return;/' tp/xen/common/sched.c
cat >>r/secport.conf <<EOF2
[stream "patched"]
	version = 1.0-1
[stream "patched.hypervisor"]
	source = up
	release = RELEASE-1.1.1
	target = $TEST_DIR/tp
EOF2
(cd r && sp stream status --json patched) >.out
jcheck "a fix in the target is applied" '{a["id"]: a["state"] for a in d["streams"][0]["components"][0]["advisories"]}["CVE-2026-1003"] == "applied"'

# lockstep: tools on another release than the hypervisor
xentree tm
cat >>r/secport.conf <<EOF2
[stream "skew"]
	version = 1.1.1-1
[stream "skew.hypervisor"]
	source = up
	release = RELEASE-1.1.1
	target = $TEST_DIR/th
[stream "skew.tools"]
	source = up
	release = RELEASE-1.1.0
	target = $TEST_DIR/tm
EOF2
cd "$R"
expect_fail 128 "lockstep mismatch is an error (status)" sp stream status skew
grep -q "error: stream 'skew' is not in lockstep: components 'hypervisor' (RELEASE-1.1.1) and 'tools' (RELEASE-1.1.0)" "$TEST_DIR/.out" && ok "mismatch names the components" || not_ok "mismatch names the components"
expect_fail 128 "lockstep mismatch is an error (release)" sp stream release skew
cd "$TEST_DIR"

# all or nothing: one component's tree conflicts with XSA-102
xentree tb1
xentree tb2
sed -i 's/^grant line 5;$/grant line 5 (vendor);/' tb2/xen/common/grant.c
cp -r tb1 tb1.orig && cp -r tb2 tb2.orig
cat >>r/secport.conf <<EOF2
[stream "broken"]
	version = 1.1.1-7
[stream "broken.good"]
	source = up
	release = RELEASE-1.1.1
	target = $TEST_DIR/tb1
[stream "broken.bad"]
	source = up
	release = RELEASE-1.1.1
	target = $TEST_DIR/tb2
EOF2
cd "$R"
expect_fail 1 "release with a failing component exits 1" sp stream release broken
grep -q "bad: cannot apply XSA-102 0001-gnttab-take-the-lock-part-1.patch: xen/common/grant.c: hunk 1 @@ -2,7 +2,7 @@ failed" "$TEST_DIR/.out" && ok "report names advisory, patch, file and hunk" || { not_ok "report names advisory, patch, file and hunk"; sed 's/^/# /' "$TEST_DIR/.out"; }
cd "$TEST_DIR"
check "nothing written in the good component" diff -r tb1.orig tb1
check "nothing written in the failing one" diff -r tb2.orig tb2
test "$(git config -f r/secport.conf stream.broken.version)" = 1.1.1-7 && ok "version still 1.1.1-7" || not_ok "version still 1.1.1-7"

# dry run writes nothing
cd "$R"
expect "release --dry-run" sp stream release stable --dry-run
grep -q "would release 1.1.1-2 -> 1.1.1-3" "$TEST_DIR/.out" && ok "dry run tells the new version" || not_ok "dry run tells the new version"
cd "$TEST_DIR"
check "dry run: targets untouched" sh -c 'diff -r th.orig th && diff -r tt.orig tt && diff -r tk.orig tk'
test "$(git config -f r/secport.conf stream.stable.version)" = 1.1.1-2 && ok "dry run: version unchanged" || not_ok "dry run: version unchanged"

# the release
cd "$R"
expect "release stable" sp stream release stable
cd "$TEST_DIR"
test "$(git config -f r/secport.conf stream.stable.version)" = 1.1.1-3 && ok "version bumped to 1.1.1-3" || not_ok "version bumped to 1.1.1-3"
check "hypervisor series keeps its line, then secport's" test "$(cat th/debian/patches/series)" = "local.patch
secport/XSA-102-0001-gnttab-take-the-lock-part-1.patch
secport/security-fix-1-0001.patch"
check "tools series" test "$(cat tt/debian/patches/series)" = "secport/XSA-102-0001-gnttab-take-the-lock-part-1.patch
secport/security-fix-1-0001.patch"
check "kernel series" test "$(cat tk/debian/patches/series)" = "secport/CVE-2026-2001-0001-tun-fix-a-NULL-dereference.patch"
check "DEP-3 header with Bug" sh -c 'grep -q "^Description: gnttab: take the lock (part 1)" th/debian/patches/secport/XSA-102-0001-*.patch && grep -q "^Bug: " th/debian/patches/secport/XSA-102-0001-*.patch && grep -q "^Origin: upstream, " th/debian/patches/secport/XSA-102-0001-*.patch'
check "embargoed patch described generically" grep -qx "Description: security fix, details embargoed" th/debian/patches/secport/security-fix-1-0001.patch
check "changelog entry, hypervisor" test "$(head -n 6 th/debian/changelog)" = "xen (1.1.1-3) bookworm; urgency=high

  * Fix CVE-2026-1002 / XSA-102: gnttab: take the lock (part 1)
  * Fix security issues, details embargoed.

 -- Sec Team <sec@example.org>  Mon, 01 Jun 2026 00:00:00 +0000"
check "old changelog kept below" grep -q "^xen (1.1.1-2) bookworm; urgency=medium" th/debian/changelog
check "changelog entry, tools" grep -qx "xen-tools (1.1.1-3) bookworm; urgency=high" tt/debian/changelog
check "changelog entry, kernel" sh -c 'grep -qx "linux (1.1.1-3) bookworm; urgency=high" tk/debian/changelog && grep -qx "  \* Fix CVE-2026-2001: tun: fix a NULL dereference" tk/debian/changelog'
if command -v dpkg-parsechangelog >/dev/null 2>&1; then
	for t in th tt tk; do
		v=$(dpkg-parsechangelog -l "$t/debian/changelog" -S Version 2>&1)
		m=$(dpkg-parsechangelog -l "$t/debian/changelog" -S Maintainer 2>&1)
		[ "$v" = 1.1.1-3 ] && [ "$m" = "Sec Team <sec@example.org>" ] && ok "dpkg-parsechangelog $t" || not_ok "dpkg-parsechangelog $t: $v / $m"
	done
else
	for t in th tt tk; do ok "# SKIP dpkg-parsechangelog not installed"; done
fi

# the series apply to the base trees without fuzz
okp=1
for t in th tt tk; do
	cp -r $t.orig $t.p
	while read -r p; do patch -s -p1 --fuzz=0 -d $t.p <"$t/debian/patches/$p" >/dev/null 2>&1 || okp=0; done <$t/debian/patches/series
done
[ $okp -eq 1 ] && ok "patch -p1 --fuzz=0 applies every series" || not_ok "patch -p1 --fuzz=0 applies every series"
check "the fixes are in" sh -c 'grep -q "spin_lock(&gt->lock)" th.p/xen/common/grant.c && grep -q "if (!v) return;" tt.p/xen/common/sched.c && grep -q "if (!skb) return;" tk.p/drivers.c'
if command -v quilt >/dev/null 2>&1; then
	okq=1
	for t in th tt tk; do
		rm -rf $t.q && cp -r $t $t.q
		(cd $t.q && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0 -q >/dev/null 2>&1) || okq=0
	done
	[ $okq -eq 1 ] && ok "quilt push -a --fuzz=0 in every target" || not_ok "quilt push -a --fuzz=0 in every target"
else
	ok "# SKIP quilt not installed"
fi

# nothing of the embargoed advisory in any written file
leak=$(for s in CVE-2026-1003 "avoid a NULL dereference" "avoid-a-NULL" "$fix1003" $(echo "$fix1003" | cut -c1-12); do
	for t in th tt tk; do grep -rlF -- "$s" $t/debian; find $t/debian | grep -F -- "$s"; done
done)
[ -z "$leak" ] && ok "no embargoed id, subject or commit written" || { not_ok "embargo leak"; echo "$leak" | sed 's/^/# /'; }

cd "$R"
expect "status after release exits 0" sp stream status stable
grep -q "XSA-102 *released" "$TEST_DIR/.out" && grep -q "CVE-2026-1003 *released \[embargoed\]" "$TEST_DIR/.out" && ok "released advisories, embargoed too" || not_ok "released advisories"
expect "release again" sp stream release stable
grep -q "up to date at 1.1.1-3; nothing written" "$TEST_DIR/.out" && ok "nothing new: nothing written" || not_ok "nothing new: nothing written"
test "$(git config -f secport.conf stream.stable.version)" = 1.1.1-3 && ok "version still 1.1.1-3" || not_ok "version still 1.1.1-3"

# --include-embargoed names it, and only it is new in the changelog
expect "release --include-embargoed" sp stream release stable --include-embargoed
cd "$TEST_DIR"
check "embargoed advisory named now" sh -c 'grep -q "^  \* Fix CVE-2026-1003: sched: avoid a NULL dereference$" th/debian/changelog && test -f th/debian/patches/secport/CVE-2026-1003-0001-sched-avoid-a-NULL-dereference.patch && test ! -e th/debian/patches/secport/security-fix-1-0001.patch'
check "XSA-102 not repeated" test "$(sed -n '/1.1.1-4/,/^ --/p' th/debian/changelog | grep -c XSA-102)" = 0
check "kernel: lockstep bump only" sh -c 'head -n 3 tk/debian/changelog | grep -qx "  \* No change: new version in lockstep with the other packages of the stream."'

# OpenVEX for the stream: one statement per component and advisory,
# valid against the schema; the embargoed one only when asked
cd "$R"
expect "export --format openvex --stream" sp export --format openvex --stream stable -o "$TEST_DIR/vex"
vex=$TEST_DIR/vex/stable.stream.openvex.json
python3 "$SRCDIR/tests/schema-validate.py" "$SRCDIR/tests/schemas/openvex-schema.json" "$vex" >/dev/null 2>&1 &&
	ok "the stream's OpenVEX validates" || not_ok "the stream's OpenVEX validates"
grep -q '"pkg:deb/' "$vex" && grep -q '"status": "fixed"' "$vex" && ok "products are the stream's packages, fixed ones stated" || not_ok "stream OpenVEX content"
! grep -q "CVE-2026-1003" "$vex" && ok "the embargoed advisory is left out" || not_ok "embargo in stream OpenVEX"
expect_fail 129 "--stream needs openvex" sp export --format osv --stream stable -o "$TEST_DIR/vex2"

expect_fail 128 "unknown stream" sp stream status nosuch
expect_fail 129 "release needs a name" sp stream release
expect_fail 129 "unknown subcommand" sp stream frob
expect "-h prints usage" sp stream -h
grep -q '^usage: secport stream status' "$TEST_DIR/.out" && ok "usage line" || not_ok "usage line"
done_testing
