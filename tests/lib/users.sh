# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# users.sh - another local user for the permission tests. Source after
# tests/lib/dockerfs.sh.
#
#   users_setup           creates the system user dockerdoomtest if needed;
#                         sets TU, TG (its uid and gid) and SU, a uid no
#                         account has (a stranger)
#   as UID GID CMD...     runs CMD as UID:GID with no supplementary groups
#   denied UID GID CMD... CMD, run so, answered "Permission denied"

USER_NAME=dockerdoomtest

users_setup() {
    if ! id -u "$USER_NAME" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$USER_NAME" ||
            return 1
    fi
    TU=$(id -u "$USER_NAME")
    TG=$(id -g "$USER_NAME")
    SU=$((TU + 1))
    while getent passwd "$SU" >/dev/null; do SU=$((SU + 1)); done
    note "test user $USER_NAME uid=$TU gid=$TG; stranger uid $SU"
}

as() {
    local uid=$1 gid=$2
    shift 2
    setpriv --reuid="$uid" --regid="$gid" --clear-groups "$@"
}

# ls, cat, readlink, stat and cd all say "Permission denied" on EACCES.
denied() {
    local out
    out=$(as "$@" 2>&1 </dev/null)
    case $out in *"Permission denied"*) return 0 ;; esac
    note "not denied: $*: $out"
    return 1
}
