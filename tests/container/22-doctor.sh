#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 22-doctor.sh - `dockerdoom doctor` and `status` say why the game shows
# what it shows. The launcher plays a fleet of two engines: main (the
# private engine, where the game runs) and spare (a second private engine
# with no container), through `--filter label=env=dev` (DOCKERFS_ARGS).
# On main: web (running, env=dev: shown), other (running, no label: left
# out by the filter), old (env=dev, stopped: not shown without --all),
# safe (env=dev, dockerfs.protect=true: shown, protected). doctor names
# each with its reason, says spare answers with no container at all, the
# game container runs at a tic rate, both ports are ours, and ends with
# nothing wrong (exit 0). Then spare stops: doctor says it does not
# answer and exits 1; status says where to look. Names are checked in
# doctor's own lines, so a test cannot pass on a line it did not print.
set -euo pipefail
# shellcheck source=tests/container/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ct_setup
ct_image || { not_ok "game image $GAME_IMAGE"; tap_done; }

MAIN_HOST=$DOCKER_HOST
SPARE_DIR=$(mktemp -d /tmp/dddoc.XXXXXX)
SPARE_PID=
# shellcheck disable=SC2317  # called by the trap
doc_cleanup() {
    ct_cleanup
    if [[ -n $SPARE_PID ]]; then
        (ENGINE_DIR=$SPARE_DIR ENGINE_PID=$SPARE_PID; engine_stop) >/dev/null 2>&1 || true
    fi
    rm -rf "$SPARE_DIR"
}
trap doc_cleanup EXIT

dockerd_launch "$SPARE_DIR"
SPARE_PID=$DOCKERD_PID
if dockerd_wait "$SPARE_DIR" "$SPARE_PID" 60; then
    ok "a second private engine (spare), with no container"
else
    not_ok "a second private engine (spare)" "$(tail -n 20 "$SPARE_DIR/dockerd.log")"
    tap_done
fi
SPARE_HOST=unix://$SPARE_DIR/docker.sock

web=$(run_c --name "web-$$" --label env=dev)
other=$(run_c --name "other-$$")
old=$(run_c --name "old-$$" --label env=dev)
docker stop -t 0 "$old" >/dev/null
safe=$(run_c --name "safe-$$" --label env=dev --label dockerfs.protect=true)
note "main: web ${web:0:12}, other ${other:0:12}, old ${old:0:12} (stopped), safe ${safe:0:12}"

out=$TESTS_TMP/play.out
if DOCKERFS_ARGS="--filter label=env=dev" ct_launcher play --host "main=$MAIN_HOST" --host "spare=$SPARE_HOST" \
    >"$out" 2>&1; then
    ok "play with two engines and --filter label=env=dev"
else
    not_ok "play with two engines and --filter label=env=dev" "$(tail -n 20 "$out")"
    tap_done
fi
check "play says which engines dockerfs follows, as dockerfs says it" \
    grep -qF "dockerfs follows: main ($MAIN_HOST), spare ($SPARE_HOST)" "$out"

# The game logs a stats line every 5 s of play.
# shellcheck disable=SC2317  # called through wait_until
stats() { docker logs "$DOCKERDOOM_NAME" 2>&1 | grep -q 'dockerdoom: stats '; }
wait_until 30 stats || note "no stats line from the game after 30 s"

doc=$TESTS_TMP/doctor.out
rc=0
ct_launcher doctor >"$doc" 2>&1 || rc=$?
note "$(cat "$doc")"
check_eq "doctor: exit 0 when nothing is wrong" 0 "$rc"
check "main answers, 5 containers (3 running: web, other, safe; and the game's) ... 2 in the mount" \
    grep -qE "^  main +$MAIN_HOST: answers, 5 containers \(4 running\), 2 in the mount" "$doc"
check "other (no label) and the game container are left out by the filter" \
    bash -c "grep -E 'left out by --filter label=env=dev' '$doc' | grep -q 'other-$$' &&
             grep -E 'left out by --filter label=env=dev' '$doc' | grep -q '$DOCKERDOOM_NAME'"
check "old is not running, and dockerfs shows running ones only" \
    bash -c "grep -E 'not running, and dockerfs shows running ones only \\(DOCKERFS_ARGS=--all shows them\\)' '$doc' | grep -q 'old-$$'"
check "web is not named among the ones not shown" \
    bash -c "! grep -E 'left out|not running|should be shown' '$doc' | grep -q 'web-$$'"
check "spare answers with no container at all" grep -qE "^  spare +$SPARE_HOST: answers, no containers at all" "$doc"
check "safe is protected by its label" grep -qE "^  safe-$$ \\(${safe:0:12}\\): label dockerfs.protect=true" "$doc"
check "the game container runs, at a tic rate" grep -qE "^game container $DOCKERDOOM_NAME: running since .*tics/s" "$doc"
check "the VNC port is ours" grep -qE "^  vnc 127.0.0.1:$VNC_PORT: ours" "$doc"
check "the noVNC port is ours" grep -qE "^  novnc 127.0.0.1:$NOVNC_PORT: ours" "$doc"
check "the last lines of dockerfs's log" grep -qF "$DOCKERDOOM_LOG_DIR/dockerfs.log" "$doc"
check "doctor: nothing wrong found" grep -qx "doctor: nothing wrong found" "$doc"

# spare goes away: an engine of the fleet that does not answer.
(ENGINE_DIR=$SPARE_DIR ENGINE_PID=$SPARE_PID; engine_down) >/dev/null 2>&1 || kill "$SPARE_PID" 2>/dev/null || true
wait_until 10 bash -c "! kill -0 $SPARE_PID 2>/dev/null" || true
rc=0
ct_launcher doctor >"$doc" 2>&1 || rc=$?
note "$(grep -E '^  (main|spare) |^doctor:|^  - ' "$doc")"
check_eq "doctor: exit 1 when an engine does not answer" 1 "$rc"
check "spare does not answer" grep -qE "^  spare +$SPARE_HOST: does not answer" "$doc"
check "... named among the problems" grep -qF "  - engine spare ($SPARE_HOST) does not answer" "$doc"
check "main still answers" grep -qE "^  main +$MAIN_HOST: answers" "$doc"
st=$TESTS_TMP/status.out
ct_launcher status >"$st" 2>&1 || true
check "status names the engines and the game's tic rate" \
    bash -c "grep -q '^engines:  main ($MAIN_HOST), spare ($SPARE_HOST)' '$st' && grep -q '^game: .*tics/s' '$st'"
check "doctor without root: refused" bash -c "! setpriv --reuid 65534 --regid 65534 --clear-groups '$LAUNCHER' doctor >/dev/null 2>&1"
check "doctor with an argument: exit 2" bash -c "'$LAUNCHER' doctor extra >/dev/null 2>&1; [ \$? -eq 2 ]"
tap_done
