#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# base-image.sh — a fresh Debian minbase root, as a tarball.
#
# Usage: container/base-image.sh --tarball [--cache DIR]
#
# Prints the path of the tarball of `debootstrap --variant=minbase
# bookworm` from this machine's apt mirror, without apt's caches and lists,
# made once and kept in the cache directory (default build/base). The tests
# unpack it as a fresh Debian 12 root: tests/package/10-deb.sh installs the
# packages there, tests/container/fresh-root.sh runs `make play` there.
# (The game image is not made from it: container/image.sh.) debootstrap's
# progress is one line (container/progress.sh), its output in
# CACHE/debootstrap.log.
set -euo pipefail

SUITE=bookworm
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${BASE_IMAGE_CACHE:-$(dirname "$here")/build/base}
tarball=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --tarball) tarball=1 ;;
        --cache) CACHE=$2; shift ;;
        *) echo "base-image.sh: unknown argument '$1' (--tarball, --cache DIR)" >&2; exit 2 ;;
    esac
    shift
done
[[ $tarball == 1 ]] || { echo "usage: container/base-image.sh --tarball [--cache DIR]" >&2; exit 2; }
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
    say "debootstrap --variant=minbase $SUITE from $mirror (log: $CACHE/debootstrap.log)"
    # shellcheck source=container/progress.sh
    . "$here/progress.sh"
    # shellcheck source=container/slim.sh
    . "$here/slim.sh"
    STEP_SAY="base-image: " STEP_TIMES=$CACHE/times STEP_TIMED=debootstrap
    step_start debootstrap boot "$CACHE/debootstrap.log" \
        debootstrap --variant=minbase "$SUITE" "$root" "$mirror"
    step_wait debootstrap >&2 || { say "debootstrap failed, see $CACHE/debootstrap.log"; exit 1; }
    rm -rf "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
           "$root"/var/lib/apt/lists/* "$root"/var/log/*.log \
           "$root"/var/cache/debconf/*-old "$root"/tmp/* 2>/dev/null || true
    mkdir -p "$root/var/lib/apt/lists/partial"
    # A container image needs no manuals or translations; the dpkg rules
    # keep packages installed later just as lean.
    slim_prune "$root"
    slim_rules "$root"
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
    # Under a name of its own, then renamed: two runs making it at once
    # (clones sharing a cache) each leave a whole tarball.
    local tmp
    tmp=$(mktemp "$TARBALL.XXXXXX")
    tar -C "$root" --numeric-owner -cf "$tmp" .
    chmod 0644 "$tmp"
    mv -f "$tmp" "$TARBALL"
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

tarball_ok || make_tarball
echo "$TARBALL"
