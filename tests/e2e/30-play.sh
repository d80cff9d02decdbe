#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 30-play.sh - the whole chain as a player plays it, through VNC only.
#
# A private engine runs K test containers, one labelled
# dockerfs.protect=true. The launcher (container/dockerdoom play, as a
# player starts the game) mounts dockerfs on a shared parent and starts
# the game container with that parent bound read-only and rslave, with no
# network of its own: VNC and noVNC reach it through the launcher's socat
# forwarders on 127.0.0.1 and the game's unix sockets. Through VNC
# (tests/helpers/vnc/vncplay) the test types iddqd, checks that no pointer
# is drawn (the game paused, the X pointer moved: no pixel changes), then
# sweeps the room with the
# idrm cheat (every container monster in view takes a lethal hit from the
# player). Then, through the Docker API: the containers the game asked to
# kill are gone, the protected one still runs and its monster is back, the
# ones not shot still run. The browser (tests/helpers/browser/novnc.mjs, headless
# chromium on the noVNC page) connects and sees a non-blank game. Live
# changes: a container started while the game runs gets its monster
# within 2 s, one removed with `docker rm -f` loses it within 2 s (from
# the game's log, `docker logs`). Restarts: the game process killed inside
# the container, then dockerfs stopped and mounted again by the launcher;
# after each, one more container is shot through VNC.
#
# Pictures: before and after the sweep, and the noVNC page, are saved in
# SHOTS_DIR (default build/shots/: game.png, game-after.png, novnc.png;
# SHOTS_DIR=docs refreshes the README pictures).
#
# Environment (tests/run sets the first ones): DOCKER_HOST / ENGINE_DIR
# (else a private engine is started here), DOCKERFS_BIN, TEST_IMAGE,
# TESTS_TMP; GAME_IMAGE (dockerdoom:latest; built when missing), VNCPLAY,
# SHOTS_DIR, PLAY_K (number of test containers, default 4).
# Helpers below are called through wait_until and traps:
# shellcheck disable=SC2317
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/dockerfs.sh
. "$HERE/../lib/dockerfs.sh"
# shellcheck source=tests/e2e/lib/xstack.sh
. "$HERE/lib/xstack.sh"

GAME_IMAGE=${GAME_IMAGE:-dockerdoom:latest}
SHOTS_DIR=${SHOTS_DIR:-$REPO/build/shots}
PLAY_K=${PLAY_K:-4}
GAME_NAME=dd-e2e-game-$$
LAUNCHER=$REPO/container/dockerdoom
LOGS_PID=

dfs_setup
T=$TESTS_TMP

play_cleanup() {
    local rc=$?
    if [ -n "$LOGS_PID" ]; then
        kill "$LOGS_PID" 2>/dev/null || true
        wait "$LOGS_PID" 2>/dev/null || true
    fi
    # The launcher's stop: game container, dockerfs, mounts.
    if [ -n "${DOCKERDOOM_RUN:-}" ]; then
        timeout 60 "$LAUNCHER" stop >"$T/stop.log" 2>&1 || true
    fi
    timeout 30 docker rm -f "$GAME_NAME" >/dev/null 2>&1 || true
    timeout 30 docker ps -aq --filter label=dockerdoom.e2e=30-play |
        xargs -r timeout 30 docker rm -f >/dev/null 2>&1 || true
    dfs_cleanup
    return "$rc"
}
trap play_cleanup EXIT

# ------------------------------------------------------------------ setup

PASS=pl$RANDOM$RANDOM
PASS=${PASS:0:8}

if ! VP=$(vncplay_bin) || ! PC=$(pngcheck_bin); then
    not_ok "vncplay and pngcheck build"
    tap_done
fi

# The game image: built by the container phase on this engine, or here.
if docker image inspect "$GAME_IMAGE" >/dev/null 2>&1; then
    ok "game image $GAME_IMAGE is on the engine"
else
    note "building $GAME_IMAGE (container/image.sh)"
    if DOCKERDOOM_IMAGE=$GAME_IMAGE "$REPO/container/image.sh" >"$T/build.log" 2>&1; then
        ok "game image $GAME_IMAGE builds"
    else
        not_ok "game image $GAME_IMAGE builds" "$(tail -n 30 "$T/build.log")"
        tap_done
    fi
fi

# K test containers; the last one, dd-play-safe, is protected. It starts
# once the level's first wave stands: the wave spreads up to ~1500 units
# away, a later container takes a free spot near the player, so the sweep
# below reaches it wherever the wave went.
declare -a NAMES=() IDS=()
start_c() {
    local name=$1 id
    shift
    id=$(run_c --name "$name" --label dockerdoom.e2e=30-play "$@") || {
        not_ok "test container $name starts"
        tap_done
    }
    NAMES+=("$name")
    IDS+=("${id:0:12}")
}
for ((i = 1; i < PLAY_K; i++)); do
    start_c "dd-play-$i"
done
check_eq "$((PLAY_K - 1)) test containers run" "$((PLAY_K - 1))" \
    "$(docker ps -q --filter label=dockerdoom.e2e=30-play | wc -l)"

# The launcher, as a player runs it, with everything of its own under T:
# its state and mount directory, container name, ports, password.
VNC_PORT=$(free_port)
WEB_PORT=$(free_port)
while [ "$WEB_PORT" = "$VNC_PORT" ]; do WEB_PORT=$(free_port); done
export DOCKERDOOM_RUN=$T/run DOCKERDOOM_NAME=$GAME_NAME DOCKERDOOM_IMAGE=$GAME_IMAGE
export DOCKERDOOM_NO_DEPS=1 DOCKERDOOM_NO_BUILD=1 DOCKERFS_BIN DOCKERDOOM_LOG_DIR=$T/log
export VNC_PASSWORD=$PASS VNC_LISTEN=127.0.0.1 VNC_PORT NOVNC_PORT=$WEB_PORT
export DOOM_IWAD=freedoom2 DOOM_WARP=1 DOOM_SKILL=3
MNT=$DOCKERDOOM_RUN/share/fs
DFS_LOG=$DOCKERDOOM_LOG_DIR/dockerfs.log
if [ -x "$LAUNCHER" ] && timeout 120 "$LAUNCHER" play >"$T/play.log" 2>&1; then
    ok "container/dockerdoom play: dockerfs mounted, game container started"
else
    not_ok "container/dockerdoom play: dockerfs mounted, game container started" \
        "$(tail -n 30 "$T/play.log" 2>/dev/null)"
    tap_done
fi
if ! GAME_ID=$(docker inspect -f '{{.Id}}' "$GAME_NAME" 2>/dev/null); then
    not_ok "game container $GAME_NAME exists"
    tap_done
fi
GAME_ID=${GAME_ID:0:12}
check_eq "the game container is labelled dockerfs.protect=true" true \
    "$(docker inspect -f '{{index .Config.Labels "dockerfs.protect"}}' "$GAME_NAME")"
note "game container $GAME_NAME ($GAME_ID), VNC 127.0.0.1:$VNC_PORT, noVNC :$WEB_PORT"

# The game's stdout, followed live.
docker logs -f "$GAME_NAME" >"$T/game.log" 2>&1 &
LOGS_PID=$!

# Log helpers: the game writes "dockerdoom: EVENT id=<short> ..." lines.
log_has() {
    grep -q -- "$1" "$T/game.log"
}
log_count() {
    grep -c -- "$1" "$T/game.log" || true
}
all_spawned() {
    local id
    for id in "$@"; do
        log_has "dockerdoom: spawn id=$id " || return 1
    done
}
vnc_up() {
    VNC_PASSWORD=$PASS "$VP" -t 3000 "127.0.0.1:$VNC_PORT" wait 0 >/dev/null 2>&1
}
# Runs a vncplay script against the game; its stderr goes to a log.
play() {
    local rc=0
    VNC_PASSWORD=$PASS "$VP" "127.0.0.1:$VNC_PORT" "$@" 2>>"$T/vncplay.log" || rc=$?
    return "$rc"
}

if wait_until 90 all_spawned "${IDS[@]}"; then
    ok "the game spawned a monster for each of the $((PLAY_K - 1)) containers"
else
    not_ok "the game spawned a monster for each of the $((PLAY_K - 1)) containers" \
        "$(tail -n 30 "$T/game.log")"
    tap_done
fi
start_c dd-play-safe --label dockerfs.protect=true
SAFE_ID=${IDS[$((PLAY_K - 1))]}
if wait_until 30 all_spawned "$SAFE_ID"; then
    ok "dd-play-safe ($SAFE_ID, protected), started later, has its monster"
else
    not_ok "dd-play-safe ($SAFE_ID, protected), started later, has its monster" \
        "$(tail -n 30 "$T/game.log")"
    tap_done
fi
check "the game reads dd-play-safe's protected file: marked, fights only when hit" \
    log_has "dockerdoom: protected id=$SAFE_ID "
if log_has "dockerdoom: spawn id=$GAME_ID "; then
    note "the game container itself is a (protected) monster too"
fi
if wait_until 30 vnc_up; then
    ok "VNC answers with the password"
else
    not_ok "VNC answers with the password" "$(tail -n 20 "$T/game.log")"
    tap_done
fi

# ------------------------------------------------------------------ play

mkdir -p "$SHOTS_DIR"
# God mode at once: the monsters near the start shoot back. The picture
# once the spawn fog and the cheat's message are gone.
if play typedelay 50 type iddqd wait 1200 shot "$T/before.png"; then
    ok "iddqd typed, screenshot before the sweep"
    cp "$T/before.png" "$SHOTS_DIR/game.png"
else
    not_ok "iddqd typed, screenshot before the sweep" "$(tail -n 5 "$T/vncplay.log")"
fi

# No pointer over the view: with the game paused, the X pointer moved
# inside the container changes nothing VNC shows (the message line at the
# top, 70 rows, may: a message goes away meanwhile).
pointer_to() {
    # shellcheck disable=SC2016  # expanded inside the container
    docker exec "$GAME_NAME" sh -c \
        'DISPLAY=:$(ls /tmp/.X11-unix | sed -n "s/^X//p" | head -n 1) xdotool mousemove "$1" "$2"' \
        sh "$1" "$2" 2>>"$T/vncplay.log"
}
if play typedelay 50 tap Pause wait 800 shot "$T/still-1.png" && pointer_to 100 100 &&
    play wait 500 shot "$T/still-2.png" && pointer_to 520 380 &&
    play wait 500 shot "$T/still-3.png"; then
    check_eq "no pointer: moving it over the paused game changes no pixel" "outside 0 outside 0" \
        "$("$PC" diff "$T/still-1.png" "$T/still-2.png" 0 0 640 70 | head -n 1) $("$PC" diff "$T/still-1.png" "$T/still-3.png" 0 0 640 70 | head -n 1)"
else
    not_ok "no pointer: pictures with the pointer moved" "$(tail -n 5 "$T/vncplay.log")"
fi
play typedelay 50 tap Pause wait 300 || true

# The browser on the game's noVNC page, before anything is shot.
if browser_deps >"$T/npm.log" 2>&1; then
    rc=0
    node "$REPO/tests/helpers/browser/novnc.mjs" --web-port "$WEB_PORT" --password "$PASS" \
        wait:1500 "shot:$T/novnc.png" >"$T/novnc.out" 2>"$T/novnc.err" || rc=$?
    status=$(sed -n 's/^status: //p' "$T/novnc.out")
    canvas=$(sed -n 's/^canvas: //p' "$T/novnc.out")
    if [ "$rc" = 0 ] && [[ $status == "Connected "* ]]; then
        ok "browser: noVNC page reports '$status'"
        cp "$T/novnc.png" "$SHOTS_DIR/novnc.png"
    else
        not_ok "browser: noVNC page reports a connection" \
            "rc=$rc $(cat "$T/novnc.out" "$T/novnc.err")"
    fi
    if [[ $canvas =~ ^640x480\ colours=([0-9]+)\ nonblack=([0-9]+)$ ]] &&
        [ "${BASH_REMATCH[1]}" -ge 16 ] && [ "${BASH_REMATCH[2]}" -ge 20 ]; then
        ok "browser: the game canvas is not blank ($canvas)"
    else
        not_ok "browser: the game canvas is not blank" "canvas: $canvas"
    fi
else
    not_ok "npm ci in tests/helpers/browser" "$(tail -n 20 "$T/npm.log")"
fi

# Which containers did the game ask to kill, and what came back?
killed_ok() {
    log_has "dockerdoom: kill-result id=$1 .*result=ok"
}
requested() {
    log_has "dockerdoom: kill-request id=$1 "
}
all_killed() {
    local id
    for id in "$@"; do
        killed_ok "$id" || return 1
    done
}

# One sweep: idrm, then a turn of about 75 degrees (a held key turns 640
# units a tic after 6 slow tics), six times round, then idrm once more;
# it ends early once PRED ARGS... holds after an idrm (a monster in
# sight at once: no turning round for nothing, ~10 s).
sweep_once() {
    local i
    for ((i = 0; i < 6; i++)); do
        play typedelay 50 type idrm wait 600 || return 1
        "$@" && return 0
        play hold Left 700 wait 200 || return 1
    done
    play typedelay 50 type idrm wait 1500
}

# Sweeps until PRED ARGS... holds, walking forward between rounds (a
# monster may stand out of sight); at most 3 rounds.
sweep_until() {
    for _ in 1 2 3; do
        sweep_once "$@" || return 1
        wait_until 5 "$@" && return 0
        play hold Up 800 || return 1
    done
    return 0
}
# Sweeps until every id given was killed.
sweep() {
    sweep_until all_killed "$@"
}
# The first sweep is done when the protected one was shot and refused
# and an unprotected one is dead: what the checks below need (each
# container is either shot and gone or not shot and running, at least
# one shot). Waiting for all of them took up to two more rounds (40 s)
# when a monster stood out of sight, and checked nothing more.
first_done() {
    local id
    log_has "dockerdoom: kill-result id=$SAFE_ID .*result=EPERM" || return 1
    for id in "${IDS[@]:0:PLAY_K-1}"; do
        killed_ok "$id" && return 0
    done
    return 1
}

if sweep_until first_done; then
    ok "swept the room with idrm through VNC"
else
    not_ok "swept the room with idrm through VNC" "$(tail -n 5 "$T/vncplay.log")"
fi

# Every requested kill has its result.
results_in() {
    local id
    for id in "${IDS[@]}"; do
        if requested "$id" && ! log_has "dockerdoom: kill-result id=$id "; then
            return 1
        fi
    done
}
wait_until 15 results_in || note "some kill results are missing"

nkilled=0
for ((i = 0; i < PLAY_K - 1; i++)); do
    id=${IDS[$i]}
    name=${NAMES[$i]}
    if killed_ok "$id"; then
        nkilled=$((nkilled + 1))
        check_eq "$name was shot (kill-result ok) and is gone from the engine" gone "$(c_state "$id")"
    elif requested "$id"; then
        not_ok "$name: kill requested but result not ok" \
            "$(grep -- "id=$id " "$T/game.log")"
    else
        check_eq "$name was not shot and still runs" running "$(c_state "$id")"
    fi
done
if [ "$nkilled" -ge 1 ]; then
    ok "the sweep killed $nkilled of $((PLAY_K - 1)) unprotected containers"
else
    not_ok "the sweep killed at least one container" "$(grep dockerdoom: "$T/game.log" | tail -n 20)"
fi

# The protected one: shot, refused with EPERM, still running, monster back.
if log_has "dockerdoom: kill-result id=$SAFE_ID .*result=EPERM"; then
    ok "dd-play-safe was shot and the kill was refused (EPERM)"
else
    not_ok "dd-play-safe was shot and the kill was refused (EPERM)" \
        "$(grep -- "id=$SAFE_ID " "$T/game.log")"
fi
check_eq "dd-play-safe still runs" running "$(c_state "$SAFE_ID")"
safe_back() {
    # The last event of the protected container's life (not its "awake"
    # or "protected" marks, which may follow a respawn) is a (re)spawn.
    grep -E -- "dockerdoom: (spawn|despawn|kill-request|kill-result) id=$SAFE_ID " "$T/game.log" |
        tail -n 1 | grep -q "dockerdoom: spawn "
}
if wait_until 5 safe_back; then
    ok "dd-play-safe's monster is back"
else
    not_ok "dd-play-safe's monster is back" "$(grep -- "id=$SAFE_ID " "$T/game.log")"
fi
check_eq "the game container still runs" running "$(c_state "$GAME_NAME")"

if play wait 500 shot "$T/after.png"; then
    ok "screenshot after the sweep"
    cp "$T/after.png" "$SHOTS_DIR/game-after.png"
else
    not_ok "screenshot after the sweep" "$(tail -n 5 "$T/vncplay.log")"
fi

# ------------------------------------------------------------------ live

# A container started while the game runs gets its monster within 2 s of
# running: timed from when docker run returned (the engine's own start of
# it, seconds under load, is not the chain's).
t_run=$(now_ms)
late=$(run_c --name dd-play-late --label dockerdoom.e2e=30-play)
late=${late:0:12}
t0=$(now_ms)
if wait_until 5 log_has "dockerdoom: spawn id=$late "; then
    dt=$(($(now_ms) - t0))
    if [ "$dt" -le 2000 ]; then
        ok "a new container got its monster in ${dt} ms (<= 2000; docker run took $((t0 - t_run)) ms)"
    else
        not_ok "a new container got its monster within 2 s" "took ${dt} ms after docker run, which took $((t0 - t_run)) ms"
    fi
else
    not_ok "a new container got its monster within 2 s" "no spawn line for $late"
fi

# One removed with docker rm -f loses its monster within 2 s.
gone=$(run_c --name dd-play-gone --label dockerdoom.e2e=30-play)
gone=${gone:0:12}
wait_until 5 log_has "dockerdoom: spawn id=$gone " || note "dd-play-gone got no monster"
t0=$(now_ms)
docker rm -f "$gone" >/dev/null
if wait_until 5 log_has "dockerdoom: despawn id=$gone "; then
    dt=$(($(now_ms) - t0))
    if [ "$dt" -le 2000 ]; then
        ok "docker rm -f: its monster left in ${dt} ms (<= 2000)"
    else
        not_ok "docker rm -f: its monster left within 2 s" "took ${dt} ms"
    fi
else
    not_ok "docker rm -f: its monster left within 2 s" "no despawn line for $gone"
fi
check_eq "dd-play-late (never shot) still runs" running "$(c_state "$late")"

# ------------------------------------------------------------------ restarts

# Starts one more container, waits for its monster, walks (vncplay steps
# after NAME, if any), sweeps through VNC and checks the container is gone:
# proof the chain works again.
kill_one_more() {
    local what=$1 name=$2 id
    shift 2
    id=$(run_c --name "$name" --label dockerdoom.e2e=30-play)
    id=${id:0:12}
    if ! wait_until 30 log_has "dockerdoom: spawn id=$id "; then
        not_ok "$what: a new container gets a monster" "$(tail -n 20 "$T/game.log")"
        return 0
    fi
    # Steps to walk first, if given (vncplay script).
    if [ $# -gt 0 ]; then
        play typedelay 50 "$@" || note "vncplay failed on the way: $(tail -n 3 "$T/vncplay.log")"
    fi
    sweep "$id" || note "vncplay failed during the sweep: $(tail -n 3 "$T/vncplay.log")"
    if killed_ok "$id" && wait_until 5 test "$(c_state "$id")" = gone; then
        ok "$what: one more container shot through VNC and gone"
    else
        not_ok "$what: one more container shot through VNC and gone" \
            "state $(c_state "$id"); $(grep -- "id=$id " "$T/game.log"); $(grep 'dockerdoom: level search' "$T/game.log" | tail -n 1)"
    fi
}

# The game process dies inside the container: the entrypoint restarts it
# (and gives its new window the keyboard), the container stays up.
watching_before=$(log_count 'dockerdoom: watching')
if docker exec "$GAME_NAME" sh -c 'kill $(pidof chocolate-doom)'; then
    # A new "watching" line, then spawns for containers that were there.
    restarted() {
        [ "$(log_count 'dockerdoom: watching')" -gt "$watching_before" ] || return 1
        awk '/dockerdoom: watching/ { n++ } n > w' w="$watching_before" "$T/game.log" |
            grep -q "dockerdoom: spawn id=$SAFE_ID " &&
            awk '/dockerdoom: watching/ { n++ } n > w' w="$watching_before" "$T/game.log" |
            grep -q "dockerdoom: spawn id=$late "
    }
    if wait_until 60 restarted; then
        ok "game killed inside the container: restarted, monsters back"
    else
        not_ok "game killed inside the container: restarted, monsters back" \
            "$(tail -n 20 "$T/game.log")"
    fi
else
    not_ok "kill the game process inside the container (docker exec)"
fi
check_eq "the game container survived the game's restart" running "$(c_state "$GAME_NAME")"
vnc_up || wait_until 30 vnc_up || note "VNC does not answer after the game restart"
play typedelay 50 type iddqd wait 300 || true
# The restarted game puts the player back at the start, and the new
# container is placed away from the player (some 600 units), out of sight
# of the start: walk ahead into the first room, as a player would.
kill_one_more "after a game restart" dd-play-after-game hold Up 1500 wait 300

# dockerfs restarts on the host: stopped, then `dockerdoom play` again,
# which keeps the running game container and only mounts dockerfs anew;
# the new mount shows inside through the rslave bind of the shared parent.
check_san "$DFS_LOG"
dfs_pid=$(awk '{print $1}' "$DOCKERDOOM_RUN/dockerfs.pid" 2>/dev/null || true)
spawns_before=$(log_count "dockerdoom: spawn id=$SAFE_ID ")
if [ -n "$dfs_pid" ] && kill -TERM "$dfs_pid" 2>/dev/null &&
    wait_until 10 dfs_unmounted "$MNT"; then
    ok "dockerfs stopped (pid $dfs_pid), unmounted"
else
    not_ok "dockerfs stopped (pid ${dfs_pid:-?}), unmounted"
fi
if timeout 120 "$LAUNCHER" play >"$T/play2.log" 2>&1 && dfs_mounted "$MNT" &&
    grep -q 'already running' "$T/play2.log"; then
    ok "dockerdoom play again: dockerfs mounted anew, game container kept"
else
    not_ok "dockerdoom play again: dockerfs mounted anew, game container kept" \
        "$(tail -n 20 "$T/play2.log")"
fi
# shellcheck disable=SC2016  # expanded inside the container
if docker exec "$GAME_NAME" sh -c 'test -e "$DOCKERFS_DIR/$1/name"' sh "$SAFE_ID" 2>/dev/null; then
    ok "the new mount is visible inside the game container"
else
    not_ok "the new mount is visible inside the game container"
fi
safe_respawned() {
    [ "$(log_count "dockerdoom: spawn id=$SAFE_ID ")" -gt "$spawns_before" ] || safe_back
}
wait_until 10 safe_respawned || note "no new spawn line for dd-play-safe after the remount"
kill_one_more "after a dockerfs restart" dd-play-after-dockerfs
check_eq "the game container survived the dockerfs restart" running "$(c_state "$GAME_NAME")"
check_eq "dd-play-safe still runs at the end" running "$(c_state "$SAFE_ID")"

# ------------------------------------------------------------------ end

check_san "$DFS_LOG"
note "game log: $(log_count 'dockerdoom: spawn') spawn, $(log_count 'dockerdoom: kill-request') kill-request, $(log_count 'dockerdoom: kill-result') kill-result lines"
tap_done
