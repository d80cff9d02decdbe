#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# An engine's identity is asked again at every reconnect. One mount over
# the runner's engine (a) and a private one (x). x is stopped and a
# *different* dockerd (another data root) is started on the same socket:
# the log says "engine x: identity changed (was ..., now ...)", x's old
# containers leave the mount, the new engine's appear, and a kill of an
# old id (through a kill file opened before the switch, and by path)
# gives ENOENT and kills nothing on the new engine. Then a third dockerd
# on a copy of the second one's data root: the same container ids on
# another engine; the rows are still dropped (the copy is listed anew,
# under a new inode) and a kill file opened on the second engine's
# container gives ENOENT: the copy on the third is not removed. Last, x's
# socket becomes a link to a's: x now answers as a, which the mount
# already follows: logged, x is not followed, its rows read unreachable
# and a kill on them is EIO; a's rows are listed once. --all throughout,
# so that containers that are not running (a copy's) are listed too.
# Then Podman, whose GET /info makes up a new ID per request: its service
# restarted on the same storage is the same engine (no "identity
# changed", its rows keep their inodes).
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"

dfs_setup

# One check WHAT: writing 1 through the kill file open on fd FD (opened
# before its engine changed) fails with ENOENT; then closes FD.
check_fd_enoent() {
    local fd=$1 what=$2 out rc
    out=$( { echo 1 >&"$fd"; } 2>&1)
    rc=$?
    eval "exec $fd>&-"
    if [ "$rc" -ne 0 ] && grep -q "No such file or directory" <<<"$out"; then
        ok "$what"
    else
        not_ok "$what" "rc $rc: $out"
    fi
}
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
A_HOST=$DOCKER_HOST
# Short paths: the engine's unix socket must fit in sun_path.
FL=$(mktemp -d /tmp/ddid.XXXXXX)
X_DIR=$FL/x
X_SOCK=$X_DIR/docker.sock
Y_PID=
Z_PID=

# Engine x (both of its dockerds) is this script's; the runner's never.
# The socket may be a link to a's by then: removed first, so that
# engine_stop never lists or removes a's containers through it.
id_cleanup() {
    dfs_cleanup
    [ -L "$X_SOCK" ] && rm -f "$X_SOCK"
    [ -n "$Y_PID" ] && (ENGINE_DIR=$X_DIR ENGINE_PID=$Y_PID engine_down) 2>/dev/null
    [ -n "$Z_PID" ] && (ENGINE_DIR=$X_DIR ENGINE_PID=$Z_PID engine_down) 2>/dev/null
    [ -n "${PODMAN_DIR:-}" ] && podman_stop >/dev/null 2>&1
    (ENGINE_DIR=$X_DIR engine_stop) 2>/dev/null || true
    rm -rf "$FL" 2>/dev/null || true
}
trap id_cleanup EXIT

da() { docker -H "$A_HOST" "$@"; }
dx() { docker -H "unix://$X_SOCK" "$@"; }
rn() { local e=$1; shift; "$e" run -d --network none "$@" "$TEST_IMAGE"; }
load_x() { docker -H "$A_HOST" save "$TEST_IMAGE" | dx load >/dev/null; }
state_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }

if (engine_start "$X_DIR" >/dev/null 2>&1); then
    ok "engine x started (data root $X_DIR/data)"
else
    not_ok "engine x starts" "$(tail -n 5 "$X_DIR/dockerd.log")"
    tap_done
fi
check "the test image is loaded into x" load_x
if OA=$(rn da --name id-on-a) && OX=$(rn dx --name id-old) &&
    OX2=$(rn dx --name id-old-2); then
    ok "containers: one on a, two on x"
else
    not_ok "containers: one on a, two on x"
    tap_done
fi

M=$TESTS_TMP/ident
dfs_mount "$M" --all --host "a=$A_HOST" --host "x=unix://$X_SOCK" --timeout 10 ||
    { not_ok "dockerfs mounts a and x"; tap_done; }
check "x's containers are listed" wait_until 10 listed "$M" "${OX:0:12}"
check_eq "the root lists both engines" "$( { da ps -aq; dx ps -aq; } | sort)" "$(listing "$M")"
INO_A=$(stat -c %i "$M/${OA:0:12}")
# A kill file opened while the old engine is there: its handle outlives
# the switch, and a write to it later must not reach the new engine.
exec 7>"$M/${OX:0:12}/kill" || not_ok "open id-old's kill file"

# ------------------------------------------------------------ x replaced

(ENGINE_DIR=$X_DIR engine_down)
check "x stopped: its containers read unreachable" \
    wait_until 15 state_is "$M/${OX:0:12}/state" unreachable
# Another engine on the same socket: its own data and exec roots (the
# later option wins), so GET /info names another DockerRootDir.
dockerd_launch "$X_DIR" --data-root "$X_DIR/data2" --exec-root "$X_DIR/exec2"
Y_PID=$DOCKERD_PID
if dockerd_wait "$X_DIR" "$Y_PID" 60; then
    ok "another dockerd answers on x's socket (data root $X_DIR/data2)"
else
    not_ok "another dockerd answers on x's socket" "$(tail -n 5 "$X_DIR/dockerd.log")"
    tap_done
fi
check_eq "it is another engine: x's containers are not on it" "" "$(dx ps -aq)"
check "the test image is loaded into the new engine" load_x
NY=$(rn dx --name id-new) || { not_ok "a container on the new engine"; tap_done; }
check "the log says x's identity changed" wait_until 20 grep -q \
    "engine x: identity changed (was .*:$X_DIR/data, now .*:$X_DIR/data2)" "$DFS_LOG"
check_eq "said once" 1 "$(grep -c "engine x: identity changed" "$DFS_LOG")"
check "the old engine's containers leave the mount" \
    wait_until 10 unlisted "$M" "${OX:0:12}"
check "and the other one" unlisted "$M" "${OX2:0:12}"
check "the new engine's container appears" wait_until 20 listed "$M" "${NY:0:12}"
check_eq "its engine file says x" x "$(cat "$M/${NY:0:12}/engine" 2>&1)"
check_eq "the mount is a's and the new engine's containers" \
    "$( { da ps -aq; dx ps -aq; } | sort)" "$(listing "$M")"
check_eq "a's row untouched (same inode)" "$INO_A" "$(stat -c %i "$M/${OA:0:12}")"

# The old id: by path it is gone; through the handle opened before, the
# write finds no row (ENOENT) and asks no engine.
check_eq "kill by path on an old id: ENOENT" ENOENT "$(fsop1 write "$M/${OX:0:12}/kill" 1)"
check_fd_enoent 7 "kill through a handle opened on the old engine: ENOENT"
check_eq "nothing was killed on the new engine" "true" \
    "$(dx inspect -f '{{.State.Running}}' "$NY" 2>&1)"
check_eq "the new engine still has exactly its container" "${NY:0:12}" "$(dx ps -aq)"
check "no kill was sent for the old id" bash -c \
    "! grep -q 'kill id=${OX:0:12} .*result=ok' '$DFS_LOG'"
check_eq "kill on the new engine's container: OK" OK "$(fsop1 write "$M/${NY:0:12}/kill" 1)"
# The pattern "no kill was sent" looked for is the one a kill does log.
check "its audit line is what the old id's was looked for as" \
    grep -q "kill id=${NY:0:12} .*result=ok" "$DFS_LOG"
check "it is gone from the new engine" wait_until 10 bash -c \
    "[ -z \"\$(docker -H unix://$X_SOCK ps -aq)\" ]"
NY2=$(rn dx --name id-new-2) || { not_ok "a second container on the new engine"; tap_done; }
check "it appears" wait_until 20 listed "$M" "${NY2:0:12}"

# ------------------------------------------------------------ x copied

# A container that is only created (no process, no mount) survives the
# copy of a stopped engine's data root exactly.
NYC=$(dx create --network none --name id-created "$TEST_IMAGE") ||
    { not_ok "a created container on the second engine"; tap_done; }
check "it is listed (--all)" wait_until 20 listed "$M" "${NYC:0:12}"
INO_C=$(stat -c %i "$M/${NYC:0:12}")
exec 8>"$M/${NYC:0:12}/kill" || not_ok "open id-created's kill file"
(ENGINE_DIR=$X_DIR ENGINE_PID=$Y_PID engine_down)
Y_PID=
check "x stopped again: its rows read unreachable" \
    wait_until 15 state_is "$M/${NYC:0:12}/state" unreachable
check "the second engine's data root is copied" \
    cp -a --one-file-system "$X_DIR/data2" "$X_DIR/data3"
dockerd_launch "$X_DIR" --data-root "$X_DIR/data3" --exec-root "$X_DIR/exec3"
Z_PID=$DOCKERD_PID
if dockerd_wait "$X_DIR" "$Z_PID" 60; then
    ok "a third dockerd answers on x's socket, on the copy (data root $X_DIR/data3)"
else
    not_ok "a third dockerd answers on x's socket" "$(tail -n 5 "$X_DIR/dockerd.log")"
    tap_done
fi
check_eq "the copy has id-created, same id" "$NYC" "$(dx inspect -f '{{.Id}}' id-created 2>&1)"
check "the log says x's identity changed again" wait_until 20 grep -q \
    "engine x: identity changed (was .*:$X_DIR/data2, now .*:$X_DIR/data3)" "$DFS_LOG"
new_ino() { [ -e "$M/${NYC:0:12}" ] && [ "$(stat -c %i "$M/${NYC:0:12}")" != "$INO_C" ]; }
check "the same id on the third engine is listed anew (another inode)" \
    wait_until 20 new_ino
check_eq "its state is the third engine's" created "$(cat "$M/${NYC:0:12}/state" 2>&1)"
check_fd_enoent 8 "kill through a handle opened on the second engine: ENOENT"
check_eq "the third engine's id-created is still there" "$NYC" \
    "$(dx inspect -f '{{.Id}}' "$NYC" 2>&1)"
check_eq "the mount is a's and the third engine's containers" \
    "$( { da ps -aq; dx ps -aq; } | sort)" "$(listing "$M")"

# ------------------------------------------------------------ x becomes a

(ENGINE_DIR=$X_DIR ENGINE_PID=$Z_PID engine_down)
Z_PID=
check "x stopped once more: its rows read unreachable" \
    wait_until 15 state_is "$M/${NYC:0:12}/state" unreachable
if [[ $A_HOST == unix://* ]] && rm -f "$X_SOCK" && ln -s "${A_HOST#unix://}" "$X_SOCK"; then
    check "x answers as a: the log says so" wait_until 20 grep -q \
        "engine x at .* is engine a .*: it is not followed" "$DFS_LOG"
    check_eq "said once" 1 "$(grep -c "engine x at .* is engine a" "$DFS_LOG")"
    sleep 2
    check_eq "x's rows still read unreachable" unreachable "$(cat "$M/${NYC:0:12}/state" 2>&1)"
    check_eq "kill on them: EIO" EIO "$(fsop1 write "$M/${NYC:0:12}/kill" 1)"
    check_eq "a's containers are listed once, as a's" a "$(cat "$M/${OA:0:12}/engine" 2>&1)"
    check_eq "the mount is a's containers and x's last rows" \
        "$( { da ps -aq; echo "${NY2:0:12}"; echo "${NYC:0:12}"; } | sort)" \
        "$(listing "$M")"
    check_eq "a's container is still running" true \
        "$(da inspect -f '{{.State.Running}}' "$OA" 2>&1)"
    rm -f "$X_SOCK"
else
    not_ok "x's socket becomes a link to a's" "DOCKER_HOST=$A_HOST"
fi

dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check_san

# ------------------------------------------------------------ Podman

if ! command -v podman >/dev/null 2>&1; then
    not_ok "podman: installed (container/deps.sh check installs it)"
    tap_done
fi
podman_start "$FL/p" >/dev/null || { not_ok "podman: system service starts"; tap_done; }
P_SOCK=$PODMAN_DIR/podman.sock
dp() { docker -H "unix://$P_SOCK" "$@"; }
check "podman: the test image is loaded" bash -c \
    "docker -H '$A_HOST' save '$TEST_IMAGE' | docker -H 'unix://$P_SOCK' load >/dev/null"
PC=$(dp run -d --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
    --name id-pod "$TEST_IMAGE") || { not_ok "podman: a container"; tap_done; }
PM=$TESTS_TMP/pod
dfs_mount "$PM" --host "p=unix://$P_SOCK" --timeout 10 ||
    { not_ok "dockerfs mounts the podman service"; tap_done; }
check "podman: its container is listed" wait_until 10 listed "$PM" "${PC:0:12}"
INO_P=$(stat -c %i "$PM/${PC:0:12}")
# The service restarted on the same storage: the container (conmon) runs on.
engine_kill_wait "$PODMAN_PID" TERM 10 || engine_kill_wait "$PODMAN_PID" KILL 5
wait "$PODMAN_PID" 2>/dev/null
check "podman: the service is stopped, the mount says unreachable" \
    wait_until 15 state_is "$PM/${PC:0:12}/state" unreachable
podman_start "$PODMAN_DIR" >/dev/null || { not_ok "podman: the service starts again"; tap_done; }
check "podman: the mount says it is back" wait_until 20 grep -q "engine p at .* is back" "$DFS_LOG"
check "podman: its container reads running again" \
    wait_until 10 state_is "$PM/${PC:0:12}/state" running
check "podman: the same engine, no identity change logged" \
    bash -c "! grep -q 'identity changed' '$DFS_LOG'"
check_eq "podman: its row kept its inode" "$INO_P" "$(stat -c %i "$PM/${PC:0:12}" 2>&1)"
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check_san
tap_done
