// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: kill writes and the kill worker, on plain directories.

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "dd_kill.h"

static char root[64];

// Makes root/id with an empty regular kill file (or a directory named
// kill when as_dir, which no write can succeed on).
static void make_entry(const char *id, int as_dir)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", root, id);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/%s/kill", root, id);
    if (as_dir)
    {
        mkdir(path, 0755);
        return;
    }
    f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

static void read_kill(const char *id, char *buf, size_t size)
{
    char path[256];
    FILE *f;
    size_t got;

    snprintf(path, sizeof(path), "%s/%s/kill", root, id);
    f = fopen(path, "r");
    assert_non_null(f);
    got = fread(buf, 1, size - 1, f);
    buf[got] = '\0';
    fclose(f);
}

static int setup(void **state)
{
    (void) state;
    snprintf(root, sizeof(root), "/tmp/dd_kill_XXXXXX");
    return mkdtemp(root) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    char cmd[128];

    (void) state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_write(void **state)
{
    char buf[16];

    (void) state;
    make_entry("aaaaaaaaaaaa", 0);
    make_entry("bbbbbbbbbbbb", 1);
    assert_int_equal(DD_KillWrite(root, "aaaaaaaaaaaa"), 0);
    read_kill("aaaaaaaaaaaa", buf, sizeof(buf));
    assert_string_equal(buf, "1");
    // A vanished entry is ENOENT and nothing gets created.
    assert_int_equal(DD_KillWrite(root, "cccccccccccc"), ENOENT);
    assert_int_equal(DD_KillWrite(root, "bbbbbbbbbbbb"), EISDIR);
}

static void test_worker(void **state)
{
    struct timespec pause = { 0, 10 * 1000000L };
    char id[DD_ID_LEN + 1];
    char buf[16];
    int results = 0;
    int failed = 0;
    int err;
    int i;

    (void) state;
    make_entry("aaaaaaaaaaaa", 0);
    make_entry("bbbbbbbbbbbb", 0);
    assert_int_equal(DD_KillStart(root), 0);
    assert_int_equal(DD_KillSubmit("aaaaaaaaaaaa"), 0);
    assert_int_equal(DD_KillSubmit("bbbbbbbbbbbb"), 0);
    assert_int_equal(DD_KillSubmit("cccccccccccc"), 0);
    for (i = 0; i < 500 && results < 3; ++i)
    {
        if (DD_KillPoll(id, &err))
        {
            ++results;
            if (err != 0)
            {
                assert_string_equal(id, "cccccccccccc");
                assert_int_equal(err, ENOENT);
                ++failed;
            }
            continue;
        }
        nanosleep(&pause, NULL);
    }
    assert_int_equal(results, 3);
    assert_int_equal(failed, 1);
    assert_int_equal(DD_KillPoll(id, &err), 0);
    read_kill("bbbbbbbbbbbb", buf, sizeof(buf));
    assert_string_equal(buf, "1");
    DD_KillStop();
    DD_KillStop();
}

static void test_queue_full(void **state)
{
    int full = 0;
    int i;

    (void) state;
    // Without a worker nothing drains the queue: it fills and says so.
    for (i = 0; i < DD_KILL_QUEUE + 1; ++i)
    {
        if (DD_KillSubmit("aaaaaaaaaaaa") == EAGAIN)
        {
            ++full;
        }
    }
    assert_int_equal(full, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_worker, setup, teardown),
        cmocka_unit_test(test_queue_full),
    };

    return cmocka_run_group_tests_name("game_kill", tests, NULL, NULL);
}
