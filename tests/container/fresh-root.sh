#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fresh-root.sh - the first run as a newcomer has it: a fresh Debian 12
# minbase root (container/base-image.sh --tarball: debootstrap
# --variant=minbase) on which only `container/deps.sh play` runs (never
# the check set), then, as the README says, `make play`, a VNC frame and
# the noVNC page from outside, `dockerdoom demo 4` and a shot at them,
# `make stop` and `dockerdoom stop --engine`.
#
# The root is a chroot in a mount and pid namespace of its own (unshare),
# bound on itself, with /proc, /sys and /dev of the machine, a tmpfs on
# /run, and the machine's network: its apt reaches the mirror, and the
# dockerd that `make play` starts there (no systemd in the root) serves
# the game;
# the VNC and noVNC ports are free ports of the machine (VNC_PORT,
# NOVNC_PORT), everything else is the root's own: /run/dockerdoom, the
# engine, the account. Before `make play`, every program the launcher,
# the demo and the image's build run (tests/helpers/commands) must be
# found in the root. Killing the namespace's first process ends every
# process of the root and every mount in it.
#
# Not in make check (no NN- prefix: the container phase leaves it out):
# `make check-fresh` runs it. Its cost is the packages' download and
# install, and a first `make play` (dockerfs, the game and the image's root
# built from nothing). Cheaper from the second run: the root's downloaded
# packages and the minbase tarball are kept on this machine
# (tests/lib/debcache.sh, shared with tests/package/10-deb.sh; this
# machine's /var/cache/apt/archives is used too), the image's in
# build/image/debs, and apt's lists are this machine's.
set -uo pipefail
REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# shellcheck source=tests/lib/tap.sh
. "$REPO/tests/lib/tap.sh"
# shellcheck source=tests/lib/ports.sh
. "$REPO/tests/lib/ports.sh"
OWN_TMP=0
if [[ -z ${TESTS_TMP:-} ]]; then
    TESTS_TMP=$(mktemp -d /tmp/ddfresh.XXXXXX)
    OWN_TMP=1
fi
[[ $(id -u) -eq 0 ]] || { not_ok "runs as root (chroot, namespaces)"; tap_done; }

T=$TESTS_TMP
ROOT=$T/root
# shellcheck source=tests/lib/debcache.sh
. "$REPO/tests/lib/debcache.sh"
SRC=/src/dockerdoom
UNSHARE_PID=
NS_PID=

# shellcheck disable=SC2317  # called by the trap
fresh_cleanup() {
    if [[ -n $NS_PID ]]; then
        # The namespace's first process: its end ends every process of
        # the root (dockerd, dockerfs, the game) and every mount in it.
        kill -KILL "$NS_PID" 2>/dev/null || true
        wait "$UNSHARE_PID" 2>/dev/null || true
    fi
    # Keep what apt downloaded for the next run.
    if [[ -d $ROOT/var/cache/apt/archives ]]; then
        debcache_save "$ROOT/var/cache/apt/archives"
    fi
    rm -rf "$ROOT"
    [[ $OWN_TMP == 1 ]] && rm -rf "$TESTS_TMP"
}
trap fresh_cleanup EXIT

# in_root CMD...: CMD in the root, as root, with a clean environment.
in_root() {
    nsenter -t "$NS_PID" -m -p -- chroot "$ROOT" /usr/bin/env -i \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
}

# step NAME LOG CMD...: runs CMD in the root's clone, output in LOG; ok
# with its time, or not ok with the log's end (and the script ends).
step() {
    local what=$1 log=$2 t0=$SECONDS
    shift 2
    # shellcheck disable=SC2016  # expanded in the root
    if in_root bash -c 'cd "$0" && "$@"' "$SRC" "$@" >"$log" 2>&1; then
        ok "$what ($((SECONDS - t0)) s)"
    else
        not_ok "$what ($((SECONDS - t0)) s)" "$(tail -n 40 "$log")"
        tap_done
    fi
}

# ---------------------------------------------------------------- the root

t0=$SECONDS
tarball=$("$REPO/container/base-image.sh" --tarball 2>"$T/base.log")
if [[ -s $tarball ]]; then
    ok "a fresh Debian 12 minbase root ($tarball, $((SECONDS - t0)) s)"
else
    not_ok "a fresh Debian 12 minbase root" "$(tail -n 20 "$T/base.log")"
    tap_done
fi
mkdir -p "$ROOT"
tar -C "$ROOT" --numeric-owner -xpf "$tarball"
chmod 0755 "$ROOT"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
# A real system keeps what apt downloads (the tarball's image rule drops it).
rm -f "$ROOT/etc/apt/apt.conf.d/dockerdoom-slim"
# dpkg without a sync per file: what is tested is what gets installed,
# not how safely against a power cut.
echo force-unsafe-io >"$ROOT/etc/dpkg/dpkg.cfg.d/fresh-root-unsafe-io"
# No service starts in a chroot (docker.io's postinst would try).
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
# apt's lists from this machine (same mirror: update only checks them),
# and the packages downloaded before, here or by an earlier run.
cp /var/lib/apt/lists/*_InRelease /var/lib/apt/lists/*_Packages* /var/lib/apt/lists/*_Sources* \
    "$ROOT/var/lib/apt/lists/" 2>/dev/null || true
debcache_load "$ROOT/var/cache/apt/archives"
find /var/cache/apt/archives -maxdepth 1 -name '*.deb' -exec cp -n -t "$ROOT/var/cache/apt/archives/" {} + 2>/dev/null || true
note "packages in the root's apt cache before: $(find "$ROOT/var/cache/apt/archives" -name '*.deb' | wc -l)"
# The clone: this tree as a clone has it (no build output), and the
# image's packages downloaded before (build/image/debs).
mkdir -p "$ROOT$SRC"
tar -C "$REPO" -c --exclude=./build --exclude=./build-san --exclude=./build-fuzz \
    --exclude=node_modules . | tar -C "$ROOT$SRC" -x
if [[ -d $REPO/build/image/debs ]]; then
    mkdir -p "$ROOT$SRC/build/image"
    cp -a "$REPO/build/image/debs" "$ROOT$SRC/build/image/"
fi

# The namespaces: a first process that mounts what the root needs, then
# reaps what is left to it (as an init does: a dockerd whose launcher has
# exited is its child) until it is killed. The root is a mount point of
# its own: dockerd unpacks images in a chroot that remounts / private.
# shellcheck disable=SC2016  # expanded by the namespace's bash
unshare --mount --pid --fork --propagation private -- bash -c '
    set -e
    mount --bind "$1" "$1"
    mount -t proc proc "$1/proc"
    mount --rbind /sys "$1/sys" && mount --make-rslave "$1/sys"
    mount --rbind /dev "$1/dev" && mount --make-rslave "$1/dev"
    mount -t tmpfs -o mode=0755 fresh-run "$1/run"
    echo ready >"$2"
    set +e
    while :; do sleep 5 & wait $!; done' _ "$ROOT" "$T/ns-ready" >"$T/ns.log" 2>&1 &
UNSHARE_PID=$!
if wait_until 10 test -s "$T/ns-ready"; then
    NS_PID=$(awk '{print $1}' "/proc/$UNSHARE_PID/task/$UNSHARE_PID/children")
fi
if [[ -n $NS_PID ]] && in_root true; then
    ok "the root in a mount and pid namespace of its own (first process $NS_PID)"
else
    not_ok "the root in a mount and pid namespace of its own" "$(cat "$T/ns.log")"
    tap_done
fi

# ---------------------------------------------------------------- deps

step "container/deps.sh play in the fresh root" "$T/deps.log" container/deps.sh play
note "$(grep -E '^deps: (installing|done)' "$T/deps.log" | cut -c1-300)"
# shellcheck disable=SC2016  # dpkg-query's format
installed=$(in_root dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' 2>/dev/null | awk '$2 == "ii"' | wc -l)
note "packages installed in the root: $installed"
check "the check set is not installed (xvfb, xterm, libcmocka-dev absent)" \
    bash -c "! nsenter -t $NS_PID -m -p -- chroot '$ROOT' dpkg-query -W -f='\${db:Status-Abbrev}\n' xvfb xterm libcmocka-dev 2>/dev/null | grep -q '^ii'"

# Every program play, the demo and the image's build run is there.
mapfile -t cmds < <("$REPO/tests/helpers/commands" "$REPO/container/dockerdoom" \
    "$REPO/container/demo" "$REPO/container/image.sh" "$REPO/container/progress.sh" \
    "$REPO/game/fetch-source.sh")
# shellcheck disable=SC2016  # expanded in the root
missing=$(in_root bash -c 'for c; do command -v "$c" >/dev/null || echo "$c"; done' _ "${cmds[@]}" |
          grep -vx 'systemctl' | xargs)
note "programs checked: ${cmds[*]}"
[[ ${#cmds[@]} -ge 40 ]] || not_ok "at least 40 programs found in the scripts (${#cmds[@]})"
check_eq "every program the launcher, demo and image build run is in the root (systemctl: only with systemd)" \
    "" "$missing"

# ---------------------------------------------------------------- play

VNC_PORT=$(free_port)
NOVNC_PORT=$(free_port)
step "make play in the fresh root" "$T/play.log" env VNC_PORT="$VNC_PORT" NOVNC_PORT="$NOVNC_PORT" make play
note "$(grep -E '^dockerdoom: (building|[a-z]+: done in|built in|image|dockerfs follows|started|no engine)' "$T/play.log")"
pw=$(awk '$1 == "password:" {print $2}' "$T/play.log")
if [[ $pw =~ ^[A-Za-z0-9]{8}$ ]]; then
    ok "make play printed the password"
else
    not_ok "make play printed the password" "$(tail -n 20 "$T/play.log")"
fi
check "it printed the VNC address on the port given" grep -q "VNC: *127.0.0.1:$VNC_PORT " "$T/play.log"
check "it said which engine dockerfs follows: the dockerd it started" \
    grep -qF "dockerfs follows: default (unix:///var/run/docker.sock)" "$T/play.log"
check "nothing said a file was missing" bash -c "! grep -q 'No such file' '$T/play.log'"

VP=
for b in build-san build; do
    [[ -x $REPO/$b/tests/helpers/vncplay ]] && { VP=$REPO/$b/tests/helpers/vncplay; break; }
done
if [[ -z $VP ]] && make -s -C "$REPO" build/tests/helpers/vncplay >"$T/vncplay-build.log" 2>&1; then
    VP=$REPO/build/tests/helpers/vncplay
fi
if [[ -x $VP ]] && VNC_PASSWORD=$pw "$VP" -t 30000 "127.0.0.1:$VNC_PORT" wait 1500 shot "$T/frame.png" \
        >"$T/vnc.log" 2>&1 && [[ $(stat -c %s "$T/frame.png") -gt 5000 ]]; then
    ok "a VNC frame from outside the root ($(stat -c %s "$T/frame.png") bytes of PNG)"
else
    not_ok "a VNC frame from outside the root" "$(tail -n 5 "$T/vnc.log")"
fi
if curl -sf "http://127.0.0.1:$NOVNC_PORT/vnc.html" -o /dev/null; then
    ok "the noVNC page from outside the root"
else
    not_ok "the noVNC page from outside the root"
fi

# ---------------------------------------------------------------- demo

step "dockerdoom demo 4 in the fresh root" "$T/demo.log" container/dockerdoom demo 4
# shellcheck disable=SC2317  # called through wait_until
game_log() { in_root docker logs dockerdoom 2>&1; }
# shellcheck disable=SC2317
spawned4() { [[ $(game_log | grep -c 'dockerdoom: spawn id=.* name=demo-') -ge 4 ]]; }
if wait_until 60 spawned4; then
    ok "the game spawned the four demo containers"
else
    not_ok "the game spawned the four demo containers" "$(game_log | tail -n 20)"
fi
# Shots through VNC: god mode, then idrm all around.
s=(typedelay 50 type iddqd wait 500)
for _ in 1 2 3 4 5 6; do s+=(type idrm wait 500 hold Left 700 wait 200); done
VNC_PASSWORD=$pw "$VP" -t 30000 "127.0.0.1:$VNC_PORT" "${s[@]}" type idrm wait 1500 >>"$T/vnc.log" 2>&1 || true
# shellcheck disable=SC2317
killed() { game_log | grep -c 'kill-result id=.* name=demo-.* result=ok' || true; }
if wait_until 10 test "$(killed)" -ge 1; then
    ok "shot through VNC: $(killed) demo containers killed"
    note "$(in_root docker ps -a --format '{{.Names}}' | xargs)"
else
    not_ok "shot through VNC: a demo container killed" "$(game_log | grep -E 'kill|message' | tail -n 10)"
fi

# ---------------------------------------------------------------- stop

step "make stop in the fresh root" "$T/stop.log" make stop
note "$(cat "$T/stop.log")"
# shellcheck disable=SC2016  # the backquotes are in the message
check "make stop says the dockerd play started keeps running, and how to stop it" \
    grep -qE 'the dockerd play started keeps running \(pid [0-9]+\): `container/dockerdoom stop --engine` stops it' "$T/stop.log"
check_eq "no game container left" "" "$(in_root docker ps -aq --filter name=dockerdoom)"
check "nothing mounted under the root's /run/dockerdoom" \
    bash -c "! nsenter -t $NS_PID -m cat /proc/self/mountinfo | grep -q ' $ROOT/run/dockerdoom'"
if in_root bash -c "cd $SRC && container/dockerdoom stop --engine" >"$T/stop-engine.log" 2>&1 &&
    ! in_root timeout 5 docker version >/dev/null 2>&1; then
    ok "dockerdoom stop --engine stops the dockerd play started"
else
    not_ok "dockerdoom stop --engine stops the dockerd play started" "$(cat "$T/stop-engine.log")"
fi

tap_done
