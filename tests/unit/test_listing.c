/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for listing.c: one snapshot of the root per generation of
 * the table, shared by its readers, freed with the last; the caps on the
 * handles and snapshots of limited callers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "listing.h"

/* Adds container number i (its id: i in hex, padded with 'a'). */
static void add(struct table *t, unsigned i)
{
    char id[ID_LEN + 1];
    struct container c;

    memset(id, 'a', ID_LEN);
    id[ID_LEN] = '\0';
    char head[16];
    snprintf(head, sizeof head, "%08x", i);
    memcpy(id, head, 8);
    memset(&c, 0, sizeof c);
    assert_int_equal(container_set(&c, id, head, "img", "running", 1, NULL, 0), 0);
    assert_int_equal(table_upsert(t, &c, NULL, NULL), 0);
    container_clear(&c);
}

static void shared_per_generation(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct listings ls;
    struct listing_handle *a, *b, *c;

    listings_init(&ls);
    for (unsigned i = 0; i < 100; i++)
        add(t, i);
    assert_int_equal(listing_open(&ls, 1, &a), 0);
    assert_int_equal(listing_open(&ls, 1, &b), 0);
    assert_int_equal(listing_take(&ls, t, a), 0);
    assert_int_equal(listing_take(&ls, t, b), 0);
    /* One generation, one copy. */
    assert_ptr_equal(a->l, b->l);
    assert_int_equal(a->l->n, 100);
    assert_int_equal(ls.live, 1);
    assert_int_equal(ls.bytes, 100 * sizeof(struct table_row));
    /* Sorted by short id. */
    for (size_t i = 1; i < a->l->n; i++)
        assert_true(strcmp(a->l->rows[i - 1].short_id, a->l->rows[i].short_id) < 0);

    /* A change: the next reader gets a new copy, the old readers keep
     * theirs until they start again. */
    add(t, 100);
    assert_int_equal(listing_open(&ls, 0, &c), 0);
    assert_int_equal(listing_take(&ls, t, c), 0);
    assert_ptr_not_equal(c->l, a->l);
    assert_int_equal(c->l->n, 101);
    assert_int_equal(a->l->n, 100);
    assert_int_equal(ls.live, 2);
    /* a starts again at offset 0: it moves to the new one. */
    assert_int_equal(listing_take(&ls, t, a), 0);
    assert_ptr_equal(a->l, c->l);
    /* The old copy goes with its last reader. */
    listing_close(&ls, b);
    assert_int_equal(ls.live, 1);
    assert_int_equal(ls.bytes, 101 * sizeof(struct table_row));
    listing_close(&ls, a);
    listing_close(&ls, c);
    /* The newest stays for the next reader; nothing else is held. */
    assert_int_equal(ls.live, 1);
    assert_null(ls.open);
    listings_cleanup(&ls);
    table_free(t);
}

/* Limited callers: LISTING_HANDLES_MAX handles, then EMFILE; root and the
 * owner are not counted. */
static void handle_cap(void **state)
{
    (void)state;
    struct listings ls;
    static struct listing_handle *h[LISTING_HANDLES_MAX];
    struct listing_handle *x;

    listings_init(&ls);
    for (int i = 0; i < LISTING_HANDLES_MAX; i++)
        assert_int_equal(listing_open(&ls, 1, &h[i]), 0);
    assert_int_equal(listing_open(&ls, 1, &x), EMFILE);
    assert_int_equal(listing_open(&ls, 0, &x), 0);      /* root */
    listing_close(&ls, x);
    listing_close(&ls, h[7]);
    assert_int_equal(listing_open(&ls, 1, &h[7]), 0);   /* room again */
    assert_int_equal(listing_open(&ls, 1, &x), EMFILE);
    /* Handles left open are freed at cleanup (ASan's leak check). */
    listings_cleanup(&ls);
}

/* Limited handles hold at most LISTING_SNAPSHOTS_MAX generations, made
 * by them or by root; then ENOMEM, while they may still share one they
 * hold and root may still list. Memory stays below that many copies
 * whatever they open. */
static void snapshot_cap(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct listings ls;
    struct listing_handle *h[LISTING_SNAPSHOTS_MAX + 1], *extra, *root;

    listings_init(&ls);
    add(t, 0);
    for (int i = 0; i < LISTING_SNAPSHOTS_MAX; i++) {
        assert_int_equal(listing_open(&ls, 1, &h[i]), 0);
        assert_int_equal(listing_take(&ls, t, h[i]), 0);
        add(t, (unsigned)i + 1);        /* the next generation */
    }
    assert_int_equal(ls.live, LISTING_SNAPSHOTS_MAX);
    assert_int_equal(ls.pinned_limited, LISTING_SNAPSHOTS_MAX);
    assert_int_equal(listing_open(&ls, 1, &h[LISTING_SNAPSHOTS_MAX]), 0);
    assert_int_equal(listing_take(&ls, t, h[LISTING_SNAPSHOTS_MAX]), ENOMEM);
    assert_null(h[LISTING_SNAPSHOTS_MAX]->l);
    assert_int_equal(ls.live, LISTING_SNAPSHOTS_MAX);
    /* Root lists all the same; the copy it made is not for them either. */
    assert_int_equal(listing_open(&ls, 0, &root), 0);
    assert_int_equal(listing_take(&ls, t, root), 0);
    assert_int_equal(root->l->n, LISTING_SNAPSHOTS_MAX + 1);
    assert_int_equal(listing_take(&ls, t, h[LISTING_SNAPSHOTS_MAX]), ENOMEM);
    listing_close(&ls, root);
    add(t, 999);
    assert_int_equal(listing_take(&ls, t, h[LISTING_SNAPSHOTS_MAX]), ENOMEM);
    /* A handle that starts again lets its old copy go first: it is not
     * refused for the copy it holds itself. */
    assert_int_equal(listing_take(&ls, t, h[0]), 0);
    assert_int_equal(h[0]->l->n, LISTING_SNAPSHOTS_MAX + 2);
    assert_int_equal(listing_open(&ls, 1, &extra), 0);
    assert_int_equal(listing_take(&ls, t, extra), 0);   /* shares h[0]'s */
    assert_ptr_equal(extra->l, h[0]->l);
    assert_int_equal(ls.pinned_limited, LISTING_SNAPSHOTS_MAX);
    listings_cleanup(&ls);
    table_free(t);
}

/* A row removed is a new generation too; a change that keeps the rows
 * (a rename) is not. */
static void generations(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct container c;
    struct table_row gone;
    char id[ID_LEN + 1];

    uint64_t g0 = table_generation(t);
    add(t, 1);
    uint64_t g1 = table_generation(t);
    assert_true(g1 > g0);
    memset(id, 'a', ID_LEN);
    id[ID_LEN] = '\0';
    memcpy(id, "00000001", 8);
    memset(&c, 0, sizeof c);
    assert_int_equal(container_set(&c, id, "renamed", "img", "running", 1, NULL, 0), 0);
    assert_int_equal(table_upsert(t, &c, NULL, NULL), 0);
    container_clear(&c);
    assert_true(table_generation(t) == g1);
    assert_int_equal(table_remove_engine(t, TABLE_ANY_ENGINE, id, &gone), 0);
    assert_true(table_generation(t) > g1);
    table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shared_per_generation),
        cmocka_unit_test(handle_cap),
        cmocka_unit_test(snapshot_cap),
        cmocka_unit_test(generations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
