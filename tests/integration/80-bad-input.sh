#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input against the kill file and the paths of the
# mount: each gets its documented errno, no container is removed except by
# a valid `1`, and the daemon stays up.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
dfs_setup

M=$TESTS_TMP/mnt
V=$(run_c --name victim)
SV=${V:0:12}
require "dockerfs mounts" dfs_mount "$M"

# Bad data: EINVAL and the container still runs.
rejects() {
    local desc=$1
    shift
    check_eq "kill <- $desc: EINVAL" EINVAL "$(fsop1 write "$M/$SV/kill" "$@")"
    check_eq "kill <- $desc: still running" running "$(c_state "$V")"
}
rejects "'01'" 01
rejects "'-1'" -- -1
rejects "'2'" 2
rejects "'yes'" yes
rejects "'11'" 11
rejects "'1 1'" "1 1"
rejects "'1' NUL" --hex 3100
rejects "NUL '1'" --hex 0031
rejects "a single NUL" --hex 00
rejects "'1' then NUL newline" --hex 31000a
rejects "1 MiB" --size 1048576
rejects "1 MiB in one write of '1' and spaces" --file <(printf '1'; head -c 1048575 /dev/zero | tr '\0' ' ')
rejects "empty write" --empty
rejects "'2' in 1-byte pieces" --hex 320a --pieces 1
rejects "'0x1'" 0x1
rejects "non-ASCII" "$(printf '\xc2\xb9')"
check "the daemon is still up after the bad writes" dfs_alive

# Valid variants: each removes one container.
valid() {
    local desc=$1 c
    shift
    c=$(run_c)
    wait_until 2 listed "$M" "${c:0:12}" >/dev/null
    check_eq "kill <- $desc: OK" OK "$(fsop1 write "$M/${c:0:12}/kill" "$@")"
    check_eq "kill <- $desc: removed" gone "$(c_state "$c")"
}
valid "'1' without newline" 1
valid "'1\\n'" --hex 310a
valid "'1\\r\\n' (CRLF)" --hex 310d0a
valid "' 1 '" " 1 "
valid "'\\t1\\n'" --hex 09310a
valid "'1\\n' in 1-byte pieces" --hex 310a --pieces 1
valid "'1\\n' with O_TRUNC" --hex 310a --trunc
check_eq "the victim survived all of it" running "$(c_state "$V")"

# --- two concurrent writers on the same kill
C=$(run_c --name contested)
SC=${C:0:12}
wait_until 2 listed "$M" "$SC" >/dev/null
wpids=()
for i in 1 2; do
    fsop write "$M/$SC/kill" 1 --delay-ms 500 >"$TESTS_TMP/w$i.out" &
    wpids+=($!)
done
wait "${wpids[@]}"
r1=$(head -n 1 "$TESTS_TMP/w1.out")
r2=$(head -n 1 "$TESTS_TMP/w2.out")
note "concurrent writers: $r1, $r2"
res=$(printf '%s\n%s\n' "$r1" "$r2" | sort | tr '\n' ' ')
case $res in
    "EBUSY OK "|"ENOENT OK ") ok "two concurrent writers: one OK, the other ENOENT or EBUSY" ;;
    *) not_ok "two concurrent writers: one OK, the other ENOENT or EBUSY" "got: $res" ;;
esac
check_eq "two concurrent writers: the container is gone" gone "$(c_state "$C")"
check_eq "the victim still runs" running "$(c_state "$V")"

# --- a write to a container removed a moment before
R=$(run_c --name removed-first)
SR=${R:0:12}
wait_until 2 listed "$M" "$SR" >/dev/null
docker rm -f "$R" >/dev/null
check_eq "write right after docker rm -f: ENOENT" ENOENT "$(fsop1 write "$M/$SR/kill" 1)"
# The listings below are compared with each other: let the removal reach
# the mount first (an engine under load sends its event late).
wait_until 10 unlisted "$M" "$SR" >/dev/null

# --- paths
check_eq "M/<id>/../<id>/name reads" victim "$(cat "$M/$SV/../$SV/name")"
check_eq "ls M/<id>/.. is the root" "$(listing "$M")" "$(ls -A "$M/$SV/.." | sort)"
check_eq "'...' does not exist" ENOENT "$(fsop1 stat "$M/...")"
check_eq "M/<id>/../../ leaves the mount, not a container" OK "$(fsop1 stat "$M/$SV/../..")"
check_eq "a file name under a file: ENOTDIR" ENOTDIR "$(fsop1 stat "$M/$SV/name/x")"
check_eq "an unknown file in a container dir: ENOENT" ENOENT "$(fsop1 stat "$M/$SV/nosuchfile")"
long255=$(printf 'a%.0s' $(seq 255))
long300=$(printf 'b%.0s' $(seq 300))
res=$(fsop1 stat "$M/$long255")
check "a 255-char name: ENOENT or ENAMETOOLONG" test "$res" = ENOENT -o "$res" = ENAMETOOLONG
res=$(fsop1 stat "$M/$long300")
check "a 300-char name: ENOENT or ENAMETOOLONG" test "$res" = ENOENT -o "$res" = ENAMETOOLONG
long2000=$(printf 'c%.0s' $(seq 2000))
res=$(fsop1 stat "$M/$long2000")
check "a 2000-char name: ENOENT or ENAMETOOLONG" test "$res" = ENOENT -o "$res" = ENAMETOOLONG
note "long names: 300 -> $(fsop1 stat "$M/$long300"), 2000 -> $res"
res=$(fsop1 stat "$M/$SV/$long255")
check "a 255-char file name in a container dir: ENOENT or ENAMETOOLONG" test "$res" = ENOENT -o "$res" = ENAMETOOLONG
res=$(fsop1 stat "$M/${V}0")
check_eq "a 65-hex id: ENOENT" ENOENT "$res"
res=$(fsop1 write "$M/$long255/kill" 1)
check "kill under a 255-char name: ENOENT or ENAMETOOLONG" test "$res" = ENOENT -o "$res" = ENAMETOOLONG
check_eq "a name with spaces: ENOENT" ENOENT "$(fsop1 stat "$M/no such name")"
check_eq "a non-ASCII name: ENOENT" ENOENT "$(fsop1 stat "$M/ünïcødé✓")"
check_eq "a name with a newline: ENOENT" ENOENT "$(fsop1 stat "$M/$(printf 'a\nb')")"

# --- labels with spaces and non-ASCII
L=$(run_c --name labelled --label 'note=hello   world' --label 'ünï=çödé ✓' \
    --label 'empty=' --label 'eq=a=b' --label 'quote=say "hi"')
SL=${L:0:12}
wait_until 2 listed "$M" "$SL" >/dev/null
want=$(printf '%s\n' 'empty=' 'eq=a=b' 'note=hello   world' 'quote=say "hi"' 'ünï=çödé ✓' | LC_ALL=C sort)
check_eq "labels with spaces, '=', quotes and non-ASCII, sorted by key" "$want" "$(cat "$M/$SL/labels")"
check_eq "labels size matches its content" "$(cat "$M/$SL/labels" | wc -c)" "$(stat -c %s "$M/$SL/labels")"

check "the daemon is still up" dfs_alive
check_eq "listing equals docker ps" "$(ps_ids)" "$(listing "$M")"
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check_san
tap_done
