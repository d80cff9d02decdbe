# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# netgame.sh - a netgame of the game (build/game/chocolate-doom) for tests
# and benchmarks: a dedicated server and players that join it over
# loopback, all in a network namespace of their own (the server binds every
# address of its namespace: there, only its loopback). Each player draws on
# an X display the caller made (the X socket file works across namespaces).
# Source it after tap.sh (REPO, TESTS_TMP), then:
#
#   ng_up                      the namespace (NG_NS) with its loopback up,
#                              and the server on UDP NG_PORT in it (log
#                              NG_DIR/server.log)
#   ng_player K DISPLAY DIR NAME [ARGS...]
#                              player K (1..4) joins as NAME, on DISPLAY,
#                              with -dockerfs DIR and ARGS (the game's
#                              settings count from player 1, who also gets
#                              -nodes NG_PLAYERS: the game starts when
#                              that many have joined), and returns once it
#                              has joined (so players are numbered in
#                              turn). HOME, stdout, stderr in NG_DIR/K/;
#                              sets NG_PID[K], NG_LOG[K]; fails when it
#                              has not joined in 30 s
#   ng_focus K                 once player K's game window is mapped, give
#                              it the keyboard (there is no window manager)
#   ng_in_level K              has player K's game reached the level?
#   ng_stop K                  SIGTERM player K, SIGKILL after 2 s
#   ng_down                    every player, the server, the namespace
#
# GAME_BIN, IWAD (freedoom2) and NG_PLAYERS (2) may be set before.
# Processes are stopped by their own pid.

# shellcheck source=tests/lib/proc.sh
. "$(dirname "${BASH_SOURCE[0]}")/proc.sh"

NG_GAME=${GAME_BIN:-$REPO/build/game/chocolate-doom}
NG_IWAD=${IWAD:-/usr/share/games/doom/freedoom2.wad}
NG_PLAYERS=${NG_PLAYERS:-2}
NG_PORT=2342
NG_NS=
NG_DIR=
NG_SERVER=
NG_PID=()
NG_LOG=()
NG_DISPLAY=()

ng_up() {
    local ns pid
    NG_DIR=$TESTS_TMP/netgame
    mkdir -p "$NG_DIR"
    # A namespace left by a run that was killed before its cleanup: its
    # name holds the pid of the script that made it.
    for ns in $(ip netns list 2>/dev/null | awk '/^ddng-[0-9]+-/ { print $1 }'); do
        pid=${ns#ddng-}
        pid=${pid%%-*}
        kill -0 "$pid" 2>/dev/null || ip netns delete "$ns" 2>/dev/null || true
    done
    NG_NS=ddng-$$-$RANDOM
    ip netns add "$NG_NS" || return 1
    ip -n "$NG_NS" link set lo up || return 1
    HOME=$NG_DIR nsenter --net="/run/netns/$NG_NS" -- "$NG_GAME" \
        -dedicated -privateserver -port "$NG_PORT" \
        >"$NG_DIR/server.log" 2>&1 </dev/null &
    NG_SERVER=$!
}

ng_player() {
    local k=$1 display=$2 dir=$3 name=$4 home
    shift 4
    home=$NG_DIR/$k
    mkdir -p "$home/.local/share/chocolate-doom"
    # The game's own setting for a player's name; no ENDOOM screen that
    # waits for a key after quitting; a full-width view.
    printf 'player_name "%s"\nshow_endoom 0\n' "$name" \
        >"$home/.local/share/chocolate-doom/chocolate-doom.cfg"
    echo "screenblocks 10" >"$home/.local/share/chocolate-doom/default.cfg"
    local -a args=(-iwad "$NG_IWAD" -dockerfs "$dir" -window -geometry 640x480
                   -nosound -nomusic -connect "127.0.0.1:$NG_PORT" "$@")
    if [ "$k" = 1 ]; then
        args+=(-nodes "$NG_PLAYERS")
    fi
    NG_LOG[k]=$home/game.log
    NG_DISPLAY[k]=$display
    # Line-buffered: its log tells at once that it joined.
    DISPLAY=$display HOME=$home nsenter --net="/run/netns/$NG_NS" -- \
        stdbuf -oL -eL "$NG_GAME" "${args[@]}" >"${NG_LOG[k]}" 2>"${NG_LOG[k]}.err" </dev/null &
    NG_PID[k]=$!
    wait_until 30 grep -q '^D_InitNetGame: Connected' "${NG_LOG[k]}"
}

ng_in_level() {
    grep -q '^dockerdoom: level spots=' "${NG_LOG[$1]}" 2>/dev/null
}

# The lobby's window goes before the level starts: the game's own window
# is the one mapped after that.
ng_focus() {
    local k=$1 win=
    wait_until 60 ng_in_level "$k" || return 1
    for _ in $(seq 50); do
        win=$(DISPLAY=${NG_DISPLAY[k]} xdotool search --onlyvisible \
            --pid "${NG_PID[k]}" 2>/dev/null | tail -n1 || true)
        [ -n "$win" ] && break
        sleep 0.1
    done
    [ -n "$win" ] || return 1
    DISPLAY=${NG_DISPLAY[k]} xdotool windowmove "$win" 0 0 windowfocus "$win" \
        mousemove --window "$win" 320 240 2>/dev/null || true
}

ng_stop() {
    proc_stop "${NG_PID[$1]:-}"
    NG_PID[$1]=
}

ng_down() {
    local k
    for k in "${!NG_PID[@]}"; do
        ng_stop "$k"
    done
    if [ -n "$NG_SERVER" ]; then
        kill -TERM "$NG_SERVER" 2>/dev/null || true
        wait "$NG_SERVER" 2>/dev/null || true
        NG_SERVER=
    fi
    if [ -n "$NG_NS" ]; then
        ip netns delete "$NG_NS" 2>/dev/null || true
        NG_NS=
    fi
    return 0
}
