# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# dockerfs.sh - common ground for the integration tests: an engine, the
# test image, mounting and unmounting dockerfs, and small helpers. Source it
# at the top of a script (it sources tap.sh, engine.sh and image.sh).
#
# Run by tests/run, a script gets the private engine in DOCKER_HOST and its
# own TESTS_TMP. Run alone (tests/integration/10-contract.sh), it starts its
# own private engine and builds what it needs; it never uses an engine the
# user has at /var/run/docker.sock.
#
#   dfs_mount MNT [dockerfs options...]  start dockerfs -f on MNT (stderr to
#                        $DFS_LOG), wait until mounted (DFS_MOUNT_WAIT s,
#                        10); sets DFS_PID, DFS_LOG
#   dfs_stop [SIG]       signal the last dockerfs (TERM) and wait (bounded);
#                        sets DFS_RC (exit status, or 255 if it hung)
#   dfs_mounted MNT      is a FUSE file system mounted on MNT?
#   dfs_alive            is the last dockerfs still running?
#   dfs_san_check LOG    no sanitizer report in a dockerfs log?
#   run_c [docker run options...]  start a test container; prints its id
#   fsop ARGS...         tests/helpers/tools/fsop with a time bound
#   env_args ENV... -- ARGS...  ENV into the array ENV_ARGS; the caller
#                        then does shift "$ENV_SHIFT" to reach ARGS
#   neg_run [ENV...] -- [dockerfs options...]  dockerfs -f (env(1) ENV
#                        arguments) on a fresh mount point, where it must
#                        exit by itself (bounded); sets NEG_RC, NEG_OUT
#                        (its output), NEG_MNT
#   listing MNT          sorted root listing; ps_ids: sorted short ids
#   dfs_wait_listing MNT SECS DESC [SINCE_MS]  ok DESC once the listing of
#                        MNT equals docker ps, within SECS s (the time it
#                        took as a note); else not_ok DESC with both lists

TESTS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=${REPO:-$(cd "$TESTS_LIB/../.." && pwd)}
export REPO
# shellcheck source=tests/lib/tap.sh
. "$TESTS_LIB/tap.sh"
# shellcheck source=tests/lib/engine.sh
. "$TESTS_LIB/engine.sh"
# shellcheck source=tests/lib/image.sh
. "$TESTS_LIB/image.sh"

DOCKERFS_BIN=${DOCKERFS_BIN:-$REPO/build-san/dockerfs}
FSOP=${FSOP:-$REPO/build/tests/helpers/tools/fsop}
FSOP_STATIC=${FSOP_STATIC:-$REPO/build/tests/helpers/tools/fsop.static}
FS_TIMEOUT=${FS_TIMEOUT:-15}
DFS_PIDS=()
DFS_MNTS=()
DFS_N=0
DFS_OWN_ENGINE=0
DFS_OWN_TMP=0

# Stops every dockerfs this script started, unmounts its mount points,
# stops an engine it started itself.
dfs_cleanup() {
    local p m
    for p in "${DFS_PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null || true
    done
    for p in "${DFS_PIDS[@]}"; do
        engine_kill_wait "$p" 0 5 2>/dev/null || kill -KILL "$p" 2>/dev/null || true
    done
    for m in "${DFS_MNTS[@]}"; do
        if dfs_mounted "$m"; then
            fusermount3 -uz "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
        fi
    done
    if [ "$DFS_OWN_ENGINE" = 1 ]; then
        engine_stop 2>/dev/null || true
    fi
    if [ "$DFS_OWN_TMP" = 1 ]; then
        rm -rf "$TESTS_TMP"
    fi
}

# Prepares the script's world: temp dir, engine, image, tools. Must be
# called once, before any test.
dfs_setup() {
    if [ -z "${TESTS_TMP:-}" ]; then
        TESTS_TMP=$(mktemp -d /tmp/ddtest.XXXXXX)
        chmod 0755 "$TESTS_TMP"
        DFS_OWN_TMP=1
    fi
    export TESTS_TMP
    trap dfs_cleanup EXIT
    trap 'exit 130' INT TERM
    if [ -z "${ENGINE_DIR:-}" ]; then
        # Alone: a private engine of our own, never the user's.
        note "no ENGINE_DIR: starting a private engine for this script"
        engine_start || { not_ok "private engine starts"; tap_done; }
        DFS_OWN_ENGINE=1
    fi
    image_build "$TEST_IMAGE" || { not_ok "test image $TEST_IMAGE"; tap_done; }
    if [ ! -x "$FSOP" ]; then
        mkdir -p "$(dirname "$FSOP")"
        cc -std=gnu11 -O2 -o "$FSOP" "$REPO/tests/helpers/tools/fsop.c" ||
            { not_ok "build fsop"; tap_done; }
    fi
    if [ ! -x "$DOCKERFS_BIN" ]; then
        not_ok "dockerfs binary exists ($DOCKERFS_BIN)" "run: make SAN=1"
        tap_done
    fi
    note "dockerfs: $DOCKERFS_BIN; engine: $DOCKER_HOST"
}

# Is a FUSE file system mounted exactly on MNT?
dfs_mounted() {
    awk -v m="$1" '
        { p = $5; gsub(/\\040/, " ", p)
          for (i = 6; i <= NF; i++) if ($i == "-") break
          if (p == m && $(i + 1) ~ /^fuse/) found = 1 }
        END { exit !found }' /proc/self/mountinfo
}

dfs_unmounted() {
    ! dfs_mounted "$1"
}

dfs_alive() {
    kill -0 "$DFS_PID" 2>/dev/null
}

# Starts dockerfs in the foreground (as a background job) and waits until
# the mount answers a listing. Returns 1 (with the log shown) otherwise.
dfs_mount() {
    local mnt=$1
    shift
    mkdir -p "$mnt"
    DFS_N=$((DFS_N + 1))
    DFS_LOG=$TESTS_TMP/dockerfs.$DFS_N.log
    # A background job of a script starts with SIGINT ignored, and libfuse
    # leaves ignored signals alone: give dockerfs the default disposition,
    # as it has when started from a terminal or a service manager.
    env --default-signal=INT,QUIT "$DOCKERFS_BIN" "$mnt" -f "$@" >"$DFS_LOG" 2>&1 &
    DFS_PID=$!
    DFS_PIDS+=("$DFS_PID")
    DFS_MNTS+=("$mnt")
    if wait_until "${DFS_MOUNT_WAIT:-10}" dfs_ready "$mnt"; then
        return 0
    fi
    note "dockerfs did not mount $mnt: $DOCKERFS_BIN $mnt -f $*"
    note "$(tail -n 20 "$DFS_LOG")"
    return 1
}

# The mount is up and a listing of it works (or dockerfs has died).
dfs_ready() {
    if ! dfs_alive; then
        return 0
    fi
    dfs_mounted "$1" && timeout 5 ls "$1" >/dev/null 2>&1
}

# Sends SIG (default TERM) to the last dockerfs and waits up to 10 s for
# it to exit; DFS_RC is its exit status (255: still running, then killed).
# shellcheck disable=SC2034  # DFS_RC is read by the scripts
dfs_stop() {
    local sig=${1:-TERM} i
    DFS_RC=255
    kill "-$sig" "$DFS_PID" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$DFS_PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$DFS_PID" 2>/dev/null; then
        kill -KILL "$DFS_PID" 2>/dev/null || true
        wait "$DFS_PID" 2>/dev/null || true
        return 0
    fi
    DFS_RC=0
    wait "$DFS_PID" 2>/dev/null || DFS_RC=$?
}

# No AddressSanitizer / UBSan / LeakSanitizer report in LOG.
dfs_san_check() {
    ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: UndefinedBehaviorSanitizer' "$1"
}

# Checks the last dockerfs's log for sanitizer reports, as a test line.
check_san() {
    local log=${1:-$DFS_LOG}
    if dfs_san_check "$log"; then
        ok "no sanitizer report in $(basename "$log")"
    else
        not_ok "no sanitizer report in $(basename "$log")" \
            "$(grep -E -A 12 'ERROR: |runtime error:' "$log" | head -n 40)"
    fi
}

# Starts a container of the test image; prints its full id.
# RUN_C_OPTS adds engine-specific options (Podman's ulimits).
run_c() {
    # shellcheck disable=SC2086
    docker run -d --network none ${RUN_C_OPTS:-} "$@" "$TEST_IMAGE"
}

# fsop with a bound: a hung mount prints TIMEOUT instead of hanging.
fsop() {
    local rc=0
    timeout -k 2 "$FS_TIMEOUT" "$FSOP" "$@" || rc=$?
    [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] && echo TIMEOUT
    return 0
}

# Splits "ENV... -- ARGS...": the arguments before "--" go into ENV_ARGS;
# ENV_SHIFT is how many the caller shifts to reach ARGS (the "--" too).
env_args() {
    ENV_ARGS=()
    ENV_SHIFT=0
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        ENV_ARGS+=("$1")
        shift
        ENV_SHIFT=$((ENV_SHIFT + 1))
    done
    [ $# -eq 0 ] || ENV_SHIFT=$((ENV_SHIFT + 1))
}

NEG_N=0
# shellcheck disable=SC2034  # NEG_RC, NEG_OUT: the caller reads them
neg_run() {
    env_args "$@"
    shift "$ENV_SHIFT"
    NEG_N=$((NEG_N + 1))
    NEG_MNT=$TESTS_TMP/neg$NEG_N
    mkdir -p "$NEG_MNT"
    DFS_MNTS+=("$NEG_MNT")
    NEG_RC=0
    NEG_OUT=$(timeout -k 2 30 env "${ENV_ARGS[@]}" "$DOCKERFS_BIN" "$NEG_MNT" -f "$@" 2>&1) ||
        NEG_RC=$?
}

# The first line of fsop's answer (its result).
fsop1() {
    fsop "$@" | head -n 1
}

# Sorted root listing of a mount (names only).
listing() {
    timeout "$FS_TIMEOUT" ls -A "$1" | sort
}

# Sorted short ids of the running containers (as docker ps), or of all
# with -a.
# shellcheck disable=SC2120  # the scripts pass -a
ps_ids() {
    docker ps -q "$@" | sort
}

# Does the root listing of MNT equal docker ps?
dfs_listing_is_ps() {
    [ "$(ps_ids)" = "$(listing "$1")" ]
}

dfs_wait_listing() {
    local mnt=$1 secs=$2 desc=$3 t0=${4:-$(now_ms)}
    if wait_until "$secs" dfs_listing_is_ps "$mnt"; then
        ok "$desc"
        note "caught up after $(( $(now_ms) - t0 )) ms"
    else
        not_ok "$desc" "docker ps: $(ps_ids | tr '\n' ' ')
listing:   $(listing "$mnt" | tr '\n' ' ')"
    fi
}

# Removes every container of the engine (the private one: DOCKER_HOST).
rm_all() {
    local ids
    ids=$(docker ps -aq)
    if [ -n "$ids" ]; then
        # shellcheck disable=SC2086
        docker rm -f $ids >/dev/null 2>&1
    fi
    return 0
}

# Container state as the engine says, or "gone".
c_state() {
    local s
    if s=$(docker inspect -f '{{.State.Status}}' "$1" 2>/dev/null); then
        echo "$s"
    else
        echo gone
    fi
}

# Is a name present / absent in the root listing?
listed() {
    timeout 5 ls -A "$1" | grep -qx "$2"
}
unlisted() {
    ! timeout 5 ls -A "$1" | grep -qx "$2"
}

# Gives this script a private engine of its own, for tests that stop or
# crash the engine: the runner's stays untouched. The test image is built
# there; at exit dfs_cleanup runs and the first engine, if this script
# started that one too, is stopped as well.
dfs_own_engine() {
    DFS_OUTER_ENGINE_DIR=${ENGINE_DIR:-}
    DFS_OUTER_OWN=$DFS_OWN_ENGINE
    engine_start "$(mktemp -d /tmp/ddeng2.XXXXXX)" ||
        { not_ok "second private engine starts"; tap_done; }
    DFS_OWN_ENGINE=1
    trap dfs_restore_outer EXIT
    image_build "$TEST_IMAGE" || { not_ok "test image on the second engine"; tap_done; }
    note "engine for this test: $DOCKER_HOST"
}

dfs_restore_outer() {
    dfs_cleanup
    if [ "$DFS_OUTER_OWN" = 1 ] && [ -n "$DFS_OUTER_ENGINE_DIR" ]; then
        ENGINE_DIR=$DFS_OUTER_ENGINE_DIR engine_stop
    fi
}
