#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 25-engine-start.sh - the launcher on a machine where no engine answers and
# there is no systemd: it starts dockerd itself, says how to stop it, and
# that dockerd's log is capped like dockerfs's (DOCKERDOOM_LOG_MAX, then
# moved to .1), so a chatty engine cannot fill the disk. `stop` says the
# dockerd keeps running and how to stop it; `stop --engine` stops it (and
# only a dockerd it started: a second `stop --engine` has nothing to stop).
#
# The machine's own engine socket is never touched: the docker CLI is sent
# to a socket of this script's by a context of its own (DOCKER_CONFIG), and
# the `dockerd` the launcher finds first on PATH is this script's stand-in,
# which talks a lot and then forwards that socket to the private engine.
set -euo pipefail
# shellcheck source=tests/container/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ct_setup
if [[ -d /run/systemd/system ]]; then
    # The launcher would start the docker service instead; nothing to see.
    note "systemd runs here: the launcher would start the docker service; nothing to test"
    tap_done
fi
command -v socat >/dev/null || { not_ok "socat is installed"; tap_done; }
T=$TESTS_TMP/es
mkdir -p "$T/bin" "$T/cfg"
engine_sock=${DOCKER_HOST#unix://}
cat >"$T/bin/dockerd" <<EOF
#!/usr/bin/env bash
# Logs as a busy engine does: 200 lines of 100 bytes, then answers.
echo "\$*" >$T/args
for i in \$(seq 200); do printf 'engine chatter %04d %079d\n' "\$i" 0; done >&2
exec socat UNIX-LISTEN:$T/d.sock,fork UNIX-CONNECT:$engine_sock
EOF
chmod +x "$T/bin/dockerd"
DOCKER_CONFIG=$T/cfg docker context create es --docker "host=unix://$T/d.sock" >/dev/null 2>&1
DOCKER_CONFIG=$T/cfg docker context use es >/dev/null 2>&1
stop_standin() {
    local pid
    pid=$(awk '{print $1}' "$DOCKERDOOM_RUN/dockerd.pid" 2>/dev/null) || return 0
    [[ -n $pid ]] || return 0
    kill "$pid" 2>/dev/null || true
}
trap 'stop_standin; ct_cleanup' EXIT

out=$TESTS_TMP/es.out
# From /: the commands it prints are then the launcher's full path.
if (cd / && env -u DOCKER_HOST DOCKER_CONFIG="$T/cfg" PATH="$T/bin:$PATH" DOCKERDOOM_LOG_MAX=6000 \
    "$LAUNCHER" demo clean) >"$out" 2>&1; then
    ok "with no engine answering, the launcher starts one and goes on"
else
    not_ok "with no engine answering, the launcher starts one and goes on" "$(tail -n 20 "$out")"
fi
check "it says so, where the engine logs and how to stop it" \
    grep -qF "no engine answers and no systemd: starting dockerd (log: $DOCKERDOOM_LOG_DIR/dockerd.log; \`$LAUNCHER stop --engine\` stops it)" "$out"
check_eq "the dockerd it starts has no bridge or iptables" \
    "--bridge=none --iptables=false --ip-masq=false" "$(cat "$T/args" 2>/dev/null)"
# 200 lines of about 100 bytes through a cap of 6000: moved to .1 at least
# three times, the file never holding much more than the cap.
logged() {
    [[ $(cat "$DOCKERDOOM_LOG_DIR"/dockerd.log* 2>/dev/null | grep -c 'engine chatter') -ge 150 ]]
}
wait_until 5 logged || true
size=$(stat -c %s "$DOCKERDOOM_LOG_DIR/dockerd.log" 2>/dev/null || echo 0)
old=$(stat -c %s "$DOCKERDOOM_LOG_DIR/dockerd.log.1" 2>/dev/null || echo 0)
if [[ $size -le 6100 && $old -ge 5900 && $old -le 6100 ]]; then
    ok "dockerd's log is capped: $size bytes, the one before it $old (cap 6000)"
else
    not_ok "dockerd's log is capped (cap 6000)" "dockerd.log $size bytes, dockerd.log.1 $old"
fi
check "the last lines are in the log, not lost" \
    sh -c "tail -n 1 '$DOCKERDOOM_LOG_DIR/dockerd.log' | grep -q 'engine chatter 0200'"
check_eq "the logs are not for everyone to read" "640" \
    "$(stat -c %a "$DOCKERDOOM_LOG_DIR/dockerd.log")"

# stop, then stop --engine: the stand-in is the dockerd play started.
pid=$(awk '{print $1}' "$DOCKERDOOM_RUN/dockerd.pid" 2>/dev/null || true)
es() { (cd / && env -u DOCKER_HOST DOCKER_CONFIG="$T/cfg" PATH="$T/bin:$PATH" "$LAUNCHER" "$@"); }
es stop >"$out" 2>&1 || true
check "stop says the dockerd play started keeps running, and how to stop it" \
    grep -qF "the dockerd play started keeps running (pid $pid): \`$LAUNCHER stop --engine\` stops it" "$out"
check "... and it runs" kill -0 "$pid"
if es stop --engine >"$out" 2>&1 && grep -qF "stopped the dockerd play started (pid $pid)" "$out"; then
    ok "stop --engine stops it"
else
    not_ok "stop --engine stops it" "$(cat "$out")"
fi
if wait_until 5 bash -c "! kill -0 $pid 2>/dev/null"; then ok "... it is gone"; else not_ok "... it is gone"; fi
check "a second stop --engine has nothing of its own to stop" \
    grep -q "play started no engine here" <(es stop --engine 2>&1)
tap_done
