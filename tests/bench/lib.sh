# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - the benchmark scripts' private engine and their cleanup.
# Source after tests/lib/engine.sh and tests/lib/image.sh.
#
#   bench_engine_start DIR TMPFS SIZE   a private engine with its data in
#                          DIR, on a tmpfs of SIZE when TMPFS is 1; the
#                          test image built there; sets SOCK
#   bench_engine_stop      undoes it (safe when nothing was started)
#   bench_stop_pid PID...  SIGCONT (in case frozen), SIGTERM, SIGKILL after 10 s
#   bench_unmount MNT...   unmounts what is still a FUSE mount

BENCH_ENGINE_UP=0
BENCH_TMPFS_DIR=

bench_engine_start() {
    local dir=$1 tmpfs=$2 size=$3
    mkdir -p "$dir"
    if [ "$tmpfs" = 1 ]; then
        # Many containers on a tmpfs: created about 3x faster than on disk,
        # and gone at once at the end instead of minutes of rm -rf.
        mount -t tmpfs -o "size=$size,mode=0755" ddbench "$dir"
        BENCH_TMPFS_DIR=$dir
    fi
    engine_start "$dir" >/dev/null
    BENCH_ENGINE_UP=1
    # shellcheck disable=SC2034  # read by the scripts that source this
    SOCK=$ENGINE_DIR/docker.sock
    image_build "$TEST_IMAGE"
}

# The engine is stopped before its containers are removed one by one:
# with thousands of them that would take minutes, and dropping the data
# root is enough (engine_stop kills what --live-restore left running).
bench_engine_stop() {
    if [ "$BENCH_ENGINE_UP" = 1 ]; then
        engine_down
        engine_stop >/dev/null 2>&1
        BENCH_ENGINE_UP=0
    fi
    if [ -n "$BENCH_TMPFS_DIR" ]; then
        umount "$BENCH_TMPFS_DIR" 2>/dev/null || umount -l "$BENCH_TMPFS_DIR"
        BENCH_TMPFS_DIR=
    fi
}

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
