#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel caches entries, attributes, file contents and listings, and
# dockerfs tells it to forget each the moment the events stream reports a
# change: a name, a state, the listing and a lookup read just before a
# change show the new value right after it (rename, stop, start, remove, a
# name reused by a new container, a tag moved off a container's image);
# inotify watchers are told about
# removals; 20 renames in a row each show up (the old way, a re-read by
# list, sometimes kept the old name for five minutes).
# The bounds are generous (2 s): they test that a change is seen at all,
# not how fast.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
dfs_setup

M=$TESTS_TMP/all
R=$TESTS_TMP/running
F=$TESTS_TMP/filtered
A=$(run_c --name cache-a)
SA=${A:0:12}

require "dockerfs --all mounts" dfs_mount "$M" --all

# Reads a file through the mount, exactly (fsop cat: no shell trimming).
content() { fsop cat "$1" | tail -n +2; }
# The file's size as stat reports it equals the bytes read.
size_true() { [ "$(stat -c %s "$1")" = "$(fsop cat "$1" | tail -n +2 | wc -c)" ]; }
name_is() { [ "$(content "$M/$1/name")" = "$2" ]; }
state_is() { [ "$(content "$M/$1/state")" = "$2" ]; }
link_is() { [ "$(readlink "$2/$1" 2>/dev/null)" = "$3" ]; }
gone_name() { [ "$(fsop1 stat "$M/$1")" = ENOENT ]; }

# Warm every cache: listing, lookups, attributes, contents (twice, so the
# second read is the kernel's).
warm() {
    local d=$1 s=$2
    ls "$d" >/dev/null
    cat "$d/$s/name" "$d/$s/state" "$d/$s/image" >/dev/null 2>&1
    stat "$d/$s/name" "$d/$s/state" >/dev/null 2>&1
    cat "$d/$s/name" "$d/$s/state" >/dev/null 2>&1
}

# --- rename
warm "$M" "$SA"
check_eq "before: name" "cache-a" "$(content "$M/$SA/name")"
docker rename cache-a cache-a-renamed-longer
check "rename: the cached name file shows the new name" wait_until 2 name_is "$SA" "cache-a-renamed-longer"
check "rename: its size is the new one" size_true "$M/$SA/name"
check "rename: the new name resolves" wait_until 2 link_is cache-a-renamed-longer "$M" "$SA"
check_eq "rename: the old name is ENOENT" ENOENT "$(fsop1 stat "$M/cache-a")"
docker rename cache-a-renamed-longer ca
check "rename to a shorter name: shown" wait_until 2 name_is "$SA" "ca"
check "rename to a shorter name: size true" size_true "$M/$SA/name"
check_eq "rename to a shorter name: content exact" "ca" "$(content "$M/$SA/name")"

# --- stop and start, through the state file (--all) and the listing of a
# mount without --all
dfs_mount "$R" || not_ok "second dockerfs (running only) mounts"

warm "$M" "$SA"
warm "$R" "$SA"
check_eq "before stop: state" running "$(content "$M/$SA/state")"
docker stop -t 1 "$A" >/dev/null
check "stop: the cached state file says exited" wait_until 2 state_is "$SA" exited
check "stop: state size true" size_true "$M/$SA/state"
check "stop: gone from the cached listing without --all" wait_until 2 unlisted "$R" "$SA"
check_eq "stop: its cached lookup is gone too" ENOENT "$(fsop1 stat "$R/$SA")"
check "stop: still listed with --all" listed "$M" "$SA"
docker start "$A" >/dev/null
check "start: the cached state file says running" wait_until 2 state_is "$SA" running
check "start: back in the cached listing without --all" wait_until 2 listed "$R" "$SA"
check_eq "start: it resolves again" OK "$(fsop1 stat "$R/$SA")"

# --- pause: the state file and the directory's mtime, which a reader
# (the game) stats to learn which containers to read again
mtime() { stat -c %.9Y "$1"; }
newer() { awk -v a="$(mtime "$1")" -v b="$2" 'BEGIN { exit !(a > b) }'; }
B=$(run_c --name cache-still)
SB=${B:0:12}
check "a second container is listed" wait_until 5 listed "$M" "$SB"
warm "$M" "$SA"
warm "$M" "$SB"
before=$(mtime "$M/$SA")
still=$(mtime "$M/$SB")
docker pause "$A" >/dev/null
check "pause: the cached state file says paused" wait_until 2 state_is "$SA" paused
check "pause: the directory's mtime is newer" newer "$M/$SA" "$before"
# Not two empty strings: the directory must be there to keep its mtime.
check "pause: another container's directory keeps its mtime" \
    test -n "$still" -a "$still" = "$(mtime "$M/$SB")"
paused_at=$(mtime "$M/$SA")
docker unpause "$A" >/dev/null
check "unpause: the state file says running" wait_until 2 state_is "$SA" running
check "unpause: the directory's mtime is newer again" newer "$M/$SA" "$paused_at"
docker rm -f "$B" >/dev/null

# --- a moved tag: a container lists the name it was created from while
# that name still points at its image, else the image id. No container
# event says so; the image event does, and dockerfs lists again.
docker create --name cache-base "$TEST_IMAGE" >/dev/null
docker commit --change 'LABEL cache=other' cache-base cache-other:1 >/dev/null
docker rm cache-base >/dev/null
docker tag "$TEST_IMAGE" cache-tag:1
T=$(docker run -d --network none --name cache-tag cache-tag:1)
ST=${T:0:12}
image_is() { [ "$(content "$M/$ST/image")" = "$1" ]; }
check "tag: the container is listed" wait_until 5 listed "$M" "$ST"
warm "$M" "$ST"
check_eq "tag: its image is the name it was created from" cache-tag:1 "$(content "$M/$ST/image")"
before=$(mtime "$M/$ST")
image_id=$(docker inspect -f '{{.Image}}' "$T")
docker tag cache-other:1 cache-tag:1
check "tag moved away: the cached image file shows the image id" wait_until 2 image_is "$image_id"
check "tag moved away: the directory's mtime is newer" newer "$M/$ST" "$before"
docker tag "$TEST_IMAGE" cache-tag:1
check "tag moved back: the image file shows the name again" wait_until 2 image_is cache-tag:1
docker rm -f "$T" >/dev/null
docker rmi cache-tag:1 cache-other:1 >/dev/null

# --- create and remove, the listing cached, no lookup of the new entry
ls "$M" >/dev/null
ls "$M" >/dev/null
B=$(run_c --name cache-b)
SB=${B:0:12}
check "create: a new container shows in the cached listing" wait_until 2 listed "$M" "$SB"
ls "$M" >/dev/null
docker rm -f "$B" >/dev/null
check "remove (never looked up): gone from the cached listing" wait_until 2 unlisted "$M" "$SB"
check_eq "remove: ENOENT" ENOENT "$(fsop1 stat "$M/$SB")"

# --- remove of a container whose files are cached, with a watcher
C=$(run_c --name cache-c)
SC=${C:0:12}
wait_until 2 listed "$M" "$SC" >/dev/null
warm "$M" "$SC"
"$FSOP" watch "$M" "$SC" 5000 >"$TESTS_TMP/watch.out" 2>"$TESTS_TMP/watch.err" &
wpid=$!
"$FSOP" watch "$M/$SC" - 5000 >"$TESTS_TMP/watchself.out" 2>"$TESTS_TMP/watchself.err" &
wspid=$!
wait_until 2 grep -q READY "$TESTS_TMP/watch.err"
wait_until 2 grep -q READY "$TESTS_TMP/watchself.err"
docker rm -f "$C" >/dev/null
check "remove (files cached): gone from the listing" wait_until 2 unlisted "$M" "$SC"
check_eq "remove: its directory is ENOENT" ENOENT "$(fsop1 stat "$M/$SC")"
check_eq "remove: its cached name file is ENOENT" ENOENT "$(fsop1 read "$M/$SC/name")"
check_eq "remove: its name no longer resolves" ENOENT "$(fsop1 stat "$M/cache-c")"
wait "$wspid"
check_eq "remove: an inotify watcher on the directory is told (IN_DELETE_SELF)" OK "$(cat "$TESTS_TMP/watchself.out")"
wait "$wpid"
# Since Linux 5.3 the kernel sends IN_DELETE to the parent's watchers only
# from unlink and rmdir, not for a removal a FUSE server notifies: recorded,
# not tested.
note "inotify watcher on the root (IN_DELETE $SC): $(cat "$TESTS_TMP/watch.out")"

# --- a name reused by a new container
D=$(run_c --name cache-reuse)
SD=${D:0:12}
wait_until 2 link_is cache-reuse "$M" "$SD" >/dev/null
cat "$M/cache-reuse/name" "$M/cache-reuse/id" >/dev/null
check_eq "reuse: the name points at the first container" "$SD" "$(readlink "$M/cache-reuse")"
docker rm -f "$D" >/dev/null
E=$(run_c --name cache-reuse)
SE=${E:0:12}
check "reuse: the name points at the new container" wait_until 2 link_is cache-reuse "$M" "$SE"
check_eq "reuse: and reads its id" "$E" "$(content "$M/cache-reuse/id")"
check "reuse: the old short id is gone" wait_until 2 unlisted "$M" "$SD"

# --- a container shown from its create event, then put right by the
# re-read: Docker writes the labels into the event and name and image over
# them, so labels called name and image are missing from the event alone
G=$(docker create --network none --label name=lbl-name --label image=lbl-image \
    --label tier=web --name cache-ev "$TEST_IMAGE")
SG=${G:0:12}
check "create event: the new container is listed" wait_until 2 listed "$M" "$SG"
note "create event: labels at first sight: $(content "$M/$SG/labels" | tr '\n' ' ')"
labels_are() { [ "$(content "$M/$SG/labels")" = "$1" ]; }
check "create event: then every label, name and image included" \
    wait_until 2 labels_are "$(printf 'image=lbl-image\nname=lbl-name\ntier=web')"
check "create event: labels size true" size_true "$M/$SG/labels"
check_eq "create event: name" cache-ev "$(content "$M/$SG/name")"
check_eq "create event: image" "$TEST_IMAGE" "$(content "$M/$SG/image")"
check_eq "create event: state" created "$(content "$M/$SG/state")"
check_eq "create event: created is the engine's" \
    "$(date -d "$(docker inspect -f '{{.Created}}' "$G")" +%s)" "$(content "$M/$SG/created")"
check "create event: the name resolves" wait_until 2 link_is cache-ev "$M" "$SG"
check_eq "create event: not shown without --all" ENOENT "$(fsop1 stat "$R/$SG")"
docker rm -f "$G" >/dev/null
check "create event: removed, gone" wait_until 2 unlisted "$M" "$SG"

# --- 20 renames in a row, each visible within 2 s, symlinks included
seen=0
prev=ca
warm "$M" "$SA"
for ((i = 1; i <= 20; i++)); do
    new=cache-r$i
    docker rename "$prev" "$new"
    if wait_until 2 name_is "$SA" "$new" && link_is "$new" "$M" "$SA" && gone_name "$prev"; then
        seen=$((seen + 1))
    else
        note "rename $i ($prev -> $new): name file '$(content "$M/$SA/name")'"
    fi
    prev=$new
done
check_eq "20 renames in a row: each one visible (name file, new link, old name gone)" 20 "$seen"

# --- a name filter decided on each event: a rename can take a container in
# or out of the mount
dfs_mount "$F" --all --filter name=keep || not_ok "filtered dockerfs mounts"
K=$(run_c --name keep-1)
SK=${K:0:12}
check "filter name=keep: keep-1 is shown" wait_until 2 listed "$F" "$SK"
check "filter name=keep: cache-r20 is not" unlisted "$F" "$SA"
warm "$F" "$SK"
docker rename keep-1 other-1
check "filter: renamed out of the filter, it leaves the listing" wait_until 2 unlisted "$F" "$SK"
docker rename other-1 keep-2
check "filter: renamed back in, it returns" wait_until 2 listed "$F" "$SK"
check "filter: with its new name" wait_until 2 eval '[ "$(content "$F/$SK/name")" = keep-2 ]'

docker rm -f "$A" "$E" "$K" >/dev/null
check "all three dockerfs still run" bash -c "kill -0 ${DFS_PIDS[*]}"
for p in "${DFS_PIDS[@]}"; do
    DFS_PID=$p
    dfs_stop TERM
done
for f in "$TESTS_TMP"/dockerfs.*.log; do
    check_san "$f"
done
tap_done
