#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fetch chocolate-doom's Debian source package into DEST (default
# build/game/src), after making sure its build dependencies are installed
# (container/deps.sh game: the game set of container/packages, installed
# when missing and run as root). Does nothing when the source is already
# there, so rebuilds never touch the network.
# --sources-only: only add the deb-src stanza (tests/kube/build.sh).
set -euo pipefail

sources_only=0
if [ "${1:-}" = --sources-only ]; then
    sources_only=1
    shift
fi
dest=${1:-build/game/src}
stamp=$dest/.fetched

if [ "$sources_only" = 0 ] && [ -f "$stamp" ] && [ -d "$(cat "$stamp")" ]; then
    exit 0
fi

say() { echo "fetch-source: $*" >&2; }
export DEBIAN_FRONTEND=noninteractive
main_sources=/etc/apt/sources.list.d/debian.sources
# This machine's release: bookworm on Debian 12, noble on Ubuntu 24.04
# (whose chocolate-doom is in universe).
# shellcheck source=/dev/null
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
# shellcheck source=/dev/null
components=$(. /etc/os-release && [ "${ID:-}" = ubuntu ] && echo "main universe" || echo main)
added=0
src_list=/etc/apt/sources.list.d/dockerdoom-src.sources

# The deb-src stanza reuses the mirror and key of the system's own first
# source, so it works behind whatever mirror the host or image uses:
# deb822 debian.sources (the debian:bookworm image) or a one-line
# sources.list (what debootstrap writes).
if ! grep -qs '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources \
   && ! grep -qs '^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list; then
    uris=
    signed=
    if [ -f "$main_sources" ]; then
        uris=$(sed -n 's/^URIs: *//p' "$main_sources" | head -n1)
        signed=$(sed -n 's/^Signed-By: *//p' "$main_sources" | head -n1)
    elif [ -f /etc/apt/sources.list ]; then
        uris=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++)
                   if ($i !~ /^\[/ && $i !~ /\]$/) { print $i; exit } }' \
               /etc/apt/sources.list)
    fi
    {
        echo "Types: deb-src"
        echo "URIs: ${uris:-http://deb.debian.org/debian}"
        echo "Suites: $codename $codename-updates"
        echo "Components: $components"
        echo "Signed-By: ${signed:-/usr/share/keyrings/debian-archive-keyring.gpg}"
    } > "$src_list"
    added=1
fi
[ "$sources_only" = 1 ] && exit 0

# dpkg-source (dpkg-dev) unpacks the package; cmake builds it with SDL2.
"$(dirname "$0")/../container/deps.sh" game
# The source index: read once, after the stanza is added (or when apt has
# none yet).
if [ "$added" = 1 ] || ! apt-cache showsrc chocolate-doom 2>/dev/null | grep -q '^Package:'; then
    say "apt-get update (for the deb-src index)"
    apt-get update -qq
fi
say "apt-get source chocolate-doom"

mkdir -p "$dest"
(cd "$dest" && rm -rf chocolate-doom-* chocolate-doom_* && \
    apt-get source -qq chocolate-doom)
tree=$(cd "$dest" && find . -maxdepth 1 -type d -name 'chocolate-doom-*' | head -n1)
if [ -z "$tree" ]; then
    echo "fetch-source: no chocolate-doom tree unpacked in $dest" >&2
    exit 1
fi
echo "$(cd "$dest" && pwd)/${tree#./}" > "$stamp"
