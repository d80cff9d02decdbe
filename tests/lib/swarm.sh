# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# swarm.sh - a real two-node Docker Swarm on one machine, for tests.
# Source it (after engine.sh), then:
#
#   swarm_start [DIR]    makes two network namespaces joined by a veth pair
#                        (10.231.0.1/24 and 10.231.0.2/24, addresses that
#                        exist only inside them), starts a dockerd in each
#                        with `nsenter --net=` (not `ip netns exec`, which
#                        remounts /sys and hides the cgroup mounts) with its
#                        own socket, data root, exec root and pid file under
#                        SWARM_DIR (DIR, default a new /tmp/ddsw.XXXXXX; keep
#                        it short, sockets must fit in sun_path), makes node 1 a manager (swarm init
#                        --advertise-addr, a dispatcher heartbeat of 2 s) and
#                        joins node 2 as a worker.
#                        Sets SWARM_DIR, SWARM_HOST1, SWARM_HOST2 (unix://
#                        socket URLs). Returns 1 with a reason on stderr.
#   swarm_docker N ARGS  the docker CLI against node N (1 or 2) only
#   swarm_load_image IMG copies IMG from the engine DOCKER_HOST points at
#                        into both nodes (docker save | docker load; no
#                        registry anywhere)
#   swarm_stop           leaves the swarm on both nodes, stops both engines
#                        and all they started, deletes both namespaces and
#                        SWARM_DIR. Safe to call twice or after a failed
#                        start; callers put it in their EXIT trap.
#
# For test scripts (tap.sh loaded, TESTS_TMP set), each step one check
# that ends the script (tap_done) when it fails:
#
#   swarm_test_start     swarm_start under TESTS_TMP (when the path is
#                        short enough for sockets); sets NS1 and NS2
#   swarm_test_service N loads TEST_IMAGE into both nodes, makes the
#                        service web of N replicas, at most N/2 a node,
#                        and waits until N/2 run on each node
#   swarm_tasks N        running task containers of web on node N (1 or
#                        2), short ids, sorted
#   swarm_spread         whether N/2 tasks of web run on each node
#   swarm_gone N ID      node N's engine has no container ID (any state)
#   swarm_test_replaced WHAT MNT COUNT ID T0
#                        one check WHAT: within 30 s MNT lists COUNT
#                        entries again and ID is not among them (the swarm
#                        replaced a killed task); notes the ms since T0
#   swarm_test_stop      swarm_stop, then checks both namespaces are gone
#
# All swarm traffic (2377, 7946, 4789) stays on the veth pair between the
# two namespaces; the host's namespace sees none of it. The test talks to
# the engines only through their unix sockets.

SWARM_NET=${SWARM_NET:-10.231.0}
SWARM_START_TIMEOUT=${SWARM_START_TIMEOUT:-60}
SWARM_DIR=
SWARM_NS=()

swarm_docker() {
    local n=$1
    shift
    docker -H "unix://$SWARM_DIR/n$n/docker.sock" "$@"
}

# Makes both namespaces and the veth pair between them. Both ends are
# created directly inside their namespace, so no interface ever exists in
# the host's.
swarm_netns() {
    local tag=$1 i
    SWARM_NS=("ddsw$tag-1" "ddsw$tag-2")
    for i in 0 1; do
        ip netns add "${SWARM_NS[$i]}" || return 1
    done
    ip link add eth0 netns "${SWARM_NS[0]}" type veth \
        peer name eth0 netns "${SWARM_NS[1]}" || return 1
    for i in 0 1; do
        ip -n "${SWARM_NS[$i]}" addr add "$SWARM_NET.$((i + 1))/24" dev eth0 &&
            ip -n "${SWARM_NS[$i]}" link set eth0 up &&
            ip -n "${SWARM_NS[$i]}" link set lo up || return 1
    done
}

# Starts the dockerd of node N inside its namespace; waits until it answers.
swarm_engine_up() {
    local n=$1 d=$SWARM_DIR/n$1 ns=${SWARM_NS[$(($1 - 1))]}
    # shellcheck disable=SC2034  # read by dockerd_launch
    local -a DOCKERD_WRAP=(nsenter --net="/run/netns/$ns")
    # No --live-restore: swarm mode refuses it. The bridge and iptables
    # rules, if any, live in the node's own namespace.
    dockerd_launch "$d"
    dockerd_wait "$d" "$DOCKERD_PID" "$SWARM_START_TIMEOUT" && return 0
    echo "swarm: node $n's dockerd did not come up; last lines of $d/dockerd.log:" >&2
    tail -n 20 "$d/dockerd.log" >&2
    return 1
}

swarm_start() {
    local token
    command -v nsenter >/dev/null && command -v ip >/dev/null ||
        { echo "swarm: needs nsenter (util-linux) and ip (iproute2)" >&2; return 1; }
    if [ -n "${1:-}" ]; then
        SWARM_DIR=$1
        mkdir -p "$SWARM_DIR" || return 1
    else
        SWARM_DIR=$(mktemp -d /tmp/ddsw.XXXXXX) || return 1
    fi
    swarm_netns "$$-$RANDOM" ||
        { echo "swarm: cannot make the network namespaces" >&2; return 1; }
    swarm_engine_up 1 && swarm_engine_up 2 || return 1
    # A heartbeat of 2 s (default 5): the manager marks a silent node
    # down after a few missed ones, 6-7 s here instead of 10-15.
    swarm_docker 1 swarm init --advertise-addr "$SWARM_NET.1" \
        --listen-addr "$SWARM_NET.1:2377" --dispatcher-heartbeat 2s >/dev/null ||
        { echo "swarm: swarm init failed" >&2; return 1; }
    token=$(swarm_docker 1 swarm join-token -q worker) || return 1
    swarm_docker 2 swarm join --token "$token" --advertise-addr "$SWARM_NET.2" \
        --listen-addr "$SWARM_NET.2:2377" "$SWARM_NET.1:2377" >/dev/null ||
        { echo "swarm: node 2 could not join" >&2; return 1; }
    SWARM_HOST1=unix://$SWARM_DIR/n1/docker.sock
    SWARM_HOST2=unix://$SWARM_DIR/n2/docker.sock
    export SWARM_DIR SWARM_HOST1 SWARM_HOST2
}

swarm_load_image() {
    local img=$1 n
    for n in 1 2; do
        docker save "$img" | swarm_docker "$n" load >/dev/null || return 1
    done
}

swarm_stop() {
    local n d i
    [ -n "$SWARM_DIR" ] || return 0
    local -a svcs
    for n in 2 1; do
        d=$SWARM_DIR/n$n
        [ -S "$d/docker.sock" ] || continue
        # The services first, so the swarm does not restart what
        # engine_stop removes.
        if [ "$n" = 1 ]; then
            mapfile -t svcs < <(timeout 10 docker -H "unix://$d/docker.sock" \
                                service ls -q 2>/dev/null)
            [ ${#svcs[@]} -gt 0 ] && timeout 20 docker -H "unix://$d/docker.sock" \
                service rm "${svcs[@]}" >/dev/null 2>&1
        fi
        timeout 20 docker -H "unix://$d/docker.sock" swarm leave --force \
            >/dev/null 2>&1 || true
    done
    for n in 1 2; do
        d=$SWARM_DIR/n$n
        [ -d "$d" ] || continue
        ENGINE_DIR=$d ENGINE_PID=$(cat "$d/dockerd.launch-pid" 2>/dev/null || echo 0) \
            engine_stop >/dev/null 2>&1 || true
    done
    for i in "${!SWARM_NS[@]}"; do
        ip netns del "${SWARM_NS[$i]}" 2>/dev/null || true
    done
    SWARM_NS=()
    rm -rf "$SWARM_DIR" 2>/dev/null || true
    SWARM_DIR=
}

swarm_test_start() {
    local sw=
    # Under the script's own dir when the path is short enough for
    # sockets, so the runner's sweep of TESTS_TMP also catches anything
    # left behind.
    [ ${#TESTS_TMP} -le 48 ] && sw=$TESTS_TMP/sw
    if swarm_start ${sw:+"$sw"} 2>"$TESTS_TMP/swarm.err"; then
        ok "two-node swarm: a dockerd in each of two namespaces, node 2 joined node 1"
    else
        not_ok "two-node swarm starts" "$(cat "$TESTS_TMP/swarm.err")"
        tap_done
    fi
    NS1=${SWARM_NS[0]}
    NS2=${SWARM_NS[1]}
}

SWARM_TASKS=0

swarm_tasks() {
    swarm_docker "$1" ps -q --filter label=com.docker.swarm.service.name=web | sort
}

swarm_spread() {
    [ "$(swarm_tasks 1 | wc -l)" -eq $((SWARM_TASKS / 2)) ] &&
        [ "$(swarm_tasks 2 | wc -l)" -eq $((SWARM_TASKS / 2)) ]
}

# The output is captured before grep: under pipefail a grep -q that stops
# at a match could SIGPIPE the writer and turn the match into "gone".
swarm_gone() {
    local all
    all=$(swarm_docker "$1" ps -aq --no-trunc) && ! grep -q "^$2" <<<"$all"
}

swarm_replaced() {
    local now
    now=$(listing "$1")
    [ "$(echo "$now" | grep -c .)" -eq "$2" ] && ! echo "$now" | grep -qx "$3"
}

swarm_test_replaced() {
    local what=$1 mnt=$2 count=$3 id=$4 t0=$5
    if wait_until 30 swarm_replaced "$mnt" "$count" "$id"; then
        ok "$what"
        note "killed to replacement listed: $(( $(now_ms) - t0 )) ms"
    else
        not_ok "$what" "listing: $(listing "$mnt" | tr '\n' ' '); tasks: $(swarm_tasks 1 | tr '\n' ' ')| $(swarm_tasks 2 | tr '\n' ' ')"
    fi
}

swarm_test_service() {
    local n=$1 t out
    SWARM_TASKS=$n
    check "the test image is loaded into both nodes (save | load)" \
        swarm_load_image "$TEST_IMAGE"
    # dnsrr and no published port: no ingress network, no routing mesh.
    # --restart-delay 0s: the swarm replaces a killed task at once.
    if out=$(swarm_docker 1 service create -d --name web --replicas "$n" \
        --replicas-max-per-node $((n / 2)) --no-resolve-image --endpoint-mode dnsrr \
        --restart-delay 0s --stop-grace-period 1s "$TEST_IMAGE" 2>&1); then
        ok "service web: $n replicas, at most $((n / 2)) per node"
    else
        not_ok "service web: $n replicas, at most $((n / 2)) per node" "$out"
        tap_done
    fi
    t=$(now_ms)
    if wait_until 60 swarm_spread; then
        ok "$n tasks running, $((n / 2)) on each node"
        note "converged in $(( $(now_ms) - t )) ms"
    else
        not_ok "$n tasks running, $((n / 2)) on each node" \
            "$(swarm_docker 1 service ps web --no-trunc 2>&1 | head -n 12)"
        tap_done
    fi
}

swarm_test_stop() {
    swarm_stop
    if grep -qE "^($NS1|$NS2)( |\$)" <<<"$(ip netns list)"; then
        not_ok "both namespaces are deleted" "$(ip netns list)"
    else
        ok "both namespaces are deleted (ip netns list)"
    fi
}
