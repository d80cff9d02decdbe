#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# dockerfs against Podman's Docker-compatible API (podman system service on
# a private socket and storage): listing, file contents, lookup by name,
# events (a podman run appears, a podman rm / stop disappears: Podman says
# "remove" where Docker says "destroy"), kill through the mount, errno
# rules, --all, clean exit. Containers need the ulimits and --network none
# these machines require (DESIGN §5). Podman's storage lies on an overlayfs
# (as on a CI runner in a container), with the vfs driver.
# No -e: a failing command is a test result, reported as "not ok".
set -uo pipefail
. "$(dirname "$0")/../lib/dockerfs.sh"
. "$(dirname "$0")/lib.sh"
dfs_setup
# Podman's directory lies on an overlayfs of its own, as on a CI runner in a
# container: the tests' storage driver must work there (overlay does not:
# "'overlay' is not supported over overlayfs").
OVL=$(mktemp -d /tmp/ddfovl.XXXXXX)
ovl_cleanup() {
    umount -l "$OVL/merged" 2>/dev/null || true
    rm -rf "$OVL"
}
trap 'dfs_cleanup; podman_stop; ovl_cleanup' EXIT

if ! command -v podman >/dev/null; then
    not_ok "podman is installed" "apt-get install podman"
    tap_done
fi
mkdir -p "$OVL/lower" "$OVL/upper" "$OVL/work" "$OVL/merged"
if mount -t overlay overlay \
    -o "lowerdir=$OVL/lower,upperdir=$OVL/upper,workdir=$OVL/work" "$OVL/merged"; then
    PDIR=$OVL/merged/podman
    note "podman's directory is on overlayfs ($OVL/merged)"
else
    PDIR=$OVL/podman
    note "cannot mount an overlayfs here: podman's directory is a plain one"
fi
require "podman system service starts" podman_start "$PDIR"
note "podman: $(podman --version); socket $DOCKER_HOST"
check_eq "podman's storage driver is vfs (works on any backing file system)" vfs \
    "$(podman_private info --format '{{.Store.GraphDriverName}}' 2>&1)"
. "$REPO/tests/podman/lib.sh"
PIMAGE=$PODMAN_IMAGE
pps_ids() {
    podman_private ps -q --no-trunc "$@" | cut -c1-12 | sort
}
pstate() {
    podman_private inspect -f '{{.State.Status}}' "$1" 2>/dev/null || echo gone
}

require "busybox image imported into podman" podman_image
A=$(prun --name pod-a --label tier=web --label owner=test)
B=$(prun --name pod-b)
P=$(prun --name pod-protected --label dockerfs.protect=true)
SA=${A:0:12}
SB=${B:0:12}
M=$TESTS_TMP/mnt
same() { [ "$(pps_ids)" = "$(listing "$M")" ]; }

require "dockerfs mounts against podman" dfs_mount "$M" --timeout 10
check_eq "listing equals podman ps" "$(pps_ids)" "$(listing "$M")"
check_eq "id" "$A" "$(cat "$M/$SA/id")"
check_eq "name" pod-a "$(cat "$M/$SA/name")"
check_eq "image" "$PIMAGE" "$(cat "$M/$SA/image")"
check_eq "state" running "$(cat "$M/$SA/state")"
check "created is Unix seconds" grep -qxE '[0-9]{9,}' "$M/$SA/created"
check_eq "labels, sorted" "owner=test
tier=web" "$(cat "$M/$SA/labels")"
check_eq "lookup by name" "$SA" "$(readlink "$M/pod-a")"
check_eq "lookup by id prefix" "$SA" "$(readlink "$M/${A:0:8}")"

C=$(prun --name pod-c)
check "podman run: the new container appears within 2 s" wait_until 2 listed "$M" "${C:0:12}"
podman_private rm -f -t 0 "$B" >/dev/null
check "podman rm: the container disappears within 2 s (remove event)" \
    wait_until 2 unlisted "$M" "$SB"
podman_private stop -t 0 "$C" >/dev/null
check "podman stop: the container disappears within 2 s" \
    wait_until 2 unlisted "$M" "${C:0:12}"

check_eq "write 2 to kill: EINVAL" EINVAL "$(fsop1 write "$M/$SA/kill" 2)"
check_eq "protected container: EPERM" EPERM "$(fsop1 write "$M/${P:0:12}/kill" 1)"
check_eq "read kill: EACCES" EACCES "$(fsop1 read "$M/$SA/kill")"
check_eq "kill through the mount: OK" OK "$(fsop1 write "$M/$SA/kill" 1)"
check_eq "and podman no longer has the container" gone "$(pstate "$A")"
check "and it leaves the listing within 2 s" wait_until 2 unlisted "$M" "$SA"
E=$(prun --name pod-e)
wait_until 2 listed "$M" "${E:0:12}"
check_eq "kill through the lookup name: OK" OK "$(fsop1 write "$M/pod-e/kill" 1)"
check_eq "and podman no longer has it" gone "$(pstate "$E")"
check_eq "the protected container still runs" running "$(pstate "$P")"
check "listing equals podman ps" wait_until 2 same

# --all shows stopped containers with their state.
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check_san
dfs_mount "$M" --all || { not_ok "dockerfs --all mounts against podman"; tap_done; }
check_eq "--all: listing equals podman ps -a" "$(pps_ids -a)" "$(listing "$M")"
check_eq "--all: the stopped container's state" exited "$(cat "$M/${C:0:12}/state")"
D=$(prun --name pod-d)
check "--all: a new container appears within 2 s" wait_until 2 listed "$M" "${D:0:12}"
podman_private stop -t 0 "$D" >/dev/null
check_eq "--all: a stopped container stays, state exited within 2 s" 0 \
    "$(wait_until 2 grep -qx exited "$M/${D:0:12}/state"; echo $?)"
podman_private rm -f "$D" >/dev/null
check "--all: podman rm makes it disappear within 2 s" wait_until 2 unlisted "$M" "${D:0:12}"
check_eq "--all: kill of a stopped container: OK" OK "$(fsop1 write "$M/${C:0:12}/kill" 1)"
check_eq "and podman no longer has it" gone "$(pstate "$C")"
dfs_stop TERM
check_eq "SIGTERM: exit 0" 0 "$DFS_RC"
check_san
tap_done
