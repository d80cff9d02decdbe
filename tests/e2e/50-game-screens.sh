#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 50-game-screens.sh - what the player sees, from screenshots taken through
# VNC (tests/helpers/vnc/vncplay) and measured by tests/helpers/vnc/pngcheck.
# The game (build/game/chocolate-doom) runs on a plain directory of 300
# entries (a third protected, a third paused, one name on two engines)
# under Xvfb and x11vnc, with -ddlabellog (it logs the labels it drew)
# and -ddtest (the idexit cheat ends the level). No Docker.
#
#   - a crowd of 300: with the game paused, a picture with labels and one
#     without (the idlabels cheat): every pixel that differs lies in a
#     label the game says it drew (or the message line, which says
#     "labels off"), each label spans its box and names its monster
#     whole, none overlaps another or the message lines
#   - marks: a protected container's label is blue, a plain one yellow,
#     a paused one grey; a name on two engines reads NAME@ENGINE
#   - no pointer: the picture does not change when the X pointer moves
#     (x11vnc with XFIXES shows the window's cursor: the game hides it)
#   - F1: the help screen (mostly its dark backdrop), logged line by line
#   - the tally: after idrm and the end of the level, the intermission
#     says what was removed and what failed, as the log's kill results
#     do, in the box the game logged
# Pictures are saved in SHOTS_DIR (default build/shots/: crowd.png,
# help.png, tally.png; SHOTS_DIR=docs refreshes README's).
# shellcheck disable=SC2317  # helpers are called through wait_until
set -uo pipefail

REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export REPO
# shellcheck source=tests/lib/tap.sh
. "$REPO/tests/lib/tap.sh"
# shellcheck source=tests/e2e/lib/xstack.sh
. "$REPO/tests/e2e/lib/xstack.sh"

xstack_test_init gs
GAME=${GAME_BIN:-$REPO/build/game/chocolate-doom}
IWAD=${IWAD:-/usr/share/games/doom/freedoom2.wad}
SHOTS_DIR=${SHOTS_DIR:-$REPO/build/shots}
N=300
GAME_PID=

for tool in Xvfb x11vnc xdotool; do
    command -v "$tool" >/dev/null || { not_ok "tool $tool installed"; tap_done; }
done
if [ ! -x "$GAME" ] || [ ! -f "$IWAD" ]; then
    not_ok "needs $GAME (make game) and $IWAD"
    tap_done
fi
if ! VP=$(vncplay_bin) || ! PC=$(pngcheck_bin); then
    not_ok "vncplay and pngcheck build"
    tap_done
fi

game_cleanup() {
    if [ -n "$GAME_PID" ]; then
        kill -TERM "$GAME_PID" 2>/dev/null || true
        wait "$GAME_PID" 2>/dev/null || true
    fi
    xstack_test_cleanup
}
trap game_cleanup EXIT

# --- the fleet: svc-N, a third protected (their kills fail: EISDIR), a
# third paused, and web on two engines
DIR=$T/fleet
mkdir -p "$DIR"
for ((i = 1; i <= N; i++)); do
    id=$(printf '%06x%06x' 5 "$i")
    mkdir "$DIR/$id"
    name=svc-$i
    engine=e0
    if [ "$i" -le 2 ]; then
        name=web
        engine=e$((i - 1))
    fi
    echo "$name" >"$DIR/$id/name"
    echo "image-$((i % 5)):latest" >"$DIR/$id/image"
    echo "$engine" >"$DIR/$id/engine"
    state=running
    protected=0
    case $((i % 3)) in
        0) protected=1 ;;
        1) [ "$i" -gt 2 ] && state=paused ;;
    esac
    echo "$state" >"$DIR/$id/state"
    echo "$protected" >"$DIR/$id/protected"
    if [ "$protected" = 1 ]; then
        mkdir "$DIR/$id/kill"
    else
        : >"$DIR/$id/kill"
    fi
done

# x11vnc shows the cursor of the window under the pointer (XFIXES, which
# it leaves alone without a window manager unless told): the game's own.
export X11VNC_AVOID_WINDOWS=never
if ! xstack_start "$T/x" "$PASS"; then
    not_ok "Xvfb and x11vnc start"
    tap_done
fi
LOG=$T/game.log
mkdir -p "$T/home/.local/share/chocolate-doom" "$SHOTS_DIR"
# The full-width view, as the game container sets it.
echo "screenblocks 10" >"$T/home/.local/share/chocolate-doom/default.cfg"
DISPLAY=$XS_DISPLAY HOME=$T/home "$GAME" -iwad "$IWAD" -dockerfs "$DIR" \
    -window -geometry 640x480 -nosound -nomusic -skill 3 -nomonsters \
    -ddlabellog -ddtest -warp 1 >"$LOG" 2>"$LOG.err" </dev/null &
GAME_PID=$!

play() {
    VNC_PASSWORD=$PASS "$VP" "127.0.0.1:$XS_VNC_PORT" "$@" 2>>"$T/vncplay.log"
}
spawned() {
    [ "$(sed -n 's/^dockerdoom: spawn id=\([0-9a-f]*\) .*/\1/p' "$LOG" | sort -u | wc -l)" -ge "$N" ]
}
if wait_until 120 spawned; then
    ok "all $N entries have a monster"
else
    not_ok "all $N entries have a monster" "$(tail -n 5 "$LOG.err")"
    tap_done
fi

# The label a monster must have: its name, @engine for web.
want_text() {
    local id=$1 name
    name=$(cat "$DIR/$id/name")
    if [ "$name" = web ]; then
        echo "web@$(cat "$DIR/$id/engine")"
    else
        echo "$name"
    fi
}

# The last block of label lines the game logged.
last_labels() {
    awk '/^dockerdoom: labels drawn=/ { n = 0; delete l; next }
         /^dockerdoom: label id=/ { l[++n] = $0 }
         END { for (i = 1; i <= n; i++) print l[i] }' "$LOG"
}
labels_logged() {
    grep -q '^dockerdoom: labels drawn=' "$LOG"
}

# Labels are drawn 320x200 and shown 640x480: x * 2, y * 2.4; grown by
# MARGIN pixels each way, for the scaler's smoothing at the edges.
to_px() {
    awk -v x="$1" -v y="$2" -v w="$3" -v h="$4" -v m="${MARGIN:-0}" 'BEGIN {
        top = int(2.4 * y); bottom = int(2.4 * (y + h) + 0.999)
        printf "%d %d %d %d", 2 * x - m, top - m, 2 * w + 2 * m, bottom - top + 2 * m }'
}
# The message lines: rows above the labels' top (DD_HudLabelTop, 29).
BAND=$(to_px 0 0 320 29)

# One look at the crowd: paused, a picture with labels and one without.
# Sets SHOT_ON, SHOT_OFF and LABELS.
look() {
    local k=$1
    SHOT_ON=$T/crowd-$k.png
    SHOT_OFF=$T/crowd-$k-off.png
    play typedelay 50 tap Pause wait 1500 || return 1
    wait_until 5 labels_logged || return 1
    # The label log prints at most once a second, when the set changed:
    # in a paused game it settles.
    sleep 1.2
    LABELS=$(last_labels)
    play wait 500 shot "$SHOT_ON" typedelay 50 type idlabels wait 800 shot "$SHOT_OFF" \
        type idlabels wait 300 || return 1
}

# --- 1. the crowd, and 2. its marks -----------------------------------------
play typedelay 50 type iddqd wait 800 || true
found=0
for k in 1 2 3 4; do
    if ! look "$k"; then
        not_ok "pictures of the crowd through VNC" "$(tail -n 3 "$T/vncplay.log")"
        tap_done
    fi
    if grep -q 'marks=P' <<<"$LABELS" && grep -q 'marks= *$' <<<"$LABELS"; then
        found=1
        break
    fi
    # Not both kinds in view: turn a little and look again.
    play typedelay 50 tap Pause hold Left 350 wait 800 || true
done
cp "$SHOT_ON" "$SHOTS_DIR/crowd.png"
nlabels=$(grep -c . <<<"$LABELS")
note "$nlabels labels drawn; $(grep '^dockerdoom: labels drawn=' "$LOG" | tail -n 1)"
check "a crowd of $N: labels are drawn, at most 32 ($nlabels)" \
    test "$nlabels" -ge 3 -a "$nlabels" -le 32
check "protected and plain labels both in view (after ${k} looks)" test "$found" = 1

boxes=("$BAND")
exact=()
bad_text=
bad_place=
while read -r line; do
    [ -n "$line" ] || continue
    id=$(sed -n 's/.* id=\([0-9a-f]*\) .*/\1/p' <<<"$line")
    text=$(sed -n 's/.* text=\([^ ]*\) .*/\1/p' <<<"$line")
    read -r x y w h < <(sed -n 's/.* x=\([0-9-]*\) y=\([0-9-]*\) w=\([0-9]*\) h=\([0-9]*\) .*/\1 \2 \3 \4/p' <<<"$line")
    [ "$text" = "$(want_text "$id")" ] || bad_text+="$id: $text; "
    { [ "$y" -ge 29 ] && [ $((y + h)) -le 200 ] && [ "$x" -ge 0 ] && [ $((x + w)) -le 320 ]; } ||
        bad_place+="$id at $x,$y; "
    boxes+=("$(MARGIN=2 to_px "$x" "$y" "$w" "$h")")
    exact+=("$(to_px "$x" "$y" "$w" "$h")")
done <<<"$LABELS"
check_eq "every label names its own monster whole" "" "$bad_text"
check_eq "every label is on screen, below the message lines" "" "$bad_place"

# shellcheck disable=SC2068  # one word per number
out=$("$PC" diff "$SHOT_ON" "$SHOT_OFF" ${boxes[@]})
check_eq "every pixel labels change lies in a label the game drew" "outside 0" \
    "$(head -n 1 <<<"$out")"
overlap=$(awk '{ x[NR] = $1; y[NR] = $2; w[NR] = $3; h[NR] = $4 }
    END { for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++)
        if (x[i] < x[j] + w[j] && x[j] < x[i] + w[i] && y[i] < y[j] + h[j] && y[j] < y[i] + h[i])
            print i, j }' < <(printf '%s\n' "${exact[@]}"))
check_eq "no two labels overlap" "" "$overlap"

# Per label (box i+1 of the diff): drawn across its box, and its colour.
i=0
bad_whole=
bad_colour=
while read -r line; do
    [ -n "$line" ] || continue
    i=$((i + 1))
    read -r _ _ _ _ _ cols _ width _ lit _ r g b < <(sed -n "$((i + 2))p" <<<"$out")
    # The box was grown by 2 pixels each way: 4 columns no label reaches.
    [ "$lit" -gt 0 ] && [ $((cols * 10)) -ge $(((width - 4) * 8)) ] || bad_whole+="$line ($cols of $width); "
    case $line in
        *marks=P*) [ "$b" -gt $((r + 30)) ] || bad_colour+="protected $r,$g,$b; " ;;
        *marks=Z*) [ $((r - b)) -lt 40 ] && [ $((b - r)) -lt 40 ] || bad_colour+="paused $r,$g,$b; " ;;
        *) [ "$r" -gt $((b + 40)) ] || bad_colour+="plain $r,$g,$b; " ;;
    esac
done <<<"$LABELS"
check_eq "each label is drawn whole across its box" "" "$bad_whole"
check_eq "protected labels are blue, paused grey, the others yellow" "" "$bad_colour"
if grep -q 'text=web@e' "$LOG"; then
    ok "the name on two engines reads NAME@ENGINE ($(grep -o 'text=web@e[01]' "$LOG" | sort -u | tr '\n' ' '))"
else
    note "web was not in view: NAME@ENGINE not seen on screen (unit tested)"
fi

# --- 3. no pointer ----------------------------------------------------------
play wait 500 shot "$T/still-1.png" || true
DISPLAY=$XS_DISPLAY xdotool mousemove 100 100 2>/dev/null || true
play wait 400 shot "$T/still-2.png" || true
DISPLAY=$XS_DISPLAY xdotool mousemove 520 380 2>/dev/null || true
play wait 400 shot "$T/still-3.png" || true
# (The message line may change meanwhile: "labels on" goes away.)
# shellcheck disable=SC2086  # one word per number
check_eq "the pointer moved over the paused game: nothing drawn changes" \
    "outside 0 outside 0" \
    "$("$PC" diff "$T/still-1.png" "$T/still-2.png" $BAND | head -n 1) $("$PC" diff "$T/still-1.png" "$T/still-3.png" $BAND | head -n 1)"

# --- 4. F1 --------------------------------------------------------------------
play typedelay 50 tap Pause wait 300 tap F1 wait 1000 shot "$T/help.png" tap Escape wait 300 || true
cp "$T/help.png" "$SHOTS_DIR/help.png" 2>/dev/null
check "F1 shows our help and logs it" grep -q '^dockerdoom: help shown$' "$LOG"
check "the help names idrm" grep -q '^dockerdoom: help | idrm - kill containers in view$' "$LOG"
check "the help says where the logs are" grep -q '^dockerdoom: help | logs - ' "$LOG"
read -r _ dark _ all < <("$PC" colour "$T/help.png" 24 24 32 12)
check "the help screen is its own (dark backdrop on $dark of $all pixels)" \
    test $((dark * 2)) -ge "${all:-1}"

# --- 5. the tally ---------------------------------------------------------------
play typedelay 50 type idrm wait 500 || true
summary() { grep -q '^dockerdoom: message [a-z]* idrm: [0-9]' "$LOG"; }
wait_until 15 summary || note "no idrm summary in the log"
removed=$(grep -c '^dockerdoom: kill-result .* result=ok$' "$LOG")
failed=$(grep -c '^dockerdoom: kill-result .* result=EISDIR$' "$LOG")
note "idrm: $(grep '^dockerdoom: message [a-z]* idrm: [0-9]' "$LOG" | tail -n 1)"
check "idrm removed some and failed some ($removed, $failed)" \
    test "$removed" -ge 1 -a "$failed" -ge 1
play typedelay 50 type idexit || true
tallied() { grep -q '^dockerdoom: tally-box ' "$LOG"; }
if wait_until 15 tallied; then
    ok "the level ends: intermission"
else
    not_ok "the level ends: intermission" "$(tail -n 5 "$LOG")"
fi
check_eq "the tally is logged as the kill results say" \
    "dockerdoom: tally map=MAP01 removed=$removed refused=0 failed=$failed errs=EISDIR" \
    "$(grep '^dockerdoom: tally map=' "$LOG")"
check_eq "and its text" \
    "dockerdoom: tally-text containers: removed $removed, failed $failed (EISDIR)" \
    "$(grep '^dockerdoom: tally-text ' "$LOG")"
play wait 2500 shot "$T/tally.png" || true
cp "$T/tally.png" "$SHOTS_DIR/tally.png" 2>/dev/null
read -r x y w h < <(sed -n 's/^dockerdoom: tally-box x=\([0-9]*\) y=\([0-9]*\) w=\([0-9]*\) h=\([0-9]*\)$/\1 \2 \3 \4/p' "$LOG")
# shellcheck disable=SC2046  # one word per number
read -r _ text _ < <("$PC" colour "$T/tally.png" 255 140 60 70 $(to_px "$x" "$y" "$w" "$h"))
# shellcheck disable=SC2046
read -r _ above _ < <("$PC" colour "$T/tally.png" 255 140 60 70 $(to_px "$x" $((y - 14)) "$w" "$h"))
check "the tally is on the intermission screen, in orange ($text pixels, $above just above)" \
    test "${text:-0}" -ge 40 -a $(( ${above:-0} * 4 )) -le "${text:-0}"
check "the game is still running" kill -0 "$GAME_PID"
tap_done
