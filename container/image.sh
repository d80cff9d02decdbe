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
# changed.
#
# Environment: DOCKERDOOM_IMAGE (dockerdoom:latest), IMAGE_CACHE (the
# clone's build/image; installed: /var/lib/dockerdoom/image), GAME_BUILD
# (the clone's build/game; installed: /var/lib/dockerdoom/game).
set -euo pipefail

IMAGE_SH=$(readlink -f "${BASH_SOURCE[0]}")
IMAGE_REPO=$(cd "$(dirname "$IMAGE_SH")/.." && pwd)
IMAGE=${DOCKERDOOM_IMAGE:-dockerdoom:latest}
ROOT_REPO=dockerdoom-root
# A clone has the launcher in container/; the package puts it in /usr/bin.
if [[ -e $IMAGE_REPO/container/dockerdoom ]]; then
    IMAGE_CACHE=${IMAGE_CACHE:-$IMAGE_REPO/build/image}
    GAME_BUILD=${GAME_BUILD:-}
else
    IMAGE_CACHE=${IMAGE_CACHE:-/var/lib/dockerdoom/image}
    GAME_BUILD=${GAME_BUILD:-/var/lib/dockerdoom/game}
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
    # shellcheck disable=SC2046  # one word per package
    (cd "$IMAGE_CACHE/debs" &&
        apt-get download -q $("$IMAGE_REPO/container/deps.sh" image-unpacked --list) \
            >"$IMAGE_CACHE/debs/.early.log" 2>&1; echo $? >"$IMAGE_CACHE/debs/.early.rc") &
    # shellcheck disable=SC2016  # the hooks' $1 is mmdebstrap's (the root)
    IMAGE_SH=$IMAGE_SH IMAGE_CACHE=$IMAGE_CACHE MMDEBSTRAP_INCLUDE_LIST=$include STUB_DIR=$STUB_DIR \
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
#              packages it will install that are in CACHE/debs or
#              /var/cache/apt/archives
#   essential  the image's dpkg rules, before anything but the Essential
#              packages is installed: no manuals or translations
#   customize  the image-unpacked set, the rest of the trimming, the user
#              doom (uid 1000), the directories the entrypoint needs, and
#              the downloaded packages kept in CACHE/debs
root_hook() {
    local stage=$1 root=$2 f p uri file
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
            awk '{print $2}' | while IFS= read -r file; do
                # An if, not [[ ]] &&: a package in neither cache (the
                # last one, in a clean clone) must not fail the hook.
                for f in "$IMAGE_CACHE/debs/$file" "/var/cache/apt/archives/$file"; do
                    if [[ -f $f ]]; then cp "$f" "$root/var/cache/apt/archives/"; break; fi
                done
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
            uri=$(apt-get download --print-uris -qq "$p" | head -n1)
            file=$(awk '{print $2}' <<<"$uri")
            [[ -n $file ]] || { echo "no package $p in the archive" >&2; return 1; }
            if [[ ! -f $IMAGE_CACHE/debs/$file ]]; then
                if [[ -f /var/cache/apt/archives/$file ]]; then
                    cp "/var/cache/apt/archives/$file" "$IMAGE_CACHE/debs/"
                else
                    (cd "$IMAGE_CACHE/debs" && apt-get download -q "$p")
                fi
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

# root_ready: is the root's tarball of today's KEY there?
root_ready() {
    [[ ${IMAGE_REFRESH:-0} != 1 && -s $IMAGE_CACHE/root-$(root_key).tar ]]
}

# root_step: the root as a step (root_tar under a lock, old tarballs
# removed once the new one is there).
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
