#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 05-make-deps.sh - a plain `make` on a machine without the libraries'
# development files (simulated: a pkg-config that finds nothing) stops
# before compiling, names the missing pkg-config modules and prints the one
# command that installs them, instead of a compiler error about
# fuse_lowlevel.h.
set -euo pipefail
REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# shellcheck source=tests/lib/tap.sh
. "$REPO/tests/lib/tap.sh"

T=$(mktemp -d /tmp/ddmake.XXXXXX)
trap 'rm -rf "$T"' EXIT

rc=0
make -C "$REPO" --no-print-directory B="$T/build" PKG_CONFIG=false >"$T/out" 2>&1 || rc=$?
out=$(cat "$T/out")
if [ "$rc" -ne 0 ]; then ok "make fails without the development files"; else not_ok "make fails without the development files" "$out"; fi
check "it names the missing modules" grep -q 'missing development files.*fuse3.*libcurl.*jansson' "$T/out"
check "it prints the apt-get command with the -dev packages" \
    grep -q 'sudo apt-get install -y .*libfuse3-dev.*libcurl4-openssl-dev.*libjansson-dev' "$T/out"
if grep -q 'fuse_lowlevel.h\|No such file' "$T/out" || [ -e "$T/build/fusefs" ]; then
    not_ok "nothing was compiled (no compiler error)" "$out"
else
    ok "nothing was compiled (no compiler error)"
fi
tap_done
