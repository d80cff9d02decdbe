// Unit tests: the directory scanner, on plain temporary directories.

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

#include "dd_scan.h"

static char root[64];

static void put(const char *id, const char *file, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", root, id);
    mkdir(path, 0755);
    if (file == NULL)
    {
        return;
    }
    snprintf(path, sizeof(path), "%s/%s/%s", root, id, file);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void) state;
    snprintf(root, sizeof(root), "/tmp/dd_scan_XXXXXX");
    return mkdtemp(root) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    char cmd[128];

    (void) state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_entry_names(void **state)
{
    (void) state;
    assert_true(DD_IsEntryName("0123456789ab"));
    assert_true(DD_IsEntryName(
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    assert_false(DD_IsEntryName("0123456789a"));
    assert_false(DD_IsEntryName("0123456789AB"));
    assert_false(DD_IsEntryName("web"));
    assert_false(DD_IsEntryName("."));
    assert_false(DD_IsEntryName("0123456789ag"));
}

static void test_scan(void **state)
{
    dd_snapshot_t snap;

    (void) state;
    put("bbbbbbbbbbbb", "name", "db\n");
    put("bbbbbbbbbbbb", "image", "postgres:16\n");
    put("aaaaaaaaaaaa", "name", "web server\n");
    put("aaaaaaaaaaaa", "image", "nginx\n");
    // An entry without a name file (or image) still counts.
    put("cccccccccccc0000", NULL, NULL);
    // Not entries: listed by a plain directory, ignored by the game.
    put("README", "name", "x");
    put("ABCDEF012345", "name", "x");

    assert_int_equal(DD_ScanDir(root, &snap), 0);
    assert_int_equal(snap.count, 3);
    assert_string_equal(snap.entries[0].id, "aaaaaaaaaaaa");
    assert_string_equal(snap.entries[0].name, "web_server");
    assert_string_equal(snap.entries[0].image, "nginx");
    assert_string_equal(snap.entries[1].name, "db");
    assert_string_equal(snap.entries[1].image, "postgres:16");
    assert_string_equal(snap.entries[2].id, "cccccccccccc0000");
    assert_string_equal(snap.entries[2].name, "cccccccccccc");
    assert_string_equal(snap.entries[2].image, "");
    DD_SnapshotFree(&snap);
}

static void test_scan_missing(void **state)
{
    dd_snapshot_t snap;

    (void) state;
    assert_int_equal(DD_ScanDir("/nonexistent/dockerfs", &snap), ENOENT);
    assert_int_equal(snap.count, 0);
    assert_null(snap.entries);
}

// Polls DD_ScannerTake for up to 5 s until a snapshot of want entries.
static int take_count(int want)
{
    struct timespec pause = { 0, 20 * 1000000L };
    dd_snapshot_t snap;
    int i;
    int count;

    for (i = 0; i < 250; ++i)
    {
        if (DD_ScannerTake(&snap))
        {
            count = snap.count;
            DD_SnapshotFree(&snap);
            if (count == want)
            {
                return 1;
            }
        }
        nanosleep(&pause, NULL);
    }
    return 0;
}

static void test_thread(void **state)
{
    char path[256];
    char cmd[300];

    (void) state;
    put("aaaaaaaaaaaa", "name", "web\n");
    assert_int_equal(DD_ScannerStart(root, 50), 0);
    assert_int_equal(DD_ScannerStart(root, 50), EBUSY);
    assert_true(take_count(1));
    put("bbbbbbbbbbbb", "name", "db\n");
    assert_true(take_count(2));
    snprintf(path, sizeof(path), "%s/aaaaaaaaaaaa", root);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    assert_int_equal(system(cmd), 0);
    assert_true(take_count(1));
    DD_ScannerStop();
    DD_ScannerStop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_names),
        cmocka_unit_test_setup_teardown(test_scan, setup, teardown),
        cmocka_unit_test(test_scan_missing),
        cmocka_unit_test_setup_teardown(test_thread, setup, teardown),
    };

    return cmocka_run_group_tests_name("game_scan", tests, NULL, NULL);
}
