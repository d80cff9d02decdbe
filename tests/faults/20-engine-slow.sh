#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A slow engine: dockerfs talks to the engine through stallproxy, which
# stops forwarding anything. Handlers still answer from the table at once,
# also while kills hang on the engine; a kill fails with ETIMEDOUT after
# --timeout; when the engine answers again, dockerfs carries on (events
# held back arrive, kills work) and SIGTERM still exits cleanly while the
# engine stalls.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
. "$(dirname "$0")/lib.sh"
dfs_setup
trap 'proxy_stop; dfs_cleanup' EXIT

TIMEOUT_S=3
M=$TESTS_TMP/mnt
proxy_start "$TESTS_TMP/p.sock" || { not_ok "stallproxy starts"; tap_done; }
A=$(run_c --name slow-a)
B=$(run_c --name slow-b)
SA=${A:0:12}
SB=${B:0:12}
require "dockerfs mounts through the proxy" dfs_mount "$M" --host "$PROXY_HOST" --timeout "$TIMEOUT_S"
check_eq "listing equals docker ps" "$(ps_ids)" "$(listing "$M")"

# Everything a reader does, answered from the table; fails if any step
# fails.
read_all() {
    local d
    ls -A "$M" >/dev/null || return 1
    for d in "$M"/*/; do
        cat "$d/name" "$d/image" "$d/state" "$d/id" "$d/created" "$d/labels" >/dev/null || return 1
        stat "$d/kill" >/dev/null || return 1
    done
    readlink "$M/slow-a" >/dev/null && readlink "$M/$A" >/dev/null
}

require "proxy stalls" proxy_mode stall
t0=$(now_ms)
if timeout 10 bash -c "$(declare -f read_all); M=$M A=$A; read_all"; then
    el=$(ms_since "$t0")
    # An engine round trip would take the whole --timeout (3 s).
    if [ "$el" -lt 1500 ]; then
        ok "stalled engine: listing, cat, stat, readlink answer at once"
    else
        not_ok "stalled engine: listing, cat, stat, readlink answer at once" "took $el ms"
    fi
    note "reads while stalled: $el ms"
else
    not_ok "stalled engine: listing, cat, stat, readlink answer at once" "a read failed"
fi

# Two kills hang on the engine; meanwhile reads still answer at once.
t0=$(now_ms)
fsop1 write "$M/$SA/kill" 1 >"$TESTS_TMP/kill-a" &
ka=$!
fsop1 write "$M/$SB/kill" 1 >"$TESTS_TMP/kill-b" &
kb=$!
sleep 0.5
t1=$(now_ms)
if timeout 10 bash -c "$(declare -f read_all); M=$M A=$A; read_all"; then
    el=$(ms_since "$t1")
    if [ "$el" -lt 1500 ]; then
        ok "reads answer at once while two kills wait on the engine"
    else
        not_ok "reads answer at once while two kills wait on the engine" "took $el ms"
    fi
else
    not_ok "reads answer at once while two kills wait on the engine" "a read failed"
fi
wait "$ka" "$kb"
el=$(ms_since "$t0")
check_eq "kill on a stalled engine: ETIMEDOUT" ETIMEDOUT "$(cat "$TESTS_TMP/kill-a")"
check_eq "a concurrent kill: ETIMEDOUT as well" ETIMEDOUT "$(cat "$TESTS_TMP/kill-b")"
note "both kills returned after $el ms (--timeout $TIMEOUT_S)"
# Not before the configured time, and not much later either.
if [ "$el" -ge $((TIMEOUT_S * 1000 - 200)) ] && [ "$el" -le $((TIMEOUT_S * 1000 + 5000)) ]; then
    ok "ETIMEDOUT comes after --timeout ($TIMEOUT_S s), not before"
else
    not_ok "ETIMEDOUT comes after --timeout ($TIMEOUT_S s), not before" "took $el ms"
fi
check "dockerfs still runs" dfs_alive
check_eq "the listing is unchanged" "$(ps_ids)" "$(listing "$M")"

# A change made while the engine stalls (on the engine directly) shows
# once it answers again; the stalled kills never reached it.
C=$(run_c --name slow-c)
docker rm -f "$B" >/dev/null
check "while stalled the new container is not listed yet" unlisted "$M" "${C:0:12}"
proxy_mode flow || not_ok "proxy flows again"
dfs_wait_listing "$M" 3 "engine answers again: within 3 s the listing equals docker ps"
check "the container made while stalled is listed" listed "$M" "${C:0:12}"
check "the container removed while stalled is gone" unlisted "$M" "$SB"
check_eq "the timed-out kill did not remove its container" running "$(c_state "$A")"
check_eq "kill works again" OK "$(fsop1 write "$M/$SA/kill" 1)"
check_eq "and removed the container" gone "$(c_state "$A")"
check "and it left the listing within 2 s" wait_until 2 unlisted "$M" "$SA"

# Stalled a few times in a row: the events stream is not lost.
for round in 1 2; do
    proxy_mode stall
    sleep 1
    proxy_mode flow
    E=$(run_c)
    check "stall round $round: a new container appears within 2 s" \
        wait_until 2 listed "$M" "${E:0:12}"
done

# SIGTERM while the engine stalls: still a clean, bounded exit.
proxy_mode stall
t0=$(now_ms)
dfs_stop TERM
el=$(ms_since "$t0")
check_eq "SIGTERM while the engine stalls: exit 0" 0 "$DFS_RC"
note "exit took $el ms"
check "and the mount is gone" dfs_unmounted "$M"
check_san

# Started against an engine that stalls: gives up after about --timeout
# with an error, and leaves nothing mounted.
M2=$TESTS_TMP/mnt2
mkdir -p "$M2"
t0=$(now_ms)
rc=0
timeout 30 "$DOCKERFS_BIN" "$M2" -f --host "$PROXY_HOST" --timeout 2 \
    >"$TESTS_TMP/start-stalled.log" 2>&1 || rc=$?
el=$(ms_since "$t0")
note "start against a stalled engine: exit $rc after $el ms: $(head -n 1 "$TESTS_TMP/start-stalled.log")"
if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then
    ok "start against a stalled engine: exits with an error"
else
    not_ok "start against a stalled engine: exits with an error" "exit $rc"
fi
check "and it gave up after about --timeout (2 s), not hung" test "$el" -lt 10000
check "and nothing is mounted" dfs_unmounted "$M2"
proxy_mode flow
check_san "$TESTS_TMP/start-stalled.log"
tap_done
