#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 30-entrypoint.sh - the game container on its own (no dockerfs needed):
# a generated VNC password is printed, never a fixed one; VNC and noVNC
# listen where told, x11vnc nowhere else (no IPv6 wildcard); it runs as an
# unknown uid on a read-only root; the game is restarted when it exits and gets keyboard
# focus back; `docker stop` takes under 2 s (the figure is printed).
set -euo pipefail
# shellcheck source=tests/container/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ct_setup
ct_image || { not_ok "game image $GAME_IMAGE"; tap_done; }

C=ddentry-$$
mkdir -p "$TESTS_TMP/empty"
# A plain directory follows the contract too (no containers in it).
docker run -d --name "$C" --network host \
    --mount "type=bind,source=$TESTS_TMP/empty,target=/dockerfs,readonly" \
    -e VNC_PORT="$VNC_PORT" -e NOVNC_PORT="$NOVNC_PORT" -e DOOM_IWAD=freedoom1 \
    "$GAME_IMAGE" >/dev/null
started() { ct_game_log "$C" | grep -q 'starting game (run 1)'; }
if wait_until 30 started; then
    ok "game container starts"
else
    not_ok "game container starts" "$(ct_game_log "$C" | tail -n 20)"
    tap_done
fi
pw=$(ct_game_log "$C" | sed -n 's/.*generated VNC password: //p' | head -n 1)
if [[ $pw =~ ^[A-Za-z0-9]{8}$ ]]; then
    ok "without VNC_PASSWORD a password is generated and printed"
else
    not_ok "without VNC_PASSWORD a password is generated and printed" "$(ct_game_log "$C" | head)"
fi
check "freedoom1 starts on E1M1" sh -c "docker logs $C 2>&1 | grep -q -- '-iwad /usr/share/games/doom/freedoom1.wad .*-warp 1 1'"
check "the game runs in a 640x480 window" sh -c "docker logs $C 2>&1 | grep -q -- '-window -geometry 640x480'"
wait_until 10 ct_listening "$VNC_PORT" || true
check "VNC listens on 127.0.0.1 only" \
    sh -c "ss -Htln 'sport = :$VNC_PORT' | awk '{print \$4}' | grep -qx '127.0.0.1:$VNC_PORT'"
check_eq "x11vnc has no second (IPv6 wildcard) listener on the VNC port" 1 \
    "$(ss -Htln "sport = :$VNC_PORT" | wc -l)"
# This container's x11vnc only: other games on the machine run theirs.
xpids=$(docker top "$C" -o pid,comm | awk '$2 == "x11vnc" {print $1}')
check "the container's x11vnc is found (docker top)" test -n "$xpids"
check_eq "x11vnc listens on no other port (no [::]:5900)" "" \
    "$(for p in $xpids; do ss -Hltnp | grep "\"x11vnc\",pid=$p," ; done | awk '{print $4}' | grep -vx "127.0.0.1:$VNC_PORT")"
wait_until 10 ct_listening "$NOVNC_PORT" || true
check "noVNC listens on 127.0.0.1 only" \
    sh -c "ss -Htln 'sport = :$NOVNC_PORT' | awk '{print \$4}' | grep -qx '127.0.0.1:$NOVNC_PORT'"

disp=$(ct_game_log "$C" | sed -n 's/^entrypoint: Xvfb on \(:[0-9]*\).*/\1/p' | head -n 1)
note "X display in the container: $disp"
# Does the game process own the focused window?
game_focused() {
    local pid win fpid
    pid=$(docker exec "$C" sh -c 'for p in /proc/[0-9]*; do
            case $(tr "\0" " " < $p/cmdline 2>/dev/null) in
                *chocolate-doom\ -iwad*) echo ${p#/proc/};; esac; done' | tail -n 1)
    [ -n "$pid" ] || return 1
    win=$(docker exec -e DISPLAY="$disp" "$C" xdotool getwindowfocus 2>/dev/null) || return 1
    fpid=$(docker exec -e DISPLAY="$disp" "$C" xdotool getwindowpid "$win" 2>/dev/null) || return 1
    [ "$fpid" = "$pid" ]
}
if wait_until 15 game_focused; then
    ok "the game window has keyboard focus"
else
    not_ok "the game window has keyboard focus"
fi

gp=$(ct_game_pid "$C")
kill -TERM "$gp" 2>/dev/null || true
restarted() { ct_game_log "$C" | grep -q 'starting game (run 2)'; }
if wait_until 15 restarted; then
    ok "the game is restarted when it exits"
else
    not_ok "the game is restarted when it exits" "$(ct_game_log "$C" | grep entrypoint)"
fi
new_gp() { local p; p=$(ct_game_pid "$C"); [ -n "$p" ] && [ "$p" != "$gp" ]; }
wait_until 10 new_gp || true
if wait_until 15 game_focused; then
    ok "the restarted game has keyboard focus again"
else
    not_ok "the restarted game has keyboard focus again"
fi

ms=$(ct_elapsed_ms docker stop "$C")
note "docker stop took $ms ms"
if [ "$ms" -lt 2000 ]; then
    ok "docker stop takes under 2 s ($ms ms)"
else
    not_ok "docker stop takes under 2 s ($ms ms)"
fi
check_eq "the container exited cleanly" 0 "$(docker inspect -f '{{.State.ExitCode}}' "$C")"
check "the entrypoint logged its stop" sh -c "docker logs $C 2>&1 | grep -q 'entrypoint: stopped'"
docker rm -f "$C" >/dev/null 2>&1 || true

# A given password and listen address are used as given; and the image
# runs as an account it does not know, on a read-only root, without
# capabilities (as the launcher runs it).
docker run -d --name "$C" --network host -e VNC_PASSWORD=given123 \
    --user 4242:4242 --read-only --tmpfs /tmp --cap-drop ALL \
    --security-opt no-new-privileges \
    -e VNC_LISTEN=127.0.0.2 -e VNC_PORT="$VNC_PORT" -e NOVNC_PORT="$NOVNC_PORT" \
    "$GAME_IMAGE" >/dev/null
wait_until 30 started || true
if ct_game_log "$C" | grep -q 'generated VNC password'; then
    not_ok "with VNC_PASSWORD nothing is generated"
else
    ok "with VNC_PASSWORD nothing is generated"
fi
wait_until 10 ct_listening "$VNC_PORT" || true
check "VNC_LISTEN is honoured" \
    sh -c "ss -Htln 'sport = :$VNC_PORT' | awk '{print \$4}' | grep -qx '127.0.0.2:$VNC_PORT'"
check "as uid 4242 on a read-only root: the game runs" sh -c \
    "docker logs $C 2>&1 | grep -q 'starting game (run 1)'"
check "docker top lists the container's processes" sh -c "docker top $C -o pid,args | grep -q x11vnc"
check_eq "the given password is in no command line of the container" "" \
    "$(docker top "$C" -o pid,args | grep -F given123 || true)"
docker rm -f "$C" >/dev/null 2>&1 || true

tap_done
