#!/bin/sh
# Which ids are one advisory: a CVE stated beside an XSA (also by
# "Everything together is XSA-501."), and a CVE only mentioned beside
# exactly one XSA (Xen's "QEMU_TAG update (XSA-17 / CVE-2012-3515)"), but
# not two CVEs mentioned beside one XSA, and not the commit that only
# mentions an alias as a fix of the advisory it names.
. "$(dirname "$0")/lib.sh"

git init -q up && cd up
commit_file README "base" "initial"
commit_file qemu.tag "tag 1" "QEMU_TAG update (XSA-17 / CVE-2026-3001)"
commit_file info.c "a" "x86: fix an information leak

It is like CVE-2026-3003, which this does not fix.

This is XSA-52 / CVE-2026-3002."
commit_file info.c "b" "docs: XSA-60 and CVE-2026-3004 and CVE-2026-3005"
commit_file mm.c "flush" "x86/pv: flush the TLB

This is XSA-70."
commit_file gnttab.c "race" "gnttab: cope with version changes

This is CVE-2026-3009.
This is CVE-2026-3008.

Everything together is XSA-90."
commit_file mm.c "no flush" "x86/pv: avoid a TLB flush"
regress=$(git rev-parse HEAD)
commit_file other.c "x" "unrelated"
git revert --no-edit "$regress" >/dev/null 2>&1 &&
	git commit -q --amend -m "Revert \"x86/pv: avoid a TLB flush\"

This reintroduces XSA-70 / CVE-2026-3006.

This reverts commit $regress."
fix70=$(git log --format=%H -1 --grep='This is XSA-70')
revert=$(git rev-parse HEAD)
cd "$TEST_DIR"

expect "init" sp init repo
cd repo
expect "scan" sp scan -q "$TEST_DIR/up"

grep -qx "Aliases: CVE-2026-3001" advisories/XSA-17/record &&
	[ ! -d advisories/CVE-2026-3001 ] &&
	ok "a CVE mentioned beside one XSA only is its alias" ||
	not_ok "mentioned alias"
grep -qx "Aliases: CVE-2026-3002" advisories/XSA-52/record &&
	[ -d advisories/CVE-2026-3003 ] &&
	ok "a CVE stated beside the XSA is its alias; one only mentioned beside another CVE is not" ||
	not_ok "stated alias, other CVE"
[ -d advisories/CVE-2026-3004 ] && [ -d advisories/CVE-2026-3005 ] &&
	! grep -q '^Aliases' advisories/XSA-60/record &&
	ok "two CVEs mentioned beside one XSA stay apart" || not_ok "two CVEs"
grep -qx "Aliases: CVE-2026-3006" advisories/XSA-70/record &&
	[ ! -d advisories/CVE-2026-3006 ] &&
	ok "a CVE mentioned in a revert beside a stated XSA is its alias" ||
	not_ok "alias from a revert"
grep -qx "Aliases: CVE-2026-3009 CVE-2026-3008" advisories/XSA-90/record &&
	[ ! -d advisories/CVE-2026-3008 ] && [ ! -d advisories/CVE-2026-3009 ] &&
	ok "CVEs stated beside 'Everything together is XSA-N.' are its aliases" ||
	not_ok "sentence stating the XSA"
grep -qx "Fixed-By: $fix70" advisories/XSA-70/record &&
	! grep -q "$revert" advisories/XSA-70/record &&
	ok "the revert naming the alias is not a fix of the XSA" ||
	not_ok "revert kept out of Fixed-By"
expect "show by a mentioned alias" sp show CVE-2026-3006
grep -q "^Advisory: XSA-70" "$TEST_DIR/.out" && ok "it finds the XSA" || not_ok "show alias"

# an id with a record of its own that becomes an alias: the record may
# hold hand edits, so the scan says so and leaves it
(cd "$TEST_DIR/up" && commit_file b.c "1" "b: check a length (CVE-2026-3007)") >/dev/null
expect "a CVE only mentioned gets a record" sp scan -q
[ -d advisories/CVE-2026-3007 ] && ok "its own record" || not_ok "mention-only record"
(cd "$TEST_DIR/up" && commit_file b.c "2" "b: the rest of XSA-80 / CVE-2026-3007") >/dev/null
expect "the rescan" sp scan
grep -qx "warning: 'CVE-2026-3007' is now an alias of XSA-80: merge what its record adds into advisories/XSA-80/record and remove advisories/CVE-2026-3007" "$TEST_DIR/.out" &&
	ok "an existing record that became an alias is named" || not_ok "alias warning"
[ -f advisories/CVE-2026-3007/record ] && grep -qx "Aliases: CVE-2026-3007" advisories/XSA-80/record &&
	ok "kept, and the XSA has the alias" || not_ok "kept record"
done_testing
