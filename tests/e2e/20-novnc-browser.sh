#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 20-novnc-browser.sh - Debian's chromium, headless, driven by
# playwright-core (tests/helpers/browser/novnc.mjs), opens the noVNC page served
# by websockify in front of a password-protected x11vnc, no Docker: an
# xterm on Xvfb. Checks that the page reports the connection, that keys
# typed in the browser reach the xterm, that the canvas is not blank, and
# that a wrong password is reported as an error.
set -euo pipefail

REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export REPO
# shellcheck source=tests/lib/tap.sh
. "$REPO/tests/lib/tap.sh"
# shellcheck source=tests/e2e/lib/xstack.sh
. "$REPO/tests/e2e/lib/xstack.sh"

xstack_test_init nv
NOVNC_JS=$REPO/tests/helpers/browser/novnc.mjs

for tool in Xvfb x11vnc xterm websockify node npm /usr/bin/chromium; do
    command -v "$tool" >/dev/null || { not_ok "tool $tool installed"; tap_done; }
done
[ -f /usr/share/novnc/vnc.html ] || { not_ok "noVNC installed (/usr/share/novnc)"; tap_done; }

if browser_deps; then
    ok "npm ci in tests/helpers/browser (playwright-core)"
else
    not_ok "npm ci in tests/helpers/browser (playwright-core)"
    tap_done
fi

if xstack_start "$T/x" "$PASS" && xstack_novnc; then
    ok "Xvfb $XS_DISPLAY, x11vnc :$XS_VNC_PORT, websockify+noVNC :$XS_WEB_PORT"
else
    not_ok "Xvfb, x11vnc and websockify start"
    tap_done
fi

xstack_xterm "$T/work"

# Runs the browser; its facts go to a file, its errors to another.
browse() {
    local name=$1 rc=0
    shift
    node "$NOVNC_JS" --web-port "$XS_WEB_PORT" "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
    echo "$rc" >"$T/$name.rc"
}
fact() {
    sed -n "s/^$2: //p" "$T/$1.out" | head -n1
}

browse good --password "$PASS" \
    'type:echo browser-typed >novnc.txt' press:Enter wait:500 \
    "shot:$T/novnc-page.png" "canvas:$T/novnc-canvas.png"
if [ "$(cat "$T/good.rc")" = 0 ] && [ "$(fact good connected)" = yes ]; then
    ok "noVNC connected with the password"
else
    not_ok "noVNC connected with the password" \
        "rc=$(cat "$T/good.rc") $(cat "$T/good.out" "$T/good.err")"
fi
status=$(fact good status)
if [[ $status == "Connected (unencrypted) to "* ]]; then
    ok "page status says '$status'"
else
    not_ok "page status says 'Connected (unencrypted) to ...'" "status: $status"
fi
if wait_until 5 test -s "$T/work/novnc.txt"; then
    check_eq "keys typed in the browser reached the xterm" "browser-typed" "$(cat "$T/work/novnc.txt")"
else
    not_ok "keys typed in the browser reached the xterm" "$(cat "$T/good.out" "$T/good.err")"
fi
canvas=$(fact good canvas)
if [[ $canvas =~ ^640x480\ colours=([0-9]+)\ nonblack=([0-9]+)$ ]] &&
    [ "${BASH_REMATCH[1]}" -ge 2 ] && [ "${BASH_REMATCH[2]}" -gt 0 ]; then
    ok "canvas is 640x480 and not blank ($canvas)"
else
    not_ok "canvas is 640x480 and not blank" "canvas: $canvas"
fi
if [ -s "$T/novnc-page.png" ] && [ -s "$T/novnc-canvas.png" ]; then
    ok "screenshots saved"
else
    not_ok "screenshots saved"
fi

browse bad --password "wrong-$PASS" --expect-failure --timeout 15000
status=$(fact bad status)
if [ "$(cat "$T/bad.rc")" = 0 ] && [ "$(fact bad connected)" = no ] &&
    [[ $status == *"rejected"* ]]; then
    ok "wrong password: page reports an error ('$status')"
else
    not_ok "wrong password: page reports an error" \
        "rc=$(cat "$T/bad.rc") $(cat "$T/bad.out" "$T/bad.err")"
fi

tap_done
