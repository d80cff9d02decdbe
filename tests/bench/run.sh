#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh - `make bench`: dockerfs and the game against the old way.
#
# Starts a private Docker engine (never the user's), mounts dockerfs --all
# on a temp dir and measures, in one run on one engine:
#   1. listing: ls of the mount, a scan of the mount (every name and image
#      read, as the game does), one raw API list call (curl), docker ps -aq,
#      and the old dockerdoomd way (docker ps + one docker inspect per
#      container), at each of BENCH_SIZES created containers
#   2. freshness: create-to-visible and remove-to-gone in the mount, on an
#      idle engine and again with the largest count of containers present
#   3. kill: a write to <id>/kill against a direct API DELETE of a twin
#   4. dockerfs RSS at 0 and each size (and a fresh start at each size),
#      and its CPU while idle
#   5. the game's tics per second (its own counters) with 0, 50 and 300
#      monsters, on plain directories, on the mount, and on a frozen mount
#   6. reading name and image of every entry, timed inside the reader (C
#      and Python): the mount, a second mount with --fast-read, the same
#      tree copied to a tmpfs, and one raw API list + JSON decode; ls of
#      the mount against ls of the tmpfs copy; every image read again
#      through the name links (NAME/image: a lookup by name each time)
#   7. renames: BENCH_RENAMES (100) renames of one container in a row, each
#      timed until its name file shows the new name, idle and at the
#      largest size
# Writes CSV, a summary table and gnuplot PNGs into
# $B/bench-results/<UTC timestamp>/, copies the PNGs to docs/bench/, and
# prints the table.
#
# Knobs (environment): BENCH_SIZES ("10 100 1000 10000"), BENCH_REPS (5),
# BENCH_FRESH_N (100; BENCH_FRESH_MAX_N, 20, more at the largest size),
# BENCH_KILL_N (20), BENCH_IDLE_S (30),
# BENCH_OLD_FULL_MAX (1000: above it the old way is timed on
# BENCH_OLD_SAMPLE inspects and extrapolated), BENCH_GAME (path of the game
# binary; "skip" skips part 5), BENCH_GAME_WINDOWS (2 stats windows of 5 s),
# BENCH_TMPFS (1: the engine's data root on a tmpfs; 0: on disk),
# BENCH_RENAMES (100).
#
# Copyright the dockerdoom authors. GPL-2.0-or-later.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${B:-build}
DFS_BIN=$REPO/$B/dockerfs
DDB=$REPO/$B/bench/ddbench
SIZES=${BENCH_SIZES:-10 100 1000 10000}
REPS=${BENCH_REPS:-5}
FRESH_N=${BENCH_FRESH_N:-100}
FRESH_MAX_N=${BENCH_FRESH_MAX_N:-20}
KILL_N=${BENCH_KILL_N:-20}
IDLE_S=${BENCH_IDLE_S:-30}
OLD_FULL_MAX=${BENCH_OLD_FULL_MAX:-1000}
OLD_SAMPLE=${BENCH_OLD_SAMPLE:-100}
GAME=${BENCH_GAME:-$REPO/build/game/chocolate-doom}
GAME_WINDOWS=${BENCH_GAME_WINDOWS:-2}
IWAD=${BENCH_IWAD:-/usr/share/games/doom/freedoom2.wad}
CREATE_PAR=${BENCH_CREATE_PAR:-8}
ENGINE_TMPFS=${BENCH_TMPFS:-1}
RENAMES=${BENCH_RENAMES:-100}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$REPO/$B/bench-results/$STAMP
DOCS=$REPO/docs/bench

# shellcheck source=tests/lib/engine.sh
. "$REPO/tests/lib/engine.sh"
# shellcheck source=tests/lib/image.sh
. "$REPO/tests/lib/image.sh"
# shellcheck source=tests/bench/lib.sh
. "$REPO/tests/bench/lib.sh"

for f in "$DFS_BIN" "$DDB"; do
    [ -x "$f" ] || { echo "bench: $f missing (run: make bench)" >&2; exit 1; }
done

TMP=$(mktemp -d /tmp/ddbench.XXXXXX)
MNT=$TMP/mnt
MNT2=$TMP/mnt2
MNT3=$TMP/mnt3
MNT4=$TMP/mnt4
TREE=$TMP/tree
TREE_UP=0
PY=$(command -v python3 || true)
DFS_PID=
DFS2_PID=
DFS3_PID=
DFS4_PID=
GAME_PID=
XVFB_PID=

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Stops, in order, what this script started: the game and Xvfb, the
# dockerfs instances (woken first if frozen), the engine, the temp dir.
cleanup() {
    local p
    set +e
    for p in $GAME_PID $XVFB_PID; do
        kill -TERM "$p" 2>/dev/null && { engine_kill_wait "$p" 0 5 || kill -KILL "$p"; }
        wait "$p" 2>/dev/null
    done
    bench_stop_pid "$DFS_PID" "$DFS2_PID" "$DFS3_PID" "$DFS4_PID"
    bench_unmount "$MNT" "$MNT2" "$MNT3" "$MNT4"
    [ "$TREE_UP" = 1 ] && umount "$TREE"
    bench_engine_stop
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# utime + stime of a pid, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Waits until the mount answers (bounded).
dfs_wait_mounted() {
    local mnt=$1 pid=$2 i
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || return 1
        if grep -q " $mnt fuse" /proc/mounts && "$DDB" count "$mnt" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

# One pass of the old dockerdoomd list: docker ps, then one docker inspect
# per container. With a sample size, only that many inspects are made.
old_way() {
    local ids id k=0 max=${1:-0}
    ids=$(docker ps -aq)
    for id in $ids; do
        docker inspect -f '{{.Name}}' "$id" >/dev/null
        k=$((k + 1))
        [ "$max" -gt 0 ] && [ "$k" -ge "$max" ] && break
    done
    return 0
}

machine_info() {
    {
        echo "date_utc,$STAMP"
        echo "cpu,\"$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)\""
        echo "cores,$(nproc)"
        echo "mem_mb,$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)"
        echo "kernel,$(uname -r)"
        echo "os,\"$(. /etc/os-release && echo "$PRETTY_NAME")\""
        echo "docker,$(engine_docker version -f '{{.Server.Version}}' 2>/dev/null)"
        echo "data_root,$(stat -f -c %T "$ENGINE_DIR/data")"
        echo "storage_driver,$(engine_docker info -f '{{.Driver}}' 2>/dev/null)"
        echo "libfuse,$(pkg-config --modversion fuse3 2>/dev/null)"
        echo "loadavg_start,\"$(cut -d' ' -f1-3 /proc/loadavg)\""
    } >"$OUT/machine.csv"
}

# ---------------------------------------------------------------- setup
mkdir -p "$OUT"
log "results: $OUT"
bench_engine_start "$TMP/eng" "$ENGINE_TMPFS" 8g
machine_info

mkdir -p "$MNT" "$MNT2" "$MNT3" "$MNT4"
"$DFS_BIN" "$MNT" -f --all >"$TMP/dockerfs.log" 2>&1 &
DFS_PID=$!
dfs_wait_mounted "$MNT" "$DFS_PID" || { echo "bench: dockerfs did not mount" >&2; tail "$TMP/dockerfs.log" >&2; exit 1; }
sleep 1
echo "state,containers,rss_kb" >"$OUT/rss.csv"
echo "running,0,$(rss_kb "$DFS_PID")" >>"$OUT/rss.csv"

# ------------------------------------------------------------ freshness
log "freshness: $FRESH_N containers, create/remove one at a time"
"$DDB" fresh "$SOCK" "$TEST_IMAGE" "$MNT" "$FRESH_N" >"$OUT/freshness.csv"
log "renames: $RENAMES in a row, idle engine"
"$DDB" renames "$SOCK" "$TEST_IMAGE" "$MNT" "$RENAMES" >"$OUT/renames.csv"

# ----------------------------------------------------------------- kill
log "kill: $KILL_N twin pairs (running containers)"
"$DDB" kill "$SOCK" "$TEST_IMAGE" "$MNT" "$KILL_N" 1 >"$OUT/kill.csv"
log "kill: $KILL_N twin pairs (created containers)"
"$DDB" kill "$SOCK" "$TEST_IMAGE" "$MNT" "$KILL_N" 0 >"$OUT/kill-created.csv"

# ----------------------------------------------------------------- game
echo "case,monsters_wanted,window,tps,monsters" >"$OUT/game.csv"
GAME_NOTE=

# Makes a plain directory of n fake containers, as the contract says.
plain_dir() {
    local dir=$1 n=$2 i d
    rm -rf "$dir"
    mkdir -p "$dir"
    for ((i = 1; i <= n; i++)); do
        d=$dir/$(printf 'b%011x' "$i")
        mkdir "$d"
        printf 'bench-%d\n' "$i" >"$d/name"
        printf 'dockerdoom-test:latest\n' >"$d/image"
        printf 'created\n' >"$d/state"
        : >"$d/kill"
    done
}

# Runs the game on dir until it has printed 1 + GAME_WINDOWS stats lines
# (the first window holds the start-up and is dropped). With freeze=1,
# dockerfs is stopped (SIGSTOP) after the first window and woken at the
# end. Appends to game.csv.
game_case() {
    local name=$1 want=$2 dir=$3 freeze=${4:-0} glog=$TMP/game.$1.log i n
    DISPLAY=:$XDISP "$GAME" -iwad "$IWAD" -window -geometry 640x480 -nosound \
        -nomusic -warp 1 -dockerfs "$dir" >"$glog" 2>&1 &
    GAME_PID=$!
    for ((i = 0; i < 600; i++)); do
        n=$(grep -c '^dockerdoom: stats' "$glog" || true)
        if [ "$freeze" = 1 ] && [ "$n" -ge 1 ]; then
            kill -STOP "$DFS_PID"
            freeze=stopped
        fi
        [ "$n" -ge $((GAME_WINDOWS + 1)) ] && break
        kill -0 "$GAME_PID" 2>/dev/null || break
        sleep 0.1
    done
    [ "$freeze" = stopped ] && kill -CONT "$DFS_PID"
    kill -TERM "$GAME_PID" 2>/dev/null || true
    engine_kill_wait "$GAME_PID" 0 5 || kill -KILL "$GAME_PID" 2>/dev/null || true
    wait "$GAME_PID" 2>/dev/null || true
    GAME_PID=
    grep '^dockerdoom: stats' "$glog" | tail -n +2 | head -n "$GAME_WINDOWS" |
        sed -E 's/.*tps=([0-9.]+) monsters=([0-9]+).*/\1 \2/' |
        awk -v c="$name" -v w="$want" '{ printf "%s,%s,%d,%s,%s\n", c, w, NR, $1, $2 }' \
            >>"$OUT/game.csv"
    cp "$glog" "$OUT/" 2>/dev/null || true
}

if [ "$GAME" = skip ]; then
    GAME_NOTE="skipped (BENCH_GAME=skip)"
elif [ ! -x "$GAME" ]; then
    GAME_NOTE="skipped: no game binary at $GAME (make game)"
elif [ ! -r "$IWAD" ]; then
    GAME_NOTE="skipped: no IWAD at $IWAD"
fi
if [ -n "$GAME_NOTE" ]; then
    log "game: $GAME_NOTE"
else
    log "game: tics per second, plain dirs / mount / frozen mount"
    # -displayfd: the X server picks a free display (others may be in use).
    Xvfb -displayfd 5 -screen 0 640x480x24 -nolisten tcp 5>"$TMP/xdisp" >"$TMP/xvfb.log" 2>&1 &
    XVFB_PID=$!
    for ((i = 0; i < 100; i++)); do
        XDISP=$(cat "$TMP/xdisp" 2>/dev/null || true)
        [ -n "$XDISP" ] && break
        sleep 0.1
    done
    [ -n "$XDISP" ] || { echo "bench: Xvfb did not start" >&2; exit 1; }
    for n in 0 50 300; do
        plain_dir "$TMP/plain" "$n"
        game_case "plain-$n" "$n" "$TMP/plain"
    done
    game_case "mount-0" 0 "$MNT"
    "$DDB" create "$SOCK" "$TEST_IMAGE" 50 "$CREATE_PAR" game >>"$TMP/game.ids"
    "$DDB" waitcount "$MNT" 50 60
    game_case "mount-50" 50 "$MNT"
    "$DDB" create "$SOCK" "$TEST_IMAGE" 250 "$CREATE_PAR" game >>"$TMP/game.ids"
    "$DDB" waitcount "$MNT" 300 60
    game_case "mount-300" 300 "$MNT"
    game_case "frozen-300" 300 "$MNT" 1
    kill -TERM "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
    XVFB_PID=
    "$DDB" rm "$SOCK" "$CREATE_PAR" <"$TMP/game.ids"
    "$DDB" waitcount "$MNT" 0 60
fi

# -------------------------------------------------------------- listing
echo "containers,method,run,ms" >"$OUT/listing.csv"
echo "containers,method,run,ms" >"$OUT/scan.csv"
mkdir -p "$TREE"
mount -t tmpfs -o size=512m,mode=0755 ddbench-tree "$TREE"
TREE_UP=1
echo "containers,seconds_to_list,rss_kb" >"$OUT/start.csv"
for n in $SIZES; do
    log "listing: growing to $n containers"
    bench_grow_to "$SOCK" "$n"
    "$DDB" waitcount "$MNT" "$n" 300
    sleep 1
    echo "running,$n,$(rss_kb "$DFS_PID")" >>"$OUT/rss.csv"
    # The engine takes seconds per list at 10000: fewer runs there (ls of
    # the mount is cheap and keeps all of them).
    reps=$REPS
    [ "$n" -gt 1000 ] && [ "$reps" -gt 3 ] && reps=3
    log "listing: $n containers, $reps runs"
    for ((r = 1; r <= REPS; r++)); do
        echo "$n,mount_ls,$r,$(tms ls "$MNT")" >>"$OUT/listing.csv"
    done
    for ((r = 1; r <= reps; r++)); do
        {
            echo "$n,mount_scan,$r,$(tms "$DDB" scan "$MNT")"
            echo "$n,api_curl,$r,$(tms curl -s --unix-socket "$SOCK" 'http://localhost/v1.41/containers/json?all=1')"
            echo "$n,docker_ps_q,$r,$(tms docker ps -aq)"
        } >>"$OUT/listing.csv"
    done
    # Reading every name and image, timed inside the reader: the first
    # scan of the mount (nothing cached yet), then the mount, the same tree
    # copied to a tmpfs and one API list + decode, in turns.
    log "scan: $n containers, mount vs tmpfs copy vs API list + decode"
    echo "$n,c_mount_cold,1,$("$DDB" tscan "$MNT")" >>"$OUT/scan.csv"
    # The --fast-read mount follows the same engine from here on.
    "$DFS_BIN" "$MNT3" -f --all --fast-read >"$TMP/dockerfs3.log" 2>&1 &
    DFS3_PID=$!
    dfs_wait_mounted "$MNT3" "$DFS3_PID" && "$DDB" waitcount "$MNT3" "$n" 120 ||
        log "scan: the --fast-read mount did not come up"
    "$DDB" tscan "$MNT3" >/dev/null
    # And one whose request loop sleeps as soon as it has answered (--spin
    # 0): what the spin of the default saves, measured.
    "$DFS_BIN" "$MNT4" -f --all --spin 0 >"$TMP/dockerfs4.log" 2>&1 &
    DFS4_PID=$!
    dfs_wait_mounted "$MNT4" "$DFS4_PID" && "$DDB" waitcount "$MNT4" "$n" 120 ||
        log "scan: the --spin 0 mount did not come up"
    "$DDB" tscan "$MNT4" >/dev/null
    rm -rf "${TREE:?}/t"
    "$DDB" copy "$MNT" "$TREE/t"
    for ((r = 1; r <= REPS; r++)); do
        {
            echo "$n,c_mount,$r,$("$DDB" tscan "$MNT")"
            echo "$n,c_names,$r,$("$DDB" tnames "$MNT")"
            echo "$n,c_fast,$r,$("$DDB" tscan "$MNT3")"
            echo "$n,c_nospin,$r,$("$DDB" tscan "$MNT4")"
            echo "$n,c_tmpfs,$r,$("$DDB" tscan "$TREE/t")"
            echo "$n,c_api,$r,$("$DDB" tapi "$SOCK")"
            if [ -n "$PY" ]; then
                echo "$n,py_mount,$r,$("$PY" "$REPO/tests/bench/pyscan.py" dir "$MNT")"
                echo "$n,py_fast,$r,$("$PY" "$REPO/tests/bench/pyscan.py" dir "$MNT3")"
                echo "$n,py_nospin,$r,$("$PY" "$REPO/tests/bench/pyscan.py" dir "$MNT4")"
                echo "$n,py_tmpfs,$r,$("$PY" "$REPO/tests/bench/pyscan.py" dir "$TREE/t")"
                echo "$n,py_api,$r,$("$PY" "$REPO/tests/bench/pyscan.py" api "$SOCK")"
            fi
            echo "$n,ls_mount,$r,$(tms ls "$MNT")"
            echo "$n,ls_tmpfs,$r,$(tms ls "$TREE/t")"
        } >>"$OUT/scan.csv"
    done
    bench_stop_pid "$DFS3_PID" "$DFS4_PID"
    DFS3_PID=
    DFS4_PID=
    bench_unmount "$MNT3" "$MNT4"
    if [ "$n" -le "$OLD_FULL_MAX" ]; then
        old_runs=3
        [ "$n" -ge 1000 ] && old_runs=1
        log "listing: old way (docker ps + $n docker inspect), $old_runs run(s)"
        for ((r = 1; r <= old_runs; r++)); do
            echo "$n,old_way,$r,$(tms old_way)" >>"$OUT/listing.csv"
        done
    else
        # ps once, plus OLD_SAMPLE inspects scaled up to n: the old loop is
        # one docker inspect after another, so its cost grows linearly.
        log "listing: old way at $n, extrapolated from $OLD_SAMPLE inspects"
        t_ps=$(tms docker ps -aq)
        t_s=$(tms old_way "$OLD_SAMPLE")
        est=$(awk -v p="$t_ps" -v s="$t_s" -v k="$OLD_SAMPLE" -v n="$n" \
            'BEGIN { printf "%.3f", p + (s - p) / k * n }')
        echo "$n,old_way_est,1,$est" >>"$OUT/listing.csv"
    fi
    # A fresh dockerfs on the same engine: time to its first full listing
    # and its memory right after.
    t0=${EPOCHREALTIME/./}
    "$DFS_BIN" "$MNT2" -f --all >"$TMP/dockerfs2.log" 2>&1 &
    DFS2_PID=$!
    if dfs_wait_mounted "$MNT2" "$DFS2_PID" && "$DDB" waitcount "$MNT2" "$n" 120; then
        t1=${EPOCHREALTIME/./}
        sleep 0.5
        echo "$n,$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f", d / 1e6 }'),$(rss_kb "$DFS2_PID")" >>"$OUT/start.csv"
    fi
    kill -TERM "$DFS2_PID" 2>/dev/null || true
    engine_kill_wait "$DFS2_PID" 0 10 || kill -KILL "$DFS2_PID" 2>/dev/null || true
    wait "$DFS2_PID" 2>/dev/null || true
    DFS2_PID=
    grep -q " $MNT2 fuse" /proc/mounts && fusermount3 -uz "$MNT2"
done
NMAX=$(engine_docker ps -aq | wc -l)

# ------------------------------------------------------------- idle CPU
log "idle: dockerfs CPU over $IDLE_S s with $NMAX containers"
HZ=$(getconf CLK_TCK)
c0=$(cpu_ticks "$DFS_PID")
sleep "$IDLE_S"
c1=$(cpu_ticks "$DFS_PID")
echo "containers,seconds,cpu_ticks,hz,cpu_percent" >"$OUT/idle.csv"
echo "$NMAX,$IDLE_S,$((c1 - c0)),$HZ,$(awk -v t=$((c1 - c0)) -v h="$HZ" -v s="$IDLE_S" 'BEGIN { printf "%.3f", t / h / s * 100 }')" >>"$OUT/idle.csv"
# ------------------------------------------- freshness, engine loaded
log "freshness: $FRESH_MAX_N containers with $NMAX others present"
"$DDB" fresh "$SOCK" "$TEST_IMAGE" "$MNT" "$FRESH_MAX_N" >"$OUT/freshness-max.csv"
echo "$NMAX" >"$OUT/freshness-max.count"
log "renames: $RENAMES in a row with $NMAX others present"
"$DDB" renames "$SOCK" "$TEST_IMAGE" "$MNT" "$RENAMES" >"$OUT/renames-max.csv"
echo "loadavg_end,\"$(cut -d' ' -f1-3 /proc/loadavg)\"" >>"$OUT/machine.csv"

# -------------------------------------------------------------- summary
log "summary, plots"
B=$B "$REPO/tests/bench/report.sh" "$OUT" "$GAME_NOTE" | tee "$OUT/summary.txt"
if [ -d "$REPO/docs" ] || mkdir -p "$DOCS"; then
    mkdir -p "$DOCS"
    cp "$OUT"/*.png "$DOCS/" 2>/dev/null || true
fi
log "done: $OUT (plots copied to docs/bench/)"
