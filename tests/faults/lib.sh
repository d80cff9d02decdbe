# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - helpers shared by the fault tests (tests/faults/NN-*.sh), on top
# of tests/lib/dockerfs.sh. Source it after dockerfs.sh.
#
#   proxy_start SOCK     start stallproxy on SOCK in front of the engine
#                        DOCKER_HOST names; sets PROXY_PID, PROXY_HOST
#                        (unix://SOCK) and ENGINE_SOCK (the real socket)
#   proxy_mode MODE      flow | stall | down | hold (open connections
#                        stall, new ones flow); returns when it took effect
#   proxy_stop           stop the proxy
#   errno_within SECS WANT cmd...   run cmd (prints an errno name, like
#                        fsop1); ok if it printed WANT within SECS seconds
#   ms_since T0          milliseconds since now_ms printed T0

STALLPROXY=${STALLPROXY:-$REPO/build/tests/faults/stallproxy}
PROXY_PID=
PROXY_STATE=
export PROXY_HOST=

# Builds the proxy when make did not (a script run alone).
proxy_build() {
    [ -x "$STALLPROXY" ] && return 0
    mkdir -p "$(dirname "$STALLPROXY")"
    cc -std=gnu11 -Wall -Wextra -O2 -D_GNU_SOURCE -o "$STALLPROXY" \
        "$REPO/tests/faults/stallproxy.c"
}

proxy_start() {
    local sock=$1
    proxy_build || return 1
    ENGINE_SOCK=${DOCKER_HOST#unix://}
    PROXY_STATE=$sock.state
    rm -f "$PROXY_STATE"
    "$STALLPROXY" "$sock" "$ENGINE_SOCK" --state "$PROXY_STATE" \
        2>>"$TESTS_TMP/stallproxy.log" &
    PROXY_PID=$!
    PROXY_HOST=unix://$sock
    wait_until 5 grep -qx flow "$PROXY_STATE"
}

proxy_mode() {
    local sig
    case $1 in
        flow) sig=USR2 ;;
        stall) sig=USR1 ;;
        down) sig=HUP ;;
        hold) sig=WINCH ;;
        *) echo "proxy_mode: bad mode $1" >&2; return 2 ;;
    esac
    kill -"$sig" "$PROXY_PID" || return 1
    wait_until 5 grep -qx "$1" "$PROXY_STATE"
}

proxy_stop() {
    [ -n "$PROXY_PID" ] || return 0
    kill -TERM "$PROXY_PID" 2>/dev/null || true
    wait "$PROXY_PID" 2>/dev/null || true
    PROXY_PID=
}

ms_since() {
    echo $(( $(now_ms) - $1 ))
}
