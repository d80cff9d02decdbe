#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# build.sh — build kube-apiserver and kube-controller-manager once per
# machine, from Debian 12's source package `kubernetes`, into a cache
# outside the clone; print the directory holding them.
#
# Usage: tests/kube/build.sh [--print-dir] [--help]
#   --print-dir   print the cache directory for this source version and
#                 exit 0 if both binaries are there, 1 if not (no build)
#
# KUBE_CACHE (default /var/cache/dockerdoom/kube) holds one directory per
# source package version: VERSION/bin/{kube-apiserver,kube-controller-manager}.
# A later run finds them and returns at once. The build is offline (Go's
# GOPATH mode over the package's vendored modules, as its debian/rules
# does) and takes tens of minutes on two cores; a line of progress is
# printed at least every 10 s. Needs root for apt (deb-src as
# game/fetch-source.sh adds it, golang-go, rsync, etcd-server).
set -euo pipefail

KUBE_CACHE=${KUBE_CACHE:-/var/cache/dockerdoom/kube}
print_dir=0
for a in "$@"; do
    case $a in
        --print-dir) print_dir=1 ;;
        -h|--help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "kube/build.sh: unknown argument '$a' (--print-dir, --help)" >&2; exit 2 ;;
    esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
export DEBIAN_FRONTEND=noninteractive

# The deb-src stanza (the same one the game's source needs).
ensure_deb_src() {
    if ! grep -qs '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources &&
       ! grep -qs '^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list; then
        "$repo/game/fetch-source.sh" --sources-only
    fi
}

# The source package's version, from apt's index (the cache key).
source_version() {
    apt-cache showsrc kubernetes 2>/dev/null | awk '/^Version:/ {print $2; exit}'
}

version=$(source_version)
if [ -z "$version" ]; then
    if [ "$print_dir" = 1 ]; then exit 1; fi
    ensure_deb_src
    apt-get -o DPkg::Lock::Timeout=900 update -qq
    version=$(source_version)
fi
[ -n "$version" ] || { echo "kube/build.sh: apt has no source package 'kubernetes'" >&2; exit 1; }
dir=$KUBE_CACHE/$version
if [ -x "$dir/bin/kube-apiserver" ] && [ -x "$dir/bin/kube-controller-manager" ]; then
    echo "$dir/bin"
    exit 0
fi
[ "$print_dir" = 1 ] && { echo "$dir/bin"; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "kube/build.sh: run as root (apt-get, the cache in $KUBE_CACHE)" >&2; exit 1; }

# Runs a long command with its output in LOG, printing one line of
# progress every 10 s (the log's last line, cut) until it ends.
with_progress() {
    local what=$1 log=$2 pid t0 rc=0 last
    shift 2
    "$@" >"$log" 2>&1 &
    pid=$!
    t0=$SECONDS
    while kill -0 "$pid" 2>/dev/null; do
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$pid" 2>/dev/null || break
            sleep 1
        done
        kill -0 "$pid" 2>/dev/null || break
        last=$(tail -n 1 "$log" 2>/dev/null | tr -cd '[:print:]' | cut -c1-70)
        echo "kube/build.sh: $what, $((SECONDS - t0)) s: $last" >&2
    done
    wait "$pid" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "kube/build.sh: $what failed (exit $rc); the end of $log:" >&2
        tail -n 30 "$log" >&2
    fi
    return "$rc"
}

mkdir -p "$dir"
work=$dir/work
rm -rf "$work"
mkdir -p "$work"
echo "kube/build.sh: building kube-apiserver and kube-controller-manager $version into $dir (once per machine; tens of minutes)" >&2
ensure_deb_src
with_progress "installing golang-go, rsync, etcd-server" "$dir/apt.log" \
    apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
        golang-go rsync dpkg-dev etcd-server
with_progress "fetching the source package" "$dir/source.log" \
    sh -c "cd '$work' && apt-get source -qq kubernetes"
tree=$(find "$work" -maxdepth 1 -type d -name 'kubernetes-*' | head -n 1)
[ -n "$tree" ] || { echo "kube/build.sh: no kubernetes tree unpacked in $work" >&2; exit 1; }
mkdir -p "$tree/.go/src/k8s.io"
ln -sfn ../../.. "$tree/.go/src/k8s.io/kubernetes"
build() {
    cd "$tree/.go/src/k8s.io/kubernetes"
    GOPATH=$tree/.go GOPROXY=off GO111MODULE=off GOFLAGS='' CGO_ENABLED=0 \
        GOCACHE=$work/gocache KUBE_GIT_VERSION=v1.20.2 \
        make WHAT="cmd/kube-apiserver cmd/kube-controller-manager"
}
with_progress "compiling (go build)" "$dir/build.log" build
mkdir -p "$dir/bin.new"
for b in kube-apiserver kube-controller-manager; do
    f=$(find "$tree/_output" -type f -name "$b" -perm -u+x | head -n 1)
    [ -n "$f" ] || { echo "kube/build.sh: $b was not built (see $dir/build.log)" >&2; exit 1; }
    cp "$f" "$dir/bin.new/$b"
done
rm -rf "${dir:?}/bin"
mv "$dir/bin.new" "$dir/bin"
rm -rf "$work"
echo "kube/build.sh: done: $dir/bin" >&2
echo "$dir/bin"
