#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Measurement (not part of game-check): the game keeps its tic rate while
# its -dockerfs directory is a dockerfs mount whose daemon is frozen with
# SIGSTOP, even when the player kills containers meanwhile. Uses a private
# Docker engine (tests/lib), real containers and build/dockerfs.
#   tests/game/frozen-mount.sh [path/to/chocolate-doom]
# Prints TAP lines; the tps of each 5 s interval is shown as # lines.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
GAME_BIN=${1:-$REPO/build/game/chocolate-doom}
DOCKERFS_BIN=${DOCKERFS_BIN:-$REPO/build/dockerfs}
N=${N:-8}
FROZEN_S=${FROZEN_S:-20}
# shellcheck source=tests/lib/dockerfs.sh
. "$REPO/tests/lib/dockerfs.sh"
# shellcheck source=tests/lib/game.sh
. "$REPO/tests/lib/game.sh"

dfs_setup
frozen_cleanup() {
    # A stopped dockerfs cannot act on SIGTERM: wake it first.
    for p in "${DFS_PIDS[@]}"; do
        kill -CONT "$p" 2>/dev/null || true
    done
    game_teardown
    dfs_cleanup
}
trap frozen_cleanup EXIT
game_xvfb

for i in $(seq 1 "$N"); do
    run_c --name "frozen-$i" >/dev/null
done
MNT=$TESTS_TMP/mnt
dfs_mount "$MNT" || { not_ok "dockerfs mounts"; tap_done; }
check "dockerfs lists $N containers" test "$(ls "$MNT" | wc -l)" -eq "$N"

game_start "$MNT"
LOG=$GAME_LOG

spawned() { [ "$(grep -c '^dockerdoom: spawn ' "$LOG")" -ge "$N" ]; }
stats_at_least() { [ "$(grep -c '^dockerdoom: stats ' "$LOG")" -ge "$1" ]; }
if wait_until 30 spawned; then
    ok "all $N containers spawn from the dockerfs mount"
else
    not_ok "all $N containers spawn from the dockerfs mount" "$(grep dockerdoom "$LOG")"
fi
wait_until 20 stats_at_least 3 || true
before=$(grep -c '^dockerdoom: stats ' "$LOG" || true)
# No stats line at all must still reach the checks below (and tap_done).
baseline=$( (grep '^dockerdoom: stats ' "$LOG" || true) | tail -n 1 | sed 's/.*tps=\([0-9.]*\).*/\1/')
note "mounted, daemon running: tps=${baseline:-none}"

kill -STOP "$DFS_PID"
note "dockerfs (pid $DFS_PID) stopped with SIGSTOP"
win=$(xdotool search --sync --limit 1 --class chocolate-doom)
xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
xdotool type --delay 60 iddqd
sleep 0.3
xdotool type --delay 60 idrm
wait_until 5 grep -q '^dockerdoom: kill-request ' "$LOG" || true
nreq=$(grep -c '^dockerdoom: kill-request ' "$LOG" || true)
note "kill requests sent into the frozen mount: $nreq"
sleep "$FROZEN_S"
frozen=$( (grep '^dockerdoom: stats ' "$LOG" || true) | tail -n +"$((before + 2))")
note "$frozen"
mean=$(printf '%s\n' "$frozen" | sed -n 's/.*tps=\([0-9.]*\).*/\1/p' |
    awk '{ s += $1; n++ } END { if (n) printf "%.1f", s / n }')
check_eq "no kill result while the mount is frozen" "0" \
    "$(grep -c '^dockerdoom: kill-result ' "$LOG" || true)"
# A game loop waiting on the mount would drop to 0 tps; a busy shared
# machine costs a few percent either way, so 90% of the baseline is the bar.
if [ -n "$mean" ] && [ -n "$baseline" ] && awk -v m="$mean" -v b="$baseline" 'BEGIN { exit !(m >= 0.9 * b) }'; then
    ok "tic rate kept with the daemon frozen (mean ${mean} tps vs ${baseline} before)"
else
    not_ok "tic rate kept with the daemon frozen" "mean ${mean:-none} vs ${baseline:-none}"
fi

kill -CONT "$DFS_PID"
note "dockerfs continued"
results() { [ "$(grep -c '^dockerdoom: kill-result ' "$LOG")" -ge "$nreq" ]; }
if [ "$nreq" -ge 1 ] && wait_until 30 results; then
    ok "the $nreq kills complete once the daemon runs again"
else
    not_ok "the kills complete once the daemon runs again" "$(grep dockerdoom "$LOG")"
fi
despawned() { [ "$(grep -c '^dockerdoom: despawn ' "$LOG")" -ge "$nreq" ]; }
check "killed containers are gone from the engine" \
    test "$(docker ps -q | wc -l)" -eq "$((N - nreq))"
if wait_until 10 despawned; then
    ok "their entries leave the mount and the game logs the despawn"
else
    not_ok "their entries leave the mount and the game logs the despawn"
fi
grep '^dockerdoom: kill-result ' "$LOG" | head -n 3 | while read -r l; do note "$l"; done
tap_done
