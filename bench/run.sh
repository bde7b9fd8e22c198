#!/bin/sh
# make bench: every benchmark that prints ratios against the alternatives
# measured in the same run (XEN_REPO: a clone of xen-project/xen; parts
# without it are skipped).  The placement benchmark (make bench-apply) takes
# much longer and runs apart.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
sh "$root/bench/scan.sh"
make -s -C "$root" bench-reach
sh "$root/bench/matrix.sh"
