#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Load: 8 concurrent shell readers (ls, then cat the name of every entry)
# while churners create and remove 300 containers over about 60 s (some
# removals through the mount's kill files). Afterwards the listing equals
# docker ps exactly, the readers saw no error but ENOENT races, dockerfs
# still runs, exits 0 on SIGTERM and its sanitizer build reports no leak
# (LeakSanitizer runs at exit).
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
. "$(dirname "$0")/lib.sh"
dfs_setup
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}

READERS=${LOAD_READERS:-8}
TOTAL=${LOAD_CONTAINERS:-300}
SECONDS_WANTED=${LOAD_SECONDS:-60}
WORKERS=6
KEEP=4                      # containers each churner keeps alive
M=$TESTS_TMP/mnt
STOP=$TESTS_TMP/stop
PIDS=()
stop_all() {
    touch "$STOP"
    for p in "${PIDS[@]}"; do
        wait "$p" 2>/dev/null
    done
    PIDS=()
}
trap 'stop_all; dfs_cleanup' EXIT

case $DOCKERFS_BIN in
    *build-san*) ;;
    *) note "DOCKERFS_BIN is not the sanitizer build: the leak check only sees crashes" ;;
esac
require "dockerfs mounts" dfs_mount "$M"
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$DFS_PID/status"; }
rss0=$(rss_kb)

# One reader: ls the root, then cat every entry's name, over and over
# until told to stop. Errors go to its .err file; counts to .count.
reader() {
    local i=$1 names d rounds=0 cats=0
    local err=$TESTS_TMP/reader.$i.err
    : >"$err"
    while [ ! -e "$STOP" ]; do
        if ! names=$(ls "$M" 2>>"$err"); then
            echo "ls $M failed" >>"$err"
            continue
        fi
        for d in $names; do
            cat "$M/$d/name" >/dev/null 2>>"$err"
            cats=$((cats + 1))
        done
        rounds=$((rounds + 1))
        # A breath between rounds leaves the engine (same 2 cores) room
        # to churn at the wanted pace.
        sleep 0.2
    done
    echo "$rounds $cats" >"$TESTS_TMP/reader.$i.count"
}

# One churner: creates its share of containers at a steady pace, keeps the
# last few alive and removes the oldest; every 5th removal goes through
# the mount's kill file.
churner() {
    local w=$1 n=$2 pace_ms=$3 i id t0 rc
    local -a live=()
    local log=$TESTS_TMP/churn.$w.log
    : >"$log"
    for ((i = 0; i < n; i++)); do
        t0=$(now_ms)
        if id=$(docker run -d --network none --label dockerdoom.load=1 \
            --name "load-$w-$i" "$TEST_IMAGE" 2>>"$log"); then
            live+=("$id")
            echo created >>"$log"
        else
            echo "create failed" >>"$log"
        fi
        while [ ${#live[@]} -gt "$KEEP" ]; do
            if [ $((i % 5)) = 0 ]; then
                rc=$(timeout 20 "$FSOP" write "$M/${live[0]:0:12}/kill" 1)
                echo "mountkill $rc" >>"$log"
                # ENOENT: dockerfs had not seen it yet; remove it anyway.
                [ "$rc" = OK ] || docker rm -f "${live[0]}" >/dev/null 2>>"$log"
            else
                docker rm -f "${live[0]}" >/dev/null 2>>"$log" && echo removed >>"$log"
            fi
            live=("${live[@]:1}")
        done
        local el=$(( $(now_ms) - t0 ))
        [ "$el" -lt "$pace_ms" ] && sleep "$(awk -v m=$((pace_ms - el)) 'BEGIN{printf "%.3f", m/1000}')"
    done
}

rm -f "$STOP"
for ((r = 0; r < READERS; r++)); do
    reader "$r" &
    PIDS+=($!)
done
per=$((TOTAL / WORKERS))
pace=$((SECONDS_WANTED * 1000 * WORKERS / TOTAL))
t0=$(now_ms)
CH=()
for ((w = 0; w < WORKERS; w++)); do
    churner "$w" "$per" "$pace" &
    CH+=($!)
done
for p in "${CH[@]}"; do
    wait "$p"
done
el=$(ms_since "$t0")
stop_all
created=$(cat "$TESTS_TMP"/churn.*.log | grep -cx created)
note "churn: $created containers created in $el ms; $(cat "$TESTS_TMP"/churn.*.log | grep -c '^mountkill OK') removed through the mount"
check_eq "all $TOTAL containers were created" "$TOTAL" "$created"
grep -v -e '^created$' -e '^removed$' -e '^mountkill' "$TESTS_TMP"/churn.*.log | head -n 5 | while IFS= read -r l; do
    note "churn: $l"
done
bad_kills=$(grep -h '^mountkill' "$TESTS_TMP"/churn.*.log | grep -v -e ' OK$' -e ' ENOENT$' | sort | uniq -c)
check_eq "kills through the mount under load: OK (or ENOENT when not seen yet)" "" "$bad_kills"

rounds=0
cats=0
for ((r = 0; r < READERS; r++)); do
    if read -r a b <"$TESTS_TMP/reader.$r.count"; then
        rounds=$((rounds + a))
        cats=$((cats + b))
    fi
done
note "readers: $rounds listings, $cats cats"
finished=$(find "$TESTS_TMP" -maxdepth 1 -name 'reader.*.count' | wc -l)
check_eq "every reader finished" "$READERS" "$finished"
if [ "$rounds" -gt 0 ]; then
    ok "readers listed the mount ($rounds times)"
else
    not_ok "readers listed the mount"
fi
enoent=$(cat "$TESTS_TMP"/reader.*.err | grep -c 'No such file or directory')
other=$(cat "$TESTS_TMP"/reader.*.err | grep -v 'No such file or directory')
note "ENOENT races seen by readers: $enoent"
check_eq "readers saw no error but ENOENT races" "" "$(echo "$other" | head -n 10)"

dfs_wait_listing "$M" 2 "afterwards the listing equals docker ps exactly"
check_eq "every listed entry's name matches docker" \
    "$(docker ps --format '{{.ID}} {{.Names}}' | sort)" \
    "$(for d in $(listing "$M"); do echo "$d $(cat "$M/$d/name")"; done)"
check "dockerfs still runs" dfs_alive
rss1=$(rss_kb)
note "dockerfs RSS: $rss0 kB before, $rss1 kB after"
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
if grep -q 'LeakSanitizer' "$DFS_LOG"; then
    not_ok "no leak reported by LeakSanitizer at exit" "$(grep -A 8 'LeakSanitizer' "$DFS_LOG" | head -n 30)"
else
    ok "no leak reported by LeakSanitizer at exit"
fi
check_san
tap_done
