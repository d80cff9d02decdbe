#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 20-play.sh - the launcher end to end on the private engine:
# `dockerdoom play` mounts dockerfs (shared parent, allow_other, --uid and
# --gid of the game's system account) and starts the game container
# hardened: no network, no capabilities, no-new-privileges, read-only root,
# pids and memory limits, the share bound read-only and rslave, label
# dockerfs.protect=true; socat forwarders on 127.0.0.1 carry VNC and noVNC
# to the game's unix sockets. Security checks: the game's account is a
# system account without a login shell, a login account is refused, no
# listener of the game or its forwarders beyond loopback (IPv4 and IPv6),
# a host loopback service unreachable from inside, the password in no
# command line while the game starts and not in `docker inspect`, state
# directory and password file closed to others, a symlinked share or mount
# point refused, the launcher's log capped. `play --host ct=URL` passes the
# engine through to dockerfs (the engine files say ct; play and status say
# which engines are followed); a bad engine argument is exit 2. The game logs one spawn per
# running container; the game container cannot be killed through the mount
# (EPERM), a test container can (from inside the game container); restarting
# dockerfs reaches the running container without restarting it; `stop`
# leaves no container, mount or forwarder behind.
set -euo pipefail
# shellcheck source=tests/container/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ct_setup
ct_image || { not_ok "game image $GAME_IMAGE"; tap_done; }

MNT=$DOCKERDOOM_RUN/share/fs
NAME=$DOCKERDOOM_NAME

ids=()
for i in 1 2 3; do
    ids+=("$(run_c --name "victim$i-$$")")
done
note "test containers: ${ids[*]:0:1}..."

# Refusals before anything starts: a login account as the game's user, a
# symlink as share or mount point (it would redirect the mount).
refused() {
    local what=$1 want=$2 rc=0 o
    shift 2
    o=$(env "$@" "$LAUNCHER" play 2>&1) || rc=$?
    if [ "$rc" -ne 0 ] && grep -q -- "$want" <<<"$o"; then
        ok "$what: refused ('$(grep -m1 -- "$want" <<<"$o")')"
    else
        not_ok "$what: refused" "rc=$rc: $o"
    fi
}
LOGIN_USER=ddlogin$$
SHELL_USER=ddshell$$
# shellcheck disable=SC2317  # called by the trap
users_cleanup() {
    userdel "$LOGIN_USER" >/dev/null 2>&1 || true
    userdel "$SHELL_USER" >/dev/null 2>&1 || true
    ct_watch_stop
    ct_cleanup
}
trap users_cleanup EXIT
if useradd -M -s /bin/bash "$LOGIN_USER" && useradd -r -M -s /bin/bash "$SHELL_USER"; then
    refused "a login account as the game's user" "login range" DOCKERDOOM_USER="$LOGIN_USER"
    refused "a system account with a login shell" "login shell" DOCKERDOOM_USER="$SHELL_USER"
else
    not_ok "useradd of two test accounts"
fi
refused "root as the game's user" "refusing" DOCKERDOOM_USER=root
elsewhere=$TESTS_TMP/elsewhere
mkdir -p "$elsewhere" "$TESTS_TMP/linkrun1/share" "$TESTS_TMP/linkrun2"
ln -s "$elsewhere" "$TESTS_TMP/linkrun1/share/fs"
ln -s "$elsewhere" "$TESTS_TMP/linkrun2/share"
refused "the mount point share/fs a symlink" "symlink" DOCKERDOOM_RUN="$TESTS_TMP/linkrun1"
refused "the share a symlink" "symlink" DOCKERDOOM_RUN="$TESTS_TMP/linkrun2"
if grep -q " $elsewhere " /proc/self/mountinfo; then
    not_ok "nothing mounted where the symlinks point"
else
    ok "nothing mounted where the symlinks point"
fi
play_rc() { local rc=0; "$LAUNCHER" play "$@" >/dev/null 2>&1 || rc=$?; echo "$rc"; }
check_eq "play --host without a value: exit 2" 2 "$(play_rc --host)"
check_eq "play with an unknown argument: exit 2" 2 "$(play_rc --bogus)"
check_eq "play --swarm without a value: exit 2" 2 "$(play_rc --swarm)"
check_eq "play --kubeconfig without a value: exit 2" 2 "$(play_rc --kubeconfig)"
check_eq "play --kubeconfig FILE that is not there: exit 2" 2 \
    "$(play_rc --kubeconfig "$TESTS_TMP/no-such.kubeconfig")"
check_eq "play --kube NAME=FILE:CTX, FILE not there: exit 2" 2 \
    "$(play_rc --kube "k=$TESTS_TMP/no-such.kubeconfig:ctx")"
# --swarm reaches dockerfs: the test engine is no swarm manager, so
# dockerfs says so and exits, and play stops with nothing mounted.
out=$TESTS_TMP/play-swarm.out
if ct_launcher play --swarm "$DOCKER_HOST" >"$out" 2>&1; then
    not_ok "play --swarm with an engine that is no manager fails"
else
    ok "play --swarm with an engine that is no manager fails"
fi
check "its output has dockerfs's own reason (not a swarm manager)" grep -q "not a swarm manager" "$out"
check "and says dockerfs did not mount" grep -q "did not mount" "$out"
check "nothing is mounted after it" bash -c "! grep -q ' $MNT ' /proc/self/mountinfo"

out=$TESTS_TMP/play.out
cmdlines=$TESTS_TMP/cmdlines
ct_watch_start "$cmdlines"
# The engine passed through by name: dockerfs follows it as "ct".
if ct_launcher play --host "ct=$DOCKER_HOST" >"$out" 2>&1; then
    ok "dockerdoom play --host ct=\$DOCKER_HOST"
else
    ct_watch_stop
    not_ok "dockerdoom play" "$(tail -n 30 "$out")"
    tap_done
fi
# The game's start-up goes on after play returns: watch a little longer.
sleep 2
ct_watch_stop
pw=$(awk '/password:/ {print $2}' "$out")
check "play prints the VNC address" grep -q "VNC: *127.0.0.1:$VNC_PORT" "$out"
check "play says which engines dockerfs follows" grep -qF "dockerfs follows: ct ($DOCKER_HOST)" "$out"
check_eq "dockerfs follows the engine given: a container's engine file says ct" ct \
    "$(timeout 5 cat "$MNT/${ids[0]:0:12}/engine")"
check "play prints the noVNC URL" grep -q "http://127.0.0.1:$NOVNC_PORT/vnc.html" "$out"
if [[ $pw =~ ^[A-Za-z0-9]{8}$ ]]; then
    ok "play prints a generated 8-character password"
else
    not_ok "play prints a generated 8-character password" "$(cat "$out")"
fi
printf '%s\n' "$pw" >"$TESTS_TMP/pw.pat"
if docker inspect "$NAME" | grep -qF -f "$TESTS_TMP/pw.pat"; then
    not_ok "the password is not in docker inspect" "$(docker inspect "$NAME" | grep -F -f "$TESTS_TMP/pw.pat")"
else
    ok "the password is not in docker inspect"
fi
note "command lines seen while the game started: $(wc -c <"$cmdlines") bytes"
if tr '\0' ' ' <"$cmdlines" | grep -qF -f "$TESTS_TMP/pw.pat"; then
    not_ok "the password is in no /proc/*/cmdline while the game starts" \
        "$(tr '\0' ' ' <"$cmdlines" | grep -F -f "$TESTS_TMP/pw.pat" | sort -u | head -n 3)"
else
    ok "the password is in no /proc/*/cmdline while the game starts"
fi
if grep -qa 'x11vnc.*-display' "$cmdlines"; then
    ok "the watch saw the game's x11vnc start (it watched the right window)"
else
    not_ok "the watch saw the game's x11vnc start"
fi

# The game's account: a system account without a login shell.
ent=$(getent passwd dockerdoom || true)
IFS=: read -r _ _ guid ggid _ _ gshell <<<"$ent"
uid_min=$(awk '$1 == "UID_MIN" {print $2}' /etc/login.defs 2>/dev/null)
uid_min=${uid_min:-1000}
if [ -n "$ent" ] && [ "$guid" -gt 0 ] && [ "$guid" -lt "$uid_min" ]; then
    ok "the game's account dockerdoom is a system account (uid $guid < $uid_min)"
else
    not_ok "the game's account dockerdoom is a system account" "getent: $ent"
fi
case $gshell in
    */nologin|*/false) ok "dockerdoom has no login shell ($gshell)" ;;
    *) not_ok "dockerdoom has no login shell" "shell: $gshell" ;;
esac
check_eq "the game container runs as dockerdoom" "$guid:$ggid" \
    "$(docker inspect -f '{{.Config.User}}' "$NAME")"
others=$(docker top "$NAME" -o pid,uid,args | awk -v u="$guid" 'NR > 1 && $2 != u')
if [ -z "$others" ]; then
    ok "every process of the game container has uid $guid"
else
    not_ok "every process of the game container has uid $guid" "$others"
fi
check_eq "state directory: 750 root:dockerdoom" "750 root dockerdoom" \
    "$(stat -c '%a %U %G' "$DOCKERDOOM_RUN")"
check_eq "password file: 640 root:dockerdoom" "640 root dockerdoom" \
    "$(stat -c '%a %U %G' "$DOCKERDOOM_RUN/vncpass")"
if setpriv --reuid 65534 --regid 65534 --clear-groups ls "$MNT" >/dev/null 2>&1; then
    not_ok "another user (nobody) cannot reach the mount through the state directory"
else
    ok "another user (nobody) cannot reach the mount through the state directory"
fi

# Hardening, as the engine reports it.
hc() { docker inspect -f "{{$1}}" "$NAME"; }
check_eq "network: none" none "$(hc .HostConfig.NetworkMode)"
check_eq "capabilities: all dropped" '["ALL"]' "$(hc 'json .HostConfig.CapDrop')"
check_eq "capabilities: none added" 'null' "$(hc 'json .HostConfig.CapAdd')"
check_eq "read-only root" true "$(hc .HostConfig.ReadonlyRootfs)"
check "no-new-privileges" sh -c "docker inspect -f '{{json .HostConfig.SecurityOpt}}' $NAME | grep -q no-new-privileges"
check "pids limit set" test "$(hc .HostConfig.PidsLimit)" -gt 0
check "memory limit set" test "$(hc .HostConfig.Memory)" -gt 0
check_eq "not privileged" false "$(hc .HostConfig.Privileged)"
gpid=$(hc .State.Pid)
check_eq "inside: no effective capabilities" 0000000000000000 \
    "$(awk '/^CapEff:/ {print $2}' "/proc/$gpid/status")"
check_eq "inside: no_new_privs" 1 "$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$gpid/status")"
if docker exec "$NAME" touch /usr/local/bin/x 2>/dev/null; then
    not_ok "inside: the root file system is read-only"
else
    ok "inside: the root file system is read-only"
fi
if docker exec "$NAME" ln -s / /dockerfs-parent/evil 2>/dev/null; then
    not_ok "inside: the share cannot be written (no symlink planted)"
else
    ok "inside: the share cannot be written (no symlink planted)"
fi

check "dockerfs is mounted on the shared parent" dfs_mounted "$MNT"
check "dockerfs's log, in DOCKERDOOM_LOG_DIR, has its start line at once" \
    wait_until 5 grep -q 'info: mounted' "$DOCKERDOOM_LOG_DIR/dockerfs.log"
check_eq "the log directory is 750, its files 640" "750 640" \
    "$(stat -c %a "$DOCKERDOOM_LOG_DIR") $(stat -c %a "$DOCKERDOOM_LOG_DIR/dockerfs.log")"
# shellcheck disable=SC2016  # awk fields
check "the parent has shared propagation" \
    awk -v m="$DOCKERDOOM_RUN/share" '$5 == m && / shared:/ {f = 1} END {exit !f}' /proc/self/mountinfo
check_eq "game container labelled dockerfs.protect=true" true \
    "$(docker inspect -f '{{index .Config.Labels "dockerfs.protect"}}' "$NAME")"
check_eq "share bound read-only with rslave propagation" "rslave false" \
    "$(docker inspect -f '{{range .Mounts}}{{if eq .Destination "/dockerfs-parent"}}{{.Propagation}} {{.RW}}{{end}}{{end}}' "$NAME")"

game_id=$(docker inspect -f '{{.Id}}' "$NAME")
# Every running container (the three test ones and the game's own) has
# exactly one spawn line.
spawned_all() {
    local id log
    log=$(ct_game_log "$NAME")
    for id in "${ids[@]}" "$game_id"; do
        grep -q "dockerdoom: spawn id=${id:0:12} " <<<"$log" || return 1
    done
}
if wait_until 30 spawned_all; then
    ok "the game logs a spawn for every running container"
else
    not_ok "the game logs a spawn for every running container" \
        "$(ct_game_log "$NAME" | grep -E 'dockerdoom|entrypoint|rror' | tail -n 20)"
fi
# Counted in the first game run only (a restart spawns again).
first_run=$(ct_game_log "$NAME" | awk '/starting game \(run 2\)/ {exit} {print}')
for id in "${ids[@]}"; do
    n=$(grep -c "dockerdoom: spawn id=${id:0:12} " <<<"$first_run" || true)
    check_eq "one spawn for ${id:0:12}" 1 "$n"
done
ct_game_log "$NAME" | grep 'dockerdoom: spawn' | head -n 5 | while IFS= read -r l; do note "$l"; done

check "VNC listens on 127.0.0.1:$VNC_PORT only" \
    sh -c "ss -Htln 'sport = :$VNC_PORT' | awk '{print \$4}' | grep -qx '127.0.0.1:$VNC_PORT'"
check_eq "one listener on the VNC port (no IPv6 wildcard)" 1 \
    "$(ss -Htln "sport = :$VNC_PORT" | wc -l)"
check_eq "one listener on the noVNC port (no IPv6 wildcard)" 1 \
    "$(ss -Htln "sport = :$NOVNC_PORT" | wc -l)"
# Every listener of the game's processes and of the forwarders, IPv4 and
# IPv6, is on loopback.
fwd_pids=$(awk '{print $1}' "$DOCKERDOOM_RUN"/fwd-*.pid 2>/dev/null | xargs)
game_pids=$(docker top "$NAME" -o pid | awk 'NR > 1' | xargs)
note "forwarders: ${fwd_pids:-none}; game processes: $game_pids"
check_eq "two forwarders run" 2 "$(wc -w <<<"$fwd_pids")"
# shellcheck disable=SC2086  # pid lists
if bad=$(ct_listen_audit $fwd_pids $game_pids); then
    ok "listener audit (ss -ltnp, IPv4 and IPv6): nothing beyond loopback"
else
    not_ok "listener audit (ss -ltnp, IPv4 and IPv6): nothing beyond loopback" "$bad"
fi
inside=$(nsenter -t "$gpid" -n ss -Htln 2>&1)
bad=$(awk '{print $4}' <<<"$inside" | while read -r a; do ct_loopback "$a" || echo "$a"; done)
if [ -n "$inside" ] && [ -z "$bad" ]; then
    ok "inside the game's own network namespace: loopback listeners only"
else
    not_ok "inside the game's own network namespace: loopback listeners only" "$inside"
fi
for p in $fwd_pids; do
    check_eq "forwarder $p runs as dockerdoom without capabilities" "$guid 0000000000000000" \
        "$(awk '/^Uid:/ {u = $2} /^CapEff:/ {c = $2} END {print u, c}' "/proc/$p/status")"
done

# A service on the host's loopback is out of the game's reach.
hp=$(free_port)
socat "TCP4-LISTEN:$hp,bind=127.0.0.1,reuseaddr,fork" SYSTEM:'echo host-secret' \
    >/dev/null 2>&1 &
hpid=$!
wait_until 5 ct_listening "$hp" || true
# shellcheck disable=SC2016  # expanded by the inner bash
reach='exec 3<>"/dev/tcp/127.0.0.1/$1" && head -n1 <&3'
check_eq "host: the loopback service answers on the host" host-secret \
    "$(timeout 5 bash -c "$reach" _ "$hp" 2>/dev/null)"
got=$(timeout 10 docker exec "$NAME" bash -c "$reach" _ "$hp" 2>&1 || true)
if [ "$got" = host-secret ]; then
    not_ok "inside: the host's 127.0.0.1:$hp is unreachable" "got: $got"
else
    ok "inside: the host's 127.0.0.1:$hp is unreachable (${got:0:60})"
fi
kill "$hpid" 2>/dev/null || true
wait "$hpid" 2>/dev/null || true
if wait_until 10 curl -sf "http://127.0.0.1:$NOVNC_PORT/vnc.html" -o /dev/null; then
    ok "noVNC serves vnc.html on 127.0.0.1:$NOVNC_PORT"
else
    not_ok "noVNC serves vnc.html on 127.0.0.1:$NOVNC_PORT"
fi

# The game container protects itself: EPERM for root on the host and for
# the game's own user inside.
err=$( { echo 1 >"$MNT/${game_id:0:12}/kill"; } 2>&1 || true)
case $err in
    *"Operation not permitted"*) ok "host: kill of the game container gives EPERM" ;;
    *) not_ok "host: kill of the game container gives EPERM" "got: ${err:-success}" ;;
esac
# bash, not sh: dash's echo reports every write error as "I/O error".
err=$(docker exec "$NAME" bash -c "echo 1 > /dockerfs-parent/fs/${game_id:0:12}/kill" 2>&1 || true)
case $err in
    *"Operation not permitted"*) ok "inside: kill of the game container gives EPERM" ;;
    *) not_ok "inside: kill of the game container gives EPERM" "got: ${err:-success}" ;;
esac
check_eq "the game container still runs" running "$(c_state "$NAME")"

# The game's user may kill a test container through the bound mount.
victim=${ids[0]}
check "inside, the game's account kills a test container through the read-only bound share" \
    docker exec "$NAME" bash -c "echo 1 > /dockerfs-parent/fs/${victim:0:12}/kill"
check_eq "that container is gone" gone "$(c_state "$victim")"

# Restart dockerfs under the running game: the new mount shows inside.
started=$(docker inspect -f '{{.State.StartedAt}}' "$NAME")
old_pid=$(awk '{print $1}' "$DOCKERDOOM_RUN/dockerfs.pid")
kill -TERM "$old_pid"
wait_until 10 sh -c "! kill -0 $old_pid 2>/dev/null" || true
if wait_until 10 dfs_unmounted "$MNT"; then
    ok "dockerfs stopped and unmounted"
else
    not_ok "dockerfs stopped and unmounted"
fi
# The second dockerfs prints 40 kB first: the launcher's log, capped at
# 8 kB here, must rotate instead of growing.
cat >"$TESTS_TMP/chatty-dockerfs" <<EOF
#!/bin/bash
for i in \$(seq 400); do printf 'chatty line %04d %080d\\n' "\$i" 0; done >&2
exec "$DOCKERFS_BIN" "\$@"
EOF
chmod +x "$TESTS_TMP/chatty-dockerfs"
old_fwd=$(awk '{print $1}' "$DOCKERDOOM_RUN"/fwd-*.pid | xargs)
if DOCKERFS_BIN=$TESTS_TMP/chatty-dockerfs DOCKERDOOM_LOG_MAX=8000 ct_launcher play >"$out.2" 2>&1 &&
    grep -q 'already running' "$out.2"; then
    ok "play again remounts dockerfs and keeps the running game"
else
    not_ok "play again remounts dockerfs and keeps the running game" "$(tail -n 20 "$out.2")"
fi
seen_inside() {
    docker exec "$NAME" ls /dockerfs-parent/fs 2>/dev/null | grep -qx "${ids[1]:0:12}"
}
if wait_until 10 seen_inside; then
    ok "the new mount appears inside the running container (rslave)"
else
    not_ok "the new mount appears inside the running container (rslave)" \
        "$(docker exec "$NAME" ls -la /dockerfs-parent/fs 2>&1)"
fi
check_eq "the game container was not restarted" "$started" \
    "$(docker inspect -f '{{.State.StartedAt}}' "$NAME")"
check "status reports it all" ct_launcher status
check "status names the engines followed" bash -c "'$LAUNCHER' status | grep -q '^engines:  '"
new_fwd=$(awk '{print $1}' "$DOCKERDOOM_RUN"/fwd-*.pid | xargs)
if [ "$(wc -w <<<"$new_fwd")" = 2 ] && [ "$new_fwd" != "$old_fwd" ]; then
    ok "play again restarted both forwarders ($old_fwd -> $new_fwd)"
else
    not_ok "play again restarted both forwarders" "before: $old_fwd, after: $new_fwd"
fi
for p in $old_fwd; do
    if ct_alive "$p"; then not_ok "old forwarder $p is gone"; else ok "old forwarder $p is gone"; fi
done
if wait_until 10 curl -sf "http://127.0.0.1:$NOVNC_PORT/vnc.html" -o /dev/null; then
    ok "noVNC answers again through the new forwarder"
else
    not_ok "noVNC answers again through the new forwarder"
fi
dlog=$DOCKERDOOM_LOG_DIR/dockerfs.log
sz=$(stat -c %s "$dlog" 2>/dev/null || echo 0)
if [ -s "$dlog.1" ] && [ "$sz" -le 8200 ] && [ "$(stat -c %s "$dlog.1")" -le 8200 ]; then
    ok "the dockerfs log is capped: rotated to .1, each file <= 8 kB ($sz and $(stat -c %s "$dlog.1") bytes)"
else
    not_ok "the dockerfs log is capped" "$(ls -l "$DOCKERDOOM_LOG_DIR")"
fi
# Either file may hold them (dockerfs.log is made again at the next line).
after_rotation() {
    { cat "$dlog.1" "$dlog" 2>/dev/null || true; } |
        awk '/chatty line/ { c = 1 } c && /info: mounted/ { f = 1 } END { exit !f }'
}
check "dockerfs's own lines follow the rotated ones" wait_until 5 after_rotation

# stop: no game container, no mount, no dockerfs.
dfs_pid=$(awk '{print $1}' "$DOCKERDOOM_RUN/dockerfs.pid")
check "dockerdoom stop" ct_launcher stop
check_eq "no game container left" gone "$(c_state "$NAME")"
if grep -q "$DOCKERDOOM_RUN" /proc/self/mountinfo; then
    not_ok "no mount left under $DOCKERDOOM_RUN" "$(grep "$DOCKERDOOM_RUN" /proc/self/mountinfo)"
else
    ok "no mount left under $DOCKERDOOM_RUN"
fi
if ct_alive "$dfs_pid"; then
    not_ok "dockerfs process gone"
else
    ok "dockerfs process gone"
fi
for p in $new_fwd; do
    if ct_alive "$p"; then not_ok "stop ended forwarder $p"; else ok "stop ended forwarder $p"; fi
done
if ct_listening "$VNC_PORT" || ct_listening "$NOVNC_PORT"; then
    not_ok "nothing listens on the VNC and noVNC ports after stop"
else
    ok "nothing listens on the VNC and noVNC ports after stop"
fi
# The demo, a script of its own, through the launcher.
if ct_launcher demo 2 >"$TESTS_TMP/demo.out" 2>&1 &&
    [ "$(docker ps -q --filter label=dockerdoom.demo=true | wc -l)" = 2 ]; then
    ok "dockerdoom demo 2 starts two demo containers"
else
    not_ok "dockerdoom demo 2 starts two demo containers" "$(cat "$TESTS_TMP/demo.out")"
fi
check "dockerdoom demo clean" ct_launcher demo clean
check_eq "no demo container left" 0 "$(docker ps -aq --filter label=dockerdoom.demo=true | wc -l)"
check_eq "test containers untouched by stop" running "$(c_state "${ids[2]}")"
if ct_launcher status >/dev/null 2>&1; then
    not_ok "status fails once stopped"
else
    ok "status fails once stopped"
fi

tap_done
