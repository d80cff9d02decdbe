#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The kill path against an attacker: a
# protected image stays protected after its tag moves; protection is
# checked against what the engine says now; a container named with
# another's full id does not take over that id; a flood of refused kills
# is one audit line and a count; an engine's message cannot forge a log
# line; a container renamed out of --filter's scope after it was listed
# is refused, and the audit line gives its name now.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
. "$REPO/tests/faults/lib.sh"
dfs_setup

M=$TESTS_TMP/mnt

# --- image rules follow what a container was made from, not the tag now
docker tag "$TEST_IMAGE" dockerdoom-test:prod
P=$(docker run -d --network none --name prod-db dockerdoom-test:prod)
OLD_ID=$(docker inspect -f '{{.Image}}' "$P")
# Another image (a commit of a container) takes the tag over.
X=$(run_c --name donor)
docker commit "$X" dockerdoom-test:prod >/dev/null
docker rm -f "$X" >/dev/null
listed_image=$(docker ps --no-trunc --filter "id=$P" --format '{{.Image}}')
note "after the retag the engine lists prod-db's image as: $listed_image"
check "the engine no longer lists prod-db under its tag" test "$listed_image" != dockerdoom-test:prod
dfs_mount "$M" --protect image=dockerdoom-test:prod || { not_ok "mounts with --protect image="; tap_done; }
check_eq "retagged image: kill still EPERM" EPERM "$(fsop1 write "$M/${P:0:12}/kill" 1)"
check_eq "retagged image: still running" running "$(c_state "$P")"
check "retagged image: the refusal is audited" grep -qE "id=${P:0:12} .*result=EPERM" "$DFS_LOG"
N=$(docker run -d --network none --name fresh dockerdoom-test:prod)
check "the new container is listed within 2 s" wait_until 2 listed "$M" "${N:0:12}"
check_eq "a container of the image the tag names now is protected too" EPERM "$(fsop1 write "$M/${N:0:12}/kill" 1)"
dfs_stop TERM
check_san
dfs_mount "$M" --protect "image=$OLD_ID" || { not_ok "mounts with --protect image=ID"; tap_done; }
check_eq "--protect image=<image id>: EPERM" EPERM "$(fsop1 write "$M/${P:0:12}/kill" 1)"
check_eq "--protect image=<image id>: another image's container is not protected" \
    OK "$(fsop1 write "$M/${N:0:12}/kill" 1)"
dfs_stop TERM
check_san
rm_all

# --- protection is checked on the engine's view at the time of the kill
# The proxy holds the events stream open but silent, so dockerfs's table
# keeps the old name; every new request (the kill's) still gets through.
R=$(run_c --name plain-1)
proxy_start "$TESTS_TMP/proxy.sock" || { not_ok "stallproxy starts"; tap_done; }
dfs_mount "$M" -H "$PROXY_HOST" --protect 'name=web-*' || { not_ok "mounts through the proxy"; tap_done; }
check "proxy holds the open connections" proxy_mode hold
docker rename "$R" web-1
sleep 0.5
check_eq "the table has not seen the rename" plain-1 "$(cat "$M/${R:0:12}/name")"
check_eq "renamed into protection after listing: EPERM" EPERM "$(fsop1 write "$M/${R:0:12}/kill" 1)"
check_eq "renamed into protection: still running" running "$(c_state "$R")"
check "the refusal is audited" grep -qE "id=${R:0:12} .*result=EPERM" "$DFS_LOG"
proxy_mode flow
check "the rename reaches the table once events flow" \
    wait_until 5 grep -qx web-1 "$M/${R:0:12}/name"
dfs_stop TERM
check_san

# --- --filter is checked on the engine's view at the time of the kill
# too: renamed out of the filter's scope after it was listed, a container
# is refused, and the audit line names it as it is now.
# First a filter decided here (name=), then one only the engine's list
# decides (volume=).
S=$(run_c --name scope-1)
S3=$(run_c --name scope-3)
S2=$(run_c --name scope-2 -v "ddscope-$$:/v")
dfs_mount "$M" -H "$PROXY_HOST" --filter name=scope- || { not_ok "mounts with --filter name=scope-"; tap_done; }
check "proxy holds the open connections" proxy_mode hold
docker rename "$S" other-1
check_eq "the table has not seen the rename" scope-1 "$(cat "$M/${S:0:12}/name")"
check_eq "renamed out of --filter name=scope- after listing: EPERM" EPERM "$(fsop1 write "$M/${S:0:12}/kill" 1)"
check_eq "renamed out of the filter: still running" running "$(c_state "$S")"
check "the audit line has its name now and the one listed" \
    grep -qE "id=${S:0:12} name=other-1 was=scope-1 .*result=EPERM" "$DFS_LOG"
check_eq "one still in the filter's scope is killed" OK "$(fsop1 write "$M/${S3:0:12}/kill" 1)"
check_eq "and gone" gone "$(c_state "$S3")"
proxy_mode flow
check "the renamed one leaves the mount once events flow" wait_until 5 unlisted "$M" "${S:0:12}"
dfs_stop TERM
check_san
dfs_mount "$M" -H "$PROXY_HOST" --filter name=scope- --filter "volume=ddscope-$$" ||
    { not_ok "mounts with --filter name= and volume="; tap_done; }
check_eq "with volume= only the container of that volume is listed" "${S2:0:12}" "$(listing "$M")"
check "proxy holds the open connections" proxy_mode hold
docker rename "$S2" other-2
check_eq "the table has not seen the rename" scope-2 "$(cat "$M/${S2:0:12}/name")"
check_eq "renamed out of the filter the engine decides: EPERM" EPERM "$(fsop1 write "$M/${S2:0:12}/kill" 1)"
check_eq "still running" running "$(c_state "$S2")"
check "the audit line has its name now" \
    grep -qE "id=${S2:0:12} name=other-2 was=scope-2 .*result=EPERM" "$DFS_LOG"
proxy_mode flow
dfs_stop TERM
check_san
proxy_stop
rm_all
docker volume rm "ddscope-$$" >/dev/null 2>&1

# --- a name equal to another container's full id
# dockerfs's table starts sorted by id: make the impostor's id sort first,
# so that a per-entry "id or name" match would meet it before the victim.
I=
for ((try = 0; try < 20; try++)); do
    V=$(run_c --name victim)
    I=$(run_c --name "$V")
    [ -n "$I" ] && [[ "$I" < "$V" ]] && break
    docker rm -f "$V" $I >/dev/null 2>&1
    I=
done
if [ -z "$I" ]; then
    not_ok "an impostor named with the victim's id, sorted before it"
else
    dfs_mount "$M" || { not_ok "dockerfs mounts"; tap_done; }
    check_eq "the full id resolves to the container with that id" "${V:0:12}" "$(readlink "$M/$V")"
    res=$( (echo 1 >"$M/$V/kill") 2>&1 && echo OK)
    check_eq "echo 1 > <full id>/kill succeeds" OK "$res"
    # Not docker inspect: the CLI resolves the id to the impostor once
    # the victim is gone.
    check "it removed the container with that id" \
        test "$(docker ps -aq --no-trunc | grep -cx "$V")" = 0
    check_eq "not the one named so" running "$(c_state "$I")"
    check "the audit line names the victim" grep -qE "id=${V:0:12} name=victim .*result=ok" "$DFS_LOG"
    dfs_stop TERM
    check_san
fi
rm_all

# --- a flood of refused kills by one uid: one line, then a count
G=$(run_c --name guarded --label dockerfs.protect=true)
SG=${G:0:12}
U=$(run_c --name bystander)
FLOOD=300
dfs_mount "$M" || { not_ok "dockerfs mounts"; tap_done; }
eperm=0
for ((i = 0; i < FLOOD; i++)); do
    [ "$("$FSOP" write "$M/$SG/kill" 1 | head -n 1)" = EPERM ] && eperm=$((eperm + 1))
done
check_eq "every write of the flood is refused" "$FLOOD" "$eperm"
check_eq "the flood left one audit line while it lasted" 1 "$(grep -cF "id=$SG " "$DFS_LOG")"
check_eq "another container's kill is still logged in full" OK "$(fsop1 write "$M/${U:0:12}/kill" 1)"
check "its line is there" grep -qE "id=${U:0:12} .*result=ok" "$DFS_LOG"
dfs_stop TERM
check_eq "exit 0" 0 "$DFS_RC"
note "$(grep -F "id=$SG " "$DFS_LOG")"
check_eq "at unmount the rest is one count line" 1 \
    "$(grep -cE "kill id=$SG uid=0 result=EPERM: $((FLOOD - 1)) more in 10 s$" "$DFS_LOG")"
check_eq "two lines for $FLOOD refusals" 2 "$(grep -cF "id=$SG " "$DFS_LOG")"
check_san
rm_all

# --- an engine's message with a newline cannot forge a log line
# A real engine puts a filter value it refuses into its message; only
# the list carries one (kill answers name ids), and the message goes
# through the same engine_answer_reason as a kill's.
forged=$'status=bogus\nkill id=000000000000 name=forged result=ok'
"$DOCKERFS_BIN" "$M" -f --filter "$forged" >"$TESTS_TMP/forged.log" 2>&1
rc=$?
note "$(cat "$TESTS_TMP/forged.log")"
check_eq "a filter the engine refuses: exit 2" 2 "$rc"
check "the engine's message is in the error" grep -q "engine answered 400" "$TESTS_TMP/forged.log"
check_eq "it is one line" 1 "$(wc -l <"$TESTS_TMP/forged.log")"
check "no line starts as a forged audit line" \
    test "$(grep -c '^kill id=000000000000' "$TESTS_TMP/forged.log")" = 0
check "the newline is shown escaped" grep -qF 'bogus\nkill id=000000000000' "$TESTS_TMP/forged.log"
check_san "$TESTS_TMP/forged.log"
tap_done
