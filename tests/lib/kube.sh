# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kube.sh - a real Kubernetes control plane on one machine, for tests:
# etcd, kube-apiserver and kube-controller-manager in a network namespace
# of the test's own. Source it (tap.sh too for the kube_test_* steps), then:
#
#   kube_start [DIR]     makes the namespace (its lo holds KUBE_ADDR, an
#                        address that exists only in there), a CA and the
#                        certificates (tests/lib/pki.sh), a service-account
#                        key pair and a token file; starts etcd (its data on
#                        a tmpfs), kube-apiserver (client certificates,
#                        tokens, --authorization-mode=RBAC) and
#                        kube-controller-manager in it, each with nsenter
#                        --net= (not `ip netns exec`, which remounts /sys),
#                        bridges the apiserver to 127.0.0.1:KUBE_PORT of
#                        the host (below), applies the repository's RBAC
#                        manifest (container/kube/dockerfs-rbac.yaml) and
#                        writes the kubeconfigs (below). Waits until the
#                        apiserver is ready and the controllers run (the
#                        default service account has its token), and says
#                        on stderr how many seconds that took (KUBE_READY_S).
#                        DIR: default a new /tmp/ddk.XXXXXX (short: a socket
#                        lives there). Returns 1 with a reason on stderr.
#   kube_stop            stops all of it, deletes the namespace, unmounts
#                        the tmpfs, removes DIR. Safe to call twice or
#                        after a failed start; callers put it in their EXIT
#                        trap.
#   kube_down / kube_up  stop / start the apiserver alone (etcd keeps the
#                        data, the bridge stays): "apiserver gone under the
#                        mount"
#   kube_ctl ARGS        kubectl as the cluster's admin (KUBE_KC_ADMIN only:
#                        the user's KUBECONFIG and ~/.kube are never read)
#   kube_api METHOD PATH [BODY]
#                        one request as the admin (curl, client
#                        certificate): prints the answer; exit 22 on an
#                        HTTP error. PATCH sends a merge patch.
#   kube_etcdctl ARGS    etcdctl (v3 API) against the cluster's etcd
#   kube_compact         one write to etcd and a compaction at its revision,
#                        so that every older resourceVersion is gone:
#                        a watch resumed from one gets 410 Gone. Prints the
#                        revision. (Do it with the apiserver down to make
#                        its watch cache start afresh too.)
#   kube_pod NS NAME [LABEL=VALUE...]
#                        creates a naked pod (no controller); pods never
#                        run here (no node, no kubelet) and stay Pending
#   kube_pod_phase NS NAME PHASE
#                        sets the pod's phase through the pods/status
#                        subresource (Running adds Ready=True)
#   kube_pods NS         "uid name" of every pod of NS ("" = all), sorted
#   kube_nsenter CMD...  CMD in the cluster's network namespace
#
# What a test gets (exported):
#   KUBE_DIR, KUBE_NETNS (the namespace's name), KUBE_ADDR (the apiserver's
#   address in there), KUBE_PORT / KUBE_SERVER (https://127.0.0.1:PORT in
#   the host's namespace), KUBE_CA (the CA's certificate), KUBE_BIN
#   (the binaries' directory), KUBE_TOKEN (bearer token of an admin user
#   of the token file), KUBE_SA_TOKEN (the token of the manifest's
#   service account), and one kubeconfig per way in, each with one context
#   named as shown (the member name dockerfs gives the cluster):
#     KUBE_KC_ADMIN      context admin: client certificate in group
#                        system:masters, CA and certificate as file paths
#     KUBE_KC_DATA       context data: the same user, everything inline
#                        (certificate-authority-data, client-*-data)
#     KUBE_KC_TOKEN      context token: bearer token (KUBE_TOKEN), CA inline
#     KUBE_KC_TOKENFILE  context tokenfile: tokenFile pointing at a file
#                        holding KUBE_SA_TOKEN (least privilege)
#     KUBE_KC_RBAC       context dockerfs: the service account dockerfs of
#                        container/kube/dockerfs-rbac.yaml, its token inline
#     KUBE_KC_NODELETE   context nodelete: a service account that may get,
#                        list and watch pods, nothing else
#     KUBE_KC_BADCA      context badca: the admin's credentials with
#                        another CA: the server's certificate fails
#     KUBE_KC_ALL        all of the above but badca in one file,
#                        current-context admin
#
# How the host reaches the cluster: the apiserver listens on
# KUBE_ADDR:6443 inside the namespace only. A socat inside the namespace
# carries a unix socket (KUBE_DIR/api.sock, a file, seen from both sides)
# to it, and a socat in the host's namespace listens on 127.0.0.1:KUBE_PORT
# and carries each connection to that socket (the launcher's trick for VNC).
# So dockerfs, kubectl and curl run in the host's namespace as a user's
# would, against https://127.0.0.1:PORT, and no packet of the cluster
# (etcd, the controllers, the apiserver) ever leaves its namespace.
#
# For test scripts (tap.sh loaded, TESTS_TMP set), each step one check that
# ends the script (tap_done) when it fails:
#
#   kube_test_start      kube_start under TESTS_TMP when the path is short
#                        enough, else a new /tmp/ddk.XXXXXX
#   kube_test_stop       kube_stop, then checks the namespace is gone
#   kube_test_alive DESC one check: the apiserver and the controller-manager
#                        still run and the apiserver is ready (else the
#                        end of their logs, and the script ends: nothing
#                        after would mean anything)
#   kube_test_deploy NAME N [NS]
#                        a Deployment NAME of N replicas in NS (default
#                        default); waits until its N pods exist
#
# The binaries come from tests/kube/build.sh (the cache; `make kube-bin`
# builds them); KUBE_BIN overrides. etcd and etcdctl are Debian's
# (etcd-server, etcd-client).

KUBE_TESTS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/pki.sh
. "$KUBE_TESTS_LIB/pki.sh"
# shellcheck source=tests/lib/ports.sh
. "$KUBE_TESTS_LIB/ports.sh"
# shellcheck source=tests/lib/proc.sh
. "$KUBE_TESTS_LIB/proc.sh"

KUBE_REPO=$(cd "$KUBE_TESTS_LIB/../.." && pwd)
KUBE_START_TIMEOUT=${KUBE_START_TIMEOUT:-180}
KUBE_STOP_TIMEOUT=${KUBE_STOP_TIMEOUT:-15}
# The apiserver's address on the namespace's lo, and the service range
# (no kube-proxy here: nothing routes it; the apiserver wants one).
KUBE_ADDR=${KUBE_ADDR:-10.232.0.1}
KUBE_SERVICE_RANGE=${KUBE_SERVICE_RANGE:-10.233.0.0/24}
KUBE_SERVICE_IP=${KUBE_SERVICE_IP:-10.233.0.1}
# The image named in test pods: never pulled, as no pod ever runs here.
KUBE_POD_IMAGE=${KUBE_POD_IMAGE:-dockerdoom-test:latest}
KUBE_RBAC_MANIFEST=${KUBE_RBAC_MANIFEST:-$KUBE_REPO/container/kube/dockerfs-rbac.yaml}
KUBE_DIR=
KUBE_NETNS=
KUBE_TMPFS=

# Runs a command in the cluster's network namespace.
kube_nsenter() {
    nsenter --net="/run/netns/$KUBE_NETNS" "$@"
}

# Starts a long-running process of the cluster in the background, in the
# namespace, its output appended to KUBE_DIR/NAME.log; its pid goes to
# KUBE_DIR/NAME.pid. setsid: a Ctrl-C in the terminal reaches the test,
# whose trap stops the cluster in order.
kube_launch() {
    local name=$1 pid
    shift
    setsid nsenter --net="/run/netns/$KUBE_NETNS" "$@" \
        >>"$KUBE_DIR/$name.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$KUBE_DIR/$name.pid"
}

# Is the process NAME (started by kube_launch) still running?
kube_alive() {
    local pid
    pid=$(cat "$KUBE_DIR/$1.pid" 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Stops the process NAME: TERM, then KILL after SECS (default
# KUBE_STOP_TIMEOUT) s.
kube_halt() {
    local pid secs=${2:-$KUBE_STOP_TIMEOUT}
    pid=$(cat "$KUBE_DIR/$1.pid" 2>/dev/null) || return 0
    proc_stop "$pid" "$secs"
    rm -f "$KUBE_DIR/$1.pid"
}

# Polls a command every 100 ms until it succeeds (0), NAME has died or
# SECS have passed (1).
kube_wait() {
    local secs=$1 name=$2 i
    shift 2
    for ((i = 0; i < secs * 10; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        [ -n "$name" ] && ! kube_alive "$name" && return 1
        sleep 0.1
    done
    return 1
}

# Says why a part did not come up, with the end of its log; returns 1.
kube_fail() {
    echo "kube: $1; last lines of $KUBE_DIR/$2.log:" >&2
    tail -n 20 "$KUBE_DIR/$2.log" >&2 2>/dev/null
    return 1
}

# Finds the binaries: KUBE_BIN, else the cache tests/kube/build.sh fills.
kube_find_bin() {
    local b
    if [ -z "${KUBE_BIN:-}" ]; then
        KUBE_BIN=$("$KUBE_REPO/tests/kube/build.sh" --print-dir 2>/dev/null) || {
            echo "kube: no kube-apiserver / kube-controller-manager built yet (make kube-bin)" >&2
            return 1
        }
    fi
    for b in kube-apiserver kube-controller-manager; do
        [ -x "$KUBE_BIN/$b" ] || { echo "kube: $KUBE_BIN/$b is missing (make kube-bin)" >&2; return 1; }
    done
    for b in etcd etcdctl kubectl socat nsenter ip openssl curl; do
        command -v "$b" >/dev/null ||
            { echo "kube: needs $b (container/deps.sh check installs it)" >&2; return 1; }
    done
    export KUBE_BIN
}

# The namespace, with KUBE_ADDR on its lo. No interface joins it to the
# host's namespace.
kube_netns() {
    KUBE_NETNS=ddk$$-$RANDOM
    ip netns add "$KUBE_NETNS" || { KUBE_NETNS=; return 1; }
    ip -n "$KUBE_NETNS" link set lo up &&
        ip -n "$KUBE_NETNS" addr add "$KUBE_ADDR/32" dev lo
}

# The CA, the apiserver's serving certificate, client certificates (the
# admin in system:masters, the controller-manager as its bootstrap RBAC
# user), the service-account key pair, a second CA for a kubeconfig that
# must fail, and the token file.
kube_pki() {
    local p=$KUBE_DIR/pki
    mkdir -p "$p" && chmod 0700 "$p"
    {
        make_ca "$p" "dockerdoom-test-kube-ca" &&
            make_cert "$p" "$p/apiserver" kube-apiserver \
                "subjectAltName=IP:127.0.0.1,IP:$KUBE_ADDR,IP:$KUBE_SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc
extendedKeyUsage=serverAuth" &&
            # make_cert's CN goes into -subj "/CN=...": an /O= after it
            # is the organization, which the apiserver reads as a group.
            make_cert "$p" "$p/admin" "dockerdoom-admin/O=system:masters" \
                "extendedKeyUsage=clientAuth" &&
            make_cert "$p" "$p/cm" "system:kube-controller-manager" \
                "extendedKeyUsage=clientAuth" &&
            openssl genrsa -out "$p/sa-key.pem" 2048 &&
            openssl rsa -in "$p/sa-key.pem" -pubout -out "$p/sa.pem" &&
            make_ca "$p/other" "not-the-cluster-ca"
    } >"$KUBE_DIR/pki.log" 2>&1 || return 1
    KUBE_CA=$p/ca.pem
    KUBE_TOKEN=$(openssl rand -hex 24)
    # token,user,uid,"group1,group2"
    printf '%s,dockerdoom-token-admin,dd-token-admin,"system:masters"\n' "$KUBE_TOKEN" \
        >"$p/tokens.csv"
}

# Writes a kubeconfig of one context: FILE CONTEXT SERVER then the user's
# lines (indented for the user: map) and the cluster's CA line.
kube_kubeconfig() {
    local file=$1 ctx=$2 server=$3 ca_line=$4 user_lines=$5
    cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: $ctx-cluster
  cluster:
    server: $server
    $ca_line
users:
- name: $ctx-user
  user:
$user_lines
contexts:
- name: $ctx
  context:
    cluster: $ctx-cluster
    user: $ctx-user
current-context: $ctx
EOF
    chmod 0600 "$file"
}

b64() { base64 -w0 <"$1"; }

# The kubeconfigs of the certificate and static-token users (the service
# accounts' come once the controllers have made their tokens).
kube_kubeconfigs_static() {
    local p=$KUBE_DIR/pki k=$KUBE_DIR/kc
    mkdir -p "$k" && chmod 0700 "$k"
    KUBE_KC_ADMIN=$k/admin.kubeconfig
    KUBE_KC_DATA=$k/data.kubeconfig
    KUBE_KC_TOKEN=$k/token.kubeconfig
    KUBE_KC_BADCA=$k/badca.kubeconfig
    kube_kubeconfig "$KUBE_KC_ADMIN" admin "$KUBE_SERVER" \
        "certificate-authority: $p/ca.pem" \
        "    client-certificate: $p/admin-cert.pem
    client-key: $p/admin-key.pem"
    kube_kubeconfig "$KUBE_KC_DATA" data "$KUBE_SERVER" \
        "certificate-authority-data: $(b64 "$p/ca.pem")" \
        "    client-certificate-data: $(b64 "$p/admin-cert.pem")
    client-key-data: $(b64 "$p/admin-key.pem")"
    kube_kubeconfig "$KUBE_KC_TOKEN" token "$KUBE_SERVER" \
        "certificate-authority-data: $(b64 "$p/ca.pem")" \
        "    token: $KUBE_TOKEN"
    kube_kubeconfig "$KUBE_KC_BADCA" badca "$KUBE_SERVER" \
        "certificate-authority: $p/other/ca.pem" \
        "    client-certificate: $p/admin-cert.pem
    client-key: $p/admin-key.pem"
    # The controller-manager's, inside the namespace.
    kube_kubeconfig "$KUBE_DIR/cm.kubeconfig" cm "https://$KUBE_ADDR:6443" \
        "certificate-authority: $p/ca.pem" \
        "    client-certificate: $p/cm-cert.pem
    client-key: $p/cm-key.pem"
}

# The token of the service account NS/NAME, from the Secret SECRET the
# token controller fills (the manifest asks for one by name, which works
# on every Kubernetes release since 1.0).
kube_sa_token() {
    kube_ctl -n "$1" get secret "$2" -o jsonpath='{.data.token}' 2>/dev/null | base64 -d
}

# The read-only service account of the tests: pods get/list/watch only.
kube_nodelete_manifest() {
    cat <<'EOF'
apiVersion: v1
kind: ServiceAccount
metadata: {name: nodelete, namespace: dockerfs}
---
apiVersion: v1
kind: Secret
metadata:
  name: nodelete-token
  namespace: dockerfs
  annotations: {kubernetes.io/service-account.name: nodelete}
type: kubernetes.io/service-account-token
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: dockerdoom-test-nodelete}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: dockerdoom-test-nodelete}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: dockerdoom-test-nodelete}
subjects:
- {kind: ServiceAccount, name: nodelete, namespace: dockerfs}
EOF
}

# Applies the repository's RBAC manifest and the read-only account, waits
# for their tokens and writes their kubeconfigs and KUBE_KC_ALL.
kube_accounts() {
    local k=$KUBE_DIR/kc ro ca_line
    kube_ctl apply -f "$KUBE_RBAC_MANIFEST" >>"$KUBE_DIR/setup.log" 2>&1 ||
        { echo "kube: kubectl apply -f $KUBE_RBAC_MANIFEST failed:" >&2; tail -n 5 "$KUBE_DIR/setup.log" >&2; return 1; }
    kube_nodelete_manifest | kube_ctl apply -f - >>"$KUBE_DIR/setup.log" 2>&1 ||
        { echo "kube: the nodelete account could not be made" >&2; return 1; }
    if ! kube_wait 60 kube-controller-manager kube_sa_token_ready dockerfs dockerfs-token ||
        ! kube_wait 60 kube-controller-manager kube_sa_token_ready dockerfs nodelete-token; then
        kube_fail "the service accounts' tokens were not made" kube-controller-manager
        return 1
    fi
    KUBE_SA_TOKEN=$(kube_sa_token dockerfs dockerfs-token)
    ro=$(kube_sa_token dockerfs nodelete-token)
    ca_line="certificate-authority: $KUBE_CA"
    KUBE_KC_RBAC=$k/dockerfs.kubeconfig
    KUBE_KC_TOKENFILE=$k/tokenfile.kubeconfig
    KUBE_KC_NODELETE=$k/nodelete.kubeconfig
    KUBE_KC_ALL=$k/all.kubeconfig
    printf '%s' "$KUBE_SA_TOKEN" >"$k/dockerfs.token"
    chmod 0600 "$k/dockerfs.token"
    kube_kubeconfig "$KUBE_KC_RBAC" dockerfs "$KUBE_SERVER" "$ca_line" "    token: $KUBE_SA_TOKEN"
    kube_kubeconfig "$KUBE_KC_TOKENFILE" tokenfile "$KUBE_SERVER" "$ca_line" "    tokenFile: $k/dockerfs.token"
    kube_kubeconfig "$KUBE_KC_NODELETE" nodelete "$KUBE_SERVER" "$ca_line" "    token: $ro"
    kube_kubeconfig_merge "$KUBE_KC_ALL" admin \
        "$KUBE_KC_ADMIN" "$KUBE_KC_DATA" "$KUBE_KC_TOKEN" "$KUBE_KC_TOKENFILE" \
        "$KUBE_KC_RBAC" "$KUBE_KC_NODELETE"
}

kube_sa_token_ready() {
    [ -n "$(kube_sa_token "$1" "$2")" ]
}

# Merges kubeconfigs of one context each into OUT (current-context CTX):
# their clusters, users and contexts sections, one after the other.
kube_kubeconfig_merge() {
    local out=$1 ctx=$2 sec f
    shift 2
    {
        echo "apiVersion: v1"
        echo "kind: Config"
        for sec in clusters users contexts; do
            echo "$sec:"
            for f in "$@"; do
                awk -v s="$sec:" '$0 == s { on = 1; next } /^[a-z-]+:/ { on = 0 } on' "$f"
            done
        done
        echo "current-context: $ctx"
    } >"$out"
    chmod 0600 "$out"
}

kube_ctl() {
    env -u KUBECONFIG kubectl --kubeconfig "$KUBE_KC_ADMIN" "$@"
}

kube_api() {
    local method=$1 path=$2 body=${3:-} ctype=application/json
    [ "$method" = PATCH ] && ctype=application/merge-patch+json
    curl -sS --fail-with-body --max-time 30 -X "$method" \
        --cacert "$KUBE_CA" --cert "$KUBE_DIR/pki/admin-cert.pem" \
        --key "$KUBE_DIR/pki/admin-key.pem" \
        -H "Content-Type: $ctype" ${body:+--data-binary "$body"} \
        "$KUBE_SERVER$path"
}

kube_etcdctl() {
    ETCDCTL_API=3 kube_nsenter etcdctl --endpoints=http://127.0.0.1:2379 \
        --command-timeout=10s "$@"
}

kube_compact() {
    local rev
    kube_etcdctl put /dockerdoom-test/compact "$(date +%s%N)" >/dev/null || return 1
    rev=$(kube_etcdctl endpoint status -w json |
        sed -n 's/.*"revision":\([0-9]*\).*/\1/p' | head -n 1)
    [ -n "$rev" ] || return 1
    kube_etcdctl compact "$rev" >/dev/null || return 1
    echo "$rev"
}

# A pod's JSON: NAME with labels LABEL=VALUE..., the test image, nothing
# that could run.
kube_pod_json() {
    local name=$1 l k v labels=
    shift
    for l in "$@"; do
        k=${l%%=*}
        v=${l#*=}
        labels+="${labels:+,}\"$k\":\"$v\""
    done
    printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{%s}},' "$name" "$labels"
    printf '"spec":{"containers":[{"name":"main","image":"%s"}],' "$KUBE_POD_IMAGE"
    printf '"terminationGracePeriodSeconds":0}}\n'
}

kube_pod() {
    local ns=$1 name=$2
    shift 2
    kube_api POST "/api/v1/namespaces/$ns/pods" "$(kube_pod_json "$name" "$@")" >/dev/null
}

kube_pod_phase() {
    local ns=$1 name=$2 phase=$3 ready=False
    [ "$phase" = Running ] && ready=True
    kube_api PATCH "/api/v1/namespaces/$ns/pods/$name/status" \
        "{\"status\":{\"phase\":\"$phase\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"$ready\"}]}}" \
        >/dev/null
}

kube_pods() {
    local sel=()
    if [ -n "${1:-}" ]; then sel=(-n "$1"); else sel=(-A); fi
    kube_ctl get pods "${sel[@]}" \
        -o jsonpath='{range .items[*]}{.metadata.uid} {.metadata.name}{"\n"}{end}' | sort
}

# Is the apiserver ready (its /readyz, through the bridge)?
kube_ready() {
    [ "$(kube_api GET /readyz 2>/dev/null)" = ok ]
}

# Do the controllers run? The service-account controllers have given the
# default account of namespace default its token.
kube_controllers_ready() {
    [ -n "$(kube_ctl -n default get serviceaccount default -o jsonpath='{.secrets[0].name}' 2>/dev/null)" ]
}

kube_etcd_ready() {
    kube_etcdctl endpoint health
}

kube_apiserver_launch() {
    local p=$KUBE_DIR/pki
    # shellcheck disable=SC2086  # KUBE_APISERVER_ARGS: words of options
    kube_launch kube-apiserver "$KUBE_BIN/kube-apiserver" \
        --etcd-servers=http://127.0.0.1:2379 \
        --advertise-address="$KUBE_ADDR" --bind-address="$KUBE_ADDR" --secure-port=6443 \
        --tls-cert-file="$p/apiserver-cert.pem" --tls-private-key-file="$p/apiserver-key.pem" \
        --client-ca-file="$p/ca.pem" --token-auth-file="$p/tokens.csv" \
        --authorization-mode=RBAC \
        --service-account-key-file="$p/sa.pem" \
        --service-account-signing-key-file="$p/sa-key.pem" \
        --service-account-issuer=https://kubernetes.default.svc \
        --service-cluster-ip-range="$KUBE_SERVICE_RANGE" \
        --etcd-compaction-interval=0 \
        --profiling=false --cert-dir="$KUBE_DIR/apiserver-certs" \
        ${KUBE_APISERVER_ARGS:-}
}

kube_up() {
    local t0=$SECONDS
    kube_apiserver_launch
    kube_wait "$KUBE_START_TIMEOUT" kube-apiserver kube_ready ||
        { kube_fail "kube-apiserver did not become ready" kube-apiserver; return 1; }
    KUBE_UP_S=$((SECONDS - t0))
    export KUBE_UP_S
}

# The apiserver stops listening at once on SIGTERM but may linger for
# many seconds draining; what a test needs is that it no longer answers.
kube_down() {
    kube_halt kube-apiserver 2
}

# The bridge: a socat in the namespace from KUBE_DIR/api.sock to the
# apiserver, a socat in the host's from 127.0.0.1:KUBE_PORT to the socket.
kube_bridge() {
    local i
    kube_launch bridge-in socat "UNIX-LISTEN:$KUBE_DIR/api.sock,fork,mode=0600" \
        "TCP:$KUBE_ADDR:6443"
    for ((i = 0; i < 50; i++)); do
        [ -S "$KUBE_DIR/api.sock" ] && break
        sleep 0.1
    done
    [ -S "$KUBE_DIR/api.sock" ] || { kube_fail "the bridge's socket did not appear" bridge-in; return 1; }
    for ((i = 0; i < 10; i++)); do
        KUBE_PORT=$(free_port) || return 1
        setsid socat "TCP-LISTEN:$KUBE_PORT,bind=127.0.0.1,reuseaddr,fork" \
            "UNIX-CONNECT:$KUBE_DIR/api.sock" >>"$KUBE_DIR/bridge-out.log" 2>&1 </dev/null &
        echo $! >"$KUBE_DIR/bridge-out.pid"
        kube_wait 5 bridge-out ss -Htln "sport = :$KUBE_PORT" &&
            ss -Htlnp "sport = :$KUBE_PORT" | grep -q "pid=$(cat "$KUBE_DIR/bridge-out.pid")," &&
            break
        kube_halt bridge-out
        KUBE_PORT=
    done
    [ -n "$KUBE_PORT" ] || { echo "kube: no free port for the bridge" >&2; return 1; }
    KUBE_SERVER=https://127.0.0.1:$KUBE_PORT
}

kube_start() {
    local t0=$SECONDS t_etcd t_api p
    kube_find_bin || return 1
    if [ -n "${1:-}" ]; then
        KUBE_DIR=$1
        mkdir -p "$KUBE_DIR" || return 1
    else
        KUBE_DIR=$(mktemp -d /tmp/ddk.XXXXXX) || return 1
    fi
    # A tmpfs for etcd: its fsyncs cost nothing there.
    mkdir -p "$KUBE_DIR/etcd"
    if ! mount -t tmpfs -o size=2g,mode=0700 ddkube "$KUBE_DIR/etcd"; then
        echo "kube: cannot mount a tmpfs on $KUBE_DIR/etcd" >&2
        return 1
    fi
    KUBE_TMPFS=$KUBE_DIR/etcd
    kube_netns || { echo "kube: cannot make the network namespace" >&2; return 1; }
    kube_pki || { echo "kube: making the certificates failed:" >&2; tail -n 5 "$KUBE_DIR/pki.log" >&2; return 1; }

    kube_launch etcd etcd --name dd --data-dir "$KUBE_DIR/etcd/data" \
        --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
        --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
        --initial-cluster dd=http://127.0.0.1:2380 --log-level warn --logger zap
    kube_wait 60 etcd kube_etcd_ready || { kube_fail "etcd did not come up" etcd; return 1; }
    t_etcd=$((SECONDS - t0))

    kube_bridge || return 1
    kube_kubeconfigs_static
    kube_up || return 1
    t_api=$((SECONDS - t0))

    # shellcheck disable=SC2086  # KUBE_CM_ARGS: words of options
    kube_launch kube-controller-manager "$KUBE_BIN/kube-controller-manager" \
        --kubeconfig="$KUBE_DIR/cm.kubeconfig" \
        --leader-elect=false --use-service-account-credentials=true \
        --service-account-private-key-file="$KUBE_DIR/pki/sa-key.pem" \
        --root-ca-file="$KUBE_DIR/pki/ca.pem" \
        --controllers=deployment,replicaset,garbagecollector,namespace,serviceaccount,serviceaccount-token,disruption \
        --kube-api-qps=200 --kube-api-burst=400 \
        --bind-address=127.0.0.1 --port=0 --cert-dir="$KUBE_DIR/cm-certs" \
        --profiling=false ${KUBE_CM_ARGS:-}
    kube_wait "$KUBE_START_TIMEOUT" kube-controller-manager kube_controllers_ready ||
        { kube_fail "kube-controller-manager did not start its controllers" kube-controller-manager; return 1; }
    kube_accounts || return 1
    KUBE_READY_S=$((SECONDS - t0))
    export KUBE_DIR KUBE_NETNS KUBE_ADDR KUBE_PORT KUBE_SERVER KUBE_CA KUBE_BIN \
        KUBE_TOKEN KUBE_SA_TOKEN KUBE_READY_S KUBE_KC_ADMIN KUBE_KC_DATA \
        KUBE_KC_TOKEN KUBE_KC_TOKENFILE KUBE_KC_RBAC KUBE_KC_NODELETE \
        KUBE_KC_BADCA KUBE_KC_ALL
    echo "kube: ready in $KUBE_READY_S s (etcd ${t_etcd} s, apiserver $((t_api - t_etcd)) s, controllers $((KUBE_READY_S - t_api)) s), namespace $KUBE_NETNS, $KUBE_SERVER" >&2
}

kube_stop() {
    local name p cmd
    [ -n "$KUBE_DIR" ] || return 0
    for name in bridge-out kube-controller-manager kube-apiserver bridge-in etcd; do
        kube_halt "$name"
    done
    # Anything else started with DIR in its command line (a helper a test
    # left behind).
    for p in /proc/[0-9]*; do
        p=${p#/proc/}
        [ "$p" = "$$" ] && continue
        cmd=$( { tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null) || continue
        case $cmd in *"$KUBE_DIR"/*) kill -KILL "$p" 2>/dev/null || true ;; esac
    done
    if [ -n "$KUBE_NETNS" ]; then
        ip netns del "$KUBE_NETNS" 2>/dev/null || true
        KUBE_NETNS=
    fi
    if [ -n "$KUBE_TMPFS" ]; then
        umount "$KUBE_TMPFS" 2>/dev/null || umount -l "$KUBE_TMPFS" 2>/dev/null || true
        KUBE_TMPFS=
    fi
    rm -rf "$KUBE_DIR" 2>/dev/null || true
    KUBE_DIR=
}

kube_test_start() {
    local kd=
    # Under the script's own dir when short enough for the socket, so the
    # runner's sweep of TESTS_TMP also catches anything left behind.
    [ ${#TESTS_TMP} -le 60 ] && kd=$TESTS_TMP/k
    if kube_start ${kd:+"$kd"} 2>"$TESTS_TMP/kube.err"; then
        ok "cluster: etcd, kube-apiserver, kube-controller-manager in namespace $KUBE_NETNS"
        note "$(tail -n 1 "$TESTS_TMP/kube.err")"
    else
        not_ok "cluster starts (etcd, kube-apiserver, kube-controller-manager)" "$(cat "$TESTS_TMP/kube.err")"
        tap_done
    fi
}

kube_test_stop() {
    local ns=$KUBE_NETNS
    kube_stop
    if grep -qE "^$ns( |\$)" <<<"$(ip netns list)"; then
        not_ok "the cluster's namespace is deleted" "$(ip netns list)"
    else
        ok "the cluster's namespace is deleted (ip netns list)"
    fi
}

kube_test_alive() {
    local n
    for n in kube-apiserver kube-controller-manager; do
        if ! kube_alive "$n"; then
            not_ok "$1" "$n died; the end of its log:
$(grep -v '^\s' "$KUBE_DIR/$n.log" | tail -n 8)"
            tap_done
        fi
    done
    if kube_wait 10 kube-apiserver kube_ready; then
        ok "$1"
    else
        not_ok "$1" "the apiserver is not ready: $(kube_api GET /readyz 2>&1 | tail -n 3)"
        tap_done
    fi
}

# Does NS have exactly N pods of the Deployment NAME (label app=NAME)?
kube_deploy_count() {
    [ "$(kube_ctl -n "$3" get pods -l "app=$1" -o name 2>/dev/null | grep -c .)" -eq "$2" ]
}

kube_test_deploy() {
    local name=$1 n=$2 ns=${3:-default} out t
    if out=$(kube_ctl -n "$ns" create deployment "$name" --image="$KUBE_POD_IMAGE" \
        --replicas="$n" 2>&1); then
        ok "deployment $name: $n replicas in namespace $ns"
    else
        not_ok "deployment $name: $n replicas in namespace $ns" "$out"
        tap_done
    fi
    t=$(now_ms)
    if wait_until 60 kube_deploy_count "$name" "$n" "$ns"; then
        ok "its ReplicaSet made $n pods"
        note "in $(( $(now_ms) - t )) ms"
    else
        not_ok "its ReplicaSet made $n pods" "$(kube_ctl -n "$ns" get pods -o wide 2>&1 | head -n 12)"
        tap_done
    fi
}
