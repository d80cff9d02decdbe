#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 10-deb.sh - the Debian packages: `make deb` builds dockerfs and
# dockerdoom at VERSION into build/deb (no -dbgsym), dockerdoom depending on
# container/packages' run, game and deb sets; lintian (its output shown) reports
# no error and no warning. Both then go into a fresh Debian 12 root (the
# base image's debootstrap tarball, container/base-image.sh --tarball, as a
# chroot; packages from the mirror) where: dockerfs --version, man -w, the
# unit passes systemd-analyze verify, is neither enabled nor started, nothing
# is under /usr/local or outside the FHS places the package may use,
# dockerdoom --help works from /, and the package holds every file the
# launcher and the image's build use; the game's system account exists.
# Purging both, after the admin enabled the unit and edited its options and
# dockerdoom wrote its cache and logs, leaves the root's file list exactly
# as before the install (the account stays, as Debian does).
# Needs root (chroot, mount) and the Debian mirror. No engine.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
# shellcheck source=tests/lib/tap.sh
. "$(dirname "$0")/../lib/tap.sh"

REPO=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
OWN_TMP=0
if [ -z "${TESTS_TMP:-}" ]; then
    TESTS_TMP=$(mktemp -d /tmp/dddeb.XXXXXX)
    OWN_TMP=1
fi
ROOT=$TESTS_TMP/root
OUT=$REPO/build/deb
VERSION=$(cat "$REPO/VERSION")

# Packages apt downloaded here, and the minbase tarball, are kept for the
# next run on this machine (tests/lib/debcache.sh).
# shellcheck source=tests/lib/debcache.sh
. "$REPO/tests/lib/debcache.sh"
cleanup() {
    if [ -d "$ROOT/proc" ] && awk -v m="$ROOT/proc" '$5 == m {f = 1} END {exit !f}' /proc/self/mountinfo; then
        umount -l "$ROOT/proc" 2>/dev/null || true
    fi
    if [ -d "$ROOT/var/cache/apt/archives" ]; then
        debcache_save "$ROOT/var/cache/apt/archives"
    fi
    rm -rf "$ROOT"
    [ "$OWN_TMP" = 1 ] && rm -rf "$TESTS_TMP"
}
trap cleanup EXIT

# Runs a command in the root, with a clean environment.
in_root() {
    chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C \
        DEBIAN_FRONTEND=noninteractive "$@"
}

# The root's file list, without what apt and dpkg keep changing on their own
# (caches, index lists) and the pseudo file systems.
snapshot() {
    (cd "$ROOT" && find . -xdev \( -path ./proc -o -path ./dev -o -path ./sys -o -path ./run \
        -o -path ./tmp -o -path ./var/cache -o -path ./var/lib/apt/lists \) -prune -o -print) | sort
}

if [ "$(id -u)" != 0 ]; then
    not_ok "runs as root (chroot, mount)"
    tap_done
fi

# ---------------------------------------------------------------- build

log=$TESTS_TMP/make-deb.log
if make -s -C "$REPO" deb LINTIAN=0 >"$log" 2>&1; then
    ok "make deb"
else
    not_ok "make deb" "$(tail -n 40 "$log")"
    tap_done
fi
FS_DEB=$OUT/dockerfs_${VERSION}_$(dpkg --print-architecture).deb
DD_DEB=$OUT/dockerdoom_${VERSION}_all.deb
check "dockerfs package in build/deb" test -s "$FS_DEB"
check "dockerdoom package in build/deb" test -s "$DD_DEB"
check_eq "the package version is VERSION" "$VERSION $VERSION" \
    "$(dpkg-deb -f "$FS_DEB" Version) $(dpkg-deb -f "$DD_DEB" Version)"
check "make deb left nothing in the repository's parent" \
    bash -c "! ls '$REPO'/../dockerdoom_* '$REPO'/../dockerfs_* 2>/dev/null | grep -q ."
check "no -dev package at run time" \
    bash -c "! dpkg-deb -f '$FS_DEB' Depends | grep -q -- '-dev'"
check_eq "make deb makes the two packages (no -dbgsym)" \
    "dockerdoom_${VERSION}_all.deb dockerfs_${VERSION}_$(dpkg --print-architecture).deb" \
    "$(find "$OUT" -maxdepth 1 -name '*.deb' -printf '%f\n' | sort | xargs)"
# One list: the dockerdoom package depends on what `make play` installs.
check_eq "dockerdoom's Depends: dockerfs and container/packages' run, game and deb sets" \
    "dockerfs (= $VERSION), $("$REPO/container/deps.sh" run game deb --depends)" \
    "$(dpkg-deb -f "$DD_DEB" Depends)"

# The changelog cannot drift from VERSION: make deb and debian/rules both
# stop (make -n: the check is made while reading debian/rules).
check "make deb-version accepts VERSION" make -s -C "$REPO" deb-version
if out=$(make -s -C "$REPO" deb-version VERSION=9.9.9 2>&1); then
    not_ok "make deb refuses a VERSION the changelog does not name"
else
    check "make deb refuses a VERSION the changelog does not name" grep -q 'dch -v 9.9.9' <<<"$out"
fi
check "debian/rules reads with the changelog at VERSION" \
    bash -c "cd '$REPO' && make -n -f debian/rules clean >/dev/null"
if out=$(cd "$REPO" && make -n -f debian/rules UPSTREAM_VERSION=9.9.9 clean 2>&1); then
    not_ok "debian/rules stops when the changelog is not at VERSION"
else
    check "debian/rules stops when the changelog is not at VERSION" grep -q 'VERSION says 9.9.9' <<<"$out"
fi

lint=$TESTS_TMP/lintian.log
changes=$(ls "$OUT"/*.changes)
rc=0
lintian --fail-on error,warning -I "$changes" >"$lint" 2>&1 || rc=$?
note "lintian -I $(basename "$changes"):"
if grep -v '^running with root privileges' "$lint" | grep -q .; then
    note "$(grep -v '^running with root privileges' "$lint")"
else
    note "  (no tags)"
fi
check_eq "lintian: no errors, no warnings" 0 "$rc"

ctl=$TESTS_TMP/ctl
dpkg-deb -e "$FS_DEB" "$ctl"
check "the service is not started on install (no start in postinst)" \
    bash -c "! grep -qE 'deb-systemd-invoke (start|restart)' '$ctl/postinst'"

# ---------------------------------------------------------------- the root

tarball=$("$REPO/container/base-image.sh" --tarball 2>"$TESTS_TMP/base.log")
if [ -s "$tarball" ]; then
    ok "a fresh Debian 12 root (base-image.sh --tarball)"
else
    not_ok "a fresh Debian 12 root (base-image.sh --tarball)" "$(tail -n 20 "$TESTS_TMP/base.log")"
    tap_done
fi
mkdir -p "$ROOT"
tar -C "$ROOT" --numeric-owner -xpf "$tarball"
chmod 0755 "$ROOT"
# The image's dpkg rule drops manuals: a real system keeps them.
rm -f "$ROOT/etc/dpkg/dpkg.cfg.d/dockerdoom-slim"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
# No service starts in a chroot.
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
mount -t proc proc "$ROOT/proc"
# This machine's lists and downloaded packages (same mirror; and those of
# earlier runs, tests/lib/debcache.sh) save time; apt-get update then only
# refreshes them.
cp -a /var/lib/apt/lists/*InRelease /var/lib/apt/lists/*_Packages* "$ROOT/var/lib/apt/lists/" 2>/dev/null
cp -l /var/cache/apt/archives/*.deb "$ROOT/var/cache/apt/archives/" 2>/dev/null || true
debcache_load "$ROOT/var/cache/apt/archives"
# A real system keeps what apt downloads (the tarball's image rule drops it).
rm -f "$ROOT/etc/apt/apt.conf.d/dockerdoom-slim"
in_root chown -R _apt:root /var/lib/apt/lists/partial /var/cache/apt/archives/partial 2>/dev/null

# The packages' dependencies first (plus systemd and man-db, as on a
# full system), so that the file list before our packages is known.
deps="$(dpkg-deb -f "$FS_DEB" Depends), $(dpkg-deb -f "$DD_DEB" Depends |
        sed -E 's/dockerfs \([^)]*\)(, )?//'), systemd, man-db"
t0=$SECONDS
if in_root apt-get update -qq >"$TESTS_TMP/apt.log" 2>&1 &&
   in_root apt-get satisfy -y -q --no-install-recommends "$deps" >>"$TESTS_TMP/apt.log" 2>&1; then
    ok "the dependencies install from the mirror ($((SECONDS - t0)) s)"
else
    not_ok "the dependencies install from the mirror" "$(tail -n 30 "$TESTS_TMP/apt.log")"
    tap_done
fi
snapshot >"$TESTS_TMP/before"

mkdir -p "$ROOT/tmp/debs"
cp "$FS_DEB" "$DD_DEB" "$ROOT/tmp/debs/"
if in_root apt-get install -y -q --no-install-recommends \
        "/tmp/debs/${FS_DEB##*/}" "/tmp/debs/${DD_DEB##*/}" >"$TESTS_TMP/install.log" 2>&1; then
    ok "apt-get install ./dockerfs_…deb ./dockerdoom_…deb"
else
    not_ok "apt-get install ./dockerfs_…deb ./dockerdoom_…deb" "$(tail -n 30 "$TESTS_TMP/install.log")"
    tap_done
fi

check_eq "dockerfs --version" "dockerfs $VERSION" "$(in_root dockerfs --version 2>&1)"
check_eq "man -w dockerfs" /usr/share/man/man1/dockerfs.1.gz "$(in_root man -w dockerfs 2>&1)"
check_eq "man -w dockerdoom" /usr/share/man/man1/dockerdoom.1.gz "$(in_root man -w dockerdoom 2>&1)"

unit=/lib/systemd/system/dockerfs.service
check "the unit is in $unit" test -s "$ROOT$unit"
check "the unit runs /usr/bin/dockerfs" grep -q '^ExecStart=/usr/bin/dockerfs ' "$ROOT$unit"
check "the unit reads /etc/default/dockerfs" grep -qx 'EnvironmentFile=-/etc/default/dockerfs' "$ROOT$unit"
check_eq "/etc/default/dockerfs is a conffile" /etc/default/dockerfs \
    "$(in_root dpkg-query -W -f='${Conffiles}' dockerfs | awk '{print $1}')"
check "the default mount point is under /run" grep -qx 'DOCKERFS_MOUNTPOINT=/run/dockerfs' "$ROOT/etc/default/dockerfs"
if in_root sh -c 'command -v systemd-analyze' >/dev/null; then
    out=$(in_root systemd-analyze verify --man=no dockerfs.service 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
        ok "systemd-analyze verify dockerfs.service: no complaint"
    else
        not_ok "systemd-analyze verify dockerfs.service: no complaint" "exit $rc: $out"
    fi
else
    note "systemd-analyze is not in the root: the unit file was not verified"
fi
check_eq "the unit is not enabled" disabled "$(in_root systemctl is-enabled dockerfs.service 2>&1)"

files=$(in_root dpkg -L dockerfs dockerdoom)
check_eq "dpkg -L: nothing under /usr/local" "" "$(grep '^/usr/local' <<<"$files")"
# /., /usr, /etc, ... are the parents of what follows.
check_eq "dpkg -L: only /usr/bin, /usr/share, the unit, /etc/default, /var/lib/dockerdoom" "" \
    "$(grep -vxE '/\.|/(usr|etc|lib|var|var/lib|usr/share/doc|usr/share/man|usr/share/lintian|lib/systemd)|/usr/bin(/docker(fs|doom))?|/usr/share(/(dockerdoom|doc/docker(fs|doom)|man/man1|lintian/overrides)(/.*)?)?|/lib/systemd/system(/dockerfs\.service)?|/etc/default(/dockerfs)?|/var/lib/dockerdoom' <<<"$files")"

acct=$(in_root getent passwd dockerdoom)
IFS=: read -r _ _ acct_uid _ _ acct_home acct_shell <<<"$acct"
if [[ -n $acct && $acct_uid -lt 1000 && $acct_shell == */nologin && $acct_home == /nonexistent ]]; then
    ok "the game's system account dockerdoom exists (uid $acct_uid, no login, no home)"
else
    not_ok "the game's system account dockerdoom exists (uid < 1000, no login, no home)" "getent: $acct"
fi

help=$(in_root sh -c 'cd / && dockerdoom --help' 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && grep -q '^ *play ' <<<"$help" && grep -q '^ *demo N' <<<"$help"; then
    ok "dockerdoom --help from /"
else
    not_ok "dockerdoom --help from /" "exit $rc: $help"
fi
status=$(in_root sh -c 'cd / && dockerdoom status' 2>&1)
rc=$?
if [ "$rc" -eq 1 ] && grep -q '^engine: *none answers' <<<"$status"; then
    ok "dockerdoom status from / without an engine: says so, exit 1"
else
    not_ok "dockerdoom status from / without an engine: says so, exit 1" "exit $rc: $status"
fi

# Everything the game image's build and the launcher read must be in the
# package: the top Makefile's includes, the launcher's $REPO/... files and
# container/image.sh's $IMAGE_REPO/... files (build/ is a clone's build
# output; container/dockerdoom is how image.sh tells a clone).
SHARE=$ROOT/usr/share/dockerdoom
need=$( {
    awk '$1 == "include" { for (i = 2; i <= NF; i++) print $i }' "$SHARE/Makefile"
    grep -o '\$REPO/[A-Za-z0-9_./-]*' "$ROOT/usr/bin/dockerdoom" | sed 's|^\$REPO/||'
    grep -o '\$IMAGE_REPO/[A-Za-z0-9_./-]*' "$SHARE/container/image.sh" | sed 's|^\$IMAGE_REPO/||'
} | grep -v '^build\(/\|$\)\|^container/dockerdoom$' | sort -u)
missing=""
for f in $need; do
    f=${f%/}
    [ -e "$SHARE/$f" ] || missing="$missing $f"
done
note "files the build and the launcher use: $(tr '\n' ' ' <<<"$need")"
check_eq "the package holds every one of them" "" "${missing# }"
different=""
while IFS= read -r f; do
    cmp -s "$SHARE/$f" "$REPO/$f" || different="$different $f"
done < <(cd "$SHARE" && find . -type f | sed 's|^\./||')
check_eq "they are the repository's files" "" "${different# }"
check "the launcher is the repository's" cmp -s "$ROOT/usr/bin/dockerdoom" "$REPO/container/dockerdoom"

# ---------------------------------------------------------------- purge

# What an administrator and the launcher do: enable the unit, edit its
# options; the image's parts (its root, downloaded packages, the game's
# build) and a dockerd log.
in_root systemctl enable dockerfs.service >/dev/null 2>&1
check "systemctl enable dockerfs (by hand) works" test -L "$ROOT/etc/systemd/system/multi-user.target.wants/dockerfs.service"
echo 'DOCKERFS_OPTS=--dry-run' >>"$ROOT/etc/default/dockerfs"
mkdir -p "$ROOT/var/lib/dockerdoom/image/debs" "$ROOT/var/lib/dockerdoom/game"
echo x >"$ROOT/var/lib/dockerdoom/image/root-0123456789ab.tar"
echo x >"$ROOT/var/lib/dockerdoom/image/debs/freedoom_0.12.1-3_all.deb"
echo x >"$ROOT/var/lib/dockerdoom/game/chocolate-doom"
mkdir -p "$ROOT/var/log/dockerdoom"
echo x >"$ROOT/var/log/dockerdoom/dockerfs.log"
if in_root apt-get purge -y -q dockerdoom dockerfs >"$TESTS_TMP/purge.log" 2>&1; then
    ok "apt-get purge dockerdoom dockerfs"
else
    not_ok "apt-get purge dockerdoom dockerfs" "$(tail -n 20 "$TESTS_TMP/purge.log")"
fi
check_eq "dpkg: neither package is installed or has config files left" "" \
    "$(in_root dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' dockerfs dockerdoom 2>/dev/null |
       grep -v ' un *$')"
snapshot >"$TESTS_TMP/after"
# Debian keeps system accounts on purge: files may still carry the uid.
note "after purge: $(in_root getent passwd dockerdoom || echo 'no dockerdoom account')"
check_eq "purge leaves the file list as before the install" "" \
    "$(diff "$TESTS_TMP/before" "$TESTS_TMP/after" | grep '^[<>]')"

tap_done
