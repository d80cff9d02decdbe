#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 10-image.sh - the game image builds from nothing on the private engine:
# no debian:bookworm-slim there and no registry, so container/base-image.sh
# makes it (debootstrap + docker import, the rootfs tarball cached under
# build/base), then `docker build --network host`. Checks the result: size
# under 300 MB, non-root user doom (uid 1000), tini as PID 1, the patched
# game, both IWADs, noVNC, no missing library.
set -euo pipefail
# shellcheck source=tests/container/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ct_setup

# From nothing: the private engine may hold images from an earlier script.
docker rmi -f "$GAME_IMAGE" debian:bookworm-slim >/dev/null 2>&1 || true
docker image prune -f >/dev/null 2>&1 || true

log=$TESTS_TMP/base.log
t0=$SECONDS
if "$REPO/container/base-image.sh" 2>"$log"; then
    ok "base image debian:bookworm-slim is there ($((SECONDS - t0)) s)"
    note "$(cat "$log")"
else
    not_ok "base image debian:bookworm-slim" "$(tail -n 20 "$log")"
    tap_done
fi
if grep -qE 'making it offline|pulled' "$log"; then
    ok "base-image.sh says how it got the image"
else
    not_ok "base-image.sh says how it got the image" "$(cat "$log")"
fi
check_eq "base image CMD is bash" '["bash"]' \
    "$(docker image inspect -f '{{json .Config.Cmd}}' debian:bookworm-slim)"
check "second base-image.sh run is a no-op" "$REPO/container/base-image.sh"
tarball=${BASE_IMAGE_CACHE:-$REPO/build/base}/bookworm-minbase.tar
if [ -s "$tarball" ]; then
    check_eq "the base tarball's root is mode 0755 (not mktemp's 0700)" "drwxr-xr-x ./" \
        "$(tar -tvf "$tarball" | awk 'NR == 1 {print $1, $NF}')"
fi

blog=$TESTS_TMP/build.log
t0=$SECONDS
if docker build --network host -t "$GAME_IMAGE" "$REPO" >"$blog" 2>&1; then
    ok "docker build of $GAME_IMAGE from nothing"
    note "build time: $((SECONDS - t0)) s"
else
    not_ok "docker build of $GAME_IMAGE from nothing" "$(tail -n 40 "$blog")"
    tap_done
fi

size=$(docker image inspect -f '{{.Size}}' "$GAME_IMAGE")
mb=$((size / 1000000))
note "image size: $mb MB"
if [ "$mb" -lt 300 ]; then
    ok "image is under 300 MB ($mb MB)"
else
    not_ok "image is under 300 MB ($mb MB)"
fi

check_eq "image user is doom" doom "$(docker image inspect -f '{{.Config.User}}' "$GAME_IMAGE")"
check_eq "entrypoint is tini -g" '["/usr/bin/tini","-g","--","/usr/local/bin/dockerdoom-entrypoint"]' \
    "$(docker image inspect -f '{{json .Config.Entrypoint}}' "$GAME_IMAGE")"
# Runs a command in a throwaway container of the image.
in_image() {
    docker run --rm --network none --entrypoint /bin/sh "$GAME_IMAGE" -c "$1"
}
# shellcheck disable=SC2016  # expanded in the container
check_eq "uid and gid 1000" "1000 1000" "$(in_image 'echo $(id -u) $(id -g)')"
check "both IWADs" in_image 'test -s /usr/share/games/doom/freedoom1.wad && test -s /usr/share/games/doom/freedoom2.wad'
check "noVNC page" in_image 'test -s /usr/share/novnc/vnc.html'
check "the noVNC page with the sound: loads dockerdoom-audio.js, its worker and worklet" in_image \
    'cd /usr/share/dockerdoom/novnc && grep -q dockerdoom-audio.js vnc.html &&
     test -s dockerdoom-audio-worker.js && test -s dockerdoom-audio-worklet.js && test -s core/des.js'
check "... and connects to websockify?token=vnc by default" in_image \
    'grep -q "token=vnc" /usr/share/dockerdoom/novnc/app/ui.js'
check "Xvfb, x11vnc, websockify, xdotool, tini, socat" in_image \
    'command -v Xvfb && command -v x11vnc && command -v websockify && command -v xdotool && command -v tini && command -v socat'
check_eq "the image's / is mode 755" 755 "$(in_image 'stat -c %a /')"
check "the game binary is the patched one (knows -dockerfs)" in_image \
    'grep -q dockerfs /usr/local/bin/chocolate-doom'
check "no missing library" in_image '! ldd /usr/local/bin/chocolate-doom /usr/local/bin/ddaudio /usr/bin/Xvfb /usr/bin/x11vnc | grep "not found"'
check "no Mesa DRI driver or LLVM in the image" in_image \
    '! ls /usr/lib/x86_64-linux-gnu/dri /usr/lib/x86_64-linux-gnu/libLLVM* 2>/dev/null | grep .'

tap_done
