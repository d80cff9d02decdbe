# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - the benchmark scripts' private engines, their containers, their
# cleanup and two small measures. Source after tests/lib/engine.sh and
# tests/lib/image.sh.
#
#   bench_engine_start DIR TMPFS SIZE   a private engine with its data in
#                          DIR, on a tmpfs of SIZE when TMPFS is 1; the
#                          test image built there (in a second engine:
#                          copied from the first, docker save | load); sets
#                          SOCK (and ENGINE_DIR, DOCKER_HOST) to this one.
#                          May be called for several engines.
#   bench_tmpfs DIR SIZE   a tmpfs of SIZE on DIR, to hold the data of the
#                          engines started below it (TMPFS 0)
#   bench_engine_stop      stops every engine started and unmounts the
#                          tmpfs (safe when nothing was started)
#   bench_grow_to SOCK N   creates containers (not started, label
#                          ddbench=list) with ddbench on the engine at SOCK
#                          until it has N; uses the script's DDB,
#                          TEST_IMAGE, CREATE_PAR and log
#   bench_stop_pid PID...  SIGCONT (in case frozen), SIGTERM, SIGKILL after 10 s
#   bench_unmount MNT...   unmounts what is still a FUSE mount
#   tms CMD...             milliseconds CMD takes, fork and exec included
#                          (as a user or a daemon shelling out pays them);
#                          its output is discarded
#   rss_kb PID             resident memory of PID (kB)
#   nap SECS               sleeps without forking (`read -t` on a pipe that
#                          never has data), so a 1 ms poll is about 1 ms
#   now_us                 the wall clock in microseconds
#   median, maxof          of the integers on standard input (median: none
#                          printed for no input)

BENCH_ENGINES=()
BENCH_ENGINE_PIDS=()
BENCH_TMPFS_DIR=

bench_tmpfs() {
    mkdir -p "$1"
    # Many containers on a tmpfs: created about 3x faster than on disk,
    # and gone at once at the end instead of minutes of rm -rf.
    mount -t tmpfs -o "size=$2,mode=0755" ddbench "$1"
    BENCH_TMPFS_DIR=$1
}

bench_engine_start() {
    local dir=$1 tmpfs=$2 size=$3
    if [ "$tmpfs" = 1 ]; then
        bench_tmpfs "$dir" "$size"
    fi
    engine_start "$dir" >/dev/null || return 1
    BENCH_ENGINES+=("$ENGINE_DIR")
    BENCH_ENGINE_PIDS+=("$ENGINE_PID")
    # shellcheck disable=SC2034  # read by the scripts that source this
    SOCK=$ENGINE_DIR/docker.sock
    if [ ${#BENCH_ENGINES[@]} -eq 1 ]; then
        image_build "$TEST_IMAGE"
    else
        docker -H "unix://${BENCH_ENGINES[0]}/docker.sock" save "$TEST_IMAGE" |
            docker -H "unix://$SOCK" load >/dev/null
    fi
}

# The engines are stopped before their containers are removed one by one:
# with thousands of them that would take minutes, and dropping the data
# root is enough (engine_stop kills what --live-restore left running).
bench_engine_stop() {
    local i
    # Each with its own pid: engine_down reaps ENGINE_PID, and waiting for
    # another engine's would wait for ever.
    for i in "${!BENCH_ENGINES[@]}"; do
        ENGINE_DIR=${BENCH_ENGINES[$i]} ENGINE_PID=${BENCH_ENGINE_PIDS[$i]} \
            engine_down >/dev/null 2>&1
        ENGINE_DIR=${BENCH_ENGINES[$i]} ENGINE_PID=${BENCH_ENGINE_PIDS[$i]} \
            engine_stop >/dev/null 2>&1
    done
    BENCH_ENGINES=()
    BENCH_ENGINE_PIDS=()
    if [ -n "$BENCH_TMPFS_DIR" ]; then
        umount "$BENCH_TMPFS_DIR" 2>/dev/null || umount -l "$BENCH_TMPFS_DIR"
        BENCH_TMPFS_DIR=
    fi
}

# A busy engine may refuse a create now and then: count again and retry.
bench_grow_to() {
    local sock=$1 n=$2 have try
    for try in 1 2 3; do
        have=$(docker -H "unix://$sock" ps -aq | wc -l)
        [ "$have" -ge "$n" ] && return 0
        "$DDB" create "$sock" "$TEST_IMAGE" $((n - have)) "$CREATE_PAR" list >/dev/null ||
            log "$sock: some creates failed (try $try)"
    done
    have=$(docker -H "unix://$sock" ps -aq | wc -l)
    [ "$have" -ge "$n" ] || { echo "bench: $sock has only $have of $n containers" >&2; return 1; }
}

tms() {
    local t0 t1
    t0=${EPOCHREALTIME/./}
    "$@" >/dev/null 2>&1 || true
    t1=${EPOCHREALTIME/./}
    printf '%d.%03d\n' $(((t1 - t0) / 1000)) $(((t1 - t0) % 1000))
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

bench_stop_pid() {
    local p
    for p in "$@"; do
        [ -n "$p" ] || continue
        kill -CONT "$p" 2>/dev/null
        kill -TERM "$p" 2>/dev/null && { engine_kill_wait "$p" 0 10 || kill -KILL "$p"; }
        wait "$p" 2>/dev/null
    done
}

bench_unmount() {
    local m
    for m in "$@"; do
        if grep -q " $m fuse" /proc/mounts; then
            fusermount3 -uz "$m" 2>/dev/null || umount -l "$m"
        fi
    done
}

exec {BENCH_NAP_FD}<> <(:)
nap() { read -r -t "$1" -u "$BENCH_NAP_FD" _ || true; }

now_us() { echo "${EPOCHREALTIME/./}"; }

median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

maxof() { sort -n | tail -n 1; }
