#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 20-launcher.sh - the launcher as the packages install it, against the
# private engine, run from /: the two packages of build/deb (10-deb.sh makes
# them) unpacked into a prefix, whose bin/ is on PATH, so the launcher must
# find its data in ../share/dockerdoom and dockerfs on PATH. `dockerdoom
# image` builds the game image from the package's files (its Makefile,
# image.sh, Dockerfile), on the root the repository's image has (the
# container phase made its tarball: same package list, same recipe, same
# key) and with the repository's build of the game (GAME_BUILD: compiling
# it again from the same sources would take minutes; 10-deb checks the
# package's sources are the repository's). Then `play` prints what `make play` prints and runs the package's
# dockerfs, `demo 2` starts two victims, `status` is happy, `demo clean`
# and `stop` leave nothing behind.
set -euo pipefail
# The shared setup wants a dockerfs: run alone, the repository's (this
# script itself uses the package's).
if [[ -z ${DOCKERFS_BIN:-} ]]; then
    make -s -C "$(dirname "${BASH_SOURCE[0]}")/../.." >/dev/null
    DOCKERFS_BIN=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/dockerfs
    export DOCKERFS_BIN
fi
# shellcheck source=tests/container/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../container/lib.sh"
ct_setup

VERSION=$(cat "$REPO/VERSION")
debs=("$REPO/build/deb/dockerfs_${VERSION}_$(dpkg --print-architecture).deb"
      "$REPO/build/deb/dockerdoom_${VERSION}_all.deb")
if [[ ! -s ${debs[0]} || ! -s ${debs[1]} ]]; then
    note "no packages in build/deb: make deb"
    make -s -C "$REPO" deb LINTIAN=0 >"$TESTS_TMP/make-deb.log" 2>&1 ||
        { not_ok "make deb" "$(tail -n 30 "$TESTS_TMP/make-deb.log")"; tap_done; }
fi
INST=$TESTS_TMP/inst
for d in "${debs[@]}"; do dpkg-deb -x "$d" "$INST"; done
LAUNCHER=$INST/usr/bin/dockerdoom
export PATH=$INST/usr/bin:$PATH
# What ct_setup points at the repository's build: the installed launcher
# must do without.
unset DOCKERFS_BIN DOCKERDOOM_NO_DEPS
# The image's parts: the repository's root tarball, packages and game
# build, not /var/lib/dockerdoom.
export IMAGE_CACHE=$REPO/build/image GAME_BUILD=$REPO/build/game
run_from_root() { (cd / && "$LAUNCHER" "$@"); }

layer0() { docker image inspect -f '{{index .RootFS.Layers 0}}' "$1" 2>/dev/null || true; }
repo_root=$(layer0 "$GAME_IMAGE")
export DOCKERDOOM_IMAGE=ddpkg-$$:latest
t0=$SECONDS
if run_from_root image >"$TESTS_TMP/image.log" 2>&1; then
    ok "dockerdoom image from / builds from the package's files ($((SECONDS - t0)) s)"
else
    not_ok "dockerdoom image from / builds from the package's files" "$(tail -n 30 "$TESTS_TMP/image.log")"
    tap_done
fi
check "the game and ddaudio are in GAME_BUILD" test -x "$GAME_BUILD/chocolate-doom" -a -x "$GAME_BUILD/audio/ddaudio"
if [[ -n $repo_root ]]; then
    check_eq "on the root the repository's image has" "$repo_root" "$(layer0 "$DOCKERDOOM_IMAGE")"
else
    note "no $GAME_IMAGE on the engine to compare with"
fi

out=$TESTS_TMP/play.out
if DOCKERDOOM_NO_BUILD=1 run_from_root play >"$out" 2>&1; then
    ok "dockerdoom play from /"
else
    not_ok "dockerdoom play from /" "$(tail -n 30 "$out")"
    tap_done
fi
for key in "VNC:      127.0.0.1:$VNC_PORT " "noVNC:    http://127.0.0.1:$NOVNC_PORT/vnc.html" \
           "password: " "mount:    $DOCKERDOOM_RUN/share/fs " "logs:     docker logs -f $DOCKERDOOM_NAME" \
           "stop:     dockerdoom stop"; do
    check "play prints '${key%% *}' as make play does" grep -qF "  $key" "$out"
done
pid=$(awk '{print $1}' "$DOCKERDOOM_RUN/dockerfs.pid")
check_eq "the dockerfs running is the package's (from PATH)" "$INST/usr/bin/dockerfs" \
    "$(readlink "/proc/$pid/exe")"
check "dockerfs is mounted" dfs_mounted "$DOCKERDOOM_RUN/share/fs"
check_eq "the game container runs" running "$(c_state "$DOCKERDOOM_NAME")"

check "dockerdoom demo 2 from /" run_from_root demo 2
check_eq "two demo containers" 2 "$(docker ps -q --filter label=dockerdoom.demo=true | wc -l)"
check "dockerdoom status from /" run_from_root status
check "dockerdoom demo clean from /" run_from_root demo clean
check_eq "no demo container left" 0 "$(docker ps -aq --filter label=dockerdoom.demo=true | wc -l)"
check "dockerdoom stop from /" run_from_root stop
check_eq "no game container left" gone "$(c_state "$DOCKERDOOM_NAME")"
if grep -q "$DOCKERDOOM_RUN" /proc/self/mountinfo; then
    not_ok "no mount left under $DOCKERDOOM_RUN" "$(grep "$DOCKERDOOM_RUN" /proc/self/mountinfo)"
else
    ok "no mount left under $DOCKERDOOM_RUN"
fi
docker rmi "$DOCKERDOOM_IMAGE" >/dev/null 2>&1 || true

tap_done
