#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The engine stopped while mounted: the mount stays and stays readable,
# kill gives EIO; the engine back: within 2 s the listing equals docker ps
# again, including what changed while it was down. Runs on an engine of
# its own, so stopping it disturbs no other test.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
dfs_setup

dfs_own_engine

M=$TESTS_TMP/mnt
A=$(run_c --name stays)
B=$(run_c --name dies-while-down)
C=$(run_c --name removed-after)
SA=${A:0:12}
SB=${B:0:12}
BPID=$(docker inspect -f '{{.State.Pid}}' "$B")
require "dockerfs mounts" dfs_mount "$M"
before=$(listing "$M")
check_eq "listing equals docker ps" "$(ps_ids)" "$before"

engine_down
check "engine is down" bash -c "! docker version >/dev/null 2>&1"
check "dockerfs still runs" dfs_alive
check "the mount stays" dfs_mounted "$M"
check_eq "listing still readable and unchanged" "$before" "$(listing "$M")"
check_eq "cat name still works" "stays" "$(cat "$M/$SA/name")"
check_eq "lookup by name still works" "$SA" "$(readlink "$M/stays")"
t0=$(now_ms)
check_eq "kill while the engine is down: EIO" EIO "$(fsop1 write "$M/$SA/kill" 1)"
note "EIO after $(( $(now_ms) - t0 )) ms"

# A change while the engine is down: B's process dies (live-restore kept
# it running without dockerd).
kill -KILL "$BPID" 2>/dev/null
sleep 1
check_eq "a second later, still readable and unchanged (no engine to tell)" \
    "$before" "$(listing "$M")"

require "engine comes back" engine_up
t1=$(now_ms)
docker rm -f "$C" >/dev/null
D=$(run_c --name started-after)
check_eq "B exited while the engine was down" "exited" "$(c_state "$B")"
dfs_wait_listing "$M" 2 "within 2 s the listing equals docker ps again" "$t1"
check "the container that died while down is gone from the listing" unlisted "$M" "$SB"
check "the new container is listed" listed "$M" "${D:0:12}"
check_eq "kill works again" OK "$(fsop1 write "$M/$SA/kill" 1)"
check_eq "and removed the container" gone "$(c_state "$A")"

# Down and up twice more: reconnects are not a one-off.
for round in 2 3; do
    engine_down
    engine_up || { not_ok "engine comes back (round $round)"; break; }
    E=$(run_c)
    check "round $round: a container started after the restart appears within 2 s" \
        wait_until 2 listed "$M" "${E:0:12}"
done
check "dockerfs still runs" dfs_alive
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check_san
tap_done
