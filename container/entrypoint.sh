#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# entrypoint.sh — the game container's main program (run under tini).
#
# Starts Xvfb, the patched chocolate-doom in a 640x480 window (restarted
# whenever it exits, its window focused again each time since there is no
# window manager), x11vnc, noVNC (websockify) and ddaudio, which carries
# the game's sound to the noVNC page. SIGTERM/SIGINT stop every child at
# once, so `docker stop` returns in well under 2 s.
#
# Sound: the game writes raw samples into a FIFO (SDL's disk audio
# driver); ddaudio reads them in real time and serves them on a unix
# socket to whoever answers the VNC password challenge; websockify routes
# by token: websockify?token=vnc to x11vnc, websockify?token=audio to
# ddaudio. The noVNC page (NOVNC_WEB, made by container/audio/mkweb.sh)
# asks for token=vnc by default and plays the sound after the first
# click. A VNC client gets the picture only, as before.
#
# Environment:
#   VNC_PASSWORD       VNC password (at most 8 characters count for VNC)
#   VNC_PASSWORD_FILE  file whose first line is the password (wins over
#                      VNC_PASSWORD; keeps it out of `docker inspect`)
#                      With neither, a random password is made and printed.
#   VNC_SOCKET_DIR     when set: no TCP at all for the outside; x11vnc on
#                      the unix socket DIR/vnc.sock, noVNC on DIR/novnc.sock
#                      (websockify on the container's own loopback, reached
#                      through socat). The launcher runs the container with
#                      --network none and forwards TCP to these sockets.
#   VNC_LISTEN         without VNC_SOCKET_DIR: address x11vnc and noVNC
#                      listen on (127.0.0.1)
#   VNC_PORT           VNC port (5900); NOVNC_PORT noVNC port (6080)
#   DISPLAY_NUM        lowest X display number to use (10; the first free
#                      one from there is taken)
#   DOOM_IWAD          freedoom1 | freedoom2 (freedoom2), or a .wad path
#   DOOM_WARP          map to start on: 3, MAP03, "1 3" or E1M3; "menu" for
#                      the title screen (default: the IWAD's first map)
#   DOOM_SKILL         1..5
#   DOOM_ARGS          more chocolate-doom arguments (split on spaces)
#   DOOM_SOUND         1 (default): sound effects and music to the noVNC
#                      page; 0: the game runs with -nosound -nomusic
#   DOCKERFS_DIR       the dockerfs mount as seen in here (/dockerfs)
#   DOCKERDOOM_LOGS    where the logs are, as the game's help screen (F1)
#                      says it ("docker logs -f NAME; DIR/", from the
#                      launcher); read by the game itself
#   DOOM_BIN           the game binary (/usr/local/bin/chocolate-doom)
#   PLAYERS            1 (default) .. 4: with 2 or more, a co-op netgame
#                      (see below)
#   PLAYER_NAMES       the players' names, comma-separated (player1,
#                      player2, ... by default): letters, digits, '.',
#                      '_', '-', at most 15 each
#   DOOM_DEATHMATCH    1: the netgame is deathmatch instead of co-op
#
# A netgame of PLAYERS players: a dedicated chocolate-doom server on the
# container's loopback (UDP NET_PORT, 2342) and, for each player K, an X
# display of its own (the first free one after player K-1's), the game
# (HOME /tmp/home for player 1, /tmp/home-K for the others; the name in
# its chocolate-doom.cfg), x11vnc on vnc.sock (K=1) or vnc-K.sock, noVNC
# on novnc.sock or novnc-K.sock (or on VNC_PORT+K-1 and NOVNC_PORT+K-1
# without VNC_SOCKET_DIR), the password of VNC_PASSWORD_FILE (K=1) or
# VNC_PASSWORD_FILE-K, and its own sound. Player 1 joins first, so it is
# player 1 in the game; the game starts when all have joined. Each game's
# lines in the log start with [NAME]. A player whose game ends (quit from
# the menu) has left that game: the others play on; when all have left, a
# new game starts for all.
set -euo pipefail
# Settings are split into words, never expanded as patterns against the
# files of the working directory.
set -f

VNC_LISTEN=${VNC_LISTEN:-127.0.0.1}
VNC_PORT=${VNC_PORT:-5900}
NOVNC_PORT=${NOVNC_PORT:-6080}
DISPLAY_NUM=${DISPLAY_NUM:-10}
DOOM_IWAD=${DOOM_IWAD:-freedoom2}
DOOM_WARP=${DOOM_WARP:-}
DOOM_SKILL=${DOOM_SKILL:-}
DOOM_ARGS=${DOOM_ARGS:-}
DOOM_SOUND=${DOOM_SOUND:-1}
DOCKERFS_DIR=${DOCKERFS_DIR:-/dockerfs}
DOOM_BIN=${DOOM_BIN:-/usr/local/bin/chocolate-doom}
PLAYERS=${PLAYERS:-1}
PLAYER_NAMES=${PLAYER_NAMES:-}
DOOM_DEATHMATCH=${DOOM_DEATHMATCH:-0}
NET_PORT=${NET_PORT:-2342}
NOVNC_WEB=${NOVNC_WEB:-/usr/share/dockerdoom/novnc}
DDAUDIO_BIN=${DDAUDIO_BIN:-/usr/local/bin/ddaudio}
# No GPU in here: SDL must not go looking for one.
export SDL_VIDEODRIVER=x11 SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy

log() { echo "entrypoint: $*"; }
die() { echo "entrypoint: $*" >&2; exit 1; }

# sfx K: what player K's sockets, files and logs have after their name:
# nothing for player 1 (as a game alone has them), -K for the others.
sfx() {
    [[ $1 == 1 ]] || echo "-$1"
}

stopping=0
pids=()
game_pids=()      # a netgame's player games
declare -a P_DISPLAY=() P_NAME=()

# stop_all ends every child (TERM, then KILL for stragglers after 1 s) and
# exits 0; it is the SIGTERM/SIGINT handler, so it must never block long.
stop_all() {
    stopping=1
    trap - TERM INT
    local p
    # The games first: a netgame's players tell the server they leave.
    for p in ${game_pid:-} "${game_pids[@]}" "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for _ in $(seq 20); do
        local alive=0
        for p in "${pids[@]}" ${game_pid:-} "${game_pids[@]}"; do
            kill -0 "$p" 2>/dev/null && alive=1
        done
        [[ $alive -eq 0 ]] && break
        sleep 0.05
    done
    for p in "${pids[@]}" ${game_pid:-} "${game_pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    log "stopped"
    exit 0
}

# iwad_path maps DOOM_IWAD to a file.
iwad_path() {
    case $DOOM_IWAD in
        freedoom1|freedoom2) echo "/usr/share/games/doom/$DOOM_IWAD.wad" ;;
        */*) echo "$DOOM_IWAD" ;;
        *) die "DOOM_IWAD must be freedoom1, freedoom2 or a path, not '$DOOM_IWAD'" ;;
    esac
}

# warp_args turns DOOM_WARP (3, MAP03, "1 3", E1M3) into -warp arguments.
warp_args() {
    local w=${DOOM_WARP^^}
    if [[ -z $w ]]; then
        [[ $DOOM_IWAD == freedoom1 ]] && w="1 1" || w=1
    fi
    [[ $w == MENU ]] && return 0
    if [[ $w =~ ^MAP0*([0-9]+)$ ]]; then echo "-warp ${BASH_REMATCH[1]}"
    elif [[ $w =~ ^E([1-9])M([1-9])$ ]]; then echo "-warp ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
    elif [[ $w =~ ^[0-9]+( [0-9]+)?$ ]]; then echo "-warp $w"
    else die "DOOM_WARP must look like 3, MAP03, '1 3' or E1M3, not '$DOOM_WARP'"
    fi
}

# vnc_password_file prints the name of a file x11vnc reads the password
# from (-passwdfile: plain text, first line): VNC_PASSWORD_FILE as given,
# else a file in /tmp written by the shell with VNC_PASSWORD or a new random
# password (announced once on stderr so `docker logs` shows it). The
# password is never an argument of a program: /proc/*/cmdline is public.
vnc_password_file() {
    local k=${1:-1} pw="" f given
    if [[ -n ${VNC_PASSWORD_FILE:-} ]]; then
        given=$VNC_PASSWORD_FILE$(sfx "$k")
        [[ -r $given ]] || die "cannot read VNC_PASSWORD_FILE $given"
        IFS= read -r pw <"$given" || true
        [[ -n $pw ]] || die "VNC_PASSWORD_FILE $given has no password on its first line"
        echo "$given"
        return 0
    fi
    # VNC_PASSWORD is player 1's: every other player gets one of his own.
    [[ $k == 1 ]] && pw=${VNC_PASSWORD:-}
    if [[ -z $pw ]]; then
        pw=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 8 || true)
        if [[ $PLAYERS == 1 ]]; then
            echo "entrypoint: no VNC_PASSWORD given; generated VNC password: $pw" >&2
        else
            echo "entrypoint: generated VNC password of player $k: $pw" >&2
        fi
    fi
    f=$(mktemp /tmp/vncpass.XXXXXX)
    printf '%s\n' "$pw" >"$f"
    # rm: x11vnc removes the file once it has read it.
    echo "rm:$f"
}

# wait_for_x waits (at most 10 s) until the X server of the last
# start_xvfb accepts connections.
wait_for_x() {
    for _ in $(seq 200); do
        [[ -S /tmp/.X11-unix/X$DISPLAY_NUM ]] && xdotool getmouselocation >/dev/null 2>&1 && return 0
        kill -0 "${pids[-1]}" 2>/dev/null || die "Xvfb exited"
        sleep 0.05
    done
    die "Xvfb did not come up on $DISPLAY"
}

# focus_game gives the game window keyboard focus once it is mapped: with no
# window manager, a restarted game would otherwise get no key events.
focus_game() {
    local pid=$1 win=""
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        win=$(xdotool search --onlyvisible --pid "$pid" 2>/dev/null | head -n1 || true)
        [[ -n $win ]] && break
        sleep 0.1
    done
    [[ -n $win ]] || return 0
    xdotool windowmove "$win" 0 0 windowfocus "$win" 2>/dev/null || true
    # Pointer inside the window too: PointerRoot focus follows it.
    xdotool mousemove --window "$win" 320 240 2>/dev/null || true
}

# start_xvfb starts the X server on the first free display number.
# X clients try the abstract socket @/tmp/.X11-unix/X<n> before the file
# socket, and abstract sockets belong to the network namespace: with
# --network host a display number taken by an X server of the host would
# send the game, x11vnc and xdotool to that server. So take the first display
# number from DISPLAY_NUM on whose abstract socket no one listens, and listen
# there too (which also tells later servers it is taken).
# -extension GLX: the image has no GL driver; a GLX that is advertised but
# cannot make a context kills SDL with an X error instead of letting it fall
# back to its software renderer.
start_xvfb() {
    local k=${1:-1} n
    for ((n = DISPLAY_NUM; n < DISPLAY_NUM + 100; n++)); do
        grep -q "@/tmp/.X11-unix/X$n\$" /proc/net/unix 2>/dev/null && continue
        [[ -e /tmp/.X$n-lock ]] && continue
        DISPLAY_NUM=$n
        export DISPLAY=:$n
        Xvfb ":$n" -screen 0 640x480x24 -nolisten tcp -noreset \
            +extension XTEST -extension GLX >"/tmp/xvfb$(sfx "$k").log" 2>&1 &
        pids+=($!)
        return 0
    done
    die "no free X display number from $DISPLAY_NUM on"
}

# start_vnc starts x11vnc with the password file $1: on VNC_SOCKET_DIR's
# unix socket only (-rfbport 0 and -rfbportv6 -1: libvncserver otherwise
# listens on [::]:5900 whatever -listen and -noipv6 say), or on
# VNC_LISTEN:VNC_PORT.
start_vnc() {
    local pwfile=$1 k=${2:-1} where port sock
    local -a net
    port=$((VNC_PORT + k - 1))
    sock=${VNC_SOCKET_DIR:-}/vnc$(sfx "$k").sock
    if [[ -n ${VNC_SOCKET_DIR:-} ]]; then
        net=(-unixsock "$sock" -rfbport 0 -rfbportv6 -1 -noipv6)
        where="unix socket $sock"
    elif [[ $VNC_LISTEN == *:* ]]; then
        net=(-rfbport "$port" -listen6 "$VNC_LISTEN" -rfbportv6 "$port")
        where="[$VNC_LISTEN]:$port"
    else
        net=(-rfbport "$port" -listen "$VNC_LISTEN" -rfbportv6 -1 -noipv6)
        where="$VNC_LISTEN:$port"
    fi
    # -nocursor: the game is played with the keys, and without a window
    # manager x11vnc draws an arrow of its own (it leaves XFIXES alone),
    # in the middle of the view where the player aims.
    x11vnc -display "$DISPLAY" -passwdfile "$pwfile" "${net[@]}" \
        -forever -shared -noxdamage -nocursor -quiet -nopw >"/tmp/x11vnc$(sfx "$k").log" 2>&1 &
    pids+=($!)
    if [[ $PLAYERS == 1 ]]; then
        log "VNC on $where"
    else
        log "VNC of player $k (${P_NAME[k]}) on $where"
    fi
}

# tokens_file K VNC_TARGET writes player K's websockify token file (the
# routes of its noVNC port) and prints its name: vnc to VNC_TARGET
# (host:port or unix_socket:PATH), audio to K's ddaudio when it runs.
tokens_file() {
    local k=$1 target=$2 f=/tmp/websockify-$1.tokens
    {
        echo "vnc: $target"
        if [[ -S $(audio_dir "$k")/audio.sock ]]; then
            echo "audio: unix_socket:$(audio_dir "$k")/audio.sock"
        fi
    } >"$f"
    echo "$f"
}

# start_novnc starts websockify serving noVNC and routing by token
# (tokens_file): on the container's own loopback, with socat putting it
# on VNC_SOCKET_DIR/novnc.sock (websockify cannot listen on a unix
# socket); or on VNC_LISTEN:NOVNC_PORT.
start_novnc() {
    local k=${1:-1} tokens port x
    port=$((NOVNC_PORT + k - 1))
    x=$(sfx "$k")
    if [[ -n ${VNC_SOCKET_DIR:-} ]]; then
        tokens=$(tokens_file "$k" "unix_socket:$VNC_SOCKET_DIR/vnc$x.sock")
        websockify --web "$NOVNC_WEB" --token-plugin ReadOnlyTokenFile --token-source "$tokens" \
            "127.0.0.1:$port" >"/tmp/websockify$x.log" 2>&1 &
        pids+=($!)
        socat "UNIX-LISTEN:$VNC_SOCKET_DIR/novnc$x.sock,fork,unlink-early,mode=0600" \
            "TCP4:127.0.0.1:$port" >"/tmp/socat$x.log" 2>&1 &
        pids+=($!)
        log "noVNC${x:+ of player $k} on unix socket $VNC_SOCKET_DIR/novnc$x.sock"
    else
        tokens=$(tokens_file "$k" "127.0.0.1:$((VNC_PORT + k - 1))")
        websockify --web "$NOVNC_WEB" --token-plugin ReadOnlyTokenFile --token-source "$tokens" \
            "$VNC_LISTEN:$port" >"/tmp/websockify$x.log" 2>&1 &
        pids+=($!)
        log "noVNC${x:+ of player $k} on http://$VNC_LISTEN:$port/vnc.html"
    fi
}

# audio_dir K prints the directory of player K's sound: the FIFO the game
# writes (pcm), ddaudio's socket (audio.sock) and its password (pass).
audio_dir() {
    echo "/tmp/audio-$1"
}

# supervise NAME CMD... runs CMD again a second after it exits, until
# TERM: a crash of ddaudio costs a second of sound, never the game.
supervise() {
    local name=$1 child=0 rc
    shift
    trap 'kill -TERM "$child" 2>/dev/null; exit 0' TERM INT
    while :; do
        "$@" &
        child=$!
        rc=0
        wait "$child" || rc=$?
        log "$name exited with status $rc; restarting in 1 s"
        sleep 1
    done
}

# start_audio K PWFILE [NAME] starts player K's ddaudio with the VNC
# password in PWFILE (a copy: x11vnc removes a file the entrypoint made
# for it), its log lines marked with NAME if given, and waits until it
# listens. The entrypoint holds the FIFO open as well, so
# the game never writes into a FIFO without a reader (SIGPIPE) while
# ddaudio restarts: it waits instead.
start_audio() {
    local k=$1 pwfile=$2 name=${3:-} dir rate fd
    local -a named=()
    [[ -n $name ]] && named=(--name "$name")
    dir=$(audio_dir "$k")
    install -d -m 0700 "$dir"
    cp "${pwfile#rm:}" "$dir/pass"
    [[ -p $dir/pcm ]] || mkfifo -m 0600 "$dir/pcm"
    # shellcheck disable=SC2034  # fd is never used: only held open
    exec {fd}<>"$dir/pcm"
    rate=$(game_rate)
    supervise ddaudio "$DDAUDIO_BIN" --fifo "$dir/pcm" --socket "$dir/audio.sock" \
        --password-file "$dir/pass" --rate "$rate" "${named[@]}" &
    pids+=($!)
    for _ in $(seq 200); do
        if [[ -S $dir/audio.sock ]]; then
            log "sound of player $k: $rate Hz on unix socket $dir/audio.sock"
            return 0
        fi
        sleep 0.05
    done
    die "ddaudio did not start (player $k)"
}

# game_config [NAME] writes the game's config (in HOME) when it has none:
# a full-width view (no border). No ENDOOM screen after quitting: it would
# wait for a key with no one to press it. NAME is the player's name in a
# netgame. (The mixer's slice is left at chocolate-doom's 1024 frames:
# SDL's disk driver writes through stdio, which gathers 4096 bytes, 1024
# frames, before each write whatever the slice.)
game_config() {
    local name=${1:-} cfgdir=${XDG_DATA_HOME:-$HOME/.local/share}/chocolate-doom
    mkdir -p "$cfgdir" 2>/dev/null || return 0
    if [[ ! -e $cfgdir/default.cfg ]]; then
        printf 'screenblocks 10\n' >"$cfgdir/default.cfg" || true
    fi
    if [[ ! -e $cfgdir/chocolate-doom.cfg ]]; then
        printf 'show_endoom 0\n' >"$cfgdir/chocolate-doom.cfg" || true
    fi
    if [[ -n $name ]]; then
        # The name the server shows in its lobby and the game in its
        # messages; checked to be a plain word (player_names).
        sed -i '/^player_name /d' "$cfgdir/chocolate-doom.cfg" 2>/dev/null || true
        printf 'player_name "%s"\n' "$name" >>"$cfgdir/chocolate-doom.cfg" || true
    fi
}

# game_rate prints the sample rate the game (HOME's config) mixes at:
# its snd_samplerate (chocolate-doom.cfg: the engine's own settings),
# else chocolate-doom's default.
game_rate() {
    local cfg=${XDG_DATA_HOME:-$HOME/.local/share}/chocolate-doom/chocolate-doom.cfg key val rate=44100
    if [[ -r $cfg ]]; then
        while read -r key val _; do
            [[ $key == snd_samplerate && $val =~ ^[0-9]+$ ]] && rate=$val
        done <"$cfg"
    fi
    echo "$rate"
}

# run_game runs the game ($@) until stop_all, restarting it whenever it
# exits.
run_game() {
    local runs=0 rc
    while [[ $stopping -eq 0 ]]; do
        runs=$((runs + 1))
        log "starting game (run $runs): ${*:4}"
        "$@" &
        game_pid=$!
        focus_game "$game_pid" &
        rc=0
        wait "$game_pid" || rc=$?
        [[ $stopping -eq 1 ]] && break
        log "game exited with status $rc; restarting in 1 s"
        sleep 1 &
        wait $! || true
    done
}

# player_names checks PLAYERS and fills P_NAME[1..PLAYERS] from
# PLAYER_NAMES (player1, player2, ... where it names none).
player_names() {
    local -a given=()
    local k j n
    [[ $PLAYERS =~ ^[1-4]$ ]] || die "PLAYERS must be 1 to 4, not '$PLAYERS'"
    [[ $DOOM_DEATHMATCH == 0 || $DOOM_DEATHMATCH == 1 ]] ||
        die "DOOM_DEATHMATCH must be 1 or 0, not '$DOOM_DEATHMATCH'"
    IFS=, read -r -a given <<<"$PLAYER_NAMES"
    [[ ${#given[@]} -le $PLAYERS ]] ||
        die "PLAYER_NAMES has ${#given[@]} names for $PLAYERS players"
    for ((k = 1; k <= PLAYERS; k++)); do
        n=${given[k - 1]:-player$k}
        [[ $n =~ ^[A-Za-z0-9._-]{1,15}$ ]] ||
            die "player name '$n': letters, digits, '.', '_' and '-' only, at most 15"
        for ((j = 1; j < k; j++)); do
            [[ ${P_NAME[j]} != "$n" ]] || die "player name '$n' is given twice"
        done
        P_NAME[k]=$n
    done
}

# player_home K prints player K's HOME: the container's for player 1, a
# directory of its own for each other one.
player_home() {
    if [[ $1 == 1 ]]; then echo "$HOME"; else echo "/tmp/home-$1"; fi
}

# start_player K starts what player K plays through: the X display, the
# sound, x11vnc and noVNC; the next player's display is searched from the
# number after this one.
start_player() {
    local k=$1 pwfile home name=
    pwfile=$(vnc_password_file "$k")
    home=$(player_home "$k")
    mkdir -p "$home"
    # A netgame's player has a name: in the game's config, and on its
    # ddaudio's log lines.
    [[ $PLAYERS == 1 ]] || name=${P_NAME[k]}
    HOME=$home game_config "$name"
    start_xvfb "$k"
    wait_for_x
    P_DISPLAY[k]=$DISPLAY
    if [[ $PLAYERS == 1 ]]; then
        log "Xvfb on $DISPLAY (640x480x24)"
    else
        log "Xvfb of player $k (${P_NAME[k]}) on $DISPLAY (640x480x24)"
    fi
    # Before x11vnc, which removes a password file the entrypoint made.
    if [[ $DOOM_SOUND == 1 ]]; then
        HOME=$home start_audio "$k" "$pwfile" "$name"
    fi
    start_vnc "$pwfile" "$k"
    start_novnc "$k"
    DISPLAY_NUM=$((DISPLAY_NUM + 1))
}

# game_args IWAD WARP fills GAME_ARGS with the game's arguments: a game
# alone's, and those every player's game of a netgame takes.
game_args() {
    local iwad=$1 warp=$2
    local -a warp_words=() more=()
    read -r -a warp_words <<<"$warp"
    read -r -a more <<<"$DOOM_ARGS"
    GAME_ARGS=(-iwad "$iwad" -dockerfs "$DOCKERFS_DIR" -window -geometry 640x480
               "${warp_words[@]}")
    [[ $DOOM_SOUND == 1 ]] || GAME_ARGS+=(-nosound -nomusic)
    [[ -n $DOOM_SKILL ]] && GAME_ARGS+=(-skill "$DOOM_SKILL")
    GAME_ARGS+=("${more[@]}")
}

# prefix_log NAME K prints its input with [NAME] before each line, and
# leaves marks when player K's game has joined the server and reached
# the level (for start_netgame and focus_later).
prefix_log() {
    local name=$1 k=$2
    local -a line=()
    # mawk reads a pipe in blocks unless told: lines would wait for 4 kB.
    if awk -W version 2>&1 | grep -q mawk; then line=(-W interactive); fi
    exec awk "${line[@]}" -v p="[$name] " -v joined="/tmp/player-$k.joined" \
        -v level="/tmp/player-$k.level" '
        { print p $0; fflush() }
        /^D_InitNetGame: Connected/ { printf "" > joined; close(joined) }
        /^dockerdoom: level / { printf "" > level; close(level) }'
}

# focus_later K PID gives player K's game its keyboard once it is in the
# level: the server's lobby is a window of its own before that.
focus_later() {
    local k=$1 pid=$2
    for _ in $(seq 600); do
        [[ -e /tmp/player-$k.level ]] && break
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    DISPLAY=${P_DISPLAY[k]} focus_game "$pid"
}

# start_netgame K ROUND starts player K's game, joining the server (player
# 1's also says how many must join, and how the game is played), and
# waits (30 s at most) until it has joined.
start_netgame() {
    local k=$1 round=$2 pid
    local -a args=("${GAME_ARGS[@]}" -connect "127.0.0.1:$NET_PORT")
    local -a envs=("HOME=$(player_home "$k")" "DISPLAY=${P_DISPLAY[k]}")
    if [[ $k == 1 ]]; then
        args+=(-nodes "$PLAYERS")
        [[ $DOOM_DEATHMATCH == 1 ]] && args+=(-deathmatch)
    fi
    if [[ $DOOM_SOUND == 1 ]]; then
        envs+=(SDL_AUDIODRIVER=disk SDL_DISKAUDIODELAY=0
               "SDL_DISKAUDIOFILE=$(audio_dir "$k")/pcm")
    fi
    rm -f "/tmp/player-$k.joined" "/tmp/player-$k.level"
    log "starting game of player $k (${P_NAME[k]}, game $round): ${args[*]}"
    env "${envs[@]}" stdbuf -oL -eL "$DOOM_BIN" "${args[@]}" \
        > >(prefix_log "${P_NAME[k]}" "$k") 2>&1 &
    pid=$!
    game_pids[k]=$pid
    focus_later "$k" "$pid" &
    for _ in $(seq 300); do
        [[ -e /tmp/player-$k.joined ]] && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    log "the game of player $k (${P_NAME[k]}) has not joined the server"
}

# run_netgame runs the server and a netgame of PLAYERS players until
# stop_all: a new one each time every player has left the last.
run_netgame() {
    local round=0 k p alive
    supervise server "$DOOM_BIN" -dedicated -privateserver -port "$NET_PORT" \
        > >(prefix_log server 0) 2>&1 &
    pids+=($!)
    log "netgame server on 127.0.0.1:$NET_PORT (UDP) for $PLAYERS players: ${P_NAME[*]:1}"
    while [[ $stopping -eq 0 ]]; do
        round=$((round + 1))
        for ((k = 1; k <= PLAYERS; k++)); do
            start_netgame "$k" "$round"
        done
        while [[ $stopping -eq 0 ]]; do
            alive=0
            for p in "${game_pids[@]}"; do
                kill -0 "$p" 2>/dev/null && alive=1
            done
            [[ $alive == 1 ]] || break
            sleep 1 &
            wait $! || true
        done
        [[ $stopping -eq 1 ]] && break
        game_pids=()
        log "every player has left the game: a new one starts in 1 s"
        sleep 1 &
        wait $! || true
    done
}

main() {
    local iwad warp k
    trap stop_all TERM INT
    umask 077
    [[ -x $DOOM_BIN ]] || die "game binary $DOOM_BIN not found"
    iwad=$(iwad_path)
    [[ -r $iwad ]] || die "IWAD $iwad not found"
    warp=$(warp_args)
    # Run as an account the image does not know, on a read-only root: the
    # game keeps its settings in a home of its own on the /tmp tmpfs.
    if ! [[ -d $HOME && -w $HOME ]]; then
        export HOME=/tmp/home
        mkdir -p "$HOME"
    fi
    [[ -d /tmp/.X11-unix ]] || mkdir -m 1777 /tmp/.X11-unix
    [[ $DOOM_SOUND == 0 || $DOOM_SOUND == 1 ]] ||
        die "DOOM_SOUND must be 1 or 0, not '$DOOM_SOUND'"
    player_names
    for ((k = 1; k <= PLAYERS; k++)); do
        start_player "$k"
    done
    game_args "$iwad" "$warp"
    if [[ $PLAYERS != 1 ]]; then
        run_netgame
        return 0
    fi
    if [[ $DOOM_SOUND == 1 ]]; then
        # SDL's disk driver writes into ddaudio's FIFO without sleeping:
        # ddaudio's reads keep the game's mixer in time.
        export SDL_AUDIODRIVER=disk SDL_DISKAUDIODELAY=0
        SDL_DISKAUDIOFILE=$(audio_dir 1)/pcm
        export SDL_DISKAUDIOFILE
    fi
    run_game stdbuf -oL -eL "$DOOM_BIN" "${GAME_ARGS[@]}"
}

main "$@"
