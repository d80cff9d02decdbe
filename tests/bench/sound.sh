#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# sound.sh - `make bench-sound` (also run by `make bench`): the game's
# sound from the game to the noVNC page. Prints figures, asserts nothing.
#
# A private engine (never the user's), the game image (built when
# missing), and the launcher's `play` as a player starts it, with the
# game silent but for its sound effects: no music, no monsters (none of
# the map's, and a mount that shows no container, so that the game's own
# protected monster does not wake at the first shot and fight back).
# Debian's headless chromium (tests/helpers/browser/novnc.mjs) opens the
# printed noVNC address, types the password, clicks, and fires the pistol
# BENCH_SOUND_SHOTS (20) times, each from silence. Measured:
#   1. the game's sound to the page's output: strace on the game (the
#      host's root may trace the container's processes) timestamps the
#      write that carries each shot's first samples into the FIFO (SDL
#      mixes a slice and writes it at once); the page times the same
#      sample at its output (an AnalyserNode on the node after the mute,
#      and the AudioContext's output timestamp). Needs strace; without it
#      this row is skipped.
#   2. the key to the page's output: all a player feels (noVNC, x11vnc's
#      input, the game's tic, the pistol's wind-up of 4 tics (114 ms) and
#      the sound's way).
#      The longest pause between two of the game's writes says how much
#      of the page's waiting the game itself caused (a starved machine).
#   3. CPU over the shots, % of one core: ddaudio, the websockify process
#      that carries the sound, the socat forwarders, and for scale the
#      game, x11vnc and the websockify process that carries VNC.
#   4. the game image's size, and that of one built without the sound's
#      parts, if BENCH_SOUND_BASE_IMAGE names one.
#
# Knobs: BENCH_SOUND_SHOTS (20), GAME_IMAGE (dockerdoom:latest),
# B (build: dockerfs from $B/dockerfs), ENGINE_DIR (a private engine of
# tests/lib/engine.sh to use instead of a new one), BENCH_SOUND_KEEP=1
# (leave the game and the files for a look).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export REPO
B=${B:-build}
SHOTS=${BENCH_SOUND_SHOTS:-20}
GAME_IMAGE=${GAME_IMAGE:-dockerdoom:latest}
# shellcheck source=tests/lib/tap.sh
. "$REPO/tests/lib/tap.sh"
# shellcheck source=tests/lib/engine.sh
. "$REPO/tests/lib/engine.sh"
# shellcheck source=tests/e2e/lib/xstack.sh
. "$REPO/tests/e2e/lib/xstack.sh"

[ "$(id -u)" = 0 ] || { echo "sound.sh: needs root (the launcher mounts dockerfs)" >&2; exit 1; }
T=$(mktemp -d /tmp/dd-bench-sound.XXXXXX)
chmod 0755 "$T"   # the forwarders, as the game's account, pass through it
NAME=dd-bench-sound-$$
LAUNCHER=$REPO/container/dockerdoom
STRACE_PID=

cleanup() {
    [ -n "$STRACE_PID" ] && kill "$STRACE_PID" 2>/dev/null
    if [ "${BENCH_SOUND_KEEP:-0}" = 1 ]; then
        say "kept: $T (game container $NAME; $LAUNCHER stop with DOCKERDOOM_RUN=$T/run)"
        return
    fi
    if [ -n "${DOCKERDOOM_RUN:-}" ]; then
        timeout 60 "$LAUNCHER" stop >/dev/null 2>&1 || true
    fi
    [ "${OWN_ENGINE:-0}" = 1 ] && { engine_stop >/dev/null 2>&1 || true; }
    rm -rf "$T"
}
trap cleanup EXIT

say() { echo "bench-sound: $*" >&2; }

# A private engine: ENGINE_DIR's (a test engine that has the image), or a
# new one.
if [ -n "${ENGINE_DIR:-}" ]; then
    export DOCKER_HOST=unix://$ENGINE_DIR/docker.sock
    OWN_ENGINE=0
else
    engine_start "$T/engine" >/dev/null || { say "no engine"; exit 1; }
    OWN_ENGINE=1
fi
if ! docker image inspect "$GAME_IMAGE" >/dev/null 2>&1; then
    say "building $GAME_IMAGE (container/image.sh)"
    DOCKERDOOM_IMAGE=$GAME_IMAGE "$REPO/container/image.sh" >"$T/build.log" 2>&1 \
        || { tail -n 20 "$T/build.log" >&2; exit 1; }
fi
browser_deps >"$T/npm.log" 2>&1 || { say "npm ci failed: $(tail -n 5 "$T/npm.log")"; exit 1; }

PASS=bs$RANDOM$RANDOM
PASS=${PASS:0:8}
VNC_PORT=$(free_port)
NOVNC_PORT=$(free_port)
while [ "$NOVNC_PORT" = "$VNC_PORT" ]; do NOVNC_PORT=$(free_port); done
export DOCKERDOOM_RUN=$T/run DOCKERDOOM_NAME=$NAME DOCKERDOOM_IMAGE=$GAME_IMAGE
export DOCKERDOOM_NO_DEPS=1 DOCKERDOOM_NO_BUILD=1 DOCKERFS_BIN=$REPO/$B/dockerfs
export DOCKERDOOM_LOG_DIR=$T/log VNC_PASSWORD=$PASS VNC_LISTEN=127.0.0.1 VNC_PORT NOVNC_PORT
export DOOM_IWAD=freedoom2 DOOM_WARP=1 DOOM_SKILL=3 DOOM_ARGS="-nomusic -nomonsters"
export DOCKERFS_ARGS="--filter label=dockerdoom.bench-sound=none"
"$LAUNCHER" play >"$T/play.log" 2>&1 || { tail -n 20 "$T/play.log" >&2; exit 1; }

# The container's processes, from the host: pid and name of each.
procs() {
    local root
    root=$(docker inspect -f '{{.State.Pid}}' "$NAME")
    ps -e -o pid=,ppid=,comm= | awk -v r="$root" '
        { pp[$1] = $2; c[$1] = $3 }
        END { for (p in pp) { q = p; while (q && q != r && q != 1) q = pp[q]
                              if (q == r) print p, c[p] } }'
}
pid_of() { procs | awk -v n="$1" '$2 == n { print $1 }' | head -n 1; }
for _ in $(seq 100); do
    [ -n "$(pid_of chocolate-doom)" ] && [ -n "$(pid_of ddaudio)" ] && break
    sleep 0.2
done
GAME=$(pid_of chocolate-doom)
DDAUDIO=$(pid_of ddaudio)
if [ -z "$GAME" ] || [ -z "$DDAUDIO" ]; then
    say "game or ddaudio not found"
    exit 1
fi
sleep 3   # the level's start

# The game's FIFO descriptor (SDL's, write-only; the one the entrypoint
# holds open for reading and writing came along too), and its writes from
# now on.
FIFO_FD=
for f in /proc/"$GAME"/fd/*; do
    n=${f##*/}
    if [ "$(readlink "$f")" = /tmp/audio-1/pcm ] &&
        [ $((0$(awk '$1 == "flags:" { print $2 }' "/proc/$GAME/fdinfo/$n") & 3)) = 1 ]; then
        FIFO_FD=$n
    fi
done
if command -v strace >/dev/null && [ -n "$FIFO_FD" ]; then
    # --seccomp-bpf: only the writes stop the game, not its other calls.
    strace -f --seccomp-bpf -p "$GAME" -ttt -e trace=write -e signal=none -s 65536 -xx \
        -o "$T/strace.out" 2>/dev/null &
    STRACE_PID=$!
    sleep 1
else
    say "no strace (or no FIFO in the game): the game-to-page row is skipped"
fi

# CPU ticks (user + system) of a pid.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

node "$REPO/tests/helpers/browser/novnc.mjs" --web-port "$NOVNC_PORT" --password "$PASS" \
    --type-password --timeout 60000 click:canvas wait:1500 "latency:$SHOTS" \
    >"$T/page.out" 2>"$T/page.err" &
NODE=$!
streaming() { docker logs "$NAME" 2>&1 | grep -q 'ddaudio: listener [0-9]*: password right'; }
wait_until 60 streaming || { say "the page did not start the sound: $(cat "$T/page.err")"; docker exec "$NAME" tail -n 20 /tmp/websockify.log >&2; exit 1; }
sleep 2
# websockify serves each websocket in a process of its own: the one whose
# unix socket is connected to ddaudio's carries the sound.
netns=/proc/$DDAUDIO/ns/net
WS_AUDIO=$(nsenter --net="$netns" ss -xpn 2>/dev/null | awk '
    /audio.sock/ && /ddaudio/ { peer[$8] = 1 }
    { line[$6] = $0 }
    END { for (p in peer) if (line[p] ~ /websockify/) { match(line[p], /pid=[0-9]+/); print substr(line[p], RSTART + 4, RLENGTH - 4) } }' | head -n 1)
WS_ALL=$(procs | awk '$2 == "websockify" { print $1 }')
SOCAT_IN=$(procs | awk '$2 == "socat" { print $1 }')
FWD=$(cat "$DOCKERDOOM_RUN/fwd-novnc.pid" 2>/dev/null || true)
FWD_ALL=$(ps -e -o pid=,ppid=,comm= | awk -v f="$FWD" '$1 == f || $2 == f { print $1 }')
X11VNC=$(pid_of x11vnc)
declare -A t0
# shellcheck disable=SC2086  # lists of pids
for p in $GAME $DDAUDIO $WS_ALL $SOCAT_IN $FWD_ALL $X11VNC; do t0[$p]=$(ticks "$p"); done
s0=$(date +%s.%N)
# A window well inside the shots (each takes 1.7 s): the page's sockets,
# and websockify's processes for them, are still there at its end.
sleep $((SHOTS * 5 / 4))
s1=$(date +%s.%N)
declare -A t1
for p in "${!t0[@]}"; do t1[$p]=$(ticks "$p"); done
wait "$NODE" || true
[ -n "$STRACE_PID" ] && { kill "$STRACE_PID" 2>/dev/null; wait "$STRACE_PID" 2>/dev/null || true; STRACE_PID=; }
HZ=$(getconf CLK_TCK)
# CPU of the given pids over the window, % of one core; a pid gone by its
# end (websockify's short-lived page requests) is left out.
cpu() {
    local sum=0 p
    for p in "$@"; do
        [ "${t1[$p]:-0}" -gt 0 ] && sum=$((sum + t1[$p] - t0[$p]))
    done
    awk -v t="$sum" -v hz="$HZ" -v a="$s0" -v b="$s1" 'BEGIN { printf "%.1f", 100 * t / hz / (b - a) }'
}
ws_vnc=()
for p in $WS_ALL; do [ "$p" != "$WS_AUDIO" ] && ws_vnc+=("$p"); done

fact() { sed -n "s/^$1: //p" "$T/page.out" | head -n 1; }
echo
echo "sound: the game's sound to the noVNC page ($SHOTS pistol shots, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "  key to page output (ms):     $(fact latency)"
if [ -s "$T/strace.out" ]; then
    python3 - "$T/strace.out" "$FIFO_FD" "$(fact onsets)" <<'EOF'
import re, sys, statistics, array
path, fd, onsets = sys.argv[1], sys.argv[2], [float(x) for x in sys.argv[3].split()]
writes = []
pat = re.compile(r'^\d+ +(\d+\.\d+) write\(' + fd + r', "((?:\\x[0-9a-f]{2})*)"')
for line in open(path):
    m = pat.match(line)
    if not m:
        continue
    a = array.array('h', bytes.fromhex(m.group(2).replace('\\x', '')))
    loud = next((i for i, x in enumerate(a) if abs(x) > 256), None)
    writes.append((float(m.group(1)) * 1000, loud))
mixed, quiet_since = [], None
last_loud = -1e18
for t, loud in writes:
    if loud is None:
        continue
    if t - last_loud > 150:
        mixed.append(t + (loud // 2) / 44100 * 1000)   # the loud frame's own time in the slice
    last_loud = t
lat = []
for o in onsets:
    before = [m for m in mixed if m <= o and o - m < 1000]
    if before:
        lat.append(o - before[-1])
times = [t for t, _ in writes]
gaps = sorted(b - a for a, b in zip(times, times[1:]))
if gaps:
    print("  the game's writes into the FIFO: every %.1f ms (median), longest pause %.0f ms" %
          (statistics.median(gaps), gaps[-1]))
if lat:
    lat.sort()
    print("  game's sound to page output (ms): n=%d median=%.1f min=%.1f max=%.1f" %
          (len(lat), statistics.median(lat), lat[0], lat[-1]))
    print("    each: " + " ".join("%.0f" % x for x in lat))
else:
    print("  game's sound to page output: no sound matched (%d mixed, %d at the page)" % (len(mixed), len(onsets)))
EOF
fi
echo "  page: $(fact audio)"
echo "  CPU, % of one core, over $(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.0f", b - a }') s:"
echo "    ddaudio                       $(cpu "$DDAUDIO")"
echo "    websockify carrying the sound $(if [ -n "$WS_AUDIO" ]; then cpu "$WS_AUDIO"; else echo '? (not found)'; fi)"
# shellcheck disable=SC2086  # lists of pids
echo "    socat (container + host)      $(cpu $SOCAT_IN $FWD_ALL) (VNC's and the sound's bytes)"
echo "    the sound's path in all       $(cpu "$DDAUDIO" ${WS_AUDIO:+"$WS_AUDIO"})  (+ its share of socat)"
echo "    for scale: game $(cpu "$GAME"), x11vnc $(cpu "$X11VNC"), websockify carrying VNC $(cpu "${ws_vnc[@]}")"
size() { docker image inspect -f '{{.Size}}' "$1" 2>/dev/null | awk '{ printf "%.1f MB", $1 / 1e6 }'; }
echo "  image $GAME_IMAGE: $(size "$GAME_IMAGE")"
if [ -n "${BENCH_SOUND_BASE_IMAGE:-}" ]; then
    echo "  image $BENCH_SOUND_BASE_IMAGE: $(size "$BENCH_SOUND_BASE_IMAGE")"
fi
