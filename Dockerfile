# SPDX-License-Identifier: GPL-2.0-or-later
# dockerdoom game container: Xvfb + patched chocolate-doom + x11vnc + noVNC,
# and ddaudio carrying the game's sound to the noVNC page.
#
# The last step of container/image.sh (`make image`, `dockerdoom image`,
# and `make play` when something changed), not a recipe of its own. Before
# it, image.sh makes, side by side:
#   - the runtime root: container/packages' image sets installed with
#     mmdebstrap from this machine's apt sources and release, trimmed, and
#     imported as dockerdoom-root:KEY (KEY: a hash of what it is made of);
#     this is the ROOT below;
#   - the game and ddaudio: chocolate-doom from Debian's source package
#     with game/, and container/audio/, built on this machine (make game
#     audio; same release as the root, so their libraries are there);
# then it runs, on a context directory holding the two stripped binaries,
# container/entrypoint.sh and container/audio's web page maker:
#   docker build --network none --build-arg ROOT=dockerdoom-root:KEY -t dockerdoom CONTEXT
# By hand after `make image`: the context is build/image/context.
#
# The launcher runs the image as its own system account with --network
# none, --read-only (tmpfs /tmp), --cap-drop ALL and no-new-privileges:
# nothing here may need more. The root has the user doom (uid 1000),
# /tmp/.X11-unix and /run/dockerdoom already.
ARG ROOT=dockerdoom-root:latest
FROM ${ROOT}
# The noVNC page with the game's sound (mkweb.sh: noVNC's files as links,
# its page loading dockerdoom-audio.js, websockify's tokens as defaults).
# First: it changes least.
COPY audio-web/ /tmp/web/
RUN /tmp/web/mkweb.sh /usr/share/novnc /usr/share/dockerdoom/novnc && rm -rf /tmp/web
COPY chocolate-doom ddaudio /usr/local/bin/
COPY entrypoint.sh /usr/local/bin/dockerdoom-entrypoint
USER doom
WORKDIR /home/doom
ENV HOME=/home/doom
EXPOSE 5900 6080
# tini is PID 1: it reaps, and with -g passes SIGTERM to the whole process
# group, so every child stops at once.
ENTRYPOINT ["/usr/bin/tini", "-g", "--", "/usr/local/bin/dockerdoom-entrypoint"]
