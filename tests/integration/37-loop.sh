#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The request loop (fusefs/serve.c, issue 13): one thread answers every
# request and keeps asking for the next one --spin µs before it sleeps;
# a kill write, which waits on the engine, runs on a worker (defer.c).
# Shown here: once readers stop, the loop sleeps (no CPU to speak of over
# 3 s); two kills that each wait 4 s on the engine (--kill-action stop, a
# container that ignores SIGTERM) run side by side, and meanwhile reads,
# listings and lookups are answered at once; SIGTERM to a sleeping loop
# unmounts at once; --spin 0 and --spin 10000 serve the same; bad --spin
# values are usage errors.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
dfs_setup

M=$TESTS_TMP/loop
A=$(run_c --name loop-a)
SA=${A:0:12}
# PID 1 ignoring TERM: a stop waits the whole grace time the engine is
# given (--timeout 8: t=4), then SIGKILL.
stubborn() {
    docker run -d --network none --name "$1" "$TEST_IMAGE" \
        /bin/sh -c 'trap "" TERM; while :; do sleep 1; done'
}
S1=$(stubborn loop-s1)
S2=$(stubborn loop-s2)

content() { fsop cat "$1" | tail -n +2; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
now_ms() { date +%s%3N; }

require "dockerfs mounts" dfs_mount "$M" --kill-action stop --timeout 8

# --- the loop sleeps once readers stop
for ((i = 0; i < 200; i++)); do
    cat "$M/$SA/name" "$M/$SA/image" >/dev/null
done
sleep 1
t0=$(cpu_ticks "$DFS_PID")
sleep 3
t1=$(cpu_ticks "$DFS_PID")
note "dockerfs CPU over 3 s idle after 400 reads: $((t1 - t0)) ticks"
# The loop's 1 s poll timeout and the events thread may cost a tick; a
# loop that kept spinning would cost 300.
check "idle after reads: at most 3 ticks of CPU in 3 s (got $((t1 - t0)))" \
    test $((t1 - t0)) -le 3

# --- two kills waiting on the engine, and readers meanwhile
start=$(now_ms)
fsop1 write "$M/${S1:0:12}/kill" 1 >"$TESTS_TMP/k1" &
k1=$!
fsop1 write "$M/${S2:0:12}/kill" 1 >"$TESTS_TMP/k2" &
k2=$!
sleep 0.5
check "while two kills wait: a name reads (within 1 s)" \
    eval '[ "$(timeout 1 cat "$M/$SA/name")" = loop-a ]'
check "while two kills wait: the root lists (within 1 s)" timeout 1 ls "$M"
check "while two kills wait: a name resolves (within 1 s)" timeout 1 stat "$M/loop-a"
wait "$k1"
wait "$k2"
took=$(($(now_ms) - start))
check_eq "kill 1 (stop, 4 s grace): OK" OK "$(cat "$TESTS_TMP/k1")"
check_eq "kill 2 (stop, 4 s grace): OK" OK "$(cat "$TESTS_TMP/k2")"
note "two stop kills of 4 s each took $took ms together"
check "the two kills ran side by side (under 7 s together, got $took ms)" \
    test "$took" -lt 7000
check_eq "kill 1 stopped its container" exited "$(c_state "$S1")"
check_eq "kill 2 stopped its container" exited "$(c_state "$S2")"

# --- SIGTERM to a sleeping loop
sleep 2
t=$(now_ms)
dfs_stop TERM
check_eq "SIGTERM while idle: dockerfs exits 0" 0 "$DFS_RC"
note "SIGTERM to exit: $(($(now_ms) - t)) ms"
check "SIGTERM while idle: exit within 2 s" test $(($(now_ms) - t)) -lt 2000
check "SIGTERM while idle: unmounted" dfs_unmounted "$M"
check_san "$DFS_LOG"

# --- --spin 0 and --spin 10000 serve the same
for s in 0 10000; do
    dfs_mount "$M" --spin "$s" || { not_ok "--spin $s mounts"; continue; }
    check_eq "--spin $s: name" loop-a "$(content "$M/$SA/name")"
    check_eq "--spin $s: image" "$TEST_IMAGE" "$(content "$M/$SA/image")"
    check "--spin $s: listed" listed "$M" "$SA"
    dfs_stop TERM
    check_eq "--spin $s: exits 0 on SIGTERM" 0 "$DFS_RC"
    check_san "$DFS_LOG"
done

# --- bad values
for v in -1 10001 1.5 x ""; do
    out=$("$DOCKERFS_BIN" "$M" -f --spin "$v" 2>&1)
    rc=$?
    check_eq "--spin '$v': exit 2" 2 "$rc"
    check "--spin '$v': says why" grep -q -- "--spin" <<<"$out"
done
check "nothing mounted after the usage errors" dfs_unmounted "$M"

docker rm -f "$A" "$S1" "$S2" >/dev/null
tap_done
