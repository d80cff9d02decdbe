#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# pause.sh - `make bench-pause` (and part of `make bench`): how long a
# paused container's monster keeps walking.
#
# Starts a private Docker engine (never the user's), N running containers
# for each N in PAUSE_SIZES, dockerfs on a temp dir and the game on it
# under a private Xvfb (freedoom2 MAP01, no map monsters). Once every
# container has its monster, PAUSE_SAMPLES times: `docker pause` of one
# container picked at random, timed from the start of the command to the
# game's "paused id=..." line (the tic the monster freezes), then the same
# for `docker unpause` and "unpaused". Prints median and max of both, how
# long `docker pause` itself took, and the CPU dockerfs spent answering the
# game's scans over CPU_S seconds before (percent of one core), per N.
#
# Knobs (environment): PAUSE_SIZES ("8 300"), PAUSE_SAMPLES (10),
# PAUSE_GAME (the game binary, build/game/chocolate-doom), PAUSE_PAR (8
# parallel docker run while growing), PAUSE_TMPFS (1: the engine's data
# root on a tmpfs).
#
# Copyright the dockerdoom authors. GPL-2.0-or-later.
# shellcheck disable=SC2317  # cleanup and helpers run through trap and wait_until
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${B:-build}
DFS_BIN=$REPO/$B/dockerfs
SIZES=${PAUSE_SIZES:-8 300}
SAMPLES=${PAUSE_SAMPLES:-10}
GAME_BIN=${PAUSE_GAME:-$REPO/build/game/chocolate-doom}
PAR=${PAUSE_PAR:-8}
ENGINE_TMPFS=${PAUSE_TMPFS:-1}
LIMIT_S=10
CPU_S=${PAUSE_CPU_S:-10}

# shellcheck source=tests/lib/tap.sh
. "$REPO/tests/lib/tap.sh"
# shellcheck source=tests/lib/engine.sh
. "$REPO/tests/lib/engine.sh"
# shellcheck source=tests/lib/image.sh
. "$REPO/tests/lib/image.sh"
# shellcheck source=tests/bench/lib.sh
. "$REPO/tests/bench/lib.sh"

log() { printf '[bench-pause %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
[ -x "$DFS_BIN" ] || { echo "bench-pause: $DFS_BIN missing (run: make)" >&2; exit 1; }
[ -x "$GAME_BIN" ] || { echo "bench-pause: $GAME_BIN missing (run: make game)" >&2; exit 1; }
command -v Xvfb >/dev/null || { echo "bench-pause: Xvfb missing" >&2; exit 1; }

TMP=$(mktemp -d /tmp/ddpause.XXXXXX)
MNT=$TMP/mnt
DFS_PID=
TESTS_TMP=$TMP
# shellcheck source=tests/lib/game.sh
. "$REPO/tests/lib/game.sh"

cleanup() {
    set +e
    game_teardown
    bench_stop_pid "$DFS_PID"
    bench_unmount "$MNT"
    bench_engine_stop
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A file descriptor that never has data: `read -t` on it sleeps without a
# fork.
exec {NAP_FD}<> <(:)
nap() { read -r -t "$1" -u "$NAP_FD" _ || true; }
now_us() { echo "${EPOCHREALTIME/./}"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
maxof() { sort -n | tail -n 1; }
ms() { awk -v u="$1" 'BEGIN { printf "%.0f", u / 1000 }'; }
running_count() { docker ps -q | wc -l; }
# utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

grow_to() {
    local n=$1 have try
    for try in 1 2 3; do
        have=$(running_count)
        [ "$have" -ge "$n" ] && return 0
        seq $((n - have)) | xargs -P "$PAR" -I{} \
            docker run -d --network none --label ddbench=pause "$TEST_IMAGE" \
            >/dev/null 2>>"$TMP/grow.err" ||
            log "growing: some docker run failed (try $try)"
    done
    [ "$(running_count)" -ge "$n" ]
}

spawned_all() {
    [ "$(sed -n 's/^dockerdoom: spawn id=\([0-9a-f]*\) .*/\1/p' "$GAME_LOG" | sort -u | wc -l)" -ge "$1" ]
}

# Microseconds from the start of CMD... until the game logs EVENT for
# sid (bounded by LIMIT_S); "" when it never does. The command's own time
# goes to $TMP/cmd.us.
until_logged() {
    local event=$1 sid=$2 t0 t1 t
    shift 2
    t0=$(now_us)
    "$@" >/dev/null
    t1=$(now_us)
    echo $((t1 - t0)) >>"$TMP/cmd.us"
    while :; do
        t=$(($(now_us) - t0))
        grep -q "^dockerdoom: $event id=$sid " "$GAME_LOG" && { echo "$t"; return 0; }
        [ "$t" -ge $((LIMIT_S * 1000000)) ] && return 0
        nap 0.005
    done
}

log "private engine in $TMP/eng"
bench_engine_start "$TMP/eng" "$ENGINE_TMPFS" 2g
mkdir -p "$MNT"
"$DFS_BIN" "$MNT" -f >"$TMP/dockerfs.log" 2>&1 &
DFS_PID=$!
for ((i = 0; i < 200; i++)); do
    grep -q " $MNT fuse" /proc/mounts && break
    sleep 0.05
done
grep -q " $MNT fuse" /proc/mounts || { echo "bench-pause: dockerfs did not mount" >&2; exit 1; }
game_xvfb

ROWS=()
FAILED=0
for n in $SIZES; do
    log "growing to $n running containers"
    grow_to "$n" || { echo "bench-pause: fewer than $n containers run" >&2; exit 1; }
    have=$(running_count)
    game_stop
    game_start "$MNT"
    if ! wait_until 180 spawned_all "$have"; then
        log "only some of $have monsters spawned; going on"
    fi
    sleep 2
    # dockerfs's CPU while the game scans and nothing changes.
    c0=$(cpu_ticks "$DFS_PID")
    sleep "$CPU_S"
    cpu=$(awk -v d=$(($(cpu_ticks "$DFS_PID") - c0)) -v hz="$(getconf CLK_TCK)" -v s="$CPU_S" \
        'BEGIN { printf "%.1f", 100 * d / hz / s }')
    : >"$TMP/pause.us"; : >"$TMP/unpause.us"; : >"$TMP/cmd.us"
    mapfile -t ids < <(docker ps -q | shuf -n "$SAMPLES" --random-source=<(yes))
    for sid in "${ids[@]}"; do
        # At a random point of the game's scan cycle: right after the
        # last line the next scan is always a whole interval away.
        nap "0.$(printf '%03d' $((RANDOM % 1000)))"
        t=$(until_logged paused "$sid" docker pause "$sid")
        if [ -n "$t" ]; then echo "$t" >>"$TMP/pause.us"; else log "$sid: no paused line in ${LIMIT_S} s"; FAILED=1; fi
        nap "0.$(printf '%03d' $((RANDOM % 1000)))"
        t=$(until_logged unpaused "$sid" docker unpause "$sid")
        if [ -n "$t" ]; then echo "$t" >>"$TMP/unpause.us"; else log "$sid: no unpaused line in ${LIMIT_S} s"; FAILED=1; fi
    done
    tps=$(sed -n 's/^dockerdoom: stats .* tps=\([0-9.]*\) .*/\1/p' "$GAME_LOG" | tail -n 1)
    ROWS+=("$(printf '%-10s %8s %22s %22s %18s %6s %14s' "$have" "$(grep -c . "$TMP/pause.us")" \
        "$(ms "$(median <"$TMP/pause.us")")/$(ms "$(maxof <"$TMP/pause.us")")" \
        "$(ms "$(median <"$TMP/unpause.us")")/$(ms "$(maxof <"$TMP/unpause.us")")" \
        "$(ms "$(median <"$TMP/cmd.us")")" "${tps:-?}" "$cpu")")
done
game_stop

echo "# pause to a frozen monster: from the start of docker pause to the game's 'paused' line, ms"
echo "# $(nproc) cores; game $(basename "$GAME_BIN") on dockerfs; $SAMPLES samples per size"
printf '%-10s %8s %22s %22s %18s %6s %14s\n' containers samples 'pause_ms(median/max)' 'unpause_ms(median/max)' 'docker_cmd_ms(med)' tps 'dockerfs_cpu_%'
printf '%s\n' "${ROWS[@]}"
exit "$FAILED"
