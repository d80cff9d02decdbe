#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# dockerfs on a real two-node Docker Swarm (tests/lib/swarm.sh: two network
# namespaces, a dockerd in each, a manager and a worker). A replicated
# service of 4 tasks, at most 2 per node, spreads 2 and 2. A mount on each
# node's engine lists that node's tasks; killing a task through the
# manager's mount removes its container, and the swarm's replacement (same
# slot, a new task) appears in the same mount, because the worker is full.
# The worker's mount is untouched. At the end both namespaces are gone.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
. "$(dirname "$0")/../lib/swarm.sh"

dfs_setup
swarm_cleanup() {
    dfs_cleanup
    swarm_stop
}
trap swarm_cleanup EXIT
T0=$(now_ms)

# Under the script's own dir when the path is short enough for sockets, so
# the runner's sweep of TESTS_TMP also catches anything left behind.
SW=
[ ${#TESTS_TMP} -le 48 ] && SW=$TESTS_TMP/sw
if swarm_start $SW 2>"$TESTS_TMP/swarm.err"; then
    ok "two-node swarm: a dockerd in each of two namespaces, node 2 joined node 1"
else
    not_ok "two-node swarm starts" "$(cat "$TESTS_TMP/swarm.err")"
    tap_done
fi
NS1=${SWARM_NS[0]}
NS2=${SWARM_NS[1]}
note "namespaces $NS1 $NS2; engines $SWARM_HOST1 $SWARM_HOST2"
check_eq "the manager sees two ready nodes" "Ready Ready" \
    "$(swarm_docker 1 node ls --format '{{.Status}}' | tr '\n' ' ' | sed 's/ $//')"
check "the host's namespace has no $SWARM_NET address" \
    bash -c "! ip -o addr show | grep -qF '$SWARM_NET.'"
check "the test image is loaded into both nodes (save | load)" swarm_load_image "$TEST_IMAGE"

# dnsrr and no published port: no ingress network, no routing mesh.
# --restart-delay 0s: the swarm replaces a killed task at once.
if out=$(swarm_docker 1 service create -d --name web --replicas 4 \
    --replicas-max-per-node 2 --no-resolve-image --endpoint-mode dnsrr \
    --restart-delay 0s --stop-grace-period 1s "$TEST_IMAGE" 2>&1); then
    ok "service web: 4 replicas, at most 2 per node"
else
    not_ok "service web: 4 replicas, at most 2 per node" "$out"
    tap_done
fi

# Running task containers of the service on node N, sorted short ids.
tasks() {
    swarm_docker "$1" ps -q --filter label=com.docker.swarm.service.name=web | sort
}
two_each() {
    [ "$(tasks 1 | wc -l)" -eq 2 ] && [ "$(tasks 2 | wc -l)" -eq 2 ]
}
t=$(now_ms)
if wait_until 60 two_each; then
    ok "4 tasks running, 2 on each node"
    note "converged in $(( $(now_ms) - t )) ms"
else
    not_ok "4 tasks running, 2 on each node" \
        "$(swarm_docker 1 service ps web --no-trunc 2>&1 | head -n 12)"
    tap_done
fi

M1=$TESTS_TMP/manager
M2=$TESTS_TMP/worker
dfs_mount "$M2" --host "$SWARM_HOST2" && PID2=$DFS_PID ||
    { not_ok "dockerfs mounts the worker's engine" "$(tail -n 5 "$DFS_LOG")"; tap_done; }
LOG2=$DFS_LOG
dfs_mount "$M1" --host "$SWARM_HOST1" && PID1=$DFS_PID ||
    { not_ok "dockerfs mounts the manager's engine" "$(tail -n 5 "$DFS_LOG")"; tap_done; }
LOG1=$DFS_LOG
ok "dockerfs mounted on both nodes' engines"
check_eq "the manager's mount lists the manager's tasks" "$(tasks 1)" "$(listing "$M1")"
check_eq "the worker's mount lists the worker's tasks" "$(tasks 2)" "$(listing "$M2")"
BEFORE2=$(listing "$M2")

# A task's container is named SERVICE.SLOT.TASKID by the swarm.
VICTIM=$(listing "$M1" | head -n 1)
VNAME=$(timeout 5 cat "$M1/$VICTIM/name")
SLOT=$(echo "$VNAME" | cut -d. -f2)
if [[ $VNAME =~ ^web\.[1-4]\.[a-z0-9]{25}$ ]]; then
    ok "a task's name file says service.slot.task ($VNAME)"
else
    not_ok "a task's name file says service.slot.task" "name: $VNAME"
fi
check_eq "its labels file names the service" "com.docker.swarm.service.name=web" \
    "$(grep -h '^com.docker.swarm.service.name=' "$M1/$VICTIM/labels")"
SURVIVOR=$(listing "$M1" | grep -vx "$VICTIM")

t=$(now_ms)
if out=$(timeout "$FS_TIMEOUT" bash -c "echo 1 > '$M1/$VICTIM/kill'" 2>&1); then
    ok "echo 1 > kill on a task succeeds"
else
    not_ok "echo 1 > kill on a task succeeds" "$out"
fi
# Output is captured before grep: under pipefail a grep -q that stops at
# a match could SIGPIPE the writer and turn the match into "gone".
victim_gone() { local all; all=$(swarm_docker 1 ps -aq --no-trunc) && ! grep -q "^$VICTIM" <<<"$all"; }
check "the manager's engine no longer has the killed container" wait_until 10 victim_gone
check "it leaves the manager's mount" wait_until 10 unlisted "$M1" "$VICTIM"

# The replacement: a new container on the manager (the worker has its 2).
replaced() {
    local now
    now=$(listing "$M1")
    [ "$(echo "$now" | grep -c .)" -eq 2 ] && ! echo "$now" | grep -qx "$VICTIM"
}
if wait_until 30 replaced; then
    ok "the swarm's replacement appears in the manager's mount"
    note "killed to replacement listed: $(( $(now_ms) - t )) ms"
else
    not_ok "the swarm's replacement appears in the manager's mount" \
        "listing: $(listing "$M1" | tr '\n' ' '); tasks: $(tasks 1 | tr '\n' ' ')"
fi
NEW=$(listing "$M1" | grep -vx "$SURVIVOR" | head -n 1)
NNAME=
[ -n "$NEW" ] && NNAME=$(timeout 5 cat "$M1/$NEW/name")
if [[ $NNAME == web.$SLOT.* ]] && [ "$NNAME" != "$VNAME" ]; then
    ok "the replacement keeps the slot (web.$SLOT) with a new task"
    note "$VNAME -> $NNAME"
else
    not_ok "the replacement keeps the slot (web.$SLOT) with a new task" \
        "names: $(for i in $(listing "$M1"); do cat "$M1/$i/name"; echo; done | tr '\n' ' ')"
fi
check_eq "the manager's mount equals its engine again" "$(tasks 1)" "$(listing "$M1")"
check "the service is back to 4 running tasks, 2 per node" wait_until 20 two_each
check_eq "the worker's mount is untouched" "$BEFORE2" "$(listing "$M2")"

# ------------------------------------------------------------ one mount, both nodes

MF=$TESTS_TMP/fleet
dfs_mount "$MF" --host "n1=$SWARM_HOST1" --host "n2=$SWARM_HOST2" && PIDF=$DFS_PID ||
    { not_ok "dockerfs mounts both nodes' engines in one mount" "$(tail -n 5 "$DFS_LOG")"; tap_done; }
LOGF=$DFS_LOG
both() { { tasks 1; tasks 2; } | sort; }
check_eq "one mount over both nodes lists the 4 tasks" "$(both)" "$(listing "$MF")"
check_eq "4 of them" 4 "$(listing "$MF" | grep -c .)"
FV=$(tasks 2 | head -n 1)
check_eq "a worker's task: its engine file says n2" n2 "$(timeout 5 cat "$MF/$FV/engine")"
FVNAME=$(timeout 5 cat "$MF/$FV/name")
check_eq "it resolves as name@n2" "$FV" "$(readlink "$MF/$FVNAME@n2")"
check_eq "not as name@n1" ENOENT "$(fsop1 readlink "$MF/$FVNAME@n1")"
t=$(now_ms)
check_eq "kill the worker's task through the one mount: OK" OK "$(fsop1 write "$MF/$FV/kill" 1)"
fv_gone() { local all; all=$(swarm_docker 2 ps -aq --no-trunc) && ! grep -q "^$FV" <<<"$all"; }
check "the worker's engine no longer has it" wait_until 10 fv_gone
f_replaced() {
    local now
    now=$(listing "$MF")
    [ "$(echo "$now" | grep -c .)" -eq 4 ] && ! echo "$now" | grep -qx "$FV"
}
if wait_until 30 f_replaced; then
    ok "the swarm's replacement appears in the one mount (4 tasks again)"
    note "killed to replacement listed: $(( $(now_ms) - t )) ms"
else
    not_ok "the swarm's replacement appears in the one mount (4 tasks again)" \
        "listing: $(listing "$MF" | tr '\n' ' '); tasks: $(both | tr '\n' ' ')"
fi
check_eq "the one mount equals both engines again" "$(both)" "$(listing "$MF")"
check "the service is back to 4 running tasks, 2 per node (after the second kill)" \
    wait_until 20 two_each
DFS_PID=$PIDF
dfs_stop TERM
check_eq "the one mount: SIGTERM: exit 0" 0 "$DFS_RC"
check_san "$LOGF"

DFS_PID=$PID1
DFS_LOG=$LOG1
dfs_stop TERM
check_eq "manager's mount: SIGTERM: exit 0" 0 "$DFS_RC"
check_san
DFS_PID=$PID2
dfs_stop TERM
check_eq "worker's mount: SIGTERM: exit 0" 0 "$DFS_RC"
check_san "$LOG2"

# Teardown, checked: swarm left, engines stopped, namespaces deleted.
DIR=$SWARM_DIR
swarm_stop
if grep -qE "^($NS1|$NS2)( |$)" <<<"$(ip netns list)"; then
    not_ok "both namespaces are deleted" "$(ip netns list)"
else
    ok "both namespaces are deleted (ip netns list)"
fi
check "no process of the swarm is left" \
    bash -c "[ -z \"\$(. '$REPO/tests/lib/engine.sh'; engine_pids_under '$DIR')\" ]"
check "its directory is removed" test ! -e "$DIR"
note "swarm test: $(( ($(now_ms) - T0) / 1000 )) s"
tap_done
