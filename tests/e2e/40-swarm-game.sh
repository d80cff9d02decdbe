#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 40-swarm-game.sh - the game shoots a Swarm task and the swarm's
# replacement comes back as a new monster.
#
# A real two-node swarm (tests/lib/swarm.sh: two network namespaces, a
# dockerd in each) runs a service of 6 tasks, 3 per node. One dockerfs
# mount follows both nodes (--host n1=... --host n2=...); the game
# (build/game/chocolate-doom) runs on it under its own Xvfb. Every task
# gets a monster. The test types iddqd, then idrm with xdotool, turning
# between tries, until a task's monster is killed; the kill's log lines
# name the task in full and its node (engine=), the idrm summary names the
# nodes of its kills, the container is gone from that node, and the
# swarm's replacement (same slot, a new task) spawns as a new monster. Then the game and dockerfs stop cleanly and both
# namespaces are deleted. About a minute.
# No -e: a failing command is a test result, reported as "not ok".
# Helpers below are called through wait_until and traps:
# shellcheck disable=SC2317
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/dockerfs.sh
. "$HERE/../lib/dockerfs.sh"
# shellcheck source=tests/lib/swarm.sh
. "$HERE/../lib/swarm.sh"

# shellcheck source=tests/lib/game.sh
. "$HERE/../lib/game.sh"

TASKS=6
game_require "the swarm game test" Xvfb xdotool
dfs_setup
sg_cleanup() {
    game_teardown
    dfs_cleanup
    swarm_stop
}
trap sg_cleanup EXIT
T0=$(now_ms)

# ------------------------------------------------------------ the swarm
swarm_test_start
swarm_test_service "$TASKS"
# node_of ID: the node (n1, n2) whose engine has this container now or
# had it at the start (a killed one is gone by the time it is asked).
ON1=$(swarm_tasks 1)
ON2=$(swarm_tasks 2)
node_of() {
    local on1 on2
    on1="$ON1 $(swarm_tasks 1)"
    on2="$ON2 $(swarm_tasks 2)"
    if grep -qx "${1:0:12}" <<<"${on1// /$'\n'}"; then echo n1
    elif grep -qx "${1:0:12}" <<<"${on2// /$'\n'}"; then echo n2
    fi
}

MF=$TESTS_TMP/fleet
dfs_mount "$MF" --host "n1=$SWARM_HOST1" --host "n2=$SWARM_HOST2" ||
    { not_ok "dockerfs mounts both nodes" "$(tail -n 5 "$DFS_LOG")"; tap_done; }
FIRST=$({ swarm_tasks 1; swarm_tasks 2; } | sort)
check_eq "the mount lists the $TASKS tasks" "$FIRST" "$(listing "$MF")"

# ------------------------------------------------------------ the game
game_xvfb
game_start "$MF"
LOG=$GAME_LOG

if wait_until 30 game_spawned "$FIRST"; then
    ok "every task gets a monster"
else
    not_ok "every task gets a monster" "$(grep dockerdoom: "$LOG" | tail -n 5; tail -n 3 "$LOG.err")"
    tap_done
fi

# idrm kills the container monsters in view: a sweep until it asks.
game_idrm_sweep
t=$GAME_SWEEP_MS
VICTIMS=$(game_ids kill-request)
if [ -n "$VICTIMS" ]; then
    ok "idrm kills a task's monster ($(echo "$VICTIMS" | wc -l), round $GAME_SWEEP_ROUND)"
else
    not_ok "idrm kills a task's monster" "$(grep dockerdoom: "$LOG" | tail -n 8)"
    tap_done
fi
V=$(echo "$VICTIMS" | head -n 1)
VLINE=$(grep "^dockerdoom: kill-request id=$V " "$LOG" | head -n 1)
note "$VLINE"
VNAME=$(sed -n 's/.* name=\([^ ]*\) .*/\1/p' <<<"$VLINE")
VENGINE=$(sed -n 's/.* engine=\([^ ]*\).*/\1/p' <<<"$VLINE")
VNODE=$(node_of "$V")
if [[ $VNAME =~ ^web\.[1-9][0-9]*\.[a-z0-9]{25}$ ]]; then
    ok "the log names the task in full ($VNAME)"
else
    not_ok "the log names the task in full" "$VLINE"
fi
SLOT=$(cut -d. -f2 <<<"$VNAME")
check_eq "the kill line names the task's node (engine=$VNODE)" "$VNODE" "$VENGINE"
wait_until 10 grep -q "^dockerdoom: kill-result id=$V " "$LOG"
check "its kill result is ok, on that node" \
    grep -qE "^dockerdoom: kill-result id=$V name=web\.$SLOT\.[a-z0-9]+ type=[a-z]+ engine=$VNODE result=ok$" "$LOG"
gone() {
    local all
    all=$(swarm_docker "${VNODE#n}" ps -aq) || return 1
    ! grep -qx "$V" <<<"$all"
}
check "the container is gone from $VNODE" wait_until 10 gone

# The replacement: a new task of the same slot, a new monster.
new_of_slot() {
    local id
    for id in $(comm -13 <(echo "$FIRST") <(game_ids spawn)); do
        grep -qE "^dockerdoom: spawn id=$id name=web\.$SLOT\.[a-z0-9]{25} " "$LOG" && echo "$id"
    done
}
has_new() { [ -n "$(new_of_slot)" ]; }
if wait_until 30 has_new; then
    NEW=$(new_of_slot | head -n 1)
    ok "the swarm's replacement (web.$SLOT, a new task) spawns a new monster"
    note "shot to new monster: $(( $(now_ms) - t )) ms (the sweep included)"
else
    NEW=
    not_ok "the swarm's replacement spawns a new monster" \
        "$(grep dockerdoom: "$LOG" | tail -n 8); listing: $(listing "$MF" | tr '\n' ' ')"
fi
if [ -n "$NEW" ]; then
    check_eq "the new monster's container runs on a node" 1 \
        "$({ swarm_tasks 1; swarm_tasks 2; } | grep -cx "$NEW")"
    check_eq "its engine file names that node" "$(node_of "$NEW")" \
        "$(timeout 5 cat "$MF/$NEW/engine")"
fi
# idrm's one summary names the engines of its kills, most first (then by
# name), as the kill-result lines give them.
summary() { sed -n 's/^dockerdoom: message [a-z]* \(idrm: [0-9].*\)/\1/p' "$LOG" | head -n 1; }
has_summary() { [ -n "$(summary)" ]; }
wait_until 15 has_summary
per_engine=$(for v in $VICTIMS; do
    sed -n "s/^dockerdoom: kill-result id=$v .* engine=\([^ ]*\) result=ok\$/\1/p" "$LOG" | head -n 1
done | sort | uniq -c | sort -k1,1nr -k2,2 | awk '{ printf "%s%d on %s", (NR > 1 ? ", " : ""), $1, $2 }')
check_eq "idrm's summary names the engines of its kills" \
    "idrm: $(echo "$VICTIMS" | wc -l) killed ($per_engine)" "$(summary)"
check "the game still runs" kill -0 "$GAME_PID"
check_eq "every kill result is ok" "" \
    "$(grep '^dockerdoom: kill-result ' "$LOG" | grep -v 'result=ok$' || true)"
game_stop

dfs_stop TERM
check_eq "dockerfs: SIGTERM: exit 0" 0 "$DFS_RC"
check_san
swarm_test_stop
note "swarm game test: $(( ($(now_ms) - T0) / 1000 )) s"
tap_done
