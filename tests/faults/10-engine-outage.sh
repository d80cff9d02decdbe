#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The engine goes away while mounted and comes back, as seen through
# stallproxy (its "down" mode closes every connection and the socket, like
# a stopped engine), while the real engine behind it keeps changing:
# the mount stays and stays readable, kill gives EIO at once, and within
# 2 s of the engine's return the listing equals docker ps, including every
# change made meanwhile (created, removed, stopped).
# The real engine going down is 15-engine-crash.sh (and
# tests/integration/40-engine-loss.sh).
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
. "$(dirname "$0")/lib.sh"
dfs_setup
trap 'proxy_stop; dfs_cleanup' EXIT

M=$TESTS_TMP/mnt
proxy_start "$TESTS_TMP/p.sock" || { not_ok "stallproxy starts"; tap_done; }
A=$(run_c --name out-stays)
B=$(run_c --name out-removed)
D=$(run_c --name out-stopped)
SA=${A:0:12}
require "dockerfs mounts through the proxy" dfs_mount "$M" --host "$PROXY_HOST" --timeout 5
before=$(listing "$M")
check_eq "listing equals docker ps" "$(ps_ids)" "$before"

proxy_mode down || { not_ok "engine goes away"; tap_done; }
check "engine unreachable through the proxy" \
    bash -c "! docker -H '$PROXY_HOST' version >/dev/null 2>&1"
check "dockerfs still runs" dfs_alive
check "the mount stays" dfs_mounted "$M"
check_eq "listing readable and unchanged" "$before" "$(listing "$M")"
check_eq "cat name still works" out-stays "$(cat "$M/$SA/name")"
check_eq "lookup by name still works" "$SA" "$(readlink "$M/out-stays")"
t0=$(now_ms)
check_eq "kill while the engine is away: EIO" EIO "$(fsop1 write "$M/$SA/kill" 1)"
el=$(ms_since "$t0")
note "EIO after $el ms"
if [ "$el" -lt 2000 ]; then
    ok "EIO comes at once (no waiting for --timeout)"
else
    not_ok "EIO comes at once (no waiting for --timeout)" "took $el ms"
fi

# Changes dockerfs cannot see: made on the engine directly.
docker rm -f "$B" >/dev/null
docker kill "$D" >/dev/null
C=$(run_c --name out-created)
# Long enough for dockerfs's reconnect backoff to reach its ceiling.
sleep 2
check_eq "still the old listing while away" "$before" "$(listing "$M")"
check_eq "the container is still there after the refused kill" running "$(c_state "$A")"

proxy_mode flow || { not_ok "engine comes back"; tap_done; }
dfs_wait_listing "$M" 2 "engine back: within 2 s the listing equals docker ps"
check "removed while away: gone" unlisted "$M" "${B:0:12}"
check "stopped while away: gone" unlisted "$M" "${D:0:12}"
check "created while away: listed" listed "$M" "${C:0:12}"
check_eq "created while away: its name reads" out-created "$(cat "$M/${C:0:12}/name" 2>&1)"
check "events follow again: a container started now appears within 2 s" \
    wait_until 2 listed "$M" "$(run_c | cut -c1-12)"
check_eq "kill works again" OK "$(fsop1 write "$M/$SA/kill" 1)"
check "and the container left the listing within 2 s" wait_until 2 unlisted "$M" "$SA"

# Away and back in quick succession, with a change each time.
for round in 1 2 3; do
    proxy_mode down
    E=$(run_c)
    sleep 0.3
    proxy_mode flow
    check "round $round: a container started while away appears within 2 s" \
        wait_until 2 listed "$M" "${E:0:12}"
done
dfs_wait_listing "$M" 2 "listing equals docker ps at the end"
check "dockerfs still runs" dfs_alive
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check_san
tap_done
