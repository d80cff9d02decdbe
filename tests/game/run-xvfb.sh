#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Integration test of the patched chocolate-doom against plain directories
# of the dockerfs shape, under a private Xvfb display:
#   - every entry spawns a monster (from the log), removing one despawns it;
#     the first wave spreads out, later ones 512 units away or more (nearer
#     only in sight)
#   - the idrm cheat (typed with xdotool) writes "1" to exactly the kill
#     files of the monsters it killed, and to no other
#   - a failed kill write is logged with its errno and the monster returns
#   - protected monsters sleep through the player's punches that wake an
#     unprotected one; shot by idrm, their kills are refused (EPERM) and
#     they rise and fight back
#   - 50 and 300 entries on freedoom2 MAP01 and freedoom1 E1M1, with the
#     map's own monsters: all spawn, the game keeps running, and 10 s of
#     monsters fighting (each other, the player in god mode, barrels) never
#     kill a container, and no monster ever turns on a container monster
#     (also on MAP02, where the map's monsters stand in the crossfire)
#   - idrm's results come as one summary; a kill the engine does not
#     answer is reported after 5 s, an idrm's every 5 s with how far it
#     got, and logs its progress as results come in; renames and image
#     changes are logged;
#     a paused container's monster freezes
#   - 10000 entries: the level takes what it has spots for, the rest wait
#   - entries that wait (-ddspots 4 keeps 4 spots a search) spawn once the
#     player walks 128 units off: spots are searched again from there
#   - a -dockerfs directory that does not exist stops the game at start
# Usage: tests/game/run-xvfb.sh [path/to/chocolate-doom]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
GAME_BIN=${1:-$REPO/build/game/chocolate-doom}
IWADS=${IWADS:-/usr/share/games/doom}
IWAD=$IWADS/freedoom2.wad
# shellcheck source=tests/lib/tap.sh
. "$REPO/tests/lib/tap.sh"
TMP=$(mktemp -d /tmp/dd-game-test.XXXXXX)
# lib/game.sh keeps its files (display, Xvfb log, HOME) in TESTS_TMP.
TESTS_TMP=$TMP
# shellcheck source=tests/lib/game.sh
. "$REPO/tests/lib/game.sh"

cleanup() {
    game_teardown
    # Section 2b's kill files are immutable until it ends.
    chattr -i "$TMP"/protected/*/kill 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

game_require "the game test" Xvfb xdotool
game_xvfb
note "Xvfb on $DISPLAY"

# make_entries DIR N PREFIX: N entries DIR/<12 hex>/{id,name,image,state,kill}
# with names PREFIX-<i> and a handful of images.
make_entries() {
    local dir=$1 n=$2 prefix=$3 i id
    mkdir -p "$dir"
    for i in $(seq 1 "$n"); do
        id=$(printf "%06x%06x" $(( (RANDOM * 32768 + RANDOM) % 16777216 )) "$i")
        mkdir "$dir/$id"
        printf '%s%052d\n' "$id" 0 >"$dir/$id/id"
        echo "$prefix-$i" >"$dir/$id/name"
        echo "image-$((i % 5)):latest" >"$dir/$id/image"
        echo running >"$dir/$id/state"
        : >"$dir/$id/kill"
    done
}

# start_game LOG DIR IWAD WARP...: the game straight into a level; the
# map's own monsters only when MONSTERS is empty.
MONSTERS=-nomonsters
start_game() {
    local log=$1 dir=$2 iwad=$3
    shift 3
    mkdir -p "$TMP/home"
    HOME="$TMP/home" "$GAME" -iwad "$IWADS/$iwad" -dockerfs "$dir" \
        -window -geometry 640x480 -nosound -nomusic -skill 3 $MONSTERS \
        -warp "$@" >"$log" 2>"$log.err" </dev/null &
    GAME_PID=$!
}

# Unique ids with a given event in a log.
ids_of() {
    sed -n "s/^dockerdoom: $2 id=\([0-9a-f]*\) .*/\1/p" "$1" | sort -u
}
count_of() {
    ids_of "$1" "$2" | wc -l
}
has_at_least() {
    [ "$(count_of "$1" "$2")" -ge "$3" ]
}

# Types text into the game window (focused first: without a window manager
# nothing else gives it the keyboard).
type_keys() {
    local win
    win=$(timeout 10 xdotool search --sync --limit 1 --class chocolate-doom) || return 0
    timeout 5 xdotool windowfocus --sync "$win" 2>/dev/null ||
        xdotool windowfocus "$win" || true
    xdotool type --delay 60 "$1" || true
}

# Presses one key (an xdotool key name) in the game window.
press_key() {
    local win
    win=$(timeout 10 xdotool search --sync --limit 1 --class chocolate-doom) || return 0
    timeout 5 xdotool windowfocus --sync "$win" 2>/dev/null ||
        xdotool windowfocus "$win" || true
    xdotool key "$1" || true
}

# punch_until SECONDS CMD...: holds "1" (the fist) and fire down until
# CMD succeeds, at most SECONDS. The game reads a weapon key as held when
# it builds a tic: a press and release that land in one tic (xdotool key
# under load) are never seen, and the pistol would fire and hit someone.
punch_until() {
    local secs=$1 rc=0
    shift
    xdotool keydown 1 keydown Control_L || true
    wait_until "$secs" "$@" || rc=$?
    xdotool keyup Control_L keyup 1 || true
    return "$rc"
}

game_alive() {
    kill -0 "$GAME_PID" 2>/dev/null
}

# --- 1. spawn, despawn, the cheat ------------------------------------------
N=60
DIR=$TMP/fleet
LOG=$TMP/fleet.log
make_entries "$DIR" "$N" web
start_game "$LOG" "$DIR" freedoom2.wad 1

if wait_until 30 has_at_least "$LOG" spawn "$N"; then
    ok "all $N entries spawn a monster"
else
    not_ok "all $N entries spawn a monster" \
        "spawned $(count_of "$LOG" spawn); $(tail -n 5 "$LOG.err")"
fi

bad=$(grep '^dockerdoom: \(spawn\|despawn\|kill-request\|kill-result\|waiting\) ' "$LOG" \
    | grep -Ev '^dockerdoom: spawn id=[0-9a-f]{12} name=[^ ]+ type=[a-z]+ x=-?[0-9]+ y=-?[0-9]+ dist=-?[0-9]+ view=[01] sight=[01]$' \
    | grep -Ev '^dockerdoom: (despawn|kill-request|waiting) id=[0-9a-f]{12} name=[^ ]+ type=[a-z]+$' \
    | grep -Ev '^dockerdoom: kill-result id=[0-9a-f]{12} name=[^ ]+ type=[a-z]+ result=(ok|E[A-Z0-9]+)$' \
    || true)
check_eq "event lines follow the log format" "" "$bad"
check "names are logged in full" grep -q "^dockerdoom: spawn id=.* name=web-1 type=" "$LOG"

gone=$(ids_of "$LOG" spawn | head -n1)
rm -rf "${DIR:?}/$gone"
if wait_until 5 grep -q "^dockerdoom: despawn id=$gone " "$LOG"; then
    ok "removing an entry despawns its monster"
else
    not_ok "removing an entry despawns its monster" "id $gone"
fi

# The first wave spreads out and keeps out of the player's face; a
# container started later takes the nearest free spot in the player's
# sight at least 512 units' walk away, out of the line of fire, and a
# nearer one (in view, else in sight) only when no far one is in sight
# (from MAP01's start the second one finds none left): the player sees it
# coming instead of finding it in melee or behind a wall.
wave=$(sed -n 's/^dockerdoom: spawn .* dist=\([0-9]*\) view=[01] sight=[01]$/\1/p' "$LOG" | sort -n)
near=$(echo "$wave" | head -n1)
far=$(echo "$wave" | tail -n1)
median=$(echo "$wave" | sed -n "$((N / 2))p")
note "first wave: walks of $near..$far units, median $median"
check "the first wave keeps 192 units away" test "${near:-0}" -ge 192
check "the first wave spreads over 1000 units" test $((${far:-0} - ${near:-0})) -ge 1000
make_entries "$DIR" 2 late
wait_until 10 has_at_least "$LOG" spawn $((N + 2)) || true
# "DIST SIGHT" of each later spawn, nearest first.
late=$(sed -n 's/^dockerdoom: spawn .* name=late-[0-9]* .* dist=\([0-9]*\) view=[01] sight=\([01]\)$/\1 \2/p' "$LOG" | sort -n)
note "started later: walks and sights of ${late//$'\n'/, }"
# Each one 512 units away, or nearer in sight; none far beyond the wave.
late_ok() {
    local dist sight n=0
    while read -r dist sight; do
        [ "$dist" -ge 512 ] || { [ "$dist" -ge 192 ] && [ "$sight" = 1 ]; } || return 1
        [ "$dist" -le $((${far:-0} + 1024)) ] || return 1
        n=$((n + 1))
    done <<<"$late"
    [ "$n" -eq 2 ]
}
if late_ok; then
    ok "containers started later keep 512 units away (nearer only in sight), not far beyond the wave"
else
    not_ok "containers started later keep 512 units away (nearer only in sight), not far beyond the wave" \
        "late: ${late//$'\n'/, }; wave $near..$far"
fi

# Unprovoked, container monsters leave the player alone: none gets him
# to attack, and the stats lines after the last spawn (two, or at least
# one when the machine is slow) say he is unharmed.
stats_after_spawns() {
    awk -v want="$2" '/^dockerdoom: spawn /{n=0} /^dockerdoom: stats /{n++}
        END{exit !(n>=want)}' "$1"
}
wait_until 15 stats_after_spawns "$LOG" 2 || true
check_eq "unprovoked container monsters stay asleep (no awake line)" "" \
    "$(grep '^dockerdoom: awake ' "$LOG" || true)"
if stats_after_spawns "$LOG" 1; then
    check_eq "unprovoked container monsters never hurt the player" "" \
        "$(grep '^dockerdoom: stats ' "$LOG" | grep -v ' health=100$' || true)"
else
    not_ok "unprovoked container monsters never hurt the player" \
        "no stats line after the last spawn in 15 s"
fi

type_keys iddqd
sleep 0.3
type_keys idrm
wait_until 5 has_at_least "$LOG" kill-request 1 || true
requested=$(ids_of "$LOG" kill-request)
nreq=$(count_of "$LOG" kill-request)
if [ "$nreq" -ge 1 ]; then
    ok "the cheat kills container monsters in view ($nreq)"
else
    not_ok "the cheat kills container monsters in view"
fi
wait_until 5 has_at_least "$LOG" kill-result "$nreq" || true
check_eq "every kill request gets a result" "$requested" \
    "$(ids_of "$LOG" kill-result)"
check_eq "every kill result is ok" "0" \
    "$(grep '^dockerdoom: kill-result ' "$LOG" | grep -vc 'result=ok$' || true)"
written=$(cd "$DIR" && for d in */; do
    d=${d%/}
    if [ "$(cat "$d/kill")" = 1 ]; then echo "$d"; fi
done | sort)
check_eq "kill files written are exactly those of the killed monsters" \
    "$requested" "$written"
others=$(cd "$DIR" && for d in */; do
    d=${d%/}
    c=$(cat "$d/kill")
    if [ -n "$c" ] && [ "$c" != 1 ]; then echo "$d: $c"; fi
done)
check_eq "nothing but 1 is ever written" "" "$others"
wait_until 5 grep -q '^dockerdoom: message ok idrm: ' "$LOG" || true
check_eq "idrm's results come as one summary" \
    "dockerdoom: message ok idrm: $nreq killed" \
    "$(grep '^dockerdoom: message [a-z]* idrm: [0-9]' "$LOG" || true)"
# The menu pauses play: the tic rate counts play only, so the first
# stats line after 6 s in the menu still covers 5 s (plus at most one
# 250 ms step), not the 11 s of the wall clock.
press_key Escape
sleep 6
press_key Escape
# (No stats line at all is a failure of the checks below, not the end
# of the script: grep finds nothing, says 0 and fails, which set -e
# must not see.)
before=$(grep -c '^dockerdoom: stats ' "$LOG" || true)
wait_until 10 eval "[ \$(grep -c '^dockerdoom: stats ' '$LOG') -gt $before ]" || true
secs=$(grep '^dockerdoom: stats ' "$LOG" | sed -n "$((before + 1))s/.* seconds=\([0-9.]*\) .*/\1/p" || true)
if [ -n "$secs" ] && awk -v s="$secs" 'BEGIN { exit !(s >= 5.0 && s <= 5.3) }'; then
    ok "the stats line counts play time only ($secs s after a 6 s menu)"
else
    not_ok "the stats line counts play time only" "seconds=${secs:-none}"
fi
# Those idrm did not reach still stand, by the game's own count in that
# stats line: every monster spawned but the one removed and those killed.
alive=$(grep '^dockerdoom: stats ' "$LOG" | sed -n "$((before + 1))s/.* monsters=\([0-9]*\) .*/\1/p" || true)
left=$(( $(count_of "$LOG" spawn) - 1 - nreq ))
if [ "${alive:-0}" -ge 1 ] && [ "$alive" -eq "$left" ]; then
    ok "monsters out of view are left alone ($alive still stand)"
else
    not_ok "monsters out of view are left alone" \
        "monsters=${alive:-none} in the stats line, want $left (at least 1)"
fi
check "the game is still running" game_alive
game_stop

# --- 2. a failed kill is reported and the monster comes back ---------------
DIR=$TMP/fail
LOG=$TMP/fail.log
make_entries "$DIR" 3 locked
for d in "$DIR"/*/; do
    # A kill that is a directory: the write fails with EISDIR.
    rm -f "$d/kill"
    mkdir "$d/kill"
done
start_game "$LOG" "$DIR" freedoom2.wad 1
wait_until 30 has_at_least "$LOG" spawn 3 || true
type_keys iddqd
sleep 0.3
type_keys idrm
if wait_until 5 grep -q '^dockerdoom: kill-result .* result=EISDIR$' "$LOG"; then
    ok "a failed kill write is logged with its errno"
else
    not_ok "a failed kill write is logged with its errno" "$(grep dockerdoom "$LOG")"
fi
failed=$(sed -n 's/^dockerdoom: kill-result id=\([0-9a-f]*\) .*result=EISDIR$/\1/p' "$LOG" | head -n1)
respawned() {
    [ "$(grep -c "^dockerdoom: spawn id=$failed " "$LOG")" -ge 2 ]
}
if [ -n "$failed" ] && wait_until 5 respawned; then
    ok "the monster of a failed kill comes back"
else
    not_ok "the monster of a failed kill comes back" "$(grep dockerdoom "$LOG")"
fi
nfailed=$(count_of "$LOG" kill-request)
check "the summary names the failures by errno" grep -q \
    "^dockerdoom: message fail idrm: $nfailed failed (EISDIR)\$" "$LOG"
game_stop

# --- 2b. a protected monster does not attack unless attacked ---------------
# Eight protected entries whose kill files are immutable: a kill write is
# refused with EPERM, as dockerfs refuses a protected container's (where
# the file system cannot mark a file immutable, a kill that is a directory
# is refused with EISDIR instead). Once they stand, the nearest one in view
# is unprotected: waking to the player's punches, it shows the noise is
# heard where they stand, and no protected one wakes ("awake": a monster
# got a player to attack). Protected again while awake, never hit, it
# falls asleep and leaves the player alone with god mode off. Then, that
# one gone, idrm kills the protected ones in view: their kills are
# refused, they rise and now fight back, and the player's health drops;
# one of them turning unprotected and protected again fights on.
DIR=$TMP/protected
LOG=$TMP/protected.log
make_entries "$DIR" 8 guard
refused=EPERM
for d in "$DIR"/*/; do
    echo 1 >"$d/protected"
    if ! chattr +i "$d/kill" 2>/dev/null; then
        rm -f "$d/kill" && mkdir "$d/kill"
        refused=EISDIR
    fi
done
[ "$refused" = EPERM ] || note "chattr +i fails on $TMP: kills are refused with EISDIR"
start_game "$LOG" "$DIR" freedoom2.wad 1
wait_until 30 has_at_least "$LOG" spawn 8 || true
check_eq "protected entries are logged as such" 8 "$(count_of "$LOG" protected)"
# "DIST ID" of each monster in the player's view, nearest first.
inview=$(sed -n 's/^dockerdoom: spawn id=\([0-9a-f]*\) .* dist=\([0-9]*\) view=1 .*/\2 \1/p' "$LOG" | sort -n)
noisy=$(echo "$inview" | sed -n '1s/.* //p')
check "two monsters or more stand in the player's view ($(echo "$inview" | grep -c .))" \
    test "$(echo "$inview" | grep -c .)" -ge 2
if [ -n "$noisy" ]; then
    echo 0 >"$DIR/$noisy/protected"
    touch "$DIR/$noisy"
fi
wait_until 5 grep -q "^dockerdoom: unprotected id=$noisy " "$LOG" || true
type_keys iddqd
# The fist, so no shot hits anyone (a hit would wake a protected monster).
if punch_until 15 grep -q "^dockerdoom: awake id=$noisy " "$LOG"; then
    ok "the punches wake the unprotected monster in view"
else
    not_ok "the punches wake the unprotected monster in view" "$(grep '^dockerdoom: ' "$LOG")"
fi
# Awake and never hit, it turns protected: it falls asleep on the tic the
# game takes the change, and no longer attacks: no new target (no awake
# line after it), and the player is unharmed after 5 s of play with god
# mode off (the second stats line from then).
if [ -n "$noisy" ]; then
    echo 1 >"$DIR/$noisy/protected"
    touch "$DIR/$noisy"
fi
if wait_until 5 grep -q "^dockerdoom: asleep id=$noisy " "$LOG"; then
    ok "an awake monster never hit falls asleep when it turns protected"
else
    not_ok "an awake monster never hit falls asleep when it turns protected" \
        "$(grep "^dockerdoom: [a-z-]* id=$noisy " "$LOG")"
fi
type_keys iddqd
stats_count() { grep -c '^dockerdoom: stats ' "$LOG" || true; }
stats_at_least() { [ "$(stats_count)" -ge "$1" ]; }
godoff=$(stats_count)
if wait_until 15 stats_at_least $((godoff + 2)); then
    health=$(grep '^dockerdoom: stats ' "$LOG" |
        sed -n "$((godoff + 2))s/.* health=\(-*[0-9]*\)$/\1/p")
    check_eq "asleep, it leaves the player alone (health after 5 s of play without god mode)" \
        100 "$health"
else
    not_ok "asleep, it leaves the player alone" "no second stats line in 15 s"
fi
check_eq "asleep, it gets no new target (no awake line after asleep)" "" \
    "$(sed -n "/^dockerdoom: asleep id=$noisy /,\$p" "$LOG" |
        grep "^dockerdoom: awake id=$noisy " || true)"
if [ -n "$noisy" ]; then
    chattr -i "$DIR/$noisy/kill" 2>/dev/null || true
    rm -rf "${DIR:?}/$noisy"
fi
wait_until 5 grep -q "^dockerdoom: despawn id=$noisy " "$LOG" || true
# Awake lines of protected monsters whose kill was not refused before.
woke_unprovoked() {
    awk -v noisy="$noisy" -v refused="$refused" '
        /^dockerdoom: kill-result / && $0 ~ " result=" refused "$" {
            split($3, id, "="); shot[id[2]] = 1 }
        /^dockerdoom: awake / { split($3, id, "=")
            if (id[2] != noisy && !(id[2] in shot)) print }' "$LOG"
}
check_eq "no protected monster wakes to the noise" "" "$(woke_unprovoked)"
type_keys idrm
if wait_until 5 grep -q "^dockerdoom: kill-result .* result=$refused\$" "$LOG"; then
    ok "idrm's kill of a protected monster is refused ($refused)"
else
    not_ok "idrm's kill of a protected monster is refused ($refused)" "$(grep '^dockerdoom: ' "$LOG")"
fi
# A monster whose kill was refused rose, got the player to attack, and a
# stats line after that shows he was hurt.
fights_back() {
    awk -v refused="$refused" -v want="$1" '
        /^dockerdoom: kill-result / && $0 ~ " result=" refused "$" {
            split($3, id, "="); shot[id[2]] = 1 }
        /^dockerdoom: awake / { split($3, id, "="); if (id[2] in shot) awake = 1 }
        awake && /^dockerdoom: stats / && !/ health=100$/ { hurt = 1 }
        END { exit !(want == "awake" ? awake : hurt) }' "$LOG"
}
check "a protected monster whose kill is refused rises and fights back (awake)" \
    wait_until 10 fights_back awake
# Provoked, it fights on when its protection changes: the first of them
# to wake turns unprotected, then protected again; it is not put to
# sleep, and the player is hurt after that (a stats line with less
# health than the last one before).
rose=$(awk -v refused="$refused" '
    /^dockerdoom: kill-result / && $0 ~ " result=" refused "$" {
        split($3, id, "="); shot[id[2]] = 1 }
    /^dockerdoom: awake / { split($3, id, "=")
        if (id[2] in shot) { print id[2]; exit } }' "$LOG")
reprotected() { [ "$(grep -c "^dockerdoom: protected id=$rose " "$LOG")" -ge 2 ]; }
if [ -n "$rose" ]; then
    echo 0 >"$DIR/$rose/protected"
    touch "$DIR/$rose"
    wait_until 5 grep -q "^dockerdoom: unprotected id=$rose " "$LOG" || true
    echo 1 >"$DIR/$rose/protected"
    touch "$DIR/$rose"
fi
if [ -n "$rose" ] && wait_until 5 reprotected; then
    check_eq "a provoked monster that turns protected again fights on (no asleep line)" "" \
        "$(grep "^dockerdoom: asleep id=$rose " "$LOG" || true)"
else
    not_ok "a provoked monster that turns protected again fights on" \
        "no second protected line for ${rose:-(none awake)}"
fi
hurt_after_reprotect() {
    awk -v rose="$rose" '
        /^dockerdoom: protected / && $3 == "id=" rose { n++ }
        /^dockerdoom: stats / { h = $NF; sub(/health=/, "", h)
            if (n < 2) before = h; else if (h + 0 < before + 0) hurt = 1 }
        BEGIN { before = 100 }
        END { exit !hurt }' "$LOG"
}
check "and hurts the player (health below 100)" wait_until 15 fights_back hurt
check "and hurts the player after that" wait_until 15 hurt_after_reprotect
note "$(grep '^dockerdoom: stats ' "$LOG" | tail -n 1 || true)"
check_eq "no protected monster woke but those whose kill was refused" "" "$(woke_unprovoked)"
game_stop
chattr -i "$DIR"/*/kill 2>/dev/null || true

# --- 3. renames, image changes, a kill the engine does not answer ----------
DIR=$TMP/slow
LOG=$TMP/slow.log
make_entries "$DIR" 12 slow
for d in "$DIR"/*/; do
    # Opening a FIFO for writing blocks until someone reads it: a kill
    # write that hangs as one on a stuck engine would.
    rm -f "$d/kill"
    mkfifo "$d/kill"
done
start_game "$LOG" "$DIR" freedoom2.wad 1
wait_until 30 has_at_least "$LOG" spawn 12 || true
first=$(ids_of "$LOG" spawn | head -n1)
second=$(ids_of "$LOG" spawn | sed -n 2p)
echo "renamed one" >"$DIR/$first/name"
if wait_until 5 grep -q "^dockerdoom: rename id=$first name=renamed_one " "$LOG"; then
    ok "a rename is logged with the new name"
else
    not_ok "a rename is logged with the new name" "$(grep dockerdoom "$LOG")"
fi
old_type=$(sed -n "s/^dockerdoom: spawn id=$second .* type=\([a-z]*\) .*/\1/p" "$LOG" | head -n1)
# A new image gets a type no other image holds, never the one given up.
echo image-other >"$DIR/$second/image"
new_type=
if wait_until 5 grep -q "^dockerdoom: image id=$second " "$LOG"; then
    new_type=$(sed -n "s/^dockerdoom: image id=$second .* type=\([a-z]*\)$/\1/p" "$LOG" | tail -n1)
fi
if [ -n "$new_type" ] && [ "$new_type" != "$old_type" ]; then
    ok "an image change is logged and changes the monster ($old_type -> $new_type)"
else
    not_ok "an image change is logged and changes the monster" "$(grep dockerdoom "$LOG")"
fi
check_eq "the new monster stands where the old one stood" "1" \
    "$(grep -c "^dockerdoom: spawn id=$second " "$LOG")"
third=$(ids_of "$LOG" spawn | sed -n 3p)
echo paused >"$DIR/$third/state"
if wait_until 5 grep -q "^dockerdoom: paused id=$third " "$LOG"; then
    ok "a paused container's monster is frozen"
else
    not_ok "a paused container's monster is frozen" "$(grep dockerdoom "$LOG")"
fi
echo running >"$DIR/$third/state"
if wait_until 5 grep -q "^dockerdoom: unpaused id=$third " "$LOG"; then
    ok "and moves on when the container is unpaused"
else
    not_ok "and moves on when the container is unpaused" "$(grep dockerdoom "$LOG")"
fi
type_keys iddqd
sleep 0.3
type_keys idrm
wait_until 5 has_at_least "$LOG" kill-request 1 || true
if wait_until 10 grep -q '^dockerdoom: kill-slow ' "$LOG"; then
    ok "a kill not answered is logged"
else
    not_ok "a kill not answered is logged" "$(grep dockerdoom "$LOG")"
fi
# The message follows the kill-slow line (the same tic or the next): wait
# for it rather than read the log once.
check "the player is told the engine has not answered for 5 s" wait_until 5 grep -Eq \
    '^dockerdoom: message fail .*: engine has not answered for 5 s$' "$LOG"
# These were idrm's: the message says how far it got, and says it again
# every 5 s while results are missing.
check "idrm says how far it got (N of M done, K waiting)" grep -Eq \
    '^dockerdoom: message fail idrm: 0 of [0-9]+ done, [0-9]+ waiting: engine has not answered for 5 s$' "$LOG"
if wait_until 8 grep -Eq '^dockerdoom: message fail idrm: [0-9]+ of [0-9]+ done, [0-9]+ waiting: engine has not answered for 1[0-9] s$' "$LOG"; then
    ok "and again 5 s later"
else
    not_ok "and again 5 s later" "$(grep '^dockerdoom: message' "$LOG")"
fi
# The engine answers at last: every write goes through.
readers=()
for d in "$DIR"/*/; do
    timeout 10 cat "$d/kill" >/dev/null &
    readers+=($!)
done
nreq=$(count_of "$LOG" kill-request)
if wait_until 10 has_at_least "$LOG" kill-result "$nreq"; then
    ok "late answers are still taken ($nreq)"
else
    not_ok "late answers are still taken" "$(grep dockerdoom "$LOG")"
fi
wait "${readers[@]}" 2>/dev/null || true
# Results before the last one each say how far the idrm got, in the log
# too (the last one gives the summary instead).
if [ "$nreq" -ge 2 ]; then
    check "idrm's progress is logged (idrm: N of $nreq)" grep -Eq \
        "^dockerdoom: progress idrm: [0-9]+ of $nreq\$" "$LOG"
else
    not_ok "idrm's progress is logged" "only $nreq kill requests"
fi
game_stop

# --- 4. fleets of 50 and 300 on two maps -----------------------------------
run_fleet() {
    local iwad=$1 map=$2 n=$3
    shift 3
    local dir=$TMP/fleet-$n-$map log=$TMP/fleet-$n-$map.log
    make_entries "$dir" "$n" "svc"
    start_game "$log" "$dir" "$iwad" "$@"
    if wait_until 60 has_at_least "$log" spawn "$n"; then
        ok "$n entries spawn on $map"
    else
        not_ok "$n entries spawn on $map" \
            "spawned $(count_of "$log" spawn), waiting $(count_of "$log" waiting)
$(tail -n 5 "$log.err")"
    fi
    type_keys iddqd
    # Punches make noise and reach no one: the fleet wakes and fights the
    # (god mode) player, and their missiles fly through each other.
    check "the punches wake container monsters ($n on $map)" \
        punch_until 15 grep -q '^dockerdoom: awake ' "$log"
    # Two stats lines: the game ran 10 s with the fleet.
    wait_until 15 eval "[ \$(grep -c '^dockerdoom: stats ' '$log') -ge 2 ]" || true
    if game_alive && grep -q '^dockerdoom: stats ' "$log"; then
        ok "the game keeps running with $n monsters on $map"
    else
        not_ok "the game keeps running with $n monsters on $map" \
            "$(tail -n 5 "$log.err")"
    fi
    check_eq "only the player kills containers ($n on $map)" "0" \
        "$(count_of "$log" kill-request)"
    check_eq "no monster targets a container, containers target only the player ($n on $map)" "" \
        "$(grep '^dockerdoom: infighting ' "$log" | head -n 3 || true)"
    shielded=$(sed -n 's/^dockerdoom: shielded hits=//p' "$log" | tail -n 1)
    note "$map n=$n: ${shielded:-0} hits by monsters on containers ignored"
    if [ "$n" -ge 300 ]; then
        # So many monsters always hit each other: the shield was tested.
        check "monsters did hit containers ($n on $map)" test "${shielded:-0}" -gt 0
    fi
    spared=$(sed -n 's/^dockerdoom: spared hits=//p' "$log" | tail -n 1)
    note "$map n=$n: ${spared:-0} hits by containers on the map's monsters ignored"
    if [ -n "${CROSSFIRE:-}" ]; then
        check "containers' shots did reach the map's monsters ($n on $map)" \
            test "${spared:-0}" -gt 0
    fi
    note "$map n=$n $(grep '^dockerdoom: stats ' "$log" | tail -n 1 || true)"
    game_stop
    rm -rf "$dir"
}
MONSTERS=
run_fleet freedoom2.wad MAP01 50 1
run_fleet freedoom2.wad MAP01 300 1
run_fleet freedoom1.wad E1M1 50 1 1
run_fleet freedoom1.wad E1M1 300 1 1
# MAP02's start room has the map's monsters in the containers' line of
# fire: without the rule that containers harm only players, some of them
# turn on the containers (and die) within the 10 s.
CROSSFIRE=1 run_fleet freedoom2.wad MAP02 300 2

# --- 5. 10000 entries --------------------------------------------------------
DIR=$TMP/many
LOG=$TMP/many.log
ids=()
for ((i = 0; i < 10000; i++)); do
    printf -v id '%012x' $((0x300000 + i))
    ids+=("$DIR/$id")
done
mkdir -p "$DIR" && mkdir "${ids[@]}"
for ((i = 0; i < 10000; i++)); do
    echo "many-$i" >"${ids[i]}/name"
    echo "image-$((i % 7)):latest" >"${ids[i]}/image"
    : >"${ids[i]}/kill"
done
MONSTERS=-nomonsters
start_game "$LOG" "$DIR" freedoom2.wad 1
spawned_and_waiting() {
    [ $(( $(count_of "$LOG" spawn) + $(count_of "$LOG" waiting) )) -ge 10000 ]
}
if wait_until 60 spawned_and_waiting; then
    ok "10000 entries: each spawns or waits ($(count_of "$LOG" spawn) spawned)"
else
    not_ok "10000 entries: each spawns or waits" \
        "spawned $(count_of "$LOG" spawn), waiting $(count_of "$LOG" waiting)"
fi
wait_until 15 eval "[ \$(grep -c '^dockerdoom: stats ' '$LOG') -ge 2 ]" || true
check "the game keeps running with 10000 entries" game_alive
note "n=10000 $(grep '^dockerdoom: stats ' "$LOG" | tail -n 1 || true)"
game_stop
rm -rf "$DIR"

# --- 6. entries wait; the player walks off; spots are searched again -------
# -ddspots 4 keeps 4 spots per search, so of 8 entries 4 wait on any map.
DIR=$TMP/walk
LOG=$TMP/walk.log
make_entries "$DIR" 8 walk
MONSTERS="-nomonsters -ddspots 4"
start_game "$LOG" "$DIR" freedoom2.wad 1
MONSTERS=-nomonsters
# Monsters on the 4 nearest spots stand in each other's way: some fit.
wait_until 30 eval '[ $(( $(count_of "$LOG" spawn) + $(count_of "$LOG" waiting) )) -ge 8 ]' || true
waited=$(ids_of "$LOG" waiting)
check "with 4 spots, some of 8 entries spawn ($(count_of "$LOG" spawn))" \
    has_at_least "$LOG" spawn 1
check "and the rest wait ($(echo "$waited" | grep -c .))" \
    test "$(( $(count_of "$LOG" spawn) + $(echo "$waited" | grep -c .) ))" -eq 8
searches=$(grep -c '^dockerdoom: level search ' "$LOG" || true)
start_at=$(sed -n 's/^dockerdoom: level search x=\(-*[0-9]*\) y=\(-*[0-9]*\) .*/\1 \2/p' "$LOG" | head -n1)
# Walk (run) forward, turning a little so a wall ahead does not stop it.
type_keys iddqd
win=$(timeout 10 xdotool search --limit 1 --class chocolate-doom || true)
[ -n "$win" ] && xdotool windowfocus "$win" 2>/dev/null || true
xdotool keydown Shift_L keydown Up; sleep 1.2
xdotool keydown Left; sleep 0.3; xdotool keyup Left; sleep 1
xdotool keyup Up keyup Shift_L || true
moved() { [ "$(grep -c '^dockerdoom: level search ' "$LOG")" -gt "$searches" ]; }
wait_until 5 moved || true
new_at=$(sed -n 's/^dockerdoom: level search x=\(-*[0-9]*\) y=\(-*[0-9]*\) .*/\1 \2/p' "$LOG" | sed -n "$((searches + 1))p")
note "searched from $start_at, then from ${new_at:-nowhere}"
if [ -n "$new_at" ] && awk -v a="$start_at" -v b="$new_at" 'BEGIN {
        split(a, p, " "); split(b, q, " ")
        exit !((p[1] - q[1]) ^ 2 + (p[2] - q[2]) ^ 2 > 128 ^ 2) }'; then
    ok "walking 128 units off searches again from where the player stands"
else
    not_ok "walking 128 units off searches again from where the player stands" \
        "$(grep '^dockerdoom: level ' "$LOG")"
fi
after_search() {
    awk -v n="$searches" -v w="$(echo $waited)" '
        BEGIN { split(w, a, " "); for (i in a) waited[a[i]] = 1 }
        /^dockerdoom: level search / { s++ }
        s > n && /^dockerdoom: spawn / { split($3, id, "="); if (id[2] in waited) c++ }
        END { exit !(c >= 1) }' "$LOG"
}
if wait_until 5 after_search; then
    ok "and a waiting entry spawns from the new search ($(count_of "$LOG" spawn) of 8)"
else
    not_ok "and a waiting entry spawns from the new search" "$(grep '^dockerdoom: \(level\|spawn\|waiting\)' "$LOG")"
fi
check "the game is still running" game_alive
game_stop

# --- 7. a -dockerfs directory that does not exist ----------------------------
rc=0
HOME="$TMP/home" timeout 20 "$GAME" -iwad "$IWADS/freedoom2.wad" \
    -dockerfs "$TMP/no-such-dir" -window -nosound -nomusic \
    >"$TMP/nodir.log" 2>&1 </dev/null || rc=$?
check_eq "a missing -dockerfs directory ends the game with status 2" "2" "$rc"
check "and says which and why" grep -q \
    "^dockerdoom: -dockerfs $TMP/no-such-dir: No such file or directory$" \
    "$TMP/nodir.log"

tap_done
