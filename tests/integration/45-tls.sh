#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# dockerfs against an engine reached over tcp:// with mutual TLS, chosen
# the way the docker CLI chooses (DOCKER_HOST, DOCKER_TLS_VERIFY,
# DOCKER_CERT_PATH holding ca.pem, cert.pem, key.pem; --host first).
# Makes a throwaway CA, a server certificate for 127.0.0.1 and a client
# certificate, and starts a private dockerd of its own that listens on its
# unix socket and on a loopback TLS port. Then: the listing equals
# `docker ps` (same environment), files read, events arrive over TLS, kill
# works; a wrong CA, a foreign client certificate and plain HTTP against
# the TLS port all fail cleanly with nothing mounted; --host beats
# DOCKER_HOST. Last, docker contexts made by the CLI for this engine (TLS
# material from the context store only; skip-tls-verify; a wrong CA; no
# client certificate).
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
. "$(dirname "$0")/../lib/ports.sh"
. "$(dirname "$0")/../lib/pki.sh"

if [ -z "${TESTS_TMP:-}" ]; then
    TESTS_TMP=$(mktemp -d /tmp/ddtest.XXXXXX)
    chmod 0755 "$TESTS_TMP"
    DFS_OWN_TMP=1
fi
export TESTS_TMP
# Short path: the engine's unix socket must fit in sun_path.
TLS_DIR=$(mktemp -d /tmp/ddtls.XXXXXX)
TLS_PID=
unset DOCKER_CONTEXT

# Stops dockerfs and its mounts, then this script's engine (never the
# runner's: ENGINE_DIR is only overridden for the call), then the files.
tls_cleanup() {
    dfs_cleanup
    unset DOCKER_TLS_VERIFY DOCKER_CERT_PATH
    if [ -d "$TLS_DIR" ]; then
        ENGINE_DIR=$TLS_DIR ENGINE_PID=${TLS_PID:-0} engine_stop 2>/dev/null || true
    fi
    rm -rf "$TLS_DIR" 2>/dev/null || true
}
trap tls_cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$DOCKERFS_BIN" ]; then
    not_ok "dockerfs binary exists ($DOCKERFS_BIN)" "run: make SAN=1"
    tap_done
fi
command -v openssl >/dev/null || { not_ok "openssl is installed"; tap_done; }

# ------------------------------------------------------------ certificates

# make_ca, make_cert, cert_dir: tests/lib/pki.sh.

mk_certs() {
    local p=$TLS_DIR/pki
    mkdir -p "$p"
    make_ca "$p/ca" "dockerdoom test CA" &&
        make_ca "$p/other" "some other CA" &&
        make_cert "$p/ca" "$p/server" 127.0.0.1 \
            "subjectAltName = IP:127.0.0.1
extendedKeyUsage = serverAuth" &&
        make_cert "$p/ca" "$p/client" client "extendedKeyUsage = clientAuth" &&
        make_cert "$p/other" "$p/stranger" stranger "extendedKeyUsage = clientAuth" &&
        cert_dir "$TLS_DIR/client" "$p/ca/ca.pem" "$p/client-cert.pem" "$p/client-key.pem" &&
        cert_dir "$TLS_DIR/wrongca" "$p/other/ca.pem" "$p/client-cert.pem" "$p/client-key.pem" &&
        cert_dir "$TLS_DIR/stranger" "$p/ca/ca.pem" "$p/stranger-cert.pem" "$p/stranger-key.pem"
}
if out=$(mk_certs 2>&1); then
    ok "openssl: CA, server certificate for IP 127.0.0.1, client certificates"
else
    not_ok "openssl: CA, server certificate for IP 127.0.0.1, client certificates" "$out"
    tap_done
fi
PKI=$TLS_DIR/pki
CLIENT=$TLS_DIR/client

# ------------------------------------------------------------ the engine

# A loopback TCP port nobody listens on now (the engine may still lose a
# race for it; then the start is retried with another port).

# Starts dockerd on TLS_DIR: unix socket plus tcp://127.0.0.1:PORT with
# --tlsverify (clients must present a certificate of our CA). Waits until
# both answer; returns 1 if dockerd dies or does not answer in time.
tls_engine_up() {
    local d=$TLS_DIR
    dockerd_launch "$d" \
        --host "tcp://127.0.0.1:$PORT" \
        --tlsverify \
        --tlscacert "$PKI/ca/ca.pem" \
        --tlscert "$PKI/server-cert.pem" \
        --tlskey "$PKI/server-key.pem"
    TLS_PID=$DOCKERD_PID
    dockerd_wait "$d" "$TLS_PID" "$ENGINE_START_TIMEOUT" && return 0
    wait "$TLS_PID" 2>/dev/null || true
    return 1
}

started=0
for attempt in 1 2 3; do
    PORT=$(free_port) || break
    if tls_engine_up; then
        started=1
        break
    fi
    note "dockerd did not start on port $PORT (attempt $attempt)"
    ENGINE_DIR=$TLS_DIR ENGINE_PID=$TLS_PID engine_stop >/dev/null 2>&1 || true
    mkdir -p "$TLS_DIR"
done
if [ "$started" = 1 ]; then
    ok "private dockerd listens on unix socket and tcp://127.0.0.1:$PORT (--tlsverify)"
else
    not_ok "private dockerd with a TLS port starts" "$(tail -n 20 "$TLS_DIR/dockerd.log" 2>/dev/null)"
    tap_done
fi

ADDR=tcp://127.0.0.1:$PORT
# From here on every docker command (run_c, ps_ids, c_state, image_build)
# goes over TLS, exactly as dockerfs will.
export DOCKER_HOST=$ADDR DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$CLIENT
check "docker CLI reaches the engine over TLS" docker version
check "the TLS port refuses a client without a certificate" \
    bash -c "! curl -sf --max-time 10 --cacert '$PKI/ca/ca.pem' https://127.0.0.1:$PORT/_ping"
require "test image imported over TLS" image_build "$TEST_IMAGE"
if A=$(run_c --name tls-one) && B=$(run_c --name tls-two); then
    ok "two containers started over TLS"
else
    not_ok "two containers started over TLS"
    tap_done
fi
SA=${A:0:12}
SB=${B:0:12}

# ------------------------------------------------------------ the mount

M=$TESTS_TMP/mnt
if ! dfs_mount "$M"; then
    not_ok "dockerfs mounts with DOCKER_HOST=$ADDR DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH"
    tap_done
fi
if dfs_alive && dfs_mounted "$M"; then
    ok "dockerfs mounts with DOCKER_HOST=$ADDR DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH"
else
    not_ok "dockerfs mounts with DOCKER_HOST=$ADDR DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH" \
        "$(tail -n 20 "$DFS_LOG")"
    tap_done
fi
check_eq "listing equals docker ps" "$(ps_ids)" "$(listing "$M")"
check_eq "cat name" "tls-one" "$(timeout 5 cat "$M/$SA/name")"
check_eq "cat id" "$A" "$(timeout 5 cat "$M/$SA/id")"
check_eq "lookup by name" "$SB" "$(readlink "$M/tls-two")"

C=$(run_c --name tls-new)
SC=${C:0:12}
t0=$(now_ms)
if wait_until 2 listed "$M" "$SC"; then
    ok "a new container appears within 2 s (events over TLS)"
    note "appeared after $(( $(now_ms) - t0 )) ms"
else
    not_ok "a new container appears within 2 s (events over TLS)" \
        "listing: $(listing "$M" | tr '\n' ' ')"
fi

if out=$(timeout "$FS_TIMEOUT" bash -c "echo 1 > '$M/$SB/kill'" 2>&1); then
    ok "echo 1 > kill succeeds"
else
    not_ok "echo 1 > kill succeeds" "$out"
fi
gone_b() { [ "$(c_state "$B")" = gone ]; }
check "the engine confirms the container is gone" wait_until 5 gone_b
check "and it leaves the listing within 2 s" wait_until 2 unlisted "$M" "$SB"
check_eq "listing still equals docker ps" "$(ps_ids)" "$(listing "$M")"
check "dockerfs still runs" dfs_alive
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check "unmounted after SIGTERM" dfs_unmounted "$M"
check_san

# ------------------------------------------------------------ failures

# neg_run (tests/lib/dockerfs.sh) runs dockerfs where it must exit by itself.

# Checks what neg_run left: non-zero exit (not our timeout), exactly one
# line of output that names the engine address, nothing mounted.
neg_check() {
    local what=$1 lines
    if [ "$NEG_RC" -ne 0 ] && [ "$NEG_RC" -ne 124 ] && [ "$NEG_RC" -ne 137 ]; then
        ok "$what: dockerfs exits non-zero ($NEG_RC)"
    else
        not_ok "$what: dockerfs exits non-zero" "exit $NEG_RC; output: $NEG_OUT"
    fi
    lines=$(printf '%s\n' "$NEG_OUT" | grep -c .)
    if [ "$lines" -eq 1 ] && grep -qF "$ADDR" <<<"$NEG_OUT"; then
        ok "$what: one line naming $ADDR"
        note "$NEG_OUT"
    else
        not_ok "$what: one line naming $ADDR" "$lines lines: $NEG_OUT"
    fi
    check "$what: nothing mounted" dfs_unmounted "$NEG_MNT"
}

neg_run DOCKER_HOST="$ADDR" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$TLS_DIR/wrongca" --
neg_check "wrong CA"
neg_run DOCKER_HOST="$ADDR" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$TLS_DIR/stranger" --
neg_check "client certificate of another CA"
neg_run -u DOCKER_TLS_VERIFY DOCKER_HOST="$ADDR" DOCKER_CERT_PATH="$CLIENT" --
neg_check "DOCKER_TLS_VERIFY unset (plain HTTP to the TLS port)"
check_eq "the engine still has its containers" "2" "$(docker ps -q | wc -l | tr -d ' ')"

# --host beats DOCKER_HOST: the environment names a port nobody serves,
# which alone fails.
neg_run DOCKER_HOST=tcp://127.0.0.1:1 --
if [ "$NEG_RC" -ne 0 ] && grep -qF tcp://127.0.0.1:1 <<<"$NEG_OUT" &&
    dfs_unmounted "$NEG_MNT"; then
    ok "DOCKER_HOST=tcp://127.0.0.1:1 alone fails ($NEG_RC), nothing mounted"
else
    not_ok "DOCKER_HOST=tcp://127.0.0.1:1 alone fails, nothing mounted" \
        "exit $NEG_RC: $NEG_OUT"
fi
M2=$TESTS_TMP/mnt-host
if DOCKER_HOST=tcp://127.0.0.1:1 dfs_mount "$M2" --host "$ADDR" &&
    dfs_alive && dfs_mounted "$M2"; then
    ok "--host $ADDR beats DOCKER_HOST=tcp://127.0.0.1:1: mounted"
    check_eq "--host: listing equals docker ps" "$(ps_ids)" "$(listing "$M2")"
    D=$(run_c --name tls-via-flag)
    check "--host: a new container appears within 2 s" wait_until 2 listed "$M2" "${D:0:12}"
    dfs_stop TERM
    check_eq "--host: SIGTERM: exit 0" 0 "$DFS_RC"
    check_san
else
    not_ok "--host $ADDR beats DOCKER_HOST=tcp://127.0.0.1:1: mounted" "$(tail -n 20 "$DFS_LOG")"
fi

# ------------------------------------------------------------ contexts

# The same engine through docker contexts made by the CLI in a temporary
# DOCKER_CONFIG: the TLS material comes from the context store only, so
# dockerfs runs with DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH
# unset.
CFG=$TESTS_TMP/dockercfg
mkdir -p "$CFG"
ctx_create() {
    env -u DOCKER_HOST -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH DOCKER_CONFIG="$CFG" \
        docker context create "$@" >/dev/null
}
check "docker context create tls (ca, cert, key)" ctx_create tls --docker \
    "host=$ADDR,ca=$CLIENT/ca.pem,cert=$CLIENT/cert.pem,key=$CLIENT/key.pem"
check "docker context create tlsskip (cert, key, skip-tls-verify)" ctx_create tlsskip \
    --docker "host=$ADDR,cert=$CLIENT/cert.pem,key=$CLIENT/key.pem,skip-tls-verify=true"
check "docker context create wrongca" ctx_create wrongca --docker \
    "host=$ADDR,ca=$TLS_DIR/wrongca/ca.pem,cert=$CLIENT/cert.pem,key=$CLIENT/key.pem"
check "docker context create nocert (ca only)" ctx_create nocert --docker \
    "host=$ADDR,ca=$CLIENT/ca.pem"
# Runs "$@" in this shell with only DOCKER_CONFIG of the docker variables.
only_config() {
    local rc=0
    unset DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH
    export DOCKER_CONFIG=$CFG
    "$@" || rc=$?
    unset DOCKER_CONFIG
    export DOCKER_HOST=$ADDR DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$CLIENT
    return "$rc"
}
M3=$TESTS_TMP/mnt-ctx
for ctx in tls tlsskip; do
    if only_config dfs_mount "$M3" --context "$ctx" && dfs_alive; then
        ok "--context $ctx: mounted over TLS from the context store"
        check_eq "--context $ctx: listing equals docker ps" "$(ps_ids)" "$(listing "$M3")"
        dfs_stop TERM
        check_eq "--context $ctx: SIGTERM: exit 0" 0 "$DFS_RC"
        check_san
    else
        not_ok "--context $ctx: mounted over TLS from the context store" \
            "$(tail -n 5 "$DFS_LOG")"
    fi
done
neg_run -u DOCKER_HOST -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH DOCKER_CONFIG="$CFG" -- \
    --context wrongca
neg_check "--context wrongca"
if grep -qF "(context wrongca)" <<<"$NEG_OUT"; then
    ok "--context wrongca: the line names the context"
else
    not_ok "--context wrongca: the line names the context" "$NEG_OUT"
fi
neg_run -u DOCKER_HOST -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH DOCKER_CONFIG="$CFG" -- \
    --context nocert
neg_check "--context nocert (no client certificate)"
tap_done
