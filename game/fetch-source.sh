#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fetch chocolate-doom's Debian source package into DEST (default
# build/game/src) and install its build dependencies. Does nothing when the
# source is already there, so rebuilds never touch the network.
# Works as root in a plain debian:bookworm container (no sudo).
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

export DEBIAN_FRONTEND=noninteractive
main_sources=/etc/apt/sources.list.d/debian.sources
src_list=/etc/apt/sources.list.d/dockerdoom-src.sources

say() { echo "fetch-source: $*" >&2; }

# The deb-src stanza reuses the mirror and key of the system's own first
# source, so it works behind whatever mirror the host or image uses:
# deb822 debian.sources (the debian:bookworm image) or a one-line
# sources.list (what debootstrap writes).
if ! grep -qs '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources \
   && ! grep -qs '^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list; then
    say "no deb-src entry in the apt sources: adding $src_list (the"
    say "same mirror as the system's own, for chocolate-doom's source)"
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
        echo "Suites: bookworm bookworm-updates"
        echo "Components: main"
        echo "Signed-By: ${signed:-/usr/share/keyrings/debian-archive-keyring.gpg}"
    } > "$src_list"
fi
[ "$sources_only" = 1 ] && exit 0

say "installing what builds chocolate-doom (apt-get build-dep chocolate-doom;"
say "dpkg-dev cmake make gcc patch pkg-config) and fetching its source"
say "(apt-get source chocolate-doom) into $dest"
apt-get update -qq
# dpkg-source (dpkg-dev) unpacks the package; cmake builds it.
apt-get install -y -qq --no-install-recommends dpkg-dev cmake make gcc patch \
    pkg-config > /dev/null
apt-get build-dep -y -qq chocolate-doom > /dev/null

mkdir -p "$dest"
(cd "$dest" && rm -rf chocolate-doom-* chocolate-doom_* && \
    apt-get source -qq chocolate-doom)
tree=$(cd "$dest" && find . -maxdepth 1 -type d -name 'chocolate-doom-*' | head -n1)
if [ -z "$tree" ]; then
    echo "fetch-source: no chocolate-doom tree unpacked in $dest" >&2
    exit 1
fi
echo "$(cd "$dest" && pwd)/${tree#./}" > "$stamp"
