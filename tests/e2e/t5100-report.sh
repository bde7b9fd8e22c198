#!/bin/sh
# secport report: the static HTML site, checked in a real browser (headless
# Chromium reads the pages, tests/browser-check.py reads the rendered DOM
# and compares every cell with `secport matrix --format csv`); patches
# copied, links resolving offline, deterministic output, embargoed
# advisories absent, hostile subjects and tag names escaped.
# Chromium is required (scripts/deps.sh installs it): without it the test
# fails.  REPORT_SCREENSHOT=FILE keeps the screenshot of the demo's index.
. "$(dirname "$0")/lib.sh"

check=$SRCDIR/tests/browser-check.py
# chrome NAME ARGS...: one headless run, its own profile, errors in NAME.err
chrome() {
	n=$1; shift
	timeout 120 chromium --headless --disable-gpu --no-sandbox --hide-scrollbars \
		--user-data-dir="$TEST_DIR/chrome-$n" "$@" 2>"$TEST_DIR/$n.err"
}
# dom_bg FILE OUT: render FILE and dump its DOM to OUT, in the background
# (the runs are independent: starting them together keeps the test fast)
dom_bg() { chrome "$2" --dump-dom "file://$1" >"$2" & }

if ! command -v chromium >/dev/null 2>&1; then
	not_ok "chromium is installed (scripts/deps.sh installs the chromium package)"
	done_testing
	exit 1
fi
ok "chromium is installed"

demo_history
sp init repo >/dev/null && cd repo && sp scan -q "$TEST_DIR/up" >/dev/null || { not_ok "scan"; done_testing; exit 1; }
R=$TEST_DIR/repo
sp matrix --format csv >matrix.csv

# ---- the site --------------------------------------------------------------
expect "report -o site" sp report -o "$TEST_DIR/site"
grep -q "site: 3 advisories, 4 releases, 4 pages, 4 patches" "$TEST_DIR/.out" &&
	ok "summary on stdout" || { not_ok "summary"; sed 's/^/# /' "$TEST_DIR/.out"; }
S=$TEST_DIR/site
for f in index.html style.css print.css advisories/XSA-101.html advisories/XSA-102.html \
	advisories/CVE-2026-1003.html; do
	[ -s "$S/$f" ] || not_ok "$f written"
done
ok "index, style sheets and one page per advisory"
[ ! -e "$S/streams" ] && ok "no stream pages without streams" || not_ok "stream pages"
n=0
for p in "$R"/advisories/*/*.patch; do
	id=$(basename "$(dirname "$p")")
	cmp -s "$p" "$S/advisories/$id/$(basename "$p")" && n=$((n + 1))
done
[ "$n" = 4 ] && ok "the 4 patches copied byte for byte" || not_ok "patches copied ($n)"
grep -q 'media="print"' "$S/index.html" && grep -q '@page' "$S/print.css" &&
	ok "print style sheet" || not_ok "print style sheet"
python3 "$check" links "$S" >links.out 2>&1 && ok "every relative link resolves ($(cat links.out))" ||
	{ not_ok "links"; sed 's/^/# /' links.out; }

# ---- in the browser -----------------------------------------------------------
dom_bg "$S/index.html" index.dom
dom_bg "$S/advisories/XSA-101.html" adv.dom
chrome shot --screenshot="$TEST_DIR/shot.png" --window-size=1400,900 "file://$S/index.html" >/dev/null &
wait
grep -q 'id="matrix"' index.dom && ok "chromium renders index.html" ||
	{ not_ok "chromium renders index.html"; sed 's/^/# /' index.dom.err; }
python3 "$check" matrix index.dom matrix.csv >check.out 2>&1 &&
	ok "every matrix cell agrees with matrix --format csv ($(cat check.out))" ||
	{ not_ok "matrix cells"; sed 's/^/# /' check.out; }
want=$(awk -F, '$1 == "XSA-101" && $2 == "RELEASE-1.1.1" { print $4 "/" $6 }' matrix.csv)
got=$(python3 "$check" cell index.dom XSA-101 RELEASE-1.1.1)
[ "$want" = "fixed/1" ] && [ "$got" = B ] && ok "XSA-101 in RELEASE-1.1.1: B (fixed by a backport)" ||
	not_ok "XSA-101 in RELEASE-1.1.1: got '$got', csv '$want'"
[ "$(python3 "$check" cell index.dom XSA-101 RELEASE-1.0.0)" = V ] &&
	[ "$(python3 "$check" cell index.dom XSA-102 RELEASE-1.2.0)" = F ] &&
	ok "V and F cells" || not_ok "V and F cells"

grep -q 'id="releases"' adv.dom && ok "chromium renders an advisory page" || not_ok "advisory page"
python3 "$check" advisory adv.dom matrix.csv XSA-101 >check.out 2>&1 &&
	ok "advisory page: every release cell agrees ($(cat check.out))" ||
	{ not_ok "advisory release cells"; sed 's/^/# /' check.out; }
[ "$(python3 "$check" text adv.dom subject)" = "x86/mm: fix use after free of the page" ] &&
	ok "subject" || not_ok "subject"
text() { python3 "$check" text adv.dom "$1" >text.out && grep "$2" text.out >/dev/null; }
text aliases '^CVE-2026-1001$' && ok "aliases" || not_ok "aliases"
text needed-for "1.0.0" && text fixed-in "fixed in 1.1.1" && ok "needed-for and ranges" || not_ok "needed-for and ranges"
bp=$(git -C "$TEST_DIR/up" rev-parse 'stable-1.1^' | cut -c1-12)
text backports "stable-1.1$bp" && ok "backport per branch" || not_ok "backports"
text patches "0001-x86-mm-fix-use-after-free-of-the-page.patch" && ok "patch listed" || not_ok "patch listed"

[ "$(head -c 8 "$TEST_DIR/shot.png" 2>/dev/null | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ] &&
	ok "screenshot" || not_ok "screenshot"
[ -n "${REPORT_SCREENSHOT:-}" ] && cp "$TEST_DIR/shot.png" "$REPORT_SCREENSHOT"

# ---- deterministic, replaced in place, never over foreign files --------------
expect "report again" sp report -o "$TEST_DIR/site2/"
diff -r "$S" "$TEST_DIR/site2" >/dev/null && ok "same input, same bytes" || not_ok "deterministic"
echo stale >"$S/advisories/XSA-999.html"
expect "report over an earlier report" sp report -o "$S"
[ ! -e "$S/advisories/XSA-999.html" ] && ok "nothing of the earlier report survives" || not_ok "stale page"
ls "$TEST_DIR" | grep -q 'site\.\(tmp\|old\)' && not_ok "temporary directories left" || ok "no temporary directories left"
mkdir other && echo mine >other/file
expect_fail 128 "a foreign directory is refused" sp report -o other
grep -q "not a secport report" "$TEST_DIR/.out" && [ "$(cat other/file)" = mine ] &&
	ok "and left alone" || not_ok "foreign directory"
expect_fail 129 "-o is required" sp report
expect_fail 129 "no operands" sp report -o x y

# ---- streams ------------------------------------------------------------------
git config -f secport.conf stream.stable.version 1.1.1-2
git config -f secport.conf stream.stable.hypervisor.release RELEASE-1.1.1
git config -f secport.conf stream.stable.tools.release RELEASE-1.1.1
git config -f secport.conf stream.unstable.hypervisor.release RELEASE-1.2.0
expect "report with streams" sp report -o "$TEST_DIR/st"
[ -s "$TEST_DIR/st/streams/stable.html" ] && [ -s "$TEST_DIR/st/streams/unstable.html" ] &&
	grep -q 'href="streams/stable.html"' "$TEST_DIR/st/index.html" && ok "one page per stream, linked" ||
	not_ok "stream pages"
grep -q '<tr id="a-XSA-102"><th>.*<td class="v">v</td>' "$TEST_DIR/st/streams/stable.html" &&
	grep -q '<tr id="a-XSA-101"><th>.*<td class="B">B</td>' "$TEST_DIR/st/streams/stable.html" &&
	ok "stable: what its base release needs and has" || not_ok "stable stream page"
python3 "$check" links "$TEST_DIR/st" >/dev/null 2>&1 && ok "stream links resolve" || not_ok "stream links"
grep -q '<th>hypervisor.release</th><td>RELEASE-1.1.1</td>' "$TEST_DIR/st/streams/stable.html" &&
	[ ! -e "$TEST_DIR/st/streams/stable.hypervisor.html" ] && ok "components on their stream's page" ||
	not_ok "components"
git config -f secport.conf --remove-section stream.stable
git config -f secport.conf --remove-section stream.stable.hypervisor
git config -f secport.conf --remove-section stream.stable.tools
git config -f secport.conf --remove-section stream.unstable.hypervisor

# ---- embargo ------------------------------------------------------------------
fix102=$(awk '/^Fixed-By:/ { print $2 }' advisories/XSA-102/record)
cp advisories/XSA-102/record rec.orig
sed -i 's/^Notes:/Embargoed-Until: 2999-01-01\nNotes:/' advisories/XSA-102/record
expect "report with an embargoed advisory" sp report -o "$TEST_DIR/pub"
grep -q "1 embargoed advisories left out" "$TEST_DIR/.out" && ok "withheld count" || not_ok "withheld count"
leak=$(grep -rl -e XSA-102 -e CVE-2026-1002 -e "gnttab: take the lock" -e "$fix102" \
	-e "$(echo "$fix102" | cut -c1-12)" "$TEST_DIR/pub")
[ -z "$leak" ] && ok "no id, alias, subject or fix of the embargoed advisory anywhere" ||
	not_ok "embargo leak in $leak"
[ ! -e "$TEST_DIR/pub/advisories/XSA-102" ] && ok "no embargoed patches" || not_ok "embargoed patches"
grep -q 'id="a-XSA-101"' "$TEST_DIR/pub/index.html" && grep -q 'id="a-CVE-2026-1003"' "$TEST_DIR/pub/index.html" &&
	ok "every other advisory is there" || not_ok "public advisories"
expect "--include-embargoed" sp report --include-embargoed -o "$TEST_DIR/pub"
grep -q "XSA-102" "$TEST_DIR/pub/index.html" && grep -q 'id="embargo"' "$TEST_DIR/pub/advisories/XSA-102.html" &&
	ok "included and marked embargoed" || not_ok "--include-embargoed"
expect "report without it again" sp report -o "$TEST_DIR/pub"
! grep -rq XSA-102 "$TEST_DIR/pub" && ok "the earlier embargoed pages are gone" || not_ok "stale embargoed pages"
SECPORT_NOW=2999-01-02 sp report -o "$TEST_DIR/pub" >/dev/null 2>&1 &&
	grep -q 'id="a-XSA-102"' "$TEST_DIR/pub/index.html" && ok "published once the date passed" || not_ok "date passed"
sed -i 's/^Embargoed-Until: .*/Embargoed: yes/' advisories/XSA-102/record
SECPORT_NOW=2999-01-02 sp report -o "$TEST_DIR/pub" >/dev/null 2>&1 && ! grep -rq XSA-102 "$TEST_DIR/pub" &&
	ok "Embargoed: yes" || not_ok "Embargoed: yes"
cp rec.orig advisories/XSA-102/record

# ---- hostile text: subjects, notes, tag names ----------------------------------
cd "$TEST_DIR"
git init -q evil && cd evil
commit_file a.c "int a;" "Initial import"
git tag RELEASE-2.0.0
commit_file a.c "int a; int b;" "fix <script>alert(1)</script> & <b>bold</b> \"q\" 'a'

This is XSA-900."
git tag 'RELEASE-2.1.0&<i>"x'"'"
cd "$TEST_DIR" && sp init erepo >/dev/null && cd erepo && sp scan -q "$TEST_DIR/evil" >/dev/null ||
	not_ok "scan the hostile history"
sed -i 's/^Notes:.*/Notes: <script>alert(2)<\/script> \&amp; <img src=x onerror=alert(3)>/' advisories/XSA-900/record
git config -f secport.conf 'stream.<script>x"y.base' 'RELEASE-2.1.0&<i>"x'"'"
expect "report on hostile text" sp report -o "$TEST_DIR/esite"
E=$TEST_DIR/esite
grep -rli '<script' "$E" --include='*.html' --include='*.css' >bad || true
[ ! -s bad ] && ok "no unescaped <script in any page" || { not_ok "unescaped <script"; sed 's/^/# /' bad; }
grep -rqi '<img' "$E" --include='*.html' && not_ok "unescaped <img" || ok "no unescaped <img"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; &quot;q&quot; &#39;a&#39;' \
	"$E/advisories/XSA-900.html" && ok "subject escaped, & too" || not_ok "subject escaping"
grep -q '&amp;amp;' "$E/advisories/XSA-900.html" && ok "an entity in a record stays text" || not_ok "entity"
[ -s "$E/streams/stream-1.html" ] && grep -q 'Stream &lt;script&gt;x&quot;y' "$E/streams/stream-1.html" &&
	grep -q '<tr id="a-XSA-900">' "$E/streams/stream-1.html" &&
	ok "a hostile stream name: escaped, and a safe file name" || not_ok "hostile stream"
sp matrix --format csv >evil.csv
p=$(ls "$E"/advisories/XSA-900/*.patch)
dom_bg "$E/index.html" evil-index.dom
dom_bg "$E/advisories/XSA-900.html" evil.dom
dom_bg "$p" patch.dom
wait
python3 "$check" matrix evil-index.dom evil.csv >check.out 2>&1 &&
	ok "browser: hostile tag name is a column like any other, no script element" ||
	{ not_ok "hostile index"; sed 's/^/# /' check.out; }
python3 "$check" advisory evil.dom evil.csv XSA-900 >check.out 2>&1 &&
	ok "browser: hostile advisory page has no script element" || { not_ok "hostile page"; sed 's/^/# /' check.out; }
grep -q '<script>' "$p" && grep -q '&lt;script&gt;' patch.dom && python3 "$check" noscript patch.dom 2>check.out &&
	ok "browser: a copied patch (raw text) is shown as text, no script element" ||
	{ not_ok "patch as text"; sed 's/^/# /' check.out; }
[ "$(python3 "$check" text evil.dom subject)" = "fix <script>alert(1)</script> & <b>bold</b> \"q\" 'a'" ] &&
	ok "browser shows the subject as text" || not_ok "subject text"

done_testing
