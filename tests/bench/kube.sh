#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kube.sh - the Kubernetes rows of `make bench` (alone: `make bench-kube`).
#
# Starts a real control plane (tests/lib/kube.sh: etcd, kube-apiserver,
# kube-controller-manager in a network namespace of its own; the binaries
# from `make kube-bin`), mounts dockerfs on it (--kubeconfig, the admin's
# client certificate) and measures, in one run on one cluster:
#   1. freshness: BENCH_KUBE_FRESH_N pods created one by one through the
#      API, each timed from the apiserver's reply until the mount shows
#      its directory (stat, and listed), then deleted and timed until it
#      is gone; on an empty cluster and again at the largest size
#   2. kill: BENCH_KUBE_KILL_N twin pairs, one killed by writing 1 to its
#      kill file, the other by a direct DELETE (grace 0, uid precondition,
#      as dockerfs sends it), each timed until the apiserver answers 404
#   3. at each of BENCH_KUBE_SIZES pods (Pending: no node runs them),
#      created concurrently through the API (ddbench kcreate):
#      - ls of the mount against `kubectl get pods -A` (whole processes)
#      - reading every pod's name and namespace from the mount against one
#        GET /api/v1/pods decoded as a whole (C, timed inside ddbench)
#      - kubedoom's way, which runs `kubectl get pods -A -o go-template`
#        (namespace/name of every pod) on every request of its game,
#        beside the same answer read from the mount by the game's way:
#        in-process, the listing and every name and namespace file
#      - dockerfs's resident memory, and again started afresh at that size
# Writes CSV files and a summary into $B/bench-results/<stamp>-kube/ and
# prints the summary. Figures only: nothing here passes or fails on
# speed.
#
# Knobs: BENCH_KUBE_SIZES ("1000 10000"), BENCH_REPS (5),
# BENCH_KUBE_FRESH_N (50; 20 at the largest size), BENCH_KUBE_KILL_N (20),
# BENCH_CREATE_PAR (8), BENCH_DOCKERFS (the dockerfs binary, default
# $B/dockerfs).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${B:-build}
DFS_BIN=${BENCH_DOCKERFS:-$REPO/$B/dockerfs}
DDB=$REPO/$B/bench/ddbench
SIZES=${BENCH_KUBE_SIZES:-1000 10000}
REPS=${BENCH_REPS:-5}
FRESH_N=${BENCH_KUBE_FRESH_N:-50}
FRESH_MAX_N=${BENCH_KUBE_FRESH_MAX_N:-20}
KILL_N=${BENCH_KUBE_KILL_N:-20}
CREATE_PAR=${BENCH_CREATE_PAR:-8}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$REPO/$B/bench-results/$STAMP-kube
# kubedoom's list of pods, as it runs it for every request of its game.
KUBEDOOM_TEMPLATE='--template={{range .items}}{{.metadata.namespace}}/{{.metadata.name}} {{end}}'

# shellcheck source=tests/lib/engine.sh
. "$REPO/tests/lib/engine.sh"
# shellcheck source=tests/lib/kube.sh
. "$REPO/tests/lib/kube.sh"
# shellcheck source=tests/bench/lib.sh
. "$REPO/tests/bench/lib.sh"

for f in "$DFS_BIN" "$DDB"; do
    [ -x "$f" ] || { echo "bench-kube: $f missing (run: make bench-kube)" >&2; exit 1; }
done

TMP=$(mktemp -d /tmp/ddkb.XXXXXX)
MNT=$TMP/mnt
DFS_PID=

log() { printf '[bench-kube %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

cleanup() {
    set +e
    bench_stop_pid "$DFS_PID"
    bench_unmount "$MNT"
    kube_stop
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The q-quantile (nearest rank) of the numbers on stdin.
quantile() {
    sort -g | awk -v q="$1" '{ v[NR] = $1 }
        END { if (NR == 0) { print "nan"; exit }
              i = int(q * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR
              print v[i] }'
}
median_of() {
    local r
    for ((r = 0; r < REPS; r++)); do tms "$@"; done | quantile 0.5
}
# A ddbench timing (it prints ms), median of REPS.
dmedian() {
    local r
    for ((r = 0; r < REPS; r++)); do "$DDB" "$@"; done | quantile 0.5
}
# Column c of a CSV (header skipped), quantile q.
cq() { awk -F, -v c="$2" 'NR > 1 && $c >= 0 { print $c }' "$1" | quantile "$3"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "nan" }'; }

kubectl_() { env -u KUBECONFIG kubectl --kubeconfig "$KUBE_KC_ADMIN" "$@"; }

# Starts dockerfs on MNT and waits until it lists want entries; MOUNT_MS
# is the ms it took, DFS_PID its pid.
mount_dfs() {
    local want=$1 t0 t1
    mkdir -p "$MNT"
    t0=${EPOCHREALTIME/./}
    "$DFS_BIN" "$MNT" -f --kubeconfig "$KUBE_KC_ADMIN" >>"$TMP/dockerfs.log" 2>&1 &
    DFS_PID=$!
    "$DDB" waitcount "$MNT" "$want" 300 >/dev/null ||
        { echo "bench-kube: the mount never listed $want pods" >&2; tail "$TMP/dockerfs.log" >&2; exit 1; }
    t1=${EPOCHREALTIME/./}
    MOUNT_MS=$(((t1 - t0) / 1000))
}

machine_info() {
    {
        echo "date_utc,$STAMP"
        echo "cpu,\"$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)\""
        echo "cores,$(nproc)"
        echo "kernel,$(uname -r)"
        echo "apiserver,$("$KUBE_BIN/kube-apiserver" --version 2>/dev/null)"
        echo "etcd,$(etcd --version 2>/dev/null | head -n 1)"
        echo "kubectl,\"$(kubectl version --client 2>/dev/null | head -n 1)\""
        echo "loadavg_start,\"$(cut -d' ' -f1-3 /proc/loadavg)\""
    } >"$OUT/machine.csv"
}

# ---------------------------------------------------------------- setup
mkdir -p "$OUT"
log "results: $OUT"
log "starting the cluster (tests/lib/kube.sh)"
kube_start "$TMP/k" 2>"$TMP/kube.err" || { cat "$TMP/kube.err" >&2; exit 1; }
log "$(tail -n 1 "$TMP/kube.err")"
export KUBE_SERVER KUBE_CA KUBE_DIR
machine_info
kubectl_ create namespace bench >/dev/null
mount_dfs 0
sleep 1
echo "state,pods,rss_kb" >"$OUT/rss.csv"
echo "running,0,$(rss_kb "$DFS_PID")" >>"$OUT/rss.csv"

# ------------------------------------------------------ freshness, kill
log "freshness: $FRESH_N pods, create/delete one at a time, empty cluster"
"$DDB" kfresh default "$MNT" "$FRESH_N" >"$OUT/fresh-0.csv"
log "kill: $KILL_N twin pairs"
"$DDB" kkill default "$MNT" "$KILL_N" >"$OUT/kill.csv"

# ------------------------------------------------------------ the sizes
echo "pods,create_s,ls_ms,kubectl_ms,scan_ms,api_ms,kubedoom_ms,rss_kb,fresh_rss_kb,fresh_start_ms" \
    >"$OUT/sizes.csv"
have=0
largest=0
for n in $SIZES; do
    [ "$n" -gt "$largest" ] && largest=$n
    log "$n pods: creating $((n - have)) more ($CREATE_PAR at a time)"
    t0=$SECONDS
    "$DDB" kcreate bench $((n - have)) "$CREATE_PAR" "p$n" >/dev/null ||
        log "some creates failed"
    have=$(kubectl_ get pods -n bench -o name | grep -c .)
    create_s=$((SECONDS - t0))
    "$DDB" waitcount "$MNT" "$have" 300 >/dev/null || log "the mount does not list $have"
    log "$have pods in $create_s s; measuring, $REPS runs each"
    ls_ms=$(median_of ls -1 "$MNT")
    kubectl_ms=$(median_of kubectl_ get pods -A)
    scan_ms=$(dmedian tkscan "$MNT")
    api_ms=$(dmedian tkapi)
    kubedoom_ms=$(median_of kubectl_ get pods -A -o go-template "$KUBEDOOM_TEMPLATE")
    rss=$(rss_kb "$DFS_PID")
    echo "running,$have,$rss" >>"$OUT/rss.csv"
    log "$have pods: dockerfs started afresh"
    bench_stop_pid "$DFS_PID"
    bench_unmount "$MNT"
    mount_dfs "$have"
    fresh_ms=$MOUNT_MS
    sleep 1
    fresh_rss=$(rss_kb "$DFS_PID")
    echo "fresh,$have,$fresh_rss" >>"$OUT/rss.csv"
    echo "$have,$create_s,$ls_ms,$kubectl_ms,$scan_ms,$api_ms,$kubedoom_ms,$rss,$fresh_rss,$fresh_ms" \
        >>"$OUT/sizes.csv"
done
log "freshness: $FRESH_MAX_N pods with $have others"
"$DDB" kfresh default "$MNT" "$FRESH_MAX_N" >"$OUT/fresh-max.csv"

# -------------------------------------------------------------- summary
{
    echo "Kubernetes: dockerfs --kubeconfig on a real kube-apiserver (Pending pods, no node)"
    echo
    printf '%7s %8s %11s %6s %10s %11s %6s %15s %7s %7s %8s\n' pods "ls ms" "kubectl get" ratio \
        "scan ms" "GET+decode" ratio "kubedoom's req" ratio "RSS MB" "fresh MB"
    awk -F, 'NR > 1 {
        printf "%7d %8.1f %11.1f %5.0fx %10.1f %11.1f %5.1fx %15.1f %6.0fx %7.1f %8.1f\n",
            $1, $3, $4, ($3 > 0 ? $4 / $3 : 0), $5, $6, ($5 > 0 ? $6 / $5 : 0), $7,
            ($5 > 0 ? $7 / $5 : 0), $8 / 1024, $9 / 1024 }' "$OUT/sizes.csv"
    echo "(ls, kubectl get and kubedoom's request (kubectl get pods -A -o go-template, which"
    echo " kubedoom runs for every request of its game) are whole processes, median of $REPS;"
    echo " scan (the listing and every name and namespace file, as a game reads the mount) and"
    echo " GET+decode (one GET /api/v1/pods, decoded with jansson) are timed inside ddbench;"
    echo " kubedoom's ratio is against the scan; fresh: dockerfs started afresh at that size)"
    echo
    echo "pod created -> in the mount (ms from the apiserver's reply; median / p99):"
    printf '  empty cluster, %d pods: stat %s / %s, listed %s / %s\n' "$FRESH_N" \
        "$(cq "$OUT/fresh-0.csv" 3 0.5)" "$(cq "$OUT/fresh-0.csv" 3 0.99)" \
        "$(cq "$OUT/fresh-0.csv" 4 0.5)" "$(cq "$OUT/fresh-0.csv" 4 0.99)"
    printf '  with %d others, %d pods: stat %s / %s, listed %s / %s\n' "$have" "$FRESH_MAX_N" \
        "$(cq "$OUT/fresh-max.csv" 3 0.5)" "$(cq "$OUT/fresh-max.csv" 3 0.99)" \
        "$(cq "$OUT/fresh-max.csv" 4 0.5)" "$(cq "$OUT/fresh-max.csv" 4 0.99)"
    printf '  pod deleted -> gone from the mount: %s ms median (empty cluster)\n' \
        "$(cq "$OUT/fresh-0.csv" 6 0.5)"
    k=$(cq "$OUT/kill.csv" 3 0.5)
    a=$(cq "$OUT/kill.csv" 5 0.5)
    printf 'kill -> pod gone from the apiserver, median of %d: echo 1 > kill %s ms, direct DELETE %s ms (%sx)\n' \
        "$KILL_N" "$k" "$a" "$(ratio "$k" "$a")"
    printf '  (the write itself returned after %s ms; the DELETE after %s ms)\n' \
        "$(cq "$OUT/kill.csv" 2 0.5)" "$(cq "$OUT/kill.csv" 4 0.5)"
    printf 'dockerfs RSS: %s MB with no pod\n' "$(awk -F, '$2 == 0 { printf "%.1f", $3 / 1024 }' "$OUT/rss.csv")"
    echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the end ($(awk -F, '$1 == "loadavg_start" { print $2 }' "$OUT/machine.csv") at the start); etcd on a tmpfs"
} | tee "$OUT/summary.txt"
