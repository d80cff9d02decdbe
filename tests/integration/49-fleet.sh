#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# One mount over three engines: alpha, "a" below (the runner's engine, unix socket), b (a
# private dockerd over tcp+TLS on loopback, reached through a docker
# context made by the CLI) and c (a private dockerd reached through
# tests/faults/stallproxy). The listing is the union of the three; every
# container's engine file names its engine; NAME@ENGINE picks by engine, a
# plain name resolves only when one engine has it; kills go to the
# container's own engine; --protect engine=beta keeps b's containers alive.
# Then c is stopped under the mount: its rows stay, read "unreachable",
# kill gives EIO at once, a and b keep going; c restarted: converges,
# a's and b's rows untouched. Then c stalled (the proxy forwards
# nothing): a and b keep answering, at most 4 kills wait on c (a 5th gets
# EAGAIN once none finished for 1 s), and c converges when it flows again. Last, start-up:
# duplicate names, one engine under two names (the same address), bad
# names are exit 2, and the second of two addresses with one GET /info ID
# is not followed (the mount starts); an
# engine not there yet does not stop the mount and is followed once it
# starts.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
. "$(dirname "$0")/../lib/ports.sh"
. "$(dirname "$0")/../lib/pki.sh"
. "$(dirname "$0")/../faults/lib.sh"

dfs_setup
command -v openssl >/dev/null || { not_ok "openssl is installed"; tap_done; }
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
A_HOST=$DOCKER_HOST
# Short paths: the engines' unix sockets must fit in sun_path.
FL=$(mktemp -d /tmp/ddfl.XXXXXX)
B_DIR=$FL/b
C_DIR=$FL/c
export DOCKER_CONFIG=$FL/config

# Engines b and c are this script's: stopped here, the runner's never.
fleet_cleanup() {
    dfs_cleanup
    proxy_stop
    # Side by side: each waits seconds for its dockerd to stop.
    local d
    local -a stops=()
    for d in "$FL/d" "$C_DIR" "$B_DIR"; do
        (ENGINE_DIR=$d engine_stop) 2>/dev/null &
        stops+=($!)
    done
    wait "${stops[@]}"
    rm -rf "$FL" 2>/dev/null || true
}
trap fleet_cleanup EXIT
T0=$(now_ms)

da() { docker -H "$A_HOST" "$@"; }
db() { docker --context beta "$@"; }
dc() { docker -H "unix://$C_DIR/docker.sock" "$@"; }

# ------------------------------------------------------------ engines

PKI=$FL/pki
if out=$(make_ca "$PKI/ca" "dockerdoom fleet CA" 2>&1 &&
    make_cert "$PKI/ca" "$PKI/server" 127.0.0.1 "subjectAltName = IP:127.0.0.1
extendedKeyUsage = serverAuth" 2>&1 &&
    make_cert "$PKI/ca" "$PKI/client" client "extendedKeyUsage = clientAuth" 2>&1); then
    ok "openssl: CA, server and client certificates"
else
    not_ok "openssl: CA, server and client certificates" "$out"
    tap_done
fi
started=0
for attempt in 1 2 3; do
    PORT=$(free_port) || break
    if (ENGINE_ARGS="--host tcp://127.0.0.1:$PORT --tlsverify --tlscacert $PKI/ca/ca.pem --tlscert $PKI/server-cert.pem --tlskey $PKI/server-key.pem" \
        engine_start "$B_DIR" >/dev/null 2>&1); then
        started=1
        break
    fi
    note "engine b did not start on port $PORT (attempt $attempt)"
    (ENGINE_DIR=$B_DIR engine_stop) >/dev/null 2>&1
done
[ "$started" = 1 ] || { not_ok "engine b (tcp+TLS) starts" "$(tail -n 5 "$B_DIR/dockerd.log")"; tap_done; }
if (engine_start "$C_DIR" >/dev/null 2>&1); then
    ok "engines b (tcp://127.0.0.1:$PORT, --tlsverify) and c started"
else
    not_ok "engine c starts" "$(tail -n 5 "$C_DIR/dockerd.log")"
    tap_done
fi
check "docker context create beta (tcp + ca, cert, key)" docker context create beta \
    --docker "host=tcp://127.0.0.1:$PORT,ca=$PKI/ca/ca.pem,cert=$PKI/client-cert.pem,key=$PKI/client-key.pem"
check "the CLI reaches b over TLS through the context" db version
check "the test image is loaded into b and c (save | load)" bash -c \
    "docker -H '$A_HOST' save '$TEST_IMAGE' | docker --context beta load >/dev/null &&
     docker -H '$A_HOST' save '$TEST_IMAGE' | docker -H 'unix://$C_DIR/docker.sock' load >/dev/null"
DOCKER_HOST=unix://$C_DIR/docker.sock proxy_start "$FL/c-proxy.sock" ||
    { not_ok "stallproxy in front of c"; tap_done; }
C_PROXY=$PROXY_HOST

rn() { local e=$1; shift; "$e" run -d --network none "$@" "$TEST_IMAGE"; }
if WA=$(rn da --name fl-web) && UA=$(rn da --name fl-only-a) &&
    WB=$(rn db --name fl-web) && UB=$(rn db --name fl-only-b) &&
    UC=$(rn dc --name fl-only-c) && XC=$(rn dc --name fl-web-c); then
    ok "containers: fl-web on a and b, one more on each engine"
else
    not_ok "containers: fl-web on a and b, one more on each engine"
    tap_done
fi

union() {
    { da ps -q; db ps -q; dc ps -q; } | sort
}

M=$TESTS_TMP/fleet
require "dockerfs mounts alpha (--host alpha=...), beta (--context beta, TLS), gamma (--host gamma=..., proxied)" \
    dfs_mount "$M" --host "alpha=$A_HOST" --context beta --host "gamma=$C_PROXY" --timeout 20
FLOG=$DFS_LOG
FPID=$DFS_PID
check_eq "the root lists the union of the three engines" "$(union)" "$(listing "$M")"
check "the root lists short ids only" bash -c "! ls -A '$M' | grep -qv '^[0-9a-f]\{12\}$'"
check_eq "a's container: engine file says alpha" alpha "$(cat "$M/${UA:0:12}/engine")"
check_eq "b's container: engine file says beta" beta "$(cat "$M/${UB:0:12}/engine")"
check_eq "c's container: engine file says gamma" gamma "$(cat "$M/${UC:0:12}/engine")"
check_eq "fl-web@alpha is a's fl-web" "${WA:0:12}" "$(readlink "$M/fl-web@alpha")"
check_eq "fl-web@beta is b's fl-web" "${WB:0:12}" "$(readlink "$M/fl-web@beta")"
check_eq "fl-web on two engines: a plain name gives ENOENT" ENOENT "$(fsop1 readlink "$M/fl-web")"
check_eq "fl-web@gamma: no such container on c: ENOENT" ENOENT "$(fsop1 readlink "$M/fl-web@gamma")"
check_eq "a unique plain name resolves (fl-only-c)" "${UC:0:12}" "$(readlink "$M/fl-only-c")"
check_eq "a short id @ its engine resolves" "${UB:0:12}" "$(readlink "$M/${UB:0:12}@beta")"
check_eq "a short id @ another engine: ENOENT" ENOENT "$(fsop1 readlink "$M/${UB:0:12}@alpha")"

# ------------------------------------------------------------ kills

check_eq "kill fl-web@beta: OK" OK "$(fsop1 write "$M/fl-web@beta/kill" 1)"
gone_on() { ! "$1" ps -aq --no-trunc | grep -q "^$2"; }
check "b's fl-web is gone from b" wait_until 10 gone_on db "$WB"
check_eq "a's fl-web still runs" running "$(da inspect -f '{{.State.Status}}' "$WA")"
check "b's fl-web leaves the mount" wait_until 10 unlisted "$M" "${WB:0:12}"
check_eq "fl-web is unique again: the plain name resolves to a's" "${WA:0:12}" \
    "$(readlink "$M/fl-web")"
check_eq "kill fl-web-c (plain name, engine c, through the proxy): OK" OK \
    "$(fsop1 write "$M/fl-web-c/kill" 1)"
check "c's fl-web-c is gone from c" wait_until 10 gone_on dc "$XC"
NB=$(rn db --name fl-new-b)
check "a container started on b (TLS) appears in the mount" wait_until 10 listed "$M" "${NB:0:12}"
check_eq "its engine file says beta" beta "$(cat "$M/${NB:0:12}/engine")"

# --protect engine=beta: the whole engine is read-only; the others are not.
P=$TESTS_TMP/protect
dfs_mount "$P" --host "alpha=$A_HOST" --context beta --protect engine=beta ||
    { not_ok "dockerfs mounts with --protect engine=beta"; tap_done; }
check_eq "--protect engine=beta: kill on b's container: EPERM" EPERM "$(fsop1 write "$P/fl-only-b/kill" 1)"
check_eq "b's container still runs" running "$(db inspect -f '{{.State.Status}}' "$UB")"
PA=$(rn da --name fl-prot-a)
check "--protect engine=beta: a's new container is listed" wait_until 10 listed "$P" "${PA:0:12}"
check_eq "--protect engine=beta: kill on a's container: OK" OK "$(fsop1 write "$P/${PA:0:12}/kill" 1)"
dfs_stop TERM
check_eq "the protect mount exits 0 on SIGTERM" 0 "$DFS_RC"
check_san
DFS_LOG=$FLOG
DFS_PID=$FPID

# ------------------------------------------------------------ c stopped

INO_A=$(stat -c %i "$M/${UA:0:12}")
INO_B=$(stat -c %i "$M/${UB:0:12}")
(ENGINE_DIR=$C_DIR engine_down)
state_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }
if wait_until 15 state_is "$M/${UC:0:12}/state" unreachable; then
    ok "engine c stopped: its container stays listed, state reads unreachable"
else
    not_ok "engine c stopped: its container stays listed, state reads unreachable" \
        "state: $(cat "$M/${UC:0:12}/state" 2>&1); $(tail -n 3 "$FLOG")"
fi
check_eq "a's container's state is still running" running "$(cat "$M/${UA:0:12}/state")"
t=$(now_ms)
check_eq "kill on c's container while c is down: EIO" EIO "$(fsop1 write "$M/${UC:0:12}/kill" 1)"
ms=$(ms_since "$t")
note "EIO after $ms ms (--timeout 20)"
if [ "$ms" -lt 5000 ]; then
    ok "EIO at once, not after the 20 s timeout"
else
    not_ok "EIO at once, not after the 20 s timeout" "$ms ms"
fi
NA=$(rn da --name fl-while-c-down)
check "while c is down, a container started on a appears" wait_until 10 listed "$M" "${NA:0:12}"
check_eq "while c is down, kill on a's new container: OK" OK "$(fsop1 write "$M/${NA:0:12}/kill" 1)"
check "it leaves the mount" wait_until 10 unlisted "$M" "${NA:0:12}"
check "the log says c is unreachable" grep -q "engine gamma at .* is unreachable" "$FLOG"

(ENGINE_DIR=$C_DIR engine_up >/dev/null 2>&1)
check "engine c restarted (live-restore kept its containers)" dc version
if wait_until 20 state_is "$M/${UC:0:12}/state" running; then
    ok "c back: its container reads running again"
else
    not_ok "c back: its container reads running again" "state: $(cat "$M/${UC:0:12}/state" 2>&1)"
fi
NC=$(rn dc --name fl-after-c-up)
check "c back: a new container on c appears" wait_until 10 listed "$M" "${NC:0:12}"
check_eq "the mount equals the union again" "$(union)" "$(listing "$M")"
check_eq "a's and b's rows were untouched (same inodes)" "$INO_A $INO_B" \
    "$(stat -c %i "$M/${UA:0:12}") $(stat -c %i "$M/${UB:0:12}")"

# ------------------------------------------------------------ c stalled

S1=$(rn dc --name fl-stall-1) && S2=$(rn dc --name fl-stall-2) &&
    S3=$(rn dc --name fl-stall-3) && S4=$(rn dc --name fl-stall-4) &&
    S5=$(rn dc --name fl-stall-5) || { not_ok "five more containers on c"; tap_done; }
for s in "$S1" "$S2" "$S3" "$S4" "$S5"; do
    wait_until 10 listed "$M" "${s:0:12}" || note "${s:0:12} not listed yet"
done
check "stallproxy stalls c" proxy_mode stall
# Four kills wait on the stalled engine (their kill workers are busy);
# a fifth is refused at once: a stalled engine cannot take every worker.
KPIDS=()
for s in "$S1" "$S2" "$S3" "$S4"; do
    fsop1 write "$M/${s:0:12}/kill" 1 >"$TESTS_TMP/stall-${s:0:12}" &
    KPIDS+=($!)
done
sleep 1
t5=$(now_ms)
check_eq "c stalled, 4 kills waiting on it: a 5th kill on c gives EAGAIN" EAGAIN \
    "$(fsop1 write "$M/${S5:0:12}/kill" 1)"
note "EAGAIN after $(ms_since "$t5") ms"
t=$(now_ms)
check "with c stalled, the root lists (within 5 s)" timeout 5 ls "$M"
NA2=$(rn da --name fl-while-c-stalled)
check "with c stalled, a new container on a appears" wait_until 10 listed "$M" "${NA2:0:12}"
check_eq "with c stalled, kill on b's container: OK" OK "$(fsop1 write "$M/${NB:0:12}/kill" 1)"
check "b's container is gone from b" wait_until 10 gone_on db "$NB"
note "a and b answered within $(ms_since "$t") ms while c was stalled"
NC2=$(rn dc --name fl-during-stall)
check "stallproxy lets c flow again" proxy_mode flow
wait "${KPIDS[@]}"
res=$(for s in "$S1" "$S2" "$S3" "$S4"; do cat "$TESTS_TMP/stall-${s:0:12}"; done | sort | uniq -c | tr -s ' ' | tr '\n' ';')
note "the 4 kills that waited on the stalled c: $res"
check_eq "they complete once c flows (OK)" " 4 OK;" "$res"
check "c flows: the container started during the stall appears" wait_until 30 listed "$M" "${NC2:0:12}"
check_eq "the mount equals the union at the end" "$(union)" "$(listing "$M")"

dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check_san

# ------------------------------------------------------------ start-up

# Usage errors before anything is mounted: exit 2, one line.
bad_start() {
    local what=$1 want=$2 out rc
    shift 2
    out=$(timeout 20 "$DOCKERFS_BIN" "$TESTS_TMP/bad" -f "$@" 2>&1)
    rc=$?
    if [ "$rc" -eq 2 ] && grep -q -- "$want" <<<"$out" && dfs_unmounted "$TESTS_TMP/bad"; then
        ok "$what: exit 2, nothing mounted"
    else
        not_ok "$what: exit 2, nothing mounted" "exit $rc: $out"
    fi
}
mkdir -p "$TESTS_TMP/bad"
bad_start "two engines named alpha" "named 'alpha'" \
    --host "alpha=$A_HOST" --host "alpha=$C_PROXY"
bad_start "two unnamed --host (both 'default')" "named 'default'" \
    --host "$A_HOST" --host "$C_PROXY"
bad_start "one engine under two names" "listed twice" \
    --host "alpha=$A_HOST" --host "again=$A_HOST"
# Two addresses of one engine: told apart by GET /info's ID, not the path
# (and not mistaken for engines b, c, d: same ID, their own data roots).
# The second is not followed, and the mount starts with the first: one
# member, a mistake or an engine claiming another's identity, never keeps
# the others from being mounted (53-hostile-engine too).
if [[ $A_HOST == unix://* ]] && ln -s "${A_HOST#unix://}" "$FL/a.sock"; then
    SM=$TESTS_TMP/same
    if dfs_mount "$SM" --host "a=$A_HOST" --host "b=unix://$FL/a.sock" && dfs_alive; then
        ok "the runner's engine again through a symlink to its socket: mounted"
        check "the second is named in the log, not followed" \
            grep -q "engine b at unix://$FL/a.sock answers as engine a (.*) does (ID [^ ]" "$DFS_LOG"
        check_eq "its containers are listed once" "$(da ps -q | sort)" "$(listing "$SM")"
        dfs_stop TERM
        check_san
    else
        not_ok "the runner's engine again through a symlink to its socket: mounted" \
            "$(tail -n 5 "$DFS_LOG")"
    fi
else
    not_ok "a symlink to the runner's engine socket" "DOCKER_HOST=$A_HOST"
fi
bad_start "an engine name over 63 characters" "at most 63" \
    --host "$(printf 'n%.0s' {1..64})=$A_HOST"
bad_start "NAME= without an address" "nothing after" --host "alpha="

# An engine that is not there yet: the others are mounted, it is retried,
# and once it answers its containers appear.
D_DIR=$FL/d
DN=$TESTS_TMP/late
dfs_mount "$DN" --host "alpha=$A_HOST" --host "delta=unix://$D_DIR/docker.sock" ||
    { not_ok "dockerfs mounts with one engine not started yet"; tap_done; }
check_eq "one engine missing at start: the others are listed" \
    "$(da ps -q | sort)" "$(listing "$DN")"
check "the log says delta does not answer" grep -q "engine delta at .* does not answer" "$DFS_LOG"
if (engine_start "$D_DIR" >/dev/null 2>&1); then
    ok "engine delta starts after the mount"
else
    not_ok "engine delta starts after the mount" "$(tail -n 5 "$D_DIR/dockerd.log")"
fi
dd_() { docker -H "unix://$D_DIR/docker.sock" "$@"; }
check "the test image is loaded into delta" bash -c \
    "docker -H '$A_HOST' save '$TEST_IMAGE' | docker -H 'unix://$D_DIR/docker.sock' load >/dev/null"
ND=$(rn dd_ --name fl-late)
check "delta's container appears" wait_until 20 listed "$DN" "${ND:0:12}"
check_eq "its engine file says delta" delta "$(cat "$DN/${ND:0:12}/engine" 2>&1)"
check_eq "kill fl-late@delta: OK" OK "$(fsop1 write "$DN/fl-late@delta/kill" 1)"
check "it is gone from delta" wait_until 10 gone_on dd_ "$ND"
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check_san
# An engine not there at start that, when it first answers, is one the
# mount already follows (a symlink to alpha's socket appears): logged
# once, not followed, alpha's rows listed once and still alpha's.
EN=$TESTS_TMP/echo
dfs_mount "$EN" --host "alpha=$A_HOST" --host "echo=unix://$FL/e.sock" ||
    { not_ok "dockerfs mounts with echo not there yet"; tap_done; }
if [[ $A_HOST == unix://* ]] && ln -s "${A_HOST#unix://}" "$FL/e.sock"; then
    check "echo answers as alpha: the log says so" wait_until 20 grep -q \
        "engine echo at .* is engine alpha .*: it is not followed" "$DFS_LOG"
    check_eq "said once" 1 "$(grep -c "engine echo at .* is engine alpha" "$DFS_LOG")"
    check_eq "alpha's containers listed once" "$(da ps -q | sort)" "$(listing "$EN")"
    engines=$(for d in $(listing "$EN"); do cat "$EN/$d/engine"; done | sort -u)
    check_eq "and every one's engine file says alpha" alpha "$engines"
else
    not_ok "a symlink to the runner's engine socket" "DOCKER_HOST=$A_HOST"
fi
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check_san
note "fleet test: $(( ($(now_ms) - T0) / 1000 )) s"
tap_done
