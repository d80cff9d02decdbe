#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Who may look and who may kill: with
# -o allow_other only root and --uid/--gid may list or read the mount and
# write kill; anyone else gets EACCES, even when root's look has left the
# entries in the kernel's cache. Shown with a non-root user on the host and
# with `docker run --user 1000:1000` on the mount. --owner-only keeps
# labels (and created) from the --uid user.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
. "$(dirname "$0")/../lib/users.sh"
dfs_setup

M=$TESTS_TMP/mnt
users_setup || { not_ok "create user $USER_NAME"; tap_done; }

# The repository may sit where other users cannot reach (/root/...).
UFSOP=$TESTS_TMP/bin/fsop
mkdir -p "$TESTS_TMP/bin"
cp "$FSOP" "$UFSOP"
chmod 0755 "$TESTS_TMP/bin" "$UFSOP"

# fsop as another user, bounded.
fsop_as() {
    local uid=$1 gid=$2
    shift 2
    as "$uid" "$gid" timeout -k 2 "$FS_TIMEOUT" "$UFSOP" "$@" | head -n 1
}
check "fsop can be run by the test user" as "$TU" "$TG" "$UFSOP" read /etc/hostname

A=$(run_c --name target)
SA=${A:0:12}


# --- allow_other, default --uid 0: another user sees nothing, kills nothing
# (labels hold secrets).
dfs_mount "$M" -o allow_other || { not_ok "mounts with -o allow_other"; tap_done; }
check_eq "root: ls works" "$SA" "$(ls "$M")"
# Root first looks everything up, so the user's path walk meets cached
# entries and only open/opendir can still say no.
ls -l "$M/$SA/" >/dev/null; cat "$M/$SA/name" "$M/$SA/labels" >/dev/null
check "user: ls of the root gives EACCES" denied "$TU" "$TG" ls "$M"
check "user: ls of a container directory gives EACCES" denied "$TU" "$TG" ls "$M/$SA"
check "user: cat name gives EACCES (entries cached by root's look)" denied "$TU" "$TG" cat "$M/$SA/name"
check "user: cat labels gives EACCES" denied "$TU" "$TG" cat "$M/$SA/labels"
check "user: lookup by name gives EACCES" denied "$TU" "$TG" readlink -v "$M/target"
check "user: cat through a name gives EACCES" denied "$TU" "$TG" cat "$M/target/name"
check "user: stat of a name gives EACCES" denied "$TU" "$TG" stat "$M/target"
check "user: cd into the mount gives EACCES" denied "$TU" "$TG" bash -c "cd '$M'"
check_eq "user: fsop read of name gives EACCES" EACCES "$(fsop_as "$TU" "$TG" read "$M/$SA/name")"
check_eq "user: kill gives EACCES" EACCES "$(fsop_as "$TU" "$TG" write "$M/$SA/kill" 1)"
check_eq "user: the container still runs" running "$(c_state "$A")"
if as "$TU" "$TG" sh -c "echo 1 > '$M/$SA/kill'" 2>/dev/null; then
    not_ok "user: echo 1 > kill fails in a shell"
else
    ok "user: echo 1 > kill fails in a shell"
fi
check_eq "user: the container still runs" running "$(c_state "$A")"
check_eq "user: mkdir gives EPERM or EACCES" 1 "$(fsop_as "$TU" "$TG" mkdir "$M/x" | grep -cE '^(EPERM|EACCES)$')"
# The root itself answers stat (mount tools need it) and shows who may enter.
check_eq "user: stat of the root works and shows 0500 root:root" "500 0 0" \
    "$(as "$TU" "$TG" stat -c '%a %u %g' "$M")"
check "user: df of the mount works" as "$TU" "$TG" df "$M"
check_eq "root: still reads" target "$(cat "$M/$SA/name")"

# --- in a container as 1000:1000, through a bind mount of the FUSE mount
if [ -x "$FSOP_STATIC" ]; then
    out=$(docker run --rm --network none --user 1000:1000 \
        -v "$M:/dockerfs" -v "$FSOP_STATIC:/fsop:ro" "$TEST_IMAGE" \
        sh -c "id -u; ls /dockerfs >/dev/null 2>&1 || echo no-ls; /fsop read /dockerfs/$SA/name; /fsop write /dockerfs/$SA/kill 1" 2>&1)
    check_eq "docker run --user 1000:1000: no listing, no reading, no kill" \
        "$(printf '1000\nno-ls\nEACCES\nEACCES')" "$out"
    check_eq "docker run --user 1000:1000: the container still runs" running "$(c_state "$A")"
else
    not_ok "static fsop for containers ($FSOP_STATIC)"
fi
dfs_stop TERM
check_san

# --- --uid: that user may kill
dfs_mount "$M" -o allow_other --uid "$TU" || { not_ok "mounts with --uid $TU"; tap_done; }
check_eq "--uid: the user lists the mount" "$SA" "$(as "$TU" "$TG" ls "$M")"
check_eq "--uid: the user reads name" target "$(as "$TU" "$TG" cat "$M/$SA/name")"
check_eq "--uid: the user follows a name" "$SA" "$(as "$TU" "$TG" readlink "$M/target")"
check_eq "--uid: the root shows 0500 owned by the uid" "500 $TU" "$(stat -c '%a %u' "$M")"
check "--uid: another user (1000) may not list" denied 1000 1000 ls "$M"
check "--uid: another user (1000) may not read" denied 1000 1000 cat "$M/$SA/name"
check_eq "--uid: kill is owned by the uid" "$TU" "$(stat -c %u "$M/$SA/kill")"
check_eq "--uid: kill is mode 0200" 200 "$(stat -c %a "$M/$SA/kill")"
B=$(run_c --name target2)
wait_until 2 listed "$M" "${B:0:12}"
check_eq "--uid: another user (1000) gets EACCES" EACCES "$(fsop_as 1000 1000 write "$M/${B:0:12}/kill" 1)"
check_eq "--uid: root may still kill" OK "$(fsop1 write "$M/${B:0:12}/kill" 1)"
check_eq "--uid: root's kill removed it" gone "$(c_state "$B")"
setpriv --reuid="$TU" --regid="$TG" --clear-groups "$UFSOP" write "$M/$SA/kill" 1 >"$TESTS_TMP/u.out" &
upid=$!
wait "$upid"
check_eq "--uid: the user may kill" OK "$(head -n 1 "$TESTS_TMP/u.out")"
check_eq "--uid: the container is removed" gone "$(c_state "$A")"
line=$(grep -F "id=$SA" "$DFS_LOG" | tail -n 1)
check "audit names the user's uid" grep -qF "uid=$TU" <<<"$line"
check "audit names the user's pid" grep -qF "pid=$upid" <<<"$line"
note "audit: $line"
dfs_stop TERM
check_san

# --uid given as a user name; --owner-only: labels and created for root
# and the user dockerfs runs as only (the game's account
# gets what it plays with, not the labels)
C=$(run_c --name target3 --label secret=hunter2)
SC=${C:0:12}
dfs_mount "$M" -o allow_other --uid "$USER_NAME" --owner-only labels,created ||
    { not_ok "mounts with --uid $USER_NAME (a name) --owner-only labels,created"; tap_done; }
check_eq "--uid NAME: kill is owned by the uid" "$TU" "$(stat -c %u "$M/$SC/kill")"
check "--owner-only: root reads labels" grep -qx secret=hunter2 "$M/$SC/labels"
check "--owner-only: the --uid user gets EACCES on labels" denied "$TU" "$TG" cat "$M/$SC/labels"
check_eq "--owner-only: fsop read of labels as the --uid user" EACCES "$(fsop_as "$TU" "$TG" read "$M/$SC/labels")"
check_eq "--owner-only: and of created" EACCES "$(fsop_as "$TU" "$TG" read "$M/$SC/created")"
check "--owner-only: test -r labels is false for the --uid user" as "$TU" "$TG" sh -c "! test -r '$M/$SC/labels'"
check_eq "--owner-only: the --uid user still reads name" target3 "$(as "$TU" "$TG" cat "$M/$SC/name")"
check_eq "--owner-only: and image" "$TEST_IMAGE" "$(as "$TU" "$TG" cat "$M/$SC/image")"
check_eq "--owner-only: labels shows 0400 root, name 0444" "400 0 444" \
    "$(stat -c '%a %u' "$M/$SC/labels") $(stat -c %a "$M/$SC/name")"
check_eq "--owner-only: the --uid user may still kill" OK "$(fsop_as "$TU" "$TG" write "$M/$SC/kill" 1)"
dfs_stop TERM
check_san

# --- --gid: members of the group may kill, others not; --owner-only
# keeps labels from the members as from the --uid user (only the uid
# decides: no member is the user dockerfs runs as)
G=$(run_c --name target4 --label secret=hunter2)
dfs_mount "$M" -o allow_other --gid 4242 --owner-only labels ||
    { not_ok "mounts with --gid 4242 --owner-only labels"; tap_done; }
check_eq "--gid --owner-only: a member gets EACCES on labels" EACCES \
    "$(fsop_as 1000 4242 read "$M/${G:0:12}/labels")"
check "--gid --owner-only: so does a member by a supplementary group" \
    setpriv --reuid=1000 --regid=1000 --groups=4242 \
    sh -c "cat '$M/${G:0:12}/labels' 2>&1 | grep -q 'Permission denied'"
check_eq "--gid --owner-only: a member reads name" target4 "$(as 1000 4242 cat "$M/${G:0:12}/name")"
check "--gid --owner-only: root reads labels" grep -qx secret=hunter2 "$M/${G:0:12}/labels"
check_eq "--gid: kill is mode 0220" 220 "$(stat -c %a "$M/${G:0:12}/kill")"
check "--gid: a member lists the mount" grep -qx "${G:0:12}" <<<"$(as 1000 4242 ls "$M")"
check "--gid: a member of it as a supplementary group lists too" \
    grep -qx "${G:0:12}" <<<"$(setpriv --reuid=1000 --regid=1000 --groups=4242 ls "$M")"
check "--gid: a user outside the group may not list" denied 1000 1000 ls "$M"
check_eq "--gid: the root shows 0550 root:4242" "550 0 4242" "$(stat -c '%a %u %g' "$M")"
check_eq "--gid: kill's group is the gid" 4242 "$(stat -c %g "$M/${G:0:12}/kill")"
check_eq "--gid: a user outside the group gets EACCES" EACCES "$(fsop_as 1000 1000 write "$M/${G:0:12}/kill" 1)"
check_eq "--gid: still running" running "$(c_state "$G")"
check_eq "--gid: a user with that gid may kill" OK "$(fsop_as 1000 4242 write "$M/${G:0:12}/kill" 1)"
check_eq "--gid: removed" gone "$(c_state "$G")"
dfs_stop TERM
check_san
tap_done
