#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --fast-read (issue 13): the kernel opens files by itself and checks
# access by the modes dockerfs shows, so reading name and image costs no
# round trip to the daemon. Shown here: no OPEN, RELEASE or FLUSH request
# reaches dockerfs after the first; contents, sizes and changes stay exact;
# kill works, bad input is EINVAL and protection EPERM (both audited); a
# write of nothing kills nothing; with allow_other a stranger gets EACCES
# from the kernel for listing, reading and kill, and keeps no container
# from harm; the --uid user reads and kills; root cannot empty a data file.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
. "$(dirname "$0")/../lib/users.sh"
dfs_setup

M=$TESTS_TMP/fast
A=$(run_c --name fast-a)
SA=${A:0:12}
P=$(run_c --name fast-p --label dockerfs.protect=true)
SP=${P:0:12}
V=$(run_c --name fast-v)
SV=${V:0:12}

# -d: libfuse logs every request it gets, so the test can count the opens.
require "dockerfs --fast-read mounts" dfs_mount "$M" --fast-read -d
check "the mount has default_permissions" grep -qE " $M fuse.dockerfs [^ ]*default_permissions" /proc/mounts

content() { fsop cat "$1" | tail -n +2; }
size_true() { [ "$(stat -c %s "$1")" = "$(content "$1" | wc -c)" ]; }
name_is() { [ "$(content "$M/$1/name")" = "$2" ]; }
requests() { grep -c "opcode: $1 " "$DFS_LOG"; }

check_eq "name reads" "fast-a" "$(content "$M/$SA/name")"
check "name's size is true" size_true "$M/$SA/name"
check "image's size is true" size_true "$M/$SA/image"
opens=$(requests OPEN)
for i in 1 2 3 4 5; do
    cat "$M/$SA/name" "$M/$SA/image" "$M/$SA/state" "$M/$SV/name" >/dev/null
done
check "20 more reads sent no OPEN to dockerfs (was $opens, at most 1 ever)" \
    test "$(requests OPEN)" = "$opens" -a "$opens" -le 1
check "no RELEASE reached dockerfs" test "$(requests RELEASE)" = 0
check "at most one FLUSH ever reached dockerfs" test "$(requests FLUSH)" -le 1

# A cached name is replaced at once: the page cache is dropped by the
# events thread even though no open ever reaches dockerfs.
cat "$M/$SA/name" >/dev/null
docker rename fast-a fast-a-renamed
check "rename: the cached name shows the new one" wait_until 2 name_is "$SA" fast-a-renamed
check "rename: the size is the new one" size_true "$M/$SA/name"

check_eq "2 > kill is EINVAL" EINVAL "$(fsop1 write "$M/$SA/kill" 2)"
check_eq "yes > kill is EINVAL" EINVAL "$(fsop1 write "$M/$SA/kill" yes)"
alive() { docker inspect "$1" >/dev/null 2>&1; }
check "the container is still there after bad input" alive "$A"
check_eq "a write of nothing is accepted by the kernel (documented)" OK "$(fsop1 write "$M/$SA/kill" --empty)"
check "a write of nothing kills nothing" alive "$A"
check_eq "protected: 1 > kill is EPERM" EPERM "$(fsop1 write "$M/$SP/kill" 1)"
check "the protected container is alive" test "$(docker inspect -f '{{.State.Running}}' "$P")" = true
check "the refusal is audited" grep -qE "id=$SP .*result=EPERM" "$DFS_LOG"
check "root cannot empty a data file (EPERM at the truncate)" \
    test "$(fsop1 truncate "$M/$SA/name" 0)" = EPERM
check_eq "the name is intact after the truncate" fast-a-renamed "$(content "$M/$SA/name")"
check "echo 1 > kill (shell redirection, O_TRUNC) removes the container" \
    bash -c "echo 1 > '$M/$SV/kill'"
check "the killed container is gone from the engine" wait_until 5 bash -c "! docker inspect '$V' >/dev/null 2>&1"
check "the kill is audited" grep -qE "id=$SV name=fast-v .*result=ok" "$DFS_LOG"
check "its directory left the mount" wait_until 2 bash -c "! test -e '$M/$SV'"
check "still no RELEASE reached dockerfs" test "$(requests RELEASE)" = 0
dfs_stop
check_eq "dockerfs exits 0 on SIGTERM" 0 "$DFS_RC"
check_san

# ---- allow_other: the kernel refuses strangers by the modes shown
users_setup || { not_ok "create user $USER_NAME"; tap_done; }

O=$TESTS_TMP/fast-other
B=$(run_c --name fast-b)
SB=${B:0:12}
C=$(run_c --name fast-c)
SC=${C:0:12}
dfs_mount "$O" --fast-read -o allow_other --uid "$TU" ||
    { not_ok "dockerfs --fast-read -o allow_other mounts"; tap_done; }
# Root's look fills the kernel's caches first: they must not let a
# stranger in either.
cat "$O/$SB/name" "$O/$SB/image" >/dev/null
check "a stranger cannot list the mount" denied "$SU" "$SU" ls "$O"
check "a stranger cannot read a cached name" denied "$SU" "$SU" cat "$O/$SB/name"
check "a stranger cannot write kill" denied "$SU" "$SU" bash -c "echo 1 > '$O/$SB/kill'"
check "the stranger's attempt left the container alive" \
    test "$(docker inspect -f '{{.State.Running}}' "$B")" = true
check_eq "the --uid user reads the name" fast-b "$(as "$TU" "$TG" cat "$O/$SB/name")"
check "the --uid user cannot read kill (mode 0200; root can, and reads nothing)" \
    denied "$TU" "$TG" cat "$O/$SB/kill"
check "the --uid user kills" as "$TU" "$TG" bash -c "echo 1 > '$O/$SC/kill'"
check "the --uid user's kill removed the container" wait_until 5 bash -c "! docker inspect '$C' >/dev/null 2>&1"
check "the --uid user's kill is audited with its uid" grep -qE "id=$SC .*uid=$TU .*result=ok" "$DFS_LOG"
dfs_stop
check_san
tap_done
