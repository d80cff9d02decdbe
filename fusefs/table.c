/* SPDX-License-Identifier: GPL-2.0-or-later */
/* table.c - the container table: a vector of entries plus three chained
 * hash indexes, by short id (lookups from paths), by name (the links at
 * the root, asked for on every path through a name, as they are never
 * cached) and by serial (lookups from inode numbers). A reader-writer lock
 * guards all of it. */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "table.h"

struct entry {
    struct container c;
    size_t bytes;               /* container_bytes(&c) */
    uint64_t serial;
    size_t pos;                 /* index in table.v */
    struct entry *next_short;   /* hash chains */
    struct entry *next_name;
    struct entry *next_serial;
};

struct table {
    pthread_rwlock_t lock;
    struct entry **v;
    size_t n, cap;
    struct entry **by_short;    /* nbuckets chains each */
    struct entry **by_name;
    struct entry **by_serial;
    size_t nbuckets;            /* a power of two */
    uint64_t next_serial;
    uint64_t gen;               /* + 1 at every row added or removed */
    struct engine_use *use;     /* by engine_ix, nuse of them */
    size_t nuse;
    size_t rows_max, bytes_max; /* one engine's share */
    long long last_ns;          /* the newest changed_ns given out */
};

/* What the rows of one engine cost, against ENGINE_CONTAINERS_MAX and
 * ENGINE_BYTES_MAX, and how many were refused for them. */
struct engine_use {
    size_t rows, bytes, refused;
};

/* Engine e's use, the array grown to hold it; NULL on ENOMEM. Under the
 * writer lock. */
static struct engine_use *use_of(struct table *t, unsigned e)
{
    if (e >= t->nuse) {
        size_t n = (size_t)e + 1 < 8 ? 8 : (size_t)e + 1;
        struct engine_use *u = realloc(t->use, n * sizeof *u);
        if (!u)
            return NULL;
        memset(u + t->nuse, 0, (n - t->nuse) * sizeof *u);
        t->use = u;
        t->nuse = n;
    }
    return &t->use[e];
}

/* A changed_ns for a change made now: the wall clock, but later than any
 * given out before, so two changes never share a stamp (a reader that
 * saw the first would miss the second). Under the writer lock. */
static long long change_stamp(struct table *t)
{
    struct timespec ts;
    long long ns;

    clock_gettime(CLOCK_REALTIME, &ts);
    ns = ts.tv_sec * 1000000000LL + ts.tv_nsec;
    if (ns <= t->last_ns)
        ns = t->last_ns + 1;
    t->last_ns = ns;
    return ns;
}

/* Over s[0..len): a name is looked up as it stands before an '@'. */
static size_t hash_str(const char *s, size_t len)
{
    size_t h = 5381;
    for (size_t i = 0; i < len; i++)
        h = h * 33 + (unsigned char)s[i];
    return h;
}

static size_t hash_short(const char *s) { return hash_str(s, strlen(s)); }

static size_t hash_serial(uint64_t serial)
{
    return (size_t)(serial * 0x9E3779B97F4A7C15ull >> 16);
}

struct table *table_new(void)
{
    struct table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->nbuckets = 64;
    t->by_short = calloc(t->nbuckets, sizeof *t->by_short);
    t->by_name = calloc(t->nbuckets, sizeof *t->by_name);
    t->by_serial = calloc(t->nbuckets, sizeof *t->by_serial);
    if (!t->by_short || !t->by_name || !t->by_serial) {
        free(t->by_short);
        free(t->by_name);
        free(t->by_serial);
        free(t);
        return NULL;
    }
    pthread_rwlock_init(&t->lock, NULL);
    t->next_serial = 1;
    t->rows_max = ENGINE_CONTAINERS_MAX;
    t->bytes_max = ENGINE_BYTES_MAX;
    return t;
}

void table_free(struct table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        container_clear(&t->v[i]->c);
        free(t->v[i]);
    }
    free(t->v);
    free(t->by_short);
    free(t->by_name);
    free(t->by_serial);
    free(t->use);
    pthread_rwlock_destroy(&t->lock);
    free(t);
}

void table_rdlock(struct table *t) { pthread_rwlock_rdlock(&t->lock); }
void table_unlock(struct table *t) { pthread_rwlock_unlock(&t->lock); }
size_t table_count(struct table *t) { return t->n; }

static struct entry *find_short(const struct table *t, const char *short_id)
{
    struct entry *e = t->by_short[hash_short(short_id) & (t->nbuckets - 1)];
    while (e && strcmp(e->c.short_id, short_id) != 0)
        e = e->next_short;
    return e;
}

/* From e on along a name chain, the first entry named name[0..len). */
static struct entry *next_named(struct entry *e, const char *name, size_t len)
{
    while (e && !(strncmp(e->c.name, name, len) == 0 && e->c.name[len] == '\0'))
        e = e->next_name;
    return e;
}

/* The first entry named name[0..len); walk on with next_named. */
static struct entry *first_named(const struct table *t, const char *name,
                                 size_t len)
{
    return next_named(t->by_name[hash_str(name, len) & (t->nbuckets - 1)],
                      name, len);
}

/* The head of the chain e's name is on. */
static struct entry **name_chain(const struct table *t, const struct entry *e)
{
    return &t->by_name[hash_str(e->c.name, strlen(e->c.name)) & (t->nbuckets - 1)];
}

/* Links e into its name's chain / takes it out; the writer lock held. */
static void name_link(struct table *t, struct entry *e)
{
    struct entry **head = name_chain(t, e);
    e->next_name = *head;
    *head = e;
}

static void name_unlink(struct table *t, struct entry *e)
{
    struct entry **pp = name_chain(t, e);
    while (*pp != e)
        pp = &(*pp)->next_name;
    *pp = e->next_name;
}

static struct entry *find_serial(const struct table *t, uint64_t serial)
{
    struct entry *e = t->by_serial[hash_serial(serial) & (t->nbuckets - 1)];
    while (e && e->serial != serial)
        e = e->next_serial;
    return e;
}

const struct container *table_by_serial(struct table *t, uint64_t serial)
{
    struct entry *e = find_serial(t, serial);
    return e ? &e->c : NULL;
}

const struct container *table_by_short_id(struct table *t, const char *short_id,
                                          uint64_t *serial)
{
    struct entry *e = find_short(t, short_id);
    if (!e)
        return NULL;
    if (serial)
        *serial = e->serial;
    return &e->c;
}

/* 1 if row e is on engine (NULL: any engine). */
static int on_engine(const struct entry *e, const char *engine)
{
    return !engine || strcmp(container_engine(&e->c), engine) == 0;
}

/* The row with full id id[0..len) (ID_LEN or POD_ID_LEN hex digits,
 * or a SHORT_ID_LEN short id) on engine, or NULL. Short ids are unique
 * in the table, so a full id is found by its first twelve. */
static struct entry *find_id(const struct table *t, const char *id,
                             size_t len, const char *engine)
{
    char short_id[SHORT_ID_LEN + 1];
    struct entry *e;

    if (len != ID_LEN && len != POD_ID_LEN && len != SHORT_ID_LEN)
        return NULL;
    memcpy(short_id, id, SHORT_ID_LEN);
    short_id[SHORT_ID_LEN] = '\0';
    e = find_short(t, short_id);
    if (!e || !on_engine(e, engine) || strncmp(e->c.id, id, len) != 0 ||
        (len != SHORT_ID_LEN && e->c.id[len] != '\0'))
        return NULL;
    return e;
}

/* Counts the rows on engine that name[0..len) names: by their name, or
 * as NAME.NAMESPACE (a pod's name, then its namespace after the last
 * dot: a namespace has no dot, a pod name may have). *found is the last
 * one. */
static size_t count_named(const struct table *t, const char *name,
                          size_t len, const char *engine,
                          struct entry **found)
{
    const char *dot = memrchr(name, '.', len);
    size_t n = 0;

    for (struct entry *e = first_named(t, name, len); e;
         e = next_named(e->next_name, name, len)) {
        if (on_engine(e, engine)) {
            *found = e;
            n++;
        }
    }
    if (!dot || dot == name || dot == name + len - 1)
        return n;
    size_t plen = (size_t)(dot - name), nslen = len - plen - 1;
    for (struct entry *e = first_named(t, name, plen); e;
         e = next_named(e->next_name, name, plen)) {
        if (on_engine(e, engine) && e->c.ns &&
            strncmp(e->c.ns, dot + 1, nslen) == 0 && e->c.ns[nslen] == '\0') {
            *found = e;
            n++;
        }
    }
    return n;
}

/* table_resolve over the rows of one engine (NULL: all of them). */
static int resolve_in(struct table *t, const char *name, size_t len,
                      const char *engine, uint64_t *serial)
{
    struct entry *found = NULL;
    char uid_hex[POD_ID_LEN + 1];

    /* Docker's own order, each step over the whole table: a container
     * named with another's full id must not win that id. A pod's uid is
     * its id with the dashes it is written with. */
    found = find_id(t, name, len, engine);
    if (!found && pod_id_from_uid(name, len, uid_hex) == 0)
        found = find_id(t, uid_hex, POD_ID_LEN, engine);
    if (found) {
        *serial = found->serial;
        return 0;
    }
    /* One engine keeps its names unique (a cluster per namespace);
     * across engines and namespaces a name may be taken twice, and then
     * only name@engine or NAME.NAMESPACE says which: a name that could
     * mean two rows means none. */
    switch (count_named(t, name, len, engine, &found)) {
    case 0:
        break;
    case 1:
        *serial = found->serial;
        return 0;
    default:
        return ENOTUNIQ;
    }
    found = NULL;
    if (len == 0 || len > ID_LEN || !id_is_hex(name, len))
        return ENOENT;
    for (size_t i = 0; i < t->n; i++) {
        if (on_engine(t->v[i], engine) &&
            strncmp(t->v[i]->c.id, name, len) == 0) {
            if (found)
                return ENOTUNIQ;
            found = t->v[i];
        }
    }
    if (!found)
        return ENOENT;
    *serial = found->serial;
    return 0;
}

int table_resolve(struct table *t, const char *name, uint64_t *serial,
                  int *is_dir)
{
    size_t len = strlen(name);
    struct entry *found = NULL;
    const char *at = strrchr(name, '@');

    if (len == SHORT_ID_LEN && (found = find_short(t, name))) {
        *serial = found->serial;
        *is_dir = 1;
        return 0;
    }
    *is_dir = 0;
    /* '@' is never in a container name nor an engine name. */
    if (at)
        return at[1] ? resolve_in(t, name, (size_t)(at - name), at + 1, serial)
                     : ENOENT;
    return resolve_in(t, name, len, NULL, serial);
}

/* Doubles the hash indexes once they hold more entries than buckets. */
static int rehash(struct table *t)
{
    size_t nb = t->nbuckets * 2;
    struct entry **bs = calloc(nb, sizeof *bs);
    struct entry **bm = calloc(nb, sizeof *bm);
    struct entry **bn = calloc(nb, sizeof *bn);
    if (!bs || !bm || !bn) {
        free(bs);
        free(bm);
        free(bn);
        return ENOMEM;
    }
    free(t->by_short);
    free(t->by_name);
    free(t->by_serial);
    t->by_short = bs;
    t->by_name = bm;
    t->by_serial = bn;
    t->nbuckets = nb;
    for (size_t i = 0; i < t->n; i++) {
        struct entry *e = t->v[i];
        size_t hs = hash_short(e->c.short_id) & (nb - 1);
        size_t hn = hash_serial(e->serial) & (nb - 1);
        e->next_short = bs[hs];
        bs[hs] = e;
        name_link(t, e);
        e->next_serial = bn[hn];
        bn[hn] = e;
    }
    return 0;
}

static int labels_equal(const struct container *a, const struct container *b)
{
    if (a->nlabels != b->nlabels || a->labels_cut != b->labels_cut)
        return 0;
    for (size_t i = 0; i < a->nlabels; i++)
        if (strcmp(a->labels[i].key, b->labels[i].key) != 0 ||
            strcmp(a->labels[i].value, b->labels[i].value) != 0)
            return 0;
    return 1;
}

static int container_equal(const struct container *a, const struct container *b)
{
    return strcmp(a->name, b->name) == 0 && strcmp(a->image, b->image) == 0 &&
           strcmp(a->state, b->state) == 0 && a->created == b->created &&
           labels_equal(a, b) && a->engine == b->engine &&
           a->own == b->own &&
           !a->ns == !b->ns && (!a->ns || strcmp(a->ns, b->ns) == 0);
}

/* Inserts or replaces; the caller holds the writer lock. */
static int upsert_locked(struct table *t, const struct container *c,
                         int *changed, uint64_t *serial)
{
    struct entry *e = find_short(t, c->short_id);
    struct container copy;
    int err;

    if (e && strcmp(e->c.id, c->id) == 0 && e->c.engine_ix == c->engine_ix) {
        int differs = !container_equal(&e->c, c);
        if (changed)
            *changed = differs;
        if (serial)
            *serial = e->serial;
        if (!differs)
            return 0;
        struct engine_use *u = use_of(t, e->c.engine_ix);
        size_t bytes = container_bytes(c);
        if (!u)
            return ENOMEM;
        if (u->bytes - e->bytes + bytes > t->bytes_max) {
            u->refused++;
            if (changed)
                *changed = 0;
            return EFBIG;
        }
        if ((err = container_copy(&copy, c)) != 0)
            return err;
        u->bytes = u->bytes - e->bytes + bytes;
        e->bytes = bytes;
        name_unlink(t, e);      /* a rename moves it to another chain */
        container_clear(&e->c);
        e->c = copy;
        e->c.changed_ns = change_stamp(t);
        name_link(t, e);
        return 0;
    }
    /* Two ids sharing a 12-digit prefix is astronomically rare (or one
     * engine reached twice, or a copied data root on two engines); the
     * newer one waits until the older is gone rather than hiding it. */
    if (e) {
        if (changed)
            *changed = 0;
        return 0;
    }
    /* One engine's share is full: a runaway or hostile engine costs the
     * mount no more than that. */
    struct engine_use *u = use_of(t, c->engine_ix);
    size_t bytes = container_bytes(c);
    if (!u)
        return ENOMEM;
    if (u->rows >= t->rows_max || u->bytes + bytes > t->bytes_max) {
        u->refused++;
        if (changed)
            *changed = 0;
        return EFBIG;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct entry **v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return ENOMEM;
        t->v = v;
        t->cap = cap;
    }
    if (t->n >= t->nbuckets && (err = rehash(t)) != 0)
        return err;
    if (!(e = calloc(1, sizeof *e)))
        return ENOMEM;
    if ((err = container_copy(&e->c, c)) != 0) {
        free(e);
        return err;
    }
    e->c.changed_ns = change_stamp(t);
    e->bytes = bytes;
    u->rows++;
    u->bytes += bytes;
    e->serial = t->next_serial++;
    t->gen++;
    e->pos = t->n;
    t->v[t->n++] = e;
    size_t hs = hash_short(e->c.short_id) & (t->nbuckets - 1);
    size_t hn = hash_serial(e->serial) & (t->nbuckets - 1);
    e->next_short = t->by_short[hs];
    t->by_short[hs] = e;
    name_link(t, e);
    e->next_serial = t->by_serial[hn];
    t->by_serial[hn] = e;
    if (changed)
        *changed = 2;
    if (serial)
        *serial = e->serial;
    return 0;
}

/* Unlinks and frees e; the caller holds the writer lock. */
static void remove_locked(struct table *t, struct entry *e, struct table_row *gone)
{
    struct entry **pp;

    for (pp = &t->by_short[hash_short(e->c.short_id) & (t->nbuckets - 1)];
         *pp != e; pp = &(*pp)->next_short)
        ;
    *pp = e->next_short;
    name_unlink(t, e);
    for (pp = &t->by_serial[hash_serial(e->serial) & (t->nbuckets - 1)];
         *pp != e; pp = &(*pp)->next_serial)
        ;
    *pp = e->next_serial;
    t->v[e->pos] = t->v[--t->n];
    t->v[e->pos]->pos = e->pos;
    t->gen++;
    if (e->c.engine_ix < t->nuse) {
        t->use[e->c.engine_ix].rows--;
        t->use[e->c.engine_ix].bytes -= e->bytes;
    }
    if (gone) {
        memcpy(gone->short_id, e->c.short_id, sizeof gone->short_id);
        gone->serial = e->serial;
    }
    container_clear(&e->c);
    free(e);
}

/* The invariants every change keeps, checked under the writer lock in
 * SAN=1 builds (DOCKERFS_ASSERT): each entry is where the vector and the
 * three indexes say it is, and serials only grow. */
static void table_check(const struct table *t)
{
#ifdef DOCKERFS_ASSERT
    assert(t->n <= t->cap);
    assert(t->nbuckets && (t->nbuckets & (t->nbuckets - 1)) == 0);
    assert(t->n <= t->nbuckets);
    for (size_t i = 0; i < t->n; i++) {
        const struct entry *e = t->v[i];
        assert(e->pos == i);
        assert(e->serial > 0 && e->serial < t->next_serial);
        assert(find_short(t, e->c.short_id) == e);
        assert(find_serial(t, e->serial) == e);
        const struct entry *m = first_named(t, e->c.name, strlen(e->c.name));
        while (m && m != e)
            m = next_named(m->next_name, e->c.name, strlen(e->c.name));
        assert(m == e);
        assert(strncmp(e->c.id, e->c.short_id, SHORT_ID_LEN) == 0);
    }
#else
    (void)t;
#endif
}

int table_upsert(struct table *t, const struct container *c, int *changed,
                 uint64_t *serial)
{
    pthread_rwlock_wrlock(&t->lock);
    int err = upsert_locked(t, c, changed, serial);
    table_check(t);
    pthread_rwlock_unlock(&t->lock);
    return err;
}

int table_insert(struct table *t, const struct container *c, uint64_t *serial)
{
    int err;

    pthread_rwlock_wrlock(&t->lock);
    if (find_short(t, c->short_id))
        err = EEXIST;
    else
        err = upsert_locked(t, c, NULL, serial);
    table_check(t);
    pthread_rwlock_unlock(&t->lock);
    return err;
}

int table_remove_engine(struct table *t, unsigned engine, const char *id,
                        struct table_row *gone)
{
    char short_id[SHORT_ID_LEN + 1];
    int err = ENOENT;

    if (strlen(id) < SHORT_ID_LEN)
        return ENOENT;
    memcpy(short_id, id, SHORT_ID_LEN);
    short_id[SHORT_ID_LEN] = '\0';
    pthread_rwlock_wrlock(&t->lock);
    struct entry *e = find_short(t, short_id);
    if (e && strcmp(e->c.id, id) == 0 &&
        (engine == TABLE_ANY_ENGINE || e->c.engine_ix == engine)) {
        remove_locked(t, e, gone);
        err = 0;
    }
    table_check(t);
    pthread_rwlock_unlock(&t->lock);
    return err;
}

static int cmp_container_ptr(const void *a, const void *b)
{
    return strcmp((*(const struct container *const *)a)->id,
                  (*(const struct container *const *)b)->id);
}

static int cmp_entry_ptr(const void *a, const void *b)
{
    return strcmp((*(struct entry *const *)a)->c.id,
                  (*(struct entry *const *)b)->c.id);
}

/* Removes every entry of engine whose id is not in sorted[0..n); the
 * caller holds the writer lock and provides room for t->n rows in g.
 * Returns how many. */
static size_t remove_missing(struct table *t, unsigned engine,
                             struct entry **old,
                             const struct container **sorted, size_t n,
                             struct table_row *g)
{
    size_t nold = 0, ng = 0, j = 0;

    for (size_t i = 0; i < t->n; i++)
        if (engine == TABLE_ANY_ENGINE || t->v[i]->c.engine_ix == engine)
            old[nold++] = t->v[i];
    if (nold == 0)
        return 0;
    qsort(old, nold, sizeof *old, cmp_entry_ptr);
    for (size_t i = 0; i < nold; i++) {
        int c = 1;
        while (j < n && (c = strcmp(sorted[j]->id, old[i]->c.id)) < 0)
            j++;
        if (j >= n || c != 0)
            remove_locked(t, old[i], &g[ng++]);
    }
    return ng;
}

int table_replace_engine(struct table *t, unsigned engine,
                         const struct container *v, size_t n,
                         struct table_row **gone, size_t *ngone,
                         uint64_t **changed, size_t *nchanged)
{
    const struct container **sorted = NULL;
    struct entry **old = NULL;
    struct table_row *g = NULL;
    uint64_t *ch = NULL;
    size_t ng = 0, nch = 0;
    int err = 0;

    *gone = NULL;
    *ngone = 0;
    if (changed) {
        *changed = NULL;
        *nchanged = 0;
    }
    if (n && !(sorted = malloc(n * sizeof *sorted)))
        return ENOMEM;
    if (n && changed && !(ch = malloc(n * sizeof *ch))) {
        free(sorted);
        return ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        sorted[i] = &v[i];
    if (n)
        qsort(sorted, n, sizeof *sorted, cmp_container_ptr);

    pthread_rwlock_wrlock(&t->lock);
    if (t->n) {
        old = malloc(t->n * sizeof *old);
        g = malloc(t->n * sizeof *g);
    }
    if (t->n && (!old || !g)) {
        err = ENOMEM;
    } else {
        ng = remove_missing(t, engine, old, sorted, n, g);
        for (size_t j = 0; j < n && !err; j++) {
            int differs = 0;
            uint64_t serial = 0;
            err = upsert_locked(t, sorted[j], &differs, &serial);
            if (err == EFBIG)   /* over the engine's share: left out */
                err = 0;
            else if (!err && differs && ch)
                ch[nch++] = serial;
        }
    }
    table_check(t);
    pthread_rwlock_unlock(&t->lock);

    free(sorted);
    free(old);
    if (changed && nch) {
        *changed = ch;
        *nchanged = nch;
    } else {
        free(ch);
    }
    if (ng == 0) {
        free(g);
        g = NULL;
    }
    /* Even after a failed insert the removals happened: report them. */
    *gone = g;
    *ngone = ng;
    return err;
}

static int cmp_row(const void *a, const void *b)
{
    return strcmp(((const struct table_row *)a)->short_id,
                  ((const struct table_row *)b)->short_id);
}

void table_set_engine_share(struct table *t, size_t rows, size_t bytes)
{
    pthread_rwlock_wrlock(&t->lock);
    t->rows_max = rows;
    t->bytes_max = bytes;
    pthread_rwlock_unlock(&t->lock);
}

size_t table_engine_refused(struct table *t, unsigned engine)
{
    pthread_rwlock_rdlock(&t->lock);
    size_t n = engine < t->nuse ? t->use[engine].refused : 0;
    pthread_rwlock_unlock(&t->lock);
    return n;
}

uint64_t table_generation(struct table *t)
{
    pthread_rwlock_rdlock(&t->lock);
    uint64_t gen = t->gen;
    pthread_rwlock_unlock(&t->lock);
    return gen;
}

int table_snapshot(struct table *t, struct table_row **rows, size_t *n,
                   uint64_t *gen)
{
    struct table_row *r = NULL;

    pthread_rwlock_rdlock(&t->lock);
    size_t count = t->n;
    if (gen)
        *gen = t->gen;
    if (count && !(r = malloc(count * sizeof *r))) {
        pthread_rwlock_unlock(&t->lock);
        return ENOMEM;
    }
    for (size_t i = 0; i < count; i++) {
        memcpy(r[i].short_id, t->v[i]->c.short_id, sizeof r[i].short_id);
        r[i].serial = t->v[i]->serial;
    }
    pthread_rwlock_unlock(&t->lock);
    if (count)
        qsort(r, count, sizeof *r, cmp_row);
    *rows = r;
    *n = count;
    return 0;
}

int table_mark_engine(struct table *t, unsigned engine, const char *state,
                      uint64_t **serials, size_t *n)
{
    uint64_t *v = NULL;
    size_t k = 0;
    int err = 0;

    *serials = NULL;
    *n = 0;
    pthread_rwlock_wrlock(&t->lock);
    if (t->n && !(v = malloc(t->n * sizeof *v)))
        err = ENOMEM;
    for (size_t i = 0; !err && i < t->n; i++) {
        struct entry *e = t->v[i];
        char *s;
        if (e->c.engine_ix != engine || strcmp(e->c.state, state) == 0)
            continue;
        if (!(s = strdup(state))) {
            err = ENOMEM;
            break;
        }
        /* The state's length counts in the engine's share too. */
        size_t now = e->bytes - strlen(e->c.state) + strlen(s);
        if (engine < t->nuse)
            t->use[engine].bytes = t->use[engine].bytes - e->bytes + now;
        e->bytes = now;
        free(e->c.state);
        e->c.state = s;
        e->c.changed_ns = change_stamp(t);
        v[k++] = e->serial;
    }
    pthread_rwlock_unlock(&t->lock);
    if (k == 0) {
        free(v);
        v = NULL;
    }
    *serials = v;
    *n = k;
    return err;
}
