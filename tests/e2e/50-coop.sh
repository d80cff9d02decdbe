#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 50-coop.sh - co-op: three real games of one netgame over loopback, each
# in its own Xvfb and played through its own VNC server with the tests'
# VNC client, on one real dockerfs mount of a real engine.
#
# The players (alice, bob, carol) join a dedicated server in a network
# namespace of the test's own (tests/lib/netgame.sh); alice's game reads
# the mount for everyone. Checked, from every game's log:
#   - every game spawns the same monsters on the same spots; every tic of
#     play hashes alike on every game (-ddsynclog: entries, monsters'
#     positions, health, states, the players, the random index)
#   - containers started, removed, renamed, paused while they play reach
#     every game, with no consistency failure
#   - each player's idrm (bob's first) kills containers: for each kill
#     dockerfs's audit log has exactly one write, from that player's game
#     (its kill thread); a refused kill (a protected container) rises
#     again on every game, and every HUD says so
#   - carol quits (F10, y): alice and bob play on; then alice, who reads
#     the mount, quits: bob's game takes over reading, a container started
#     then reaches it and bob kills it
#   - the scoreboard's numbers (score: lines) are the audit log's
# COOP_SOAK=SECONDS (make soak) plays on that long with changes every few
# seconds before the quits. COOP_PLAYERS=2 plays with alice and bob only.
# Helpers below are called through wait_until and traps:
# shellcheck disable=SC2317
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/dockerfs.sh
. "$HERE/../lib/dockerfs.sh"
# shellcheck source=tests/e2e/lib/xstack.sh
. "$HERE/lib/xstack.sh"
NG_PLAYERS=${COOP_PLAYERS:-3}
# shellcheck source=tests/lib/netgame.sh
. "$HERE/../lib/netgame.sh"

SOAK=${COOP_SOAK:-0}
NAMES=(- alice bob carol)

dfs_setup
T=$TESTS_TMP

coop_cleanup() {
    local rc=$?
    ng_down
    xstack_stop
    timeout 30 docker ps -aq --filter label=dockerdoom.e2e=50-coop |
        xargs -r timeout 30 docker rm -f >/dev/null 2>&1 || true
    dfs_cleanup
    return "$rc"
}
trap coop_cleanup EXIT

for tool in Xvfb x11vnc xdotool ip nsenter; do
    command -v "$tool" >/dev/null || { not_ok "tool $tool installed"; tap_done; }
done
if [ ! -x "$NG_GAME" ] || [ ! -f "$NG_IWAD" ]; then
    not_ok "needs $NG_GAME (make game) and $NG_IWAD"
    tap_done
fi
if ! VP=$(vncplay_bin); then
    not_ok "vncplay builds"
    tap_done
fi

# ------------------------------------------------------------------ setup

declare -A CID=()
start_c() {
    local name=$1 id
    shift
    id=$(run_c --name "$name" --label dockerdoom.e2e=50-coop "$@") || {
        not_ok "test container $name starts"
        return 1
    }
    CID[$name]=${id:0:12}
}
for i in 1 2 3 4 5 6; do
    start_c "web-$i" || tap_done
done

M=$T/mnt
dfs_mount "$M" || { not_ok "dockerfs mounts"; tap_done; }

PASS=co$RANDOM$RANDOM
PASS=${PASS:0:8}
declare -a VPORT=()
for ((k = 1; k <= NG_PLAYERS; k++)); do
    if ! xstack_start "$T/x$k" "$PASS"; then
        not_ok "Xvfb and x11vnc for player $k"
        tap_done
    fi
    VPORT[k]=$XS_VNC_PORT
    XDISP[k]=$XS_DISPLAY
done

T0=$(now_ms)
if ! ng_up; then
    not_ok "network namespace and server"
    tap_done
fi
ng_player 1 "${XDISP[1]}" "$M" alice -warp 1 -skill 3 -nomonsters -ddsynclog 35
for ((k = 2; k <= NG_PLAYERS; k++)); do
    ng_player "$k" "${XDISP[k]}" "$M" "${NAMES[k]}" -ddsynclog 35
done
all_in_level() {
    local k
    for ((k = 1; k <= NG_PLAYERS; k++)); do
        ng_in_level "$k" || return 1
    done
}
if wait_until 90 all_in_level; then
    ok "$NG_PLAYERS games joined the server and started MAP01 ($(($(now_ms) - T0)) ms)"
else
    not_ok "$NG_PLAYERS games joined the server and started MAP01" \
        "$(tail -n 5 "$NG_DIR"/*/game.log.err "$NG_DIR/server.log" 2>&1)"
    tap_done
fi
for ((k = 1; k <= NG_PLAYERS; k++)); do
    ng_focus "$k" || note "player $k: game window not seen"
done

# ------------------------------------------------------------------ helpers

log_of() { echo "${NG_LOG[$1]}"; }
# has K PATTERN: player K's game logged a line matching PATTERN.
has() { grep -q -- "$2" "$(log_of "$1")"; }
# everyone PATTERN [PLAYERS...]: every game (of the players given) did.
LIVE=()
for ((k = 1; k <= NG_PLAYERS; k++)); do LIVE+=("$k"); done
everyone() {
    local k
    for k in "${LIVE[@]}"; do
        has "$k" "$1" || return 1
    done
}
spawned_all() {
    local id
    for id in "$@"; do
        everyone "^dockerdoom: spawn id=$id " || return 1
    done
}
# vnc K STEPS...: plays STEPS on player K's screen.
vnc() {
    local k=$1
    shift
    VNC_PASSWORD=$PASS "$VP" "127.0.0.1:${VPORT[k]}" typedelay 40 "$@" \
        2>>"$T/vncplay.log" >/dev/null
}
count_in() {
    grep -c -- "$2" "$(log_of "$1")" || true
}

# ------------------------------------------------------------------ sync

if wait_until 30 spawned_all "${CID[@]}"; then
    ok "every game spawned the ${#CID[@]} containers"
else
    not_ok "every game spawned the ${#CID[@]} containers" \
        "$(grep -h '^dockerdoom: \(spawn\|waiting\|reader\|player\)' "$(log_of 1)" | tail -n 20)"
fi
spawns() { grep '^dockerdoom: spawn ' "$(log_of "$1")" | sort; }
same_spawns=1
for ((k = 2; k <= NG_PLAYERS; k++)); do
    [ "$(spawns 1)" = "$(spawns "$k")" ] || same_spawns=0
done
check_eq "every game put every monster on the same spot" 1 "$same_spawns"
check "alice's game reads the mount for everyone" \
    everyone "^dockerdoom: reader player=1 name=alice$"

# Changes while they play: two containers started (one protected, which
# the next kills will find), one removed, one renamed, one paused.
change_round() {
    local tag=$1
    start_c "late-$tag" || return 1
    start_c "guard-$tag" --label dockerfs.protect=true || return 1
    docker rm -f "web-$tag" >/dev/null &&
        docker rename "web-$((tag + 1))" "renamed-$tag" &&
        docker pause "web-$((tag + 2))" >/dev/null
}
if change_round 1; then
    ok "containers started, removed, renamed, paused during play"
else
    not_ok "containers started, removed, renamed, paused during play"
fi
if wait_until 20 spawned_all "${CID[late-1]}" "${CID[guard-1]}"; then
    ok "every game spawned the two started during play"
else
    not_ok "every game spawned the two started during play"
fi
check "every game despawned the removed one" \
    wait_until 20 everyone "^dockerdoom: despawn id=${CID[web-1]} "
check "every game renamed the renamed one" \
    wait_until 20 everyone "^dockerdoom: rename id=${CID[web-2]} name=renamed-1 "
check "every game froze the paused one's monster" \
    wait_until 20 everyone "^dockerdoom: paused id=${CID[web-3]} "
docker unpause "web-3" >/dev/null
check "and let it go once unpaused" \
    wait_until 20 everyone "^dockerdoom: unpaused id=${CID[web-3]} "

# A soak: a change every few seconds while the players walk about.
if [ "$SOAK" -gt 0 ]; then
    end=$((SECONDS + SOAK))
    n=0
    while [ "$SECONDS" -lt "$end" ]; do
        n=$((n + 1))
        start_c "soak-$n" || break
        case $((n % 4)) in
            0) docker rm -f "soak-$((n - 1))" >/dev/null 2>&1 || true ;;
            1) docker rename "soak-$n" "soak-$n-r" >/dev/null 2>&1 || true ;;
            2) docker pause "soak-$n" >/dev/null 2>&1 || true ;;
            3) docker unpause "soak-$((n - 1))" >/dev/null 2>&1 || true ;;
        esac
        walkers=()
        for ((k = 1; k <= NG_PLAYERS; k++)); do
            vnc "$k" hold Up 300 hold Left 200 hold Down 300 >/dev/null 2>&1 &
            walkers+=($!)
        done
        # Only these: a bare wait would wait for the X servers too.
        wait "${walkers[@]}"
        sleep 2
    done
    note "soak: $SOAK s of play, $n rounds of changes"
fi

# ------------------------------------------------------------------ kills

# idrm_until K: player K types idrm, turning a quarter between tries,
# until its game logs a kill request of that player. A container that
# rose again after a refused kill is awake and shoots: a player it killed
# comes back first (use).
idrm_until() {
    local k=$1 name=${NAMES[$1]} try before
    for ((try = 0; try < 6; try++)); do
        before=$(count_in "$k" "^dockerdoom: kill-request .* by=$name$")
        if has "$k" "^dockerdoom: message ok idrm: not while dead$"; then
            vnc "$k" tap space wait 300
        fi
        vnc "$k" type idrm wait 400
        if wait_until 3 eval "[ \$(count_in $k '^dockerdoom: kill-request .* by=$name\$') -gt $before ]"; then
            return 0
        fi
        vnc "$k" hold Left 450 wait 200
    done
    return 1
}
# kill_round K NAME...: containers NAME... start; once every game has
# their monsters (which come near the players, mostly in view), player
# K's idrm kills.
kill_round() {
    local k=$1 name ids=()
    shift
    for name in "$@"; do
        start_c "$name" && ids+=("${CID[$name]}")
    done
    wait_until 20 spawned_all "${ids[@]}" || true
    if idrm_until "$k"; then
        ok "${NAMES[k]}'s idrm killed container monsters in view"
    else
        not_ok "${NAMES[k]}'s idrm killed container monsters in view" \
            "$(grep -h "^dockerdoom: message" "$(log_of "$k")" | tail -n 5)"
    fi
}
# bob first: the level's first wave and the two started above are in
# view of the start, where all players stand, the protected one too.
kill_round 2
[ "$NG_PLAYERS" -ge 3 ] && kill_round 3 for-carol-1 for-carol-2
kill_round 1 for-alice-1 for-alice-2
refused() { everyone "^dockerdoom: kill-result .* result=EPERM$"; }
for ((try = 0; try < 4; try++)); do
    refused && break
    start_c "guard-more-$try" --label dockerfs.protect=true
    wait_until 20 spawned_all "${CID[guard-more-$try]}" || true
    vnc 1 type idrm wait 600
    wait_until 5 refused || vnc 1 hold Left 450
done
# all_results K: every kill request in player K's game has its result.
all_results() {
    local want
    want=$(count_in "$1" '^dockerdoom: kill-request ')
    [ "$(count_in "$1" '^dockerdoom: kill-result ')" -ge "$want" ]
}
wait_until 20 all_results 1 || true

# Every game saw the same kill requests and results.
kills() { grep '^dockerdoom: kill-\(request\|result\) ' "$(log_of "$1")"; }
same_kills=1
for k in "${LIVE[@]}"; do
    [ "$(kills 1)" = "$(kills "$k")" ] || same_kills=0
done
check_eq "every game logged the same kills, by the same players, with the same results" \
    1 "$same_kills"

# The audit log: one write per kill, from the killer's game. A write's
# pid is the writing thread's: it is the player's whose game has it, as
# long as that game runs (WRITER remembers them for later). dockerfs sums
# up refusals of one container repeated within 10 s in one line ("kill
# id=X uid=0 result=EPERM: 2 more in 10 s"), without their pids.
audit_of() { grep -F "kill id=$1 " "$DFS_LOG" 2>/dev/null | grep -v ': [0-9]* more in '; }
audit_more() {
    grep -F "kill id=$1 " "$DFS_LOG" 2>/dev/null |
        sed -n 's/.*: \([0-9]*\) more in .*/\1/p' | awk '{ n += $1 } END { print n + 0 }'
}
pid_of_line() { sed -n 's/.* pid=\([0-9]*\) .*/\1/p' <<<"$1"; }
declare -A WRITER=()
learn_writers() {
    local line tid k
    while read -r line; do
        tid=$(pid_of_line "$line")
        if [ -z "$tid" ] || [ -n "${WRITER[$tid]:-}" ]; then
            continue
        fi
        for ((k = 1; k <= NG_PLAYERS; k++)); do
            if [ -n "${NG_PID[k]:-}" ] && [ -e "/proc/${NG_PID[k]}/task/$tid" ]; then
                WRITER[$tid]=${NAMES[k]}
            fi
        done
    done < <(grep 'kill id=' "$DFS_LOG" 2>/dev/null)
}
learn_writers

# A refused kill rises on every game (on the same tic: the tic hashes
# below).
if refused; then
    rid=$(sed -n 's/^dockerdoom: kill-result id=\([0-9a-f]*\) .*result=EPERM$/\1/p' "$(log_of 1)" | head -n1)
    rose() { [ "$(count_in "$1" "^dockerdoom: spawn id=$rid ")" -ge 2 ]; }
    all_rose() { local k; for k in "${LIVE[@]}"; do rose "$k" || return 1; done; }
    check "a refused kill ($rid) rises again on every game" wait_until 10 all_rose
    check "every HUD says it was refused" \
        everyone "^dockerdoom: message fail .*\(kill refused, EPERM\|refused (EPERM)\)"
else
    not_ok "a player hit a protected container" \
        "$(grep -h '^dockerdoom: kill-result' "$(log_of 1)" | tail -n 5)"
fi

# ------------------------------------------------------------------ leaving

for ((k = 1; k <= NG_PLAYERS; k++)); do vnc "$k" shot "$T/before-quit-$k.png"; done
if [ "$NG_PLAYERS" -ge 3 ]; then
    # The next change round's victims, started after the kills: the first
    # ones may have been shot, and a despawn of one already shot proves
    # nothing.
    for i in 7 8 9; do start_c "web-$i"; done
    check "every game spawned three more before carol quits" \
        wait_until 20 spawned_all "${CID[web-7]}" "${CID[web-8]}" "${CID[web-9]}"
    learn_writers
    vnc 3 tap F10 wait 500 shot "$T/carol-f10.png" tap y wait 500 shot "$T/carol-y.png"
    LIVE=(1 2)
    carol_gone() { ! kill -0 "${NG_PID[3]}" 2>/dev/null; }
    if wait_until 15 everyone "^dockerdoom: player 3 left name=carol$" &&
        wait_until 10 carol_gone; then
        ok "carol quit (F10, y): her game ended, the others saw her leave"
    else
        vnc 3 shot "$T/carol-quit.png"
        not_ok "carol quit (F10, y): her game ended, the others saw her leave" \
            "$(tail -n 3 "$(log_of 3)"; ls -l "$T/carol-quit.png")"
    fi
    # alice and bob play on, two of them, with changes.
    before=$(grep -c '^dockerdoom: sync ' "$(log_of 1)")
    change_round 7 ||
        not_ok "containers started, removed, renamed, paused after carol left"
    check "alice and bob play on: both spawn a container started then" \
        wait_until 20 spawned_all "${CID[late-7]}"
    check "and despawn one removed then" \
        wait_until 20 everyone "^dockerdoom: despawn id=${CID[web-7]} "
    check "and rename one renamed then" \
        wait_until 20 everyone "^dockerdoom: rename id=${CID[web-8]} name=renamed-7 "
    check "alice's game ran on after carol left" \
        test "$(grep -c '^dockerdoom: sync ' "$(log_of 1)")" -gt "$before"
fi

# alice, who reads the mount, quits: bob's game reads from then on.
learn_writers
vnc 1 tap F10 wait 500 tap y
if wait_until 15 has 2 "^dockerdoom: player 1 left name=alice$" &&
    wait_until 10 has 2 "^dockerdoom: reader player=2 name=bob$"; then
    ok "alice quit: bob's game reads the mount from then on"
else
    not_ok "alice quit: bob's game reads the mount from then on" \
        "$(grep -h '^dockerdoom: \(player\|reader\)' "$(log_of 2)")"
fi
LIVE=(2)
before=$(count_in 2 '^dockerdoom: kill-result .* by=bob result=ok$')
kill_round 2 after-alice
check "a container started then reached bob's game" \
    has 2 "^dockerdoom: spawn id=${CID[after-alice]} "
bob_killed() {
    [ "$(count_in 2 '^dockerdoom: kill-result .* by=bob result=ok$')" -gt "$before" ]
}
check "bob, alone, kills containers" wait_until 10 bob_killed

# ------------------------------------------------------------------ verdicts

# Every tic two games both ran hashes alike.
sync_lines() {
    grep '^dockerdoom: sync ' "$(log_of "$1")" |
        awk '{ print $3, $4 "|" $5 "|" $6 }' | sort
}
diverged=0
common=0
for ((k = 2; k <= NG_PLAYERS; k++)); do
    while read -r _tic a b; do
        common=$((common + 1))
        [ "$a" = "$b" ] || diverged=$((diverged + 1))
    done < <(join <(sync_lines 1) <(sync_lines "$k"))
done
note "$common tics compared between alice's game and the others'"
check "games compared over many tics" test "$common" -gt 300
check_eq "no tic differs between any two games" 0 "$diverged"
check_eq "no consistency failure" "" \
    "$(cat "$NG_DIR"/*/game.log.err "$NG_DIR"/*/game.log | grep -i 'consistency failure' || true)"


# dockerfs writes a summed-up line of repeated refusals when it stops.
wait_until 20 all_results 2 || true
learn_writers
ng_down
dfs_stop TERM
# Per container: as many writes as kill requests (bob's game saw every
# one), each line's pid the thread of the game of one of the players who
# killed it.
bad=
nkills=0
nwrites=0
declare -A KILLERS=()
while read -r line; do
    id=$(sed -n 's/.* id=\([0-9a-f]*\) .*/\1/p' <<<"$line")
    by=$(sed -n 's/.* by=\([^ ]*\).*/\1/p' <<<"$line")
    nkills=$((nkills + 1))
    KILLERS[$id]+=" $by "
done < <(grep '^dockerdoom: kill-request ' "$(log_of 2)")
for id in "${!KILLERS[@]}"; do
    want=$(wc -w <<<"${KILLERS[$id]}")
    lines=$(audit_of "$id")
    n=$(( $(grep -c . <<<"$lines" || true) + $(audit_more "$id") ))
    nwrites=$((nwrites + n))
    if [ "$n" != "$want" ]; then
        bad+="$id killed by${KILLERS[$id]}: $n writes; "
    fi
    while read -r l; do
        [ -n "$l" ] || continue
        tid=$(pid_of_line "$l")
        w=${WRITER[$tid]:-none}
        if [[ ${KILLERS[$id]} != *" $w "* ]]; then
            bad+="$id killed by${KILLERS[$id]}: written by pid $tid ($w); "
        fi
    done <<<"$lines"
done
check_eq "dockerfs's audit log: one write per kill ($nkills), from the killer's game" "" "$bad"
check_eq "and no other write reached dockerfs" "$nkills" "$nwrites"

# The scoreboard: bob's last score line against the audit log's kills
# (bob is in the game; a player who left is on it while he has scored).
declare -A OKS=()
while read -r line; do
    tid=$(pid_of_line "$line")
    w=${WRITER[$tid]:-unknown}
    OKS[$w]=$(( ${OKS[$w]:-0} + 1 ))
done < <(grep 'kill id=.* result=ok' "$DFS_LOG")
parts=()
for ((k = 1; k <= NG_PLAYERS; k++)); do
    n=${OKS[${NAMES[k]}]:-0}
    if [ "$k" = 2 ] || [ "$n" -gt 0 ]; then
        parts+=("${NAMES[k]} $n")
    fi
done
want="dockerdoom: score: $(printf '%s, ' "${parts[@]}")"
want=${want%, }
check_eq "the scoreboard counts what the audit log shows" "$want" \
    "$(grep '^dockerdoom: score:' "$(log_of 2)" | tail -n1)"
check_eq "and no write came from anywhere else" "" "${OKS[unknown]:-}"
check_san "$DFS_LOG"

tap_done
