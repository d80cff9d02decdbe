#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Records the engine holds that once broke the mount (issue 12, items 6 and
# 11): a NUL inside a label, 1.1 MiB of labels, control characters in a
# label. None of them may stop dockerfs from starting or break the listing
# for the other containers; the NUL is shown as \x00, control characters
# as \xNN; a record over 1 MiB of labels is listed with its name and
# image whole and its labels cut, marked so (issue 23 item 9), and can be
# killed unless its dockerfs.protect label (always kept) says no; a
# container whose events are longer than the event line limit still
# shows up at once.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
dfs_setup

M=$TESTS_TMP/mnt
SOCK=${DOCKER_HOST#unix://}

# POST /containers/create with the JSON body in file $1; prints the id.
create_api() {
    curl -sS --unix-socket "$SOCK" -H 'Content-Type: application/json' \
        --data-binary @"$1" "http://engine/v1.41/containers/create?name=$2" |
        sed -n 's/.*"Id":"\([0-9a-f]\{64\}\)".*/\1/p'
}
# A create body whose labels are {"$1": "<$2 bytes of q>"$3}.
big_body() {
    { printf '{"Image":"%s","HostConfig":{"NetworkMode":"none"},"Labels":{"%s":"' "$TEST_IMAGE" "$1"
      head -c "$2" /dev/zero | tr '\0' q
      printf '"%s}}' "${3:-}"; } >"$TESTS_TMP/big.json"
}
CUT_MARK='... 1 more labels not shown (over 960 KiB of labels)'

printf '{"Image":"%s","HostConfig":{"NetworkMode":"none"},"Labels":{"nul":"a\\u0000b","plain":"v","dockerfs.protect=true":""}}' \
    "$TEST_IMAGE" >"$TESTS_TMP/nul.json"
NUL=$(create_api "$TESTS_TMP/nul.json" nullabel)
check "a container with a NUL in a label is created" test -n "$NUL"
docker start "$NUL" >/dev/null
check_eq "the engine keeps the NUL (its inspect shows \\u0000)" 1 \
    "$(curl -sS --unix-socket "$SOCK" "http://engine/v1.41/containers/$NUL/json" | grep -c 'a\\u0000b')"

big_body big $((1100 * 1024))
HUGE=$(create_api "$TESTS_TMP/big.json" hugelabel)
check "a container with a 1.1 MiB label is created" test -n "$HUGE"
docker start "$HUGE" >/dev/null
big_body big $((1100 * 1024)) ',"dockerfs.protect":"true","zz":"after"'
HUGEP=$(create_api "$TESTS_TMP/big.json" hugeprotected)
check "one with a 1.1 MiB label and dockerfs.protect=true is created" test -n "$HUGEP"
docker start "$HUGEP" >/dev/null

# 1.1 MiB of labels inherited from an image (POST /commit with a config).
PLAIN=$(docker create --network none "$TEST_IMAGE")
{ printf '{"Labels":{"inherited":"'; head -c $((1100 * 1024)) /dev/zero | tr '\0' q
  printf '"}}'; } >"$TESTS_TMP/cfg.json"
curl -sS --unix-socket "$SOCK" -H 'Content-Type: application/json' --data-binary @"$TESTS_TMP/cfg.json" \
    "http://engine/v1.41/commit?container=$PLAIN&repo=dockerdoom-biglabel&tag=1" >/dev/null
docker rm -f "$PLAIN" >/dev/null
INH=$(docker run -d --network none dockerdoom-biglabel:1)
check_eq "a container inherits 1.1 MiB of labels from its image" $((1100 * 1024)) \
    "$(docker inspect -f '{{len .Config.Labels.inherited}}' "$INH" 2>/dev/null)"

C1=$(run_c --name c1label --label "$(printf 'csi=\xc2\x9b2J\xc2\x85')" --label "$(printf 'text=caf\xc3\xa9')")
CR=$(run_c --name crlabel --label "$(printf 'x\rdockerfs.protect=true')" --label "$(printf 'bell=\a\033[2J')")
GOOD=$(run_c --name good)

# --- a fresh start with all of them there (once: "not JSON", exit 1)
# dfs_mount also returns when dockerfs died at once.
if dfs_mount "$M" --resync 1 && dfs_alive; then
    ok "dockerfs starts with a NUL label and a 1.1 MiB label present"
else
    not_ok "dockerfs starts with a NUL label and a 1.1 MiB label present" "$(tail -n 3 "$DFS_LOG")"
    tap_done
fi
check "the good container is listed" listed "$M" "${GOOD:0:12}"
check "the NUL-label container is listed" listed "$M" "${NUL:0:12}"
check "the control-character container is listed" listed "$M" "${CR:0:12}"
check "the 1.1 MiB record is listed" listed "$M" "${HUGE:0:12}"
check_eq "its name is whole" hugelabel "$(cat "$M/${HUGE:0:12}/name")"
check_eq "its image is whole" "$TEST_IMAGE" "$(cat "$M/${HUGE:0:12}/image")"
check_eq "its labels are cut, and say so on a line without =" "$CUT_MARK" \
    "$(cat "$M/${HUGE:0:12}/labels")"
check "the record with inherited labels is listed" listed "$M" "${INH:0:12}"
check_eq "its image is whole" dockerdoom-biglabel:1 "$(cat "$M/${INH:0:12}/image")"
check_eq "its labels are cut and marked" "$CUT_MARK" "$(cat "$M/${INH:0:12}/labels")"
check_eq "with dockerfs.protect among 1.1 MiB: that label is kept, the rest cut" \
    "$(printf 'dockerfs.protect=true\nzz=after\n%s' "$CUT_MARK")" "$(cat "$M/${HUGEP:0:12}/labels")"
check_eq "the NUL is shown as \\x00; an = in a key as \\x3d" \
    "$(printf 'dockerfs.protect\\x3dtrue=\nnul=a\\x00b\nplain=v')" "$(cat "$M/${NUL:0:12}/labels")"
check_eq "labels: CR, BEL and ESC shown as \\xNN, never raw" \
    "$(printf 'bell=\\x07\\x1b[2J\nx\\x0ddockerfs.protect=true')" "$(cat "$M/${CR:0:12}/labels")"
check_eq "labels: a C1 control (CSI, NEL as UTF-8) shown as \\xc2\\xNN, other UTF-8 as it is" \
    "$(printf 'csi=\\xc2\\x9b2J\\xc2\\x85\ntext=caf\xc3\xa9')" "$(cat "$M/${C1:0:12}/labels")"
check_eq "stat size of labels is the escaped length" \
    "$(cat "$M/${CR:0:12}/labels" | wc -c)" "$(stat -c %s "$M/${CR:0:12}/labels")"
check_eq "no raw control character in any file" 0 \
    "$(cat "$M"/*/name "$M"/*/image "$M"/*/labels | tr -d '\n' | LC_ALL=C grep -c '[[:cntrl:]]')"
check_eq "no raw C1 control character (U+0080..U+009F) in any file" 0 \
    "$(cat "$M"/*/name "$M"/*/image "$M"/*/labels | LC_ALL=C.UTF-8 grep -cP '[\x{80}-\x{9f}]')"
check_eq "no record is left out" 0 "$(grep -c "left out container" "$DFS_LOG")"

# --- while mounted: re-lists every second, events of an oversized record
sleep 3
big_body big2 $((1100 * 1024))
HUGE2=$(create_api "$TESTS_TMP/big.json" hugelabel2)
docker start "$HUGE2" >/dev/null
LATE=$(run_c --name late)
check "a container started after an oversized one is listed" wait_until 5 listed "$M" "${LATE:0:12}"
check "an oversized one started while mounted appears from its events" \
    wait_until 5 listed "$M" "${HUGE2:0:12}"
check_eq "its labels cut and marked (re-read through the inspect)" "$CUT_MARK" \
    "$(cat "$M/${HUGE2:0:12}/labels")"
check "the listing still works" listed "$M" "${GOOD:0:12}"
check_eq "the protect label kept: its kill is EPERM" EPERM "$(fsop1 write "$M/${HUGEP:0:12}/kill" 1)"
check_eq "and it still runs" running "$(c_state "$HUGEP")"
check_eq "a cut one without it can be shot" OK "$(fsop1 write "$M/${HUGE:0:12}/kill" 1)"
check_eq "and it is gone" gone "$(c_state "$HUGE")"
check_eq "still no record left out" 0 "$(grep -c "left out container" "$DFS_LOG")"

# 200 KiB of labels: the list record is fine, but its events are longer
# than the 64 KiB event line limit; the container must still appear from
# its events (not at the next re-list, 300 s away by default).
dfs_stop TERM
check_eq "dockerfs exits 0 on SIGTERM" 0 "$DFS_RC"
check_san
# Without the oversized ones, so this part stands on its own.
docker rm -f "$HUGE2" "$HUGEP" "$INH" >/dev/null
docker rmi dockerdoom-biglabel:1 >/dev/null 2>&1
dfs_mount "$M" && dfs_alive || { not_ok "dockerfs mounts again"; tap_done; }
big_body mid $((200 * 1024))
MID=$(create_api "$TESTS_TMP/big.json" midlabel)
docker start "$MID" >/dev/null
check "a container with 200 KiB of labels appears within 5 s (events cut, not dropped)" \
    wait_until 5 listed "$M" "${MID:0:12}"
check_eq "its labels file holds all 200 KiB" $((200 * 1024 + 5)) "$(wc -c <"$M/${MID:0:12}/labels")"

# The label that looks like protection is no protection: its key is not
# dockerfs.protect, and the mount shows that.
check_eq "the CR label container is not protected (kill works)" OK "$(fsop1 write "$M/${CR:0:12}/kill" 1)"
check_eq "and it is gone" gone "$(c_state "$CR")"
# Its key "dockerfs.protect=true" is no dockerfs.protect label either.
check "the NUL-label container can be killed" test "$(fsop1 write "$M/${NUL:0:12}/kill" 1)" = OK
dfs_stop TERM
check_san
tap_done
