#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# changes.sh - `make bench-changes` (also `make bench-pause`, and a step of
# `make bench`): how long each kind of change to a container takes to
# reach the game, from the start of the docker command to the game's log
# line for it.
#
# Starts a private Docker engine (never the user's), N running containers
# for each N in CHANGES_SIZES, dockerfs on a temp dir (with --protect
# name=ddprot-*) and the game on it under a private Xvfb (freedoom2 MAP01,
# no map monsters). Once every container has its monster, CHANGES_SAMPLES
# rounds of, each at a random point of the game's scan cycle:
#
#   kind      command                                   the game's line
#   run       docker run -d IMAGE (a new container)     spawn id=NEW
#   rm        docker rm -f NEW                          despawn id=NEW
#   stop      docker stop C (C: a running one)          despawn id=C
#   start     docker start C                            spawn id=C
#   pause     docker pause C                            paused id=C
#   unpause   docker unpause C                          unpaused id=C
#   rename    docker rename C ddren-N-K                 rename id=C
#   protect   docker rename C ddprot-N-K                protected id=C
#   unprotect docker rename C ddren2-N-K                unprotected id=C
#   image     docker tag OTHER ddimg-N (moves the tag   image id=I
#             I was created from: its list row then
#             shows the image id), later docker tag
#             IMAGE ddimg-N (back): two samples a round
#
# C is taken in turn from N-1 running containers, I is the N-th.
# Prints, per N and kind, the median and max in ms, how long the docker
# command itself took (median) and the median and max of the rest (from
# the command's return to the line: dockerfs and the game); then per N the game's tic rate and the CPU
# dockerfs spent answering the game's scans over CPU_S seconds while
# nothing changed (percent of one core). A change whose line never comes
# within LIMIT_S is counted as missed and makes the exit status 1; a slow
# one never does (figures, not a test).
#
# Knobs (environment): CHANGES_SIZES ("8 300"), CHANGES_SAMPLES (10),
# CHANGES_KINDS (all of the above), CHANGES_LIMIT_S (10), CHANGES_GAME (the
# game binary, build/game/chocolate-doom), CHANGES_PAR (8 parallel docker
# run while growing), CHANGES_TMPFS (1: the engine's data root on a tmpfs).
# The PAUSE_* names of the same knobs still work.
#
# Copyright the dockerdoom authors. GPL-2.0-or-later.
# shellcheck disable=SC2317  # cleanup and helpers run through trap and wait_until
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${B:-build}
DFS_BIN=$REPO/$B/dockerfs
SIZES=${CHANGES_SIZES:-${PAUSE_SIZES:-8 300}}
SAMPLES=${CHANGES_SAMPLES:-${PAUSE_SAMPLES:-10}}
ALL_KINDS="run rm stop start pause unpause rename protect unprotect image"
KINDS=${CHANGES_KINDS:-$ALL_KINDS}
GAME_BIN=${CHANGES_GAME:-${PAUSE_GAME:-$REPO/build/game/chocolate-doom}}
PAR=${CHANGES_PAR:-${PAUSE_PAR:-8}}
ENGINE_TMPFS=${CHANGES_TMPFS:-${PAUSE_TMPFS:-1}}
LIMIT_S=${CHANGES_LIMIT_S:-10}
CPU_S=${CHANGES_CPU_S:-${PAUSE_CPU_S:-10}}
OTHER_IMAGE=ddbench-other:latest

# shellcheck source=tests/lib/tap.sh
. "$REPO/tests/lib/tap.sh"
# shellcheck source=tests/lib/engine.sh
. "$REPO/tests/lib/engine.sh"
# shellcheck source=tests/lib/image.sh
. "$REPO/tests/lib/image.sh"
# shellcheck source=tests/bench/lib.sh
. "$REPO/tests/bench/lib.sh"

log() { printf '[bench-changes %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
[ -x "$DFS_BIN" ] || { echo "bench-changes: $DFS_BIN missing (run: make)" >&2; exit 1; }
[ -x "$GAME_BIN" ] || { echo "bench-changes: $GAME_BIN missing (run: make game)" >&2; exit 1; }
command -v Xvfb >/dev/null || { echo "bench-changes: Xvfb missing" >&2; exit 1; }
for k in $KINDS; do
    case " $ALL_KINDS " in
    *" $k "*) ;;
    *) echo "bench-changes: unknown kind '$k' (kinds: $ALL_KINDS)" >&2; exit 2 ;;
    esac
done

TMP=$(mktemp -d /tmp/ddchanges.XXXXXX)
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

# Up to a second, so each change lands at a random point of the game's
# scan cycle (right after a line the next scan is always a whole interval
# away).
nap_random() { nap "0.$(printf '%03d' $((RANDOM % 1000)))"; }
ms() { [ -n "$1" ] && awk -v u="$1" 'BEGIN { printf "%.0f", u / 1000 }' || echo -; }
running_count() { docker ps -q | wc -l; }
# utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
wanted() { case " $KINDS " in *" $1 "*) return 0 ;; esac; return 1; }

grow_to() {
    local n=$1 have try
    for try in 1 2 3; do
        have=$(running_count)
        [ "$have" -ge "$n" ] && return 0
        seq $((n - have)) | xargs -P "$PAR" -I{} \
            docker run -d --network none --label ddbench=changes "$TEST_IMAGE" \
            >/dev/null 2>>"$TMP/grow.err" ||
            log "growing: some docker run failed (try $try)"
    done
    [ "$(running_count)" -ge "$n" ]
}

spawned_all() {
    [ "$(sed -n 's/^dockerdoom: spawn id=\([0-9a-f]*\) .*/\1/p' "$GAME_LOG" | sort -u | wc -l)" -ge "$1" ]
}

# Runs CMD... and waits (up to LIMIT_S) for the game's line "EVENT id=ID"
# about the container ID (12 hex), or about the one CMD printed when ID is
# "-"; lines already in the log do not count. The time from the start of
# the command to the line goes to $TMP/KIND.us (a miss to
# $TMP/KIND.missed), the command's own time to $TMP/KIND.cmd.us; the id
# to $TMP/last.id. Returns 1 when the command failed.
timed() {
    local kind=$1 event=$2 sid=$3 t0 t1 t out skip
    shift 3
    skip=$(wc -l <"$GAME_LOG")
    t0=$(now_us)
    out=$("$@" 2>>"$TMP/cmd.err") || { log "$kind: '$*' failed"; return 1; }
    t1=$(now_us)
    echo $((t1 - t0)) >>"$TMP/$kind.cmd.us"
    [ "$sid" = - ] && sid=${out:0:12}
    echo "$sid" >"$TMP/last.id"
    while :; do
        t=$(($(now_us) - t0))
        if tail -n "+$((skip + 1))" "$GAME_LOG" | grep -q "^dockerdoom: $event id=$sid "; then
            echo "$t" >>"$TMP/$kind.us"
            echo $((t - (t1 - t0))) >>"$TMP/$kind.after.us"
            return 0
        fi
        if [ "$t" -ge $((LIMIT_S * 1000000)) ]; then
            log "$kind $sid: no '$event' line in $LIMIT_S s"
            echo "$sid" >>"$TMP/$kind.missed"
            MISSED=1
            return 0
        fi
        nap 0.005
    done
}

# One round of every wanted kind on the running container C (12 hex) and
# the container I of the image ddimg-N; K names the round.
round() {
    local n=$1 k=$2 c=$3 i=$4 new
    if wanted run || wanted rm; then
        nap_random
        timed run spawn - docker run -d --network none --label ddbench=changes "$TEST_IMAGE" || return 0
        new=$(cat "$TMP/last.id")
        nap_random
        if wanted rm; then
            timed rm despawn "$new" docker rm -f "$new"
        else
            docker rm -f "$new" >/dev/null
        fi
    fi
    if wanted stop || wanted start; then
        nap_random
        timed stop despawn "$c" docker stop "$c"
        nap_random
        timed start spawn "$c" docker start "$c"
    fi
    if wanted pause || wanted unpause; then
        nap_random
        timed pause paused "$c" docker pause "$c"
        nap_random
        timed unpause unpaused "$c" docker unpause "$c"
    fi
    if wanted rename; then
        nap_random
        timed rename rename "$c" docker rename "$c" "ddren-$n-$k"
    fi
    if wanted protect || wanted unprotect; then
        nap_random
        timed protect protected "$c" docker rename "$c" "ddprot-$n-$k"
        nap_random
        timed unprotect unprotected "$c" docker rename "$c" "ddren2-$n-$k"
    fi
    if wanted image; then
        nap_random
        timed image image "$i" docker tag "$OTHER_IMAGE" "ddimg-$n"
        nap_random
        timed image image "$i" docker tag "$TEST_IMAGE" "ddimg-$n"
    fi
}

log "private engine in $TMP/eng"
bench_engine_start "$TMP/eng" "$ENGINE_TMPFS" 2g
# Another image for the image kind: the test image with one more label.
docker create --name ddbench-base "$TEST_IMAGE" >/dev/null
docker commit --change 'LABEL ddbench=other' ddbench-base "$OTHER_IMAGE" >/dev/null
docker rm ddbench-base >/dev/null
mkdir -p "$MNT"
"$DFS_BIN" "$MNT" -f --protect 'name=ddprot-*' >"$TMP/dockerfs.log" 2>&1 &
DFS_PID=$!
for ((i = 0; i < 200; i++)); do
    grep -q " $MNT fuse" /proc/mounts && break
    sleep 0.05
done
grep -q " $MNT fuse" /proc/mounts || { echo "bench-changes: dockerfs did not mount" >&2; exit 1; }
game_xvfb

ROWS=()
MISSED=0
for n in $SIZES; do
    log "growing to $n running containers"
    # The image kind's container, from a tag of its own.
    docker tag "$TEST_IMAGE" "ddimg-$n"
    imaged=$(docker run -d --network none --label ddbench=image "ddimg-$n")
    imaged=${imaged:0:12}
    grow_to "$n" || { echo "bench-changes: fewer than $n containers run" >&2; exit 1; }
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
    for kind in $ALL_KINDS; do
        : >"$TMP/$kind.us"; : >"$TMP/$kind.cmd.us"; : >"$TMP/$kind.after.us"
        : >"$TMP/$kind.missed"
    done
    mapfile -t ids < <(docker ps -q --filter label=ddbench=changes |
        shuf -n "$SAMPLES" --random-source=<(yes))
    for ((k = 1; k <= SAMPLES; k++)); do
        log "size $n: round $k of $SAMPLES"
        round "$n" "$k" "${ids[(k - 1) % ${#ids[@]}]}" "$imaged"
    done
    tps=$(sed -n 's/^dockerdoom: stats .* tps=\([0-9.]*\) .*/\1/p' "$GAME_LOG" | tail -n 1)
    for kind in $KINDS; do
        ROWS+=("$(printf '%-10s %-10s %7s %6s %15s %15s %20s' "$have" "$kind" \
            "$(grep -c . "$TMP/$kind.us" || true)" "$(grep -c . "$TMP/$kind.missed" || true)" \
            "$(ms "$(median <"$TMP/$kind.us")")/$(ms "$(maxof <"$TMP/$kind.us")")" \
            "$(ms "$(median <"$TMP/$kind.cmd.us")")" \
            "$(ms "$(median <"$TMP/$kind.after.us")")/$(ms "$(maxof <"$TMP/$kind.after.us")")")")
    done
    ROWS+=("# $have containers: the game at ${tps:-?} tics/s; dockerfs idle under the game's scans: $cpu% of a core")
done
game_stop

echo "# a change to the game's line: from the start of the docker command to the game's log line, ms"
echo "# $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); game $(basename "$GAME_BIN") on dockerfs; $SAMPLES rounds per size (image: two samples a round)"
printf '%-10s %-10s %7s %6s %15s %15s %20s\n' containers kind samples missed 'ms(med/max)' 'docker_cmd(med)' 'after_cmd(med/max)'
printf '%s\n' "${ROWS[@]}"
exit "$MISSED"
