#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 45-kube-game.sh - the game shoots a Kubernetes pod, and its ReplicaSet's
# replacement comes back as a new monster.
#
# A real control plane (tests/lib/kube.sh: etcd, kube-apiserver and
# kube-controller-manager in a network namespace of their own) runs a
# Deployment of 6 pods in the namespace shop. dockerfs mounts the cluster
# with the repository's least-privilege account (dockerfs.kubeconfig:
# container/kube/dockerfs-rbac.yaml); the game (build/game/chocolate-doom)
# runs on it under its own Xvfb. Every pod gets a monster. The test types
# iddqd, then idrm with xdotool, turning between tries, until a pod's
# monster is killed; the kill's log lines name the pod and its namespace,
# its kill result is
# ok, the pod is gone from the apiserver (its uid), and the ReplicaSet's
# replacement (a new pod, a new uid) spawns as a new monster. Then the
# game and dockerfs stop cleanly and the cluster's namespace is deleted.
# About a minute and a half.
# No -e: a failing command is a test result, reported as "not ok".
# Helpers below are called through wait_until and traps:
# shellcheck disable=SC2317
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/kube/lib.sh
. "$HERE/../kube/lib.sh"
# shellcheck source=tests/lib/game.sh
. "$HERE/../lib/game.sh"

PODS=6
game_require "the kube game test" Xvfb xdotool
T0=$(now_ms)
kt_setup
kg_cleanup() {
    game_teardown
    kt_cleanup
}
trap kg_cleanup EXIT

kube_ctl create namespace shop >/dev/null
kube_test_deploy web "$PODS" shop
# The mount's directory of every pod of web now.
web_dirs() {
    kube_pods shop | while read -r uid _; do kt_dir "$uid"; done | sort
}
FIRST=$(web_dirs)
FIRST_UIDS=$(kube_pods shop | awk '{ print $1 }')
# The uid of the pod whose directory is DIR, among those at the start.
uid_of_dir() {
    local u
    for u in $FIRST_UIDS; do
        [ "$(kt_dir "$u")" = "$1" ] && echo "$u"
    done
    return 0
}

M=$TESTS_TMP/mnt
dfs_mount "$M" --kubeconfig "$KUBE_KC_RBAC" ||
    { not_ok "dockerfs mounts the cluster (dockerfs.kubeconfig)" "$(tail -n 5 "$DFS_LOG")"; tap_done; }
mount_agrees() { [ "$(listing "$M")" = "$(web_dirs)" ]; }
if wait_until 20 mount_agrees; then
    ok "the mount lists the $PODS pods"
else
    not_ok "the mount lists the $PODS pods" "kubectl: $(web_dirs | tr '\n' ' '); mount: $(listing "$M" | tr '\n' ' ')"
    tap_done
fi

# ------------------------------------------------------------ the game
game_xvfb
game_start "$M"
LOG=$GAME_LOG

if wait_until 30 game_spawned "$FIRST"; then
    ok "every pod gets a monster"
else
    not_ok "every pod gets a monster" "$(grep dockerdoom: "$LOG" | tail -n 5; tail -n 3 "$LOG.err")"
    tap_done
fi
check "a Deployment's pods share a kind of monster" \
    test "$(sed -n 's/^dockerdoom: spawn id=[0-9a-f]* .*type=\([a-z0-9]*\).*/\1/p' "$LOG" | sort -u | wc -l)" -eq 1

# idrm kills the container monsters in view: a sweep until it asks.
game_idrm_sweep
t=$GAME_SWEEP_MS
VICTIMS=$(game_ids kill-request)
if [ -n "$VICTIMS" ]; then
    ok "idrm kills a pod's monster ($(echo "$VICTIMS" | wc -l), round $GAME_SWEEP_ROUND)"
else
    not_ok "idrm kills a pod's monster" "$(grep dockerdoom: "$LOG" | tail -n 8)"
    tap_done
fi
V=$(echo "$VICTIMS" | head -n 1)
VLINE=$(grep "^dockerdoom: kill-request id=$V " "$LOG" | head -n 1)
note "$VLINE"
VUID=$(uid_of_dir "$V")
if grep -q "name=web-[0-9a-z]*-[0-9a-z]* .*namespace=shop" <<<"$VLINE"; then
    ok "the kill line names the pod and its namespace"
else
    not_ok "the kill line names the pod and its namespace" "$VLINE"
fi
wait_until 10 grep -q "^dockerdoom: kill-result id=$V " "$LOG"
check "its kill result is ok" grep -qE "^dockerdoom: kill-result id=$V .*result=ok$" "$LOG"
pod_gone() { [ -n "$VUID" ] && ! kube_pods shop | awk '{ print $1 }' | grep -qx "$VUID"; }
check "the pod is gone from the apiserver (uid ${VUID:-?})" wait_until 10 pod_gone
check "dockerfs's audit line names it, namespace shop" \
    grep -q "kill id=$V name=web-[0-9a-z-]* namespace=shop .*result=ok" "$DFS_LOG"

# The replacement: a new pod of the ReplicaSet, a new monster.
new_pods() { comm -13 <(echo "$FIRST") <(web_dirs); }
new_spawned() {
    local id
    for id in $(new_pods); do
        grep -q "^dockerdoom: spawn id=$id " "$LOG" && echo "$id"
    done
}
has_new() { [ -n "$(new_spawned)" ]; }
if wait_until 30 has_new; then
    NEW=$(new_spawned | head -n 1)
    ok "the ReplicaSet's replacement (a new pod) spawns a new monster"
    note "shot to new monster: $(( $(now_ms) - t )) ms (the sweep included)"
    check_eq "its namespace file: shop" shop "$(timeout 5 cat "$M/$NEW/namespace")"
    check "its name is the Deployment's" grep -q "^dockerdoom: spawn id=$NEW name=web-" "$LOG"
else
    not_ok "the ReplicaSet's replacement spawns a new monster" \
        "$(grep dockerdoom: "$LOG" | tail -n 8); listing: $(listing "$M" | tr '\n' ' ')"
fi
check "the game still runs" kill -0 "$GAME_PID"
check_eq "every kill result is ok" "" \
    "$(grep '^dockerdoom: kill-result ' "$LOG" | grep -v 'result=ok$' || true)"
game_stop

dfs_stop TERM
check_eq "dockerfs: SIGTERM: exit 0" 0 "$DFS_RC"
check_san
kube_test_stop
note "kube game test: $(( ($(now_ms) - T0) / 1000 )) s"
tap_done
