# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# image.sh - the tiny local test image, made without any registry.
#
#   image_build [NAME]   makes NAME (default $TEST_IMAGE or
#                        dockerdoom-test:latest) on the engine DOCKER_HOST
#                        points at, unless it is already there: a scratch
#                        image holding busybox-static as /bin/busybox with a
#                        symlink per applet. Its CMD sleeps until SIGTERM,
#                        which it obeys at once (so `docker stop` is fast).
#
# Needs the busybox-static package (/bin/busybox statically linked).

TEST_IMAGE=${TEST_IMAGE:-dockerdoom-test:latest}

# Finds a statically linked busybox: a dynamic one would not run in a
# scratch image.
image_busybox() {
    local b
    for b in /bin/busybox /usr/bin/busybox; do
        if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then
            echo "$b"
            return 0
        fi
    done
    echo "image: no static busybox found (apt-get install busybox-static)" >&2
    return 1
}

# The test container's command. PID 1 gets no default signal handling in a
# container: the trap makes SIGTERM end it at once instead of after
# Docker's 10 s grace.
IMAGE_CMD='CMD ["/bin/sh", "-c", "trap \"exit 0\" TERM INT; while :; do sleep 3600 & wait $!; done"]'

# Writes DIR/rootfs.tar: static busybox with its applets, passwd and group.
image_rootfs() {
    local dir=$1 bb a
    bb=$(image_busybox) || return 1
    mkdir -p "$dir/root/bin" "$dir/root/tmp" "$dir/root/etc"
    cp "$bb" "$dir/root/bin/busybox"
    for a in $("$bb" --list); do
        [ "$a" = busybox ] || ln -sf busybox "$dir/root/bin/$a"
    done
    printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$dir/root/etc/passwd"
    printf 'root:x:0:\nnobody:x:65534:\n' >"$dir/root/etc/group"
    tar -C "$dir/root" -cf "$dir/rootfs.tar" .
}

image_build() {
    local name=${1:-$TEST_IMAGE} ctx
    if docker image inspect "$name" >/dev/null 2>&1; then
        return 0
    fi
    ctx=$(mktemp -d /tmp/ddimg.XXXXXX)
    image_rootfs "$ctx" || { rm -rf "$ctx"; return 1; }
    if ! docker import --change "$IMAGE_CMD" --change 'ENV PATH=/bin' \
        --message 'dockerdoom test image (busybox-static)' \
        "$ctx/rootfs.tar" "$name" >/dev/null; then
        rm -rf "$ctx"
        echo "image: docker import of $name failed" >&2
        return 1
    fi
    rm -rf "$ctx"
}
