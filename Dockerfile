# dockerdoom game container: Xvfb + patched chocolate-doom + x11vnc + noVNC.
#
#   container/base-image.sh            # makes debian:bookworm-slim offline if needed
#   docker build --network host -t dockerdoom .
#
# `--network host`: the engine's default bridge is off on these machines and
# the build stages fetch packages from the apt mirror.
# SPDX-License-Identifier: GPL-2.0-or-later

# ---- build: chocolate-doom from Debian's source package + game/ ------------
FROM debian:bookworm-slim AS build
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /src
# Fetching the source and its build dependencies is the slow part; it only
# depends on this script, so edits to the game's own files reuse the layer.
COPY game/fetch-source.sh game/fetch-source.sh
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends make ca-certificates >/dev/null \
 && game/fetch-source.sh build/game/src
COPY Makefile VERSION ./
COPY fusefs/ fusefs/
COPY tests/tests.mk tests/tests.mk
COPY game/ game/
RUN make game \
 && install -D -m 0755 build/game/chocolate-doom /out/chocolate-doom \
 && strip /out/chocolate-doom

# ---- runtime ----------------------------------------------------------------
FROM debian:bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive
# freedoom and novnc are unpacked without their Depends: freedoom would pull
# Debian's unpatched engine, novnc pulls nodejs for tools we never run; the
# WADs and the noVNC web page are plain files. Mesa's software GL driver and
# LLVM (over 100 MB) are only there because libgl1 is a dependency of Xvfb;
# Xvfb runs without GLX and the game renders in software, so they go.
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends \
        xvfb xauth x11vnc websockify tini xdotool \
        libsdl2-2.0-0 libsdl2-mixer-2.0-0 libsdl2-net-2.0-0 \
        libpng16-16 libsamplerate0 >/dev/null \
 && cd /tmp \
 && apt-get download -qq freedoom novnc \
 && for deb in ./*.deb; do dpkg-deb -x "$deb" /; done \
 && rm -f ./*.deb \
 && rm -rf /usr/lib/x86_64-linux-gnu/dri /usr/lib/x86_64-linux-gnu/libLLVM-*.so* \
           /usr/lib/x86_64-linux-gnu/libz3.so* \
           /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && test -f /usr/share/games/doom/freedoom1.wad \
 && test -f /usr/share/games/doom/freedoom2.wad \
 && test -f /usr/share/novnc/vnc.html \
 && useradd --uid 1000 --user-group --create-home --shell /bin/bash doom
COPY --from=build /out/chocolate-doom /usr/local/bin/chocolate-doom
COPY container/entrypoint.sh /usr/local/bin/dockerdoom-entrypoint
# Every library the game links must be here (libs removed above included).
RUN ! ldd /usr/local/bin/chocolate-doom | grep 'not found'
USER doom
WORKDIR /home/doom
ENV HOME=/home/doom
EXPOSE 5900 6080
# tini is PID 1: it reaps, and with -g passes SIGTERM to the whole process
# group, so every child stops at once.
ENTRYPOINT ["/usr/bin/tini", "-g", "--", "/usr/local/bin/dockerdoom-entrypoint"]
