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

swarm_test_start
note "namespaces $NS1 $NS2; engines $SWARM_HOST1 $SWARM_HOST2"
check_eq "the manager sees two ready nodes" "Ready Ready" \
    "$(swarm_docker 1 node ls --format '{{.Status}}' | tr '\n' ' ' | sed 's/ $//')"
check "the host's namespace has no $SWARM_NET address" \
    bash -c "! ip -o addr show | grep -qF '$SWARM_NET.'"
swarm_test_service 4

M1=$TESTS_TMP/manager
M2=$TESTS_TMP/worker
require "dockerfs mounts the worker's engine" dfs_mount "$M2" --host "$SWARM_HOST2"
PID2=$DFS_PID
LOG2=$DFS_LOG
require "dockerfs mounts the manager's engine" dfs_mount "$M1" --host "$SWARM_HOST1"
PID1=$DFS_PID
LOG1=$DFS_LOG
check_eq "the manager's mount lists the manager's tasks" "$(swarm_tasks 1)" "$(listing "$M1")"
check_eq "the worker's mount lists the worker's tasks" "$(swarm_tasks 2)" "$(listing "$M2")"
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
check "the manager's engine no longer has the killed container" wait_until 10 swarm_gone 1 "$VICTIM"
check "it leaves the manager's mount" wait_until 10 unlisted "$M1" "$VICTIM"

# The replacement: a new container on the manager (the worker has its 2).
swarm_test_replaced "the swarm's replacement appears in the manager's mount" "$M1" 2 "$VICTIM" "$t"
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
check_eq "the manager's mount equals its engine again" "$(swarm_tasks 1)" "$(listing "$M1")"
check "the service is back to 4 running tasks, 2 per node" wait_until 20 swarm_spread
check_eq "the worker's mount is untouched" "$BEFORE2" "$(listing "$M2")"

# ------------------------------------------------------------ one mount, both nodes

MF=$TESTS_TMP/fleet
dfs_mount "$MF" --host "n1=$SWARM_HOST1" --host "n2=$SWARM_HOST2" && PIDF=$DFS_PID ||
    { not_ok "dockerfs mounts both nodes' engines in one mount" "$(tail -n 5 "$DFS_LOG")"; tap_done; }
LOGF=$DFS_LOG
both() { { swarm_tasks 1; swarm_tasks 2; } | sort; }
check_eq "one mount over both nodes lists the 4 tasks" "$(both)" "$(listing "$MF")"
check_eq "4 of them" 4 "$(listing "$MF" | grep -c .)"
FV=$(swarm_tasks 2 | head -n 1)
check_eq "a worker's task: its engine file says n2" n2 "$(timeout 5 cat "$MF/$FV/engine")"
FVNAME=$(timeout 5 cat "$MF/$FV/name")
check_eq "it resolves as name@n2" "$FV" "$(readlink "$MF/$FVNAME@n2")"
check_eq "not as name@n1" ENOENT "$(fsop1 readlink "$MF/$FVNAME@n1")"
t=$(now_ms)
check_eq "kill the worker's task through the one mount: OK" OK "$(fsop1 write "$MF/$FV/kill" 1)"
check "the worker's engine no longer has it" wait_until 10 swarm_gone 2 "$FV"
swarm_test_replaced "the swarm's replacement appears in the one mount (4 tasks again)" "$MF" 4 "$FV" "$t"
check_eq "the one mount equals both engines again" "$(both)" "$(listing "$MF")"
check "the service is back to 4 running tasks, 2 per node (after the second kill)" \
    wait_until 20 swarm_spread
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
swarm_test_stop
check "no process of the swarm is left" \
    bash -c "[ -z \"\$(. '$REPO/tests/lib/engine.sh'; engine_pids_under '$DIR')\" ]"
check "its directory is removed" test ! -e "$DIR"
note "swarm test: $(( ($(now_ms) - T0) / 1000 )) s"
tap_done
