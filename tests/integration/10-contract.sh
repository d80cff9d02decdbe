#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The file system contract (DESIGN §1) as a person uses it: ls, cat,
# readlink, echo 1 > kill; containers made and removed with the docker CLI
# appear and disappear.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
dfs_setup

M=$TESTS_TMP/mnt
A=$(run_c --name alpha --label zeta=last --label app=web --label 'note=hello world')
B=$(run_c --name beta)
SA=${A:0:12}
SB=${B:0:12}

require "dockerfs mounts on $M" dfs_mount "$M"

# --- the root lists only the running containers' short ids
check_eq "root lists exactly the short ids of docker ps" "$(ps_ids)" "$(listing "$M")"
check "for d in M/*/ visits each container once" \
    test "$(for d in "$M"/*/; do basename "$d"; done | sort | tr '\n' ' ')" = "$(ps_ids | tr '\n' ' ')"
check_eq "a container directory holds the seven files" \
    "created engine id image kill labels name protected state" "$(ls "$M/$SA" | tr '\n' ' ' | sed 's/ $//')"

# --- files
check_eq "id is the full id" "$A" "$(cat "$M/$SA/id")"
check_eq "name is the name without /" "alpha" "$(cat "$M/$SA/name")"
check_eq "image is the image reference as the engine reports it (docker ps)" \
    "$(docker ps --no-trunc --filter "id=$A" --format '{{.Image}}')" "$(cat "$M/$SA/image")"
check_eq "state is running" "running" "$(cat "$M/$SA/state")"
created=$(date -d "$(docker inspect -f '{{.Created}}' "$A")" +%s)
check_eq "created is the creation time in Unix seconds" "$created" "$(cat "$M/$SA/created")"
check_eq "labels: key=value lines sorted by key" \
    "$(printf 'app=web\nnote=hello world\nzeta=last')" "$(cat "$M/$SA/labels")"
check_eq "labels of a container without labels is empty" "" "$(cat "$M/$SB/labels")"
for f in id name image state created labels; do
    check_eq "$f ends with a newline" "0a" "$(tail -c 1 "$M/$SA/$f" | od -An -tx1 | tr -d ' ')"
done
for f in id name image state created labels; do
    check_eq "$f is mode 0444" "444" "$(stat -c %a "$M/$SA/$f")"
    check_eq "$f reports its real size" "$(cat "$M/$SA/$f" | wc -c)" "$(stat -c %s "$M/$SA/$f")"
done
check_eq "kill is mode 0200" "200" "$(stat -c %a "$M/$SA/kill")"
check_eq "kill is owned by uid 0 by default" "0" "$(stat -c %u "$M/$SA/kill")"
check_eq "the container entry is a directory" "directory" "$(stat -c %F "$M/$SA")"
check_eq "reading kill gives EACCES" "EACCES" "$(fsop1 read "$M/$SA/kill")"

# --- lookups by name, full id and unique prefix: symlinks, never listed
check_eq "name resolves to a symlink to the short id" "$SA" "$(readlink "$M/alpha")"
check_eq "cat M/alpha/name works" "alpha" "$(cat "$M/alpha/name")"
check_eq "full id resolves to a symlink" "$SA" "$(readlink "$M/$A")"
check_eq "a unique 6-char prefix resolves" "$SA" "$(readlink "$M/${A:0:6}")"
check_eq "cat M/<prefix>/name works" "alpha" "$(cat "$M/${A:0:6}/name")"
check_eq "names and prefixes are not listed" "$(ps_ids)" "$(listing "$M")"
check_eq "an unknown name is ENOENT" "ENOENT" "$(fsop1 stat "$M/no-such-container")"
check_eq "a non-matching hex prefix is ENOENT" "ENOENT" \
    "$(fsop1 stat "$M/$(printf '%s' "$SA" | tr '0-9a-f' '1-9a-f0')")"

# --- ambiguous prefix: two containers sharing a first hex digit
declare -A first=()
amb=""
for d in $(ps_ids); do first[${d:0:1}]+="$d "; done
for ((i = 0; i < 24 && ${#amb} == 0; i++)); do
    for k in "${!first[@]}"; do
        set -- ${first[$k]}
        if [ $# -ge 2 ]; then amb="$1 $2"; break; fi
    done
    [ -n "$amb" ] && break
    n=$(run_c)
    first[${n:0:1}]+="${n:0:12} "
done
if [ -n "$amb" ]; then
    set -- $amb
    p=""
    for ((i = 0; i < 12; i++)); do
        [ "${1:i:1}" = "${2:i:1}" ] || break
        p+=${1:i:1}
    done
    wait_until 2 listed "$M" "$2" >/dev/null
    check_eq "an ambiguous prefix ($p: $1, $2) does not resolve (ENOENT)" "ENOENT" "$(fsop1 stat "$M/$p")"
    check "the two containers are still listed" bash -c "ls '$M' | grep -qx '$1' && ls '$M' | grep -qx '$2'"
else
    not_ok "could not make two containers sharing a prefix"
fi

# --- containers created and removed with the CLI appear and disappear
t0=$(now_ms)
C=$(run_c --name gamma)
t1=$(now_ms)
SC=${C:0:12}
if wait_until 2 listed "$M" "$SC"; then
    ok "a container started with docker run appears within 2 s"
    note "create-to-visible latency: $(( $(now_ms) - t1 )) ms after docker run returned ($(( t1 - t0 )) ms for docker run)"
else
    not_ok "a container started with docker run appears within 2 s"
fi
check_eq "the new container resolves by name" "$SC" "$(readlink "$M/gamma")"

t0=$(now_ms)
docker rm -f "$C" >/dev/null
t1=$(now_ms)
if wait_until 2 unlisted "$M" "$SC"; then
    ok "a container removed with docker rm -f disappears within 2 s"
    note "remove-to-gone latency: $(( $(now_ms) - t1 )) ms after docker rm -f returned ($(( t1 - t0 )) ms for docker rm -f)"
else
    not_ok "a container removed with docker rm -f disappears within 2 s"
fi
check_eq "its name no longer resolves" "ENOENT" "$(fsop1 stat "$M/gamma")"
check_eq "its short id is ENOENT" "ENOENT" "$(fsop1 stat "$M/$SC")"

docker stop -t 1 "$SB" >/dev/null
check "a container stopped with docker stop leaves the listing within 2 s (running only)" \
    wait_until 2 unlisted "$M" "$SB"
docker start "$SB" >/dev/null
check "started again, it comes back within 2 s" wait_until 2 listed "$M" "$SB"

docker rename alpha alpha2
check "docker rename: the new name resolves within 2 s" wait_until 2 test -e "$M/alpha2"
check_eq "name file shows the new name" "alpha2" "$(cat "$M/$SA/name")"
check_eq "the old name no longer resolves" "ENOENT" "$(fsop1 stat "$M/alpha")"

# --- kill by hand
before=$(ps_ids | wc -l)
if ( echo 1 >"$M/$SA/kill" ) 2>/dev/null; then
    ok "echo 1 > kill succeeds"
else
    not_ok "echo 1 > kill succeeds"
fi
check_eq "the container is removed when the write returns" "gone" "$(c_state "$A")"
check "and disappears from the listing within 2 s" wait_until 2 unlisted "$M" "$SA"
check_eq "exactly one container less" "$((before - 1))" "$(ps_ids | wc -l)"
check_eq "listing equals docker ps afterwards" "$(ps_ids)" "$(listing "$M")"

if ( echo 1 >"$M/beta/kill" ) 2>/dev/null; then
    ok "echo 1 > M/<name>/kill succeeds"
else
    not_ok "echo 1 > M/<name>/kill succeeds"
fi
check_eq "the container named beta is removed" "gone" "$(c_state "$B")"

check "dockerfs is still running" dfs_alive
dfs_stop TERM
check_eq "SIGTERM: dockerfs exits 0" "0" "$DFS_RC"
check "SIGTERM: the mount is gone" dfs_unmounted "$M"
check_san
tap_done
