# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - Podman helpers for tests (tests/podman/, tests/faults/50-podman.sh).
# Source after tests/lib/engine.sh and tests/lib/image.sh, with a Podman
# service started by podman_start (PODMAN_DIR set).
#
#   PODMAN_IMAGE              the test image's name on Podman
#   podman_image              import the busybox test image into Podman's
#                             private storage (a no-op when present)
#   prun [podman run opts]    start a container; prints its full id
#   podman_docker_wrapper DIR write DIR/docker: the docker CLI, adding the
#                             settings these machines need on Podman to
#                             every run/create (ulimits: Podman
#                             passes the host's, too high for these
#                             machines' shims)

# Fully qualified: Podman reports images as localhost/NAME, so tests that
# compare the image file with the name they used get the same text.
PODMAN_IMAGE=${PODMAN_IMAGE:-localhost/dockerdoom-test:latest}
PODMAN_RUN_OPTS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

podman_image() {
    local ctx rc
    podman_private image exists "$PODMAN_IMAGE" && return 0
    ctx=$(mktemp -d /tmp/ddpimg.XXXXXX)
    image_rootfs "$ctx" || { rm -rf "$ctx"; return 1; }
    # The same command as the Docker test image.
    podman_private import -q --change "$IMAGE_CMD" --change 'ENV PATH=/bin' \
        "$ctx/rootfs.tar" "$PODMAN_IMAGE" >/dev/null
    rc=$?
    rm -rf "$ctx"
    return $rc
}

prun() {
    podman_private run -d "${PODMAN_RUN_OPTS[@]}" --network none "$@" "$PODMAN_IMAGE"
}

podman_docker_wrapper() {
    local dir=$1 real
    real=$(command -v docker) || return 1
    mkdir -p "$dir"
    cat >"$dir/docker" <<WRAP
#!/usr/bin/env bash
# docker CLI against Podman's compat API: every run/create gets the ulimits
# these machines need, and --network none unless a network is given.
pre=()
while [ \$# -gt 0 ]; do
    case \$1 in
        -H|--host|-c|--context|--config|-l|--log-level) pre+=("\$1" "\$2"); shift 2 ;;
        -*) pre+=("\$1"); shift ;;
        *) break ;;
    esac
done
case \${1:-} in
    run|create)
        sub=\$1; shift
        net=(--network none)
        for a in "\$@"; do
            case \$a in --network|--network=*|--net|--net=*) net=() ;; esac
        done
        exec "$real" "\${pre[@]}" "\$sub" ${PODMAN_RUN_OPTS[*]} "\${net[@]}" "\$@" ;;
esac
exec "$real" "\${pre[@]}" "\$@"
WRAP
    chmod +x "$dir/docker"
}
