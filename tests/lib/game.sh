# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# game.sh - the game (build/game/chocolate-doom) on a dockerfs mount under a
# private Xvfb, for test scripts. Source it after dockerfs.sh (tap.sh,
# TESTS_TMP, REPO), then:
#
#   game_require WHAT TOOL...  ends the script (not_ok, tap_done) when GAME,
#                              IWAD or one of the TOOLs is missing
#   game_xvfb                  Xvfb on a display it picks itself (told on
#                              fd 3), 640x480x24, no TCP; exports DISPLAY,
#                              sets XVFB_PID; ends the script if it fails
#   game_start DIR             the game on DIR (-dockerfs), windowed
#                              640x480, no sound, skill 3, no map monsters,
#                              MAP01, HOME in TESTS_TMP; stdout in GAME_LOG
#                              (TESTS_TMP/game.log), stderr in GAME_LOG.err;
#                              sets GAME_PID
#   game_stop                  SIGTERM, SIGKILL after 2 s; waits for it
#   game_teardown              game_stop and the Xvfb stopped: for EXIT traps
#
# Playing it (xdotool) and reading its log, once game_start ran:
#
#   game_ids WHAT              the ids of GAME_LOG's "dockerdoom: WHAT id=..."
#                              lines (spawn, kill-request, ...), sorted, once
#   game_spawned IDS           true when every id of IDS (one a line) has
#                              a spawn line: its monster is in the game
#   game_keys TEXT             types TEXT into the game's window (a cheat)
#   game_hold KEY SECS         holds KEY (xdotool's name) down for SECS
#   game_idrm_sweep            iddqd, then idrm while turning about 75
#                              degrees between tries and stepping forward
#                              after each full turn (4 turns at most), until
#                              the game asks for a kill (1 s a try); sets
#                              GAME_SWEEP_MS (now_ms when it began) and
#                              GAME_SWEEP_ROUND (the turn it ended in);
#                              false when no kill was asked
#
# GAME_BIN (default build/game/chocolate-doom) and IWAD (default freedoom2)
# may be set before. Works under set -e too. Processes are stopped by their
# own pid.

# shellcheck source=tests/lib/proc.sh
. "$(dirname "${BASH_SOURCE[0]}")/proc.sh"

GAME=${GAME_BIN:-$REPO/build/game/chocolate-doom}
IWAD=${IWAD:-/usr/share/games/doom/freedoom2.wad}
GAME_LOG=
GAME_PID=
XVFB_PID=
GAME_WIN=
GAME_SWEEP_MS=
GAME_SWEEP_ROUND=

game_require() {
    local what=$1 tool
    shift
    for tool in "$@"; do
        command -v "$tool" >/dev/null ||
            { not_ok "$what: needs $tool"; tap_done; }
    done
    if [ ! -x "$GAME" ] || [ ! -f "$IWAD" ]; then
        not_ok "$what: needs $GAME (make game) and $IWAD"
        tap_done
    fi
}

game_xvfb() {
    Xvfb -displayfd 3 -screen 0 640x480x24 -nolisten tcp \
        3>"$TESTS_TMP/display" >"$TESTS_TMP/xvfb.log" 2>&1 &
    XVFB_PID=$!
    wait_until 10 test -s "$TESTS_TMP/display" ||
        { not_ok "Xvfb starts" "$(cat "$TESTS_TMP/xvfb.log")"; tap_done; }
    DISPLAY=":$(head -n1 "$TESTS_TMP/display")"
    export DISPLAY
}

game_start() {
    GAME_LOG=$TESTS_TMP/game.log
    GAME_WIN=
    mkdir -p "$TESTS_TMP/home"
    HOME=$TESTS_TMP/home "$GAME" -iwad "$IWAD" -dockerfs "$1" -window \
        -geometry 640x480 -nosound -nomusic -skill 3 -nomonsters -warp 1 \
        >"$GAME_LOG" 2>"$GAME_LOG.err" </dev/null &
    GAME_PID=$!
}

game_stop() {
    proc_stop "$GAME_PID"
    GAME_PID=
}

game_teardown() {
    game_stop
    if [ -n "$XVFB_PID" ]; then
        kill -TERM "$XVFB_PID" 2>/dev/null || true
        wait "$XVFB_PID" 2>/dev/null || true
        XVFB_PID=
    fi
    return 0
}

game_ids() {
    sed -n "s/^dockerdoom: $1 id=\([0-9a-f]*\) .*/\1/p" "$GAME_LOG" | sort -u
}

game_spawned() {
    [ -z "$(comm -23 <(echo "$1") <(game_ids spawn))" ]
}

# Focuses the game's window (found once): keys go to the focused one.
game_focus() {
    [ -n "$GAME_WIN" ] ||
        GAME_WIN=$(timeout 10 xdotool search --sync --limit 1 --class chocolate-doom) ||
        return 0
    timeout 5 xdotool windowfocus --sync "$GAME_WIN" 2>/dev/null ||
        xdotool windowfocus "$GAME_WIN" || true
}

game_keys() {
    game_focus
    xdotool type --delay 60 "$1" || true
}

game_hold() {
    game_focus
    xdotool keydown "$1" && sleep "$2"
    xdotool keyup "$1" || true
}

# Whether the game has asked for a kill yet.
game_kill_asked() {
    [ -n "$(game_ids kill-request)" ]
}

# shellcheck disable=SC2034  # GAME_SWEEP_MS, GAME_SWEEP_ROUND: the caller reads them
game_idrm_sweep() {
    local round _
    game_keys iddqd
    sleep 0.3
    GAME_SWEEP_MS=$(now_ms)
    for round in $(seq 1 4); do
        GAME_SWEEP_ROUND=$round
        for _ in $(seq 1 6); do
            game_keys idrm
            wait_until 1 game_kill_asked && return 0
            game_hold Left 0.7
        done
        game_hold Up 0.8
    done
    game_kill_asked
}
