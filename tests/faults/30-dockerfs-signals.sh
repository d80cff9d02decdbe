#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# dockerfs itself fails: SIGKILL leaves a stale mount (ENOTCONN), which the
# next dockerfs on the same mount point clears, also while a process still
# sits in the dead mount; SIGTERM and SIGINT unmount cleanly and exit 0,
# also with a reader inside the mount and a kill waiting on the engine.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
. "$(dirname "$0")/lib.sh"
dfs_setup
HOLDER=
trap '[ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null; proxy_stop; dfs_cleanup' EXIT

M=$TESTS_TMP/mnt
A=$(run_c --name sig-a)
SA=${A:0:12}

# --- SIGKILL: a stale mount, cleared by the next start
one_mount() { [ "$(awk -v m="$M" '$5 == m' /proc/self/mountinfo | wc -l)" = 1 ]; }
dfs_mount "$M" || { not_ok "dockerfs mounts"; tap_done; }
check_eq "listing equals docker ps" "$(ps_ids)" "$(listing "$M")"
dfs_stop KILL 2>/dev/null
check "SIGKILL: dockerfs is gone" bash -c "! kill -0 $DFS_PID 2>/dev/null"
check "the mount is left behind (stale)" dfs_mounted "$M"
check_eq "the stale mount answers ENOTCONN" ENOTCONN "$(fsop1 opendir "$M")"
B=$(run_c --name sig-b)
require "dockerfs starts again on the stale mount point" dfs_mount "$M" 2>/dev/null
check "the stale mount was replaced: one FUSE mount on the mount point" one_mount
check_eq "the new mount lists what docker ps shows" "$(ps_ids)" "$(listing "$M")"
check "and it includes the container started meanwhile" listed "$M" "${B:0:12}"

# --- the same with a process still inside the dead mount (a shell's
# working directory, a game's open directory).
hold_in() {
    (cd "$1" && exec sleep 300) >/dev/null 2>&1 &
    HOLDER=$!
    wait_until 5 holder_in "$1"
}
holder_in() { [ "$(readlink "/proc/$HOLDER/cwd")" = "$1" ]; }
if hold_in "$M/$SA"; then ok "a process sits in the mount"; else not_ok "a process sits in the mount"; fi
dfs_stop KILL 2>/dev/null
check_eq "SIGKILL with a process inside: the stale mount answers ENOTCONN" \
    ENOTCONN "$(fsop1 opendir "$M")"
require "dockerfs starts again on a stale mount that is in use" dfs_mount "$M" 2>/dev/null
check "the stale mount in use was replaced, not mounted over" one_mount
check_eq "the new mount lists what docker ps shows" "$(ps_ids)" "$(listing "$M")"
check_eq "cat name works on the new mount" sig-a "$(cat "$M/$SA/name")"
check "the process left in the old mount is still alive" kill -0 "$HOLDER"
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null
HOLDER=
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
if dfs_mounted "$M"; then
    # Left over from the stacked mount above: clear it so the rest runs
    # on a clean mount point.
    not_ok "nothing left mounted after SIGTERM" "$(grep -c " $M " /proc/self/mountinfo) mount(s) left; clearing"
    while dfs_mounted "$M"; do umount -l "$M" || break; done
else
    ok "nothing left mounted after SIGTERM"
fi

# --- SIGTERM with a reader inside the mount
dfs_mount "$M" || { not_ok "dockerfs mounts again"; tap_done; }
if hold_in "$M/$SA"; then ok "a process sits in the mount"; else not_ok "a process sits in the mount"; fi
dfs_stop TERM
check_eq "SIGTERM with a process inside the mount: exit 0" 0 "$DFS_RC"
check "and the mount point is unmounted" dfs_unmounted "$M"
check_san
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null
HOLDER=

# --- SIGINT. A background job of a script starts with SIGINT ignored,
# and libfuse only handles signals left at their default: a wrapper
# restores the default, as a terminal would have it.
REAL_BIN=$DOCKERFS_BIN
DOCKERFS_BIN=$TESTS_TMP/dockerfs-sigdfl
printf '#!/bin/sh\nexec env --default-signal=INT "%s" "$@"\n' "$REAL_BIN" >"$DOCKERFS_BIN"
chmod +x "$DOCKERFS_BIN"
dfs_mount "$M" || { not_ok "dockerfs mounts again"; tap_done; }
DOCKERFS_BIN=$REAL_BIN
dfs_stop INT
check_eq "SIGINT: exit 0" 0 "$DFS_RC"
check "and the mount point is unmounted" dfs_unmounted "$M"
check_san

# --- SIGTERM while a kill waits on a stalled engine
proxy_start "$TESTS_TMP/p.sock" || { not_ok "stallproxy starts"; tap_done; }
dfs_mount "$M" --host "$PROXY_HOST" --timeout 4 || { not_ok "dockerfs mounts through the proxy"; tap_done; }
proxy_mode stall
fsop1 write "$M/$SA/kill" 1 >"$TESTS_TMP/kill" &
kp=$!
sleep 0.5
t0=$(now_ms)
dfs_stop TERM
el=$(ms_since "$t0")
wait "$kp"
check_eq "SIGTERM while a kill waits on the engine: exit 0" 0 "$DFS_RC"
note "exit took $el ms; the pending write got: $(cat "$TESTS_TMP/kill")"
check "and the mount point is unmounted" dfs_unmounted "$M"
proxy_mode flow
check_eq "the container the pending kill named still runs" running "$(c_state "$A")"
check_san

# --- a clean start on the plain directory again
dfs_mount "$M" || { not_ok "dockerfs mounts after all that"; tap_done; }
dfs_wait_listing "$M" 2 "listing equals docker ps"
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check "nothing mounted on the mount point at the end" dfs_unmounted "$M"
tap_done
