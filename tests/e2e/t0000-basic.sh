#!/bin/sh
# The binary runs: --help, --version, unknown commands and options.
. "$(dirname "$0")/lib.sh"

expect "--help prints usage" sp --help
grep -q '^usage: secport' .out && ok "--help names the program" || not_ok "--help names the program"
expect "--version" sp --version
expect_fail 129 "unknown command exits 129" sp frobnicate
expect_fail 129 "unknown global option exits 129" sp --frob
expect "help for a command" sp help scan
expect_fail 129 "help for an unknown command exits 129" sp help frobnicate
done_testing
