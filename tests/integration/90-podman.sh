#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The contract, errno and bad-input scripts again, against Podman's
# Docker-compatible API (issue 8 part 6): `podman system service` on a
# socket and storage of its own, driven with the same docker CLI. Lines are
# prefixed "podman: ". Without podman it fails: deps.sh installs it.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib/dockerfs.sh"

if ! command -v podman >/dev/null 2>&1; then
    not_ok "podman: installed (container/deps.sh check installs it)"
    tap_done
fi
if [ -z "${TESTS_TMP:-}" ]; then
    TESTS_TMP=$(mktemp -d /tmp/ddtest.XXXXXX)
    chmod 0755 "$TESTS_TMP"
    DFS_OWN_TMP=1  # read by dfs_cleanup
    export DFS_OWN_TMP
fi
export TESTS_TMP
trap 'podman_stop; dfs_cleanup' EXIT
trap 'exit 130' INT TERM

require "podman: system service starts" podman_start "$(mktemp -d /tmp/ddpod.XXXXXX)"
note "podman: $DOCKER_HOST"
# The scripts below see this as their engine and start none of their own.
export ENGINE_DIR=$PODMAN_DIR
# What containers need on these machines under Podman (DESIGN §5).
export RUN_C_OPTS="--ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
require "podman: test image imported" image_build "$TEST_IMAGE"

for s in 10-contract.sh 20-errno.sh 80-bad-input.sh; do
    sub=$TESTS_TMP/$s
    mkdir -p "$sub"
    chmod 0755 "$sub"
    TESTS_TMP=$sub "$HERE/$s" </dev/null 2>&1 | sed -e 's/^ok - /ok - podman: /' -e 's/^not ok - /not ok - podman: /' |
        tee "$TESTS_TMP/$s.log" | grep -vE '^# [0-9]+ passed, [0-9]+ failed$'
    TAP_PASS=$((TAP_PASS + $(grep -c '^ok - ' "$TESTS_TMP/$s.log")))
    TAP_FAIL=$((TAP_FAIL + $(grep -c '^not ok - ' "$TESTS_TMP/$s.log")))
    rm_all
done
tap_done
