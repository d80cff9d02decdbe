#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Pods as directories, against a real kube-apiserver (tests/lib/kube.sh):
# the listing and every file of every pod equal `kubectl get pods -A -o
# json`; names resolve (NAME, NAME.NAMESPACE, NAME@ENGINE, a name in two
# namespaces is no name); pods created, relabelled, moved through phases
# (pods/status), held in terminating by a finalizer and deleted while
# mounted show up at once; a kill of a ReplicaSet's pod removes its
# directory and its replacement appears as a new one; a killed naked pod
# stays gone. The same cluster through every kind of kubeconfig (client
# certificate files, everything inline, a bearer token, a tokenFile, the
# RBAC manifest's account); with everything inline, strace sees no
# file created or written (credentials stay in memory); a cluster's
# tls-server-name and proxy-url are followed; bad kubeconfigs
# (missing file, unknown context, wrong CA) are one line and exit 2,
# nothing mounted.
# No -e: a failing command is a test result, reported as "not ok".
# shellcheck disable=SC2317  # conditions are called through wait_until
set -uo pipefail
# shellcheck source=tests/kube/lib.sh
. "$(dirname "$0")/lib.sh"

kt_setup
M=$TESTS_TMP/mnt

kube_ctl create namespace shop >/dev/null
kube_test_deploy web 3
kube_pod default naked tier=db team=blue
kube_pod shop naked tier=cache
kube_pod shop cart app=cart
kube_test_alive "the cluster is up with 6 pods in 2 namespaces"

if dfs_mount "$M" --kubeconfig "$KUBE_KC_ADMIN"; then
    ok "dockerfs --kubeconfig admin.kubeconfig mounts"
else
    not_ok "dockerfs --kubeconfig admin.kubeconfig mounts"
    tap_done
fi
LOG=$DFS_LOG
MPID=$DFS_PID
kt_check_agrees "the listing and every file of every pod equal kubectl get pods -A -o json" "$M" 20
check_eq "the root lists 12-hex directories only" "" \
    "$(listing "$M" | grep -vxE '[0-9a-f]{12}')"

# Names.
CART=$(kt_dir "$(kt_uid shop cart)")
NAKED=$(kt_dir "$(kt_uid default naked)")
NAKED_SHOP=$(kt_dir "$(kt_uid shop naked)")
check_eq "a name unique in the cluster resolves (cart)" "$CART" "$(readlink "$M/cart")"
check_eq "NAME.NAMESPACE resolves (naked.default)" "$NAKED" "$(readlink "$M/naked.default")"
check_eq "NAME.NAMESPACE resolves (naked.shop)" "$NAKED_SHOP" "$(readlink "$M/naked.shop")"
check_eq "a name in two namespaces is ambiguous: ENOENT" ENOENT "$(fsop1 readlink "$M/naked")"
check_eq "NAME.NAMESPACE@ENGINE resolves (naked.shop@admin)" "$NAKED_SHOP" "$(readlink "$M/naked.shop@admin")"
check_eq "the full uid resolves" "$CART" "$(readlink "$M/$(kt_uid shop cart)")"
check_eq "NAME/namespace reads through the link" shop "$(cat "$M/cart/namespace")"

# Changes while mounted: each is in the mount within a few seconds
# (the watch), the wait bounded, the time noted.
kube_pod default late app=late
kt_check_agrees "a pod created while mounted appears" "$M" 10
kube_api PATCH /api/v1/namespaces/shop/pods/cart '{"metadata":{"labels":{"app":"cart","tier":"front"}}}' >/dev/null
kt_check_agrees "a relabelled pod: its labels file follows" "$M" 10
check_eq "  (labels of cart)" "app=cart;tier=front" "$(tr '\n' ';' <"$M/$CART/labels" | sed 's/;$//')"
kube_pod_phase shop cart Running
kt_check_agrees "pods/status Running + Ready: state running" "$M" 10
check_eq "  (state of cart)" running "$(cat "$M/$CART/state")"
kube_api PATCH /api/v1/namespaces/shop/pods/cart/status \
    '{"status":{"conditions":[{"type":"Ready","status":"False"}]}}' >/dev/null
kt_check_agrees "Running, not Ready: state unready" "$M" 10
kube_pod_phase shop cart Succeeded
gone_cart() { kt_unlisted "$M" "$CART"; }
check "Succeeded: the pod leaves the mount (unfinished pods only)" wait_until 10 gone_cart
kt_check_agrees "  and the mount equals kubectl's unfinished pods" "$M" 10

kube_api POST /api/v1/namespaces/default/pods \
    '{"metadata":{"name":"held","finalizers":["dockerdoom.test/hold"]},"spec":{"containers":[{"name":"m","image":"held:1"}]}}' >/dev/null
HELD=$(kt_dir "$(kt_uid default held)")
kt_check_agrees "a pod with a finalizer appears" "$M" 10
kube_ctl delete pod held --wait=false >/dev/null 2>&1
held_terminating() { [ "$(cat "$M/$HELD/state" 2>/dev/null)" = terminating ]; }
check "deleted, held by its finalizer: state terminating" wait_until 10 held_terminating
kt_check_agrees "  and the mount equals kubectl" "$M" 10
kube_api PATCH /api/v1/namespaces/default/pods/held '{"metadata":{"finalizers":null}}' >/dev/null
held_gone() { kt_unlisted "$M" "$HELD"; }
check "the finalizer removed: its directory is gone" wait_until 10 held_gone
kube_ctl delete pod late --wait=false >/dev/null 2>&1
kt_check_agrees "a pod deleted while mounted leaves" "$M" 10

# Kills.
read -r VUID VNAME < <(kube_pods default | grep ' web-' | head -n 1)
VDIR=$(kt_dir "$VUID")
t0=$(now_ms)
check_eq "echo 1 > kill on a ReplicaSet's pod: OK" OK "$(kt_kill "$M" "$VDIR")"
note "kill answered in $(( $(now_ms) - t0 )) ms"
check_eq "the apiserver has no pod $VNAME any more" "" "$(kt_uid default "$VNAME")"
replaced() {
    local now
    now=$(listing "$M")
    ! grep -qx "$VDIR" <<<"$now" &&
        [ "$(kube_ctl get pods -l app=web -o name | grep -c .)" -eq 3 ] &&
        kt_agrees "$M"
}
if wait_until 30 replaced; then
    ok "its directory is gone and the ReplicaSet's new pod is a new directory"
    note "kill to replacement listed: $(( $(now_ms) - t0 )) ms"
else
    not_ok "its directory is gone and the ReplicaSet's new pod is a new directory" \
        "$(diff <(kt_expect) <(kt_dump "$M") | head -n 20)"
fi
check_eq "the audit line names pod, namespace and cluster" 1 \
    "$(grep -c "kill id=$VDIR name=$VNAME namespace=default .*engine=admin .*result=ok" "$LOG")"
check_eq "kill of a naked pod (naked.shop): OK" OK "$(kt_kill "$M" naked.shop)"
check_eq "  gone from the apiserver" "" "$(kt_uid shop naked)"
naked_gone() { kt_unlisted "$M" "$NAKED_SHOP"; }
check "  and from the mount" wait_until 10 naked_gone
# A ReplicaSet would have replaced a pod by now (above: well under 30 s);
# nothing brings a naked pod back. Measured against a second kill that
# must be replaced: once web has its 3 pods again, naked is still gone.
read -r _ V2NAME < <(kube_pods default | grep ' web-' | head -n 1)
kt_kill "$M" "$V2NAME.default" >/dev/null
wait_until 30 replaced
check_eq "nothing brought the naked pod back (while the ReplicaSet replaced another)" "" \
    "$(kube_pods shop | grep ' naked$')"
check_eq "a second kill of the same pod: ENOENT" ENOENT "$(kt_kill "$M" "$NAKED_SHOP")"
kt_check_agrees "the mount still equals kubectl" "$M" 10

# Every kind of kubeconfig reaches the same cluster; the engine file is
# the context's name.
for kc in "$KUBE_KC_DATA:data" "$KUBE_KC_TOKEN:token" "$KUBE_KC_TOKENFILE:tokenfile" \
          "$KUBE_KC_RBAC:dockerfs" "$KUBE_KC_ALL:admin"; do
    f=${kc%:*}
    ENGINE=${kc##*:}
    m=$TESTS_TMP/mnt-$ENGINE-$(basename "$f" .kubeconfig)
    if dfs_mount "$m" --kubeconfig "$f"; then
        kt_check_agrees "$(basename "$f") (context $ENGINE): every pod and file as kubectl says" "$m" 20
    else
        not_ok "$(basename "$f"): dockerfs mounts" "$(tail -n 3 "$DFS_LOG")"
    fi
    dfs_stop
done
# The credentials stay in memory: with everything inline (certificate,
# key, CA), dockerfs lists, reads and kills without creating, writing or
# renaming a file (no temp file for libcurl), as strace sees it.
ENGINE=data
m=$TESTS_TMP/mnt-strace
ST=$TESTS_TMP/strace.log
mkdir -p "$m"
DFS_N=$((DFS_N + 1))
DFS_LOG=$TESTS_TMP/dockerfs.$DFS_N.log
strace -f -qq --seccomp-bpf -o "$ST" \
    -e trace=%file,memfd_create env --default-signal=INT,QUIT \
    "$DOCKERFS_BIN" "$m" -f --kubeconfig "$KUBE_KC_DATA" >"$DFS_LOG" 2>&1 &
STRACE_PID=$!
DFS_MNTS+=("$m")
traced() { DFS_PID=$(pgrep -P "$STRACE_PID" | head -n 1) && [ -n "$DFS_PID" ] && dfs_ready "$m"; }
if wait_until 20 traced && dfs_mounted "$m"; then
    DFS_PIDS+=("$DFS_PID")
    kt_check_agrees "under strace, data.kubeconfig (all inline): every pod and file as kubectl says" "$m" 20
    read -r _ SNAME < <(kube_pods default | grep ' web-' | head -n 1)
    check_eq "  a kill: OK" OK "$(kt_kill "$m" "$SNAME.default")"
    dfs_stop
    wait "$STRACE_PID" 2>/dev/null
    wrote=$(grep -E 'O_WRONLY|O_RDWR|O_CREAT|O_TMPFILE|^[0-9]+ +(creat|mkdir|mkdirat|rename|renameat2?|link|linkat|symlink|symlinkat|unlink|unlinkat|memfd_create)\(' "$ST" |
        grep -vE '"/dev/(fuse|null)"' | grep -v ' = -1 ')
    check_eq "  no file created or written (only /dev/fuse and /dev/null opened for writing)" "" "$wrote"
    check "  strace saw the kubeconfig read" grep -q "$(basename "$KUBE_KC_DATA")" "$ST"
else
    not_ok "under strace, data.kubeconfig: dockerfs mounts" "$(tail -n 3 "$DFS_LOG")"
    kill "$STRACE_PID" 2>/dev/null
fi
dfs_stop

# A cluster's tls-server-name: the certificate is checked against that
# name (one the apiserver's certificate does not hold is refused, one it
# holds is taken). Its proxy-url: every request goes through that proxy
# (tests/helpers/connectproxy logs each tunnel).
unset https_proxy HTTPS_PROXY no_proxy NO_PROXY
with_line() { sed "s|^    server: .*|&\n    $2|" "$KUBE_KC_DATA" >"$1"; }
with_line "$TESTS_TMP/badname.kubeconfig" "tls-server-name: nosuch.example"
neg_run -- --kubeconfig "$TESTS_TMP/badname.kubeconfig"
check_eq "tls-server-name not in the apiserver's certificate: exit 2" 2 "$NEG_RC"
case $NEG_OUT in
    *certificate*|*SSL*) ok "  it says the certificate does not match" ;;
    *) not_ok "  it says the certificate does not match" "$NEG_OUT" ;;
esac
with_line "$TESTS_TMP/name.kubeconfig" "tls-server-name: kubernetes.default"
m=$TESTS_TMP/mnt-name
if dfs_mount "$m" --kubeconfig "$TESTS_TMP/name.kubeconfig"; then
    ENGINE=data kt_check_agrees "tls-server-name: kubernetes.default (in its certificate): every pod and file as kubectl says" "$m" 20
else
    not_ok "tls-server-name: kubernetes.default: dockerfs mounts" "$(tail -n 3 "$DFS_LOG")"
fi
dfs_stop
python3 "$REPO/tests/helpers/connectproxy" "$TESTS_TMP/proxy.log" >"$TESTS_TMP/proxy.port" &
PROXY_PID=$!
proxy_up() { [ -s "$TESTS_TMP/proxy.port" ]; }
if wait_until 10 proxy_up; then
    with_line "$TESTS_TMP/proxy.kubeconfig" "proxy-url: http://127.0.0.1:$(cat "$TESTS_TMP/proxy.port")"
    m=$TESTS_TMP/mnt-proxy
    if dfs_mount "$m" --kubeconfig "$TESTS_TMP/proxy.kubeconfig"; then
        ENGINE=data kt_check_agrees "proxy-url: every pod and file as kubectl says" "$m" 20
        check "  the requests went through the proxy (CONNECT ${KUBE_SERVER#https://})" \
            grep -qx "CONNECT ${KUBE_SERVER#https://}" "$TESTS_TMP/proxy.log"
    else
        not_ok "proxy-url: dockerfs mounts" "$(tail -n 3 "$DFS_LOG")"
    fi
    dfs_stop
else
    not_ok "tests/helpers/connectproxy listens"
fi
kill "$PROXY_PID" 2>/dev/null
wait "$PROXY_PID" 2>/dev/null

ENGINE=nodelete
m=$TESTS_TMP/mnt-ctx
if dfs_mount "$m" --kubeconfig "$KUBE_KC_ALL" --kube-context nodelete; then
    kt_check_agrees "all.kubeconfig --kube-context nodelete: the context picked, its name the engine" "$m" 20
else
    not_ok "all.kubeconfig --kube-context nodelete mounts" "$(tail -n 3 "$DFS_LOG")"
fi
dfs_stop
ENGINE="admin"

# Bad kubeconfigs: one line, exit 2, nothing mounted.
bad() {
    local desc=$1 want=$2 lines
    shift 2
    neg_run -- "$@"
    check_eq "$desc: exit 2" 2 "$NEG_RC"
    lines=$(grep -v -e '^[[:space:]]*$' -e "^Try '.*--help'" <<<"$NEG_OUT" | grep -c .)
    check_eq "$desc: one line of message" 1 "$lines"
    case $NEG_OUT in
        *"$want"*) ok "$desc: it says $want" ;;
        *) not_ok "$desc: it says $want" "$NEG_OUT" ;;
    esac
    note "$desc -> $(head -n 2 <<<"$NEG_OUT")"
    check "$desc: nothing mounted" dfs_unmounted "$NEG_MNT"
}
bad "a kubeconfig that is not there" "$TESTS_TMP/none.kubeconfig" \
    --kubeconfig "$TESTS_TMP/none.kubeconfig"
bad "an unknown context" "nosuchctx" --kubeconfig "$KUBE_KC_ALL" --kube-context nosuchctx
bad "a CA that did not sign the apiserver's certificate" "certificate" \
    --kubeconfig "$KUBE_KC_BADCA"
printf 'apiVersion: v1\nkind: Config\nclusters: [\n' >"$TESTS_TMP/broken.kubeconfig"
bad "a kubeconfig that is not YAML" "broken.kubeconfig" --kubeconfig "$TESTS_TMP/broken.kubeconfig"

kube_test_alive "the cluster is still up"
check_san "$LOG"
DFS_PID=$MPID
dfs_stop TERM
check_eq "dockerfs: SIGTERM: exit 0" 0 "$DFS_RC"
kube_test_stop
tap_done
