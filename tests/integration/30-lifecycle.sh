#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Start and stop: SIGTERM and SIGINT unmount and exit 0; an unreachable
# engine at start gives one clear line, a non-zero exit and no mount; a
# stale mount left by SIGKILL is cleared at the next start; --help and
# --version.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
dfs_setup

M=$TESTS_TMP/mnt
A=$(run_c --name one)
SA=${A:0:12}

# --- --help, --version
out=$("$DOCKERFS_BIN" --help 2>&1)
check_eq "--help exits 0" 0 $?
# Every long option the parser knows (opts.c's table), not a list kept
# here that a new option would miss.
long_opts=$(sed -n 's/^ *{ "\([a-z-]*\)", .*/--\1/p' "$REPO/fusefs/opts.c")
missing=
for o in $long_opts; do
    grep -qE -- "(^|[ ,])$o( |,|$)" <<<"$out" || missing+=" $o"
done
check "opts.c's table has the options (over 20)" test "$(wc -w <<<"$long_opts")" -gt 20
check_eq "--help mentions every long option of opts.c" "" "${missing# }"
out=$("$DOCKERFS_BIN" --version 2>&1)
check_eq "--version exits 0" 0 $?
check "--version prints a version" grep -qE '[0-9]+\.[0-9]+' <<<"$out"
note "version: $out"

# --- SIGTERM and SIGINT
for sig in TERM INT; do
    if dfs_mount "$M"; then
        ok "mounts (for SIG$sig)"
    else
        not_ok "mounts (for SIG$sig)"
        continue
    fi
    check_eq "lists the container" "$SA" "$(listing "$M")"
    dfs_stop "$sig"
    check_eq "SIG$sig: exit status 0" 0 "$DFS_RC"
    check "SIG$sig: unmounted" dfs_unmounted "$M"
    check_san
done

# --- unreachable engine at start
for how in host env; do
    bad=unix://$TESTS_TMP/no-such-engine.sock
    log=$TESTS_TMP/unreachable.$how.log
    mkdir -p "$M"
    rc=0
    if [ "$how" = host ]; then
        timeout 20 "$DOCKERFS_BIN" "$M" -f --host "$bad" >"$log" 2>&1 || rc=$?
    else
        DOCKER_HOST=$bad timeout 20 "$DOCKERFS_BIN" "$M" -f >"$log" 2>&1 || rc=$?
    fi
    check "unreachable engine ($how): non-zero exit" test "$rc" -ne 0 -a "$rc" -ne 124
    note "exit $rc; output: $(cat "$log")"
    lines=$(grep -cv -e '^[[:space:]]*$' "$log")
    check_eq "unreachable engine ($how): exactly one line of output" 1 "$lines"
    check "unreachable engine ($how): the line names the address" grep -qF "no-such-engine.sock" "$log"
    check "unreachable engine ($how): nothing mounted" dfs_unmounted "$M"
done
# Daemon mode (no -f) must fail the same way, not fork and fail later.
rc=0
timeout 20 "$DOCKERFS_BIN" "$M" --host "unix://$TESTS_TMP/no-such-engine.sock" >"$TESTS_TMP/bg.log" 2>&1 || rc=$?
check "unreachable engine without -f: non-zero exit" test "$rc" -ne 0 -a "$rc" -ne 124
check "unreachable engine without -f: nothing mounted" dfs_unmounted "$M"

# --- a stale mount left by a crash
if dfs_mount "$M"; then
    ok "mounts (for SIGKILL)"
    dfs_stop KILL
    check "SIGKILL: the mount is left behind" dfs_mounted "$M"
    check_eq "SIGKILL: the stale mount gives ENOTCONN" ENOTCONN "$(fsop1 opendir "$M")"
    if dfs_mount "$M"; then
        ok "started again on the stale mount point: it mounts"
        check_eq "and lists the container" "$SA" "$(listing "$M")"
        check_eq "exactly one mount on the mount point" 1 \
            "$(awk -v m="$M" '$5 == m' /proc/self/mountinfo | wc -l)"
        dfs_stop TERM
        check_eq "then SIGTERM: exit 0" 0 "$DFS_RC"
        check "then SIGTERM: unmounted" dfs_unmounted "$M"
        check_san
    else
        not_ok "started again on the stale mount point: it mounts"
    fi
else
    not_ok "mounts (for SIGKILL)"
fi

# --- daemon mode: without -f it detaches, mounted when it returns
rc=0
timeout 20 "$DOCKERFS_BIN" "$M" >"$TESTS_TMP/daemon.log" 2>&1 || rc=$?
check_eq "without -f: returns 0" 0 "$rc"
if wait_until 5 dfs_mounted "$M"; then
    ok "without -f: mounted"
    check_eq "without -f: lists the container" "$SA" "$(listing "$M")"
    dpid=$(pgrep -f -x "$DOCKERFS_BIN $M" | head -n 1)
    if [ -n "$dpid" ]; then
        DFS_PIDS+=("$dpid")
        kill -TERM "$dpid"
        check "without -f: SIGTERM unmounts" wait_until 10 dfs_unmounted "$M"
    else
        not_ok "without -f: the daemon process is found"
        fusermount3 -uz "$M"
    fi
else
    not_ok "without -f: mounted"
fi
tap_done
