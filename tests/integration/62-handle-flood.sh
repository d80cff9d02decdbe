#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 62-handle-flood.sh - root dockerfs's memory stays bounded whatever the
# game's account opens. From inside a container with
# the game's limits (--memory 512m, --cap-drop ALL, no-new-privileges, no
# network, the --uid user), tests/helpers/tools/dirflood holds open
# handles of the mount's root and reads each, around a change that drops
# the kernel's cached listing (so every handle's next read reaches
# dockerfs). Checked: 2500 handles asked, LISTING_HANDLES_MAX (1024)
# opened, the rest EMFILE; every handle reads on after the change; the
# daemon's resident memory grows by less than FLOOD_BOUND_KB; and the
# handles of one caller hold at most LISTING_SNAPSHOTS_MAX (8) different
# listings (the 9th generation held: ENOMEM), root still lists; and of
# 2500 kill files opened (nothing written), KILLFILE_HANDLES_MAX (1024)
# are held, the rest EMFILE.
#
# Why FLOOD_N (200) containers are enough: before, each handle kept its
# own copy, 24 bytes a container; with the 1024 handles that open, that
# is 1024 x 24 bytes x 200 = 4.8 MB (at 20000 containers, 480 MB), over
# the bound at any count above ~40; now the handles share one copy per
# generation, and at most 8 copies can be held: 8 x 24 bytes x N (38 kB
# at 200, 3.8 MB at 20000) plus 1024 handles of 64 bytes, whatever the
# handles. The bound is that at 200 plus room for the allocator's own
# noise (+24 kB measured), well below the copies' 4.8 MB (+4.9 MB
# measured with sharing taken out of listing.c and the 8-copy cap
# lifted); it does not grow with the handles, which is what this shows.
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
. "$(dirname "$0")/../lib/users.sh"
dfs_setup
users_setup || { not_ok "create user $USER_NAME"; tap_done; }

N=${FLOOD_N:-200}
HANDLES=2500
BOUND_KB=${FLOOD_BOUND_KB:-1024}
M=$TESTS_TMP/mnt
SOCK=${DOCKER_HOST#unix://}
# The figure measured is the product's: the build without sanitizers
# (ASan keeps freed memory in quarantine).
PLAIN=${FLOOD_DOCKERFS:-$REPO/build/dockerfs}
[ -x "$PLAIN" ] || { not_ok "plain build $PLAIN (make)"; tap_done; }

mkdir -p "$TESTS_TMP/bin"
chmod 0755 "$TESTS_TMP/bin"
FLOOD=$TESTS_TMP/bin/dirflood
cc -std=gnu11 -O2 -static -o "$FLOOD" "$REPO/tests/helpers/tools/dirflood.c" ||
    { not_ok "build a static dirflood"; tap_done; }

# N containers, created (never started) through the API: curl costs a
# fraction of the docker CLI.
t0=$(now_ms)
create_one() {
    curl -sf --unix-socket "$SOCK" -H 'Content-Type: application/json' \
        -d "{\"Image\":\"$TEST_IMAGE\",\"HostConfig\":{\"NetworkMode\":\"none\"}}" \
        "http://engine/containers/create?name=$1" >/dev/null
}
export -f create_one
export SOCK TEST_IMAGE
seq -f "flood%.0f" "$N" | xargs -P 4 -I{} bash -c 'create_one {}'
have=$(docker ps -aq | wc -l)
check_eq "$N containers created" "$N" "$have"
note "created $have containers in $(( $(now_ms) - t0 )) ms"

DOCKERFS_BIN=$PLAIN dfs_mount "$M" -o allow_other --uid "$TU" --gid "$TG" --all ||
    { not_ok "mounts"; tap_done; }
check_eq "the mount lists them" "$N" "$(listing "$M" | wc -l)"

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$DFS_PID/status"; }

# flood_start NAME: dirflood in a container with the game's limits, on
# the mount, commands through a coprocess.
flood_start() {
    coproc FL { docker run -i --rm --name "$1-$$" --network none \
        --memory 512m --cap-drop ALL --security-opt no-new-privileges \
        --user "$TU:$TG" --ulimit nofile=8192:8192 \
        -v "$M:/dockerfs" -v "$FLOOD:/dirflood:ro" \
        --entrypoint /dirflood "$TEST_IMAGE" /dockerfs 2>&1; }
}
# flood CMD: sends CMD, prints the answer (or TIMEOUT).
flood() {
    local line
    echo "$1" >&"${FL[1]}"
    if read -r -t 120 line <&"${FL[0]}"; then echo "$line"; else echo TIMEOUT; fi
}
flood_stop() {
    { echo quit >&"${FL[1]}"; } 2>/dev/null || true
    wait "$FL_PID" 2>/dev/null || true
}

# change: one container more, waited for by the root's mtime, which
# dockerfs moves when it drops the kernel's cached listing (a listing by
# root would fill that cache again, and the handles' reads would never
# reach dockerfs).
NEXT=0
root_mtime() { stat -c %y "$M"; }
mtime_moved() { [ "$(root_mtime)" != "$1" ]; }
change() {
    local m0
    m0=$(root_mtime)
    NEXT=$((NEXT + 1))
    create_one "flood-extra$NEXT"
    wait_until 10 mtime_moved "$m0"
}

# --- The flood: every handle open and read, a change, every handle read on.
listing "$M" >/dev/null
rss0=$(rss_kb)
flood_start flood
got=$(flood "open $HANDLES")
check_eq "$HANDLES root handles asked: $((1024)) opened, the rest EMFILE" \
    "opened 1024 of $HANDLES EMFILE" "$got"
change
got=$(flood read)
n_open=$(awk '{print $4}' <<<"$got")
check_eq "after a change every open handle reads on" "read $n_open of $n_open OK" "$got"
rss1=$(rss_kb)
grow=$((rss1 - rss0))
note "dockerfs RSS: $rss0 kB before, $rss1 kB with $n_open handles read after a change ($grow kB more; bound $BOUND_KB kB)"
if [ "$grow" -lt "$BOUND_KB" ]; then
    ok "dockerfs's memory grows by $grow kB < $BOUND_KB kB with $n_open handles of $N containers"
else
    not_ok "dockerfs's memory grows by less than $BOUND_KB kB" "$rss0 -> $rss1 kB"
fi
check "root lists all the same" test "$(listing "$M" | wc -l)" -gt "$N"
flood_stop

# --- Kill files held open (nothing written: nothing is killed).
flood_start killfiles
victim=$(listing "$M" | head -n 1)
got=$(flood "openw $HANDLES /dockerfs/$victim/kill")
check_eq "$HANDLES kill files opened: 1024 held, the rest EMFILE" \
    "openedw 1024 of $HANDLES EMFILE" "$got"
check "root opens one all the same" bash -c "exec 3>'$M/$victim/kill'"
flood_stop
check "nothing was killed" listed "$M" "$victim"
check "dockerfs still runs" dfs_alive

# --- Generations: one caller's handles hold at most 8 different listings.
flood_start gens
res=()
for _ in 1 2 3 4 5 6 7 8 9; do
    change
    res+=("$(flood "open 1")")
done
check_eq "8 handles, each first read after a change: each its own listing" \
    "$(printf 'opened 1 of 1 OK %.0s' 1 2 3 4 5 6 7 8)" "$(printf '%s ' "${res[@]:0:8}")"
check_eq "a 9th listing held by the same caller: ENOMEM" "opened 0 of 1 ENOMEM" "${res[8]}"
check_eq "root lists all the same (and the flood container)" $((N + NEXT + 1)) "$(listing "$M" | wc -l)"
flood_stop
check_eq "once they are closed, the caller lists again (its container too)" $((N + NEXT + 1)) \
    "$(docker run --rm --network none --user "$TU:$TG" -v "$M:/dockerfs" \
        "$TEST_IMAGE" sh -c 'ls /dockerfs | wc -l' 2>&1)"
check "dockerfs still runs" dfs_alive
note "rss at the end: $(rss_kb) kB"
dfs_stop TERM
check_eq "dockerfs exits 0" 0 "$DFS_RC"
tap_done
