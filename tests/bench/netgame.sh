#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# netgame.sh - `make bench-netgame` (and part of `make bench`): the tic
# rate of every game of a netgame with 300 container monsters, and how
# long the shared list takes to reach every game.
#
# For 2 and 4 players (NETGAME_PLAYERS), on a plain directory of
# NETGAME_N (300) entries: a dedicated server and the players' games in a
# network namespace of the benchmark's own (tests/lib/netgame.sh), each on
# its own Xvfb (freedoom2 MAP01, no map monsters). Prints, per game, the
# tics per second of NETGAME_WINDOWS 5 s windows once every game has its
# 300 monsters; the time from the level's start to the last game's 300th
# spawn; what the reader sent for it (bytes, chunks: a chunk a tic).
# Then the frozen mount: 2 players on a real dockerfs mount of a private
# engine with NETGAME_N containers; once all have their monsters, dockerfs
# is stopped (SIGSTOP) for NETGAME_WINDOWS windows: the tics per second of
# both games meanwhile. Asserts nothing; results in
# $(B)/bench-results/netgame-<time>/.
#
# Knobs: NETGAME_PLAYERS ("2 4"), NETGAME_N (300), NETGAME_WINDOWS (3),
# NETGAME_FROZEN (1: the frozen mount case; 0 skips it).
# shellcheck disable=SC2317  # cleanup and helpers run through trap and wait_until
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${B:-build}
PLAYER_COUNTS=${NETGAME_PLAYERS:-2 4}
N=${NETGAME_N:-300}
WINDOWS=${NETGAME_WINDOWS:-3}
FROZEN=${NETGAME_FROZEN:-1}
DFS_BIN=$REPO/$B/dockerfs

# shellcheck source=tests/lib/tap.sh
. "$REPO/tests/lib/tap.sh"
# shellcheck source=tests/lib/engine.sh
. "$REPO/tests/lib/engine.sh"
# shellcheck source=tests/lib/image.sh
. "$REPO/tests/lib/image.sh"
# shellcheck source=tests/bench/lib.sh
. "$REPO/tests/bench/lib.sh"

log() { printf '[bench-netgame %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
GAME_BIN=${NETGAME_GAME:-$REPO/build/game/chocolate-doom}
[ -x "$GAME_BIN" ] || { echo "bench-netgame: $GAME_BIN missing (run: make game)" >&2; exit 1; }
for tool in Xvfb ip nsenter; do
    command -v "$tool" >/dev/null || { echo "bench-netgame: $tool missing" >&2; exit 1; }
done

TMP=$(mktemp -d /tmp/ddnetbench.XXXXXX)
TESTS_TMP=$TMP
OUT=$REPO/$B/bench-results/netgame-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
XVFB_PIDS=()
DFS_PID=
MNT=$TMP/mnt
# shellcheck source=tests/lib/netgame.sh
. "$REPO/tests/lib/netgame.sh"

cleanup() {
    set +e
    ng_down
    local p
    for p in "${XVFB_PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    bench_stop_pid "$DFS_PID"
    bench_unmount "$MNT"
    bench_engine_stop
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# xvfb K: an X display for player K (its number told on a file).
xvfb() {
    local k=$1 i d
    Xvfb -displayfd 5 -screen 0 640x480x24 -nolisten tcp 5>"$TMP/xdisp$k" \
        >"$TMP/xvfb$k.log" 2>&1 &
    XVFB_PIDS+=($!)
    for ((i = 0; i < 100; i++)); do
        d=$(cat "$TMP/xdisp$k" 2>/dev/null || true)
        [ -n "$d" ] && { echo ":$d"; return 0; }
        sleep 0.1
    done
    return 1
}

plain_dir() {
    local dir=$1 n=$2 i d
    rm -rf "$dir"
    mkdir -p "$dir"
    for ((i = 1; i <= n; i++)); do
        d=$dir/$(printf 'b%011x' "$i")
        mkdir "$d"
        printf 'bench-%d\n' "$i" >"$d/name"
        printf 'dockerdoom-test:latest\n' >"$d/image"
        printf 'running\n' >"$d/state"
        : >"$d/kill"
    done
}

spawned() { grep -c '^dockerdoom: spawn ' "${NG_LOG[$1]}" 2>/dev/null || true; }
stats_count() { grep -c '^dockerdoom: stats ' "${NG_LOG[$1]}" 2>/dev/null || true; }
all_spawned() {
    local k
    for ((k = 1; k <= NG_PLAYERS; k++)); do
        [ "$(spawned "$k")" -ge "$1" ] || return 1
    done
}
# windows_after K FROM: stats windows of player K after its FROM-th line.
tps_after() {
    grep '^dockerdoom: stats ' "${NG_LOG[$1]}" | tail -n +"$(($2 + 1))" |
        head -n "$WINDOWS" | sed -E 's/.*tps=([0-9.]+) .*/\1/' | xargs
}

echo "case,players,player,window,tps" >"$OUT/tps.csv"
echo "case,players,spawn_all_ms,sent_bytes,sent_chunks" >"$OUT/list.csv"

# run_case NAME PLAYERS DIR [FREEZE]: a netgame of PLAYERS on DIR; with
# FREEZE, dockerfs is stopped while the windows are measured.
run_case() {
    local name=$1 players=$2 dir=$3 freeze=${4:-0} k t0 t1 i from sent
    local -a base=() disp=()
    NG_PLAYERS=$players
    for ((k = 1; k <= players; k++)); do
        disp[k]=$(xvfb "$k") || { log "Xvfb did not start"; exit 1; }
    done
    ng_up
    t0=$(now_ms)
    ng_player 1 "${disp[1]}" "$dir" player1 -warp 1 -skill 3 -nomonsters
    for ((k = 2; k <= players; k++)); do
        ng_player "$k" "${disp[k]}" "$dir" "player$k"
    done
    if ! wait_until 180 all_spawned "$N"; then
        log "$name: not every game spawned $N (spawned: $(for ((k = 1; k <= players; k++)); do printf '%s ' "$(spawned "$k")"; done))"
    fi
    t1=$(now_ms)
    # From the first game's level start (its log's first level line).
    for ((k = 1; k <= players; k++)); do
        base[k]=$(stats_count "$k")
    done
    if [ "$freeze" = 1 ]; then
        kill -STOP "$DFS_PID"
    fi
    for ((i = 0; i < (WINDOWS + 1) * 60; i++)); do
        from=1
        for ((k = 1; k <= players; k++)); do
            [ "$(stats_count "$k")" -ge $((base[k] + WINDOWS)) ] || from=0
        done
        [ "$from" = 1 ] && break
        sleep 0.1
    done
    [ "$freeze" = 1 ] && kill -CONT "$DFS_PID"
    sent=$(grep '^dockerdoom: net ' "${NG_LOG[1]}" | tail -n1 |
        sed -E 's/.*sent=([0-9]+) chunks=([0-9]+).*/\1 \2/')
    for ((k = 1; k <= players; k++)); do
        log "$name: player$k tps $(tps_after "$k" "${base[k]}")"
        i=0
        for t in $(tps_after "$k" "${base[k]}"); do
            i=$((i + 1))
            echo "$name,$players,$k,$i,$t" >>"$OUT/tps.csv"
        done
        cp "${NG_LOG[k]}" "$OUT/$name.player$k.log"
    done
    log "$name: all $N spawned on every game $((t1 - t0)) ms after the games started; the reader sent ${sent% *} bytes in ${sent#* } chunks"
    echo "$name,$players,$((t1 - t0)),${sent% *},${sent#* }" >>"$OUT/list.csv"
    ng_down
    for k in "${XVFB_PIDS[@]}"; do
        kill -TERM "$k" 2>/dev/null || true
        wait "$k" 2>/dev/null || true
    done
    XVFB_PIDS=()
}

plain_dir "$TMP/plain" "$N"
for p in $PLAYER_COUNTS; do
    run_case "plain-$N" "$p" "$TMP/plain"
done

if [ "$FROZEN" = 1 ]; then
    [ -x "$DFS_BIN" ] || { echo "bench-netgame: $DFS_BIN missing (run: make)" >&2; exit 1; }
    DDB=$REPO/$B/bench/ddbench
    [ -x "$DDB" ] || { echo "bench-netgame: $DDB missing (run: make bench-build)" >&2; exit 1; }
    TEST_IMAGE=${TEST_IMAGE:-dockerdoom-test:latest}
    CREATE_PAR=8
    bench_engine_start "$TMP/engine" 1 2g
    "$DDB" create "$SOCK" "$TEST_IMAGE" "$N" "$CREATE_PAR" netgame >"$TMP/ids"
    mkdir -p "$MNT"
    "$DFS_BIN" "$MNT" -f --all >"$TMP/dockerfs.log" 2>&1 &
    DFS_PID=$!
    "$DDB" waitcount "$MNT" "$N" 60
    run_case "frozen-$N" 2 "$MNT" 1
fi

log "results in $OUT"
