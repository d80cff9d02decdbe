#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fleet.sh - the fleet row of `make bench` (alone: `make bench-fleet`).
#
# Starts four private engines (never the user's): three with N created
# (not running) containers each, one with 3N. Mounts dockerfs --all once
# over the three (--host e1=... --host e2=... --host e3=...) and once over
# the single engine, and measures both in one run:
#   - start to full listing: dockerfs started -> the mount lists all 3N
#   - ls of the mount and a scan (every name and image read, as the game
#     does, timed inside ddbench), median of BENCH_REPS
#   - freshness: BENCH_FLEET_FRESH_N times create one container on one
#     engine of the mount, wait until it is listed, remove it, wait until
#     it is gone (ddbench fresh); median and p99
#   - dockerfs RSS with the 3N listed
# Writes fleet.csv and fresh-*.csv into $B/bench-results/<stamp>-fleet/
# and prints the table. Figures only: nothing here passes or fails on
# speed.
#
# Knobs: BENCH_FLEET_N (1000), BENCH_REPS (5), BENCH_FLEET_FRESH_N (50),
# BENCH_CREATE_PAR (8), BENCH_TMPFS (1: the engines' data roots on a tmpfs).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${B:-build}
DFS_BIN=$REPO/$B/dockerfs
DDB=$REPO/$B/bench/ddbench
N=${BENCH_FLEET_N:-1000}
REPS=${BENCH_REPS:-5}
FRESH_N=${BENCH_FLEET_FRESH_N:-50}
CREATE_PAR=${BENCH_CREATE_PAR:-8}
ENGINE_TMPFS=${BENCH_TMPFS:-1}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$REPO/$B/bench-results/$STAMP-fleet

# shellcheck source=tests/lib/engine.sh
. "$REPO/tests/lib/engine.sh"
# shellcheck source=tests/lib/image.sh
. "$REPO/tests/lib/image.sh"
# shellcheck source=tests/bench/lib.sh
. "$REPO/tests/bench/lib.sh"

for f in "$DFS_BIN" "$DDB"; do
    [ -x "$f" ] || { echo "bench-fleet: $f missing (run: make bench-fleet)" >&2; exit 1; }
done
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH

# Short path: the engines' sockets must fit in sun_path.
TMP=$(mktemp -d /tmp/ddfleet.XXXXXX)
ENG=$TMP/eng
ENGINES="e1 e2 e3 one"
FLEET_PID=
ONE_PID=

log() { printf '[bench-fleet %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
sock() { echo "$ENG/$1/docker.sock"; }

cleanup() {
    set +e
    bench_stop_pid "$FLEET_PID" "$ONE_PID"
    bench_unmount "$TMP/fleet" "$TMP/one"
    bench_engine_stop
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The q-quantile (nearest rank) of the numbers on stdin.
quantile() {
    sort -g | awk -v q="$1" '{ v[NR] = $1 }
        END { if (NR == 0) { print "nan"; exit }
              i = int(q * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR
              print v[i] }'
}

# Starts dockerfs on mnt with the given engine options; prints its pid
# and the ms from its start until it lists want entries (-1: not within
# 120 s).
mount_timed() {
    local mnt=$1 want=$2 t0 t1 pid
    shift 2
    mkdir -p "$mnt"
    t0=${EPOCHREALTIME/./}
    "$DFS_BIN" "$mnt" -f --all "$@" >"$mnt.log" 2>&1 &
    pid=$!
    if "$DDB" waitcount "$mnt" "$want" 120 >/dev/null 2>&1; then
        t1=${EPOCHREALTIME/./}
        echo "$pid $(((t1 - t0) / 1000))"
    else
        echo "$pid -1"
    fi
}

# Median ms of REPS runs of a command.
median_of() {
    local r
    for ((r = 0; r < REPS; r++)); do tms "$@"; done | quantile 0.5
}

# In-process scan time (ddbench tscan prints ms), median of REPS.
scan_median() {
    local r
    for ((r = 0; r < REPS; r++)); do "$DDB" tscan "$1"; done | quantile 0.5
}

# ---------------------------------------------------------------- engines
mkdir -p "$ENG" "$OUT"
log "results: $OUT"
[ "$ENGINE_TMPFS" = 1 ] && bench_tmpfs "$ENG" 12g
for e in $ENGINES; do
    bench_engine_start "$ENG/$e" 0 - ||
        { echo "bench-fleet: engine $e did not start" >&2; exit 1; }
done
unset DOCKER_HOST

log "creating $N containers on each of e1 e2 e3 and $((3 * N)) on one (created, not started)"
t0=$SECONDS
pids=()
for e in e1 e2 e3; do bench_grow_to "$(sock "$e")" "$N" & pids+=($!); done
bench_grow_to "$(sock one)" $((3 * N)) & pids+=($!)
for p in "${pids[@]}"; do wait "$p" || exit 1; done
log "created in $((SECONDS - t0)) s"

# ---------------------------------------------------------------- mounts
read -r FLEET_PID fleet_start < <(mount_timed "$TMP/fleet" $((3 * N)) \
    --host "e1=unix://$(sock e1)" --host "e2=unix://$(sock e2)" --host "e3=unix://$(sock e3)")
read -r ONE_PID one_start < <(mount_timed "$TMP/one" $((3 * N)) --host "unix://$(sock one)")
[ "$fleet_start" != -1 ] || { echo "bench-fleet: the fleet mount never listed $((3 * N))" >&2; tail "$TMP/fleet.log" >&2; exit 1; }
[ "$one_start" != -1 ] || { echo "bench-fleet: the single mount never listed $((3 * N))" >&2; tail "$TMP/one.log" >&2; exit 1; }
sleep 1

echo "mount,engines,containers,start_ms,ls_ms,scan_ms,vis_stat_med_ms,vis_list_med_ms,vis_list_p99_ms,gone_stat_med_ms,gone_list_med_ms,rss_kb" >"$OUT/fleet.csv"
# ddbench fresh: i,create_ms,vis_stat_ms,vis_list_ms,rm_ms,gone_stat_ms,gone_list_ms
fq() { awk -F, -v c="$2" 'NR > 1 { print $c }' "$1" | quantile "$3"; }
row() {
    local name=$1 engines=$2 mnt=$3 pid=$4 start=$5 fsock=$6 ls_ms scan_ms rss f
    log "$name: ls and scan, $REPS each"
    ls_ms=$(median_of ls -1 "$mnt")
    scan_ms=$(scan_median "$mnt")
    rss=$(rss_kb "$pid")
    log "$name: freshness, $FRESH_N create/remove on $(basename "$(dirname "$fsock")")"
    f=$OUT/fresh-$name.csv
    "$DDB" fresh "$fsock" "$TEST_IMAGE" "$mnt" "$FRESH_N" >"$f"
    printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$name" "$engines" $((3 * N)) "$start" \
        "$ls_ms" "$scan_ms" "$(fq "$f" 3 0.5)" "$(fq "$f" 4 0.5)" "$(fq "$f" 4 0.99)" \
        "$(fq "$f" 6 0.5)" "$(fq "$f" 7 0.5)" "$rss" >>"$OUT/fleet.csv"
}
row fleet "3 x $N" "$TMP/fleet" "$FLEET_PID" "$fleet_start" "$(sock e2)"
row one "1 x $((3 * N))" "$TMP/one" "$ONE_PID" "$one_start" "$(sock one)"

{
    echo "Fleet: one mount over 3 engines x $N against one engine x $((3 * N)) (created containers, --all)"
    printf '%-6s %-10s %11s %9s %9s %26s %20s %7s\n' mount engines "start->all" ls scan \
        "create->seen stat/list/p99" "remove->gone st/list" "RSS MB"
    awk -F, 'NR > 1 { printf "%-6s %-10s %8s ms %6s ms %6s ms %9s / %s / %s ms %11s / %s ms %7.1f\n",
                      $1, $2, $4, $5, $6, $7, $8, $9, $10, $11, $12 / 1024 }' "$OUT/fleet.csv"
    echo "(ls: fork+exec included; scan: every name and image, inside ddbench; freshness: median over $FRESH_N, stat = <id> stat ok, list = seen in readdir, p99 of list)"
    echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), data roots on $(stat -f -c %T "$ENG/one/data")"
} | tee "$OUT/summary.txt"
