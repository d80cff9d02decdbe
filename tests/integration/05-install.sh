#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make install / uninstall: dockerfs, its man page and its
# systemd unit land under DESTDIR/PREFIX, and go again.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/tap.sh"

REPO=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
TMP=$(mktemp -d /tmp/ddinst.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
D=$TMP/root
P=/opt/dockerdoom

check "make install DESTDIR=… PREFIX=$P" \
    make -s -C "$REPO" install DESTDIR="$D" PREFIX="$P"
check "the binary is installed and runs" "$D$P/bin/dockerfs" --version
check_eq "the binary is executable by all" 755 "$(stat -c %a "$D$P/bin/dockerfs")"
check "the man page is installed" test -s "$D$P/share/man/man1/dockerfs.1"
if command -v groff >/dev/null; then
    check "the man page renders without warnings" \
        bash -c "groff -man -ww -Tutf8 '$D$P/share/man/man1/dockerfs.1' 2>&1 >/dev/null | { ! grep -q .; }"
fi
unit=$D$P/lib/systemd/system/dockerfs.service
check "the systemd unit is installed" test -s "$unit"
check "the unit starts the installed binary" grep -q "^ExecStart=$P/bin/dockerfs " "$unit"
check "the unit has no placeholder left" bash -c "! grep -q @PREFIX@ '$unit'"
# Every long option the parser knows (opts.c's table), a whole word of
# the man page (--kube is not --kubeconfig; the page writes \-\-name).
long_opts=$(sed -n 's/^ *{ "\([a-z-]*\)", .*/--\1/p' "$REPO/fusefs/opts.c")
check "opts.c's table has the options (over 20)" test "$(wc -w <<<"$long_opts")" -gt 20
man_text=$(sed 's/\\-/-/g' "$D$P/share/man/man1/dockerfs.1")
for opt in $long_opts; do
    check "the man page documents $opt" grep -qE -- "$opt([^a-z-]|$)" <<<"$man_text"
done
check "make uninstall" make -s -C "$REPO" uninstall DESTDIR="$D" PREFIX="$P"
check_eq "nothing left but empty folders" "" "$(find "$D" -type f)"
tap_done
