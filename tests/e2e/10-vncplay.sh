#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 10-vncplay.sh - the VNC test client against a real x11vnc, no Docker:
# Xvfb + xterm + x11vnc with a password. Checks the error exits (wrong or
# missing password, nothing listening, bad script), that a screenshot is a
# real picture, and that typed keys (press/release, held modifiers) arrive
# in the xterm: the xterm writes what it got into a file.
set -euo pipefail

REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export REPO
# shellcheck source=tests/lib/tap.sh
. "$REPO/tests/lib/tap.sh"
# shellcheck source=tests/e2e/lib/xstack.sh
. "$REPO/tests/e2e/lib/xstack.sh"

xstack_test_init vp

for tool in Xvfb x11vnc xterm identify; do
    command -v "$tool" >/dev/null || { not_ok "tool $tool installed"; tap_done; }
done

if VP=$(vncplay_bin); then
    ok "vncplay builds: ${VP#"$REPO"/}"
else
    not_ok "vncplay builds"
    tap_done
fi

# -repeat: keep X auto-repeat on (x11vnc turns it off by default), so
# the hold test below can see how long a key was down.
XS_X11VNC_OPTS=(-repeat)
require "Xvfb and x11vnc start" xstack_start "$T/x" "$PASS"
note "Xvfb $XS_DISPLAY, x11vnc on 127.0.0.1:$XS_VNC_PORT"

# The xterm runs a shell in T/work and has the keyboard.
xstack_xterm "$T/work"

# Runs vncplay; prints "rc=N" then its stderr, so a check sees both.
vp() {
    local rc=0 err
    err=$("$VP" "$@" 2>&1 >/dev/null) || rc=$?
    printf 'rc=%s\n%s\n' "$rc" "$err"
}

out=$(VNC_PASSWORD=wrong-pw vp "127.0.0.1:$XS_VNC_PORT" shot "$T/wrong.png")
if [[ $out == rc=3* ]] && grep -q 'authentication failed' <<<"$out" && ! [ -e "$T/wrong.png" ]; then
    ok "wrong password: exit 3, 'authentication failed', no picture"
else
    not_ok "wrong password: exit 3, 'authentication failed', no picture" "$out"
fi

out=$(env -u VNC_PASSWORD "$VP" "127.0.0.1:$XS_VNC_PORT" shot "$T/nopw.png" 2>&1) && rc=0 || rc=$?
if [ "$rc" = 3 ] && grep -q 'wants a password' <<<"$out"; then
    ok "no password: exit 3, says a password is wanted"
else
    not_ok "no password: exit 3, says a password is wanted" "rc=$rc $out"
fi

dead=$(free_port)
out=$(VNC_PASSWORD=$PASS vp "127.0.0.1:$dead" shot "$T/dead.png")
if [[ $out == rc=2* ]] && grep -q 'cannot connect' <<<"$out"; then
    ok "nothing listening: exit 2, 'cannot connect'"
else
    not_ok "nothing listening: exit 2, 'cannot connect'" "$out"
fi

out=$(VNC_PASSWORD=$PASS vp "127.0.0.1:$XS_VNC_PORT" key Nokey down)
if [[ $out == rc=1* ]] && grep -q "unknown key name 'Nokey'" <<<"$out"; then
    ok "bad script: exit 1 before connecting"
else
    not_ok "bad script: exit 1 before connecting" "$out"
fi

printf '%s\n' "$PASS" >"$T/pwfile"
chmod 0600 "$T/pwfile"
out=$(vp -p "$T/pwfile" "127.0.0.1:$XS_VNC_PORT" wait 300 shot "$T/before.png")
if [[ $out == rc=0* ]] && [ -s "$T/before.png" ]; then
    ok "right password (file): connected, screenshot written"
else
    not_ok "right password (file): connected, screenshot written" "$out"
fi
geom=$(identify -format '%w %h %k' "$T/before.png" 2>&1 || true)
# A white xterm with a black prompt on black root: at least 2 colours;
# a blank (all one colour) picture has 1.
if [[ $geom =~ ^640\ 480\ ([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" -ge 2 ]; then
    ok "screenshot is a 640x480 PNG and not blank ($geom)"
else
    not_ok "screenshot is a 640x480 PNG and not blank" "identify: $geom"
fi

# Typed text arrives: the shell in the xterm writes it to a file.
out=$(VNC_PASSWORD=$PASS vp "127.0.0.1:$XS_VNC_PORT" \
    type 'echo' tap space type 'typed-1.A' tap space type '>typed.txt' tap Return \
    wait 300 shot "$T/after.png")
check_eq "typing script ran" "rc=0" "$(head -n1 <<<"$out")"
if wait_until 5 test -s "$T/work/typed.txt"; then
    check_eq "typed text arrived in the xterm" "typed-1.A" "$(cat "$T/work/typed.txt")"
else
    not_ok "typed text arrived in the xterm" "no $T/work/typed.txt; vncplay: $out"
fi
if ! cmp -s "$T/before.png" "$T/after.png"; then
    ok "screenshot after typing differs from before"
else
    not_ok "screenshot after typing differs from before"
fi

# Press, hold, release: x11vnc runs with -repeat here, so X auto-repeats
# a key held for 1.5 s (delay 660 ms) and a tap gives one character.
out=$(VNC_PASSWORD=$PASS vp "127.0.0.1:$XS_VNC_PORT" \
    type 'echo' tap space hold x 1500 key y down wait 1500 key y up tap z \
    tap space type '>held.txt' tap Return)
if wait_until 5 test -s "$T/work/held.txt" && [[ $(cat "$T/work/held.txt") =~ ^xx+yy+z$ ]]; then
    ok "hold and key down/up: held keys repeat, a tap does not ($(cat "$T/work/held.txt"))"
else
    not_ok "hold and key down/up: held keys repeat, a tap does not" \
        "got: $(cat "$T/work/held.txt" 2>/dev/null); $out"
fi

# Steps from standard input, with a comment, and the host::port form.
printf 'wait 100 # a comment\n\nshot %s\n' "$T/stdin.png" >"$T/script.txt"
rc=0
VNC_PASSWORD=$PASS "$VP" "127.0.0.1::$XS_VNC_PORT" <"$T/script.txt" 2>"$T/stdin.err" || rc=$?
if [ "$rc" = 0 ] && [ -s "$T/stdin.png" ]; then
    ok "steps from standard input"
else
    not_ok "steps from standard input" "rc=$rc $(cat "$T/stdin.err")"
fi

# The server going away mid-script is exit 4, not a hang or a crash.
(
    rc=0
    VNC_PASSWORD=$PASS "$VP" "127.0.0.1:$XS_VNC_PORT" wait 4000 >/dev/null 2>"$T/lost.err" || rc=$?
    echo "$rc" >"$T/lost.rc"
) &
lostpid=$!
sleep 1
xstack_stop
wait "$lostpid" || true
check_eq "server gone mid-script: exit 4" "4" "$(cat "$T/lost.rc")"

tap_done
