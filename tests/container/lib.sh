# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - common ground for the game container tests (tests/container/).
# Source it; it sources tests/lib/dockerfs.sh (TAP helpers, private engine,
# test image). Run by tests/run a script gets the private engine in
# DOCKER_HOST; run alone it starts its own.
#
#   ct_setup              dfs_setup + launcher settings for this script:
#                         its own run dir, container name and free ports
#   ct_image              make sure the game image exists on the engine
#                         (built with container/image.sh, its root and game
#                         from the checkout's caches when they are there)
#   ct_launcher ARGS...   container/dockerdoom with this script's settings
#   ct_game_log NAME      the container's log (stdout and stderr)
#   free_port             a free TCP port (tests/lib/ports.sh)
#   ct_elapsed_ms CMD...  runs CMD, prints how long it took (ms)
#   ct_watch_start FILE / ct_watch_stop
#                         record every command line on the machine
#                         (/proc/*/cmdline, polled without pause) into FILE
#                         until ct_watch_stop: a secret must never be in it
#   ct_loopback ADDR      is ADDR (ss's "host:port") on a loopback address?
#   ct_listen_audit PID...  prints every TCP listener (IPv4 and IPv6, from
#                         `ss -ltnp`) of the given processes that is not on
#                         loopback; fails if there is one
#   ct_alive PID          PID runs and has not exited: the launcher's
#                         processes outlive it (orphans), and an orphan that
#                         exits is a zombie until PID 1 reaps it, which
#                         some PID 1s (containers, VMs) do seconds later

# shellcheck source=tests/lib/ports.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/ports.sh"

CT_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/dockerfs.sh
. "$CT_LIB/../lib/dockerfs.sh"

GAME_IMAGE=${GAME_IMAGE:-dockerdoom:latest}
LAUNCHER=$REPO/container/dockerdoom

# Prints a TCP port in 20000-39999 nothing listens on.

ct_listening() {
    ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

# Removes what the launcher of this script started (then dfs_cleanup).
ct_alive() {
    local st
    kill -0 "$1" 2>/dev/null || return 1
    st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    st=${st##*) }
    [ "${st%% *}" != Z ]
}

ct_cleanup() {
    if [ -n "${DOCKERDOOM_RUN:-}" ] && [ -d "$DOCKERDOOM_RUN" ]; then
        "$LAUNCHER" stop >/dev/null 2>&1 || true
    fi
    dfs_cleanup
}

ct_setup() {
    dfs_setup
    trap ct_cleanup EXIT
    export DOCKERDOOM_RUN=$TESTS_TMP/run
    export DOCKERDOOM_NAME=ddgame-$$
    export DOCKERDOOM_IMAGE=$GAME_IMAGE
    export DOCKERDOOM_NO_DEPS=1 DOCKERDOOM_NO_BUILD=1
    export DOCKERDOOM_LOG_DIR=$TESTS_TMP/log
    export DOCKERFS_BIN
    VNC_PORT=$(free_port)
    NOVNC_PORT=$(free_port)
    export VNC_PORT NOVNC_PORT
    unset VNC_PASSWORD VNC_LISTEN DOOM_WARP DOOM_SKILL DOOM_IWAD
}

# Builds the game image on the engine unless it is there already.
ct_image() {
    if docker image inspect "$GAME_IMAGE" >/dev/null 2>&1; then
        return 0
    fi
    note "building $GAME_IMAGE (log: $TESTS_TMP/image-build.log)"
    DOCKERDOOM_IMAGE=$GAME_IMAGE "$REPO/container/image.sh" >"$TESTS_TMP/image-build.log" 2>&1 &&
        return 0
    note "$(tail -n 30 "$TESTS_TMP/image-build.log")"
    return 1
}

ct_launcher() {
    "$LAUNCHER" "$@"
}

ct_game_log() {
    docker logs "$1" 2>&1
}

ct_elapsed_ms() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000))
}

# The host pid of the game process in a container (newest if several).
ct_game_pid() {
    docker top "$1" -o pid,args 2>/dev/null |
        awk '/chocolate-doom -iwad/ { p = $1 } END { if (p) print p }'
}

CT_WATCH_PID=
ct_watch_start() {
    local out=$1
    : >"$out"
    (
        # One grep per sweep reads every cmdline; NULs become spaces later.
        while :; do
            grep -ahs . /proc/[0-9]*/cmdline >>"$out" 2>/dev/null || true
        done
    ) &
    CT_WATCH_PID=$!
}

ct_watch_stop() {
    [ -n "$CT_WATCH_PID" ] || return 0
    kill "$CT_WATCH_PID" 2>/dev/null || true
    wait "$CT_WATCH_PID" 2>/dev/null || true
    CT_WATCH_PID=
}

ct_loopback() {
    case $1 in
        127.*:*|"[::1]":*|"[::ffff:127."*) return 0 ;;
    esac
    return 1
}

ct_listen_audit() {
    local line addr p bad=0
    while IFS= read -r line; do
        addr=$(awk '{print $4}' <<<"$line")
        for p in "$@"; do
            case $line in
                *"pid=$p,"*)
                    if ! ct_loopback "$addr"; then
                        echo "$line"
                        bad=1
                    fi
                    break ;;
            esac
        done
    done < <(ss -Hltnp 2>/dev/null)
    return "$bad"
}
