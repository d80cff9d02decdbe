#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# running.sh - `make bench-running`: figures for N running containers.
#
# Starts a private Docker engine (never the user's), mounts dockerfs
# (running containers only, its default) on a temp dir and, for each N in
# RUNNING_SIZES, brings the number of running containers to N and prints
# the median wall time, in ms, of whole processes as a user runs them:
#   ls MNT                     (its entries are counted: must be N)
#   docker ps -q
#   one raw API list call      (curl GET /v1.41/containers/json)
# and the create-to-visible latency: the time from the return of one more
# `docker run -d` until MNT/<short id> exists (median and max).
#
# Prints a table and writes it as CSV to
# $B/bench-results/running-<UTC timestamp>.csv. Figures, not a test: the
# only failures are the listing not matching N or an entry not showing up.
#
# Knobs (environment): RUNNING_SIZES ("10 500"), RUNNING_REPS (7 runs per
# timing), RUNNING_FRESH_N (10 create-to-visible samples), RUNNING_PAR (4
# parallel docker run while growing), RUNNING_TMPFS (1: the engine's data
# root on a tmpfs, created faster and gone at once; 0: on disk).
#
# Copyright the dockerdoom authors. GPL-2.0-or-later.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${B:-build}
DFS_BIN=$REPO/$B/dockerfs
SIZES=${RUNNING_SIZES:-10 500}
REPS=${RUNNING_REPS:-7}
FRESH_N=${RUNNING_FRESH_N:-10}
PAR=${RUNNING_PAR:-4}
ENGINE_TMPFS=${RUNNING_TMPFS:-1}
VISIBLE_LIMIT_US=5000000
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUTDIR=$REPO/$B/bench-results
CSV=$OUTDIR/running-$STAMP.csv

# shellcheck source=tests/lib/engine.sh
. "$REPO/tests/lib/engine.sh"
# shellcheck source=tests/lib/image.sh
. "$REPO/tests/lib/image.sh"
# shellcheck source=tests/bench/lib.sh
. "$REPO/tests/bench/lib.sh"

[ -x "$DFS_BIN" ] || { echo "bench-running: $DFS_BIN missing (run: make)" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench-running: curl missing" >&2; exit 1; }

TMP=$(mktemp -d /tmp/ddrunning.XXXXXX)
MNT=$TMP/mnt
DFS_PID=
FAILED=0

log() { printf '[bench-running %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Stops what this script started, in order: dockerfs, its mount, the
# engine, the temp dir.
cleanup() {
    set +e
    bench_stop_pid "$DFS_PID"
    bench_unmount "$MNT"
    bench_engine_stop
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Microseconds a command takes, fork and exec included (as a user or a
# daemon shelling out pays them). Its output goes to $TMP/out.
tus() {
    local t0 t1
    t0=${EPOCHREALTIME/./}
    "$@" >"$TMP/out" 2>/dev/null || true
    t1=${EPOCHREALTIME/./}
    echo $((t1 - t0))
}

# Microseconds as milliseconds with one decimal.
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }

running_count() { docker ps -q | wc -l; }

# Waits until the mount lists n entries (bounded, in seconds).
wait_listed() {
    local n=$1 secs=$2 i
    for ((i = 0; i < secs * 20; i++)); do
        # shellcheck disable=SC2012 # short ids only
        [ "$(ls "$MNT" | wc -l)" -eq "$n" ] && return 0
        nap 0.05
    done
    return 1
}

# Starts containers until n are running (label ddbench=running). A busy
# engine may refuse a run now and then: count again and retry.
grow_to() {
    local n=$1 have try
    for try in 1 2 3; do
        have=$(running_count)
        [ "$have" -ge "$n" ] && return 0
        seq $((n - have)) | xargs -P "$PAR" -I{} \
            docker run -d --network none --label ddbench=running "$TEST_IMAGE" \
            >>"$TMP/grow.ids" 2>>"$TMP/grow.err" ||
            log "growing: some docker run failed (try $try): $(tail -n 1 "$TMP/grow.err")"
    done
    have=$(running_count)
    [ "$have" -ge "$n" ] || { echo "bench-running: only $have of $n containers running" >&2; return 1; }
}

# Create-to-visible, FRESH_N times: one more `docker run -d`, then poll
# every 1 ms until MNT/<short id> exists (at most 5 s). Sets FMED and
# FMAX (us); removes the containers again.
fresh() {
    local i id sid t0 t ids=()
    : >"$TMP/fresh.us"
    for ((i = 0; i < FRESH_N; i++)); do
        id=$(docker run -d --network none --label ddbench=fresh "$TEST_IMAGE")
        t0=$(now_us)
        sid=${id:0:12}
        ids+=("$id")
        while :; do
            t=$(($(now_us) - t0))
            [ -e "$MNT/$sid" ] && break
            if [ "$t" -ge "$VISIBLE_LIMIT_US" ]; then
                log "create-to-visible: $sid not in the mount after 5 s"
                FAILED=1
                break
            fi
            nap 0.001
        done
        echo "$t" >>"$TMP/fresh.us"
    done
    docker rm -f "${ids[@]}" >/dev/null
    FMED=$(median <"$TMP/fresh.us")
    FMAX=$(maxof <"$TMP/fresh.us")
}

# ---------------------------------------------------------------- setup
mkdir -p "$OUTDIR" "$MNT"
log "private engine in $TMP/eng"
bench_engine_start "$TMP/eng" "$ENGINE_TMPFS" 4g

"$DFS_BIN" "$MNT" -f >"$TMP/dockerfs.log" 2>&1 &
DFS_PID=$!
for ((i = 0; i < 200; i++)); do
    kill -0 "$DFS_PID" 2>/dev/null || break
    grep -q " $MNT fuse" /proc/mounts && ls "$MNT" >/dev/null 2>&1 && break
    sleep 0.05
done
grep -q " $MNT fuse" /proc/mounts || {
    echo "bench-running: dockerfs did not mount" >&2
    tail "$TMP/dockerfs.log" >&2
    exit 1
}

# ------------------------------------------------------------- measure
HDR=$(printf '%-8s %8s %15s %12s %32s' running ls_ms docker_ps_q_ms api_list_ms 'create_to_visible_ms(median/max)')
echo "running,ls_ms,docker_ps_q_ms,api_list_ms,create_to_visible_median_ms,create_to_visible_max_ms" >"$CSV"
ROWS=()
for n in $SIZES; do
    log "growing to $n running containers"
    grow_to "$n"
    have=$(running_count)
    wait_listed "$have" 300 || log "the mount does not list $have entries yet"
    sleep 1
    log "$have running: $REPS runs each"
    : >"$TMP/ls.us"; : >"$TMP/ps.us"; : >"$TMP/api.us"
    for ((r = 0; r < REPS; r++)); do
        tus ls "$MNT" >>"$TMP/ls.us"
        got=$(wc -l <"$TMP/out")
        if [ "$got" -ne "$have" ]; then
            log "ls listed $got entries, $have containers are running"
            FAILED=1
        fi
        tus docker ps -q >>"$TMP/ps.us"
        tus curl -s --unix-socket "$SOCK" http://localhost/v1.41/containers/json >>"$TMP/api.us"
    done
    log "$have running: create-to-visible, $FRESH_N samples"
    fresh
    row=("$have" "$(ms "$(median <"$TMP/ls.us")")" "$(ms "$(median <"$TMP/ps.us")")"
        "$(ms "$(median <"$TMP/api.us")")" "$(ms "$FMED")" "$(ms "$FMAX")")
    ROWS+=("$(printf '%-8s %8s %15s %12s %32s' "${row[0]}" "${row[1]}" "${row[2]}" "${row[3]}" "${row[4]}/${row[5]}")")
    (IFS=,; echo "${row[*]}") >>"$CSV"
done

# --------------------------------------------------------------- report
echo "# dockerfs with N running containers; median of $REPS runs, whole processes, ms"
echo "# $(nproc) cores, $(engine_docker version -f '{{.Server.Version}}' 2>/dev/null || echo '?') engine, data root on $(stat -f -c %T "$ENGINE_DIR/data")"
echo "$HDR"
printf '%s\n' "${ROWS[@]}"
log "CSV: $CSV"
if [ "$FAILED" = 1 ]; then
    echo "bench-running: the mount did not match the engine (see above)" >&2
    exit 1
fi
