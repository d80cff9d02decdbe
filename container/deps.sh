#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# deps.sh — install the Debian/Ubuntu packages dockerdoom needs.
#
# Usage: container/deps.sh [build|play|check] [--list]
#   build   compile dockerfs
#   play    build + run the game container (docker engine, debootstrap for
#           the offline base image)              (default)
#   check   play + everything `make check` uses (test tools, X/VNC stack,
#           browser, fuzzing, the game's build dependencies, building and
#           linting the Debian packages)
#   --list  print the package names of the set and exit
#
# A fast no-op when everything is installed: one dpkg-query, and apt-get
# update only when something is missing. Packages a distribution does not
# have (e.g. libfuzzer-14-dev on a newer release) are skipped with a note
# when they are optional for the set.
set -euo pipefail

set_name=play
list_only=0
for a in "$@"; do
    case $a in
        build|play|check) set_name=$a ;;
        --list) list_only=1 ;;
        -h|--help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "deps.sh: unknown argument '$a' (build|play|check, --list)" >&2; exit 2 ;;
    esac
done

build_pkgs=(make gcc libc6-dev pkg-config fuse3 libfuse3-dev
            libcurl4-openssl-dev libjansson-dev libssl-dev)
play_pkgs=(docker.io debootstrap ca-certificates socat iproute2 busybox-static)
check_pkgs=(libcmocka-dev curl procps psmisc
            xvfb x11vnc novnc websockify freedoom xdotool xterm
            libvncserver-dev libgcrypt20-dev libpng-dev imagemagick gnuplot-nox shellcheck
            clang cmake dpkg-dev podman openssl
            debhelper lintian man-db
            libsdl2-dev libsdl2-mixer-dev libsdl2-net-dev libsamplerate0-dev)
# Nice to have for the set; skipped with a note where the archive lacks them.
optional_pkgs=()

pkgs=("${build_pkgs[@]}")
case $set_name in
    play) pkgs+=("${play_pkgs[@]}") ;;
    check)
        pkgs+=("${play_pkgs[@]}" "${check_pkgs[@]}")
        optional_pkgs+=(chromium libfuzzer-14-dev libclang-rt-14-dev nodejs)
        ;;
esac

# A docker CLI and engine from elsewhere (docker-ce, a static install) are
# as good as Debian's docker.io, which would conflict with them.
if command -v docker >/dev/null && command -v dockerd >/dev/null; then
    pkgs=("${pkgs[@]/docker.io/}")
fi
# Ubuntu ships chromium as a snap: any installed chromium will do.
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
    optional_pkgs=("${optional_pkgs[@]/chromium/}")
fi

if [[ $list_only -eq 1 ]]; then
    printf '%s\n' "${pkgs[@]}" "${optional_pkgs[@]}" | grep . || true
    exit 0
fi

# missing_from prints those of the given packages dpkg does not have
# installed (one dpkg-query for all of them).
missing_from() {
    [[ $# -eq 0 ]] && return 0
    local installed
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null |
                awk '$2 == "ii" {print $1}' || true)
    local p
    for p in "$@"; do
        [[ -z $p ]] && continue
        grep -qxF "$p" <<<"$installed" || echo "$p"
    done
}

mapfile -t missing < <(missing_from "${pkgs[@]}")
mapfile -t missing_opt < <(missing_from "${optional_pkgs[@]}")
# npm comes with NodeSource's nodejs; Debian's nodejs needs the npm package.
if [[ $set_name == check ]] && ! command -v npm >/dev/null; then
    missing_opt+=(npm)
fi

if [[ ${#missing[@]} -eq 0 && ${#missing_opt[@]} -eq 0 ]]; then
    echo "deps: all packages for '$set_name' are installed"
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "deps: missing packages: ${missing[*]} ${missing_opt[*]}" >&2
    echo "deps: run as root (sudo $0 $set_name) or install them yourself" >&2
    exit 1
fi
command -v apt-get >/dev/null ||
    { echo "deps: no apt-get: install by hand: ${missing[*]} ${missing_opt[*]}" >&2; exit 1; }

export DEBIAN_FRONTEND=noninteractive
echo "deps: installing for '$set_name': ${missing[*]} ${missing_opt[*]}"
apt-get -o DPkg::Lock::Timeout=900 update -qq
for p in "${missing_opt[@]}"; do
    [[ -z $p ]] && continue
    cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
    if [[ -n $cand && $cand != "(none)" ]]; then
        missing+=("$p")
    else
        echo "deps: note: optional package $p is not in the archive; skipped"
    fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}"
echo "deps: done"
