#!/bin/sh
# secport apply: placement, all-or-nothing, safety of paths, formats.
. "$(dirname "$0")/lib.sh"


mkdir -p a/src b/src
seq 1 30 | sed 's/^/line /' >a/src/f.c
cp a/src/f.c b/src/f.c
sed -i 's/^line 15$/line 15 fixed/' b/src/f.c
printf 'keep\n' >a/g.c
printf 'keep\nadded\n' >b/g.c
diff -ruN a b >fix.patch

# a drifted tree: five lines more at the top
mkdir -p tree/src
{ seq 1 5 | sed 's/^/new /'; cat a/src/f.c; } >tree/src/f.c
cp a/g.c tree/g.c
cp -r tree tree0

expect "applies at an offset" sp apply --tree tree --patch fix.patch
check "line changed" grep -q '^line 15 fixed$' tree/src/f.c
check "second file changed" grep -q '^added$' tree/g.c
grep -q 'offset +5' .out && ok "reports the offset" || not_ok "reports the offset"
expect "already applied is success" sp apply --tree tree --patch fix.patch
grep -q 'already applied' .out && ok "reports already applied" || not_ok "reports already applied"

cp -r tree0 t1
expect "dry run succeeds" sp apply --dry-run --tree t1 --patch fix.patch
check "dry run writes nothing" diff -r tree0 t1

# all-or-nothing: g.c cannot take its hunk, f.c must stay untouched
cp -r tree0 t2
printf 'other\n' >t2/g.c
cp -r t2 t2.orig
expect_fail 1 "a failed hunk fails the patch" sp apply --tree t2 --patch fix.patch
check "nothing written on failure" diff -r t2.orig t2
grep -q 'failed' .out && ok "reports the failed hunk" || not_ok "reports the failed hunk"
expect_fail 1 "--partial still exits 1" sp apply --partial --tree t2 --patch fix.patch
check "--partial writes what placed" grep -q 'line 15 fixed' t2/src/f.c
check "--partial leaves a .rej" test -f t2/g.c.rej
ls t2 | grep -q secport- && not_ok "no temporary files left" || ok "no temporary files left"

cp -r tree0 t3
expect "--json" sp apply --json --tree t3 --patch fix.patch
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["applied"] and any(h["tier"] == "offset" for f in d["files"] for h in f["hunks"])' .out \
	&& ok "--json is valid and names the tier" || not_ok "--json is valid and names the tier"

# unsafe paths
mkdir -p t4 outside
printf 'x\n' >t4/ok.c
printf -- '--- a/../outside/p.c\n+++ b/../outside/p.c\n@@ -0,0 +1 @@\n+pwned\n' >dotdot.patch
expect_fail 128 "'..' rejected" sp apply --tree t4 --patch dotdot.patch
check "nothing written outside" test ! -e outside/p.c
printf -- '--- /dev/null\n+++ /tmp/abs.c\n@@ -0,0 +1 @@\n+pwned\n' >abs.patch
expect_fail 128 "absolute path rejected" sp apply -p0 --tree t4 --patch abs.patch
ln -s "$TEST_DIR/outside" t4/link
printf -- '--- /dev/null\n+++ b/link/p.c\n@@ -0,0 +1 @@\n+pwned\n' >link.patch
expect_fail 128 "symlink leaving the tree rejected" sp apply --tree t4 --patch link.patch
check "nothing written through the link" test ! -e outside/p.c
grep -q 'symbolic link' .out && ok "names the symbolic link" || not_ok "names the symbolic link"

# binary and malformed
printf 'diff --git a/b.png b/b.png\nindex 1..2 100644\nBinary files a/b.png and b/b.png differ\n' >bin.patch
expect_fail 1 "binary patch refused" sp apply --tree t4 --patch bin.patch
grep -q 'binary' .out && ok "says binary" || not_ok "says binary"
printf -- '--- a/ok.c\n+++ b/ok.c\n@@ -1,2 +1,2 @\n x\n' >bad.patch
expect_fail 128 "malformed patch is an error" sp apply --tree t4 --patch bad.patch
grep -q "bad.patch': line 3" .out && ok "error names file and line" || not_ok "error names file and line"

# CRLF file, LF patch
mkdir -p t5
printf 'one\r\ntwo\r\nthree\r\n' >t5/w.txt
printf -- '--- a/w.txt\n+++ b/w.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n' >crlf.patch
expect "CRLF file takes an LF patch" sp apply --tree t5 --patch crlf.patch
printf 'one\r\nTWO\r\nthree\r\n' >want.txt
check "CRLF kept" cmp t5/w.txt want.txt

# new, deleted, renamed files (git format)
git init -q repo && cd repo
printf 'a\nb\nc\n' >old.c && printf 'gone\n' >del.c && printf 'r1\nr2\nr3\nr4\n' >from.c
git add . && test_tick && git commit -q -m one
printf 'a\nb\nc\n' >new.c && git rm -q del.c && git mv from.c to.c
sed -i 's/r2/R2/' to.c && git add . && test_tick && git commit -q -m two
git diff -M HEAD^ HEAD >../files.patch
cd ..
mkdir -p t6 && git -C repo archive HEAD^ | tar -x -C t6
expect "new, deleted and renamed files" sp apply --tree t6 --patch files.patch
check "new file created" test -f t6/new.c
check "deleted file removed" test ! -e t6/del.c
check "renamed file moved" test ! -e t6/from.c
check "renamed file edited" grep -q R2 t6/to.c

# a file moved in the tree is followed by its name
mkdir -p t7/include/asm
cp a/src/f.c t7/include/asm/f.c
cp a/g.c t7/g.c
expect "follows a moved file" sp apply --tree t7 --patch fix.patch
check "moved file patched" grep -q 'line 15 fixed' t7/include/asm/f.c

# files of that name that do not take the patch: the report names the
# likeliest (most words of the path in common), and nothing is written
mkdir -p t8/include/src-arm t8/include/src-x86
seq 40 70 | sed 's/^/line /' >t8/include/src-arm/f.c
seq 40 70 | sed 's/^/line /' >t8/include/src-x86/f.c
cp a/g.c t8/g.c
sed 's#src/f\.c#arch/x86/src/f.c#g' fix.patch >moved.patch
cp -r t8 t8.before
expect_fail 1 "a file of that name that does not take the patch" sp apply --tree t8 --patch moved.patch
grep -q "arch/x86/src/f.c: failed: no such file in the tree; 'include/src-x86/f.c' has its name, but only 0 of the 1 hunks place there" .out &&
	ok "the report names the file of that name tried" || not_ok "tried file named"
check "nothing written" diff -r t8.before t8
expect_fail 1 "the same in JSON" sp apply --json --tree t8 --patch moved.patch
grep -q '"tried": "include/src-x86/f.c"' .out && grep -q '"tried_placed": 0' .out &&
	grep -q '"tried_by": "name"' .out &&
	ok "JSON names it too" || not_ok "tried in JSON"

# code that moved to a file of another name is found by its text: the one
# file of its kind under the same top-level directory that takes every hunk
mkdir -p mv/a/xen/common/sched mv/b/xen/common/sched
cat >mv/a/xen/common/sched/core.c <<'EOF'
static void sched_free_unit(struct sched_unit *unit, struct vcpu *v)
{
    struct sched_unit *prev_unit;
    struct domain *d = unit->domain;

    if ( unit->vcpu_list == v )
        unit->vcpu_list = v->next_in_list;

    sched_free_unit_mem(unit);
}
EOF
sed 's/^    sched_free_unit_mem(unit);$/    if ( !unit->vcpu_list )\n        sched_free_unit_mem(unit);/' \
	mv/a/xen/common/sched/core.c >mv/b/xen/common/sched/core.c
head -n 7 mv/a/xen/common/sched/core.c >mv/a/xen/common/sched/private.h
sed '3a\    int more;' mv/a/xen/common/sched/private.h >mv/b/xen/common/sched/private.h
(cd mv && diff -ruN a/xen/common/sched/core.c b/xen/common/sched/core.c) >mv/core.patch
(cd mv && diff -ruN a b) >mv/both.patch
mkdir -p t9/xen/common t9/tools
{ printf '/* schedule.c */\n\n'; cat mv/a/xen/common/sched/core.c; } >t9/xen/common/schedule.c
cp mv/a/xen/common/sched/core.c t9/tools/schedule.c
printf 'int unrelated;\n' >t9/xen/common/domain.c
cp -r t9 t9.before
expect "follows code moved to a file of another name" sp apply --tree t9 --patch mv/core.patch
grep -q "xen/common/schedule.c (patch names 'xen/common/sched/core.c'): ok" .out &&
	ok "the report names the file found by its text" || not_ok "moved by text reported"
check "the file found is patched" grep -q 'if ( !unit->vcpu_list )' t9/xen/common/schedule.c
check "a file of another top-level directory is not" cmp t9.before/tools/schedule.c t9/tools/schedule.c
rm -rf t9 && cp -r t9.before t9
mkdir -p t9/xen/arch && cp t9/xen/common/schedule.c t9/xen/arch/sched.c
expect "the nearest directory that holds the code wins" sp apply --dry-run --tree t9 --patch mv/core.patch
grep -q "xen/common/schedule.c (patch names" .out && ok "the nearer file is used" || not_ok "nearer file"
rm -rf t9 && mkdir -p t9/xen/common t9/xen/arch && cp t9.before/xen/common/schedule.c t9/xen/arch/
expect "a wider directory holds the code" sp apply --dry-run --tree t9 --patch mv/core.patch
grep -q "xen/arch/schedule.c (patch names" .out && ok "found in xen/" || not_ok "wider ring"
truncate -s 65M t9/xen/common/big.c
expect_fail 1 "the text search reads at most 64 MiB of the tree" sp apply --dry-run --tree t9 --patch mv/core.patch
grep -q "no such file in the tree" .out && ok "not found past the budget" || not_ok "budget"
rm -rf t9 && cp -r t9.before t9
expect_fail 1 "two moved files of the patch are not found in one file" sp apply --tree t9 --patch mv/both.patch
check "nothing written" diff -r t9.before t9
cp t9/xen/common/schedule.c t9/xen/common/sched_old.c
expect_fail 1 "two files that hold the code: no guess" sp apply --tree t9 --patch mv/core.patch
grep -q "several files take the patch" .out && ok "says why" || not_ok "several files reason"
rm -rf t9 && cp -r t9.before t9
sed -i '/sched_free_unit_mem(unit);/d' t9/xen/common/schedule.c
expect_fail 1 "code found by its text that does not take the patch" sp apply --tree t9 --patch mv/core.patch
grep -q "xen/common/sched/core.c: failed: no such file in the tree; 'xen/common/schedule.c' has its code, but only 0 of the 1 hunks place there" .out &&
	ok "the report names the file that has its code" || not_ok "tried by text"
expect_fail 1 "the same in JSON" sp apply --json --tree t9 --patch mv/core.patch
grep -q '"tried_by": "text"' .out && ok "JSON says it was found by its text" || not_ok "tried_by in JSON"
rm -rf t9 && mkdir -p t9/tools && cp t9.before/tools/schedule.c t9/tools/
expect_fail 1 "only another top-level directory holds the code" sp apply --tree t9 --patch mv/core.patch
grep -q "no such file in the tree" .out && ok "no such file" || not_ok "no such file"

# a word one C file shows drifted is the spelling of the patch's other C
# files under the same top-level directory, not of the tools nor the docs,
# nor of a file the patch creates
mkdir -p sh/a/xen/common sh/a/xen/include sh/a/tools/lib sh/a/docs
printf 'int x;\nstatic bool opt_a = 1;\nint y;\n' >sh/a/xen/common/a.c
printf 'int y;\n' >sh/a/xen/include/a.h
printf 'int z;\n' >sh/a/tools/lib/b.c
printf 'Options\n' >sh/a/docs/opts.md
cp -r sh/a sh/b
printf 'int x;\nstatic bool opt_a = 1;\nstatic bool opt_b = 1;\nint y;\n' >sh/b/xen/common/a.c
printf 'int y;\nextern bool opt_b;\n' >sh/b/xen/include/a.h
printf 'int z;\nstatic bool opt_c;\n' >sh/b/tools/lib/b.c
printf 'Options\nopt_b=<bool>\n' >sh/b/docs/opts.md
printf 'extern bool opt_d;\n' >sh/b/xen/include/new.h
(cd sh && diff -ruN a b) | sed 's#^--- a/xen/include/new\.h.*#--- /dev/null#' >sh/p.patch
cp -r sh/a t10
sed -i 's/bool/bool_t/' t10/xen/common/a.c
expect "words shared by the patch's C files" sp apply --tree t10 --patch sh/p.patch
check "the header takes the C file's word" grep -q '^extern bool_t opt_b;$' t10/xen/include/a.h
check "the tools keep upstream's word" grep -q '^static bool opt_c;$' t10/tools/lib/b.c
check "the docs keep upstream's word" grep -q '^opt_b=<bool>$' t10/docs/opts.md
check "a file the patch creates is upstream's" grep -q '^extern bool opt_d;$' t10/xen/include/new.h

expect_fail 129 "usage error exits 129" sp apply --tree t7
expect "-h prints usage" sp apply -h
grep -q '^usage: secport apply --tree DIR --patch FILE' .out && ok "-h matches the SYNOPSIS" || not_ok "-h matches the SYNOPSIS"
# words the file writes otherwise are written its way, and the report says so
for c in adapt-drift-false-to-0 adapt-translate-removed-line; do
	rm -rf adapt && mkdir adapt && cp "$SRCDIR/tests/place/$c/orig" adapt/file
	expect "$c applies" sp apply --json --tree adapt --patch "$SRCDIR/tests/place/$c/patch"
	cp .out "$c.json"
done
grep -q '"adapted": "false -> 0"' adapt-drift-false-to-0.json &&
	grep -q '"translated": false' adapt-drift-false-to-0.json &&
	ok "JSON names the words adapted in the added lines" || not_ok "adapted in JSON"
grep -q '"translated": true' adapt-translate-removed-line.json &&
	grep -q '"adapted": "has_iommu_pt -> need_iommu"' adapt-translate-removed-line.json &&
	ok "JSON says a hunk placed once written in the file's words" ||
	not_ok "translated in JSON"
cp "$SRCDIR/tests/place/adapt-translate-removed-line/orig" adapt/file
expect "text report" sp apply --dry-run --tree adapt --patch "$SRCDIR/tests/place/adapt-translate-removed-line/patch"
grep -q "once written in the file's words; adapted: has_iommu_pt -> need_iommu" .out &&
	ok "the text report says so too" || not_ok "translated in text"

done_testing
