#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# play.sh - `make bench-play`: how long a first `make play` takes, from the
# command to the printed password, with the packages installed (the
# issue's measure). A benchmark: it prints figures and asserts nothing
# about time.
#
# A copy of this tree without any build output (what a fresh clone has:
# no build/, so no dockerfs, no game, no image root, no downloaded
# packages) runs `make play` against a private engine that has no image,
# with a run directory, container name, log directory and ports of its
# own; then `make stop` and `make play` again (nothing changed: the cached
# play), and `make stop`. Prints both times, each build step's time (from
# play's own "done in N s" lines), the image's size and the load average
# before and after; the full outputs stay in the result directory.
#
# The machine's image cache (/var/cache/dockerdoom/image, container/image.sh)
# is left out: the first play makes the root from nothing.
#
# Knobs: BENCH_PLAY_DEBS=keep reuses this tree's build/image/debs (the
# image's packages, downloaded before) instead of downloading them;
# BENCH_PLAY_KEEP=1 leaves the copy and the engine's directory for a look.
#
# Results: $B/bench-results/play-<UTC time>/ (outputs, summary.txt).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${B:-build}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$REPO/$B/bench-results/play-$STAMP
# shellcheck source=tests/lib/engine.sh
. "$REPO/tests/lib/engine.sh"
# shellcheck source=tests/lib/ports.sh
. "$REPO/tests/lib/ports.sh"

[[ $(id -u) -eq 0 ]] || { echo "bench-play: run as root (make play needs it)" >&2; exit 1; }
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/ddbenchplay.XXXXXX)
CLONE=$WORK/clone

cleanup() {
    local rc=$?
    (cd "$CLONE" 2>/dev/null && make --no-print-directory stop >/dev/null 2>&1) || true
    engine_stop >/dev/null 2>&1 || true
    if [[ ${BENCH_PLAY_KEEP:-0} == 1 ]]; then
        echo "bench-play: kept $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT

# The tree as a clone has it: no build output.
mkdir -p "$CLONE"
tar -C "$REPO" -c --exclude=./build --exclude=./build-san --exclude=./build-fuzz \
    --exclude=node_modules . | tar -C "$CLONE" -x
if [[ ${BENCH_PLAY_DEBS:-} == keep && -d $REPO/build/image/debs ]]; then
    mkdir -p "$CLONE/build/image"
    cp -a "$REPO/build/image/debs" "$CLONE/build/image/"
fi

engine_start "$WORK/engine" >/dev/null
export DOCKERDOOM_RUN=$WORK/run DOCKERDOOM_NAME=ddbench-play-$$ DOCKERDOOM_LOG_DIR=$WORK/log
VNC_PORT=$(free_port)
NOVNC_PORT=$(free_port)
export VNC_PORT NOVNC_PORT
export DOCKERDOOM_IMAGE_MACHINE_CACHE=
unset VNC_PASSWORD DOCKERDOOM_NO_BUILD DOCKERDOOM_NO_DEPS DOCKERFS_BIN DOCKERFS_ARGS

# timed_play FILE: make play with its output (each line with the seconds
# since the start) in FILE; prints the seconds until the password line.
timed_play() {
    local f=$1 t0 line rc=0
    t0=$(date +%s%N)
    # The CPU time of play and of every process it waited for (the steps;
    # not dockerd or the game), in $f.cpu: on a quiet machine with N cores
    # the wall time cannot be under (user + sys) / N.
    local -a timed=()
    [[ -x /usr/bin/time ]] && timed=(/usr/bin/time -f 'cpu %U %S' -o "$f.cpu")
    (cd "$CLONE" && "${timed[@]}" make --no-print-directory play 2>&1) |
        while IFS= read -r line; do
        printf '%7.1f %s\n' "$(( ($(date +%s%N) - t0) / 1000000 ))e-3" "$line"
    done >"$f" || rc=$?
    [[ $rc -eq 0 ]] || { echo "bench-play: make play failed, see $f" >&2; tail -n 20 "$f" >&2; return 1; }
    awk '$2 == "password:" { print $1; exit }' "$f"
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench-play: first play of a fresh copy of this tree (load $load0; output: $OUT)"
first=$(timed_play "$OUT/first.txt")
steps=$(grep -oE '(dockerfs|root|game|image): done in [0-9]+ s' "$OUT/first.txt" | paste -sd, - | sed 's/,/, /g')
cpu=$(awk '$1 == "cpu" { printf "%.0f s of CPU (user %.0f, sys %.0f)", $2 + $3, $2, $3 }' "$OUT/first.txt.cpu" 2>/dev/null || true)
size=$(docker image inspect -f '{{.Size}}' dockerdoom:latest | awk '{printf "%d MB", $1 / 1e6}')
(cd "$CLONE" && make --no-print-directory stop >/dev/null 2>&1)
second=$(timed_play "$OUT/second.txt")
(cd "$CLONE" && make --no-print-directory stop >/dev/null 2>&1)
load1=$(cut -d' ' -f1-3 /proc/loadavg)
{
    echo "first play:  $first s to the password ($steps)"
    echo "             ${cpu:-CPU time not measured (no /usr/bin/time)}"
    echo "cached play: $second s to the password"
    echo "image:       $size"
    echo "load:        $load0 before, $load1 after ($(nproc) cores)"
} | tee "$OUT/summary.txt"
