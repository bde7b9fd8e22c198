#!/bin/sh
# Install secport's Debian build and test dependencies when missing.
# As root: apt-get install them.  Otherwise: name them on one line and fail.
# Usage: scripts/deps.sh [extra-package...]
set -e
pkgs="pkg-config libgit2-dev libsqlite3-dev libjansson-dev libdeflate-dev perl mandoc patch python3 python3-jsonschema chromium $*"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "secport: missing Debian packages, install them with: sudo apt-get install$missing" >&2
	exit 1
fi
echo "secport: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || true
apt-get install -y -qq --no-install-recommends $missing >/dev/null
