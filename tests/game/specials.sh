#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Map specials ignore container monsters: freedoom1 E1M8, whose floor
# (tag 666) lowers when every Baron is dead, headless (-ddkillmap: SDL's
# dummy video driver, tics as fast as the machine allows). Six entries of
# six images, so one of them is a Baron; every kill file is a directory,
# so each kill fails (EISDIR) as a protected container's is refused.
#   1. with the map's monsters: the container monsters are shot, their
#      kills fail and they rise; then the map's own monsters die, and the
#      floor moves while the container Baron is alive
#   2. with no map monsters (-nomonsters): the container Baron is the only
#      Baron and dies, and the floor does not move
# Usage: tests/game/specials.sh [chocolate-doom]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
GAME=${1:-$REPO/build/game/chocolate-doom}
IWADS=${IWADS:-/usr/share/games/doom}
# shellcheck source=tests/lib/tap.sh
. "$REPO/tests/lib/tap.sh"

TMP=$(mktemp -d "${TESTS_TMP:-/tmp}/dd-specials.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

if [ ! -x "$GAME" ] || [ ! -f "$IWADS/freedoom1.wad" ]; then
    not_ok "specials: needs $GAME (make game) and freedoom1.wad"
    tap_done
fi

DIR=$TMP/entries
mkdir -p "$DIR" "$TMP/home"
for i in 0 1 2 3 4 5; do
    id=$(printf "%06x%06x" 8 "$i")
    mkdir -p "$DIR/$id/kill"
    echo "boss-$i" >"$DIR/$id/name"
    echo "image-$i:latest" >"$DIR/$id/image"
    echo running >"$DIR/$id/state"
done

# killmap LOG ARGS...: the test mode on E1M8; 0 when it ended by itself.
killmap() {
    local log=$1
    shift
    HOME=$TMP/home SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy \
        timeout 120 "$GAME" -iwad "$IWADS/freedoom1.wad" -dockerfs "$DIR" \
        -nosound -nomusic -skill 3 -ddkillmap -warp 1 8 "$@" \
        >"$log" 2>"$log.err" </dev/null
}

# --- 1. the map's Barons die while a container Baron lives ----------------
LOG=$TMP/map.log
rc=0
killmap "$LOG" || rc=$?
check_eq "E1M8: the test mode ends by itself" 0 "$rc"
baron=$(sed -n 's/^dockerdoom: spawn id=\([0-9a-f]*\) .* type=baron .*/\1/p' "$LOG" | head -n1)
if [ -n "$baron" ]; then
    ok "one of the six container monsters is a Baron ($baron)"
else
    not_ok "one of the six container monsters is a Baron" "$(grep '^dockerdoom: spawn' "$LOG")"
fi
check "the container Baron was shot and its kill failed (EISDIR)" grep -q \
    "^dockerdoom: kill-result id=$baron .* result=EISDIR$" "$LOG"
check_eq "and it rose again (spawned twice)" 2 \
    "$(grep -c "^dockerdoom: spawn id=$baron " "$LOG" || true)"
hit=$(sed -n 's/^dockerdoom: killmap map-monsters-hit=\([0-9]*\) .*/\1/p' "$LOG")
check "the map's own monsters were shot (${hit:-none})" test "${hit:-0}" -gt 0
check "the container Baron was alive when they were" grep -q \
    '^dockerdoom: killmap map-monsters-hit=[0-9]* container-bosses-alive=1$' "$LOG"
if grep -q '^dockerdoom: special tag=666 .* container-bosses-alive=1$' "$LOG"; then
    ok "the floor (tag 666) lowers with the container Baron alive"
else
    not_ok "the floor (tag 666) lowers with the container Baron alive" \
        "$(grep '^dockerdoom: \(killmap\|special\)' "$LOG")"
fi
check "the test mode says so" grep -q '^dockerdoom: killmap done special=1$' "$LOG"

# --- 2. the container Baron is the only Baron, and dies --------------------
LOG=$TMP/alone.log
rc=0
killmap "$LOG" -nomonsters || rc=$?
check_eq "E1M8 -nomonsters: the test mode ends by itself" 0 "$rc"
baron=$(sed -n 's/^dockerdoom: spawn id=\([0-9a-f]*\) .* type=baron .*/\1/p' "$LOG" | head -n1)
check "the only Baron, a container's, was shot" grep -q \
    "^dockerdoom: kill-request id=${baron:-none} " "$LOG"
check_eq "its death moves nothing (no special)" "" \
    "$(grep '^dockerdoom: special ' "$LOG" || true)"
check "the test mode says so" grep -q '^dockerdoom: killmap done special=0$' "$LOG"

tap_done
