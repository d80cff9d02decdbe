# SPDX-License-Identifier: GPL-2.0-or-later
# dockerdoom game container: Xvfb + patched chocolate-doom + x11vnc + noVNC,
# and ddaudio carrying the game's sound to the noVNC page.
#
#   container/base-image.sh            # makes debian:bookworm-slim offline if needed
#   docker build --network host -t dockerdoom .
#
# `--network host`: the engine's default bridge is off on these machines and
# the build stages fetch packages from the apt mirror. The launcher runs the
# image as its own system account with --network none, --read-only (tmpfs
# /tmp), --cap-drop ALL and no-new-privileges: nothing here may need more.

# ---- build: chocolate-doom from Debian's source package + game/ ------------
FROM debian:bookworm-slim AS build
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /src
# Fetching the source and its build dependencies is the slow part; it only
# depends on this script, so edits to the game's own files reuse the layer.
COPY game/fetch-source.sh game/fetch-source.sh
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends make ca-certificates libgcrypt20-dev >/dev/null \
 && game/fetch-source.sh build/game/src
# The top Makefile includes these two; dockerfs's sources are not needed,
# so editing them does not rebuild the game here.
COPY Makefile VERSION ./
COPY fusefs/fusefs.mk fusefs/fusefs.mk
COPY tests/tests.mk tests/tests.mk
COPY game/ game/
RUN make game \
 && install -D -m 0755 build/game/chocolate-doom /out/chocolate-doom \
 && strip /out/chocolate-doom
# ddaudio apart: editing it does not rebuild the game.
COPY container/audio/ container/audio/
RUN make audio \
 && install -D -m 0755 build/audio/ddaudio /out/ddaudio \
 && strip /out/ddaudio

# ---- runtime ----------------------------------------------------------------
FROM debian:bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive
# The packages are container/packages' image set (installed with their
# Depends) and image-unpacked set (freedoom and novnc unpacked without their
# Depends: freedoom would pull Debian's unpatched engine, novnc pulls nodejs
# for tools we never run; the WADs and the noVNC web page are plain files).
# Then a few dependencies that nothing here uses are purged (over 200 MB):
# Mesa's DRI drivers with LLVM, z3, libxml2 and ICU (libgl1 of Xvfb pulls
# them; Xvfb runs without GLX and SDL renders in software), numpy with
# BLAS/LAPACK (websockify only uses it to speed up frame masking when
# present) and the MIDI sound font (the game's music is its own OPL
# emulation). dpkg then knows these dependencies are unmet; the image
# installs nothing later, so that is fine.
COPY container/packages /tmp/packages
RUN set_of() { awk -v s="$1" '$1 == s { print $2 }' /tmp/packages; } \
 && apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends $(set_of image) >/dev/null \
 && cd /tmp \
 && apt-get download -qq $(set_of image-unpacked) \
 && for deb in ./*.deb; do dpkg-deb -x "$deb" /; done \
 && rm -f ./*.deb /tmp/packages \
 && find /usr/share/doc/freedoom /usr/share/doc/novnc -type f ! -name copyright -delete \
 && unused="libgl1-mesa-dri libllvm15 libz3-4 libxml2 libicu72 python3-numpy \
            libblas3 liblapack3 libgfortran5 timgm6mb-soundfont" \
 && dpkg --purge --force-depends $(dpkg-query -W -f='${Package}\n' $unused 2>/dev/null) >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && test -f /usr/share/games/doom/freedoom1.wad \
 && test -f /usr/share/games/doom/freedoom2.wad \
 && test -f /usr/share/novnc/vnc.html \
 && useradd --uid 1000 --user-group --create-home --shell /bin/bash doom \
 && install -d -m 1777 /tmp/.X11-unix \
 && install -d -m 0755 /run/dockerdoom
COPY --from=build /out/chocolate-doom /out/ddaudio /usr/local/bin/
# The noVNC page with the game's sound (mkweb.sh: noVNC's files as links,
# its page loading dockerdoom-audio.js, websockify's tokens as defaults).
COPY container/audio/mkweb.sh /tmp/web/mkweb.sh
COPY container/audio/web/ /tmp/web/web/
RUN /tmp/web/mkweb.sh /usr/share/novnc /usr/share/dockerdoom/novnc && rm -rf /tmp/web
COPY container/entrypoint.sh /usr/local/bin/dockerdoom-entrypoint
# Every library the game and ddaudio link must be here (libs removed above
# included).
RUN ! ldd /usr/local/bin/chocolate-doom /usr/local/bin/ddaudio | grep 'not found'
USER doom
WORKDIR /home/doom
ENV HOME=/home/doom
EXPOSE 5900 6080
# tini is PID 1: it reaps, and with -g passes SIGTERM to the whole process
# group, so every child stops at once.
ENTRYPOINT ["/usr/bin/tini", "-g", "--", "/usr/local/bin/dockerdoom-entrypoint"]
