#!/bin/sh
# Docs cannot drift: every command has a man page, and the options its
# usage line shows are the options of the man page's SYNOPSIS (after git's
# t0450).  The pages pass mandoc -Tlint.
. "$(dirname "$0")/lib.sh"

opts() { grep -oE '(^|[^a-zA-Z])--?[a-zA-Z][-a-zA-Z]*' | sed 's/^[^-]*//' | sort -u; }
cmds=$(sp --help | awk '/^Commands:/{f=1; next} f && !NF {exit} f {print $1}')
for c in $cmds; do
	[ "$c" = help ] && continue
	page=$SRCDIR/doc/secport-$c.1
	[ -f "$page" ] || page=$(grep -l "^\.Nm secport $c\$" "$SRCDIR"/doc/*.1 | head -1)
	if [ -z "$page" ] || [ ! -f "$page" ]; then
		not_ok "$c has a man page"
		continue
	fi
	ok "$c has a man page"
	sp help "$c" | sed -n 's/^usage: //p' | opts >usage.opts
	mandoc -Tascii -O width=300 "$page" | col -b | sed -n '/^SYNOPSIS/,/^[A-Z]/p' |
		grep "^ *secport $c\( \|$\)" | opts >man.opts
	if cmp -s usage.opts man.opts; then ok "$c: usage and SYNOPSIS agree"
	else not_ok "$c: usage and SYNOPSIS agree"; diff usage.opts man.opts | sed 's/^/# /'; fi
done
for m in "$SRCDIR"/doc/*.[15]; do
	mandoc -Tlint -W warning "$m" >lint.out 2>&1 && ok "lint $(basename "$m")" ||
		{ not_ok "lint $(basename "$m")"; sed 's/^/# /' lint.out; }
done
done_testing
