#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 10-image.sh - the game image builds on the private engine, which has no
# image at all: container/image.sh makes (or reuses, from the checkout's
# build/image or this machine's /var/cache/dockerdoom/image) the runtime
# root's tarball (mmdebstrap of container/packages' image sets), keeps it
# and its packages in the machine's cache for the next clone (a damaged
# cached root or package is not used), imports it as
# dockerdoom-root:KEY, builds the game and
# ddaudio (make game audio) and runs the Dockerfile with --network none on
# a context of the two binaries, the entrypoint and the page maker. Checks
# what it says (a line per step, no "first time" text; no colour escapes
# and no dpkg "dependency problems" in its logs), the image: under 300 MB,
# non-root user doom (uid 1000), tini as PID 1, the patched game, ddaudio,
# both IWADs, noVNC and the page with the sound, websockify importable,
# every program's libraries there, no Mesa DRI driver, LLVM or apt lists
# and caches; a
# second run builds nothing and says the image is up to date; the root's
# key changes with the image set.
set -euo pipefail
# shellcheck source=tests/container/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ct_setup

# From nothing on the engine: it may hold images from an earlier script.
docker rmi -f "$GAME_IMAGE" >/dev/null 2>&1 || true
docker images -q dockerdoom-root | xargs -r docker rmi -f >/dev/null 2>&1 || true
docker image prune -f >/dev/null 2>&1 || true

out=$TESTS_TMP/image.out
t0=$SECONDS
if DOCKERDOOM_IMAGE=$GAME_IMAGE "$REPO/container/image.sh" >"$out" 2>&1; then
    ok "container/image.sh builds $GAME_IMAGE ($((SECONDS - t0)) s)"
    note "$(cat "$out")"
else
    not_ok "container/image.sh builds $GAME_IMAGE" "$(tail -n 40 "$out")"
    tap_done
fi
check "it says what each step did (game: done in N s)" grep -qE '^dockerdoom: game: done in [0-9]+ s' "$out"
check "it says the image was built, with its size and root" \
    grep -qE "^dockerdoom: image $GAME_IMAGE built: [0-9]+ MB, on dockerdoom-root:[0-9a-f]{12}" "$out"
if grep -qi 'first time\|a few minutes' "$out"; then
    not_ok "no guessed estimate (\"first time\", \"a few minutes\")" "$(grep -i 'first time\|a few minutes' "$out")"
else
    ok "no guessed estimate (\"first time\", \"a few minutes\")"
fi
logs=$REPO/build/image/logs
if grep -lq $'\033' "$out" "$logs"/*.log 2>/dev/null; then
    not_ok "no colour escapes in the output and the logs" "$(grep -l $'\033' "$out" "$logs"/*.log)"
else
    ok "no colour escapes in the output and the logs"
fi
walls=$(grep -c 'dependency problems' "$logs/root.log" 2>/dev/null || true)
check_eq "no dpkg 'dependency problems' in the root's log" 0 "${walls:-0}"

id1=$(docker image inspect -f '{{.Id}}' "$GAME_IMAGE")
out2=$TESTS_TMP/image2.out
t0=$SECONDS
if DOCKERDOOM_IMAGE=$GAME_IMAGE "$REPO/container/image.sh" >"$out2" 2>&1; then
    ok "a second image.sh run ($((SECONDS - t0)) s)"
else
    not_ok "a second image.sh run" "$(tail -n 20 "$out2")"
fi
check "it says the image is up to date" grep -q "image $GAME_IMAGE is up to date" "$out2"
check_eq "and the image is the same" "$id1" "$(docker image inspect -f '{{.Id}}' "$GAME_IMAGE")"
check "it made no root" bash -c "! grep -q '^dockerdoom: root:' '$out2'"

# The root's name follows what it is made of: another image set, another key.
key() { bash -c '. "$1"; root_key' _ "$REPO/container/image.sh"; }
pk=$TESTS_TMP/packages
{ cat "$REPO/container/packages"; echo "image   less"; } >"$pk"
k0=$(key)
k1=$(DOCKERDOOM_PACKAGES=$pk key)
if [[ $k0 =~ ^[0-9a-f]{12}$ && $k1 =~ ^[0-9a-f]{12}$ && $k0 != "$k1" ]]; then
    ok "the root's key changes with the image set ($k0 -> $k1)"
else
    not_ok "the root's key changes with the image set" "$k0 -> $k1"
fi
# This machine's cache: the root of this key, whole, for the next clone.
M=${DOCKERDOOM_IMAGE_MACHINE_CACHE-/var/cache/dockerdoom/image}
if [[ -n $M ]]; then
    mroot=$M/roots/$k0
    sum_ok() { [[ $(sha256sum <"$mroot/root-$k0.tar" | cut -c1-64) == "$(cat "$mroot/sha256")" ]]; }
    check "the root is kept in this machine's cache ($mroot), with its sha256" sum_ok
    check "so are its packages ($M/debs)" ls "$M"/debs/freedoom_*.deb "$M"/debs/libc6_*.deb
fi
# A damaged root in a machine's cache is not taken; a damaged package is
# not used (the same name and size, one byte changed), a whole one is.
fake=$TESTS_TMP/machine
mkdir -p "$fake/roots/$k0" "$fake/debs" "$TESTS_TMP/clone/debs"
echo "not a tarball" >"$fake/roots/$k0/root-$k0.tar"
echo "0123" >"$fake/roots/$k0/sha256"
# shellcheck disable=SC2016  # expanded by the inner bash
ready=$(IMAGE_CACHE=$TESTS_TMP/clone DOCKERDOOM_IMAGE_MACHINE_CACHE=$fake bash -c \
    '. "$1"; if root_ready; then echo taken; else echo refused; fi' _ "$REPO/container/image.sh" 2>&1)
check_eq "a cached root whose sha256 is wrong is not taken" refused "$(tail -n 1 <<<"$ready")"
check "... it says so" grep -q "is damaged: made anew" <<<"$ready"
check "... and it is removed from the cache" test ! -e "$fake/roots/$k0"
# shellcheck disable=SC2016  # expanded by the inner bash
read -r debf debsize debhash < <(apt-get download --print-uris -qq tini | head -n 1 |
    bash -c '. "$1"; uris_sha256' _ "$REPO/container/image.sh")
check "apt's hash of the package ($debhash)" grep -qE '^SHA256:[0-9a-f]{64}$' <<<"$debhash"
(cd "$TESTS_TMP" && apt-get download -qq tini 2>/dev/null)
if [[ -s $TESTS_TMP/$debf ]]; then
    cp "$TESTS_TMP/$debf" "$fake/debs/"
    cp "$TESTS_TMP/$debf" "$TESTS_TMP/clone/debs/"
    printf 'X' | dd of="$TESTS_TMP/clone/debs/$debf" bs=1 seek=200 conv=notrunc 2>/dev/null
    # shellcheck disable=SC2016  # expanded by the inner bash
    found=$(IMAGE_CACHE=$TESTS_TMP/clone DOCKERDOOM_IMAGE_MACHINE_CACHE=$fake bash -c \
        '. "$1"; deb_cached "$2" "$3" "$4"' _ "$REPO/container/image.sh" "$debf" "$debsize" "$debhash")
    check_eq "a damaged cached package ($debf, same size) is passed over for a whole one" \
        "$fake/debs/$debf" "$found"
    check "... and the damaged one is removed" test ! -e "$TESTS_TMP/clone/debs/$debf"
    printf 'X' | dd of="$fake/debs/$debf" bs=1 seek=200 conv=notrunc 2>/dev/null
    # shellcheck disable=SC2016  # expanded by the inner bash
    found=$(IMAGE_CACHE=$TESTS_TMP/clone DOCKERDOOM_IMAGE_MACHINE_CACHE=$fake bash -c \
        '. "$1"; deb_cached "$2" "$3" "$4" || echo none' _ "$REPO/container/image.sh" "$debf" "$debsize" "$debhash")
    # (apt's own archives may hold a whole one.)
    check "none whole: neither damaged one is used ($found)" \
        test "$found" != "$fake/debs/$debf" -a "$found" != "$TESTS_TMP/clone/debs/$debf"
else
    not_ok "apt-get download tini (a package to damage)"
fi

layer0() { docker image inspect -f '{{index .RootFS.Layers 0}}' "$1" 2>&1; }
check_eq "the image's first layer is the root dockerdoom-root:$k0" \
    "$(layer0 "dockerdoom-root:$k0")" "$(layer0 "$GAME_IMAGE")"

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
check "Xvfb, x11vnc, websockify, xdotool, tini, socat, stdbuf" in_image \
    'command -v Xvfb && command -v x11vnc && command -v websockify && command -v xdotool && command -v tini && command -v socat && command -v stdbuf'
check "websockify imports (without numpy)" in_image 'python3 -c "import websockify"'
check "the noVNC page with the sound: loads dockerdoom-audio.js, its worker and worklet" in_image \
    'cd /usr/share/dockerdoom/novnc && grep -q dockerdoom-audio.js vnc.html &&
     test -s dockerdoom-audio-worker.js && test -s dockerdoom-audio-worklet.js && test -s core/des.js'
check "... and connects to websockify?token=vnc by default" in_image \
    'grep -q "token=vnc" /usr/share/dockerdoom/novnc/app/ui.js'
check "ddaudio is there" in_image 'test -x /usr/local/bin/ddaudio'
check_eq "the image's / is mode 755" 755 "$(in_image 'stat -c %a /')"
check_eq "/tmp/.X11-unix is 1777, /run/dockerdoom 755" "1777 755" \
    "$(in_image 'stat -c %a /tmp/.X11-unix /run/dockerdoom' | xargs)"
check "the game binary is the patched one (knows -dockerfs)" in_image \
    'grep -q dockerfs /usr/local/bin/chocolate-doom'
# shellcheck disable=SC2016  # expanded in the container
check "no missing library (every program in /usr/bin, /usr/local/bin)" in_image \
    'for f in /usr/local/bin/* /usr/bin/*; do ldd "$f" 2>/dev/null | grep "not found" | sed "s|^|$f: |"; done | (! grep .)'
check "no Mesa DRI driver or LLVM in the image" in_image \
    '! find /usr/lib/x86_64-linux-gnu/dri /usr/lib/x86_64-linux-gnu -maxdepth 1 \( -name "*_dri.so" -o -name "libLLVM*" \) 2>/dev/null | grep .'
check "no apt lists or downloaded packages in the image" in_image \
    '! ls /var/lib/apt/lists/*_Packages* /var/cache/apt/archives/*.deb 2>/dev/null | grep .'

tap_done
