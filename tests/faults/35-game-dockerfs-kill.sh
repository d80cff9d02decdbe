#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The game runs on a dockerfs mount and dockerfs dies (SIGKILL): the game
# keeps running at its full tic rate, its container monsters stay; a new
# dockerfs on the same mount point: the game sees the new mount (a new
# container spawns, a removed one despawns) and carries on. Then SIGTERM
# of dockerfs under the running game: a clean unmount.
# Runs the game (build/game/chocolate-doom) under its own Xvfb.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/game.sh"
N=5
game_require "game survives a dockerfs crash" Xvfb
dfs_setup
crash_cleanup() {
    game_teardown
    dfs_cleanup
}
trap crash_cleanup EXIT
game_xvfb

IDS=()
for i in $(seq 1 "$N"); do
    IDS+=("$(run_c --name "crashgame-$i")")
done
M=$TESTS_TMP/mnt
dfs_mount "$M" || { not_ok "dockerfs mounts"; tap_done; }
check_eq "dockerfs lists $N containers" "$N" "$(listing "$M" | wc -l)"

game_start "$M"
LOG=$GAME_LOG

count() { grep -c "^dockerdoom: $1 " "$LOG"; }
spawned() { [ "$(count spawn)" -ge "$N" ]; }
stats_n() { [ "$(count stats)" -ge "$1" ]; }
# tps and monsters of the stats lines after the first SKIP of them.
stats_after() { grep '^dockerdoom: stats ' "$LOG" | tail -n +"$(($1 + 1))"; }
tps_of() { sed -n 's/.*tps=\([0-9.]*\).*/\1/p'; }
monsters_of() { sed -n 's/.*monsters=\([0-9]*\).*/\1/p'; }

if wait_until 30 spawned; then
    ok "all $N containers spawn from the dockerfs mount"
else
    not_ok "all $N containers spawn from the dockerfs mount" "$(grep dockerdoom "$LOG" | tail -n 5)"
    tap_done
fi
wait_until 15 stats_n 2 || true
s0=$(count stats)
baseline=$(grep '^dockerdoom: stats ' "$LOG" | tail -n 1 | tps_of)
note "dockerfs running: tps=$baseline"
despawn0=$(count despawn)

# --- SIGKILL of dockerfs under the running game
dfs_stop KILL 2>/dev/null
check "dockerfs is gone, its mount is stale" dfs_mounted "$M"
# Two full stats intervals (5 s each) with the mount dead.
wait_until 20 stats_n $((s0 + 3)) || true
after=$(stats_after "$((s0 + 1))" | head -n 2)
note "$after"
check "the game still runs" kill -0 "$GAME_PID"
# A game blocked on the dead mount would lose seconds of tics; a busy
# machine costs a tic or five per 5 s interval (2 tps of slack).
worst=$(printf '%s\n' "$after" | tps_of | sort -n | head -n 1)
if [ -n "$worst" ] && awk -v w="$worst" -v b="$baseline" 'BEGIN { exit !(w >= b - 2.0) }'; then
    ok "full tic rate with dockerfs dead (worst $worst tps vs $baseline)"
else
    not_ok "full tic rate with dockerfs dead" "worst ${worst:-none} tps vs $baseline"
fi
check_eq "the monsters stay ($N)" "$N" "$(printf '%s\n' "$after" | monsters_of | sort -n | head -n 1)"
check_eq "no despawn while dockerfs is dead" "$despawn0" "$(count despawn)"

# --- dockerfs again: the game follows the new mount
NEW=$(run_c --name crashgame-new)
docker rm -f "${IDS[0]}" >/dev/null
require "dockerfs mounts again under the running game" dfs_mount "$M" 2>/dev/null
check_eq "exactly one FUSE mount on the mount point" 1 \
    "$(awk -v m="$M" '$5 == m' /proc/self/mountinfo | wc -l)"
spawned_new() { grep -q "^dockerdoom: spawn id=${NEW:0:12} " "$LOG"; }
despawned_old() { grep -q "^dockerdoom: despawn id=${IDS[0]:0:12} " "$LOG"; }
check "the game sees the new mount: the container started meanwhile spawns" \
    wait_until 10 spawned_new
check "and the container removed meanwhile despawns" wait_until 10 despawned_old
LATE=$(run_c --name crashgame-late)
check "a container started now spawns within 5 s" \
    wait_until 5 grep -q "^dockerdoom: spawn id=${LATE:0:12} " "$LOG"
docker rm -f "${IDS[1]}" >/dev/null
check "a container removed now despawns within 5 s" \
    wait_until 5 grep -q "^dockerdoom: despawn id=${IDS[1]:0:12} " "$LOG"
s1=$(count stats)
wait_until 12 stats_n $((s1 + 2)) || true
last=$(stats_after "$((s1 + 1))" | tail -n 1)
note "$last"
if [ -n "$last" ] && awk -v w="$(echo "$last" | tps_of)" -v b="$baseline" 'BEGIN { exit !(w >= b - 2.0) }'; then
    ok "full tic rate on the new mount"
else
    not_ok "full tic rate on the new mount" "${last:-no stats line}; baseline $baseline"
fi
check_eq "monsters match the containers ($N)" "$N" "$(echo "$last" | monsters_of)"

# --- SIGTERM under the running game
dfs_stop TERM
check_eq "SIGTERM under the running game: exit 0" 0 "$DFS_RC"
check "and the mount point is unmounted" dfs_unmounted "$M"
check "the game still runs" kill -0 "$GAME_PID"
check_san
tap_done
