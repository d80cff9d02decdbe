#!/usr/bin/env bash
# 20-play.sh - the launcher end to end on the private engine:
# `dockerdoom play` mounts dockerfs (shared parent, allow_other, --uid 1000)
# and starts the game container (host network, rslave bind, label
# dockerfs.protect=true); the game logs one spawn per running container;
# the game container cannot be killed through the mount (EPERM), a test
# container can (from inside the game container, as uid 1000); restarting
# dockerfs reaches the running container without restarting it; `stop`
# leaves no container and no mount behind.
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

out=$TESTS_TMP/play.out
if ct_launcher play >"$out" 2>&1; then
    ok "dockerdoom play"
else
    not_ok "dockerdoom play" "$(tail -n 30 "$out")"
    tap_done
fi
pw=$(awk '/password:/ {print $2}' "$out")
check "play prints the VNC address" grep -q "VNC: *127.0.0.1:$VNC_PORT" "$out"
check "play prints the noVNC URL" grep -q "http://127.0.0.1:$NOVNC_PORT/vnc.html" "$out"
if [[ $pw =~ ^[A-Za-z0-9]{8}$ ]]; then
    ok "play prints a generated 8-character password"
else
    not_ok "play prints a generated 8-character password" "$(cat "$out")"
fi
if docker inspect -f '{{json .Config.Env}}' "$NAME" | grep -q "$pw"; then
    not_ok "the password is not in the container's environment"
else
    ok "the password is not in the container's environment"
fi

check "dockerfs is mounted on the shared parent" dfs_mounted "$MNT"
# shellcheck disable=SC2016  # awk fields
check "the parent has shared propagation" \
    awk -v m="$DOCKERDOOM_RUN/share" '$5 == m && / shared:/ {f = 1} END {exit !f}' /proc/self/mountinfo
check_eq "game container labelled dockerfs.protect=true" true \
    "$(docker inspect -f '{{index .Config.Labels "dockerfs.protect"}}' "$NAME")"
check_eq "game container on the host network" host \
    "$(docker inspect -f '{{.HostConfig.NetworkMode}}' "$NAME")"
check_eq "mount bound rw with rslave propagation" "rslave true" \
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
check "inside, uid 1000 kills a test container through the mount" \
    docker exec "$NAME" bash -c "echo 1 > /dockerfs-parent/fs/${victim:0:12}/kill"
check_eq "that container is gone" gone "$(c_state "$victim")"

# Restart dockerfs under the running game: the new mount shows inside.
started=$(docker inspect -f '{{.State.StartedAt}}' "$NAME")
old_pid=$(cat "$DOCKERDOOM_RUN/dockerfs.pid")
kill -TERM "$old_pid"
wait_until 10 sh -c "! kill -0 $old_pid 2>/dev/null" || true
if wait_until 10 dfs_unmounted "$MNT"; then
    ok "dockerfs stopped and unmounted"
else
    not_ok "dockerfs stopped and unmounted"
fi
if ct_launcher play >"$out.2" 2>&1 && grep -q 'already running' "$out.2"; then
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

# stop: no game container, no mount, no dockerfs.
dfs_pid=$(cat "$DOCKERDOOM_RUN/dockerfs.pid")
check "dockerdoom stop" ct_launcher stop
check_eq "no game container left" gone "$(c_state "$NAME")"
if grep -q "$DOCKERDOOM_RUN" /proc/self/mountinfo; then
    not_ok "no mount left under $DOCKERDOOM_RUN" "$(grep "$DOCKERDOOM_RUN" /proc/self/mountinfo)"
else
    ok "no mount left under $DOCKERDOOM_RUN"
fi
if kill -0 "$dfs_pid" 2>/dev/null; then
    not_ok "dockerfs process gone"
else
    ok "dockerfs process gone"
fi
check_eq "test containers untouched by stop" running "$(c_state "${ids[2]}")"
if ct_launcher status >/dev/null 2>&1; then
    not_ok "status fails once stopped"
else
    ok "status fails once stopped"
fi

tap_done
