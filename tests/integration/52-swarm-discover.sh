#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --swarm on a real two-node Docker Swarm (tests/lib/swarm.sh): given the
# manager, dockerfs asks GET /nodes and follows each node's engine. The
# nodes' engines are reached from here only by their unix sockets, so
# --swarm-engine points at links named by node ID. Both nodes have the
# host's name (one UTS namespace): the engine names fall back to
# HOSTNAME-<6 of the ID>. Checked: both nodes discovered, the 4 tasks
# listed, a kill of a task on node 2 routed to node 2 and its replacement
# listed; node 2 leaves (swarm leave): the manager says it is down, so is
# the log; removed (node rm): its engine and rows go, the log says so; node 2 joins again (a new node ID): a member for it
# appears and its tasks are listed; its dockerd killed: the manager says
# the node is down (its dockerd killed), its rows read unreachable and kills on them are EIO;
# started again: the node is ready, re-listed. The manager given as --host too is
# listed once. A bad --swarm-engine or --swarm-poll is exit 2. The mounts
# poll the manager every second (--swarm-poll 1; the default is 10 s), so
# what the script waits for is the swarm itself (a node seen down, a task
# rescheduled), not dockerfs's period.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
. "$(dirname "$0")/../lib/swarm.sh"

dfs_setup
NODES=$TESTS_TMP/nodes
[ ${#TESTS_TMP} -le 60 ] || NODES=$(mktemp -d /tmp/ddsn.XXXXXX)
mkdir -p "$NODES"
disc_cleanup() {
    dfs_cleanup
    swarm_stop
    rm -rf "$NODES"
}
trap disc_cleanup EXIT

# ------------------------------------------------------------ usage errors

neg_run -- --swarm unix:///nonexistent.sock --swarm-engine 'unix:///x/{node}.sock'
check_eq "--swarm-engine with an unknown placeholder: exit 2" 2 "$NEG_RC"
check_eq "one line saying which" 1 "$(grep -c 'unknown placeholder {node}' <<<"$NEG_OUT")"
neg_run -- --swarm-engine 'tcp://{addr}:2376'
check_eq "--swarm-engine without --swarm: exit 2" 2 "$NEG_RC"
neg_run -- --swarm-poll 1
check_eq "--swarm-poll without --swarm: exit 2" 2 "$NEG_RC"
neg_run -- --swarm unix:///nonexistent.sock --swarm-poll 0
check_eq "--swarm-poll 0: exit 2, saying so" "2 1" "$NEG_RC $(grep -c "bad --swarm-poll '0'" <<<"$NEG_OUT")"
neg_run -- --swarm unix:///nonexistent.sock
check_eq "a manager that does not answer at start: exit 1" 1 "$NEG_RC"

# ------------------------------------------------------------ the swarm

swarm_test_start
swarm_test_service 4
node_id() { swarm_docker "$1" info --format '{{.Swarm.NodeID}}'; }
ID1=$(node_id 1)
ID2=$(node_id 2)
ln -s "$SWARM_DIR/n1/docker.sock" "$NODES/$ID1.sock"
ln -s "$SWARM_DIR/n2/docker.sock" "$NODES/$ID2.sock"
HN=$(swarm_docker 1 node inspect --format '{{.Description.Hostname}}' "$ID1")
# The name rule of swarm.c: one host name for both nodes.
ename() {
    local h=$HN
    [[ $h =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] && [ ${#h} -le 56 ] || h=node
    echo "$h-${1:0:6}"
}
E1=$(ename "$ID1")
E2=$(ename "$ID2")
note "nodes $ID1 ($E1), $ID2 ($E2)"

MS=$TESTS_TMP/swarm
require "dockerfs mounts with --swarm (the manager's engine, a template by node ID)" \
    dfs_mount "$MS" --swarm "$SWARM_HOST1" --swarm-engine "unix://$NODES/{id}.sock" --swarm-poll 1
LOG=$DFS_LOG
both() { { swarm_tasks 1; swarm_tasks 2; } | sort; }
check "the log names node 1's engine ($E1)" \
    grep -q "swarm: node $ID1 ($HN) is engine $E1 at unix://$NODES/$ID1.sock" "$LOG"
check "the log names node 2's engine ($E2)" \
    grep -q "swarm: node $ID2 ($HN) is engine $E2 at unix://$NODES/$ID2.sock" "$LOG"
check_eq "both nodes discovered: the mount lists the 4 tasks" "$(both)" "$(listing "$MS")"
check_eq "4 of them" 4 "$(listing "$MS" | grep -c .)"
engines_of() {
    local i
    for i in $(listing "$MS"); do timeout 5 cat "$MS/$i/engine"; done | sort | uniq -c |
        awk '{print $2 "=" $1}' | tr '\n' ' ' | sed 's/ $//'
}
check_eq "engine files: 2 tasks on each node" \
    "$(printf '%s\n' "$E1=2" "$E2=2" | sort | tr '\n' ' ' | sed 's/ $//')" "$(engines_of)"

# A kill on a task of node 2 goes to node 2.
FV=$(swarm_tasks 2 | head -n 1)
check_eq "a task of node 2: its engine file says $E2" "$E2" "$(timeout 5 cat "$MS/$FV/engine")"
t=$(now_ms)
check_eq "kill it through the mount: OK" OK "$(fsop1 write "$MS/$FV/kill" 1)"
check "node 2's engine no longer has it" wait_until 10 swarm_gone 2 "$FV"
swarm_test_replaced "the swarm's replacement appears in the mount (4 tasks again)" "$MS" 4 "$FV" "$t"
check "the service is back to 2 tasks per node" wait_until 20 swarm_spread
check_eq "the mount equals both engines again" "$(both)" "$(listing "$MS")"

# ------------------------------------------------------------ node 2 leaves

T1=$(swarm_tasks 1)
check "node 2 leaves the swarm (swarm leave --force)" \
    swarm_docker 2 swarm leave --force
node2_down() { [ "$(swarm_docker 1 node inspect --format '{{.Status.State}}' "$ID2")" = down ]; }
check "the manager says node 2 is down" wait_until 30 node2_down
down_logged() { grep -q "swarm: node $ID2 is down: engine $E2's containers are unreachable" "$LOG"; }
check "the log says node 2 is down (its engine paused)" wait_until 25 down_logged
check "the manager removes it (node rm --force)" swarm_docker 1 node rm --force "$ID2"
no_e2() {
    local i
    for i in $(listing "$MS"); do
        [ "$(timeout 5 cat "$MS/$i/engine" 2>/dev/null)" != "$E2" ] || return 1
    done
}
left_logged() { grep -q "swarm: node $ID2 left the swarm: engine $E2 and its containers are dropped" "$LOG"; }
t=$(now_ms)
check "the log says node 2 left and its engine is dropped" wait_until 40 left_logged
note "node rm to dropped: $(( $(now_ms) - t )) ms"
check "no row of $E2 is left" wait_until 10 no_e2
check_eq "node 1's tasks stay listed" "$T1" "$(listing "$MS")"

# ------------------------------------------------------------ node 2 joins again

TOKEN=$(swarm_docker 1 swarm join-token -q worker)
check "node 2 joins again (swarm join, inside the namespaces)" \
    swarm_docker 2 swarm join --token "$TOKEN" --advertise-addr "$SWARM_NET.2" \
    --listen-addr "$SWARM_NET.2:2377" "$SWARM_NET.1:2377"
ID2B=$(node_id 2)
ln -s "$SWARM_DIR/n2/docker.sock" "$NODES/$ID2B.sock"
E2B=$(ename "$ID2B")
if [ -n "$ID2B" ] && [ "$ID2B" != "$ID2" ]; then
    ok "node 2 has a new node ID ($ID2B)"
else
    not_ok "node 2 has a new node ID" "was $ID2, now '$ID2B'"
fi
joined_logged() { grep -q "swarm: node $ID2B ($HN) is engine $E2B at" "$LOG"; }
t=$(now_ms)
check "a member for the new node appears ($E2B, in the log)" wait_until 40 joined_logged
note "join to member: $(( $(now_ms) - t )) ms"
check "the swarm runs 2 tasks on the new node 2" wait_until 60 swarm_spread
listed_again() { [ "$(both)" = "$(listing "$MS")" ]; }
check "its tasks are listed: the mount equals both engines" wait_until 40 listed_again
check_eq "engine files: 2 tasks on node 1, 2 on the new node 2" \
    "$(printf '%s\n' "$E1=2" "$E2B=2" | sort | tr '\n' ' ' | sed 's/ $//')" "$(engines_of)"

# ------------------------------------------------------------ node 2's engine stops and comes back

T2=$(swarm_tasks 2)
X=$(echo "$T2" | head -n 1)
# SIGKILL: a dockerd stopped by SIGTERM stops its containers first, and
# the mount would follow their events; killed, it just stops answering.
N2PID=$(cat "$SWARM_DIR/n2/dockerd.pid" 2>/dev/null || cat "$SWARM_DIR/n2/dockerd.launch-pid")
check "node 2's dockerd is killed (SIGKILL)" engine_kill_wait "$N2PID" KILL 10
wait "$N2PID" 2>/dev/null
n2b_down() { [ "$(swarm_docker 1 node inspect --format '{{.Status.State}}' "$ID2B")" = down ]; }
check "the manager says node 2 is down" wait_until 60 n2b_down
down2_logged() { grep -q "swarm: node $ID2B is down: engine $E2B's containers are unreachable" "$LOG"; }
check "the log says so (engine $E2B paused)" wait_until 25 down2_logged
check_eq "its tasks stay listed" "$(sort <<<"$T1"$'\n'"$T2")" "$(listing "$MS")"
check_eq "a task of node 2 reads unreachable" unreachable "$(timeout 5 cat "$MS/$X/state")"
check_eq "kill on it: EIO" EIO "$(fsop1 write "$MS/$X/kill" 1)"
check "node 2's dockerd starts again (in its namespace)" swarm_engine_up 2
ready_logged() { grep -q "swarm: node $ID2B is ready again: engine $E2B is re-listed" "$LOG"; }
check "the manager says node 2 is ready: the log says it is re-listed" wait_until 60 ready_logged
check "the swarm runs 2 tasks on node 2 again" wait_until 60 swarm_spread
check "the mount equals both engines again" wait_until 40 listed_again
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check_san "$LOG"

# ------------------------------------------------------------ the manager twice

MD=$TESTS_TMP/dup
dfs_mount "$MD" --host "mgr=$SWARM_HOST1" --swarm "$SWARM_HOST1" \
    --swarm-engine "unix://$NODES/{id}.sock" --swarm-poll 1 ||
    { not_ok "dockerfs mounts with --host the manager and --swarm" "$(tail -n 5 "$DFS_LOG")"; tap_done; }
check_eq "the manager given as --host too: every task listed once" "$(both)" "$(listing "$MD")"
check_eq "node 1's tasks under mgr" \
    "$(printf '%s\n' "mgr=2" "$E2B=2" | sort | tr '\n' ' ' | sed 's/ $//')" \
    "$(MS=$MD engines_of)"
check "the log says node 1's engine is engine mgr, not followed" \
    grep -q "engine $E1 at .* is engine mgr (.*): it is not followed" "$DFS_LOG"
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check_san

swarm_test_stop
tap_done
