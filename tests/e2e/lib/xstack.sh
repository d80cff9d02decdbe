# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# xstack.sh - a private X display with a password-protected VNC server
# (and optionally noVNC) for the end-to-end tests. Source it, then:
#
#   xstack_start DIR PASSWORD   Xvfb on a free display (640x480x24), x11vnc
#                               on 127.0.0.1:<free port> with an -rfbauth
#                               file made by `x11vnc -storepasswd`. Exports
#                               XS_DISPLAY (":N"), XS_VNC_PORT, XS_DIR.
#                               Extra x11vnc options: array XS_X11VNC_OPTS.
#   xstack_novnc                websockify --web /usr/share/novnc on
#                               127.0.0.1:<free port> in front of x11vnc;
#                               exports XS_WEB_PORT.
#   xstack_run NAME CMD...      runs an X program on the display in the
#                               background (log DIR/NAME.log); its pid is
#                               recorded and stopped by xstack_stop.
#   xstack_xterm DIR            an xterm running a shell in DIR (made if
#                               needed), waited for until it is mapped
#                               (xdotool; a note if it is not seen in 10 s).
#                               The pointer (Xvfb starts it at the centre)
#                               lies inside it, which gives it the keyboard
#                               without a window manager.
#   xstack_stop                 stops everything started here, newest
#                               first, each by its own pid.
#   xstack_test_init PREFIX     a test script's start: T (TESTS_TMP, else a
#                               temp dir removed at exit), traps that run
#                               xstack_stop at exit, and PASS: a fresh
#                               8-character VNC password starting PREFIX.
#   vncplay_bin                 prints the path of the vncplay binary,
#                               building it with make if needed.
#   pngcheck_bin                the same for pngcheck (compares and
#                               measures screenshots).
#   free_port                   (tests/lib/ports.sh) a TCP port no one listens on.
#   free_display                prints an X display number no one uses.
#   browser_deps                `npm ci` in tests/helpers/browser when needed.
#
# Every process is started by pid and stopped by pid: several of these
# stacks (and a user's own X server) may run on one machine.

# shellcheck source=tests/lib/ports.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../lib/ports.sh"
# shellcheck source=tests/lib/proc.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../lib/proc.sh"

XS_PIDS=()

xstack_test_init() {
    T=${TESTS_TMP:-$(mktemp -d /tmp/dde2e.XXXXXX)}
    XS_OWN_TMP=$([ -z "${TESTS_TMP:-}" ] && echo 1 || echo 0)
    trap xstack_test_cleanup EXIT
    trap 'exit 130' INT TERM
    PASS=$1$RANDOM$RANDOM
    PASS=${PASS:0:8}
}

# shellcheck disable=SC2317  # called by the trap
xstack_test_cleanup() {
    xstack_stop
    [ "$XS_OWN_TMP" = 1 ] && rm -rf "$T"
    return 0
}

# Prints a TCP port in 20000-39999 that nothing listens on. A race with
# another process taking it is possible but harmless: the caller's server
# then fails to start and says so.

# Prints an X display number in 40-99 that no X server of this network
# namespace uses: neither a socket file nor an abstract socket (a game
# container on --network host shares the abstract namespace, and Xlib
# tries the abstract socket first, so a clash would connect the game to
# the wrong X server).
free_display() {
    local n i
    for ((i = 0; i < 100; i++)); do
        n=$((40 + RANDOM % 60))
        [ -e "/tmp/.X11-unix/X$n" ] && continue
        [ -e "/tmp/.X$n-lock" ] && continue
        grep -q "@/tmp/.X11-unix/X$n\$" /proc/net/unix 2>/dev/null && continue
        echo "$n"
        return 0
    done
    return 1
}

# Is something listening on 127.0.0.1:$1?
port_listening() {
    ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

# Waits (bounded, $2 s) until a pid's port $1 listens; fails early if the
# pid ($3) died.
xstack_wait_port() {
    local port=$1 secs=$2 pid=$3 i
    for ((i = 0; i < secs * 20; i++)); do
        port_listening "$port" && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

xstack_start() {
    local dir=$1 pass=$2 fdfile i pid n try
    XS_DIR=$dir
    mkdir -p "$dir"
    fdfile=$dir/xvfb.display
    # A display number free for file, lock and abstract sockets: a game
    # container on --network host shares the abstract namespace, and X
    # clients try the abstract socket first. The server listens on both,
    # so others see the number is taken. A lost race: the next number.
    for ((try = 0; try < 5; try++)); do
        n=$(free_display) || break
        : >"$fdfile"
        Xvfb ":$n" -displayfd 5 -screen 0 640x480x24 -nolisten tcp -noreset \
            5>"$fdfile" >"$dir/xvfb.log" 2>&1 </dev/null &
        pid=$!
        for ((i = 0; i < 200; i++)); do
            [ -s "$fdfile" ] && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        if [ -s "$fdfile" ]; then
            XS_PIDS+=("$pid")
            break
        fi
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if ! [ -s "$fdfile" ]; then
        echo "xstack: Xvfb did not start:" >&2
        tail -n 5 "$dir/xvfb.log" >&2
        return 1
    fi
    XS_DISPLAY=:$(tr -dc 0-9 <"$fdfile")
    x11vnc -storepasswd "$pass" "$dir/vncpasswd" >/dev/null 2>&1 || {
        echo "xstack: x11vnc -storepasswd failed" >&2
        return 1
    }
    XS_VNC_PORT=$(free_port) || return 1
    x11vnc -display "$XS_DISPLAY" -rfbauth "$dir/vncpasswd" -localhost \
        -rfbport "$XS_VNC_PORT" -forever -shared -quiet -nopw -noipv6 \
        ${XS_X11VNC_OPTS[@]+"${XS_X11VNC_OPTS[@]}"} \
        >"$dir/x11vnc.log" 2>&1 </dev/null &
    pid=$!
    XS_PIDS+=("$pid")
    if ! xstack_wait_port "$XS_VNC_PORT" 15 "$pid"; then
        echo "xstack: x11vnc did not listen on $XS_VNC_PORT:" >&2
        tail -n 5 "$dir/x11vnc.log" >&2
        return 1
    fi
    export XS_DISPLAY XS_VNC_PORT XS_DIR
}

xstack_novnc() {
    local pid
    XS_WEB_PORT=$(free_port) || return 1
    websockify --web /usr/share/novnc "127.0.0.1:$XS_WEB_PORT" "127.0.0.1:$XS_VNC_PORT" \
        >"$XS_DIR/websockify.log" 2>&1 </dev/null &
    pid=$!
    XS_PIDS+=("$pid")
    if ! xstack_wait_port "$XS_WEB_PORT" 15 "$pid"; then
        echo "xstack: websockify did not listen on $XS_WEB_PORT:" >&2
        tail -n 5 "$XS_DIR/websockify.log" >&2
        return 1
    fi
    export XS_WEB_PORT
}

xstack_run() {
    local name=$1
    shift
    DISPLAY=$XS_DISPLAY "$@" >"$XS_DIR/$name.log" 2>&1 </dev/null &
    XS_PIDS+=("$!")
}

# shellcheck disable=SC2317  # called through wait_until
xstack_xterm_mapped() {
    DISPLAY=$XS_DISPLAY xdotool search --onlyvisible --class xterm >/dev/null 2>&1
}

xstack_xterm() {
    local dir=$1 back=$PWD
    mkdir -p "$dir"
    cd "$dir" || return 1
    xstack_run xterm xterm -geometry 100x34+0+0 -e bash --norc --noprofile
    cd "$back" || return 1
    wait_until 10 xstack_xterm_mapped || note "xterm window not seen (xdotool), going on"
}

xstack_stop() {
    local i
    for ((i = ${#XS_PIDS[@]} - 1; i >= 0; i--)); do
        proc_stop "${XS_PIDS[$i]}"
    done
    XS_PIDS=()
}

vncplay_bin() {
    local repo=${REPO:?} b
    if [ -n "${VNCPLAY:-}" ]; then
        echo "$VNCPLAY"
        return 0
    fi
    for b in build-san build; do
        if [ -x "$repo/$b/tests/helpers/vncplay" ]; then
            echo "$repo/$b/tests/helpers/vncplay"
            return 0
        fi
    done
    # Through the top Makefile; if it does not include tests/helpers/vnc/vnc.mk
    # (yet), with that fragment added on the command line.
    if ! make -C "$repo" build/tests/helpers/vncplay >&2 2>/dev/null; then
        make -C "$repo" -f Makefile -f tests/helpers/vnc/vnc.mk build/tests/helpers/vncplay >&2 || return 1
    fi
    echo "$repo/build/tests/helpers/vncplay"
}

pngcheck_bin() {
    local repo=${REPO:?} b
    for b in build-san build; do
        if [ -x "$repo/$b/tests/helpers/pngcheck" ]; then
            echo "$repo/$b/tests/helpers/pngcheck"
            return 0
        fi
    done
    make -C "$repo" build/tests/helpers/pngcheck >&2 || return 1
    echo "$repo/build/tests/helpers/pngcheck"
}

# Installs tests/helpers/browser's locked npm packages (playwright-core) into
# tests/helpers/browser/node_modules when they are missing or older than the lock
# file. Needs node, npm and the npm registry.
browser_deps() {
    local dir=${REPO:?}/tests/helpers/browser
    if [ -d "$dir/node_modules/playwright-core" ] &&
        ! [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        return 0
    fi
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
}
