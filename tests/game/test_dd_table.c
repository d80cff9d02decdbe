// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: entry table diffing and kill-result handling.

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "dd_table.h"

typedef struct
{
    int added;
    int removed;
    int renamed;
    char last[DD_ID_LEN + 1];
} counts_t;

static void count_change(dd_entry_t *entry, dd_change_t change, void *ctx)
{
    counts_t *c = ctx;

    if (change == DD_CHANGE_ADDED)
    {
        c->added++;
    }
    else if (change == DD_CHANGE_REMOVED)
    {
        c->removed++;
    }
    else
    {
        c->renamed++;
    }
    snprintf(c->last, sizeof(c->last), "%s", entry->id);
}

static void set_entry(dd_scanentry_t *e, const char *id, const char *name,
                      const char *image)
{
    snprintf(e->id, sizeof(e->id), "%s", id);
    snprintf(e->name, sizeof(e->name), "%s", name);
    snprintf(e->image, sizeof(e->image), "%s", image);
    e->status[0] = '\0';
    e->engine[0] = '\0';
    e->ns[0] = '\0';
}

static void test_engines(void **state)
{
    dd_scanentry_t e[3];
    dd_snapshot_t snap = { e, 3 };
    dd_table_t t = { 0 };

    (void) state;
    set_entry(&e[0], "aaaaaaaaaaaa", "web", "nginx");
    set_entry(&e[1], "bbbbbbbbbbbb", "db", "postgres");
    set_entry(&e[2], "cccccccccccc", "cache", "redis");
    // No engine files at all: one engine.
    assert_int_equal(DD_TableApply(&t, &snap, NULL, NULL), 0);
    assert_int_equal(DD_TableManyEngines(&t), 0);
    DD_TableFree(&t);
    // The same engine everywhere, or missing on some: still one.
    snprintf(e[0].engine, sizeof(e[0].engine), "n1");
    snprintf(e[2].engine, sizeof(e[2].engine), "n1");
    assert_int_equal(DD_TableApply(&t, &snap, NULL, NULL), 0);
    assert_string_equal(DD_TableFind(&t, "aaaaaaaaaaaa")->engine, "n1");
    assert_int_equal(DD_TableManyEngines(&t), 0);
    DD_TableFree(&t);
    // Two distinct ones.
    snprintf(e[1].engine, sizeof(e[1].engine), "n2");
    assert_int_equal(DD_TableApply(&t, &snap, NULL, NULL), 0);
    assert_int_equal(DD_TableManyEngines(&t), 1);
    DD_TableFree(&t);
    assert_int_equal(DD_TableManyEngines(&t), 0);
}

// Labels name the engine only where a name is on two engines; a Swarm
// task counts by the name the player sees (SERVICE.SLOT).
static void test_shared_names(void **state)
{
    dd_scanentry_t e[6];
    dd_snapshot_t snap = { e, 6 };
    dd_table_t t = { 0 };

    (void) state;
    set_entry(&e[0], "aaaaaaaaaaa1", "web", "nginx");
    set_entry(&e[1], "aaaaaaaaaaa2", "web", "nginx");
    set_entry(&e[2], "aaaaaaaaaaa3", "db", "postgres");
    set_entry(&e[3], "aaaaaaaaaaa4", "db", "postgres");
    set_entry(&e[4], "aaaaaaaaaaa5", "api.1.abcdefghijklmnopqrstu0123",
              "api");
    set_entry(&e[5], "aaaaaaaaaaa6", "api.1.zyxwvutsrqponmlkjihgf9876",
              "api");
    snprintf(e[0].engine, sizeof(e[0].engine), "a");
    snprintf(e[1].engine, sizeof(e[1].engine), "b");
    // Two containers of one name on one engine: not for the engine to
    // tell apart.
    snprintf(e[2].engine, sizeof(e[2].engine), "a");
    snprintf(e[3].engine, sizeof(e[3].engine), "a");
    snprintf(e[4].engine, sizeof(e[4].engine), "a");
    snprintf(e[5].engine, sizeof(e[5].engine), "c");
    assert_int_equal(DD_TableApply(&t, &snap, NULL, NULL), 0);
    assert_int_equal(DD_TableMarkShared(&t), 0);
    assert_int_equal(DD_TableFind(&t, "aaaaaaaaaaa1")->shared, 1);
    assert_int_equal(DD_TableFind(&t, "aaaaaaaaaaa2")->shared, 1);
    assert_int_equal(DD_TableFind(&t, "aaaaaaaaaaa3")->shared, 0);
    assert_int_equal(DD_TableFind(&t, "aaaaaaaaaaa4")->shared, 0);
    assert_int_equal(DD_TableFind(&t, "aaaaaaaaaaa5")->shared, 1);
    assert_int_equal(DD_TableFind(&t, "aaaaaaaaaaa6")->shared, 1);
    // One of them gone: the other is alone again.
    e[1] = e[5];
    snap.count = 5;
    assert_int_equal(DD_TableApply(&t, &snap, NULL, NULL), 0);
    assert_int_equal(DD_TableMarkShared(&t), 0);
    assert_int_equal(DD_TableFind(&t, "aaaaaaaaaaa1")->shared, 0);
    DD_TableFree(&t);
    assert_int_equal(DD_TableMarkShared(&t), 0);
}

// Pods: two of one name in two namespaces are told apart by their
// labels' namespaces, not their engines; one name in one namespace on
// two clusters needs the engine.
static void test_shared_namespaces(void **state)
{
    dd_scanentry_t e[4];
    dd_snapshot_t snap = { e, 4 };
    dd_table_t t = { 0 };
    counts_t c = { 0 };
    int i;

    (void) state;
    for (i = 0; i < 4; ++i)
    {
        set_entry(&e[i], "", "web", "nginx");
        snprintf(e[i].id, sizeof(e[i].id), "bbbbbbbbbbb%d", i + 1);
    }
    snprintf(e[0].ns, sizeof(e[0].ns), "shop");
    snprintf(e[0].engine, sizeof(e[0].engine), "prod");
    snprintf(e[1].ns, sizeof(e[1].ns), "dev");
    snprintf(e[1].engine, sizeof(e[1].engine), "prod");
    snprintf(e[2].ns, sizeof(e[2].ns), "shop");
    snprintf(e[2].engine, sizeof(e[2].engine), "test");
    // A container named web: no namespace, alone.
    snprintf(e[3].engine, sizeof(e[3].engine), "prod");
    assert_int_equal(DD_TableApply(&t, &snap, NULL, NULL), 0);
    assert_string_equal(DD_TableFind(&t, "bbbbbbbbbbb1")->ns, "shop");
    assert_int_equal(DD_TableMarkShared(&t), 0);
    assert_int_equal(DD_TableFind(&t, "bbbbbbbbbbb1")->shared, 1);
    assert_int_equal(DD_TableFind(&t, "bbbbbbbbbbb2")->shared, 0);
    assert_int_equal(DD_TableFind(&t, "bbbbbbbbbbb3")->shared, 1);
    assert_int_equal(DD_TableFind(&t, "bbbbbbbbbbb4")->shared, 0);
    // A namespace that differs is news, as a name is.
    snprintf(e[1].ns, sizeof(e[1].ns), "qa");
    assert_int_equal(DD_TableApply(&t, &snap, count_change, &c), 0);
    assert_int_equal(c.renamed, 1);
    assert_true(DD_TableFind(&t, "bbbbbbbbbbb2")->changes & DD_CHANGED_NAME);
    assert_string_equal(DD_TableFind(&t, "bbbbbbbbbbb2")->ns, "qa");
    DD_TableFree(&t);
}

// Protection is scanned like the name: a change is news.
static void test_protect(void **state)
{
    dd_scanentry_t e[1];
    dd_snapshot_t snap = { e, 1 };
    dd_table_t t = { 0 };
    counts_t c = { 0 };

    (void) state;
    set_entry(&e[0], "aaaaaaaaaaaa", "safe", "nginx");
    e[0].protect = 1;
    assert_int_equal(DD_TableApply(&t, &snap, NULL, NULL), 0);
    assert_int_equal(t.entries[0].protect, 1);
    e[0].protect = 0;
    assert_int_equal(DD_TableApply(&t, &snap, count_change, &c), 0);
    assert_int_equal(c.renamed, 1);
    assert_int_equal(t.entries[0].protect, 0);
    assert_true(t.entries[0].changes & DD_CHANGED_PROTECT);
    DD_TableFree(&t);
}

static void test_appear(void **state)
{
    dd_scanentry_t e[2];
    dd_snapshot_t snap = { e, 2 };
    dd_table_t t = { 0 };
    counts_t c = { 0 };

    (void) state;
    set_entry(&e[0], "aaaaaaaaaaaa", "web", "nginx");
    set_entry(&e[1], "bbbbbbbbbbbb", "db", "postgres");
    assert_int_equal(DD_TableApply(&t, &snap, count_change, &c), 0);
    assert_int_equal(c.added, 2);
    assert_int_equal(t.count, 2);
    assert_int_equal(t.entries[0].state, DD_ST_WAITING);
    assert_null(t.entries[0].mobj);
    assert_string_equal(DD_TableFind(&t, "bbbbbbbbbbbb")->name, "db");

    // The same snapshot again changes nothing.
    memset(&c, 0, sizeof(c));
    DD_TableApply(&t, &snap, count_change, &c);
    assert_int_equal(c.added + c.removed + c.renamed, 0);
    DD_TableFree(&t);
}

static void test_disappear(void **state)
{
    dd_scanentry_t e[3];
    dd_snapshot_t snap = { e, 3 };
    dd_table_t t = { 0 };
    counts_t c = { 0 };
    int mobj;

    (void) state;
    set_entry(&e[0], "aaaaaaaaaaaa", "a", "x");
    set_entry(&e[1], "bbbbbbbbbbbb", "b", "x");
    set_entry(&e[2], "cccccccccccc", "c", "x");
    DD_TableApply(&t, &snap, NULL, NULL);
    DD_TableFind(&t, "cccccccccccc")->mobj = &mobj;

    // b goes: removed once, a and c keep their order and their mobj.
    e[1] = e[2];
    snap.count = 2;
    DD_TableApply(&t, &snap, count_change, &c);
    assert_int_equal(c.removed, 1);
    assert_string_equal(c.last, "bbbbbbbbbbbb");
    assert_int_equal(t.count, 2);
    assert_string_equal(t.entries[0].id, "aaaaaaaaaaaa");
    assert_string_equal(t.entries[1].id, "cccccccccccc");
    assert_ptr_equal(DD_TableFindMobj(&t, &mobj), &t.entries[1]);

    // Everything goes.
    memset(&c, 0, sizeof(c));
    snap.count = 0;
    DD_TableApply(&t, &snap, count_change, &c);
    assert_int_equal(c.removed, 2);
    assert_int_equal(t.count, 0);
    assert_null(DD_TableFindMobj(&t, &mobj));
    assert_null(DD_TableFindMobj(&t, NULL));
    DD_TableFree(&t);
}

static void test_rename(void **state)
{
    dd_scanentry_t e[1];
    dd_snapshot_t snap = { e, 1 };
    dd_table_t t = { 0 };
    counts_t c = { 0 };

    (void) state;
    set_entry(&e[0], "aaaaaaaaaaaa", "old", "x");
    DD_TableApply(&t, &snap, NULL, NULL);
    t.entries[0].state = DD_ST_ALIVE;
    set_entry(&e[0], "aaaaaaaaaaaa", "new", "x");
    DD_TableApply(&t, &snap, count_change, &c);
    assert_int_equal(c.renamed, 1);
    assert_int_equal(c.added + c.removed, 0);
    assert_string_equal(t.entries[0].name, "new");
    // A rename keeps the monster.
    assert_int_equal(t.entries[0].state, DD_ST_ALIVE);
    DD_TableFree(&t);
}

static void test_status(void **state)
{
    dd_scanentry_t e[1];
    dd_snapshot_t snap = { e, 1 };
    dd_table_t t = { 0 };
    counts_t c = { 0 };

    (void) state;
    set_entry(&e[0], "aaaaaaaaaaaa", "web", "nginx");
    snprintf(e[0].status, sizeof(e[0].status), "running");
    DD_TableApply(&t, &snap, NULL, NULL);
    assert_string_equal(t.entries[0].status, "running");
    assert_int_equal(t.entries[0].changes, 0);
    // Paused: a change of its own kind, name and image untouched.
    snprintf(e[0].status, sizeof(e[0].status), "paused");
    DD_TableApply(&t, &snap, count_change, &c);
    assert_int_equal(c.renamed, 1);
    assert_int_equal(t.entries[0].changes, DD_CHANGED_STATUS);
    assert_string_equal(t.entries[0].status, "paused");
    DD_TableFree(&t);
}

static void test_many(void **state)
{
    dd_scanentry_t e[300];
    dd_snapshot_t snap = { e, 300 };
    dd_table_t t = { 0 };
    counts_t c = { 0 };
    char id[16];
    int i;

    (void) state;
    for (i = 0; i < 300; ++i)
    {
        snprintf(id, sizeof(id), "%012x", i);
        set_entry(&e[i], id, id, "img");
    }
    DD_TableApply(&t, &snap, count_change, &c);
    assert_int_equal(c.added, 300);
    assert_int_equal(t.count, 300);
    DD_TableFree(&t);
}

// Rounds of random changes to 2000 ids: after each, the table holds
// exactly the snapshot's entries, the survivors in their old order with
// the new ones after them, and the callbacks counted every change.
static void test_churn(void **state)
{
    enum { IDS = 2000, ROUNDS = 30 };
    static dd_scanentry_t e[IDS];
    static int present[IDS];
    static char order[IDS][DD_ID_LEN + 1];
    dd_snapshot_t snap = { e, 0 };
    dd_table_t t = { 0 };
    char id[16];
    char name[16];
    int norder = 0;
    int round;
    int i;
    int k;

    (void) state;
    srand(7);
    for (round = 0; round < ROUNDS; ++round)
    {
        counts_t c = { 0 };
        int added = 0;
        int removed = 0;
        int renamed = 0;
        int kept;

        snap.count = 0;
        for (i = 0; i < IDS; ++i)
        {
            int was = present[i];
            int now = round == 0 ? rand() % 2 : (rand() % 10 ? was : !was);
            int rename = was && now && rand() % 20 == 0;

            added += !was && now;
            removed += was && !now;
            renamed += rename;
            present[i] = now ? (rename ? round + 1 : (was ? was : 1)) : 0;
            if (now)
            {
                snprintf(id, sizeof(id), "%012x", i);
                snprintf(name, sizeof(name), "n%d", present[i]);
                set_entry(&e[snap.count++], id, name, "img");
            }
        }
        assert_int_equal(DD_TableApply(&t, &snap, count_change, &c), 0);
        assert_int_equal(c.added, added);
        assert_int_equal(c.removed, removed);
        assert_int_equal(c.renamed, renamed);
        assert_int_equal(t.count, snap.count);
        // The old order, less the removed, then the new ones.
        kept = 0;
        for (k = 0; k < norder; ++k)
        {
            if (present[strtol(order[k], NULL, 16)])
            {
                assert_string_equal(t.entries[kept].id, order[k]);
                ++kept;
            }
        }
        for (k = 0; k < t.count; ++k)
        {
            int n = (int) strtol(t.entries[k].id, NULL, 16);

            assert_true(present[n]);
            snprintf(name, sizeof(name), "n%d", present[n]);
            assert_string_equal(t.entries[k].name, name);
            if (k >= kept)
            {
                // New entries come in id order, after the others.
                assert_true(k == kept || strcmp(t.entries[k - 1].id,
                                                t.entries[k].id) < 0);
            }
            snprintf(order[k], sizeof(order[k]), "%s", t.entries[k].id);
        }
        norder = t.count;
    }
    DD_TableFree(&t);
}

static void test_kill_ok(void **state)
{
    dd_scanentry_t e[1];
    dd_snapshot_t snap = { e, 1 };
    dd_table_t t = { 0 };
    dd_entry_t *out;
    int mobj;

    (void) state;
    set_entry(&e[0], "aaaaaaaaaaaa", "a", "x");
    DD_TableApply(&t, &snap, NULL, NULL);

    // Only a live monster can be killed, and only once.
    assert_int_equal(DD_TableKillRequest(&t.entries[0]), 0);
    assert_int_equal(DD_TableKillRequest(NULL), 0);
    t.entries[0].state = DD_ST_ALIVE;
    t.entries[0].mobj = &mobj;
    assert_int_equal(DD_TableKillRequest(&t.entries[0]), 1);
    assert_int_equal(t.entries[0].state, DD_ST_KILLING);
    assert_int_equal(DD_TableKillRequest(&t.entries[0]), 0);

    assert_int_equal(DD_TableKillResult(&t, "aaaaaaaaaaaa", 0, &out),
                     DD_KILL_DONE);
    assert_ptr_equal(out, &t.entries[0]);
    assert_int_equal(out->state, DD_ST_KILLED);
    DD_TableFree(&t);
}

static void test_kill_fail(void **state)
{
    dd_scanentry_t e[1];
    dd_snapshot_t snap = { e, 1 };
    dd_table_t t = { 0 };
    dd_entry_t *out;
    int mobj;

    (void) state;
    set_entry(&e[0], "aaaaaaaaaaaa", "a", "x");
    DD_TableApply(&t, &snap, NULL, NULL);
    t.entries[0].state = DD_ST_ALIVE;
    t.entries[0].mobj = &mobj;
    t.entries[0].announced = 1;
    DD_TableKillRequest(&t.entries[0]);

    // A failed write puts the entry back in line, corpse kept for raising.
    assert_int_equal(DD_TableKillResult(&t, "aaaaaaaaaaaa", EPERM, &out),
                     DD_KILL_RETRY);
    assert_int_equal(out->state, DD_ST_WAITING);
    assert_ptr_equal(out->mobj, &mobj);
    assert_int_equal(out->announced, 0);

    // A result for an entry that vanished meanwhile.
    assert_int_equal(DD_TableKillResult(&t, "bbbbbbbbbbbb", EIO, &out),
                     DD_KILL_UNKNOWN);
    assert_null(out);
    DD_TableFree(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_namespaces),
        cmocka_unit_test(test_appear),
        cmocka_unit_test(test_disappear),
        cmocka_unit_test(test_rename),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_churn),
        cmocka_unit_test(test_kill_ok),
        cmocka_unit_test(test_kill_fail),
        cmocka_unit_test(test_engines),
        cmocka_unit_test(test_shared_names),
        cmocka_unit_test(test_protect),
    };

    return cmocka_run_group_tests_name("game_table", tests, NULL, NULL);
}
