#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `dockerdoom play --kubeconfig FILE` against a real cluster
# (tests/lib/kube.sh): the launcher passes the cluster to dockerfs, says
# which cluster it follows (play and status), the mount under the run dir
# lists the cluster's pods (engine: the context's name), the game
# container runs on the local Docker engine and spawns one monster per
# pod, a pod killed through the mount is deleted in the apiserver, and
# stop unmounts. --kube-context picks another context of the file.
# No -e: a failing command is a test result, reported as "not ok".
# shellcheck disable=SC2317  # conditions are called through wait_until
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/container/lib.sh
. "$HERE/lib.sh"
# shellcheck source=tests/kube/lib.sh
. "$HERE/../kube/lib.sh"

ct_setup
trap 'ct_cleanup; kube_stop' EXIT
ct_image || { not_ok "the game image exists"; tap_done; }
kube_test_start
kube_ctl create namespace shop >/dev/null
kube_test_deploy web 4 shop
MNT=$DOCKERDOOM_RUN/share/fs
pod_dirs() { kube_pods shop | while read -r u _; do kt_dir "$u"; done | sort; }

out=$TESTS_TMP/play.out
if ct_launcher play --kubeconfig "$KUBE_KC_ALL" --kube-context dockerfs >"$out" 2>&1; then
    ok "dockerdoom play --kubeconfig all.kubeconfig --kube-context dockerfs"
else
    not_ok "dockerdoom play --kubeconfig all.kubeconfig --kube-context dockerfs" "$(tail -n 20 "$out")"
    tap_done
fi
check "play says which cluster dockerfs follows" \
    grep -qE "dockerfs follows: dockerfs \\(the pods of the cluster at https://127\\.0\\.0\\.1:[0-9]+, context dockerfs\\)" "$out"
agrees() { [ "$(listing "$MNT")" = "$(pod_dirs)" ]; }
check "the mount lists the cluster's pods" wait_until 20 agrees
D=$(pod_dirs | head -n 1)
check_eq "a pod's engine file: the context's name" dockerfs "$(timeout 5 cat "$MNT/$D/engine")"
check "the game container runs on the local engine" \
    test "$(docker inspect -f '{{.State.Running}}' "$DOCKERDOOM_NAME")" = true
spawned() { [ "$(ct_game_log "$DOCKERDOOM_NAME" | grep -c '^dockerdoom: spawn id=')" -ge 4 ]; }
check "the game spawns a monster for each pod" wait_until 60 spawned
check "status says the same" bash -c "'$LAUNCHER' status 2>&1 | grep -qE 'dockerfs \\(the pods of the cluster at https://127\\.0\\.0\\.1:[0-9]+, context dockerfs\\)'"
UID_D=$(kube_pods shop | while read -r u _; do [ "$(kt_dir "$u")" = "$D" ] && echo "$u"; done)
check_eq "a pod killed through the mount: OK" OK "$(kt_kill "$MNT" "$D")"
gone() { ! kube_pods shop | grep -q "^$UID_D "; }
check "  deleted in the apiserver" wait_until 10 gone
if ct_launcher stop >"$TESTS_TMP/stop.out" 2>&1; then
    ok "dockerdoom stop"
else
    not_ok "dockerdoom stop" "$(tail -n 5 "$TESTS_TMP/stop.out")"
fi
check "nothing mounted after stop" dfs_unmounted "$MNT"
kube_test_stop
tap_done
