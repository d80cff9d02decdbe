#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 50-coop-play.sh - `dockerdoom play --players 2` on the private engine:
# bad --players / --player-names are refused before anything starts; two
# games in the one game container, each with its own screen, VNC and
# noVNC address and password (ports counted up from VNC_PORT and
# NOVNC_PORT), printed once per player; nothing listens beyond loopback
# (the netgame's server is on the container's own loopback, which has no
# other address); both games spawn the test containers, alice's reading
# the mount; bob's idrm, typed through bob's VNC, removes containers with
# writes from bob's game only; bob quits (F10, y) and alice plays on;
# `status` names both players, `stop` leaves no forwarder.
# Helpers below are called through wait_until and check:
# shellcheck disable=SC2317
set -euo pipefail
# shellcheck source=tests/container/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/e2e/lib/xstack.sh
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib/xstack.sh"
ct_setup
ct_image || { not_ok "game image $GAME_IMAGE"; tap_done; }
VP=$(vncplay_bin) || { not_ok "vncplay builds"; tap_done; }
NAME=$DOCKERDOOM_NAME

# Two free ports in a row for each of VNC and noVNC.
pair_free() { ! ct_listening "$1" && ! ct_listening $(($1 + 1)); }
for _ in $(seq 50); do
    VNC_PORT=$(free_port)
    NOVNC_PORT=$(free_port)
    if pair_free "$VNC_PORT" && pair_free "$NOVNC_PORT" &&
        { [ $((VNC_PORT - NOVNC_PORT)) -gt 1 ] || [ $((NOVNC_PORT - VNC_PORT)) -gt 1 ]; }; then
        break
    fi
done
export VNC_PORT NOVNC_PORT

# --- refusals, before anything starts
refused() {
    local what=$1 want=$2 rc=0 o
    shift 2
    o=$("$LAUNCHER" play "$@" 2>&1) || rc=$?
    if [ "$rc" -ne 0 ] && grep -q -- "$want" <<<"$o"; then
        ok "$what: refused, exit $rc ('$(grep -m1 -- "$want" <<<"$o")')"
    else
        not_ok "$what: refused" "rc=$rc: $o"
    fi
}
refused "--players 5" "must be 1 to 4" --players 5
refused "--players two" "must be 1 to 4" --players two
refused "--player-names without --players" "need --players" --player-names a,b
refused "a name with a space" "letters, digits" --players 2 --player-names "al ice,bob"
refused "one name twice" "given twice" --players 2 --player-names bob,bob
refused "three names for two" "3 names for 2" --players 2 --player-names a,b,c
check "nothing was started by the refusals" \
    test -z "$(docker ps -aq --filter "name=^$NAME\$")"

for i in 1 2 3 4; do
    run_c --name "coop-victim$i-$$" >/dev/null
done

# --- two players
T0=$(now_ms)
if out=$(timeout 180 "$LAUNCHER" play --players 2 --player-names alice,bob 2>&1); then
    ok "play --players 2 --player-names alice,bob ($(($(now_ms) - T0)) ms)"
else
    not_ok "play --players 2 --player-names alice,bob" "$out"
    tap_done
fi
note "$(grep -A 8 'player 1: alice' <<<"$out" | grep -v password)"
pw1=$(awk '/player 1: alice/ { f = 1 } f && /password:/ { print $2; exit }' <<<"$out")
pw2=$(awk '/player 2: bob/ { f = 1 } f && /password:/ { print $2; exit }' <<<"$out")
check "one address and password for alice" \
    grep -q "VNC:      127.0.0.1:$VNC_PORT " <<<"$(awk '/player 1: alice/,/player 2/' <<<"$out")"
check "and for bob, on the next ports" \
    grep -q "noVNC:    http://127.0.0.1:$((NOVNC_PORT + 1))/vnc.html" <<<"$(awk '/player 2: bob/,0' <<<"$out")"
check "two passwords, not the same" test -n "$pw1" -a -n "$pw2" -a "$pw1" != "$pw2"

# Each screen takes its own password only.
vp() {
    local port=$1 pw=$2 rc=0
    shift 2
    VNC_PASSWORD=$pw "$VP" "127.0.0.1:$port" typedelay 40 "$@" >/dev/null 2>>"$TESTS_TMP/vncplay.log" || rc=$?
    return "$rc"
}
check "alice's VNC takes alice's password" vp "$VNC_PORT" "$pw1" wait 0
check "bob's VNC takes bob's password" vp "$((VNC_PORT + 1))" "$pw2" wait 0
rc=0
vp "$((VNC_PORT + 1))" "$pw1" wait 0 || rc=$?
check_eq "bob's VNC refuses alice's password (exit 3)" 3 "$rc"

fwd_pids=$(awk '{print $1}' "$DOCKERDOOM_RUN"/fwd-*.pid 2>/dev/null | xargs)
game_pids=$(docker top "$NAME" -o pid | awk 'NR > 1' | xargs)
check_eq "four forwarders run" 4 "$(wc -w <<<"$fwd_pids")"
# shellcheck disable=SC2086  # pid lists
if bad=$(ct_listen_audit $fwd_pids $game_pids); then
    ok "listener audit (ss -ltnp): nothing beyond loopback"
else
    not_ok "listener audit (ss -ltnp): nothing beyond loopback" "$bad"
fi
gpid=$(docker inspect -f '{{.State.Pid}}' "$NAME")
links=$(nsenter -t "$gpid" -n ip -o link 2>/dev/null | awk -F': ' '{print $2}' | xargs)
check_eq "the game container's network has its loopback only" lo "$links"
check "the netgame's server listens there (UDP 2342)" \
    sh -c "nsenter -t '$gpid' -n ss -Hlun | grep -q ':2342 '"

# (grep -q on a pipe would end docker logs with SIGPIPE, a failure under
# pipefail.)
log_has() {
    ct_game_log "$NAME" >"$TESTS_TMP/game.log"
    grep -q -- "$1" "$TESTS_TMP/game.log"
}
both_spawned() {
    local id
    for id in $(docker ps -q --filter "name=coop-victim"); do
        log_has "^\[alice\] dockerdoom: spawn id=${id:0:12} " || return 1
        log_has "^\[bob\] dockerdoom: spawn id=${id:0:12} " || return 1
    done
}
check "both games spawn the 4 containers" wait_until 90 both_spawned
check "alice's game reads the mount for both" \
    log_has "^\[bob\] dockerdoom: reader player=1 name=alice$"

# bob's idrm through bob's screen; the first wave stands in view of the
# start, where both players stand.
killed_by_bob() { log_has "^\[alice\] dockerdoom: kill-result .* by=bob result=ok$"; }
for _ in 1 2 3 4; do
    vp "$((VNC_PORT + 1))" "$pw2" type idrm wait 500 || true
    wait_until 5 killed_by_bob && break
    vp "$((VNC_PORT + 1))" "$pw2" hold Left 450 || true
done
check "bob's idrm (through bob's VNC) killed containers, on both games" killed_by_bob
bob_pid=$(docker top "$NAME" -o pid,args | awk '/-connect/ && !/-nodes/ { print $1; exit }')
writers=$(sed -n 's/.*kill id=.* pid=\([0-9]*\) .*/\1/p' "$DOCKERDOOM_LOG_DIR/dockerfs.log" | sort -u)
bad=
for t in $writers; do
    [ -e "/proc/$bob_pid/task/$t" ] || bad+="$t "
done
check_eq "every kill write came from bob's game (pid $bob_pid)" "" "$bad"

# bob leaves; alice plays on.
bob_left() { log_has "^\[alice\] dockerdoom: player 2 left name=bob$"; }
# Under load bob's quit prompt can come up after the y was typed: then
# ask again (while the prompt is up the game takes only y, n and Esc, so
# a second F10 does not close it).
for _ in 1 2 3; do
    vp "$((VNC_PORT + 1))" "$pw2" tap F10 wait 500 tap y || true
    wait_until 8 bob_left && break
done
check "bob quit: alice's game saw him leave" wait_until 20 bob_left
alice_stats() {
    ct_game_log "$NAME" >"$TESTS_TMP/game.log"
    grep -c '^\[alice\] dockerdoom: stats ' "$TESTS_TMP/game.log" || true
}
n=$(alice_stats)
more_stats() { [ "$(alice_stats)" -gt "$n" ]; }
check "alice's game plays on" wait_until 15 more_stats
check "alice's screen still answers" vp "$VNC_PORT" "$pw1" wait 0

st=$("$LAUNCHER" status 2>&1 || true)
check "status names both players" grep -q "player 2: bob" <<<"$st"
"$LAUNCHER" stop >/dev/null 2>&1 || true
check_eq "stop: no forwarder left" "" \
    "$(for p in $fwd_pids; do ct_alive "$p" && echo "$p"; done)"
check "stop: the ports are free" sh -c "! ss -Htln | grep -q ':$((VNC_PORT + 1)) '"

tap_done
