#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 60-sound.sh - the game's sound in the noVNC page, as a player gets it.
#
# The launcher (container/dockerdoom play) starts the game container as
# for a player: its music and sound effects go through ddaudio and a
# second websocket (websockify?token=audio) beside noVNC's, on the same
# loopback forwarder. Debian's headless chromium (tests/helpers/browser/
# novnc.mjs) opens the noVNC address, types the password, clicks, and
# reads the level of the page's output with an AnalyserNode on the node
# after the mute: not silent while the game plays its music; silent when
# muted; nothing before the player's first click. Without the password
# the audio websocket gives the 20 bytes of the challenge and no sound,
# also when it answers nothing; with it, sound flows. A plain VNC client
# still connects (and hears nothing: VNC has no sound). With two players
# (play --players 2) each page plays its own game's sound, with its own
# player's password only; a ddaudio killed is restarted, the games run
# on, the next page plays.
#
# The check "not silent" fails when the game makes no sound: run with
# DOOM_ARGS=-nosound to see it fail.
#
# Environment (tests/run sets the first ones): DOCKER_HOST / ENGINE_DIR,
# DOCKERFS_BIN, TESTS_TMP; GAME_IMAGE (dockerdoom:latest; built when
# missing), DOOM_ARGS (for the game, default none).
# Helpers below are called through wait_until and traps:
# shellcheck disable=SC2317
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/dockerfs.sh
. "$HERE/../lib/dockerfs.sh"
# shellcheck source=tests/e2e/lib/xstack.sh
. "$HERE/lib/xstack.sh"

GAME_IMAGE=${GAME_IMAGE:-dockerdoom:latest}
GAME_NAME=dd-e2e-sound-$$
LAUNCHER=$REPO/container/dockerdoom
NOVNC_JS=$REPO/tests/helpers/browser/novnc.mjs

dfs_setup
T=$TESTS_TMP

sound_cleanup() {
    local rc=$?
    if [ -n "${DOCKERDOOM_RUN:-}" ]; then
        timeout 60 "$LAUNCHER" stop >"$T/stop.log" 2>&1 || true
    fi
    timeout 30 docker rm -f "$GAME_NAME" >/dev/null 2>&1 || true
    dfs_cleanup
    return "$rc"
}
trap sound_cleanup EXIT

PASS=so$RANDOM$RANDOM
PASS=${PASS:0:8}

if ! VP=$(vncplay_bin); then
    not_ok "vncplay builds"
    tap_done
fi
if ! browser_deps >"$T/npm.log" 2>&1; then
    not_ok "npm ci in tests/helpers/browser" "$(tail -n 20 "$T/npm.log")"
    tap_done
fi
if ! docker image inspect "$GAME_IMAGE" >/dev/null 2>&1; then
    note "building $GAME_IMAGE (container/image.sh)"
    if ! DOCKERDOOM_IMAGE=$GAME_IMAGE "$REPO/container/image.sh" >"$T/build.log" 2>&1; then
        not_ok "game image $GAME_IMAGE builds" "$(tail -n 30 "$T/build.log")"
        tap_done
    fi
fi

# Two free ports in a row for each of VNC and noVNC: two players at the end.
pair_free() { ! port_listening "$1" && ! port_listening $(($1 + 1)); }
for _ in $(seq 50); do
    VNC_PORT=$(free_port)
    WEB_PORT=$(free_port)
    d=$((WEB_PORT - VNC_PORT))
    if pair_free "$VNC_PORT" && pair_free "$WEB_PORT" && [ "${d#-}" -gt 1 ]; then
        break
    fi
done
export DOCKERDOOM_RUN=$T/run DOCKERDOOM_NAME=$GAME_NAME DOCKERDOOM_IMAGE=$GAME_IMAGE
export DOCKERDOOM_NO_DEPS=1 DOCKERDOOM_NO_BUILD=1 DOCKERFS_BIN DOCKERDOOM_LOG_DIR=$T/log
export VNC_PASSWORD=$PASS VNC_LISTEN=127.0.0.1 VNC_PORT NOVNC_PORT=$WEB_PORT
export DOOM_IWAD=freedoom2 DOOM_WARP=1 DOOM_SKILL=3 DOOM_ARGS=${DOOM_ARGS:-}
t0=$SECONDS
if timeout 120 "$LAUNCHER" play >"$T/play.log" 2>&1; then
    ok "container/dockerdoom play: game container started ($((SECONDS - t0)) s)"
else
    not_ok "container/dockerdoom play: game container started" "$(tail -n 30 "$T/play.log")"
    tap_done
fi
check "play says the sound is in the noVNC page" grep -q '^  sound: *in the noVNC page' "$T/play.log"
game_log() { docker logs "$GAME_NAME" 2>&1; }
sound_up() { game_log | grep -q 'entrypoint: sound of player 1: 44100 Hz'; }
if wait_until 30 sound_up; then
    ok "ddaudio runs in the game container (44100 Hz)"
else
    not_ok "ddaudio runs in the game container" "$(game_log | tail -n 20)"
fi
game_running() { game_log | grep -q 'entrypoint: starting game'; }
wait_until 60 game_running || note "no 'starting game' line yet"

# Runs the browser on the noVNC page (of port BROWSE_PORT with password
# BROWSE_PASS, else the first player's); its facts go to T/NAME.out.
browse() {
    local name=$1 rc=0
    shift
    node "$NOVNC_JS" --web-port "${BROWSE_PORT:-$WEB_PORT}" --password "${BROWSE_PASS:-$PASS}" \
        --timeout 30000 "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
    echo "$rc" >"$T/$name.rc"
}
# The Nth line of fact NAME of run RUN.
fact() {
    sed -n "s/^$2: //p" "$T/$1.out" | sed -n "${3:-1}p"
}
peak() {
    sed -n 's/.*peak=\([-0-9.]*\).*/\1/p' <<<"$1"
}
# Is the peak P at least / below the level L (0..1)?
loud() { awk -v p="$1" 'BEGIN { exit !(p >= 0.01) }'; }
silent() { awk -v p="$1" 'BEGIN { exit !(p >= 0 && p < 0.0005) }'; }

# ------------------------------------------------------------------ a player

# Typed into noVNC's dialog as a player does; then a click in the game.
t0=$SECONDS
browse player --type-password click:canvas playing:20000 sound:1500 mute wait:300 sound:800 unmute wait:300 sound:800 \
    "probe:wrong$PASS" probe:- "probe:$PASS"
if [ "$(cat "$T/player.rc")" = 0 ] && [ "$(fact player connected)" = yes ]; then
    ok "browser: password typed, noVNC connected ($((SECONDS - t0)) s)"
else
    not_ok "browser: password typed, noVNC connected" \
        "rc=$(cat "$T/player.rc") $(cat "$T/player.out" "$T/player.err")"
fi
s=$(fact player sound 1)
if [[ $s == *state=playing* ]] && loud "$(peak "$s")"; then
    ok "the page's sound output is not silent: the game's music ($s)"
else
    not_ok "the page's sound output is not silent: the game's music" \
        "sound: $s; $(fact player audio); $(game_log | grep -E 'ddaudio|entrypoint' | tail -n 5)"
fi
check_eq "the sound button mutes" "muted=1" "$(fact player button 1 | grep -o 'muted=1')"
s=$(fact player sound 2)
if silent "$(peak "$s")" && [[ $s == *muted=1* ]]; then
    ok "muted: the page's output is silent ($s)"
else
    not_ok "muted: the page's output is silent" "sound: $s"
fi
s=$(fact player sound 3)
if loud "$(peak "$s")" && [[ $s == *muted=0* ]]; then
    ok "unmuted: sound again ($s)"
else
    not_ok "unmuted: sound again" "sound: $s"
fi
check_eq "a wrong password: the 20-byte challenge, no sound, closed" \
    "hello=20 after=0 closed=yes" "$(fact player probe 1)"
check_eq "no answer: the challenge and no sound" "hello=20 after=0 closed=no" "$(fact player probe 2)"
p=$(fact player probe 3)
# At least 0.1 s of samples after the 8 bytes of the format (2 s are
# 352800 bytes when the game and the machine keep time; a starved game
# mixes less).
if [[ $p =~ ^hello=20\ after=([0-9]+)\ closed=no$ ]] && [ "${BASH_REMATCH[1]}" -gt 17648 ]; then
    ok "the right password: sound flows ($p; 2 s at 44.1 kHz are 352800 bytes)"
else
    not_ok "the right password: sound flows" "probe: $p"
fi
check "ddaudio logged the wrong password" sh -c "docker logs $GAME_NAME 2>&1 | grep -q 'ddaudio: listener [0-9]*: wrong password'"

# ------------------------------------------------------------------ two players

# play --players 2 after a stop: each player's page plays his own game's
# sound with his own password (each game has its ddaudio), and the other
# player's password opens nothing there.
t0=$SECONDS
timeout 60 "$LAUNCHER" stop >"$T/stop1.log" 2>&1 || note "stop: $(tail -n 3 "$T/stop1.log")"
if timeout 120 "$LAUNCHER" play --players 2 --player-names alice,bob >"$T/play2.log" 2>&1; then
    ok "stop, then play --players 2 ($((SECONDS - t0)) s)"
else
    not_ok "stop, then play --players 2" "$(tail -n 20 "$T/play2.log")"
fi
PASS2=$(awk '/player 2:/ { p = 1 } p && /password:/ { print $2; exit }' "$T/play2.log")
in_level() { game_log | grep -q "^\[$1\] dockerdoom: level "; }
if wait_until 60 in_level alice && wait_until 30 in_level bob; then
    ok "both games are in the level"
else
    not_ok "both games are in the level" "$(game_log | tail -n 10)"
fi

# ------------------------------------------------------------------ a crash

# alice's ddaudio dies: the games go on (their writes wait on the FIFO
# the entrypoint holds open), it is back within a second or two, and
# alice's page (below) plays from the new one.
# The pids in the container of the processes whose command line has $1.
pids_of() {
    docker exec "$GAME_NAME" sh -c 'for p in /proc/[0-9]*; do
        [ "${p#/proc/}" = $$ ] && continue     # this sh: $1 is in its own
        case $(tr "\0" " " <$p/cmdline 2>/dev/null) in *"$1"*) echo ${p#/proc/};; esac
        done' sh "$1" | sort -n | xargs
}
games=$(pids_of "chocolate-doom -iwad")
victim=$(pids_of "ddaudio --fifo /tmp/audio-1/pcm")
if [ -n "$victim" ] && docker exec "$GAME_NAME" sh -c 'kill -KILL "$1"' sh "$victim"; then
    restarted() { game_log | grep -q 'entrypoint: ddaudio exited with status 137; restarting'; }
    if wait_until 10 restarted; then
        ok "alice's ddaudio killed: the entrypoint restarts it"
    else
        not_ok "alice's ddaudio killed: the entrypoint restarts it" "$(game_log | tail -n 5)"
    fi
    back() { [ -n "$(pids_of "ddaudio --fifo /tmp/audio-1/pcm")" ]; }
    wait_until 10 back || note "no ddaudio of alice again"
    check_eq "the games did not stop (same processes)" "$games" "$(pids_of "chocolate-doom -iwad")"
else
    not_ok "kill alice's ddaudio in the game container" "pids: $victim"
fi

# ------------------------------------------------------------------ first click

# alice's password in the address: nothing plays before the first click;
# after it, the sound of her restarted ddaudio. bob's page, his password.
BROWSE_PASS=$PASS browse alice sound:500 click:canvas playing:20000 sound:1500 "probe:$PASS2"
BROWSE_PORT=$((WEB_PORT + 1)) BROWSE_PASS=$PASS2 browse bob click:canvas playing:20000 sound:1500 "probe:$PASS"
s=$(fact alice sound 1)
if [[ $s == "peak=-1.0000 "* && $s == *state=waiting* ]]; then
    ok "before the first click the page makes no sound ($s)"
else
    not_ok "before the first click the page makes no sound" "sound: $s $(cat "$T/alice.err")"
fi
s=$(fact alice sound 2)
if loud "$(peak "$s")"; then
    ok "after the first click alice's page plays, from her restarted ddaudio ($s)"
else
    not_ok "after the first click alice's page plays, from her restarted ddaudio" \
        "sound: $s $(cat "$T/alice.err")"
fi
s=$(fact bob sound 1)
if loud "$(peak "$s")"; then
    ok "bob's page plays bob's game ($s)"
else
    not_ok "bob's page plays bob's game" "sound: $s $(cat "$T/bob.err")"
fi
for who in alice bob; do
    check "$who's own ddaudio gave it the sound" \
        sh -c "docker logs $GAME_NAME 2>&1 | grep -q '^ddaudio $who: listener [0-9]*: password right'"
done
check_eq "bob's password opens nothing on alice's page: challenge only" \
    "hello=20 after=0 closed=yes" "$(fact alice probe 1)"
check_eq "alice's password opens nothing on bob's page" \
    "hello=20 after=0 closed=yes" "$(fact bob probe 1)"

# ------------------------------------------------------------------ VNC

if VNC_PASSWORD=$PASS timeout 20 "$VP" -t 10000 "127.0.0.1:$VNC_PORT" wait 0 >/dev/null 2>"$T/vnc.err"; then
    ok "a plain VNC client still connects (no sound in VNC)"
else
    not_ok "a plain VNC client still connects" "$(cat "$T/vnc.err")"
fi

tap_done
