#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# deps.sh — install the Debian/Ubuntu packages dockerdoom needs.
#
# Usage: container/deps.sh [build|play|check] [--list]
#        container/deps.sh SET... --list | --depends
#   build   compile dockerfs
#   play    build + run the game container (the launcher's and the demo's
#           packages: docker engine, mmdebstrap for the image's root,
#           socat, iproute2, busybox-static) + build the game (cmake,
#           SDL2)                                             (default)
#   check   play + everything `make check` uses (test tools, X/VNC stack,
#           browser, fuzzing, building and linting the Debian packages,
#           the test cluster: etcd, kubectl, Go and rsync to build its
#           apiserver, tests/kube/build.sh)
#   --list  print the package names of the sets and exit (any set of
#           container/packages: image, run, ...)
#   --depends  print the sets as a Debian Depends field ("a | b, c")
#
# The packages are listed in container/packages, the one list (debian/rules
# makes the dockerdoom package's Depends of it too). A fast no-op when
# everything is installed: one dpkg-query, and apt-get update only when
# something is missing. Packages a distribution does not have (e.g.
# libfuzzer-14-dev on a newer release) are skipped with a note when they
# are optional for the set.
set -euo pipefail

LIST=${DOCKERDOOM_PACKAGES:-$(dirname "${BASH_SOURCE[0]}")/packages}
sets=()
mode=install
for a in "$@"; do
    case $a in
        --list) mode=list ;;
        --depends) mode=depends ;;
        -h|--help) sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "deps.sh: unknown option '$a' (--list, --depends)" >&2; exit 2 ;;
        *) sets+=("$a") ;;
    esac
done
[[ ${#sets[@]} -gt 0 ]] || sets=(play)
[[ -r $LIST ]] || { echo "deps.sh: cannot read the package list $LIST" >&2; exit 1; }

# A host set is made of sets of the list.
expand() {
    case $1 in
        play) echo build run game ;;
        check) echo build run game check ;;
        *) echo "$1" ;;
    esac
}
known=" $(awk '!/^#/ && NF {sub(/\?$/, "", $1); print $1}' "$LIST" | sort -u | xargs) "
parts=()
for s in "${sets[@]}"; do
    for p in $(expand "$s"); do
        [[ $known == *" $p "* ]] ||
            { echo "deps.sh: no set '$p' in $LIST (build|play|check, or one of:$known)" >&2; exit 2; }
        parts+=("$p")
    done
done
if [[ $mode == install ]]; then
    case " ${sets[*]} " in
        *" image"*) echo "deps.sh: the image sets go into the game image, not here (--list prints them)" >&2; exit 2 ;;
    esac
fi

# groups SET... prints the lines of the sets, "PACKAGE [| PACKAGE...]", in
# list order, each once; with OPTIONAL=1 those of SET? instead.
groups() {
    awk -v want=" $* " -v opt="${OPTIONAL:-0}" '
        /^#/ || !NF { next }
        { s = $1; o = sub(/\?$/, "", s)
          if (index(want, " " s " ") == 0 || o != opt) next
          $1 = ""; sub(/^ +/, ""); if (!seen[$0]++) print }' "$LIST"
}
mapfile -t need < <(groups "${parts[@]}")
mapfile -t optional < <(OPTIONAL=1 groups "${parts[@]}")

if [[ $mode == depends ]]; then
    printf '%s\n' "${need[@]}" | paste -sd, - | sed 's/,/, /g'
    exit 0
fi

# A docker CLI and engine from elsewhere (docker-ce, a static install) are
# as good as Debian's docker.io, which would conflict with them; Ubuntu
# ships chromium as a snap: any installed chromium will do; any kubectl
# will do for the Kubernetes tests (a newer one from elsewhere would
# conflict with Debian's kubernetes-client).
satisfied_elsewhere() {
    case $1 in
        docker.io*) command -v docker >/dev/null && command -v dockerd >/dev/null ;;
        kubernetes-client*) command -v kubectl >/dev/null ;;
        chromium*) command -v chromium >/dev/null || command -v chromium-browser >/dev/null ;;
        *) return 1 ;;
    esac
}

if [[ $mode == list ]]; then
    for g in "${need[@]}" "${optional[@]}"; do
        satisfied_elsewhere "$g" || echo "${g%% *}"
    done
    exit 0
fi

# missing_from prints the groups of which dpkg has no package installed
# (one dpkg-query for all of them); for a group of alternatives, the first.
missing_from() {
    [[ $# -eq 0 ]] && return 0
    local installed g p ok
    # shellcheck disable=SC2046  # every package name of every group
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' \
                    $(printf '%s\n' "$@" | tr -d '|') 2>/dev/null |
                awk '$2 == "ii" {print $1}' || true)
    for g in "$@"; do
        satisfied_elsewhere "$g" && continue
        ok=0
        for p in ${g//|/ }; do
            grep -qxF "$p" <<<"$installed" && { ok=1; break; }
        done
        [[ $ok -eq 1 ]] || echo "${g%% *}"
    done
}

mapfile -t missing < <(missing_from "${need[@]}")
mapfile -t missing_opt < <(missing_from "${optional[@]}")
set_name=${sets[*]}
# npm comes with NodeSource's nodejs; Debian's nodejs needs the npm package.
if [[ " ${parts[*]} " == *" check "* ]] && ! command -v npm >/dev/null; then
    missing_opt+=(npm)
fi

if [[ ${#missing[@]} -eq 0 && ${#missing_opt[@]} -eq 0 ]]; then
    echo "deps: all packages for '$set_name' are installed"
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "deps: missing packages: ${missing[*]} ${missing_opt[*]}" >&2
    echo "deps: run as root (sudo $0 $set_name) or install them yourself" >&2
    exit 1
fi
command -v apt-get >/dev/null ||
    { echo "deps: no apt-get: install by hand: ${missing[*]} ${missing_opt[*]}" >&2; exit 1; }

export DEBIAN_FRONTEND=noninteractive
# apt's output goes to a log; what it is doing is one line (progress.sh).
# shellcheck source=container/progress.sh
. "$(dirname "${BASH_SOURCE[0]}")/progress.sh"
STEP_SAY="deps: "
log=$(mktemp "${TMPDIR:-/tmp}/dockerdoom-deps.XXXXXX")
echo "deps: installing for '$set_name': ${missing[*]} ${missing_opt[*]} (log: $log)"
step_start update plain "$log" apt-get -o DPkg::Lock::Timeout=900 update
step_wait update || { echo "deps: apt-get update failed (log: $log)" >&2; exit 1; }
for p in "${missing_opt[@]}"; do
    [[ -z $p ]] && continue
    cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
    if [[ -n $cand && $cand != "(none)" ]]; then
        missing+=("$p")
    else
        echo "deps: note: optional package $p is not in the archive; skipped"
    fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
# apt_install PKG...: apt's progress lines (Status-Fd) come on a pipe of
# their own, merged into the output: given the output itself (fd 1), apt
# makes it unusable for the maintainer scripts (docker.io's postinst:
# "Unable to flush stdout: Bad file descriptor").
apt_install() {
    apt-get -o DPkg::Lock::Timeout=900 -o APT::Status-Fd=3 -o Dpkg::Use-Pty=0 \
        install -y -q --no-install-recommends "$@" 3> >(cat)
}
step_start install apt "$log.install" apt_install "${missing[@]}"
step_wait install || { echo "deps: apt-get install failed (log: $log.install)" >&2; exit 1; }
rm -f "$log" "$log.install"
echo "deps: done"
