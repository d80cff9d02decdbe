#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 40-vfs.sh - the game image on a second private engine with the vfs
# storage driver (Docker-in-Docker, rootless, btrfs/zfs hosts use other
# drivers than overlay2, and vfs keeps every file mode as the image has
# it). The image built on the overlay2 engine (10-image.sh) is moved over
# with docker save | docker load; then: its / is mode 755, tini and the
# entrypoint start as the image's non-root user, and the launcher
# (container/dockerdoom play) starts the hardened game on that engine.
set -euo pipefail
# shellcheck source=tests/container/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ct_setup
ct_image || { not_ok "game image $GAME_IMAGE"; tap_done; }

MAIN_HOST=$DOCKER_HOST
MAIN_DIR=${ENGINE_DIR:-}
MAIN_PID=${ENGINE_PID:-}
VFS_DIR=$(mktemp -d /tmp/ddvfs.XXXXXX)
VFS_PID=
# shellcheck disable=SC2317  # called by the trap
vfs_cleanup() {
    ct_cleanup_vfs_game
    if [ -n "$VFS_DIR" ]; then
        (ENGINE_DIR=$VFS_DIR ENGINE_PID=$VFS_PID; engine_stop) >/dev/null 2>&1 || true
    fi
    DOCKER_HOST=$MAIN_HOST ENGINE_DIR=$MAIN_DIR ENGINE_PID=$MAIN_PID
    export DOCKER_HOST ENGINE_DIR ENGINE_PID
    ct_cleanup
}
# shellcheck disable=SC2317
ct_cleanup_vfs_game() {
    if [ -n "${VFS_HOST:-}" ] && [ -d "$DOCKERDOOM_RUN" ]; then
        DOCKER_HOST=$VFS_HOST "$LAUNCHER" stop >/dev/null 2>&1 || true
    fi
}
trap vfs_cleanup EXIT

# engine_up starts dockerd on ENGINE_DIR with ENGINE_DIR/daemon.json.
echo '{"storage-driver": "vfs"}' >"$VFS_DIR/daemon.json"
if ENGINE_DIR=$VFS_DIR engine_up; then
    VFS_HOST=$DOCKER_HOST
    VFS_PID=$ENGINE_PID
    ok "a second private engine with the vfs storage driver"
else
    not_ok "a second private engine with the vfs storage driver"
    tap_done
fi
DOCKER_HOST=$MAIN_HOST ENGINE_DIR=$MAIN_DIR ENGINE_PID=$MAIN_PID
export DOCKER_HOST ENGINE_DIR ENGINE_PID
vdocker() { docker -H "$VFS_HOST" "$@"; }
check_eq "its storage driver is vfs" vfs "$(vdocker info -f '{{.Driver}}')"

t0=$SECONDS
if docker save "$GAME_IMAGE" | vdocker load >"$TESTS_TMP/load.log" 2>&1; then
    ok "docker save | docker load of $GAME_IMAGE onto the vfs engine ($((SECONDS - t0)) s)"
else
    not_ok "docker save | docker load of $GAME_IMAGE onto the vfs engine" "$(cat "$TESTS_TMP/load.log")"
    tap_done
fi

# shellcheck disable=SC2016  # expanded in the container
check_eq "on vfs: / is mode 755 and a non-root user can list it" "755 1000 ok" \
    "$(vdocker run --rm --network none --entrypoint /bin/sh "$GAME_IMAGE" \
        -c 'echo $(stat -c %a /) $(id -u) $(ls / >/dev/null && echo ok)' 2>&1)"
check_eq "on vfs: tini runs as the image's user" "ok" \
    "$(vdocker run --rm --network none --entrypoint /usr/bin/tini "$GAME_IMAGE" -- /bin/echo ok 2>&1)"

C=ddvfs-$$
vdocker run -d --name "$C" --network none --read-only --tmpfs /tmp \
    --cap-drop ALL --security-opt no-new-privileges "$GAME_IMAGE" >/dev/null
started() { vdocker logs "$C" 2>&1 | grep -q 'starting game (run 1)'; }
if wait_until 60 started; then
    ok "on vfs: the entrypoint starts Xvfb, VNC and the game"
else
    not_ok "on vfs: the entrypoint starts Xvfb, VNC and the game" "$(vdocker logs "$C" 2>&1 | tail -n 20)"
fi
check_eq "on vfs: PID 1 is tini, as uid 1000" "1000 /usr/bin/tini" \
    "$(vdocker exec "$C" sh -c 'echo $(stat -c %u /proc/1) $(tr "\0" " " </proc/1/cmdline | cut -d" " -f1)')"
vdocker rm -f "$C" >/dev/null 2>&1 || true

# The launcher on the vfs engine, as `make play` runs it there.
if DOCKER_HOST=$VFS_HOST ct_launcher play >"$TESTS_TMP/play.out" 2>&1; then
    ok "on vfs: dockerdoom play starts the hardened game"
else
    not_ok "on vfs: dockerdoom play starts the hardened game" "$(tail -n 20 "$TESTS_TMP/play.out")"
fi
if wait_until 10 curl -sf "http://127.0.0.1:$NOVNC_PORT/vnc.html" -o /dev/null; then
    ok "on vfs: noVNC answers through the forwarder"
else
    not_ok "on vfs: noVNC answers through the forwarder"
fi
check "on vfs: dockerdoom stop" env DOCKER_HOST="$VFS_HOST" "$LAUNCHER" stop

tap_done
