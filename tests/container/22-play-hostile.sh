#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 22-play-hostile.sh - the launcher against another local user and against
# code in the game container, one game
# for the whole script:
# - a squatter on the VNC or noVNC port before play: play refuses at once,
#   starts nothing and prints no password; one that takes the noVNC port
#   (on [::1], beside the forwarder's 127.0.0.1) while play starts: play
#   fails at the forwarder, prints no password; once it is gone, play
#   again prints the password; one beside the running forwarder: status
#   shows no password until it is gone;
# - DOCKERFS_ARGS='--protect name=prod-*' run from a directory holding a
#   file named name=prod-decoy: dockerfs gets the pattern itself, and the
#   protected container cannot be killed;
# - the game's account is refused labels (EACCES), reads name;
# - the socket directory is a tiny tmpfs: a fill from inside the game
#   stops at its size, the host's file system gets nothing;
# - vnc.sock replaced by a symlink to a decoy socket of the host inside
#   the game: the VNC port still leads to the game's x11vnc; play again
#   refuses to forward to a symlink;
# - a recycled pid in dockerfs.pid and fwd-vnc.pid: status does not count
#   them, stop does not signal them.
set -euo pipefail
# shellcheck source=tests/container/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ct_setup
ct_image || { not_ok "game image $GAME_IMAGE"; tap_done; }
command -v socat >/dev/null || { not_ok "socat is installed"; tap_done; }

MNT=$DOCKERDOOM_RUN/share/fs
NAME=$DOCKERDOOM_NAME
T=$TESTS_TMP/h
mkdir -p "$T"
chmod 0755 "$T"
BG=()
# shellcheck disable=SC2317  # called by the trap
hostile_cleanup() {
    local p
    for p in "${BG[@]}"; do kill "$p" 2>/dev/null || true; done
    ct_cleanup
}
trap hostile_cleanup EXIT

PROD=$(run_c --name "prod-db-$$")
VICTIM=$(run_c --name "victim-$$" --label secret=hunter2)
SP=${PROD:0:12} SV=${VICTIM:0:12}

# squat ADDR PORT: a listener of another user (nobody) on ADDR:PORT.
squat() {
    local fam=TCP4
    [[ $1 == *:* ]] && fam=TCP6
    setpriv --reuid 65534 --regid 65534 --clear-groups \
        socat "$fam-LISTEN:$2,bind=$1,reuseaddr,fork" SYSTEM:'echo squatter' \
        >/dev/null 2>&1 </dev/null &
    SQUAT=$!
    BG+=("$SQUAT")
    wait_until 5 ct_listening "$2"
}
unsquat() {
    kill "$SQUAT" 2>/dev/null || true
    wait "$SQUAT" 2>/dev/null || true
}
# A line "password: XXXXXXXX" in FILE (the password itself shown).
shows_password() {
    grep -qE 'password: *[A-Za-z0-9]{8}$' "$1"
}
# refused_play WHAT FILE [ENV...]: play fails, says the port is taken,
# shows no password.
refused_play() {
    local what=$1 out=$2 rc=0
    shift 2
    env "$@" "$LAUNCHER" play >"$out" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ] && grep -q "taken" "$out"; then
        ok "$what: play refuses ($(grep -m1 taken "$out" | cut -c1-150))"
    else
        not_ok "$what: play refuses" "rc=$rc: $(tail -n 8 "$out")"
    fi
    if shows_password "$out"; then
        not_ok "$what: no password shown" "$(grep password "$out")"
    else
        ok "$what: no password shown"
    fi
}

# --- Squatters before play: nothing starts.
if squat 127.0.0.1 "$VNC_PORT"; then
    refused_play "a squatter on 127.0.0.1:VNC_PORT" "$T/squat-vnc.out"
    check "nothing mounted after the refusal" bash -c "! grep -q ' $MNT ' /proc/self/mountinfo"
    check_eq "no game container after the refusal" gone "$(c_state "$NAME")"
else
    not_ok "a squatter listens on the VNC port"
fi
unsquat
if squat ::1 "$NOVNC_PORT"; then
    refused_play "a squatter on [::1]:NOVNC_PORT" "$T/squat-novnc.out"
else
    not_ok "a squatter listens on the noVNC port"
fi
unsquat

# --- A squatter that comes while play starts (after its first look):
# dockerfs's stand-in starts it on [::1] of the noVNC port, where the
# forwarder (127.0.0.1) can still listen too. Run from a directory where
# another user left a file named like the protect rule's pattern.
DECOY_DIR=$T/cwd
mkdir -p "$DECOY_DIR"
: >"$DECOY_DIR/name=prod-decoy"
cat >"$T/late-dockerfs" <<EOF
#!/bin/bash
setpriv --reuid 65534 --regid 65534 --clear-groups \\
    socat TCP6-LISTEN:$NOVNC_PORT,bind=[::1],reuseaddr,fork SYSTEM:'echo squatter' \\
    >/dev/null 2>&1 </dev/null &
echo \$! >$T/late.pid
exec "$DOCKERFS_BIN" "\$@"
EOF
chmod +x "$T/late-dockerfs"
out=$T/late.out
rc=0
(cd "$DECOY_DIR" && DOCKERFS_BIN=$T/late-dockerfs DOCKERFS_ARGS='--protect name=prod-*' \
    "$LAUNCHER" play) >"$out" 2>&1 || rc=$?
late=$(cat "$T/late.pid" 2>/dev/null || true)
[ -n "$late" ] && BG+=("$late")
if [ "$rc" -ne 0 ] && grep -q "taken" "$out"; then
    ok "a squatter arriving while play starts: play fails at the forwarder ($(grep -m1 taken "$out" | cut -c1-150))"
else
    not_ok "a squatter arriving while play starts: play fails" "rc=$rc: $(tail -n 8 "$out")"
fi
if shows_password "$out"; then
    not_ok "a squatter arriving while play starts: no password shown" "$(grep password "$out")"
else
    ok "a squatter arriving while play starts: no password shown"
fi
[ -n "$late" ] && kill "$late" 2>/dev/null
wait_until 5 bash -c "! ss -Htln 'sport = :$NOVNC_PORT' | grep -q ." || true

# --- The squatter gone, play again: the running game, the same mount.
out=$T/play.out
rc=0
(cd "$DECOY_DIR" && DOCKERFS_ARGS='--protect name=prod-*' "$LAUNCHER" play) >"$out" 2>&1 || rc=$?
if [ "$rc" -eq 0 ] && shows_password "$out"; then
    ok "play once the port is free: the password is shown"
else
    not_ok "play once the port is free: the password is shown" "rc=$rc: $(tail -n 15 "$out")"
    tap_done
fi
check "status is happy" ct_launcher status

# --- A squatter that comes while the game runs (on [::1], beside the
# forwarder's 127.0.0.1): status shows no password while it is there.
squat_v6() { ss -Htln "sport = :$NOVNC_PORT" 2>/dev/null | grep -qF '[::1]:'; }
squat_v6_gone() { ! squat_v6; }
if squat ::1 "$NOVNC_PORT" && wait_until 5 squat_v6; then
    ct_launcher status >"$T/status-squat.out" 2>&1 || true
    if grep -q "password: not shown" "$T/status-squat.out" && ! shows_password "$T/status-squat.out"; then
        ok "a squatter beside the running forwarder: status shows no password"
    else
        not_ok "a squatter beside the running forwarder: status shows no password" \
            "$(tail -n 8 "$T/status-squat.out")"
    fi
else
    not_ok "a squatter listens on [::1]:NOVNC_PORT beside the forwarder"
fi
unsquat
wait_until 5 squat_v6_gone || true
ct_launcher status >"$T/status-free.out" 2>&1 || true
check "once it is gone, status shows the password again" shows_password "$T/status-free.out"

# --- DOCKERFS_ARGS is not expanded against the working directory.
dfs_pid=$(awk '{print $1}' "$DOCKERDOOM_RUN/dockerfs.pid")
args=$(tr '\0' '\n' <"/proc/$dfs_pid/cmdline" 2>/dev/null || true)
if grep -qxF 'name=prod-*' <<<"$args"; then
    ok "dockerfs got the pattern name=prod-* as written"
else
    not_ok "dockerfs got the pattern name=prod-* as written" "$(tr '\n' ' ' <<<"$args")"
fi
check_eq "a container matching name=prod-* cannot be killed (EPERM)" EPERM \
    "$(fsop1 write "$MNT/$SP/kill" 1)"
check_eq "it still runs" running "$(c_state "$PROD")"

# --- The game's account is refused labels, reads what it plays with.
err=$(docker exec "$NAME" cat "/dockerfs-parent/fs/$SV/labels" 2>&1 || true)
case $err in
    *"Permission denied"*) ok "inside: the game's account gets EACCES on labels" ;;
    *) not_ok "inside: the game's account gets EACCES on labels" "got: $err" ;;
esac
check_eq "inside: the game's account reads name" "victim-$$" \
    "$(docker exec "$NAME" cat "/dockerfs-parent/fs/$SV/name" 2>&1)"
check "root reads labels on the host" grep -qx secret=hunter2 "$MNT/$SV/labels"

# --- The socket directory: a tmpfs of its own, filled in vain.
SOCKS=$DOCKERDOOM_RUN/vnc
check_eq "the socket directory is a tmpfs of its own" tmpfs \
    "$(findmnt -n -o FSTYPE --mountpoint "$SOCKS" 2>/dev/null || echo none)"
fill_out=$(docker exec "$NAME" dd if=/dev/zero of=/run/dockerdoom/fill bs=64k count=128 2>&1 || true)
filled=$(docker exec "$NAME" stat -c %s /run/dockerdoom/fill 2>/dev/null || echo 0)
if [ "$filled" -le 65536 ] && grep -q "No space left" <<<"$fill_out"; then
    ok "inside: a fill of the socket directory stops at 64 KiB ($filled bytes, ENOSPC)"
else
    not_ok "inside: a fill of the socket directory stops at 64 KiB" "$filled bytes: $fill_out"
fi
docker exec "$NAME" rm -f /run/dockerdoom/fill >/dev/null 2>&1 || true

# --- vnc.sock swapped for a symlink to a decoy socket of the host.
rfb() {
    # shellcheck disable=SC2016  # expanded by the inner bash
    timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && head -c 12 <&3' _ "$VNC_PORT" 2>/dev/null |
        head -n 1
}
check_eq "VNC port: the game's x11vnc answers" "RFB 003.008" "$(rfb)"
# In a process group of its own, as a forwarder is: stop signals a
# forwarder's group, and a decoy inside the script's group would outlive
# such a signal even if stop trusted its pid (setsid does not fork here:
# a background child never leads its group).
setsid socat "UNIX-LISTEN:$T/decoy.sock,mode=0777,fork" SYSTEM:'echo DECOY-SOCKET' >/dev/null 2>&1 </dev/null &
DECOY=$!
BG+=("$DECOY")
decoy_leads() { [ "$(ps -o pgid= -p "$DECOY" | tr -d ' ')" = "$DECOY" ]; }
check "the decoy socat leads its own process group" wait_until 5 decoy_leads
wait_until 5 test -S "$T/decoy.sock" || true
if docker exec "$NAME" sh -c "rm /run/dockerdoom/vnc.sock && ln -s '$T/decoy.sock' /run/dockerdoom/vnc.sock"; then
    ok "inside: the game replaces vnc.sock with a symlink"
else
    not_ok "inside: the game replaces vnc.sock with a symlink"
fi
got=$(rfb)
check_eq "VNC port after the swap: still the game's x11vnc, not the decoy" "RFB 003.008" "$got"
out=$T/play-swapped.out
rc=0
ct_launcher play >"$out" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] && grep -q "not a unix socket" "$out" && ! shows_password "$out"; then
    ok "play again refuses to forward to the symlink ($(grep -m1 'not a unix socket' "$out" | cut -c1-120))"
else
    not_ok "play again refuses to forward to the symlink" "rc=$rc: $(tail -n 5 "$out")"
fi

# --- Recycled pids: dockerfs dies, another process gets its pid (here a
# sleep and the decoy socat stand in for it; the pid file keeps what it
# recorded besides the pid): status does not count them and stop
# signals neither.
read -r dfs_pid dfs_rest <"$DOCKERDOOM_RUN/dockerfs.pid" || true
kill -KILL "$dfs_pid" 2>/dev/null || true
wait_until 10 bash -c "! kill -0 $dfs_pid 2>/dev/null" || true
sleep 600 >/dev/null 2>&1 &
STANDIN=$!
BG+=("$STANDIN")
echo "$STANDIN${dfs_rest:+ $dfs_rest}" >"$DOCKERDOOM_RUN/dockerfs.pid"
read -r _ fwd_rest <"$DOCKERDOOM_RUN/fwd-vnc.pid" 2>/dev/null || fwd_rest=$dfs_rest
echo "$DECOY${fwd_rest:+ $fwd_rest}" >"$DOCKERDOOM_RUN/fwd-vnc.pid"
status=$(ct_launcher status 2>&1 || true)
if grep -q "dockerfs: not mounted" <<<"$status" && grep -q "forward:  vnc not running" <<<"$status"; then
    ok "status counts neither recycled pid as ours"
else
    not_ok "status counts neither recycled pid as ours" "$status"
fi
stop_out=$(ct_launcher stop 2>&1 || true)
note "stop: $(tr '\n' ' ' <<<"$stop_out" | cut -c1-300)"
check "stop left the process with dockerfs's old pid alive" kill -0 "$STANDIN"
check "stop left the process with the forwarder's old pid alive" kill -0 "$DECOY"
check "stop unmounted the dead mount" bash -c "! grep -q ' $MNT ' /proc/self/mountinfo"
check "stop unmounted the socket directory" bash -c "! grep -q ' $SOCKS ' /proc/self/mountinfo"
check_eq "no game container left" gone "$(c_state "$NAME")"
tap_done
