#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# mkweb.sh NOVNC_DIR OUT_DIR - the noVNC page with the game's sound.
#
# OUT_DIR becomes noVNC's web root (NOVNC_DIR, /usr/share/novnc) as links,
# but for three files made from noVNC's own:
#   vnc.html       loads web/dockerdoom-audio.js (copied beside it, with
#                  its worker and worklet)
#   app/ui.js      connects to websockify?token=vnc by default, not
#   vnc_lite.html  websockify: websockify routes by token (vnc, audio)
# The game image runs this at build time; the tests run it on the host.
set -eu

[ $# -eq 2 ] || { echo "usage: mkweb.sh NOVNC_DIR OUT_DIR" >&2; exit 2; }
novnc=$1
out=$2
here=$(dirname "$0")
if ! [ -f "$novnc/vnc.html" ] || ! [ -f "$novnc/app/ui.js" ]; then
    echo "mkweb: $novnc is not noVNC's web root (no vnc.html, app/ui.js)" >&2
    exit 1
fi

mkdir -p "$out/app"
# Links to everything else; noVNC's own relative links (vnc_auto.html ->
# vnc.html) are copied as links, so they lead to the new page.
for f in "$novnc"/* "$novnc"/app/*; do
    rel=${f#"$novnc"/}
    case $rel in
        app|vnc.html|vnc_lite.html|app/ui.js) continue ;;
    esac
    if [ -L "$f" ]; then
        cp -P "$f" "$out/$rel"
    else
        ln -sfn "$f" "$out/$rel"
    fi
done

# The default path carries the token; a path given in the address wins.
sed "s|UI.initSetting('path', 'websockify');|UI.initSetting('path', 'websockify?token=vnc');|" \
    "$novnc/app/ui.js" >"$out/app/ui.js"
sed "s|readQueryVariable('path', 'websockify')|readQueryVariable('path', 'websockify?token=vnc')|" \
    "$novnc/vnc_lite.html" >"$out/vnc_lite.html"
sed 's|^</head>|    <script type="module" src="dockerdoom-audio.js"></script>\n</head>|' \
    "$novnc/vnc.html" >"$out/vnc.html"
cp "$here"/web/dockerdoom-audio*.js "$out/"

# A noVNC whose files read otherwise would give a page without sound or
# without a connection: fail the build instead.
grep -q "token=vnc" "$out/app/ui.js" ||
    { echo "mkweb: no default path to change in $novnc/app/ui.js" >&2; exit 1; }
grep -q "token=vnc" "$out/vnc_lite.html" ||
    { echo "mkweb: no default path to change in $novnc/vnc_lite.html" >&2; exit 1; }
grep -q "dockerdoom-audio.js" "$out/vnc.html" ||
    { echo "mkweb: no </head> in $novnc/vnc.html" >&2; exit 1; }
