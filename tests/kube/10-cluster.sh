#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The test cluster itself (tests/lib/kube.sh) and the repository's RBAC
# manifest, seen through kubectl and curl only: every kubeconfig kube.sh
# writes gets in as the user it names and no further; the manifest's
# account may read, delete and evict pods and nothing else; the things the
# dockerfs tests rely on happen as they assume (a ReplicaSet replaces a
# deleted pod, a naked pod stays deleted, a phase set through pods/status
# shows, a finalizer holds a deleted pod in terminating, a
# PodDisruptionBudget makes an eviction 429, a compacted etcd makes a
# resumed watch 410, the apiserver stopped and started keeps the pods);
# nothing of the cluster is in the host's namespace, and at the end the
# namespace is gone.
# No -e: a failing command is a test result, reported as "not ok".
# shellcheck disable=SC2317  # the conditions are called through wait_until
set -uo pipefail
# shellcheck source=tests/lib/tap.sh
. "$(dirname "$0")/../lib/tap.sh"
# shellcheck source=tests/lib/kube.sh
. "$(dirname "$0")/../lib/kube.sh"

if [ -z "${TESTS_TMP:-}" ]; then
    TESTS_TMP=$(mktemp -d /tmp/ddtest.XXXXXX)
    trap 'kube_stop; rm -rf "$TESTS_TMP"' EXIT
else
    trap kube_stop EXIT
fi
trap 'exit 130' INT TERM

kube_test_start
check "the host's namespace has no address of the cluster ($KUBE_ADDR)" \
    bash -c "! ip -o addr show | grep -qF ' $KUBE_ADDR/'"
check "the apiserver listens only in its namespace (nothing on :6443 here)" \
    bash -c "! ss -Htln 'sport = :6443' | grep -q ."

# kubectl as a given kubeconfig, never the user's.
kc() {
    local f=$1
    shift
    env -u KUBECONFIG kubectl --kubeconfig "$f" "$@"
}

# "yes"/"no" of kubectl auth can-i as kubeconfig F.
can() {
    local f=$1
    shift
    kc "$f" auth can-i "$@" 2>/dev/null
}

for f in "$KUBE_KC_ADMIN" "$KUBE_KC_DATA" "$KUBE_KC_TOKEN"; do
    check_eq "$(basename "$f"): in as a cluster admin (auth can-i '*' '*')" yes "$(can "$f" '*' '*')"
done
check_eq "kubeconfig all: six contexts, current admin" "admin data dockerfs nodelete token tokenfile|admin" \
    "$(kc "$KUBE_KC_ALL" config get-contexts -o name | sort | tr '\n' ' ' | sed 's/ $//')|$(kc "$KUBE_KC_ALL" config current-context)"
out=$(kc "$KUBE_KC_BADCA" get pods 2>&1)
case $out in
    *"certificate signed by unknown authority"*) ok "kubeconfig badca: refused, unknown authority" ;;
    *) not_ok "kubeconfig badca: refused, unknown authority" "$out" ;;
esac

# The manifest's account, through its token inline and through tokenFile:
# VERB:RESOURCE[/NAME]:SUBRESOURCE:ANSWER.
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
check "the manifest applies again unchanged (kubectl apply is idempotent)" \
    bash -c "env -u KUBECONFIG kubectl --kubeconfig '$KUBE_KC_ADMIN' apply -f '$KUBE_RBAC_MANIFEST' | grep -v unchanged | grep -c . | grep -qx 0"

# A Deployment, a naked pod, and what deleting each does.
kube_test_deploy web 3
check "a naked pod with labels (POST through curl)" kube_pod default naked tier=db team=blue
# The fixed build (tests/kube/build.sh, reflect2 1.0.2): curl's
# User-Agent gets pretty JSON, a map in it (labels) once killed the
# apiserver.
check "curl's pretty-printed list of pods with labels is answered" \
    bash -c "curl -sS --fail --cacert '$KUBE_CA' --cert '$KUBE_DIR/pki/admin-cert.pem' --key '$KUBE_DIR/pki/admin-key.pem' '$KUBE_SERVER/api/v1/pods' | grep -q '\"tier\": \"db\"'"
kube_test_alive "the apiserver is still up"
check_eq "kubectl get pods -A: four pods, all Pending (no node here)" "Pending Pending Pending Pending" \
    "$(kube_ctl get pods -A -o jsonpath='{range .items[*]}{.status.phase} {end}' | sed 's/ $//')"

read -r VUID VNAME < <(kube_pods default | grep ' web-' | head -n 1)
NUID=$(kube_pods default | awk '$2 == "naked" { print $1 }')
kube_ctl delete pod "$VNAME" naked --wait=false >/dev/null 2>&1
t=$(now_ms)
replaced() {
    local now
    now=$(kube_pods default)
    [ "$(grep -c ' web-' <<<"$now")" -eq 3 ] && ! grep -q "^$VUID " <<<"$now"
}
if wait_until 30 replaced; then
    ok "a deleted pod of the ReplicaSet is replaced by a new one (new uid)"
    note "in $(( $(now_ms) - t )) ms"
else
    not_ok "a deleted pod of the ReplicaSet is replaced by a new one" "$(kube_pods default)"
fi
check_eq "the deleted naked pod is not back (nothing owns it)" "" \
    "$(kube_pods default | grep -e "^$NUID " -e ' naked$')"

# Phases through pods/status, as the tests move pods along.
kube_pod default phased app=phase >/dev/null
kube_pod_phase default phased Running
check_eq "pods/status: Running with Ready=True" "Running True" \
    "$(kube_ctl get pod phased -o jsonpath='{.status.phase} {.status.conditions[?(@.type=="Ready")].status}')"
kube_pod_phase default phased Failed
check_eq "pods/status: Failed" Failed "$(kube_ctl get pod phased -o jsonpath='{.status.phase}')"

# A finalizer holds a deleted pod: deletionTimestamp set, still listed.
kube_api POST /api/v1/namespaces/default/pods \
    '{"metadata":{"name":"held","finalizers":["dockerdoom.test/hold"]},"spec":{"containers":[{"name":"m","image":"x"}]}}' >/dev/null
kube_ctl delete pod held --wait=false >/dev/null 2>&1
check "a pod with a finalizer, deleted: still there, with a deletionTimestamp" \
    bash -c "env -u KUBECONFIG kubectl --kubeconfig '$KUBE_KC_ADMIN' get pod held -o jsonpath='{.metadata.deletionTimestamp}' | grep -q ."
kube_api PATCH /api/v1/namespaces/default/pods/held '{"metadata":{"finalizers":null}}' >/dev/null
held_gone() { ! kube_ctl get pod held >/dev/null 2>&1; }
check "the finalizer removed: the pod is gone" wait_until 10 held_gone

# A PodDisruptionBudget that allows no disruption: an eviction is 429
# (only for running pods: a Pending one is evicted regardless).
for p in $(kube_ctl get pods -l app=web -o name); do
    kube_pod_phase default "${p#pod/}" Running
done
kube_api POST /apis/policy/v1beta1/namespaces/default/poddisruptionbudgets \
    '{"metadata":{"name":"web"},"spec":{"minAvailable":3,"selector":{"matchLabels":{"app":"web"}}}}' >/dev/null
pdb_seen() { [ "$(kube_ctl get pdb web -o jsonpath='{.status.currentHealthy}')" = 3 ]; }
wait_until 30 pdb_seen || note "the disruption controller has not counted the pods yet"
EV=$(kube_ctl get pods -l app=web -o name | head -n 1)
EV=${EV#pod/}
out=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$KUBE_CA" --cert "$KUBE_DIR/pki/admin-cert.pem" \
    --key "$KUBE_DIR/pki/admin-key.pem" -H 'Content-Type: application/json' \
    --data "{\"apiVersion\":\"policy/v1beta1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"$EV\",\"namespace\":\"default\"}}" \
    "$KUBE_SERVER/api/v1/namespaces/default/pods/$EV/eviction")
check_eq "an eviction the PodDisruptionBudget forbids: HTTP 429" 429 "$out"
kube_ctl delete pdb web >/dev/null 2>&1

# The apiserver stopped and started: etcd keeps the pods; a watch resumed
# from before a compaction gets 410 Gone.
BEFORE=$(kube_pods "")
RV=$(kube_api GET /api/v1/pods | sed -n 's/.*"resourceVersion": *"\([0-9]*\)".*/\1/p' | head -n 1)
t=$(now_ms)
kube_down
check "apiserver stopped: kubectl cannot reach it" bash -c "! env -u KUBECONFIG kubectl --kubeconfig '$KUBE_KC_ADMIN' --request-timeout=5s get pods"
REV=$(kube_compact)
check "etcd compacted to revision ${REV:-?} (newer than the list's $RV)" test "${REV:-0}" -gt "${RV:-0}"
if kube_up; then
    ok "apiserver started again"
    note "stopped and ready again in $(( $(now_ms) - t )) ms (up: $KUBE_UP_S s)"
else
    not_ok "apiserver started again"
fi
check_eq "the same pods, the same uids" "$BEFORE" "$(kube_pods "")"
out=$(kube_api GET "/api/v1/pods?watch=1&resourceVersion=$RV&timeoutSeconds=5" 2>&1)
case $out in
    *'"code":410'*|*'"code": 410'*) ok "a watch resumed from resourceVersion $RV: 410 Gone" ;;
    *) not_ok "a watch resumed from resourceVersion $RV: 410 Gone" "$(head -c 600 <<<"$out")" ;;
esac

KD=$KUBE_DIR
kube_test_stop
# [x]yz: the pattern does not match pgrep's own command line.
cluster_gone() { [ ! -e "$KD" ] && ! pgrep -f "[${KD:0:1}]${KD:1}/" >/dev/null; }
check "nothing left of the cluster: no process, no directory" cluster_gone
tap_done
