#!/bin/sh
# mkhistory.sh DIR: build a small upstream history shaped like Xen's, for the
# demo and the end-to-end tests.  Fixed identities and dates, so the commit
# ids are the same on every machine.
#
#   master:      releases RELEASE-1.0.0, RELEASE-1.1.0, RELEASE-1.2.0
#                a bug introduced before 1.0, fixed after 1.1 (XSA-101 /
#                CVE-2026-1001, with Fixes:), a second fix (XSA-102) in two
#                commits, a CVE-only fix, a mention-only commit, a revert
#   stable-1.1:  forked at RELEASE-1.1.0, backports with "master commit:"
#                and "(cherry picked from commit ...)", RELEASE-1.1.1
set -e
dir=$1
[ -n "$dir" ] || { echo "usage: mkhistory.sh DIR" >&2; exit 129; }
export GIT_AUTHOR_NAME="Ada Upstream" GIT_AUTHOR_EMAIL="ada@example.org"
export GIT_COMMITTER_NAME="Ada Upstream" GIT_COMMITTER_EMAIL="ada@example.org"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null TZ=UTC LC_ALL=C
t=1700000000
tick() { t=$((t + 3600)); export GIT_AUTHOR_DATE="$t +0000" GIT_COMMITTER_DATE="$t +0000"; }
git init -q -b master "$dir"
cd "$dir"
git config advice.detachedHead false
lines() { i=1; while [ $i -le "$2" ]; do echo "$1 line $i;"; i=$((i + 1)); done; }
commit() { git add -A && tick && git commit -q -m "$1"; }

mkdir -p xen/common xen/arch/x86
lines grant 40 >xen/common/grant.c
lines mm 40 >xen/arch/x86/mm.c
lines sched 30 >xen/common/sched.c
commit "Initial import"
sed -i 's/grant line 20;/grant line 20; if (idx > max) return -EINVAL;/' xen/common/grant.c
commit "gnttab: check the index"
sed -i 's/mm line 10;/mm line 10; put_page(pg);/' xen/arch/x86/mm.c
commit "x86/mm: drop the page reference early"
buggy=$(git rev-parse --short=12 HEAD)
tick; git tag -a -m "Xen 1.0.0" RELEASE-1.0.0
echo "sched tweak;" >>xen/common/sched.c
commit "sched: tweak"
tick; git tag -a -m "Xen 1.1.0" RELEASE-1.1.0
git branch stable-1.1

sed -i 's/mm line 10; put_page(pg);/mm line 10;/; s/mm line 30;/mm line 30; put_page(pg);/' xen/arch/x86/mm.c
commit "x86/mm: fix use after free of the page

Dropping the reference before the last use lets another vCPU free it.

This is XSA-101 / CVE-2026-1001.

Fixes: $buggy (\"x86/mm: drop the page reference early\")
Signed-off-by: Ada Upstream <ada@example.org>"
fix101=$(git rev-parse HEAD)
sed -i 's/grant line 5;/grant line 5; spin_lock(\&gt->lock);/' xen/common/grant.c
commit "gnttab: take the lock (part 1)

This is part of XSA-102."
sed -i 's/grant line 35;/grant line 35; spin_unlock(\&gt->lock);/' xen/common/grant.c
commit "gnttab: release the lock (part 2)

This is XSA-102 / CVE-2026-1002."
fix102b=$(git rev-parse HEAD)
sed -i 's/sched line 3;/sched line 3; if (!v) return;/' xen/common/sched.c
commit "sched: avoid a NULL dereference

Reported as cve-2026-1003.

Fixes: this build error"
echo "doc;" >xen/README
commit "docs: describe XSA-101 and XSA-102

The fixes for XSA-101 and XSA-102 changed locking rules."
echo "experiment;" >>xen/common/sched.c
commit "sched: experiment"
exp=$(git rev-parse HEAD)
git revert --no-edit "$exp" >/dev/null
tick; git tag -a -m "Xen 1.2.0" RELEASE-1.2.0

git checkout -q stable-1.1
git cherry-pick -x "$fix101" >/dev/null
tick
git -c core.editor=true commit -q --amend -m "x86/mm: fix use after free of the page

This is XSA-101 / CVE-2026-1001.

master commit: $fix101
master date: 2023-11-14 23:13:20 +0000"
git cherry-pick -x "$fix102b" >/dev/null
tick; git tag -a -m "Xen 1.1.1" RELEASE-1.1.1
git checkout -q master
