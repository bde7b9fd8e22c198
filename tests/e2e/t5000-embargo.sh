#!/bin/sh
# Embargo: Embargoed-Until / Embargoed: yes keep an advisory out of every
# public output (each export format, export --patches) until the date
# passes, unless --include-embargoed; the team still sees it (list, show,
# matrix).  No public file may contain its id, aliases, subject or fixes.
. "$(dirname "$0")/lib.sh"

demo_history
fix101=$(on_master 'x86/mm: fix use after free')
bp101=$(git -C up rev-parse 'stable-1.1^')
fix1003=$(on_master 'sched: avoid a NULL')
sp init repo >/dev/null && cd repo && sp scan -q "$up" >/dev/null || { not_ok "scan"; done_testing; exit 1; }

# add_field ID LINE: append a field to a record
add_field() { printf '%s\n' "$2" >>"advisories/$1/record"; }
add_field XSA-101 "Embargoed-Until: 2027-01-01 12:00"
add_field CVE-2026-1003 "Embargoed: yes"

# leaks DIR WHAT...: grep -r every secret of the named advisories in DIR
# (contents and file names); prints what it finds
secrets() {
	for w in "$@"; do
		case $w in
		XSA-101) printf '%s\n' XSA-101 CVE-2026-1001 "fix use after free of the page" "$fix101" "$bp101" \
			$(echo "$fix101" | cut -c1-12) $(echo "$bp101" | cut -c1-12) ;;
		CVE-2026-1003) printf '%s\n' CVE-2026-1003 "avoid a NULL dereference" "$fix1003" \
			$(echo "$fix1003" | cut -c1-12) ;;
		esac
	done
}
leaks() {
	d=$1; shift
	secrets "$@" | while read -r s; do
		grep -rlF -- "$s" "$d" | sed "s|^|$s in |"
		find "$d" | grep -F -- "$s" | sed "s|^|$s in file name |"
	done
}
no_leak() {
	d=$1; shift
	found=$(leaks "$d" "$@")
	[ -z "$found" ] && ok "$d: nothing of $*" || { not_ok "$d: leaks $*"; echo "$found" | head -5 | sed 's/^/# /'; }
}
has_all() {
	d=$1; shift
	missing=
	for w in "$@"; do
		grep -rqF -- "$w" "$d" || missing="$missing $w"
	done
	[ -z "$missing" ] && ok "$d: has $*" || not_ok "$d: missing$missing"
}

export SECPORT_NOW=2026-06-01

# the team sees embargoed advisories, marked
expect "list" sp list
grep -q "^XSA-101 .*\[embargoed\]" "$TEST_DIR/.out" && grep -q "^CVE-2026-1003 .*\[embargoed\]" "$TEST_DIR/.out" &&
	! grep -q "^XSA-102 .*\[embargoed\]" "$TEST_DIR/.out" && ok "list marks embargoed advisories" || not_ok "list marks"
expect "list --json" sp list --json
python3 -c '
import json, sys
d = {a["id"]: a["embargoed"] for a in json.load(open(sys.argv[1]))}
sys.exit(0 if d == {"XSA-101": True, "XSA-102": False, "CVE-2026-1003": True} else 1)' "$TEST_DIR/.out" &&
	ok "list --json: embargoed true/false" || not_ok "list --json embargoed"
expect "show an embargoed advisory" sp show XSA-101
expect "matrix shows it to the team" sp matrix --format csv
grep -q "^XSA-101," "$TEST_DIR/.out" && ok "matrix has XSA-101" || not_ok "matrix lacks XSA-101"

# public outputs: nothing of the embargoed advisories
for f in cve5 osv openvex csv; do
	expect "export --format $f" sp export --format $f -o "$TEST_DIR/pub/$f"
	grep -q "2 embargoed advisories left out" "$TEST_DIR/.out" || not_ok "$f: summary counts the embargoed"
	no_leak "$TEST_DIR/pub/$f" XSA-101 CVE-2026-1003
done
expect "export --patches" sp export --patches -o "$TEST_DIR/pub/patches"
no_leak "$TEST_DIR/pub/patches" XSA-101 CVE-2026-1003
has_all "$TEST_DIR/pub" XSA-102 CVE-2026-1002
no_leak "$TEST_DIR/pub" XSA-101 CVE-2026-1003

# --include-embargoed writes them where asked
for f in cve5 osv openvex csv; do
	expect "export --format $f --include-embargoed" sp export --format $f --include-embargoed -o "$TEST_DIR/all/$f"
done
expect "export --patches --include-embargoed" sp export --patches --include-embargoed -o "$TEST_DIR/all/patches"
has_all "$TEST_DIR/all/cve5" CVE-2026-1001 CVE-2026-1003 "$fix101" "$bp101" "$fix1003"
has_all "$TEST_DIR/all/osv" XSA-101 CVE-2026-1001 "fix use after free of the page" "$fix101" "$fix1003"
has_all "$TEST_DIR/all/openvex" XSA-101 CVE-2026-1003
has_all "$TEST_DIR/all/csv" XSA-101 CVE-2026-1003 "$bp101"
has_all "$TEST_DIR/all/patches" XSA-101 "$fix101" "avoid a NULL dereference"

# an export directory reused without the flag loses them again
for f in cve5 osv openvex csv; do
	sp export --format $f -o "$TEST_DIR/all/$f" >/dev/null 2>&1 || not_ok "re-export $f"
	no_leak "$TEST_DIR/all/$f" XSA-101 CVE-2026-1003
done
sp export --patches -o "$TEST_DIR/all/patches" >/dev/null 2>&1 || not_ok "re-export patches"
no_leak "$TEST_DIR/all/patches" XSA-101 CVE-2026-1003
[ ! -d "$TEST_DIR/all/patches/XSA-101" ] && ok "the embargoed advisory's directory is removed" || not_ok "stale directory"

# the embargo ends at the instant named (UTC); Embargoed: yes never does
SECPORT_NOW=2027-01-01 sp export --format osv -o "$TEST_DIR/day" >/dev/null 2>&1
no_leak "$TEST_DIR/day" XSA-101
SECPORT_NOW="2027-01-01 12:00" sp export --format osv -o "$TEST_DIR/after" >/dev/null 2>&1
has_all "$TEST_DIR/after" XSA-101 CVE-2026-1001 "$fix101"
no_leak "$TEST_DIR/after" CVE-2026-1003
SECPORT_NOW=2027-02-01 sp list >list.out 2>&1
! grep -q "^XSA-101 .*\[embargoed\]" list.out && grep -q "^CVE-2026-1003 .*\[embargoed\]" list.out &&
	ok "list after the date" || not_ok "list after the date"
SECPORT_NOW=2027-02-01 sp export --format cve5 -o "$TEST_DIR/later" >/dev/null 2>&1
[ -f "$TEST_DIR/later/CVE-2026-1001.json" ] && ok "the CVE record appears after the date" || not_ok "CVE after date"

# removing the field publishes it; an unreadable date keeps it private
sed -i '/^Embargoed: yes$/d' advisories/CVE-2026-1003/record
sed -i 's/^Embargoed-Until: .*/Embargoed-Until: next tuesday/' advisories/XSA-101/record
expect "export after edits" sp export --format csv -o "$TEST_DIR/edit"
has_all "$TEST_DIR/edit" CVE-2026-1003
no_leak "$TEST_DIR/edit" XSA-101
sed -i 's/^Embargoed-Until: .*/Embargoed-Until: 2026-05-31/' advisories/XSA-101/record
expect "export with a past date" sp export --format csv -o "$TEST_DIR/edit"
has_all "$TEST_DIR/edit" XSA-101 CVE-2026-1003

SECPORT_NOW=tomorrow expect_fail 128 "a bad SECPORT_NOW is an error" sp export --format csv -o "$TEST_DIR/x"

done_testing
