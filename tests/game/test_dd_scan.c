// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: the directory scanner, on plain temporary directories.

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
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
    put("aaaaaaaaaaaa", "state", "running\n");
    // An entry without a name file (or image) still counts.
    put("cccccccccccc0000", NULL, NULL);
    // Not entries: listed by a plain directory, ignored by the game.
    put("README", "name", "x");
    put("ABCDEF012345", "name", "x");

    assert_int_equal(DD_ScanDir(root, &snap), 0);
    assert_int_equal(snap.count, 3);
    assert_string_equal(snap.entries[0].id, "aaaaaaaaaaaa");
    // The name as the container has it: spaces stay.
    assert_string_equal(snap.entries[0].name, "web server");
    assert_string_equal(snap.entries[0].image, "nginx");
    assert_string_equal(snap.entries[0].status, "running");
    assert_string_equal(snap.entries[1].status, "");
    assert_string_equal(snap.entries[1].name, "db");
    assert_string_equal(snap.entries[1].image, "postgres:16");
    assert_string_equal(snap.entries[2].id, "cccccccccccc0000");
    assert_string_equal(snap.entries[2].name, "cccccccccccc");
    assert_string_equal(snap.entries[2].image, "");
    DD_SnapshotFree(&snap);
}

static void rm_entry(const char *id)
{
    char cmd[300];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s/%s'", root, id);
    assert_int_equal(system(cmd), 0);
}

static const dd_scanentry_t *find(const dd_scanstate_t *st, const char *id)
{
    int i;

    for (i = 0; i < st->known.count; ++i)
    {
        if (strcmp(st->known.entries[i].id, id) == 0)
        {
            return &st->known.entries[i];
        }
    }
    return NULL;
}

// The name or image of a known entry (which must be there).
static const char *field(const dd_scanstate_t *st, const char *id,
                         int image)
{
    const dd_scanentry_t *e = find(st, id);

    assert_non_null(e);
    if (e == NULL)
    {
        return "";
    }
    return image ? e->image : e->name;
}

static void test_incremental(void **state)
{
    dd_scanstate_t st = { { NULL, 0 }, 0, 0 };
    char id[16];
    int changed;
    int i;

    (void) state;
    for (i = 0; i < 100; ++i)
    {
        snprintf(id, sizeof(id), "%012x", 0xa00000 + i);
        put(id, "name", "svc\n");
        put(id, "image", "nginx\n");
    }
    // The first scan reads every name, image, state, protected, engine
    // and namespace.
    assert_int_equal(DD_ScanUpdate(root, &st, 0, &changed), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(st.known.count, 100);
    assert_int_equal(st.reads, 600);
    // A container's directory has no namespace file.
    assert_string_equal(find(&st, "000000a00000")->ns, "");

    // Nothing new: no file read at all, nothing changed.
    assert_int_equal(DD_ScanUpdate(root, &st, 0, &changed), 0);
    assert_int_equal(changed, 0);
    assert_int_equal(st.reads, 0);

    // A new entry (a pod): only its six files are read.
    put("bbbbbbbbbbbb", "name", "new one\n");
    put("bbbbbbbbbbbb", "image", "redis\n");
    put("bbbbbbbbbbbb", "namespace", "shop\n");
    assert_int_equal(DD_ScanUpdate(root, &st, 0, &changed), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(st.reads, 6);
    assert_int_equal(st.known.count, 101);
    assert_string_equal(field(&st, "bbbbbbbbbbbb", 0), "new one");
    assert_string_equal(field(&st, "bbbbbbbbbbbb", 1), "redis");
    assert_string_equal(find(&st, "bbbbbbbbbbbb")->ns, "shop");

    // A removed entry: gone, no file read.
    rm_entry("000000a00005");
    assert_int_equal(DD_ScanUpdate(root, &st, 0, &changed), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(st.reads, 0);
    assert_int_equal(st.known.count, 100);
    assert_null(find(&st, "000000a00005"));

    // Removed and added in one scan (same count): still a change.
    rm_entry("000000a00006");
    put("cccccccccccc", "name", "other\n");
    assert_int_equal(DD_ScanUpdate(root, &st, 0, &changed), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(st.known.count, 100);
    assert_null(find(&st, "000000a00006"));
    assert_non_null(find(&st, "cccccccccccc"));
    DD_ScanStateFree(&st);
}

static void test_incremental_rename(void **state)
{
    dd_scanstate_t st = { { NULL, 0 }, 0, 0 };
    char id[16];
    int changed;
    int scans;
    int i;

    (void) state;
    for (i = 0; i < 50; ++i)
    {
        snprintf(id, sizeof(id), "%012x", 0xb00000 + i);
        put(id, "name", "before\n");
        put(id, "image", "nginx\n");
    }
    assert_int_equal(DD_ScanUpdate(root, &st, 8, &changed), 0);
    put("000000b00020", "name", "after\n");
    put("000000b00030", "image", "redis:7\n");
    // Files rewritten in place move no directory's mtime: 8 entries
    // re-read per scan find them, all 50 within 7 scans, 32 files each.
    for (scans = 1; scans <= 7; ++scans)
    {
        assert_int_equal(DD_ScanUpdate(root, &st, 8, &changed), 0);
        assert_int_equal(st.reads, 32);
        if (strcmp(field(&st, "000000b00020", 0), "after") == 0
         && strcmp(field(&st, "000000b00030", 1), "redis:7") == 0)
        {
            break;
        }
    }
    assert_true(scans <= 7);
    assert_string_equal(field(&st, "000000b00020", 0), "after");
    assert_string_equal(field(&st, "000000b00030", 1), "redis:7");
    // A refresh wider than the listing reads each entry once.
    assert_int_equal(DD_ScanUpdate(root, &st, 1000, &changed), 0);
    assert_int_equal(st.reads, 200);
    assert_int_equal(changed, 0);
    put("000000b00001", "name", "renamed\n");
    assert_int_equal(DD_ScanUpdate(root, &st, 1000, &changed), 0);
    assert_int_equal(changed, 1);
    assert_string_equal(field(&st, "000000b00001", 0), "renamed");
    // A paused container: its state is news too.
    put("000000b00002", "state", "paused\n");
    assert_int_equal(DD_ScanUpdate(root, &st, 1000, &changed), 0);
    assert_int_equal(changed, 1);
    assert_string_equal(find(&st, "000000b00002")->status, "paused");
    DD_ScanStateFree(&st);
}

// Sets the mtime of an entry's directory to now, as dockerfs does when
// anything in it changes.
static void touch_entry(const char *id)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", root, id);
    assert_int_equal(utimensat(AT_FDCWD, path, NULL, 0), 0);
}

// Entries whose directory says they changed are read again in the next
// scan, however many there are, and only they: a pause shows at once.
static void test_changed_dirs(void **state)
{
    dd_scanstate_t st = { { NULL, 0 }, 0, 0 };
    char id[16];
    int changed;
    int i;

    (void) state;
    for (i = 0; i < 300; ++i)
    {
        snprintf(id, sizeof(id), "%012x", 0xc00000 + i);
        put(id, "name", "svc\n");
        put(id, "state", "running\n");
        put(id, "protected", "0\n");
    }
    assert_int_equal(DD_ScanUpdate(root, &st, 0, &changed), 0);
    assert_int_equal(st.reads, 1800);
    assert_int_equal(find(&st, "000000c00007")->protect, 0);
    // In place: no directory moved, and with no refresh nothing is read.
    put("000000c00123", "state", "paused\n");
    put("000000c00007", "protected", "1\n");
    assert_int_equal(DD_ScanUpdate(root, &st, 0, &changed), 0);
    assert_int_equal(st.reads, 0);
    assert_int_equal(changed, 0);
    // The directories moved: those two are read, four files each.
    touch_entry("000000c00123");
    touch_entry("000000c00007");
    assert_int_equal(DD_ScanUpdate(root, &st, 0, &changed), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(st.reads, 8);
    assert_string_equal(find(&st, "000000c00123")->status, "paused");
    assert_int_equal(find(&st, "000000c00007")->protect, 1);
    // A directory touched with nothing changed in it: read, no news.
    touch_entry("000000c00100");
    assert_int_equal(DD_ScanUpdate(root, &st, 0, &changed), 0);
    assert_int_equal(st.reads, 4);
    assert_int_equal(changed, 0);
    DD_ScanStateFree(&st);
}

static void test_engine(void **state)
{
    dd_scanstate_t st = { { NULL, 0 }, 0, 0 };
    int changed;

    (void) state;
    put("aaaaaaaaaaa1", "name", "web.1.abcdefghijklmnopqrstu0123\n");
    put("aaaaaaaaaaa1", "engine", "n1\n");
    put("aaaaaaaaaaa2", "name", "db\n");
    assert_int_equal(DD_ScanUpdate(root, &st, 1000, &changed), 0);
    assert_string_equal(find(&st, "aaaaaaaaaaa1")->engine, "n1");
    // No engine file (one engine, or an older dockerfs): no engine.
    assert_string_equal(find(&st, "aaaaaaaaaaa2")->engine, "");
    // The name is kept whole: shortening is for the player's eyes only.
    assert_string_equal(find(&st, "aaaaaaaaaaa1")->name,
                        "web.1.abcdefghijklmnopqrstu0123");
    // Known entries keep the engine read when they were new, and the
    // refresh reads four files each, not five.
    put("aaaaaaaaaaa1", "engine", "n2\n");
    assert_int_equal(DD_ScanUpdate(root, &st, 1000, &changed), 0);
    assert_int_equal(st.reads, 8);
    assert_string_equal(find(&st, "aaaaaaaaaaa1")->engine, "n1");
    DD_ScanStateFree(&st);
}

// A pod's namespace is read once, when the entry is new, as its engine.
static void test_namespace(void **state)
{
    dd_scanstate_t st = { { NULL, 0 }, 0, 0 };
    int changed;

    (void) state;
    put("dddddddddd01", "name", "web-7d9f8c6b5-x2x4z\n");
    put("dddddddddd01", "namespace", "shop\n");
    put("dddddddddd02", "name", "web\n");
    assert_int_equal(DD_ScanUpdate(root, &st, 1000, &changed), 0);
    assert_string_equal(find(&st, "dddddddddd01")->ns, "shop");
    assert_string_equal(find(&st, "dddddddddd01")->name,
                        "web-7d9f8c6b5-x2x4z");
    assert_string_equal(find(&st, "dddddddddd02")->ns, "");
    put("dddddddddd01", "namespace", "other\n");
    assert_int_equal(DD_ScanUpdate(root, &st, 1000, &changed), 0);
    assert_int_equal(st.reads, 8);
    assert_string_equal(find(&st, "dddddddddd01")->ns, "shop");
    DD_ScanStateFree(&st);
}

static void test_incremental_error(void **state)
{
    dd_scanstate_t st = { { NULL, 0 }, 0, 0 };
    char path[128];
    int changed;

    (void) state;
    put("aaaaaaaaaaaa", "name", "web\n");
    assert_int_equal(DD_ScanUpdate(root, &st, 0, &changed), 0);
    // The directory vanishes: an error, and what was known stays.
    snprintf(path, sizeof(path), "%s.gone", root);
    assert_int_equal(rename(root, path), 0);
    assert_int_equal(DD_ScanUpdate(root, &st, 0, &changed), ENOENT);
    assert_int_equal(changed, 0);
    assert_int_equal(st.known.count, 1);
    assert_int_equal(rename(path, root), 0);
    DD_ScanStateFree(&st);
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

// The pause follows the scan's CPU time, within its bounds.
static void test_pause(void **state)
{
    (void) state;
    assert_int_equal(DD_ScanPause(0, 500), DD_SCAN_MIN_MS);
    assert_int_equal(DD_ScanPause(-5, 500), DD_SCAN_MIN_MS);
    assert_int_equal(DD_ScanPause(900000LL, 500), DD_SCAN_MIN_MS);
    assert_int_equal(DD_ScanPause(10000000LL, 500), 10 * DD_SCAN_CPU_SHARE);
    assert_int_equal(DD_ScanPause(20000000LL, 500), 20 * DD_SCAN_CPU_SHARE);
    assert_int_equal(DD_ScanPause(3000000000LL, 500), 500);
    // A maximum below the minimum wins (tests scan faster).
    assert_int_equal(DD_ScanPause(0, 50), 50);
    assert_int_equal(DD_ScanPause(3000000000LL, 50), 50);
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
    // Unchanged, the listing is not sent again, unless asked for.
    {
        struct timespec pause = { 0, 200 * 1000000L };
        dd_snapshot_t snap = { NULL, 0 };

        nanosleep(&pause, NULL);
        DD_ScannerTake(&snap);
        DD_SnapshotFree(&snap);
        nanosleep(&pause, NULL);
        assert_false(DD_ScannerTake(&snap));
        DD_ScannerConfirm();
        assert_true(take_count(2));
    }
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
        cmocka_unit_test_setup_teardown(test_incremental, setup, teardown),
        cmocka_unit_test_setup_teardown(test_incremental_rename, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_namespace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_engine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_dirs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_incremental_error, setup,
                                        teardown),
        cmocka_unit_test(test_scan_missing),
        cmocka_unit_test(test_pause),
        cmocka_unit_test_setup_teardown(test_thread, setup, teardown),
    };

    return cmocka_run_group_tests_name("game_scan", tests, NULL, NULL);
}
