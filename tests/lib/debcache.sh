# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# debcache.sh - what the tests that make a fresh Debian root download,
# kept for the next run on this machine, by every clone (as the cluster's
# binaries are, in /var/cache/dockerdoom/kube): a clean clone's make check
# then downloads the packages and debootstraps the minbase root once per
# machine, not once per run. Used by tests/package/10-deb.sh and
# tests/container/fresh-root.sh.
#
#   DEBCACHE              the directory (DOCKERDOOM_TEST_CACHE, default
#                         /var/cache/dockerdoom/test)
#   BASE_IMAGE_CACHE      exported: container/base-image.sh keeps the
#                         minbase tarball in DEBCACHE/base
#   debcache_load DIR     links (or copies) the kept .debs into DIR (a
#                         root's /var/cache/apt/archives)
#   debcache_save DIR     keeps the .debs of DIR not kept yet; each file
#                         appears whole (copied under a temporary name,
#                         then renamed), so a run beside this one never
#                         takes half a file

DEBCACHE=${DOCKERDOOM_TEST_CACHE:-/var/cache/dockerdoom/test}
export BASE_IMAGE_CACHE=${BASE_IMAGE_CACHE:-$DEBCACHE/base}

debcache_load() {
    local dir=$1
    [[ -d $DEBCACHE/debs ]] || return 0
    find "$DEBCACHE/debs" -maxdepth 1 -name '*.deb' -exec cp -l -n -t "$dir/" {} + 2>/dev/null ||
        find "$DEBCACHE/debs" -maxdepth 1 -name '*.deb' -exec cp -n -t "$dir/" {} + 2>/dev/null || true
}

debcache_save() {
    local dir=$1 f name
    mkdir -p "$DEBCACHE/debs" || return 0
    for f in "$dir"/*.deb; do
        [[ -f $f ]] || continue
        name=${f##*/}
        [[ -e $DEBCACHE/debs/$name ]] && continue
        cp "$f" "$DEBCACHE/debs/.$name.$$" && mv -f "$DEBCACHE/debs/.$name.$$" "$DEBCACHE/debs/$name"
    done
    return 0
}
