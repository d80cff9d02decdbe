#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every row of the errno table that needs no special option, and the
# promise that creating, removing or renaming anything gives EPERM:
# `rm -rf` on the mount never removes a container.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
dfs_setup

M=$TESTS_TMP/mnt
A=$(run_c --name victim)
K=$(run_c --name keeper)
SA=${A:0:12}
SK=${K:0:12}
require "dockerfs mounts" dfs_mount "$M"

# Writes DATA-spec to A's kill; expects ERRNO and A still running.
bad_write() {
    local desc=$1 want=$2
    shift 2
    check_eq "kill <- $desc: $want" "$want" "$(fsop1 write "$M/$SA/kill" "$@")"
    check_eq "kill <- $desc: the container still runs" "running" "$(c_state "$A")"
}
bad_write "'2'" EINVAL 2
bad_write "'yes'" EINVAL yes
bad_write "empty write" EINVAL --empty
bad_write "64 KiB of garbage" EINVAL --size 65536
bad_write "'0'" EINVAL 0
bad_write "'2\\n' via O_TRUNC" EINVAL --hex 320a --trunc
# The same through the shell, as a person would type it.
if ( echo 2 >"$M/$SA/kill" ) 2>/dev/null; then
    not_ok "shell: echo 2 > kill fails"
else
    ok "shell: echo 2 > kill fails"
fi
check_eq "shell: the container still runs" "running" "$(c_state "$A")"
check_eq "reading kill: EACCES" "EACCES" "$(fsop1 read "$M/$SA/kill")"

# --- creating, removing, renaming: EPERM, nothing removed
check_eq "mkdir in the root: EPERM" EPERM "$(fsop1 mkdir "$M/newdir")"
check_eq "mkdir in a container dir: EPERM" EPERM "$(fsop1 mkdir "$M/$SA/newdir")"
check_eq "create a file in the root: EPERM" EPERM "$(fsop1 create "$M/newfile")"
check_eq "create a file in a container dir: EPERM" EPERM "$(fsop1 create "$M/$SA/newfile")"
check_eq "mknod in a container dir: EPERM" EPERM "$(fsop1 mknod "$M/$SA/node")"
check_eq "unlink name: EPERM" EPERM "$(fsop1 unlink "$M/$SA/name")"
check_eq "unlink kill: EPERM" EPERM "$(fsop1 unlink "$M/$SA/kill")"
check_eq "rmdir a container dir: EPERM" EPERM "$(fsop1 rmdir "$M/$SA")"
check_eq "unlink a name symlink: EPERM" EPERM "$(fsop1 unlink "$M/victim")"
check_eq "rename a container dir: EPERM" EPERM "$(fsop1 rename "$M/$SA" "$M/renamed")"
check_eq "rename a file: EPERM" EPERM "$(fsop1 rename "$M/$SA/name" "$M/$SA/name2")"
check_eq "rename a file across containers: EPERM" EPERM "$(fsop1 rename "$M/$SA/name" "$M/$SK/name")"
check_eq "symlink in the root: EPERM" EPERM "$(fsop1 symlink "$SA" "$M/mylink")"
check_eq "symlink in a container dir: EPERM" EPERM "$(fsop1 symlink x "$M/$SA/mylink")"
res=$(fsop1 link "$M/$SA/name" "$M/$SA/hard")
check "hard link: refused (EPERM)" test "$res" = EPERM
note "link -> $res"
check_eq "after all that, both containers run" "running running" "$(c_state "$A") $(c_state "$K")"

before=$(listing "$M")
rm -rf "${M:?}"/* "${M:?}/$SA" >/dev/null 2>&1
check "rm -rf M/* fails" test $? -ne 0
check_eq "rm -rf: both containers still run" "running running" "$(c_state "$A") $(c_state "$K")"
check_eq "rm -rf: the listing is unchanged" "$before" "$(listing "$M")"
check_eq "rm -rf: the files are all there" "created engine id image kill labels name protected state" \
    "$(ls "$M/$SA" | tr '\n' ' ' | sed 's/ $//')"
rm -rf "${M:?}" >/dev/null 2>&1
check_eq "rm -rf M itself: both containers still run" "running running" "$(c_state "$A") $(c_state "$K")"
check "rm -rf M: still mounted" dfs_mounted "$M"
mv "$M/$SA" "$M/moved" >/dev/null 2>&1
check "mv a container dir fails" test $? -ne 0
mv "$M/$SA" "$TESTS_TMP/" >/dev/null 2>&1
check_eq "mv a container dir out of the mount: container still runs" "running" "$(c_state "$A")"
rmdir "$M/$SA" >/dev/null 2>&1
check "rmdir a container dir fails" test $? -ne 0
check_eq "listing unchanged after mv, rmdir" "$before" "$(listing "$M")"

# --- writing any other file is refused and changes nothing
for f in id name image state created labels; do
    res=$(fsop1 write "$M/$SA/$f" 1)
    check "write to $f is refused" test "$res" != OK
    note "write $f -> $res"
done
check_eq "name is unchanged" "victim" "$(cat "$M/$SA/name")"
check_eq "still running after writes to the other files" "running" "$(c_state "$A")"

# --- a removed container: ENOENT
docker rm -f "$K" >/dev/null
wait_until 2 unlisted "$M" "$SK"
check_eq "kill of a removed container (by path): ENOENT" ENOENT "$(fsop1 write "$M/$SK/kill" 1)"
check_eq "kill of a removed container (by name): ENOENT" ENOENT "$(fsop1 write "$M/keeper/kill" 1)"
# Open first, then the container goes, then the write.
fsop write "$M/$SA/kill" 1 --delay-ms 1500 >"$TESTS_TMP/late.out" &
w=$!
sleep 0.3
docker rm -f "$A" >/dev/null
wait "$w"
check_eq "kill opened before docker rm -f, written after: ENOENT" ENOENT "$(head -n 1 "$TESTS_TMP/late.out")"

check "dockerfs is still running" dfs_alive
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check_san
tap_done
