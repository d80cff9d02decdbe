#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Docker contexts, made by the real docker CLI in a temporary DOCKER_CONFIG
# and followed by dockerfs as the CLI follows them: --context, then
# DOCKER_HOST, then DOCKER_CONTEXT, then `docker context use` (config.json),
# against the runner's private engine. dockerfs runs with DOCKER_HOST
# unset so the context steps are reached; the docker CLI of the helpers
# keeps DOCKER_HOST and so always talks to the private engine. A context
# that does not exist, or whose certificate lost its key, is one line and
# exit 2 with nothing mounted.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
# shellcheck source=tests/lib/pki.sh
. "$(dirname "$0")/../lib/pki.sh"

dfs_setup
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
ENG=$DOCKER_HOST
case $ENG in
    unix://*) ;;
    *) not_ok "the private engine is a unix socket ($ENG)"; tap_done ;;
esac
export DOCKER_CONFIG=$TESTS_TMP/dockercfg
mkdir -p "$DOCKER_CONFIG"
NOWHERE=unix://$TESTS_TMP/nobody.sock

# Runs "$@" with DOCKER_HOST unset (dfs_mount keeps its DFS_* variables).
no_host() {
    local rc=0
    unset DOCKER_HOST
    "$@" || rc=$?
    export DOCKER_HOST=$ENG
    return "$rc"
}

check "docker context create eng --docker host=$ENG" \
    docker context create eng --docker "host=$ENG" --description "private test engine"
check "docker context create elsewhere (a socket nobody serves)" \
    docker context create elsewhere --docker "host=$NOWHERE"
check_eq "docker context ls lists them" "default elsewhere eng" \
    "$(docker context ls --format '{{.Name}}' | sort | tr '\n' ' ' | sed 's/ $//')"

if A=$(run_c --name ctx-one) && run_c --name ctx-two >/dev/null; then
    ok "two containers on the private engine"
else
    not_ok "two containers on the private engine"
    tap_done
fi

# Mounts with DOCKER_HOST unset and the given environment and options;
# checks the listing and that the log names the context.
# mount_ctx DESC CONTEXT-EXPECTED [env VAR=VALUE...] -- [dockerfs options]
MN=0
mount_ctx() {
    local desc=$1 want=$2 m
    shift 2
    env_args "$@"
    shift "$ENV_SHIFT"
    MN=$((MN + 1))
    m=$TESTS_TMP/mnt$MN
    local e
    for e in "${ENV_ARGS[@]}"; do
        export "${e?}"
    done
    if no_host dfs_mount "$m" "$@" && dfs_alive; then
        ok "$desc: mounted"
        check_eq "$desc: listing equals docker ps" "$(ps_ids)" "$(listing "$m")"
        if grep -qF "(context $want)" "$DFS_LOG"; then
            ok "$desc: the log names context $want"
        else
            not_ok "$desc: the log names context $want" "$(head -n 5 "$DFS_LOG")"
        fi
    else
        not_ok "$desc: mounted" "$(tail -n 5 "$DFS_LOG")"
    fi
    unset DOCKER_CONTEXT
}

# --context, while DOCKER_HOST names a socket nobody serves: the flag wins.
export DOCKER_HOST=$NOWHERE
if dfs_mount "$TESTS_TMP/flag" --context eng && dfs_alive; then
    ok "--context eng beats DOCKER_HOST=$NOWHERE: mounted"
    check_eq "--context: listing equals docker ps" \
        "$(DOCKER_HOST=$ENG ps_ids)" "$(listing "$TESTS_TMP/flag")"
else
    not_ok "--context eng beats DOCKER_HOST=$NOWHERE: mounted" "$(tail -n 5 "$DFS_LOG")"
fi
export DOCKER_HOST=$ENG
# Kills go to the context's engine, and its events reach the mount.
C=$(run_c --name ctx-new)
check "--context: a new container appears within 5 s" \
    wait_until 5 listed "$TESTS_TMP/flag" "${C:0:12}"
if timeout "$FS_TIMEOUT" bash -c "echo 1 > '$TESTS_TMP/flag/${A:0:12}/kill'" 2>/dev/null; then
    ok "--context: echo 1 > kill succeeds"
else
    not_ok "--context: echo 1 > kill succeeds"
fi
gone_a() { [ "$(c_state "$A")" = gone ]; }
check "--context: the engine removed the container" wait_until 5 gone_a
check "--context: it leaves the listing" wait_until 5 unlisted "$TESTS_TMP/flag" "${A:0:12}"
dfs_stop TERM
check_eq "--context: SIGTERM: exit 0" 0 "$DFS_RC"
check_san

# DOCKER_CONTEXT, with DOCKER_HOST unset.
mount_ctx "DOCKER_CONTEXT=eng" eng DOCKER_CONTEXT=eng --
dfs_stop TERM

# docker context use: currentContext in config.json.
check "docker context use eng" docker context use eng
check_eq "config.json names it" "eng" \
    "$(sed -n 's/.*"currentContext": *"\([^"]*\)".*/\1/p' "$DOCKER_CONFIG/config.json")"
mount_ctx "docker context use eng" eng --
dfs_stop TERM
check_san

# ------------------------------------------------------------ the order

# dockerfs where it must exit by itself, DOCKER_HOST unset unless given.
neg_run_alone() {
    neg_run -u DOCKER_HOST "$@"
}

# neg_check DESC RC TEXT: exit RC, one line containing TEXT, no mount.
neg_check() {
    local what=$1 rc=$2 text=$3 lines
    check_eq "$what: exit $rc" "$rc" "$NEG_RC"
    lines=$(printf '%s\n' "$NEG_OUT" | grep -c .)
    if [ "$lines" -eq 1 ] && grep -qF -- "$text" <<<"$NEG_OUT"; then
        ok "$what: one line naming $text"
        note "$NEG_OUT"
    else
        not_ok "$what: one line naming $text" "$lines lines: $NEG_OUT"
    fi
    check "$what: nothing mounted" dfs_unmounted "$NEG_MNT"
}

# current context is eng: DOCKER_CONTEXT=elsewhere must win over it, and
# DOCKER_HOST over DOCKER_CONTEXT. Both point at nobody, which proves the
# choice: eng would have mounted.
neg_run_alone DOCKER_CONTEXT=elsewhere --
neg_check "DOCKER_CONTEXT=elsewhere beats docker context use eng" 1 "${NOWHERE#unix://}"
neg_run_alone DOCKER_HOST="$NOWHERE" DOCKER_CONTEXT=eng --
neg_check "DOCKER_HOST beats DOCKER_CONTEXT" 1 "${NOWHERE#unix://}"
# --context default is the chain without contexts: DOCKER_HOST.
neg_run_alone DOCKER_HOST="$NOWHERE" -- --context default
neg_check "--context default follows DOCKER_HOST" 1 "${NOWHERE#unix://}"

# ------------------------------------------------------------ broken

neg_run_alone -- --context nope
neg_check "--context nope" 2 "context 'nope' not found"
neg_run_alone DOCKER_CONTEXT=nope --
neg_check "DOCKER_CONTEXT=nope" 2 "context 'nope' not found"
# Both may be given (a fleet), but not for one engine: it would list
# every container twice.
neg_run_alone -- --context eng --host "$ENG"
neg_check "--context eng and --host to the same engine" 2 "listed twice"

# A TLS context whose key went missing from the store.
PKI=$TESTS_TMP/pki
if make_ca "$PKI" dockerdoom-test >/dev/null 2>&1; then
    check "docker context create tlsctx (ca, cert, key)" docker context create tlsctx \
        --docker "host=tcp://127.0.0.1:1,ca=$PKI/ca.pem,cert=$PKI/ca.pem,key=$PKI/ca-key.pem"
    H=$(printf %s tlsctx | sha256sum | cut -d' ' -f1)
    check "the CLI stored its key.pem under contexts/tls/<sha256>/docker" \
        test -f "$DOCKER_CONFIG/contexts/tls/$H/docker/key.pem"
    rm -f "$DOCKER_CONFIG/contexts/tls/$H/docker/key.pem"
    neg_run_alone -- --context tlsctx
    neg_check "TLS context without its key.pem" 2 "key.pem"
else
    not_ok "openssl makes a test certificate"
fi

# currentContext names a context that was removed behind the CLI's back.
check "docker context use elsewhere" docker context use elsewhere
rm -rf "$DOCKER_CONFIG/contexts/meta/$(printf %s elsewhere | sha256sum | cut -d' ' -f1)"
neg_run_alone --
neg_check "current context missing from the store" 2 "context 'elsewhere' not found"
check_eq "the engine still has its containers" 2 "$(docker ps -q | wc -l | tr -d ' ')"
tap_done
