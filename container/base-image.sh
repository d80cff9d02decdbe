#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# base-image.sh — make sure the engine has debian:bookworm-slim.
#
# Usage: container/base-image.sh [--cache DIR] | --tarball
#
# The image is used as is when the engine already has it, pulled when a
# registry answers, and otherwise made offline: `debootstrap --variant=minbase
# bookworm` from this machine's apt mirror, apt caches and lists removed,
# `docker import` with CMD ["bash"]. The root filesystem tarball is kept in
# the cache directory (default build/base) so a second engine reuses it.
# Talks to the engine the docker CLI picks (DOCKER_HOST or the default socket).
# --tarball only makes sure the tarball is there and prints its path (no
# engine needed; the package test unpacks it as a fresh Debian 12 root).
set -euo pipefail

IMAGE=debian:bookworm-slim
SUITE=bookworm
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${BASE_IMAGE_CACHE:-$(dirname "$here")/build/base}
if [[ ${1:-} == --cache ]]; then CACHE=$2; fi
TARBALL=$CACHE/$SUITE-minbase.tar

say() { echo "base-image: $*" >&2; }

# mirror_uri prints the first Debian archive URI apt uses on this machine,
# so debootstrap fetches from the same (reachable) mirror.
mirror_uri() {
    local uri
    uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
          awk '{print $2}' | grep -v -- '-security' | grep -m1 debian || true)
    if [[ -z $uri ]]; then
        uri=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null |
              awk '{print $2}' | grep -m1 debian || true)
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

# make_tarball runs debootstrap into a temporary directory and packs the
# result, without apt caches and lists, as $TARBALL.
make_tarball() {
    command -v debootstrap >/dev/null ||
        { say "debootstrap is missing (apt-get install debootstrap)"; exit 1; }
    [[ $(id -u) -eq 0 ]] || { say "debootstrap needs root"; exit 1; }
    local root mirror
    mirror=$(mirror_uri)
    mkdir -p "$CACHE"
    root=$(mktemp -d "$CACHE/rootfs.XXXXXX")
    # shellcheck disable=SC2064  # expand $root now: it is local
    trap "rm -rf '$root'" EXIT
    say "debootstrap --variant=minbase $SUITE from $mirror (about 30 s)"
    debootstrap --variant=minbase "$SUITE" "$root" "$mirror" >"$CACHE/debootstrap.log" 2>&1 ||
        { say "debootstrap failed, see $CACHE/debootstrap.log"; exit 1; }
    rm -rf "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
           "$root"/var/lib/apt/lists/* "$root"/var/log/*.log \
           "$root"/var/cache/debconf/*-old "$root"/tmp/* 2>/dev/null || true
    mkdir -p "$root/var/lib/apt/lists/partial"
    # A container image needs no manuals or translations; keep the copyright
    # files. The dpkg rule keeps packages installed later just as lean.
    find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* \
           "$root"/usr/share/locale/* "$root"/usr/share/lintian/*
    cat >"$root/etc/dpkg/dpkg.cfg.d/dockerdoom-slim" <<'EOF'
# Slim image: no manuals, info pages or translations (copyright files stay).
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
    cat >"$root/etc/apt/apt.conf.d/dockerdoom-slim" <<'EOF'
// Slim image: keep no downloaded packages and no translated lists.
APT::Keep-Downloaded-Packages "false";
Acquire::Languages "none";
EOF
    # The slim image's apt sources, deb822 style, like Debian's own image.
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    local sec
    sec=$(grep -hE '^URIs:.*-security' /etc/apt/sources.list.d/*.sources 2>/dev/null |
          awk '{print $2}' | head -n1 || true)
    if [[ -n $sec ]]; then
        cat >>"$root/etc/apt/sources.list.d/debian.sources" <<EOF

Types: deb
URIs: $sec
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    fi
    # mktemp -d made the root 0700: packed as is, the image's / would be
    # closed to every non-root user on engines that keep the mode (vfs).
    chmod 0755 "$root"
    tar -C "$root" --numeric-owner -cf "$TARBALL.tmp" .
    mv "$TARBALL.tmp" "$TARBALL"
    rm -rf "$root"
    trap - EXIT
}

# tarball_ok: a cached tarball whose root is mode 0755 (older ones were
# packed with a 0700 root).
tarball_ok() {
    [[ -s $TARBALL ]] &&
        tar -tvf "$TARBALL" 2>/dev/null |
        awk 'NR == 1 { ok = $1 ~ /^drwxr-xr-x/ && $NF == "./" } END { exit !ok }'
}

if [[ ${1:-} == --tarball ]]; then
    tarball_ok || make_tarball
    echo "$TARBALL"
    exit 0
fi
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
    exit 0
fi
if timeout 60 docker pull -q "$IMAGE" >/dev/null 2>&1; then
    say "pulled $IMAGE"
    exit 0
fi
say "$IMAGE is not in the engine and cannot be pulled: making it offline"
if tarball_ok; then
    say "reusing $TARBALL"
else
    make_tarball
fi
docker import --change 'CMD ["bash"]' "$TARBALL" "$IMAGE" >/dev/null
say "imported $IMAGE from $TARBALL"
