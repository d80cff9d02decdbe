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
# source package version and recipe (RECIPE below):
# VERSION-rRECIPE/bin/{kube-apiserver,kube-controller-manager}.
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

# Bumped whenever the way of building changes what comes out, so that a
# machine holding binaries of an older recipe builds again. 2: reflect2
# 1.0.2 (below).
RECIPE=2

# Both binaries in DIR/bin?
built() {
    [ -x "$1/bin/kube-apiserver" ] && [ -x "$1/bin/kube-controller-manager" ]
}

version=$(source_version || true)
if [ -z "$version" ]; then
    # No source index (apt's lists are gone, as images often clear them):
    # a build of this recipe in the cache will do, the newest version.
    dir=$(find "$KUBE_CACHE" -mindepth 1 -maxdepth 1 -name "*-r$RECIPE" 2>/dev/null |
          sort -V | tail -n 1)
    if [ -n "$dir" ] && built "$dir"; then
        echo "$dir/bin"
        exit 0
    fi
    if [ "$print_dir" = 1 ]; then exit 1; fi
    ensure_deb_src
    apt-get -o DPkg::Lock::Timeout=900 update -qq
    version=$(source_version || true)
fi
[ -n "$version" ] || { echo "kube/build.sh: apt has no source package 'kubernetes'" >&2; exit 1; }
dir=$KUBE_CACHE/$version-r$RECIPE
if built "$dir"; then
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

build_t0=$SECONDS
mkdir -p "$dir"
work=$dir/work
rm -rf "$work"
mkdir -p "$work"
echo "kube/build.sh: building kube-apiserver and kube-controller-manager $version into $dir (once per machine; tens of minutes)" >&2
ensure_deb_src
with_progress "installing golang-go, rsync, etcd-server, reflect2" "$dir/apt.log" \
    apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
        golang-go rsync dpkg-dev etcd-server golang-github-modern-go-reflect2-dev
with_progress "fetching the source package" "$dir/source.log" \
    sh -c "cd '$work' && apt-get source -qq kubernetes"
tree=$(find "$work" -maxdepth 1 -type d -name 'kubernetes-*' | head -n 1)
[ -n "$tree" ] || { echo "kube/build.sh: no kubernetes tree unpacked in $work" >&2; exit 1; }
# The tree vendors github.com/modern-go/reflect2 1.0.1, which predates Go
# 1.18: its map iteration faults under Debian 12's Go 1.19, and the
# apiserver dies (SIGSEGV in mapiterinit) on the first pretty-printed
# answer holding a map, e.g. a pod with labels asked for by curl (whose
# User-Agent asks for pretty JSON). 1.0.2, the fix, is the same API;
# Debian packages it.
reflect2=$tree/vendor/github.com/modern-go/reflect2
if [ ! -d "$reflect2" ] || [ ! -f /usr/share/gocode/src/github.com/modern-go/reflect2/go_above_118.go ]; then
    echo "kube/build.sh: cannot put reflect2 1.0.2 in place (golang-github-modern-go-reflect2-dev)" >&2
    exit 1
fi
rm -f "$reflect2"/*.go
cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go "$reflect2/"
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
echo "kube/build.sh: done in $((SECONDS - build_t0)) s: $dir/bin" >&2
echo "$dir/bin"
