#!/bin/sh
# Golden placement cases from tests/place/: orig + patch -> expected, or a
# refusal that leaves the file alone when there is no expected.  A case
# whose orig is a directory is a tree (expected too), for patches of
# several files.
CASES=$(cd "$(dirname "$0")/../place" && pwd)
. "$(dirname "$0")/lib.sh"

for c in "$CASES"/*/; do
	name=$(basename "$c")
	rm -rf tree
	if [ -d "$c/orig" ]; then
		cp -r "$c/orig" tree
	else
		mkdir tree && cp "$c/orig" tree/file
	fi
	if [ -d "$c/expected" ]; then
		if sp apply --tree tree --patch "$c/patch" >out 2>&1 &&
		   diff -r tree "$c/expected" >/dev/null; then
			ok "$name"
		else
			not_ok "$name"; sed 's/^/# /' out
		fi
	elif [ -f "$c/expected" ]; then
		if sp apply --tree tree --patch "$c/patch" >out 2>&1 &&
		   cmp -s tree/file "$c/expected"; then
			ok "$name"
		else
			not_ok "$name"; sed 's/^/# /' out
		fi
	else
		sp apply --tree tree --patch "$c/patch" >out 2>&1; rc=$?
		if [ "$rc" -eq 1 ] && cmp -s tree/file "$c/orig"; then
			ok "$name (refused)"
		else
			not_ok "$name (exit $rc, wanted a refusal)"; sed 's/^/# /' out
		fi
	fi
done
done_testing
