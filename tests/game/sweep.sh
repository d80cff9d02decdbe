#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The map sweep: every map of freedoom1 (36) and freedoom2 (32) with a plain
# directory of 12 entries, headless (SDL's dummy video driver; -ddsweep runs
# tics as fast as the machine allows and draws nothing), all maps of an IWAD
# in one game process. On every map:
#   - all 12 entries get a monster
#   - every spawn's walking distance from the player is between 192 and
#     MAX_DIST (the first wave spreads out to 1536 units)
#   - where the first wave had spots in view (the wave line's visible=),
#     at least one spawn is in view (view=1)
#   - no walk to a spawn crosses a locked door or enters a sector a key
#     opens: sweep_check reads the locked doors from the WAD itself
# Prints a per-map table (spawned/12, nearest and farthest walk).
# Usage: tests/game/sweep.sh [chocolate-doom] [sweep_check]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
GAME=${1:-$REPO/build/game/chocolate-doom}
CHECK=${2:-$REPO/build/tests/game/sweep_check}
IWADS=${IWADS:-/usr/share/games/doom}
N=12
MIN_DIST=192
MAX_DIST=3072
# shellcheck source=tests/lib/tap.sh
. "$REPO/tests/lib/tap.sh"

TMP=$(mktemp -d "${TESTS_TMP:-/tmp}/dd-sweep.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

for f in "$GAME" "$CHECK"; do
    if [ ! -x "$f" ]; then
        not_ok "$f exists (make game, make game-check)"
        tap_done
    fi
done

DIR=$TMP/entries
mkdir -p "$DIR" "$TMP/home"
for i in $(seq 1 "$N"); do
    id=$(printf "%06x%06x" "$i" "$i")
    mkdir "$DIR/$id"
    printf '%s%052d\n' "$id" 0 >"$DIR/$id/id"
    echo "svc-$i" >"$DIR/$id/name"
    echo "image-$((i % 5)):latest" >"$DIR/$id/image"
    echo running >"$DIR/$id/state"
    : >"$DIR/$id/kill"
done

# sweep IWAD MAPS WARP...
sweep() {
    local iwad=$1 maps=$2 name=${1%.wad} log rc start ms table
    shift 2
    log=$TMP/$name.log
    start=$(date +%s%N)
    rc=0
    HOME=$TMP/home SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy \
        timeout 300 "$GAME" -iwad "$IWADS/$iwad" -dockerfs "$DIR" \
        -nosound -nomusic -skill 3 -nomonsters -ddsweep -warp "$@" \
        >"$log" 2>"$log.err" </dev/null || rc=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    check_eq "$name: the sweep ends on its own" 0 "$rc"
    check_eq "$name: all $maps maps are swept" "$maps" \
        "$(grep -c '^dockerdoom: sweep map=' "$log" || true)"
    # map spawned of min max visible inview: the spawn and wave lines
    # before each sweep line.
    table=$(awk -v n="$N" '
        /^dockerdoom: wave / {
            for (i = 1; i <= NF; i++) if ($i ~ /^visible=/) vis = substr($i, 9) + 0
        }
        /^dockerdoom: spawn / {
            for (i = 1; i <= NF; i++) {
                if ($i == "view=1") seen++
                if ($i ~ /^dist=/) {
                    d = substr($i, 6) + 0
                    if (cnt == 0 || d < lo) lo = d
                    if (cnt == 0 || d > hi) hi = d
                    cnt++
                }
            }
        }
        /^dockerdoom: sweep map=/ {
            split($3, m, "="); split($4, s, "="); split($5, o, "=")
            printf "%s %d %d %d %d %d %d\n", m[2], s[2], o[2], lo, hi, vis, seen
            cnt = 0; lo = 0; hi = 0; vis = 0; seen = 0
        }' "$log")
    note "$name: $(printf '%s\n' "$table" | wc -l) maps in $ms ms"
    note "$(printf '%s\n' "$table" | awk '{printf "%-5s %2d/%d  dist %4d..%4d  in view %2d (%d visible spots)\n", $1, $2, $3, $4, $5, $7, $6}')"
    check_eq "$name: every map spawns all $N" "" \
        "$(printf '%s\n' "$table" | awk -v n="$N" '$2 != n || $3 != n {print $1 ": " $2 " of " $3}')"
    check_eq "$name: every walk to a spawn is $MIN_DIST..$MAX_DIST units" "" \
        "$(printf '%s\n' "$table" | awk -v lo="$MIN_DIST" -v hi="$MAX_DIST" \
            '$4 < lo || $5 > hi {print $1 ": " $4 ".." $5}')"
    check_eq "$name: where the wave had spots in view, one spawns in view" "" \
        "$(printf '%s\n' "$table" | awk '$6 > 0 && $7 == 0 {print $1 ": " $6 " visible spots, none used"}')"
    check_eq "$name: every map logs its wave plan" \
        "$(grep -c '^dockerdoom: sweep map=' "$log" || true)" \
        "$(grep -c '^dockerdoom: wave ' "$log" || true)"
    check_eq "$name: every spawn logs its walk" \
        "$(grep -c '^dockerdoom: spawn ' "$log" || true)" \
        "$(grep -c '^dockerdoom: path ' "$log" || true)"
    check "$name: no walk to a spawn needs a key" "$CHECK" "$IWADS/$iwad" <"$log"
}

sweep freedoom1.wad 36 1 1
sweep freedoom2.wad 32 1
tap_done
