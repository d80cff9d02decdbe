/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for table.c: the container table, its serials, its
 * resolution of names and id prefixes, and snapshots taken while another
 * thread changes it. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "table.h"

/* A container whose 64-digit id starts with prefix, padded with pad. */
static void make(struct container *c, const char *prefix, char pad,
                 const char *name, const char *state)
{
    char id[ID_LEN + 1];
    size_t n = strlen(prefix);

    memset(id, pad, ID_LEN);
    memcpy(id, prefix, n);
    id[ID_LEN] = '\0';
    memset(c, 0, sizeof *c);
    assert_int_equal(container_set(c, id, name, "img", state, 1700000000,
                                   NULL, 0), 0);
}

static void add_find_remove(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct container a, b;
    struct table_row gone;
    uint64_t sa = 0, sb = 0, s = 0;
    int changed = 0;

    make(&a, "aaaa", '1', "web", "running");
    make(&b, "bbbb", '2', "db", "running");
    assert_int_equal(table_upsert(t, &a, &changed, &sa), 0);
    assert_int_equal(changed, 2);   /* inserted */
    assert_int_equal(table_upsert(t, &b, &changed, &sb), 0);
    assert_int_not_equal(sa, sb);

    table_rdlock(t);
    assert_int_equal(table_count(t), 2);
    const struct container *c = table_by_serial(t, sa);
    assert_non_null(c);
    assert_string_equal(c->name, "web");
    assert_non_null(table_by_short_id(t, "bbbb22222222", &s));
    assert_int_equal(s, sb);
    assert_null(table_by_short_id(t, "cccc22222222", NULL));
    table_unlock(t);

    /* The same container again changes nothing and keeps its serial. */
    assert_int_equal(table_upsert(t, &a, &changed, &s), 0);
    assert_false(changed);
    assert_int_equal(s, sa);

    assert_int_equal(table_remove_engine(t, TABLE_ANY_ENGINE, a.id, &gone), 0);
    assert_string_equal(gone.short_id, "aaaa11111111");
    assert_int_equal(gone.serial, sa);
    assert_int_equal(table_remove_engine(t, TABLE_ANY_ENGINE,
                                         a.id, &gone), ENOENT);
    table_rdlock(t);
    assert_null(table_by_serial(t, sa));
    assert_int_equal(table_count(t), 1);
    table_unlock(t);

    /* Back again: a new serial, so old inodes cannot reach it. */
    assert_int_equal(table_upsert(t, &a, NULL, &s), 0);
    assert_true(s > sb);
    container_clear(&a);
    container_clear(&b);
    table_free(t);
}

static void rename_and_state_change(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct container a, renamed;
    uint64_t s1, s2;
    int changed;

    make(&a, "abcd", '0', "old", "running");
    make(&renamed, "abcd", '0', "new", "exited");
    assert_int_equal(table_upsert(t, &a, NULL, &s1), 0);
    assert_int_equal(table_upsert(t, &renamed, &changed, &s2), 0);
    assert_int_equal(changed, 1);   /* changed, not inserted */
    assert_int_equal(s1, s2);

    uint64_t s;
    int is_dir;
    table_rdlock(t);
    assert_int_equal(table_resolve(t, "old", &s, &is_dir), ENOENT);
    assert_int_equal(table_resolve(t, "new", &s, &is_dir), 0);
    assert_int_equal(s, s1);
    assert_string_equal(table_by_serial(t, s1)->state, "exited");
    table_unlock(t);
    container_clear(&a);
    container_clear(&renamed);
    table_free(t);
}

static void resolution(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct container a, b, c;
    uint64_t sa, sb, sc, s;
    int is_dir;

    make(&a, "4eeff8a1", '0', "web", "running");
    make(&b, "4eef0000", '1', "db", "running");
    /* A name that looks like another container's id prefix. */
    make(&c, "9999", '9', "4eeff8", "running");
    table_upsert(t, &a, NULL, &sa);
    table_upsert(t, &b, NULL, &sb);
    table_upsert(t, &c, NULL, &sc);

    table_rdlock(t);
    assert_int_equal(table_resolve(t, "4eeff8a10000", &s, &is_dir), 0);
    assert_int_equal(s, sa);
    assert_true(is_dir);
    assert_int_equal(table_resolve(t, a.id, &s, &is_dir), 0);
    assert_int_equal(s, sa);
    assert_false(is_dir);
    assert_int_equal(table_resolve(t, "web", &s, &is_dir), 0);
    assert_int_equal(s, sa);
    assert_false(is_dir);
    assert_int_equal(table_resolve(t, "4eeff8a", &s, &is_dir), 0);
    assert_int_equal(s, sa);
    assert_int_equal(table_resolve(t, "4eef0", &s, &is_dir), 0);
    assert_int_equal(s, sb);
    /* Shared by two ids: not unique. */
    assert_int_equal(table_resolve(t, "4eef", &s, &is_dir), ENOTUNIQ);
    assert_int_equal(table_resolve(t, "4", &s, &is_dir), ENOTUNIQ);
    /* A name wins over an id prefix, as in the docker CLI. */
    assert_int_equal(table_resolve(t, "4eeff8", &s, &is_dir), 0);
    assert_int_equal(s, sc);
    assert_int_equal(table_resolve(t, "nope", &s, &is_dir), ENOENT);
    assert_int_equal(table_resolve(t, "", &s, &is_dir), ENOENT);
    assert_int_equal(table_resolve(t, "4EEFF8A1", &s, &is_dir), ENOENT);
    assert_int_equal(table_resolve(t, "abc0", &s, &is_dir), ENOENT);
    table_unlock(t);
    container_clear(&a);
    container_clear(&b);
    container_clear(&c);
    table_free(t);
}

/* A pod row: uid (with dashes) as its 32-hex id, name, namespace. */
static void make_pod(struct container *c, const char *uid, const char *name,
                     const char *ns)
{
    char id[POD_ID_LEN + 1];

    assert_int_equal(pod_id_from_uid(uid, strlen(uid), id), 0);
    assert_int_equal(container_set(c, id, name, "img", "running", 1, NULL, 0),
                     0);
    assert_int_equal(container_set_ns(c, ns), 0);
}

static int resolve(struct table *t, const char *name, uint64_t *s)
{
    int is_dir;
    table_rdlock(t);
    int rc = table_resolve(t, name, s, &is_dir);
    table_unlock(t);
    return rc;
}

/* Pods: a name unique in the fleet as today, NAME.NAMESPACE for one
 * whose name is taken in another namespace (a pod name may hold dots:
 * the namespace is after the last), the uid with and without its
 * dashes, a uid prefix, and a name that could mean two rows means
 * none. */
static void resolve_pods(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct container p1, p2, p3, p4, d;
    uint64_t s1, s2, s3, s4, sd, s;

    make_pod(&p1, "5f1c0a2b-3d4e-4f60-8a9b-0c1d2e3f4a5b", "web", "shop");
    make_pod(&p2, "7a000000-0000-4000-8000-000000000001", "web", "blog");
    make_pod(&p3, "7b000000-0000-4000-8000-000000000002", "a.b", "x");
    make_pod(&p4, "7c000000-0000-4000-8000-000000000003", "a", "b");
    make(&d, "dddd", '0', "cache.shop", "running");    /* a container */
    table_upsert(t, &p1, NULL, &s1);
    table_upsert(t, &p2, NULL, &s2);
    table_upsert(t, &p3, NULL, &s3);
    table_upsert(t, &p4, NULL, &s4);
    table_upsert(t, &d, NULL, &sd);

    assert_int_equal(resolve(t, "web", &s), ENOTUNIQ);
    assert_int_equal(resolve(t, "web.shop", &s), 0);
    assert_int_equal(s, s1);
    assert_int_equal(resolve(t, "web.blog", &s), 0);
    assert_int_equal(s, s2);
    assert_int_equal(resolve(t, "web.nope", &s), ENOENT);
    assert_int_equal(resolve(t, "web.", &s), ENOENT);
    assert_int_equal(resolve(t, ".shop", &s), ENOENT);
    /* "a.b" is pod a.b (in x) and pod a in b: neither. */
    assert_int_equal(resolve(t, "a.b", &s), ENOTUNIQ);
    assert_int_equal(resolve(t, "a.b.x", &s), 0);
    assert_int_equal(s, s3);
    assert_int_equal(resolve(t, "a", &s), 0);
    assert_int_equal(s, s4);
    /* A container's name is never split: it has no namespace. */
    assert_int_equal(resolve(t, "cache.shop", &s), 0);
    assert_int_equal(s, sd);
    assert_int_equal(resolve(t, "cache", &s), ENOENT);
    /* The uid, as the id file shows it and without its dashes. */
    assert_int_equal(resolve(t, "5f1c0a2b-3d4e-4f60-8a9b-0c1d2e3f4a5b", &s),
                     0);
    assert_int_equal(s, s1);
    assert_int_equal(resolve(t, "5f1c0a2b3d4e4f608a9b0c1d2e3f4a5b", &s), 0);
    assert_int_equal(s, s1);
    assert_int_equal(resolve(t, "5f1c0a2b3d4e4f60", &s), 0);   /* prefix */
    assert_int_equal(s, s1);
    assert_int_equal(resolve(t, "7", &s), ENOTUNIQ);
    assert_int_equal(resolve(t, "5f1c0a2b-3d4e-4f60-8a9b-0c1d2e3f4a5c", &s),
                     ENOENT);
    /* A 32-digit prefix of a container's id is a prefix, not its id. */
    assert_int_equal(resolve(t, "dddd000000000000000000000000000", &s), 0);
    assert_int_equal(s, sd);
    /* NAME.NAMESPACE@ENGINE: the rows have no engine, so "default". */
    assert_int_equal(resolve(t, "web.shop@default", &s), 0);
    assert_int_equal(s, s1);
    assert_int_equal(resolve(t, "web.shop@other", &s), ENOENT);
    container_clear(&p1);
    container_clear(&p2);
    container_clear(&p3);
    container_clear(&p4);
    container_clear(&d);
    table_free(t);
}

/* A container named with another's full id, listed first, must not win
 * the lookup of that id (echo 1 > /dockerfs/<full id>/kill). */
static void name_never_shadows_full_id(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct container victim, impostor, twin;
    uint64_t sv, si, st, s;
    int is_dir;

    make(&victim, "abcdef01", '2', "victim", "running");
    make(&impostor, "12345678", '3', victim.id, "running");
    table_upsert(t, &impostor, NULL, &si);
    table_upsert(t, &victim, NULL, &sv);
    /* And a name equal to another's short id stays that one's directory. */
    make(&twin, "77777777", '7', "abcdef012222", "running");
    table_upsert(t, &twin, NULL, &st);

    table_rdlock(t);
    assert_int_equal(table_resolve(t, victim.id, &s, &is_dir), 0);
    assert_int_equal(s, sv);
    assert_false(is_dir);
    assert_int_equal(table_resolve(t, impostor.id, &s, &is_dir), 0);
    assert_int_equal(s, si);
    assert_int_equal(table_resolve(t, "abcdef012222", &s, &is_dir), 0);
    assert_int_equal(s, sv);
    assert_true(is_dir);
    /* A name still wins over an id prefix. */
    assert_int_equal(table_resolve(t, "victim", &s, &is_dir), 0);
    assert_int_equal(s, sv);
    table_unlock(t);
    container_clear(&victim);
    container_clear(&impostor);
    container_clear(&twin);
    table_free(t);
}

static void replace_all_reports_removals(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct container v[3];
    struct table_row *gone;
    size_t ngone;

    make(&v[0], "01", '0', "a", "running");
    make(&v[1], "02", '0', "b", "running");
    make(&v[2], "03", '0', "c", "running");
    uint64_t *ch;
    size_t nch;
    assert_int_equal(table_replace_engine(t, TABLE_ANY_ENGINE,
                                          v, 3, &gone, &ngone, &ch, &nch), 0);
    assert_int_equal(ngone, 0);
    assert_null(gone);
    assert_int_equal(nch, 3);       /* all three are new */
    free(ch);
    /* The same list again changes nothing. */
    assert_int_equal(table_replace_engine(t, TABLE_ANY_ENGINE,
                                          v, 3, &gone, &ngone, &ch, &nch), 0);
    assert_int_equal(nch, 0);
    assert_null(ch);
    /* Keep b, drop a and c, bring d. */
    struct container next[2];
    make(&next[0], "02", '0', "b", "paused");
    make(&next[1], "04", '0', "d", "running");
    assert_int_equal(table_replace_engine(t, TABLE_ANY_ENGINE,
                                          next, 2, &gone, &ngone, &ch, &nch), 0);
    assert_int_equal(ngone, 2);
    assert_int_equal(nch, 2);       /* b changed, d is new */
    table_rdlock(t);
    uint64_t sb, sd;
    table_by_short_id(t, "020000000000", &sb);
    table_by_short_id(t, "040000000000", &sd);
    table_unlock(t);
    assert_true((ch[0] == sb && ch[1] == sd) || (ch[0] == sd && ch[1] == sb));
    free(ch);
    int seen_a = 0, seen_c = 0;
    for (size_t i = 0; i < ngone; i++) {
        seen_a |= strcmp(gone[i].short_id, "010000000000") == 0;
        seen_c |= strcmp(gone[i].short_id, "030000000000") == 0;
    }
    assert_true(seen_a && seen_c);
    free(gone);

    struct table_row *rows;
    size_t n;
    assert_int_equal(table_snapshot(t, &rows, &n, NULL), 0);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].short_id, "020000000000");
    assert_string_equal(rows[1].short_id, "040000000000");
    free(rows);
    table_rdlock(t);
    uint64_t s;
    table_by_short_id(t, "020000000000", &s);
    assert_string_equal(table_by_serial(t, s)->state, "paused");
    table_unlock(t);

    assert_int_equal(table_replace_engine(t, TABLE_ANY_ENGINE,
                                          NULL, 0, &gone, &ngone, NULL, NULL), 0);
    assert_int_equal(ngone, 2);
    free(gone);
    assert_int_equal(table_snapshot(t, &rows, &n, NULL), 0);
    assert_int_equal(n, 0);
    assert_null(rows);
    for (int i = 0; i < 3; i++)
        container_clear(&v[i]);
    container_clear(&next[0]);
    container_clear(&next[1]);
    table_free(t);
}

/* Many entries: the hash indexes grow and every entry stays findable. */
static void grows(void **state)
{
    (void)state;
    struct table *t = table_new();
    enum { N = 5000 };
    uint64_t *serials = calloc(N, sizeof *serials);

    for (int i = 0; i < N; i++) {
        char prefix[16];
        struct container c;
        snprintf(prefix, sizeof prefix, "%08x", i);
        make(&c, prefix, 'f', prefix, "running");
        assert_int_equal(table_upsert(t, &c, NULL, &serials[i]), 0);
        container_clear(&c);
    }
    table_rdlock(t);
    assert_int_equal(table_count(t), N);
    for (int i = 0; i < N; i++) {
        char short_id[SHORT_ID_LEN + 1];
        snprintf(short_id, sizeof short_id, "%08xffff", i);
        const struct container *c = table_by_serial(t, serials[i]);
        assert_non_null(c);
        assert_string_equal(c->short_id, short_id);
    }
    table_unlock(t);
    /* Remove every other one; the rest are still there. */
    for (int i = 0; i < N; i += 2) {
        struct container c;
        char prefix[16];
        snprintf(prefix, sizeof prefix, "%08x", i);
        make(&c, prefix, 'f', prefix, "running");
        assert_int_equal(table_remove_engine(t, TABLE_ANY_ENGINE,
                                             c.id, NULL), 0);
        container_clear(&c);
    }
    table_rdlock(t);
    assert_int_equal(table_count(t), N / 2);
    for (int i = 0; i < N; i++)
        assert_int_equal(table_by_serial(t, serials[i]) != NULL, i % 2);
    table_unlock(t);
    free(serials);
    table_free(t);
}

/* Looks a name up; the serial found, or 0 with the error in *err. */
static uint64_t by_name(struct table *t, const char *name, int *err)
{
    uint64_t s = 0;
    int is_dir = 1;

    table_rdlock(t);
    *err = table_resolve(t, name, &s, &is_dir);
    table_unlock(t);
    if (*err == 0)
        assert_int_equal(is_dir, 0);
    return *err ? 0 : s;
}

/* Names are found through their own index: through the index's growth,
 * renames (two containers trading names in one re-list included) and
 * removals, a name leads to its container and to nothing once it is
 * gone. */
static void names_indexed(void **state)
{
    (void)state;
    struct table *t = table_new();
    enum { N = 600 };
    struct container *v = calloc(N, sizeof *v);
    uint64_t *serials = calloc(N, sizeof *serials);
    char name[32], prefix[16];
    int err;

    for (int i = 0; i < N; i++) {
        snprintf(prefix, sizeof prefix, "%08x", i);
        snprintf(name, sizeof name, "web-%d", i);
        make(&v[i], prefix, 'e', name, "running");
        assert_int_equal(table_upsert(t, &v[i], NULL, &serials[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "web-%d", i);
        assert_int_equal(by_name(t, name, &err), serials[i]);
    }
    /* Every one renamed: old names lead nowhere. */
    for (int i = 0; i < N; i++) {
        struct container c;
        snprintf(prefix, sizeof prefix, "%08x", i);
        snprintf(name, sizeof name, "db-%d", i);
        make(&c, prefix, 'e', name, "running");
        assert_int_equal(table_upsert(t, &c, NULL, NULL), 0);
        container_clear(&c);
    }
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "web-%d", i);
        assert_int_equal(by_name(t, name, &err), 0);
        assert_int_equal(err, ENOENT);
        snprintf(name, sizeof name, "db-%d", i);
        assert_int_equal(by_name(t, name, &err), serials[i]);
    }
    /* 0 and 1 trade names in one re-list; the odd ones are removed. */
    for (int i = 0; i < N; i++) {
        snprintf(prefix, sizeof prefix, "%08x", i);
        snprintf(name, sizeof name, "db-%d", i < 2 ? 1 - i : i);
        container_clear(&v[i]);
        make(&v[i], prefix, 'e', name, "running");
    }
    size_t k = 0;
    for (int i = 0; i < N; i++)
        if (i < 2 || i % 2 == 0)
            v[k++] = v[i];
        else
            container_clear(&v[i]);
    struct table_row *gone;
    size_t ngone;
    assert_int_equal(table_replace_engine(t, TABLE_ANY_ENGINE,
                                          v, k, &gone, &ngone, NULL, NULL), 0);
    assert_int_equal(ngone, N / 2 - 1);
    free(gone);
    assert_int_equal(by_name(t, "db-0", &err), serials[1]);
    assert_int_equal(by_name(t, "db-1", &err), serials[0]);
    for (int i = 2; i < N; i++) {
        snprintf(name, sizeof name, "db-%d", i);
        assert_int_equal(by_name(t, name, &err), i % 2 ? 0 : serials[i]);
        assert_int_equal(err, i % 2 ? ENOENT : 0);
    }
    /* A name is whole: neither a prefix of it nor a longer one matches. */
    assert_int_equal(by_name(t, "db-", &err), 0);
    assert_int_equal(err, ENOENT);
    assert_int_equal(by_name(t, "db-100x", &err), 0);
    assert_int_equal(err, ENOENT);
    for (size_t i = 0; i < k; i++)
        container_clear(&v[i]);
    free(v);
    free(serials);
    table_free(t);
}

struct churn {
    struct table *t;
    volatile int stop;
};

static void *churner(void *arg)
{
    struct churn *ch = arg;
    for (int round = 0; !ch->stop && round < 2000; round++) {
        struct container c;
        char prefix[16];
        snprintf(prefix, sizeof prefix, "%06x", round % 64);
        make(&c, prefix, 'a', prefix, "running");
        if (round % 3 == 2)
            table_remove_engine(ch->t, TABLE_ANY_ENGINE, c.id, NULL);
        else
            table_upsert(ch->t, &c, NULL, NULL);
        container_clear(&c);
    }
    return NULL;
}

/* Snapshots taken while another thread adds and removes are always
 * sorted, without duplicates, and never torn. */
static void snapshot_while_changing(void **state)
{
    (void)state;
    struct churn ch = { .t = table_new(), .stop = 0 };
    pthread_t th;

    assert_int_equal(pthread_create(&th, NULL, churner, &ch), 0);
    for (int i = 0; i < 500; i++) {
        struct table_row *rows;
        size_t n;
        assert_int_equal(table_snapshot(ch.t, &rows, &n, NULL), 0);
        for (size_t j = 0; j < n; j++) {
            assert_int_equal(strlen(rows[j].short_id), SHORT_ID_LEN);
            if (j)
                assert_true(strcmp(rows[j - 1].short_id, rows[j].short_id) < 0);
        }
        free(rows);
    }
    ch.stop = 1;
    pthread_join(th, NULL);
    table_free(ch.t);
}

/* make() on engine ix, named ename. */
static void make_on(struct container *c, const char *prefix, char pad,
                    const char *name, unsigned ix, const char *ename)
{
    make(c, prefix, pad, name, "running");
    c->engine_ix = ix;
    c->engine = ename;
}

/* Each engine's sync thread replaces only its own rows: engine 1's list
 * leaves engine 0's rows (and their serials) alone, an empty list of
 * engine 1 removes only engine 1's, and the same id on another engine
 * never takes a row over. */
static void replace_per_engine(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct container a[2], b[2], dup;
    struct table_row *gone;
    size_t ngone;
    uint64_t sa0 = 0, s = 0;

    make_on(&a[0], "aaaa", '1', "web", 0, "a");
    make_on(&a[1], "aaab", '1', "db", 0, "a");
    make_on(&b[0], "bbbb", '2', "web", 1, "b");
    make_on(&b[1], "bbbc", '2', "cache", 1, "b");
    assert_int_equal(table_replace_engine(t, 0, a, 2, &gone, &ngone,
                                          NULL, NULL), 0);
    assert_int_equal(ngone, 0);
    table_rdlock(t);
    assert_non_null(table_by_short_id(t, "aaaa11111111", &sa0));
    table_unlock(t);
    assert_int_equal(table_replace_engine(t, 1, b, 2, &gone, &ngone,
                                          NULL, NULL), 0);
    assert_int_equal(ngone, 0);
    table_rdlock(t);
    assert_int_equal(table_count(t), 4);
    assert_non_null(table_by_short_id(t, "aaaa11111111", &s));
    assert_int_equal(s, sa0);
    table_unlock(t);

    /* Engine 1 now lists one container: only its other one goes. */
    assert_int_equal(table_replace_engine(t, 1, b, 1, &gone, &ngone,
                                          NULL, NULL), 0);
    assert_int_equal(ngone, 1);
    assert_string_equal(gone[0].short_id, "bbbc22222222");
    free(gone);
    /* Engine 0 lists nothing: its two go, engine 1's stays. */
    assert_int_equal(table_replace_engine(t, 0, NULL, 0, &gone, &ngone,
                                          NULL, NULL), 0);
    assert_int_equal(ngone, 2);
    free(gone);
    table_rdlock(t);
    assert_int_equal(table_count(t), 1);
    assert_non_null(table_by_short_id(t, "bbbb22222222", NULL));
    table_unlock(t);

    /* The same id seen on engine 0 (one engine reached twice): engine 1
     * keeps the row; engine 0's copy cannot change or remove it. */
    make_on(&dup, "bbbb", '2', "other", 0, "a");
    assert_int_equal(table_replace_engine(t, 0, &dup, 1, &gone, &ngone,
                                          NULL, NULL), 0);
    assert_int_equal(table_remove_engine(t, 0, dup.id, NULL), ENOENT);
    table_rdlock(t);
    assert_int_equal(table_count(t), 1);
    const struct container *c = table_by_short_id(t, "bbbb22222222", NULL);
    assert_string_equal(c->name, "web");
    assert_string_equal(c->engine, "b");
    table_unlock(t);
    assert_int_equal(table_remove_engine(t, 1, dup.id, NULL), 0);

    for (int i = 0; i < 2; i++) {
        container_clear(&a[i]);
        container_clear(&b[i]);
    }
    container_clear(&dup);
    table_free(t);
}

/* NAME@ENGINE picks by engine; a plain name on two engines is not
 * unique; one on one engine resolves. */
static void resolve_at_engine(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct container a, b, c;
    uint64_t sa = 0, sb = 0, sc = 0, s = 0;
    int is_dir = 0;

    make_on(&a, "aaaa", '1', "web", 0, "a");
    make_on(&b, "bbbb", '2', "web", 1, "b");
    make_on(&c, "cccc", '3', "db", 1, "b");
    assert_int_equal(table_upsert(t, &a, NULL, &sa), 0);
    assert_int_equal(table_upsert(t, &b, NULL, &sb), 0);
    assert_int_equal(table_upsert(t, &c, NULL, &sc), 0);
    table_rdlock(t);
    assert_int_equal(table_resolve(t, "web", &s, &is_dir), ENOTUNIQ);
    assert_int_equal(table_resolve(t, "web@a", &s, &is_dir), 0);
    assert_int_equal(s, sa);
    assert_false(is_dir);
    assert_int_equal(table_resolve(t, "web@b", &s, &is_dir), 0);
    assert_int_equal(s, sb);
    assert_int_equal(table_resolve(t, "web@c", &s, &is_dir), ENOENT);
    assert_int_equal(table_resolve(t, "web@", &s, &is_dir), ENOENT);
    assert_int_equal(table_resolve(t, "db", &s, &is_dir), 0);
    assert_int_equal(s, sc);
    assert_int_equal(table_resolve(t, "db@a", &s, &is_dir), ENOENT);
    /* Short id, full id and prefix, each within its engine. */
    assert_int_equal(table_resolve(t, "cccc33333333@b", &s, &is_dir), 0);
    assert_int_equal(s, sc);
    assert_int_equal(table_resolve(t, "cccc33333333@a", &s, &is_dir), ENOENT);
    assert_int_equal(table_resolve(t, "cc@b", &s, &is_dir), 0);
    assert_int_equal(s, sc);
    char full[ID_LEN + 3];
    snprintf(full, sizeof full, "%s@a", a.id);
    assert_int_equal(table_resolve(t, full, &s, &is_dir), 0);
    assert_int_equal(s, sa);
    snprintf(full, sizeof full, "%s@b", a.id);
    assert_int_equal(table_resolve(t, full, &s, &is_dir), ENOENT);
    /* The directory itself stays a plain short id. */
    assert_int_equal(table_resolve(t, "aaaa11111111", &s, &is_dir), 0);
    assert_true(is_dir);
    table_unlock(t);
    container_clear(&a);
    container_clear(&b);
    container_clear(&c);
    table_free(t);
}

/* An engine down: its rows read "unreachable", the others do not. */
static void mark_engine(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct container a, b;
    uint64_t sa = 0, sb = 0, *serials;
    size_t n;

    make_on(&a, "aaaa", '1', "web", 0, "a");
    make_on(&b, "bbbb", '2', "web", 1, "b");
    assert_int_equal(table_upsert(t, &a, NULL, &sa), 0);
    assert_int_equal(table_upsert(t, &b, NULL, &sb), 0);
    assert_int_equal(table_mark_engine(t, 1, "unreachable", &serials, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(serials[0], sb);
    free(serials);
    /* Twice: nothing changes the second time. */
    assert_int_equal(table_mark_engine(t, 1, "unreachable", &serials, &n), 0);
    assert_int_equal(n, 0);
    assert_null(serials);
    table_rdlock(t);
    assert_string_equal(table_by_serial(t, sb)->state, "unreachable");
    assert_string_equal(table_by_serial(t, sa)->state, "running");
    table_unlock(t);
    /* Back: the engine's listing gives it its state again, same serial. */
    int changed = 0;
    uint64_t s = 0;
    assert_int_equal(table_upsert(t, &b, &changed, &s), 0);
    assert_true(changed);
    assert_int_equal(s, sb);
    container_clear(&a);
    container_clear(&b);
    table_free(t);
}

/* table_insert adds only what is new: a row already there (from a
 * fuller source, or another engine's with the same short id) stays. */
static void insert_only_new(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct container a, a2, other;
    uint64_t sa = 0, s = 0;

    make(&a, "aaaa", '1', "web", "running");
    make(&a2, "aaaa", '1', "web-from-event", "created");
    make(&other, "aaaa", '1', "twin", "created");
    other.engine_ix = 1;
    assert_int_equal(table_insert(t, &a, &sa), 0);
    assert_true(sa > 0);
    assert_int_equal(table_insert(t, &a2, &s), EEXIST);
    assert_int_equal(table_insert(t, &other, NULL), EEXIST);
    table_rdlock(t);
    assert_int_equal(table_count(t), 1);
    assert_string_equal(table_by_serial(t, sa)->name, "web");
    assert_string_equal(table_by_serial(t, sa)->state, "running");
    table_unlock(t);
    container_clear(&a);
    container_clear(&a2);
    container_clear(&other);
    table_free(t);
}

/* The stamp of a row's last change. */
static long long stamp_of(struct table *t, uint64_t serial)
{
    long long ns;

    table_rdlock(t);
    ns = table_by_serial(t, serial)->changed_ns;
    table_unlock(t);
    return ns;
}

/* changed_ns (a directory's mtime in the mount) is set on insert, grows
 * with every change shown, even two in the same nanosecond, and stays
 * when nothing changed. */
static void change_stamps(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct container a, paused, b;
    uint64_t sa = 0, sb = 0, *serials;
    size_t n;
    long long first, second, third;

    make(&a, "aaaa", '1', "web", "running");
    make(&paused, "aaaa", '1', "web", "paused");
    make(&b, "bbbb", '2', "db", "running");
    paused.changed_ns = 1;          /* the caller's value is not kept */
    assert_int_equal(table_upsert(t, &a, NULL, &sa), 0);
    assert_int_equal(table_upsert(t, &b, NULL, &sb), 0);
    first = stamp_of(t, sa);
    assert_true(first > 0);
    assert_true(stamp_of(t, sb) > first);
    assert_int_equal(table_upsert(t, &a, NULL, NULL), 0);
    assert_true(stamp_of(t, sa) == first);
    assert_int_equal(table_upsert(t, &paused, NULL, NULL), 0);
    second = stamp_of(t, sa);
    assert_true(second > first);
    assert_int_equal(table_mark_engine(t, 0, "unreachable", &serials, &n),
                     0);
    assert_int_equal(n, 2);
    free(serials);
    third = stamp_of(t, sa);
    assert_true(third > second);
    assert_true(stamp_of(t, sb) != third);
    container_clear(&a);
    container_clear(&paused);
    container_clear(&b);
    table_free(t);
}

/* One engine's share: so many rows and so many bytes of their text;
 * beyond it EFBIG (counted), the table unchanged, and other engines
 * unaffected; a removal makes room. (A small share here: the sanitizer
 * build checks the whole table at every change.) */
static void engine_share(void **state)
{
    (void)state;
    struct table *t = table_new();
    struct container c;
    char id[ID_LEN + 1], name[32];
    int changed = 0;
    const unsigned rows = 100;

    table_set_engine_share(t, rows, 1u << 20);
    memset(id, 'a', ID_LEN);
    id[ID_LEN] = '\0';
    for (unsigned i = 0; i <= rows; i++) {
        snprintf(name, sizeof name, "%08x", i);
        memcpy(id, name, 8);
        assert_int_equal(container_set(&c, id, name, "i", "running", 0, NULL, 0), 0);
        int rc = table_upsert(t, &c, &changed, NULL);
        assert_int_equal(rc, i < rows ? 0 : EFBIG);
        container_clear(&c);
    }
    assert_int_equal(changed, 0);
    assert_int_equal(table_count(t), rows);
    assert_int_equal(table_engine_refused(t, 0), 1);
    /* Another engine has a share of its own. */
    memcpy(id, "ffffffff", 8);
    assert_int_equal(container_set(&c, id, "other", "i", "running", 0, NULL, 0), 0);
    c.engine_ix = 1;
    assert_int_equal(table_upsert(t, &c, NULL, NULL), 0);
    container_clear(&c);
    /* A removal makes room. */
    memcpy(id, "00000000", 8);
    assert_int_equal(table_remove_engine(t, 0, id, NULL), 0);
    snprintf(name, sizeof name, "%08x", rows);
    memcpy(id, name, 8);
    assert_int_equal(container_set(&c, id, name, "i", "running", 0, NULL, 0), 0);
    assert_int_equal(table_upsert(t, &c, NULL, NULL), 0);
    container_clear(&c);
    table_free(t);

    /* Bytes: 8 labels of 8 KiB fill 64 KiB; the 9th is refused, and so
     * is a change that would grow a row past the share. */
    t = table_new();
    table_set_engine_share(t, 1000, 64u << 10);
    size_t big = 8u << 10;
    char v[8u << 10];
    memset(v, 'q', big - 64);
    v[big - 64] = '\0';
    struct label l = { "k", v };
    for (unsigned i = 0; i < 9; i++) {
        snprintf(name, sizeof name, "%08x", i);
        memcpy(id, name, 8);
        assert_int_equal(container_set(&c, id, name, "i", "running", 0, &l, 1), 0);
        assert_int_equal(table_upsert(t, &c, NULL, NULL), i < 8 ? 0 : EFBIG);
        container_clear(&c);
    }
    memcpy(id, "00000000", 8);
    char more[512];
    memset(more, 'm', sizeof more - 1);
    more[sizeof more - 1] = '\0';
    /* 8 rows leave 8 x 45 bytes of the share: 511 more do not fit. */
    struct label l2[] = { { "k", v }, { "k2", more } };
    assert_int_equal(container_set(&c, id, "00000000", "i", "running", 0, l2, 2), 0);
    assert_int_equal(table_upsert(t, &c, &changed, NULL), EFBIG);
    container_clear(&c);
    table_rdlock(t);
    uint64_t s0 = 0;
    const struct container *kept = table_by_short_id(t, "00000000aaaa", &s0);
    assert_non_null(kept);
    assert_int_equal(kept->nlabels, 1);
    table_unlock(t);
    assert_int_equal(table_engine_refused(t, 0), 2);
    /* The real share is what the man page says. */
    assert_int_equal(ENGINE_CONTAINERS_MAX, 100000);
    assert_int_equal(ENGINE_BYTES_MAX, 64u << 20);
    table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(replace_per_engine),
        cmocka_unit_test(resolve_at_engine),
        cmocka_unit_test(mark_engine),
        cmocka_unit_test(add_find_remove),
        cmocka_unit_test(rename_and_state_change),
        cmocka_unit_test(resolution),
        cmocka_unit_test(name_never_shadows_full_id),
        cmocka_unit_test(resolve_pods),
        cmocka_unit_test(replace_all_reports_removals),
        cmocka_unit_test(grows),
        cmocka_unit_test(names_indexed),
        cmocka_unit_test(snapshot_while_changing),
        cmocka_unit_test(insert_only_new),
        cmocka_unit_test(change_stamps),
        cmocka_unit_test(engine_share),
    };
    return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
