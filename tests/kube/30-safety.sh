#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Safety against a real kube-apiserver (tests/lib/kube.sh): what the RBAC
# manifest grants (kubectl auth can-i: pods get/list/watch/delete,
# eviction, the namespace kube-system, nothing else); protection by
# label, namespace (kube-system by default) and name, also for a pod
# relabelled just before the kill while the mount's watch is held (the
# re-check on the apiserver's current view refuses it), or deleted and
# made again under its name (the kill of the old one is ENOENT); the RBAC
# manifest's account may kill, one without delete rights gets EPERM and
# nothing is deleted; --dry-run deletes nothing; --kill-action evict
# honours a PodDisruptionBudget (EBUSY) and evicts once it allows; a fleet
# of one Docker engine and one cluster in one mount. Then the apiserver
# stopped under the mount (rows kept, state unreachable, kill EIO at
# once) and started again (listed again), and a watch resumed from a
# compacted resourceVersion: 410 Gone, listed again, and the mount agrees
# with kubectl.
# No -e: a failing command is a test result, reported as "not ok".
# shellcheck disable=SC2317  # conditions are called through wait_until
set -uo pipefail
# shellcheck source=tests/kube/lib.sh
. "$(dirname "$0")/lib.sh"

kt_setup engine
M=$TESTS_TMP/mnt

kube_ctl create namespace shop >/dev/null
kube_test_deploy web 3
kube_pod default victim app=victim
kube_pod default guarded dockerfs.protect=true
kube_pod default db-main app=db
kube_pod shop cart app=cart
kube_pod default reborn app=reborn
kube_pod kube-system sys app=sys
kube_test_alive "the cluster is up"
check "the host's namespace has no address of the cluster ($KUBE_ADDR)" \
    bash -c "! ip -o addr show | grep -qF ' $KUBE_ADDR/'"
# tests/kube/build.sh's reflect2 1.0.2: curl's User-Agent gets pretty
# JSON, and a map in it (labels) killed the apiserver built without it.
check "curl's pretty-printed list of pods with labels is answered" \
    bash -c "curl -sS --fail --cacert '$KUBE_CA' --cert '$KUBE_DIR/pki/admin-cert.pem' --key '$KUBE_DIR/pki/admin-key.pem' '$KUBE_SERVER/api/v1/pods' | grep -q '\"app\": \"victim\"'"
kube_test_alive "  and the apiserver is still up"

# What the repository's RBAC manifest grants (through its token inline
# and through tokenFile), and the test's account without delete:
# VERB:RESOURCE[/NAME]:SUBRESOURCE:ANSWER.
can() {
    local f=$1
    shift
    env -u KUBECONFIG kubectl --kubeconfig "$f" auth can-i "$@" 2>/dev/null
}
RBAC_WANT=(get:pods::yes list:pods::yes watch:pods::yes delete:pods::yes
           create:pods:eviction:yes create:pods::no patch:pods::no
           update:pods:status:no create:pods:exec:no get:secrets::no
           list:namespaces::no get:namespaces/kube-system::yes
           get:namespaces/default::no delete:deployments.apps::no)
for f in "$KUBE_KC_RBAC" "$KUBE_KC_TOKENFILE"; do
    want=
    got=
    for w in "${RBAC_WANT[@]}"; do
        IFS=: read -r verb res sub yn <<<"$w"
        want+="${want:+ }$verb $res${sub:+/$sub}=$yn"
        got+="${got:+ }$verb $res${sub:+/$sub}=$(can "$f" "$verb" "$res" ${sub:+--subresource="$sub"} -A)"
    done
    check_eq "$(basename "$f"): container/kube/dockerfs-rbac.yaml grants pods get/list/watch/delete, eviction and namespace kube-system, nothing else" \
        "$want" "$got"
done
check_eq "nodelete.kubeconfig: may list pods, not delete or evict them" "yes no no" \
    "$(can "$KUBE_KC_NODELETE" list pods -A) $(can "$KUBE_KC_NODELETE" delete pods -A) $(can "$KUBE_KC_NODELETE" create pods --subresource=eviction -A)"

uid_of() { kt_uid "$1" "$2"; }
exists() { [ -n "$(kt_uid "$1" "$2")" ]; }

if dfs_mount "$M" --kubeconfig "$KUBE_KC_RBAC" --protect namespace=shop --protect 'name=db-*'; then
    ok "dockerfs mounts with the RBAC manifest's account (dockerfs.kubeconfig)"
else
    not_ok "dockerfs mounts with the RBAC manifest's account" "$(tail -n 5 "$DFS_LOG")"
    tap_done
fi
LOG=$DFS_LOG
ENGINE=dockerfs kt_check_agrees "it lists every pod as kubectl does" "$M" 20

check_eq "label dockerfs.protect=true: EPERM" EPERM "$(kt_kill "$M" guarded)"
check_eq "--protect namespace=shop: EPERM" EPERM "$(kt_kill "$M" cart)"
check_eq "--protect name=db-*: EPERM" EPERM "$(kt_kill "$M" db-main)"
check_eq "kube-system, protected by default: EPERM" EPERM "$(kt_kill "$M" sys)"
check "none of them deleted" bash -c "[ -n '$(uid_of default guarded)' ] && [ -n '$(uid_of shop cart)' ] && [ -n '$(uid_of default db-main)' ] && [ -n '$(uid_of kube-system sys)' ]"

# Relabelled into protection just before the kill, while the mount's
# watch is held: the mount still shows the old labels, and the kill is
# refused on what the apiserver says now.
VDIR=$(kt_dir "$(uid_of default victim)")
if kt_hold; then
    kube_api PATCH /api/v1/namespaces/default/pods/victim \
        '{"metadata":{"labels":{"app":"victim","dockerfs.protect":"true"}}}' >/dev/null
    check_eq "relabelled protected, the mount not told yet: its labels file is the old one" \
        "app=victim" "$(cat "$M/$VDIR/labels")"
    check_eq "  the kill: EPERM (checked on the apiserver's current view)" EPERM \
        "$(kt_kill "$M" "$VDIR")"
    # Deleted and made again under its name: the old directory names the
    # old uid, and the kill never reaches the new pod.
    OLD_UID=$(uid_of default reborn)
    kube_api DELETE /api/v1/namespaces/default/pods/reborn >/dev/null
    kube_pod default reborn app=reborn
    NEW_UID=$(uid_of default reborn)
    check_eq "a pod made again under its name, the mount not told: the old directory's kill: ENOENT" \
        ENOENT "$(kt_kill "$M" "$(kt_dir "$OLD_UID")")"
    check_eq "  the new pod under that name is still there" "$NEW_UID" "$(uid_of default reborn)"
    check "  and it is another pod (another uid)" test -n "$NEW_UID" -a "$NEW_UID" != "$OLD_UID"
    kt_release
else
    not_ok "the mount's watch held at the bridge" "no connection to hold"
fi
check "  the pod is still there" exists default victim
relabelled() { grep -qx 'dockerfs.protect=true' "$M/$VDIR/labels"; }
check "  the watch released: the mount shows the new label" wait_until 10 relabelled

# The manifest's account may kill.
read -r _ WNAME < <(kube_pods default | grep ' web-' | head -n 1)
check_eq "the manifest's account kills a pod: OK" OK "$(kt_kill "$M" "$WNAME")"
check_eq "  gone from the apiserver" "" "$(uid_of default "$WNAME")"
check_san "$LOG"
dfs_stop

# An account without delete rights: EPERM, nothing deleted.
m=$TESTS_TMP/nodelete
if dfs_mount "$m" --kubeconfig "$KUBE_KC_NODELETE"; then
    read -r _ WNAME < <(kube_pods default | grep ' web-' | head -n 1)
    check_eq "no delete right (nodelete.kubeconfig): EPERM" EPERM "$(kt_kill "$m" "$WNAME")"
    check "  nothing deleted" exists default "$WNAME"
    check "  the audit line says EPERM" grep -q "name=$WNAME namespace=default .*result=EPERM" "$DFS_LOG"
else
    not_ok "dockerfs mounts with nodelete.kubeconfig" "$(tail -n 5 "$DFS_LOG")"
fi
dfs_stop

# --dry-run: checked as for real, logged, nothing deleted.
m=$TESTS_TMP/dry
if dfs_mount "$m" --kubeconfig "$KUBE_KC_ADMIN" --dry-run; then
    read -r _ WNAME < <(kube_pods default | grep ' web-' | head -n 1)
    check_eq "--dry-run: a kill answers OK" OK "$(kt_kill "$m" "$WNAME")"
    check "  nothing deleted" exists default "$WNAME"
    check_eq "  a protected pod still EPERM" EPERM "$(kt_kill "$m" guarded)"
    check "  the audit line says dry-run" grep -q "name=$WNAME .*dry" "$DFS_LOG"
else
    not_ok "dockerfs --dry-run mounts" "$(tail -n 5 "$DFS_LOG")"
fi
dfs_stop

# dockerfs as a pod (in-cluster credentials): the service account's
# token, CA and namespace at /var/run/secrets/kubernetes.io/serviceaccount
# of a mount namespace of its own, KUBERNETES_SERVICE_HOST/_PORT, and the
# downward API's POD_NAME and POD_NAMESPACE as the README's manifest sets
# them (the host name is not the pod's name here). Its own pod's
# protected file says 1 and its kill is refused; the mount lives in that
# namespace, so the checks look through nsenter.
kube_pod shop dfs-self app=dockerfs
inpod() { nsenter --mount="/proc/$DFS_PID/ns/mnt" -- "$@"; }
inpod_ready() { ! kill -0 "$DFS_PID" 2>/dev/null || { inpod mountpoint -q "$1" && inpod timeout 5 ls "$1" >/dev/null 2>&1; }; }
m=$TESTS_TMP/inpod
sa=$TESTS_TMP/sa
mkdir -p "$m" "$sa"
cp "$KUBE_CA" "$sa/ca.crt"
printf '%s' "$KUBE_SA_TOKEN" >"$sa/token"
echo default >"$sa/namespace"
DFS_N=$((DFS_N + 1))
DFS_LOG=$TESTS_TMP/dockerfs.$DFS_N.log
# shellcheck disable=SC2016  # the inner shell's arguments
env -u KUBECONFIG HOME=/nonexistent KUBERNETES_SERVICE_HOST=127.0.0.1 \
    KUBERNETES_SERVICE_PORT="${KUBE_SERVER##*:}" POD_NAME=dfs-self POD_NAMESPACE=shop \
    unshare -m --propagation slave sh -c 'mount -t tmpfs -o size=64k,mode=0755 dfs-run /run &&
        mkdir -p /run/secrets/kubernetes.io && ln -s "$1" /run/secrets/kubernetes.io/serviceaccount &&
        exec env --default-signal=INT,QUIT "$2" "$3" -f --kube-context in-cluster' sh "$sa" "$DOCKERFS_BIN" "$m" >"$DFS_LOG" 2>&1 &
DFS_PID=$!
DFS_PIDS+=("$DFS_PID")
if wait_until 20 inpod_ready "$m" && inpod mountpoint -q "$m"; then
    ok "dockerfs in a pod's place mounts with in-cluster credentials"
    SELF=$(kt_dir "$(uid_of shop dfs-self)")
    CART=$(kt_dir "$(uid_of shop cart)")
    check_eq "  its engine is in-cluster" in-cluster "$(inpod cat "$m/$SELF/engine")"
    check "  the log names its own pod (POD_NAME)" grep -q "own pod is shop/dfs-self (by POD_NAME)" "$DFS_LOG"
    check_eq "  its own pod's protected file: 1" 1 "$(inpod cat "$m/$SELF/protected")"
    check_eq "  a pod beside it: 0" 0 "$(inpod cat "$m/$CART/protected")"
    check_eq "  its own pod's kill: EPERM" EPERM "$(inpod "$FSOP" write "$m/$SELF/kill" 1 | head -n 1)"
    check "  its own pod is still there" exists shop dfs-self
    check "  the audit line says EPERM" grep -q "name=dfs-self namespace=shop .*result=EPERM" "$DFS_LOG"
    check_eq "  a pod beside it is killed: OK" OK "$(inpod "$FSOP" write "$m/$CART/kill" 1 | head -n 1)"
    check_eq "  gone from the apiserver" "" "$(uid_of shop cart)"
    check_san "$DFS_LOG"
else
    not_ok "dockerfs in a pod's place mounts with in-cluster credentials" "$(tail -n 5 "$DFS_LOG")"
fi
dfs_stop
# POD_UID (the downward API's metadata.uid) names it in any cluster, here
# one reached through a kubeconfig.
SELF_UID=$(uid_of shop dfs-self)
SELF=$(kt_dir "$SELF_UID")
m=$TESTS_TMP/poduid
if POD_UID=$SELF_UID dfs_mount "$m" --kubeconfig "$KUBE_KC_ADMIN"; then
    check "POD_UID, through a kubeconfig: the log names its own pod by POD_UID" \
        grep -q "POD_UID $SELF_UID: it is protected" "$DFS_LOG"
    check_eq "  its protected file: 1" 1 "$(cat "$m/$SELF/protected")"
    check_eq "  its kill: EPERM" EPERM "$(kt_kill "$m" "$SELF")"
    check "  it is still there" exists shop dfs-self
else
    not_ok "POD_UID, through a kubeconfig: dockerfs mounts" "$(tail -n 5 "$DFS_LOG")"
fi
dfs_stop

# --kill-action evict: a PodDisruptionBudget that allows no disruption
# (only running pods count: the ReplicaSet's are set Running and Ready).
for p in $(kube_ctl get pods -l app=web -o name); do
    kube_pod_phase default "${p#pod/}" Running
done
kube_api POST /apis/policy/v1beta1/namespaces/default/poddisruptionbudgets \
    '{"metadata":{"name":"web"},"spec":{"minAvailable":3,"selector":{"matchLabels":{"app":"web"}}}}' >/dev/null
pdb_counted() { [ "$(kube_ctl get pdb web -o jsonpath='{.status.currentHealthy}')" = 3 ]; }
wait_until 30 pdb_counted || note "the disruption controller has not counted the pods yet"
m=$TESTS_TMP/evict
if dfs_mount "$m" --kubeconfig "$KUBE_KC_RBAC" --kill-action evict; then
    read -r _ WNAME < <(kube_pods default | grep ' web-' | head -n 1)
    check_eq "--kill-action evict, the budget allows no disruption: EBUSY" EBUSY "$(kt_kill "$m" "$WNAME")"
    check "  nothing evicted" exists default "$WNAME"
    kube_api PATCH /apis/policy/v1beta1/namespaces/default/poddisruptionbudgets/web \
        '{"spec":{"minAvailable":2}}' >/dev/null
    allows() { [ "$(kube_ctl get pdb web -o jsonpath='{.status.disruptionsAllowed}')" -ge 1 ]; }
    wait_until 30 allows || note "the budget does not allow a disruption yet"
    check_eq "  the budget allows one: OK" OK "$(kt_kill "$m" "$WNAME")"
    check_eq "  evicted (gone from the apiserver)" "" "$(uid_of default "$WNAME")"
else
    not_ok "dockerfs --kill-action evict mounts" "$(tail -n 5 "$DFS_LOG")"
fi
dfs_stop
kube_ctl delete pdb web >/dev/null 2>&1

# A fleet: the runner's Docker engine and the cluster in one mount.
C=$(run_c --name fleet-c --label app=docker)
CS=${C:0:12}
m=$TESTS_TMP/fleet
if dfs_mount "$m" --host "d=$DOCKER_HOST" --kube "k=$KUBE_KC_ADMIN"; then
    ok "one mount: --host d=\$DOCKER_HOST --kube k=admin.kubeconfig"
    fleet_all() {
        [ "$(listing "$m")" = "$( (ps_ids; kube_pods "" | while read -r u _; do kt_dir "$u"; done) | sort)" ]
    }
    check "it lists the engine's containers and the cluster's pods" wait_until 20 fleet_all
    check_eq "a container's engine file: d" d "$(cat "$m/$CS/engine")"
    check_eq "a pod's engine file: k" k "$(cat "$m/$VDIR/engine")"
    check_eq "NAME@ENGINE resolves a pod (db-main@k)" "$(kt_dir "$(uid_of default db-main)")" \
        "$(readlink "$m/db-main@k")"
    check_eq "a container has no namespace file" ENOENT "$(fsop1 stat "$m/$CS/namespace")"
    check_eq "kill of the container through the fleet mount: OK" OK "$(kt_kill "$m" "$CS")"
    check_eq "  the engine removed it" gone "$(c_state "$C")"
    read -r _ WNAME < <(kube_pods default | grep ' web-' | head -n 1)
    check_eq "kill of a pod through the same mount: OK" OK "$(kt_kill "$m" "$WNAME")"
    check_eq "  the apiserver deleted it" "" "$(uid_of default "$WNAME")"
    check_san "$DFS_LOG"
else
    not_ok "one mount: --host d=\$DOCKER_HOST --kube k=admin.kubeconfig" "$(tail -n 5 "$DFS_LOG")"
fi
dfs_stop

# The apiserver stopped under the mount, and started again.
if dfs_mount "$M" --kubeconfig "$KUBE_KC_ADMIN"; then
    ok "mounted again (admin.kubeconfig)"
else
    not_ok "mounted again (admin.kubeconfig)" "$(tail -n 5 "$DFS_LOG")"
    tap_done
fi
LOG=$DFS_LOG
kt_check_agrees "it agrees with kubectl" "$M" 20
BEFORE=$(listing "$M")
read -r _ WNAME < <(kube_pods default | grep ' web-' | head -n 1)
kube_down
all_unreachable() {
    local d
    for d in $(listing "$M"); do
        [ "$(cat "$M/$d/state")" = unreachable ] || return 1
    done
}
check "apiserver stopped: every pod kept, state unreachable" wait_until 20 all_unreachable
check_eq "  the same directories" "$BEFORE" "$(listing "$M")"
t0=$(now_ms)
check_eq "  a kill: EIO" EIO "$(kt_kill "$M" "$WNAME.default")"
t1=$(( $(now_ms) - t0 ))
if [ "$t1" -lt 2000 ]; then
    ok "  at once ($t1 ms)"
else
    not_ok "  at once" "the kill took $t1 ms"
fi
# Started again with watches that the apiserver ends after a few seconds
# and served from etcd (no watch cache): a watch resumed from a compacted
# resourceVersion then gets 410 Gone from etcd itself.
KUBE_APISERVER_ARGS="--watch-cache=false --min-request-timeout=3" kube_up ||
    { not_ok "apiserver started again" "$(tail -n 5 "$KUBE_DIR/kube-apiserver.log")"; tap_done; }
ok "apiserver started again"
kt_check_agrees "the mount lists the pods again and agrees with kubectl" "$M" 30
check "  and says so in its log" grep -q "pods listed again" "$LOG"
REV=$(kube_compact)
note "etcd compacted at revision $REV"
expired() { grep -q "watch expired" "$LOG"; }
if wait_until 30 expired; then
    ok "the watch resumed from a compacted resourceVersion: 410 Gone, listed again"
    note "$(grep "watch expired" "$LOG" | head -n 1)"
else
    not_ok "the watch resumed from a compacted resourceVersion: 410 Gone" "$(tail -n 8 "$LOG")"
fi
kube_pod default after410 app=after
kube_ctl delete pod victim --wait=false >/dev/null 2>&1
kt_check_agrees "after it, a pod created and one deleted: the mount agrees" "$M" 20
check_san "$LOG"
kube_test_alive "the cluster is still up"
dfs_stop TERM
check_eq "dockerfs: SIGTERM: exit 0" 0 "$DFS_RC"
kube_test_stop
tap_done
