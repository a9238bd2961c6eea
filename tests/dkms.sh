#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds the tree through DKMS against Debian's stock 6.1 headers
# (linux-headers-amd64), the way a user's `dkms install` would, then removes
# it again. Proves that the modules build for a stock Debian host kernel.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' "$root/dkms.conf")
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$root/dkms.conf")
kver=$(basename "$(ls -d /usr/src/linux-headers-*-amd64 | sort -V | tail -1)")
kver=${kver#linux-headers-}
src=/usr/src/$name-$ver

dkms remove "$name/$ver" --all >/dev/null 2>&1 || true
rm -rf "$src"
mkdir -p "$src"
(cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$src")
dkms add "$name/$ver"
trap 'dkms remove "$name/$ver" --all >/dev/null 2>&1 || true; rm -rf "$src"' EXIT
if ! dkms build "$name/$ver" -k "$kver"; then
	cat "/var/lib/dkms/$name/$ver/build/make.log" 2>/dev/null | tail -40
	exit 1
fi
# Every module dkms.conf names must have been built.
for m in $(sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\(.*\)"/\1/p' "$root/dkms.conf"); do
	find "/var/lib/dkms/$name/$ver/$kver" -name "$m.ko*" | grep -q . ||
		{ echo "dkms: $m.ko not built for $kver" >&2; exit 1; }
done
echo "dkms: built $name/$ver for $kver"
