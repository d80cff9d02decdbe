#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 06-commands.sh - every program the launcher, the demo and the scripts
# they run call (the image's build, the game's source: tests/helpers/commands
# lists them) comes from a package
# that `container/deps.sh play` installs, or from one of their
# dependencies, or from a package every Debian root has (Essential or
# Priority required: a debootstrap minbase root); every program the game
# container's entrypoint calls comes from the image set of
# container/packages, the Essential packages, or their dependencies (the
# image is built without the rest). Each program is found by the package
# that owns it on this machine (dpkg -S). No engine, a second or two; the
# proof in a real fresh root is fresh-root.sh (make check-fresh).
set -euo pipefail
REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# shellcheck source=tests/lib/tap.sh
. "$REPO/tests/lib/tap.sh"

# Used only where they are there: the launcher asks systemd to start the
# engine when systemd runs (so systemctl exists).
PROBED="systemctl"

# first_alternatives SET... prints the packages of the sets, the first of
# each group of alternatives.
first_alternatives() {
    "$REPO/container/deps.sh" "$@" --depends | tr ',' '\n' | awk '{print $1}' | grep .
}

# closure PKG... prints the packages and everything they depend on
# (Depends and Pre-Depends, recursively).
closure() {
    apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
        --no-breaks --no-replaces --no-enhances "$@" 2>/dev/null |
        awk '/^[^ ]/ { print } /Depends:/ { print $NF }' | tr -d '<>' | sort -u
}

# owners CMD... prints "CMD PACKAGE" for each program, by the package
# owning it in /usr/sbin, /usr/bin, /sbin or /bin, or where its
# symlinks (update-alternatives) lead.
owners() {
    local c path
    local -A where=()
    local -a paths=()
    for c in "$@"; do
        for path in "/usr/sbin/$c" "/usr/bin/$c" "/sbin/$c" "/bin/$c"; do
            paths+=("$path")
        done
        path=$(command -v "$c" || true)
        [[ -n $path ]] && paths+=("$(readlink -f "$path")")
    done
    while IFS= read -r line; do
        [[ $line == diversion* ]] && continue
        where[${line#*: }]=${line%%: *}
    done < <(dpkg-query -S "${paths[@]}" 2>/dev/null || true)
    for c in "$@"; do
        local pkg=
        path=$(command -v "$c" || true)
        for path in "/usr/sbin/$c" "/usr/bin/$c" "/sbin/$c" "/bin/$c" \
                    "$( [[ -n $path ]] && readlink -f "$path")"; do
            [[ -n $path && -n ${where[$path]:-} ]] && { pkg=${where[$path]%%,*}; break; }
        done
        echo "$c ${pkg:-?}"
    done
}

# check_programs WHAT ALLOWED-FILE SCRIPT... : one line per program.
check_programs() {
    local what=$1 allowed=$2 c pkg bad=
    shift 2
    mapfile -t cmds < <("$REPO/tests/helpers/commands" "$@")
    note "$what: ${cmds[*]}"
    [[ ${#cmds[@]} -ge ${MIN_PROGRAMS:-10} ]] ||
        { not_ok "$what: at least ${MIN_PROGRAMS:-10} programs found in the scripts" "${cmds[*]}"; return; }
    while read -r c pkg; do
        [[ " $PROBED " == *" $c "* ]] && continue
        if [[ $pkg == '?' ]]; then
            bad+="$c (no package owns it here); "
        elif ! grep -qxF -- "${pkg%%:*}" "$allowed"; then
            bad+="$c (from $pkg); "
        fi
    done < <(owners "${cmds[@]}")
    check_eq "$what: every program comes from the packages" "" "${bad%; }"
}

T=$(mktemp -d /tmp/ddcmds.XXXXXX)
trap 'rm -rf "$T"' EXIT

# What a minbase root has: Essential and Priority required.
dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' |
    awk '$2 == "yes" || $3 == "required" {print $1}' >"$T/base"
dpkg-query -W -f='${Package} ${Essential}\n' | awk '$2 == "yes" {print $1}' >"$T/essential"
mapfile -t play < <(first_alternatives play)
{ cat "$T/base"; closure "${play[@]}"; } | sort -u >"$T/play"
mapfile -t image < <(first_alternatives image)
mapfile -t essential <"$T/essential"
# The image's root: the Essential packages and the set, with everything
# both depend on (mawk comes in as a dependency of the Essential ones).
closure "${essential[@]}" "${image[@]}" | sort -u >"$T/image"
note "deps.sh play: ${play[*]}"

check_programs "launcher, demo, image build, game source" "$T/play" \
    "$REPO/container/dockerdoom" "$REPO/container/demo" "$REPO/container/image.sh" \
    "$REPO/container/progress.sh" "$REPO/game/fetch-source.sh"
check_programs "the game container's entrypoint" "$T/image" "$REPO/container/entrypoint.sh"

# The check cannot pass by finding nothing: a program from no package of
# the set is named.
printf '#!/bin/bash\nxterm -e true\nss -ltn\n' >"$T/bad.sh"
MIN_PROGRAMS=2 check_programs "a script calling xterm (check set only)" "$T/play" "$T/bad.sh" >"$T/bad.out"
if grep -q '^not ok.*' "$T/bad.out" && grep -q 'xterm (from xterm)' "$T/bad.out" &&
    ! grep -q 'ss (from' "$T/bad.out"; then
    ok "a program from outside the set is named (xterm), one from inside is not (ss)"
else
    not_ok "a program from outside the set is named (xterm), one from inside is not (ss)" "$(cat "$T/bad.out")"
fi
TAP_FAIL=$((TAP_FAIL - $(grep -c '^not ok' "$T/bad.out")))

tap_done
