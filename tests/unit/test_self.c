/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for self.c: finding our own container in mountinfo. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "self.h"

#define ID1 "4eeff8a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccdd"

static const char docker_mi[] =
    "1184 1023 0:62 / / rw,relatime master:305 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/X\n"
    "1185 1184 0:65 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
    "1190 1184 259:2 /var/lib/docker/containers/" ID1 "/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/nvme0n1p2 rw\n"
    "1191 1184 259:2 /var/lib/docker/containers/" ID1 "/hostname /etc/hostname rw,relatime - ext4 /dev/nvme0n1p2 rw\n"
    "1192 1184 259:2 /var/lib/docker/containers/" ID1 "/hosts /etc/hosts rw,relatime - ext4 /dev/nvme0n1p2 rw\n";

static const char podman_mi[] =
    "600 550 0:50 / / rw,relatime - overlay overlay rw\n"
    "612 600 0:24 /containers/storage/overlay-containers/" ID1 "/userdata/hostname /etc/hostname rw,nosuid,nodev - tmpfs tmpfs rw\n";

/* Docker's data root on its own file system: the root is relative to it. */
static const char docker_own_fs[] =
    "30 20 8:3 /containers/" ID1 "/hostname /etc/hostname rw - xfs /dev/sdb1 rw\n";

/* The host itself: the engine's shm mounts name containers as mount
 * points, and nothing here means we run inside one. */
static const char host_mi[] =
    "22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw\n"
    "300 22 0:55 / /var/lib/docker/containers/" ID1 "/mounts/shm rw - tmpfs shm rw\n"
    "301 22 0:56 / /run/containers/storage/overlay-containers/" ID1 "/userdata/shm rw - tmpfs shm rw\n"
    "302 22 259:2 /var/lib/docker/containers/" ID1 "/mounts/secrets /x rw - ext4 /dev/x rw\n"
    "303 22 259:2 /var/lib/docker/containers/" ID1 "/hostname.bak /y rw - ext4 /dev/x rw\n"
    "304 22 259:2 /var/lib/docker/containers/4eeff8/hostname /z rw - ext4 /dev/x rw\n"
    "305 22 259:2 /var/lib/docker/xcontainers/" ID1 "/hostname /z rw - ext4 /dev/x rw\n"
    "306 22 259:2 /var/lib/mycontainers/" ID1 "/hostname /z rw - ext4 /dev/x rw";

static void finds_docker(void **state)
{
    (void)state;
    char id[65] = "";
    assert_int_equal(self_id_from_mountinfo(docker_mi, id), 1);
    assert_string_equal(id, ID1);
    memset(id, 0, sizeof id);
    assert_int_equal(self_id_from_mountinfo(docker_own_fs, id), 1);
    assert_string_equal(id, ID1);
}

static void finds_podman(void **state)
{
    (void)state;
    char id[65] = "";
    assert_int_equal(self_id_from_mountinfo(podman_mi, id), 1);
    assert_string_equal(id, ID1);
}

static void none_on_host(void **state)
{
    (void)state;
    char id[65] = "untouched";
    assert_int_equal(self_id_from_mountinfo(host_mi, id), 0);
    assert_int_equal(self_id_from_mountinfo("", id), 0);
    assert_int_equal(self_id_from_mountinfo(NULL, id), 0);
    assert_int_equal(self_id_from_mountinfo("1 2 3\n\n\n", id), 0);
    assert_int_equal(self_id_from_mountinfo("garbage", id), 0);
    assert_string_equal(id, "untouched");
}

static void this_process(void **state)
{
    (void)state;
    char id[65];
    int r = self_container_id(id);
    assert_true(r == 0 || r == 1);
    if (r)
        assert_int_equal(strlen(id), 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_docker),
        cmocka_unit_test(finds_podman),
        cmocka_unit_test(none_on_host),
        cmocka_unit_test(this_process),
    };
    return cmocka_run_group_tests_name("self", tests, NULL, NULL);
}
