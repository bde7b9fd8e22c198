#!/bin/sh
# make bench: every benchmark that prints ratios against the alternatives
# measured in the same run.  The placement benchmark (make bench-apply)
# takes much longer and runs apart.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
sh "$root/bench/scan.sh"
make -s -C "$root" bench-reach
