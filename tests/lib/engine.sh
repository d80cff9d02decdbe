# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# engine.sh - a private Docker engine (and optionally a Podman service) for
# tests. Source it, then:
#
#   engine_start [DIR]   start dockerd in DIR (default: a new temp dir) with
#                        its own socket, data root, exec root and pid file;
#                        waits until it answers; exports DOCKER_HOST,
#                        ENGINE_DIR, ENGINE_PID. Returns 1 (log shown) if it
#                        does not come up within ENGINE_START_TIMEOUT s.
#   engine_down          stop dockerd but keep DIR and its containers (the
#                        engine runs with --live-restore, so they keep
#                        running); for "engine lost while mounted" tests
#   engine_up            start dockerd again on the same DIR and socket
#   ENGINE_ARGS          extra dockerd options for engine_start/engine_up
#                        (words split at spaces: --host tcp://..., TLS)
#   engine_stop          remove every container of this engine, stop
#                        dockerd, containerd and every shim it started,
#                        unmount what is left under DIR, remove DIR
#   dockerd_launch DIR [OPTION...] / dockerd_wait DIR PID SECS
#                        the bare start of a dockerd on DIR and the wait
#                        for it to answer (engine_up, the swarm nodes and
#                        the TLS test use them)
#   podman_start [DIR] / podman_stop
#                        the same for `podman system service` (if podman
#                        is installed); exports DOCKER_HOST, PODMAN_DIR
#
# Nothing here ever talks to /var/run/docker.sock: every docker command
# carries -H with the private socket.

# shellcheck source=tests/lib/proc.sh
. "$(dirname "${BASH_SOURCE[0]}")/proc.sh"

ENGINE_START_TIMEOUT=${ENGINE_START_TIMEOUT:-60}
ENGINE_STOP_TIMEOUT=${ENGINE_STOP_TIMEOUT:-20}

# Runs the docker CLI against the private engine only.
engine_docker() {
    docker -H "unix://$ENGINE_DIR/docker.sock" "$@"
}

# Starts dockerd in the background on DIR: its socket DIR/docker.sock,
# data and exec roots, pid file, log DIR/dockerd.log and config file
# DIR/daemon.json (made empty when missing), with the bridge, iptables and
# userland proxy off, and the given dockerd OPTIONs. Sets DOCKERD_PID.
# DOCKERD_WRAP (array, e.g. a function's local): a command to run dockerd
# under (nsenter ...).
DOCKERD_WRAP=()
dockerd_launch() {
    local d=$1
    shift
    mkdir -p "$d/data" "$d/exec"
    # An empty config file keeps a host /etc/docker/daemon.json (which may
    # name hosts, registries or a data root) out of the test engine.
    [ -f "$d/daemon.json" ] || echo '{}' >"$d/daemon.json"
    rm -f "$d/docker.sock" "$d/dockerd.pid"
    # setsid: Ctrl-C in the terminal reaches the runner, whose trap stops
    # the engine in order, not dockerd directly.
    setsid "${DOCKERD_WRAP[@]}" dockerd \
        --host "unix://$d/docker.sock" \
        --data-root "$d/data" \
        --exec-root "$d/exec" \
        --pidfile "$d/dockerd.pid" \
        --config-file "$d/daemon.json" \
        --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
        --userland-proxy=false "$@" \
        >>"$d/dockerd.log" 2>&1 </dev/null &
    DOCKERD_PID=$!
    echo "$DOCKERD_PID" >"$d/dockerd.launch-pid"
}

# Waits until the dockerd on DIR's socket answers: 0, or 1 when PID has
# died or SECS have passed.
dockerd_wait() {
    local d=$1 pid=$2 secs=$3 i
    for ((i = 0; i < secs * 10; i++)); do
        if env -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH \
            docker -H "unix://$d/docker.sock" version >/dev/null 2>&1; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# Launches dockerd on ENGINE_DIR and waits until it answers.
engine_up() {
    local d=$ENGINE_DIR
    [ -n "$d" ] || { echo "engine_up: ENGINE_DIR is not set" >&2; return 1; }
    # shellcheck disable=SC2086  # ENGINE_ARGS: words of options
    dockerd_launch "$d" --live-restore ${ENGINE_ARGS:-}
    ENGINE_PID=$DOCKERD_PID
    if dockerd_wait "$d" "$ENGINE_PID" "$ENGINE_START_TIMEOUT"; then
        export DOCKER_HOST="unix://$d/docker.sock" ENGINE_DIR ENGINE_PID
        return 0
    fi
    echo "engine: dockerd did not come up; last lines of $d/dockerd.log:" >&2
    tail -n 20 "$d/dockerd.log" >&2
    return 1
}

# Starts a private engine in DIR or a new temp dir.
engine_start() {
    unset DOCKER_CONTEXT
    if [ -n "${1:-}" ]; then
        ENGINE_DIR=$1
        mkdir -p "$ENGINE_DIR"
    else
        # Short path: the socket path must fit in sun_path (108 bytes).
        ENGINE_DIR=$(mktemp -d /tmp/ddeng.XXXXXX)
    fi
    export ENGINE_DIR
    engine_up
}

# Sends a signal to a pid and waits until it is gone (bounded).
engine_kill_wait() {
    local pid=$1 sig=$2 secs=$3 i
    kill "-$sig" "$pid" 2>/dev/null || return 0
    for ((i = 0; i < secs * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    return 1
}

# Stops dockerd (TERM, then KILL) but leaves the directory and, thanks to
# --live-restore, the running containers.
engine_down() {
    local pid
    pid=$(cat "$ENGINE_DIR/dockerd.pid" 2>/dev/null || cat "$ENGINE_DIR/dockerd.launch-pid" 2>/dev/null || true)
    if [ -n "$pid" ]; then
        engine_kill_wait "$pid" TERM "$ENGINE_STOP_TIMEOUT" ||
            engine_kill_wait "$pid" KILL 5 || true
    fi
    # The launch pid is our child: reap it so it is not left a zombie.
    wait "${ENGINE_PID:-0}" 2>/dev/null || true
}

# Pids of every process whose command line names DIR (containerd, the
# shims, dockerd), plus all their descendants (the containers' processes).
engine_pids_under() {
    proc_naming --tree "$1"
}

# Removes every container of the private engine, stops it and all it
# started, unmounts leftovers under its directory and removes it.
engine_stop() {
    local d=${ENGINE_DIR:-} ids m i
    [ -n "$d" ] && [ -d "$d" ] || return 0
    if [ -S "$d/docker.sock" ]; then
        ids=$(timeout 20 docker -H "unix://$d/docker.sock" ps -aq 2>/dev/null || true)
        if [ -n "$ids" ]; then
            # shellcheck disable=SC2086
            timeout 60 docker -H "unix://$d/docker.sock" rm -f $ids >/dev/null 2>&1 || true
        fi
    fi
    engine_down
    # --live-restore leaves shims running by design; and a crashed dockerd
    # may leave containerd. TERM, then KILL what is left after 0.3 s (or
    # as soon as nothing is).
    local -a left
    mapfile -t left < <(engine_pids_under "$d")
    if [ ${#left[@]} -gt 0 ]; then
        kill -TERM "${left[@]}" 2>/dev/null || true
        for ((i = 0; i < 6 && ${#left[@]} > 0; i++)); do
            sleep 0.05
            mapfile -t left < <(engine_pids_under "$d")
        done
        [ ${#left[@]} -eq 0 ] || kill -KILL "${left[@]}" 2>/dev/null || true
    fi
    # Deepest mounts first (overlay layers, netns, shm).
    mounts_under "$d" | while IFS= read -r m; do
        umount -l "$m" 2>/dev/null || true
    done
    rm -rf "$d" 2>/dev/null || { sleep 1; rm -rf "$d" || true; }
    unset ENGINE_DIR ENGINE_PID
}

# Podman's storage driver for the tests: vfs works on any backing file
# system; overlay fails when the test directory is itself on overlayfs
# (CI runners in containers: "'overlay' is not supported over overlayfs").
PODMAN_STORAGE_DRIVER=${PODMAN_STORAGE_DRIVER:-vfs}

# Starts `podman system service` on its own socket (Docker-compatible API)
# with its own storage, so it never touches a user's Podman containers.
podman_start() {
    local i
    command -v podman >/dev/null || { echo "podman_start: podman is not installed" >&2; return 1; }
    if [ -n "${1:-}" ]; then
        PODMAN_DIR=$1
        mkdir -p "$PODMAN_DIR"
    else
        PODMAN_DIR=$(mktemp -d /tmp/ddpod.XXXXXX)
    fi
    export PODMAN_DIR
    mkdir -p "$PODMAN_DIR/root" "$PODMAN_DIR/runroot" "$PODMAN_DIR/tmp"
    setsid podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/runroot" \
        --tmpdir "$PODMAN_DIR/tmp" --storage-driver "$PODMAN_STORAGE_DRIVER" \
        system service --time=0 "unix://$PODMAN_DIR/podman.sock" \
        >>"$PODMAN_DIR/podman.log" 2>&1 </dev/null &
    PODMAN_PID=$!
    export PODMAN_PID
    for ((i = 0; i < ENGINE_START_TIMEOUT * 10; i++)); do
        if curl -sf --unix-socket "$PODMAN_DIR/podman.sock" http://d/v1.41/version >/dev/null 2>&1; then
            export DOCKER_HOST="unix://$PODMAN_DIR/podman.sock"
            return 0
        fi
        kill -0 "$PODMAN_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "podman: service did not come up; last lines of $PODMAN_DIR/podman.log:" >&2
    tail -n 20 "$PODMAN_DIR/podman.log" >&2
    return 1
}

# Podman's counterpart of the docker CLI on the private storage.
podman_private() {
    podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/runroot" \
        --tmpdir "$PODMAN_DIR/tmp" --storage-driver "$PODMAN_STORAGE_DRIVER" "$@"
}

# Removes the Podman service's containers, stops it, cleans its directory.
podman_stop() {
    local d=${PODMAN_DIR:-} m
    [ -n "$d" ] && [ -d "$d" ] || return 0
    timeout 60 podman --root "$d/root" --runroot "$d/runroot" --tmpdir "$d/tmp" \
        --storage-driver "$PODMAN_STORAGE_DRIVER" rm -af -t 0 >/dev/null 2>&1 || true
    [ -n "${PODMAN_PID:-}" ] && { engine_kill_wait "$PODMAN_PID" TERM 10 || engine_kill_wait "$PODMAN_PID" KILL 5 || true; }
    wait "${PODMAN_PID:-0}" 2>/dev/null || true
    local -a left
    mapfile -t left < <(engine_pids_under "$d")
    [ ${#left[@]} -eq 0 ] || kill -KILL "${left[@]}" 2>/dev/null || true
    mounts_under "$d" | while IFS= read -r m; do umount -l "$m" 2>/dev/null || true; done
    podman_private system reset -f >/dev/null 2>&1 || true
    rm -rf "$d" 2>/dev/null || true
    unset PODMAN_DIR PODMAN_PID
}
