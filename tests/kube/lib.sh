# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/kube/lib.sh - common ground of the kube phase's scripts: dockerfs
# (tests/lib/dockerfs.sh) against the cluster of tests/lib/kube.sh, one
# cluster per script, shared by its checks. Source it, then:
#
#   kt_setup [engine]    TESTS_TMP (a new one when run alone), the EXIT
#                        trap (dockerfs stopped and unmounted, the cluster
#                        stopped), the cluster (kube_test_start); with
#                        "engine" also a Docker engine and the test image
#                        (dfs_setup: the runner's engine, or one of its
#                        own when run alone)
#   kt_expect [all]      what the mount must show for every pod of
#                        `kubectl get pods -A -o json`, as kt_dump prints
#                        it (Succeeded and Failed pods only with "all",
#                        as dockerfs --all); ENGINE: the member's name
#   kt_dump MNT          every file of every directory of MNT, one
#                        "DIR/FILE: CONTENT" line each (lines of a file
#                        joined by ';'), sorted
#   kt_dir UID           a pod's directory name: 12 hex digits of its uid
#   kt_uid NS NAME       the uid of pod NS/NAME ("" when there is none)
#   kt_kill MNT REF      writes 1 to MNT/REF/kill: prints OK or the
#                        error (fsop: ENOENT, EPERM, ...)
#   kt_listed MNT DIR / kt_unlisted MNT DIR   is DIR (not) in the listing?
#   kt_hold / kt_release stop / resume the connections the bridge carries
#                        now (a mount's watch): what the apiserver says
#                        meanwhile does not reach the mount, while new
#                        connections (a kill's) go through

KT_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/dockerfs.sh
. "$KT_LIB/../lib/dockerfs.sh"
# shellcheck source=tests/lib/kube.sh
. "$KT_LIB/../lib/kube.sh"

KT_FILES="id name namespace image state created labels engine"

# dockerfs first (a mount of a cluster that is gone is no test), then the
# cluster, then the temp dir it may live in.
kt_cleanup() {
    local own=$DFS_OWN_TMP
    kt_release
    DFS_OWN_TMP=0
    dfs_cleanup
    kube_stop
    [ "$own" = 1 ] && rm -rf "$TESTS_TMP"
    return 0
}

kt_setup() {
    if [ "${1:-}" = engine ]; then
        dfs_setup
    else
        if [ -z "${TESTS_TMP:-}" ]; then
            TESTS_TMP=$(mktemp -d /tmp/ddtest.XXXXXX)
            chmod 0755 "$TESTS_TMP"
            DFS_OWN_TMP=1
        fi
        export TESTS_TMP
        trap 'exit 130' INT TERM
        if [ ! -x "$DOCKERFS_BIN" ]; then
            not_ok "dockerfs binary exists ($DOCKERFS_BIN)" "run: make SAN=1"
            tap_done
        fi
        [ -x "$FSOP" ] || {
            mkdir -p "$(dirname "$FSOP")"
            cc -std=gnu11 -O2 -o "$FSOP" "$REPO/tests/helpers/tools/fsop.c" ||
                { not_ok "build fsop"; tap_done; }
        }
    fi
    trap kt_cleanup EXIT
    kube_test_start
}

kt_dir() {
    local u=${1//-/}
    echo "${u:0:12}"
}

kt_uid() {
    kube_ctl -n "$1" get pod "$2" -o jsonpath='{.metadata.uid}' 2>/dev/null || true
}

# The state dockerfs gives a pod (kubec's contract): terminating once
# deleted, else from its phase and its Ready condition.
# shellcheck disable=SC2016  # a jq program
KT_JQ='
def state:
  if .metadata.deletionTimestamp then "terminating"
  elif .status.phase == "Pending" then "pending"
  elif .status.phase == "Running" then
    (if any(.status.conditions[]?; .type == "Ready" and .status == "True")
     then "running" else "unready" end)
  elif .status.phase == "Succeeded" then "succeeded"
  elif .status.phase == "Failed" then "failed"
  else "unknown" end;
.items[]
| select($all == "all" or (.status.phase != "Succeeded" and .status.phase != "Failed"))
| (.metadata.uid | gsub("-"; "") | .[0:12]) as $d
| [ ["id", .metadata.uid], ["name", .metadata.name],
    ["namespace", .metadata.namespace], ["image", .spec.containers[0].image],
    ["state", state],
    ["created", (.metadata.creationTimestamp | fromdateiso8601 | tostring)],
    ["labels", ((.metadata.labels // {}) | to_entries | sort_by(.key)
                | map("\(.key)=\(.value)") | join(";"))],
    ["engine", $engine] ][]
| "\($d)/\(.[0]): \(.[1])"'

kt_expect() {
    kube_ctl get pods -A -o json |
        jq -r --arg all "${1:-}" --arg engine "${ENGINE:-admin}" "$KT_JQ" | LC_ALL=C sort
}

kt_dump() {
    local mnt=$1 d f
    for d in $(listing "$mnt"); do
        for f in $KT_FILES; do
            printf '%s/%s: %s\n' "$d" "$f" \
                "$(timeout "$FS_TIMEOUT" cat "$mnt/$d/$f" 2>&1 | tr '\n' ';' | sed 's/;$//')"
        done
    done | LC_ALL=C sort
}

# Does the mount show what kubectl says (MNT, [all])?
kt_agrees() {
    [ "$(kt_dump "$1")" = "$(kt_expect "${2:-}")" ]
}

# One check: within SECS the mount shows every pod as kubectl does.
kt_check_agrees() {
    local desc=$1 mnt=$2 secs=$3 all=${4:-} t0
    t0=$(now_ms)
    if wait_until "$secs" kt_agrees "$mnt" "$all"; then
        ok "$desc"
        note "agreed after $(( $(now_ms) - t0 )) ms"
    else
        not_ok "$desc" "$(diff <(kt_expect "$all") <(kt_dump "$mnt") | head -n 20)"
    fi
}

kt_kill() {
    fsop1 write "$1/$2/kill" 1
}

kt_listed() { listed "$1" "$2"; }
kt_unlisted() { unlisted "$1" "$2"; }

# Holds every connection the bridge carries now (the mount's watches
# among them): their socat processes in the host's namespace are
# stopped, so nothing of what the apiserver sends reaches the mount,
# while new connections (a kill's requests) go through as ever.
# kt_release lets them go on.
KT_HELD=
kt_hold() {
    local out
    out=$(cat "$KUBE_DIR/bridge-out.pid" 2>/dev/null) || return 1
    KT_HELD=$(pgrep -P "$out" | tr '\n' ' ')
    [ -n "$KT_HELD" ] || return 1
    # shellcheck disable=SC2086  # a list of pids
    kill -STOP $KT_HELD
}

kt_release() {
    # shellcheck disable=SC2086  # a list of pids
    [ -z "$KT_HELD" ] || kill -CONT $KT_HELD 2>/dev/null
    KT_HELD=
    return 0
}
