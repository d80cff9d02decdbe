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
#   DOOM_BIN           the game binary (/usr/local/bin/chocolate-doom)
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
NOVNC_WEB=${NOVNC_WEB:-/usr/share/dockerdoom/novnc}
DDAUDIO_BIN=${DDAUDIO_BIN:-/usr/local/bin/ddaudio}
# No GPU in here: SDL must not go looking for one.
export SDL_VIDEODRIVER=x11 SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy

log() { echo "entrypoint: $*"; }
die() { echo "entrypoint: $*" >&2; exit 1; }

stopping=0
pids=()

# stop_all ends every child (TERM, then KILL for stragglers after 1 s) and
# exits 0; it is the SIGTERM/SIGINT handler, so it must never block long.
stop_all() {
    stopping=1
    trap - TERM INT
    local p
    for p in "${pids[@]}" ${game_pid:-}; do kill -TERM "$p" 2>/dev/null || true; done
    for _ in $(seq 20); do
        local alive=0
        for p in "${pids[@]}" ${game_pid:-}; do
            kill -0 "$p" 2>/dev/null && alive=1
        done
        [[ $alive -eq 0 ]] && break
        sleep 0.05
    done
    for p in "${pids[@]}" ${game_pid:-}; do kill -KILL "$p" 2>/dev/null || true; done
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
    local pw="" f
    if [[ -n ${VNC_PASSWORD_FILE:-} ]]; then
        [[ -r $VNC_PASSWORD_FILE ]] || die "cannot read VNC_PASSWORD_FILE $VNC_PASSWORD_FILE"
        IFS= read -r pw <"$VNC_PASSWORD_FILE" || true
        [[ -n $pw ]] || die "VNC_PASSWORD_FILE $VNC_PASSWORD_FILE has no password on its first line"
        echo "$VNC_PASSWORD_FILE"
        return 0
    fi
    pw=${VNC_PASSWORD:-}
    if [[ -z $pw ]]; then
        pw=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 8 || true)
        echo "entrypoint: no VNC_PASSWORD given; generated VNC password: $pw" >&2
    fi
    f=$(mktemp /tmp/vncpass.XXXXXX)
    printf '%s\n' "$pw" >"$f"
    # rm: x11vnc removes the file once it has read it.
    echo "rm:$f"
}

# wait_for_x waits (at most 10 s) until the X server accepts connections.
wait_for_x() {
    for _ in $(seq 200); do
        [[ -S /tmp/.X11-unix/X$DISPLAY_NUM ]] && xdotool getmouselocation >/dev/null 2>&1 && return 0
        kill -0 "${pids[0]}" 2>/dev/null || die "Xvfb exited"
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
    local n
    for ((n = DISPLAY_NUM; n < DISPLAY_NUM + 100; n++)); do
        grep -q "@/tmp/.X11-unix/X$n\$" /proc/net/unix 2>/dev/null && continue
        [[ -e /tmp/.X$n-lock ]] && continue
        DISPLAY_NUM=$n
        export DISPLAY=:$n
        Xvfb ":$n" -screen 0 640x480x24 -nolisten tcp -noreset \
            +extension XTEST -extension GLX >/tmp/xvfb.log 2>&1 &
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
    local pwfile=$1 where
    local -a net
    if [[ -n ${VNC_SOCKET_DIR:-} ]]; then
        net=(-unixsock "$VNC_SOCKET_DIR/vnc.sock" -rfbport 0 -rfbportv6 -1 -noipv6)
        where="unix socket $VNC_SOCKET_DIR/vnc.sock"
    elif [[ $VNC_LISTEN == *:* ]]; then
        net=(-rfbport "$VNC_PORT" -listen6 "$VNC_LISTEN" -rfbportv6 "$VNC_PORT")
        where="[$VNC_LISTEN]:$VNC_PORT"
    else
        net=(-rfbport "$VNC_PORT" -listen "$VNC_LISTEN" -rfbportv6 -1 -noipv6)
        where="$VNC_LISTEN:$VNC_PORT"
    fi
    # -nocursor: the game is played with the keys, and without a window
    # manager x11vnc draws an arrow of its own (it leaves XFIXES alone),
    # in the middle of the view where the player aims.
    x11vnc -display "$DISPLAY" -passwdfile "$pwfile" "${net[@]}" \
        -forever -shared -noxdamage -nocursor -quiet -nopw >/tmp/x11vnc.log 2>&1 &
    pids+=($!)
    log "VNC on $where"
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
    local tokens
    if [[ -n ${VNC_SOCKET_DIR:-} ]]; then
        tokens=$(tokens_file 1 "unix_socket:$VNC_SOCKET_DIR/vnc.sock")
        websockify --web "$NOVNC_WEB" --token-plugin ReadOnlyTokenFile --token-source "$tokens" \
            "127.0.0.1:$NOVNC_PORT" >/tmp/websockify.log 2>&1 &
        pids+=($!)
        socat "UNIX-LISTEN:$VNC_SOCKET_DIR/novnc.sock,fork,unlink-early,mode=0600" \
            "TCP4:127.0.0.1:$NOVNC_PORT" >/tmp/socat.log 2>&1 &
        pids+=($!)
        log "noVNC on unix socket $VNC_SOCKET_DIR/novnc.sock"
    else
        tokens=$(tokens_file 1 "127.0.0.1:$VNC_PORT")
        websockify --web "$NOVNC_WEB" --token-plugin ReadOnlyTokenFile --token-source "$tokens" \
            "$VNC_LISTEN:$NOVNC_PORT" >/tmp/websockify.log 2>&1 &
        pids+=($!)
        log "noVNC on http://$VNC_LISTEN:$NOVNC_PORT/vnc.html"
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

# start_audio K PWFILE starts player K's ddaudio with the VNC password in
# PWFILE (a copy: x11vnc removes a file the entrypoint made for it) and
# waits until it listens. The entrypoint holds the FIFO open as well, so
# the game never writes into a FIFO without a reader (SIGPIPE) while
# ddaudio restarts: it waits instead.
start_audio() {
    local k=$1 pwfile=$2 dir rate fd
    dir=$(audio_dir "$k")
    install -d -m 0700 "$dir"
    cp "${pwfile#rm:}" "$dir/pass"
    [[ -p $dir/pcm ]] || mkfifo -m 0600 "$dir/pcm"
    # shellcheck disable=SC2034  # fd is never used: only held open
    exec {fd}<>"$dir/pcm"
    rate=$(game_rate)
    supervise ddaudio "$DDAUDIO_BIN" --fifo "$dir/pcm" --socket "$dir/audio.sock" \
        --password-file "$dir/pass" --rate "$rate" &
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

# game_config writes the game's config (in HOME) when it has none: a
# full-width view (no border), and mixer slices of at most 12 ms (512
# frames at 44.1 kHz): the sound waits less in the game before it
# reaches the FIFO.
game_config() {
    local cfgdir=${XDG_DATA_HOME:-$HOME/.local/share}/chocolate-doom
    if [[ ! -e $cfgdir/default.cfg ]] && mkdir -p "$cfgdir" 2>/dev/null; then
        printf 'screenblocks 10\nsnd_maxslicetime_ms 12\n' >"$cfgdir/default.cfg" || true
    fi
}

# game_rate prints the sample rate the game (HOME's config) mixes at:
# its snd_samplerate, else chocolate-doom's default.
game_rate() {
    local cfg=${XDG_DATA_HOME:-$HOME/.local/share}/chocolate-doom/default.cfg key val rate=44100
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

main() {
    local iwad warp pwfile
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
    pwfile=$(vnc_password_file)
    game_config

    start_xvfb
    wait_for_x
    log "Xvfb on $DISPLAY (640x480x24)"
    # Before x11vnc, which removes a password file the entrypoint made.
    [[ $DOOM_SOUND == 1 ]] && start_audio 1 "$pwfile"
    start_vnc "$pwfile"
    start_novnc

    local -a warp_words=() more=()
    read -r -a warp_words <<<"$warp"
    read -r -a more <<<"$DOOM_ARGS"
    local -a game_cmd=(stdbuf -oL -eL "$DOOM_BIN" -iwad "$iwad" -dockerfs "$DOCKERFS_DIR"
                       -window -geometry 640x480 "${warp_words[@]}")
    if [[ $DOOM_SOUND == 1 ]]; then
        # SDL's disk driver writes into ddaudio's FIFO without sleeping:
        # ddaudio's reads keep the game's mixer in time.
        export SDL_AUDIODRIVER=disk SDL_DISKAUDIODELAY=0
        SDL_DISKAUDIOFILE=$(audio_dir 1)/pcm
        export SDL_DISKAUDIOFILE
    else
        game_cmd+=(-nosound -nomusic)
    fi
    [[ -n $DOOM_SKILL ]] && game_cmd+=(-skill "$DOOM_SKILL")
    game_cmd+=("${more[@]}")
    run_game "${game_cmd[@]}"
}

main "$@"
