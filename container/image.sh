#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# image.sh — build the game image (dockerdoom:latest) from three parts.
#
# Usage: container/image.sh [--refresh] [--root-tar]
#   --refresh   make the root again even when nothing it is made of changed
#               (security updates)
#   --root-tar  the root's tarball only; prints its path (no engine needed)
#
#   root   the runtime root: container/packages' image set installed by
#          mmdebstrap (Essential packages + those, with their Depends) from
#          this machine's own apt sources and release, with the image-stub
#          set stood in for by empty packages (no Mesa/LLVM, no numpy),
#          without manuals, and the image-unpacked set unpacked into it. Kept as
#          CACHE/root-KEY.tar and imported as dockerdoom-root:KEY, KEY a
#          hash of what it is made of (the package sets, this recipe, the
#          apt sources), so it is made again only when one of them changes
#          (or with --refresh: for security updates).
#   game   the patched chocolate-doom and ddaudio (the sound), built here
#          (make game audio): the root is of this machine's release, so the
#          binaries run in it.
#   image  docker build --network none with the Dockerfile, FROM the root,
#          on a context of the two binaries (stripped), the entrypoint and
#          the sound's page maker (container/audio/mkweb.sh and web/): a
#          few seconds, and nothing when unchanged.
#
# root and game run side by side; both say what they are doing (see
# container/progress.sh). The launcher sources this file to build dockerfs
# beside them. Downloaded packages are kept in CACHE/debs (and those of
# /var/cache/apt/archives are used): a new root downloads only what
# changed. A clone also keeps them, and each root it makes, in this
# machine's cache MACHINE (/var/cache/dockerdoom/image: debs/, and
# roots/KEY/ with the tarball's sha256), so that the next clone on this
# machine downloads nothing and takes the root of the same KEY as it is.
# The caches are an optimisation only: a package is used from any of
# them only when its size and hash are those apt's lists give (else it is
# downloaded), a root only when its sha256 matches; a MACHINE that is
# missing or cannot be written is simply not used.
#
# Environment: DOCKERDOOM_IMAGE (dockerdoom:latest), IMAGE_CACHE (the
# clone's build/image; installed: /var/lib/dockerdoom/image), GAME_BUILD
# (the clone's build/game; installed: /var/lib/dockerdoom/game),
# DOCKERDOOM_IMAGE_MACHINE_CACHE (MACHINE; empty: none; installed: none,
# /var/lib/dockerdoom is already the machine's).
set -euo pipefail

IMAGE_SH=$(readlink -f "${BASH_SOURCE[0]}")
IMAGE_REPO=$(cd "$(dirname "$IMAGE_SH")/.." && pwd)
IMAGE=${DOCKERDOOM_IMAGE:-dockerdoom:latest}
ROOT_REPO=dockerdoom-root
# A clone has the launcher in container/; the package puts it in /usr/bin.
if [[ -e $IMAGE_REPO/container/dockerdoom ]]; then
    IMAGE_CACHE=${IMAGE_CACHE:-$IMAGE_REPO/build/image}
    GAME_BUILD=${GAME_BUILD:-}
    IMAGE_MACHINE=${DOCKERDOOM_IMAGE_MACHINE_CACHE-/var/cache/dockerdoom/image}
else
    IMAGE_CACHE=${IMAGE_CACHE:-/var/lib/dockerdoom/image}
    GAME_BUILD=${GAME_BUILD:-/var/lib/dockerdoom/game}
    IMAGE_MACHINE=${DOCKERDOOM_IMAGE_MACHINE_CACHE-}
fi
# shellcheck source=container/progress.sh
. "$IMAGE_REPO/container/progress.sh"
# shellcheck source=container/slim.sh
. "$IMAGE_REPO/container/slim.sh"
STEP_TIMES=${STEP_TIMES:-$IMAGE_CACHE/times}
STEP_TIMED="${STEP_TIMED:-} root"

img_say() { echo "${STEP_SAY}$*"; }
img_die() { echo "${STEP_SAY}$*" >&2; exit 1; }

# apt_lines prints this machine's apt sources of its own release as
# one-line entries ("deb URI SUITE COMPONENTS"): the suites CODENAME and
# CODENAME-*, the components main and universe (Ubuntu's), from deb822
# .sources files and one-line .list files alike. Third-party sources
# (other suites or components) are left out.
apt_lines() {
    # The launcher runs with set -f; the source files are found by globs.
    local - codename f
    local -a deb822=() oneline=()
    set +f
    # shellcheck source=/dev/null
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    [[ -n $codename ]] || return 1
    for f in /etc/apt/sources.list.d/*.sources; do [[ -f $f ]] && deb822+=("$f"); done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do [[ -f $f ]] && oneline+=("$f"); done
    {
        awk -v c="$codename" '
            function flush(   i, j, k, nu, ns, u, su, comps, n, cs) {
                if (types ~ /(^| )deb( |$)/ && enabled != "no") {
                    nu = split(uris, u, " "); ns = split(suites, su, " ")
                    n = split(comp, cs, " "); comps = ""
                    for (k = 1; k <= n; k++) if (cs[k] == "main" || cs[k] == "universe") comps = comps " " cs[k]
                    if (comps != "")
                        for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++)
                            if (su[j] == c || index(su[j], c "-") == 1) print "deb " u[i] " " su[j] comps
                }
                types = uris = suites = comp = enabled = ""
            }
            FNR == 1 || /^[ \t]*$/ { flush() }
            /^[ \t]*$/ || /^#/ { next }
            { key = tolower($1); $1 = "" ; sub(/^ /, "")
              if (key == "types:") types = $0; else if (key == "uris:") uris = $0
              else if (key == "suites:") suites = $0; else if (key == "components:") comp = $0
              else if (key == "enabled:") enabled = tolower($0) }
            END { flush() }' /dev/null "${deb822[@]}"
        awk -v c="$codename" '
            $1 != "deb" { next }
            { i = 2; if ($2 ~ /^\[/) while ($i !~ /\]$/) i++
              if ($2 ~ /^\[/) i++
              uri = $i; suite = $(i + 1); comps = ""
              for (k = i + 2; k <= NF; k++) if ($k == "main" || $k == "universe") comps = comps " " $k
              if (comps != "" && (suite == c || index(suite, c "-") == 1)) print "deb " uri " " suite comps }' \
            /dev/null "${oneline[@]}"
    } | awk '!seen[$0]++'
}

# uris_sha256 reads apt's --print-uris lines ('URI' FILE SIZE [HASH]) and
# prints "FILE SIZE SHA256:HEX" for each, HEX from apt-cache show ("-"
# when apt knows none): --print-uris gives only an MD5Sum, and none for
# an archive whose index has no MD5Sum (Debian's security archive).
uris_sha256() {
    local uri file size name ver i
    local -a files=() sizes=() want=()
    local -A sum=()
    while read -r uri file size _; do
        [[ -n ${file:-} && $uri == \'* ]] || continue
        files+=("$file")
        sizes+=("$size")
        # NAME_VERSION_ARCH.deb, the version's ':' as %3a.
        name=${file%%_*}
        ver=${file#*_}
        ver=${ver%_*}
        want+=("$name=${ver//%3a/:}")
    done
    [[ ${#files[@]} -gt 0 ]] || return 0
    while read -r file size; do
        sum[$file]=$size
    done < <(apt-cache show "${want[@]}" 2>/dev/null | awk '
        /^Package: / { p = $2 }
        /^Version: / { v = $2; gsub(/:/, "%3a", v) }
        /^Architecture: / { a = $2 }
        /^SHA256: / { print p "_" v "_" a ".deb", "SHA256:" $2 }')
    for i in "${!files[@]}"; do
        echo "${files[$i]} ${sizes[$i]} ${sum[${files[$i]}]:--}"
    done
}

# deb_ok FILE SIZE HASH: FILE is SIZE bytes with HASH ("SHA256:hex",
# "MD5Sum:hex"): a whole copy of the package apt would fetch. apt itself
# takes a file of the right name and size in its archives as it is, so a
# damaged copy in a cache would reach dpkg.
deb_ok() {
    local f=$1 size=$2 hash=$3 sum
    [[ -f $f && $(stat -c %s "$f" 2>/dev/null) == "$size" ]] || return 1
    case ${hash%%:*} in
        SHA512) sum=sha512sum ;;
        SHA256) sum=sha256sum ;;
        SHA1) sum=sha1sum ;;
        MD5Sum) sum=md5sum ;;
        *) return 1 ;;
    esac
    [[ $($sum <"$f" | cut -d' ' -f1) == "${hash#*:}" ]]
}

# deb_cached FILE SIZE HASH prints the path of a whole copy (deb_ok) of
# the package file FILE in the caches: CACHE/debs, MACHINE/debs, apt's
# archives. A damaged copy in CACHE/debs or MACHINE/debs is removed.
deb_cached() {
    local d
    for d in "$IMAGE_CACHE/debs" ${IMAGE_MACHINE:+"$IMAGE_MACHINE/debs"} /var/cache/apt/archives; do
        [[ -e $d/$1 ]] || continue
        if deb_ok "$d/$1" "$2" "$3"; then
            echo "$d/$1"
            return 0
        fi
        [[ $d == /var/cache/apt/archives ]] || rm -f "$d/$1" 2>/dev/null || true
    done
    return 1
}

# unpacked_fetch downloads into the current directory the packages of
# the image-unpacked set that no cache has whole.
unpacked_fetch() {
    local p file size hash
    for p in $("$IMAGE_REPO/container/deps.sh" image-unpacked --list); do
        file=
        read -r file size hash < <(apt-get download --print-uris -qq "$p" | head -n1 | uris_sha256) || true
        [[ -n $file ]] || { echo "no package $p in the archive" >&2; return 1; }
        deb_cached "$file" "$size" "$hash" >/dev/null && continue
        rm -f "$file"
        apt-get download -q "$p" || return 1
    done
}

# machine_put FILE DIR: FILE into DIR under its name, appearing whole (a
# hard link, else a copy renamed into place), unless DIR has it already.
# 1 when DIR cannot be written.
machine_put() {
    local f=$1 dir=$2 name=${1##*/}
    [[ -e $dir/$name ]] && return 0
    ln "$f" "$dir/$name" 2>/dev/null && return 0
    [[ -e $dir/$name ]] && return 0
    if cp "$f" "$dir/.$name.$$" 2>/dev/null && mv -f "$dir/.$name.$$" "$dir/$name" 2>/dev/null; then
        return 0
    fi
    rm -f "$dir/.$name.$$" 2>/dev/null || true
    return 1
}

# machine_keep KEY: the packages of CACHE/debs (the root just made of
# them) and the root's tarball into MACHINE, for the other clones of
# this machine; older versions of those packages leave MACHINE/debs, and
# only the three roots used last stay. Never fails: the cache is an
# optimisation.
machine_keep() {
    # The launcher runs with set -f; the packages are found by globs.
    local - key=$1 m=$IMAGE_MACHINE f name old tmp
    set +f
    [[ -n $m ]] && mkdir -p "$m/debs" "$m/roots" 2>/dev/null || return 0
    for f in "$IMAGE_CACHE"/debs/*.deb; do
        [[ -f $f ]] || continue
        name=${f##*/}
        machine_put "$f" "$m/debs" || return 0
        for old in "$m/debs/${name%%_*}"_*.deb; do
            [[ $old == "$m/debs/$name" ]] || rm -f "$old"
        done
    done
    # The tarball and its sum appear together: a directory renamed into
    # place (a build beside this one keeps its own, or this one).
    tmp=$(mktemp -d "$m/roots/.new.XXXXXX" 2>/dev/null) || return 0
    if machine_put "$IMAGE_CACHE/root-$key.tar" "$tmp" &&
        sha256sum <"$tmp/root-$key.tar" | cut -c1-64 >"$tmp/sha256" && chmod 0755 "$tmp"; then
        [[ ${IMAGE_REFRESH:-0} != 1 ]] || rm -rf "$m/roots/$key"
        mv -T "$tmp" "$m/roots/$key" 2>/dev/null || true
    fi
    rm -rf "$tmp"
    # shellcheck disable=SC2012  # names made here: KEY, hex
    ls -td "$m/roots"/*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
    return 0
}

# machine_root KEY links (or copies) MACHINE's root of KEY into CACHE
# when its sha256 is right (a damaged one is removed) and says so.
machine_root() {
    local key=$1 d tar
    [[ -n $IMAGE_MACHINE ]] || return 1
    d=$IMAGE_MACHINE/roots/$key
    tar=$IMAGE_CACHE/root-$key.tar
    [[ -s $d/root-$key.tar && -s $d/sha256 ]] || return 1
    if [[ $(sha256sum <"$d/root-$key.tar" | cut -c1-64) != "$(cat "$d/sha256")" ]]; then
        img_say "root: the one of this machine's cache ($d) is damaged: made anew"
        rm -rf "$d" 2>/dev/null || true
        return 1
    fi
    mkdir -p "$IMAGE_CACHE" || return 1
    ln -f "$d/root-$key.tar" "$tar" 2>/dev/null ||
        { cp "$d/root-$key.tar" "$tar.$$" && mv -f "$tar.$$" "$tar"; } || { rm -f "$tar.$$"; return 1; }
    touch "$d" 2>/dev/null || true
    img_say "root: taken from this machine's cache ($d, made $(date -u -r "$d/sha256" '+%Y-%m-%d %H:%M UTC'); --refresh makes it anew)"
}

# root_key prints the hash naming the root: the package sets, the recipe
# (the functions below that make it) and the apt sources.
root_key() {
    {
        "$IMAGE_REPO/container/deps.sh" image --list
        echo --
        "$IMAGE_REPO/container/deps.sh" image-unpacked --list
        echo --
        "$IMAGE_REPO/container/deps.sh" image-stub --list
        declare -f root_tar root_stubs root_hook slim_rules slim_prune
        apt_lines
        dpkg --print-architecture
    } | sha256sum | cut -c1-12
}

# root_stubs DIR makes DIR/NAME.deb for each package of the image-stub
# set: empty, Architecture all, a version above any of the archive's (what
# depends on it is satisfied, whatever it asks), and prints their paths as
# given (mmdebstrap wants them at the same path here and in the root,
# where the setup hook copies them: apt installs them from inside).
root_stubs() {
    local dir=$1 p
    for p in $("$IMAGE_REPO/container/deps.sh" image-stub --list); do
        mkdir -p "$dir/$p/DEBIAN"
        cat >"$dir/$p/DEBIAN/control" <<EOF
Package: $p
Version: 99:0~dockerdoom
Architecture: all
Multi-Arch: foreign
Maintainer: dockerdoom <team@dockerdoom.invalid>
Description: empty stand-in for $p in the dockerdoom game image
 Installed so that what depends on $p is satisfied; nothing uses it there.
EOF
        dpkg-deb --root-owner-group --build "$dir/$p" "$dir/$p.deb" >/dev/null || return 1
        echo "$dir/$p.deb"
    done
}

# root_tar OUT makes the root's tarball OUT with mmdebstrap.
root_tar() {
    local out=$1 codename include tmp
    local -a lines=()
    command -v mmdebstrap >/dev/null ||
        { echo "mmdebstrap is missing: sudo container/deps.sh play" >&2; return 1; }
    # shellcheck source=/dev/null
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    mapfile -t lines < <(apt_lines)
    [[ ${#lines[@]} -gt 0 ]] ||
        { echo "no apt source of this release ($codename) in /etc/apt" >&2; return 1; }
    # The stand-ins: under /tmp, which the root's customize hook empties.
    STUB_DIR=$(mktemp -d /tmp/dockerdoom-stubs.XXXXXX)
    include=$({ "$IMAGE_REPO/container/deps.sh" image --list
                root_stubs "$STUB_DIR"; } | paste -sd, -)
    # A tmpfs is much faster for the few hundred MB of the root, when it
    # has room.
    tmp=$IMAGE_CACHE
    if [[ $(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 {print $4}') -gt 2000000 ]]; then
        tmp=/dev/shm
    fi
    printf 'apt source: %s\n' "${lines[@]}"
    # The image-unpacked packages (freedoom: 50 MB) download meanwhile,
    # with this machine's apt (same sources); the customize hook waits for
    # them and fetches what this did not.
    mkdir -p "$IMAGE_CACHE/debs"
    rm -f "$IMAGE_CACHE/debs/.early.rc"
    (cd "$IMAGE_CACHE/debs" &&
        unpacked_fetch >"$IMAGE_CACHE/debs/.early.log" 2>&1; echo $? >"$IMAGE_CACHE/debs/.early.rc") &
    # shellcheck disable=SC2016  # the hooks' $1 is mmdebstrap's (the root)
    IMAGE_SH=$IMAGE_SH IMAGE_CACHE=$IMAGE_CACHE DOCKERDOOM_IMAGE_MACHINE_CACHE=$IMAGE_MACHINE \
    MMDEBSTRAP_INCLUDE_LIST=$include STUB_DIR=$STUB_DIR \
    TMPDIR=$tmp mmdebstrap --verbose --variant=essential --include="$include" \
        --setup-hook='"$IMAGE_SH" --hook setup "$1"' \
        --hook-dir=/usr/share/mmdebstrap/hooks/maybe-merged-usr \
        --dpkgopt=force-unsafe-io --skip=essential/unlink,cleanup/tmp,cleanup/run \
        --essential-hook='"$IMAGE_SH" --hook essential "$1"' \
        --customize-hook='"$IMAGE_SH" --hook customize "$1"' \
        "$codename" "$out.tmp.tar" "${lines[@]}" || { rm -rf "$out.tmp.tar" "$STUB_DIR"; return 1; }
    rm -rf "$STUB_DIR"
    mv -f "$out.tmp.tar" "$out"
}

# root_hook STAGE ROOT: mmdebstrap's hooks (run as root on this machine,
# with ROOT the root being made).
#   setup      copies the stand-ins (root_stubs) in, this machine's package
#              lists (apt-get update then only checks them) and the
#              packages it will install that a cache has whole
#              (deb_cached: CACHE/debs, MACHINE/debs, apt's archives)
#   essential  the image's dpkg rules, before anything but the Essential
#              packages is installed: no manuals or translations
#   customize  the image-unpacked set, the rest of the trimming, the user
#              doom (uid 1000), the directories the entrypoint needs, and
#              the downloaded packages kept in CACHE/debs
root_hook() {
    local stage=$1 root=$2 f p file size hash
    export APT_CONFIG=$MMDEBSTRAP_APT_CONFIG
    case $stage in
    setup)
        mkdir -p "$root/var/lib/apt/lists" "$root/var/cache/apt/archives" "$IMAGE_CACHE/debs" \
                 "$root$STUB_DIR"
        cp "$STUB_DIR"/*.deb "$root$STUB_DIR/"
        cp /var/lib/apt/lists/*_InRelease /var/lib/apt/lists/*_Packages* \
            "$root/var/lib/apt/lists/" 2>/dev/null || true
        # Without lists yet (a first run), apt knows nothing: no packages
        # from the caches then, only downloads.
        # shellcheck disable=SC2086  # the include list, comma-separated
        { apt-get install -qq --print-uris '?essential' ${MMDEBSTRAP_INCLUDE_LIST//,/ } 2>/dev/null || true; } |
            uris_sha256 | while read -r file size hash; do
                # An if, not &&: a package in no cache (the last one, in
                # a clean clone) must not fail the hook.
                if f=$(deb_cached "$file" "$size" "$hash"); then
                    # Gone meanwhile (another build's cleanup)? Downloaded then.
                    cp "$f" "$root/var/cache/apt/archives/" 2>/dev/null || true
                fi
            done
        echo "cached packages used: $(find "$root/var/cache/apt/archives" -name '*.deb' | wc -l)"
        ;;
    essential)
        slim_rules "$root"
        ;;
    customize)
        for _ in $(seq 600); do
            [[ -f $IMAGE_CACHE/debs/.early.rc ]] && break
            sleep 0.1
        done
        for p in $("$IMAGE_REPO/container/deps.sh" image-unpacked --list); do
            file=
            read -r file size hash < <(apt-get download --print-uris -qq "$p" | head -n1 | uris_sha256) || true
            [[ -n $file ]] || { echo "no package $p in the archive" >&2; return 1; }
            if ! { f=$(deb_cached "$file" "$size" "$hash") &&
                   { [[ $f == "$IMAGE_CACHE/debs/$file" ]] || cp "$f" "$IMAGE_CACHE/debs/"; }; }; then
                rm -f "$IMAGE_CACHE/debs/$file"
                (cd "$IMAGE_CACHE/debs" && apt-get download -q "$p")
                deb_ok "$IMAGE_CACHE/debs/$file" "$size" "$hash" ||
                    { echo "$file: downloaded, but not the size and hash apt lists" >&2; return 1; }
            fi
            dpkg-deb -x "$IMAGE_CACHE/debs/$file" "$root"
            echo "unpacked $file"
        done
        # Installed before the rules above, or unpacked without dpkg.
        slim_prune "$root"
        rm -rf "$root"/var/log/* "$root"/var/cache/debconf/*-old "$root"/run/*
        # /tmp but mmdebstrap's own files (it still reads them, then
        # removes them).
        find "$root/tmp" -mindepth 1 -maxdepth 1 ! -name 'mmdebstrap.*' -exec rm -rf {} +
        useradd --root "$root" --uid 1000 --user-group --create-home --shell /bin/bash doom
        install -d -m 1777 "$root/tmp/.X11-unix"
        install -d -m 0755 "$root/run/dockerdoom"
        test -f "$root/usr/share/games/doom/freedoom1.wad"
        test -f "$root/usr/share/games/doom/freedoom2.wad"
        test -f "$root/usr/share/novnc/vnc.html"
        # Keep what was downloaded; forget what this root no longer uses.
        for f in "$root"/var/cache/apt/archives/*.deb; do
            [[ -f $IMAGE_CACHE/debs/${f##*/} ]] || cp "$f" "$IMAGE_CACHE/debs/"
        done
        for f in "$IMAGE_CACHE"/debs/*.deb; do
            [[ -f $root/var/cache/apt/archives/${f##*/} ]] && continue
            for p in $("$IMAGE_REPO/container/deps.sh" image-unpacked --list); do
                [[ ${f##*/} == "${p}_"* ]] && continue 2
            done
            rm -f "$f"
        done
        # No apt in the image: its lists and caches would be dead weight.
        rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/*
        ;;
    esac
}

# root_image makes sure the engine has dockerdoom-root:KEY (from the
# cached tarball, made first when missing) and prints its name.
root_image() {
    local key tar name
    key=$(root_key)
    name=$ROOT_REPO:$key
    tar=$IMAGE_CACHE/root-$key.tar
    if docker image inspect "$name" >/dev/null 2>&1; then
        echo "$name"
        return 0
    fi
    [[ -s $tar ]] || img_die "the root $tar is missing"
    # Seconds for a few hundred MB: said, so the wait is not silent.
    img_say "importing the root into the engine: docker import $(du -m "$tar" | cut -f1) MB as $name" >&2
    docker import "$tar" "$name" >/dev/null || img_die "docker import $tar failed"
    docker tag "$name" "$ROOT_REPO:latest"
    echo "$name"
}

# root_ready: is the root's tarball of today's KEY there (in CACHE, or
# taken from MACHINE's)?
root_ready() {
    local key
    [[ ${IMAGE_REFRESH:-0} != 1 ]] || return 1
    key=$(root_key)
    [[ -s $IMAGE_CACHE/root-$key.tar ]] || machine_root "$key"
}

# root_step: the root as a step (root_tar under a lock, old tarballs
# removed once the new one is there, the new one and its packages kept
# in MACHINE).
root_step() {
    local key
    key=$(root_key)
    exec 9>"$IMAGE_CACHE/.root.lock"
    flock 9
    if [[ ${IMAGE_REFRESH:-0} != 1 && -s $IMAGE_CACHE/root-$key.tar ]]; then
        echo "made meanwhile by another build"
        return 0
    fi
    root_tar "$IMAGE_CACHE/root-$key.tar" || return 1
    find "$IMAGE_CACHE" -maxdepth 1 -name 'root-*.tar' ! -name "root-$key.tar" -delete
    machine_keep "$key"
}

# game_make builds the game and ddaudio (make game audio) into GAME_BUILD
# (the game in it, ddaudio in GAME_BUILD/audio), or the clone's build/.
game_make() {
    make -C "$IMAGE_REPO" --no-print-directory -j"$(nproc)" game audio \
        ${GAME_BUILD:+GAME_B=$GAME_BUILD B=$GAME_BUILD}
}

# game_binary prints the path of the game binary game_make makes;
# audio_binary that of ddaudio.
game_binary() {
    echo "${GAME_BUILD:-$IMAGE_REPO/build/game}/chocolate-doom"
}
audio_binary() {
    echo "${GAME_BUILD:-$IMAGE_REPO/build}/audio/ddaudio"
}

# image_steps_start starts the root (when its tarball is not there yet)
# and the game as steps, their names in IMAGE_STEPS.
IMAGE_STEPS=()
image_steps_start() {
    mkdir -p "$IMAGE_CACHE/logs"
    IMAGE_STEPS=()
    if ! root_ready; then
        step_start root boot "$IMAGE_CACHE/logs/root.log" root_step
        IMAGE_STEPS+=(root)
    fi
    step_start game make "$IMAGE_CACHE/logs/game.log" game_make
    IMAGE_STEPS+=(game)
}

# image_assemble: docker build of the Dockerfile FROM the root, with the
# game and the entrypoint; says whether the image changed.
image_assemble() {
    local root ctx before after
    root=$(root_image)
    ctx=$IMAGE_CACHE/context
    rm -rf "$ctx"
    mkdir -p "$ctx"
    cp "$IMAGE_REPO/Dockerfile" "$ctx/Dockerfile"
    strip -o "$ctx/chocolate-doom" "$(game_binary)"
    strip -o "$ctx/ddaudio" "$(audio_binary)"
    cp "$IMAGE_REPO/container/entrypoint.sh" "$ctx/entrypoint.sh"
    mkdir -p "$ctx/audio-web"
    cp "$IMAGE_REPO/container/audio/mkweb.sh" "$ctx/audio-web/"
    cp -r "$IMAGE_REPO/container/audio/web" "$ctx/audio-web/web"
    chmod 0755 "$ctx/chocolate-doom" "$ctx/ddaudio" "$ctx/entrypoint.sh" "$ctx/audio-web/mkweb.sh"
    before=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
    step_start image build "$IMAGE_CACHE/logs/image.log" \
        docker build --network none --build-arg "ROOT=$root" -t "$IMAGE" "$ctx"
    step_wait image || img_die "docker build of $IMAGE failed (log: $IMAGE_CACHE/logs/image.log)"
    after=$(docker image inspect -f '{{.Id}}' "$IMAGE")
    if [[ $before == "$after" ]]; then
        img_say "image $IMAGE is up to date (${after#sha256:} on $root)"
    else
        img_say "image $IMAGE built: $(docker image inspect -f '{{.Size}}' "$IMAGE" |
                 awk '{printf "%d MB", $1 / 1e6}'), on $root"
    fi
}

image_main() {
    local root_only=0
    [[ ${1:-} == --hook ]] && { shift; root_hook "$@"; return; }
    while [[ $# -gt 0 ]]; do
        case $1 in
            --refresh) export IMAGE_REFRESH=1 ;;
            --root-tar) root_only=1 ;;
            -h|--help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; return ;;
            *) echo "image.sh: unknown argument '$1' (--refresh, --root-tar)" >&2; return 2 ;;
        esac
        shift
    done
    [[ $(id -u) -eq 0 ]] || img_die "building the image needs root (mmdebstrap, docker)"
    if [[ $root_only -eq 1 ]]; then
        mkdir -p "$IMAGE_CACHE/logs"
        if ! root_ready; then
            step_start root boot "$IMAGE_CACHE/logs/root.log" root_step
            step_wait root >&2 || img_die "making the root failed"
        fi
        echo "$IMAGE_CACHE/root-$(root_key).tar"
        return
    fi
    image_steps_start
    step_wait "${IMAGE_STEPS[@]}" || img_die "building the image failed"
    image_assemble
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    image_main "$@"
fi
