# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# slim.sh — a Debian root without manuals, info pages or translations
# (the copyright files stay). Sourced by container/image.sh (the game
# image's root) and container/base-image.sh (the tests' minbase root), so
# both leave out the same paths.
#
#   slim_rules ROOT   dpkg leaves those paths out of every package
#                     installed into ROOT from now on
#   slim_prune ROOT   removes them where they are already (packages
#                     installed before the rules, or unpacked without dpkg)

slim_rules() {
    cat >"$1/etc/dpkg/dpkg.cfg.d/dockerdoom-slim" <<'SLIM'
# Slim image: no manuals, info pages or translations (copyright files stay).
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
SLIM
}

slim_prune() {
    find "$1/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    find "$1/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$1"/usr/share/man/* "$1"/usr/share/info/* \
           "$1"/usr/share/locale/* "$1"/usr/share/lintian/*
}
