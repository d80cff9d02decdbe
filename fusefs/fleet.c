/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fleet.c - the engines of one mount: names, their backends, their
 * identities and their kill budgets. */
#include "fleet.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "errmsg.h"
#include "log.h"

static int name_char(char c, int first)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9'))
        return 1;
    return !first && (c == '_' || c == '.' || c == '-');
}

int engine_name_valid(const char *s, size_t len)
{
    if (len == 0 || len > ENGINE_NAME_MAX)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!name_char(s[i], i == 0))
            return 0;
    return 1;
}

void member_about(const struct member *m, struct backend_about *a)
{
    if (m && m->be.ops) {
        m->be.ops->about(m->be.impl, a);
        return;
    }
    a->display = a->where = "?";
    a->context = NULL;
    a->hint = "";
    a->things = "containers";
}

int fleet_init(struct fleet *f, size_t cap, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    if (!(f->m = calloc(cap ? cap : 1, sizeof *f->m)))
        return errmsg(ENOMEM, err, errlen, "out of memory");
    f->cap = cap;
    return 0;
}

/* The table side of member ix, as its follower has it. */
static struct follow member_follow(struct fleet *f, unsigned ix)
{
    struct member *m = &f->m[ix];
    struct follow out = {
        .table = f->table, .engine_ix = ix, .engine_name = m->name,
        .hooks = f->hooks, .down = &m->down,
        .admit = fleet_admit, .admit_arg = f,
    };
    return out;
}

static void wire_one(struct fleet *f, unsigned ix)
{
    struct member *m = &f->m[ix];
    struct follow out = member_follow(f, ix);

    if (m->be.ops)
        m->be.ops->wire(m->be.impl, &out, f->opt);
}

void fleet_wire(struct fleet *f, struct table *t, const struct options *o,
                const struct follow_hooks *hooks)
{
    f->table = t;
    f->opt = o;
    f->hooks = *hooks;
    for (size_t i = 0; i < f->n; i++)
        wire_one(f, (unsigned)i);
}

/* Held while a member's engine_id is read or written. */
static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;

int fleet_claim_id(struct fleet *f, unsigned ix, const char *id)
{
    int holder = -1;

    if (ix >= f->n || !id || !id[0])
        return -1;
    pthread_mutex_lock(&id_lock);
    for (size_t j = 0; j < f->n && holder < 0; j++)
        if (j != ix && strcmp(f->m[j].engine_id, id) == 0)
            holder = (int)j;
    if (holder < 0)
        snprintf(f->m[ix].engine_id, sizeof f->m[ix].engine_id, "%s", id);
    pthread_mutex_unlock(&id_lock);
    return holder;
}

void fleet_check_ids(struct fleet *f)
{
    for (size_t i = 0; i < f->n; i++) {
        struct member *m = &f->m[i];
        int j = fleet_claim_id(f, (unsigned)i, m->first_id);
        struct backend_about a, b;
        if (j < 0)
            continue;
        struct follow out = member_follow(f, (unsigned)i);
        member_about(&f->m[j], &a);
        member_about(m, &b);
        /* The same engine given twice, or one that claims another's
         * identity: which is which cannot be told, and one member must
         * not keep the others from being mounted. The first given holds
         * it; this one is refused. */
        if (m->yields)
            log_warn("engine %s at %s is engine %s (%s, ID %s): "
                     "it is not followed, its containers are listed once, "
                     "under %s", m->name, b.display, f->m[j].name,
                     a.display, m->first_id, f->m[j].name);
        else
            log_warn("engine %s at %s answers as engine %s (%s) does (ID "
                     "%s): the same engine given twice, or one claiming "
                     "another's identity; %s is not followed, the first "
                     "given is", m->name, b.display, f->m[j].name,
                     a.display, m->first_id, m->name);
        atomic_store(&m->retired, 1);
        atomic_store(&m->down, 1);
        if (!f->table)
            continue;
        if (follow_drop(&out) != 0)
            log_warn("out of memory dropping the containers of "
                     "engine %s", m->name);
        /* Both listed at once: the rows of whichever was first in the
         * table stand for the other's, which were not kept. */
        char why[256];
        if (f->m[j].first_rc == 0 &&
            f->m[j].be.ops->list(f->m[j].be.impl, why, sizeof why) != 0)
            log_warn("engine %s: %s; its containers are listed at its "
                     "next re-list", f->m[j].name, why);
    }
}

/* The engine cannot be asked: it does not answer, or its certificate
 * (or ours) is refused (EKEYREJECTED). */
static int not_answering(int rc)
{
    return rc == EIO || rc == ETIMEDOUT || rc == ENOMEM || rc == EKEYREJECTED;
}

int fleet_admit(void *arg, unsigned ix, char *err, size_t errlen)
{
    struct fleet *f = arg;
    struct member *m = fleet_member(f, ix);
    char id[ENGINE_ID_MAX + 1], was[ENGINE_ID_MAX + 1];
    struct backend_about a, b;
    int rc, j;

    if (!m || !m->be.ops)
        return errmsg(EINVAL, err, errlen, "no engine %u", ix);
    member_about(m, &a);
    rc = m->be.ops->identity(m->be.impl, id, sizeof id, err, errlen);
    if (not_answering(rc))
        return rc;
    /* It answers but says nothing of who it is: it cannot be told
     * apart, and is followed as before. */
    if (rc != 0) {
        if (!atomic_exchange(&m->noid_warned, 1))
            log_warn("engine %s at %s: %s; not checked against the others",
                     m->name, a.display, err);
        return 0;
    }
    pthread_mutex_lock(&id_lock);
    snprintf(was, sizeof was, "%s", m->engine_id);
    pthread_mutex_unlock(&id_lock);
    if (was[0] && strcmp(was, id) == 0)
        return 0;
    /* Restarted with another data root, or another host behind the same
     * address: none of the old rows' ids may be sent to it. */
    if (was[0])
        log_warn("engine %s: identity changed (was %s, now %s); its "
                 "containers are dropped and the engine at %s is listed "
                 "anew", m->name, was, id, a.display);
    if ((j = fleet_claim_id(f, ix, id)) >= 0) {
        member_about(&f->m[j], &b);
        log_err("engine %s at %s is engine %s (%s): it is not "
                "followed (ID %s), its containers are listed once, under %s",
                m->name, a.display, f->m[j].name, b.display, id,
                f->m[j].name);
        /* The old engine is gone: its identity is nobody's now. */
        pthread_mutex_lock(&id_lock);
        m->engine_id[0] = '\0';
        pthread_mutex_unlock(&id_lock);
        return errmsg(EEXIST, err, errlen, "engine %s is engine %s",
                      m->name, f->m[j].name);
    }
    return was[0] ? ESTALE : 0;
}

static void *first_list_one(void *arg)
{
    struct member *m = arg;
    struct backend_about a;
    char err[256];
    int rc;

    member_about(m, &a);
    rc = m->be.ops->identity(m->be.impl, m->first_id, sizeof m->first_id,
                             err, sizeof err);
    /* Not answering: the list would only wait as long again. */
    if (not_answering(rc)) {
        m->first_rc = rc;
        snprintf(m->first_err, sizeof m->first_err, "%s", err);
        return NULL;
    }
    m->first_rc = m->be.ops->list(m->be.impl, m->first_err,
                                  sizeof m->first_err);
    /* It lists but says nothing of who it is (a role that may not read
     * it): followed, unchecked, and said once. When it does not list
     * either, that is the one line said. */
    if (rc != 0 && m->first_rc == 0 && !atomic_exchange(&m->noid_warned, 1))
        log_warn("engine %s at %s: %s; not checked against the others",
                 m->name, a.display, err);
    else if (rc != 0)
        log_debug("engine %s at %s: %s", m->name, a.display, err);
    return NULL;
}

size_t fleet_first_list(struct fleet *f, int *bad_config)
{
    pthread_t *th = f->n > 1 ? calloc(f->n, sizeof *th) : NULL;
    int *started = f->n > 1 ? calloc(f->n, sizeof *started) : NULL;
    size_t ok = 0;

    *bad_config = 0;
    for (size_t i = 0; i < f->n; i++) {
        /* Without threads (one engine, or none to be had) in turn. */
        if (th && started &&
            pthread_create(&th[i], NULL, first_list_one, &f->m[i]) == 0)
            started[i] = 1;
        else
            first_list_one(&f->m[i]);
    }
    for (size_t i = 0; i < f->n; i++) {
        if (started && started[i])
            pthread_join(th[i], NULL);
        if (f->m[i].first_rc == 0)
            ok++;
        /* Not known yet: its follower asks who it is (fleet_admit)
         * before its first list. */
        atomic_store(&f->m[i].down, f->m[i].first_rc != 0);
        /* The engine refused our filter, or the TLS set-up fails: a
         * usage error, whichever. */
        if (f->m[i].first_rc == EINVAL || f->m[i].first_rc == EKEYREJECTED)
            *bad_config = 1;
    }
    free(th);
    free(started);
    return ok;
}

int fleet_start(struct fleet *f)
{
    for (size_t i = 0; i < f->n; i++) {
        if (atomic_load(&f->m[i].retired))
            continue;
        int rc = f->m[i].be.ops->start(f->m[i].be.impl);
        if (rc != 0) {
            fleet_stop(f);
            return rc;
        }
    }
    return 0;
}

void fleet_stop(struct fleet *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->m[i].be.ops)
            f->m[i].be.ops->stop(f->m[i].be.impl);
}

/* Serialises fleet_add (one writer; readers only load n). */
static pthread_mutex_t add_lock = PTHREAD_MUTEX_INITIALIZER;

/* Why a member named name reaching its engine through be may not join
 * the n members before it, or 0. */
static int add_check(struct fleet *f, size_t n, const char *name,
                     const struct backend *be, char *err, size_t errlen)
{
    struct backend_about a, b;

    if (!engine_name_valid(name, strlen(name)))
        return errmsg(EINVAL, err, errlen, "'%.*s' is not an engine name "
                      "([A-Za-z0-9][A-Za-z0-9_.-]*, at most %d)",
                      ENGINE_NAME_MAX + 1, name, ENGINE_NAME_MAX);
    if (!be->ops)
        return errmsg(EINVAL, err, errlen, "engine %s has no backend", name);
    if (n >= f->cap)
        return errmsg(ENOSPC, err, errlen, "the mount follows %zu engines "
                      "already, its most", f->cap);
    be->ops->about(be->impl, &b);
    for (size_t j = 0; j < n; j++) {
        if (strcmp(f->m[j].name, name) == 0)
            return errmsg(EEXIST, err, errlen, "engine name '%s' is taken",
                          name);
        member_about(&f->m[j], &a);
        if (strcmp(a.where, b.where) == 0)
            return errmsg(EINVAL, err, errlen, "engines '%s' and '%s' are "
                          "one engine at %s: every container would be "
                          "listed twice", f->m[j].name, name, b.display);
    }
    return 0;
}

int fleet_add(struct fleet *f, const char *name, struct backend *be,
              int flags, unsigned *ix, char *err, size_t errlen)
{
    struct backend mine = *be;
    int rc;

    memset(be, 0, sizeof *be);
    pthread_mutex_lock(&add_lock);
    size_t n = f->n;
    if ((rc = add_check(f, n, name ? name : "", &mine, err, errlen)) != 0) {
        backend_free(&mine);
    } else {
        struct member *m = &f->m[n];
        memset(m, 0, sizeof *m);
        snprintf(m->name, sizeof m->name, "%s", name);
        m->be = mine;
        m->yields = (flags & FLEET_YIELDS) != 0;
        /* Not listed yet: no kill reaches it before its first list. */
        atomic_store(&m->down, 1);
        if (f->table)
            wire_one(f, (unsigned)n);
        if (ix)
            *ix = (unsigned)n;
        atomic_store(&f->n, n + 1);
    }
    pthread_mutex_unlock(&add_lock);
    return rc;
}

int fleet_join(struct fleet *f, unsigned ix, char *err, size_t errlen)
{
    struct member *m = fleet_member(f, ix);
    struct backend_about a, b;
    int rc, j;

    if (!m)
        return errmsg(EINVAL, err, errlen, "no engine %u", ix);
    member_about(m, &a);
    rc = m->be.ops->identity(m->be.impl, m->first_id, sizeof m->first_id,
                             m->first_err, sizeof m->first_err);
    /* Claimed before it lists: another member's engine never gets a
     * second set of rows. */
    if (rc == 0 && (j = fleet_claim_id(f, ix, m->first_id)) >= 0) {
        member_about(&f->m[j], &b);
        atomic_store(&m->retired, 1);
        return errmsg(EEXIST, err, errlen, "engine %s at %s is engine %s "
                      "(%s, ID %s): it is not followed", m->name, a.display,
                      f->m[j].name, b.display, m->first_id);
    }
    if (rc != 0 && !not_answering(rc))
        log_debug("engine %s at %s: %s", m->name, a.display, m->first_err);
    m->first_rc = not_answering(rc) ? rc
                  : m->be.ops->list(m->be.impl, m->first_err,
                                    sizeof m->first_err);
    atomic_store(&m->down, m->first_rc != 0);
    if (m->first_rc != 0)
        log_warn("engine %s at %s does not answer (%s); retrying it",
                 m->name, a.display, m->first_err);
    if ((rc = m->be.ops->start(m->be.impl)) != 0)
        return errmsg(rc, err, errlen, "engine %s: cannot start its "
                      "follower: %s", m->name, strerror(rc));
    return 0;
}

void fleet_pause(struct fleet *f, unsigned ix)
{
    struct member *m = fleet_member(f, ix);

    if (!m || atomic_load(&m->retired))
        return;
    struct follow out = member_follow(f, ix);
    m->be.ops->stop(m->be.impl);
    follow_mark_down(&out);
}

int fleet_resume(struct fleet *f, unsigned ix)
{
    struct member *m = fleet_member(f, ix);

    if (!m || atomic_load(&m->retired))
        return 0;
    /* Down: the follower asks who answers, then re-lists. */
    atomic_store(&m->down, 1);
    return m->be.ops->start(m->be.impl);
}

void fleet_retire(struct fleet *f, unsigned ix)
{
    struct member *m = fleet_member(f, ix);

    if (!m || atomic_exchange(&m->retired, 1))
        return;
    struct follow out = member_follow(f, ix);
    m->be.ops->stop(m->be.impl);
    atomic_store(&m->down, 1);
    if (follow_drop(&out) != 0)
        log_warn("out of memory dropping the containers of engine %s",
                 m->name);
    /* Its engine may join again as a new node: it is nobody's now. */
    pthread_mutex_lock(&id_lock);
    m->engine_id[0] = '\0';
    pthread_mutex_unlock(&id_lock);
}

void fleet_free(struct fleet *f)
{
    for (size_t i = 0; i < f->n; i++)
        backend_free(&f->m[i].be);
    free(f->m);
    f->m = NULL;
    f->n = 0;
    f->cap = 0;
}

struct member *fleet_member(struct fleet *f, unsigned ix)
{
    return f && ix < f->n ? &f->m[ix] : NULL;
}

static long long mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int fleet_kill_begin(struct fleet *f, unsigned ix)
{
    struct member *m = fleet_member(f, ix);
    long long since = mono_ms();
    const struct timespec pause = { 0, 5 * 1000000 };

    if (!m)
        return EIO;
    for (;;) {
        long long done;

        if (atomic_load(&m->down))
            return EIO;
        if (atomic_fetch_add(&m->kills, 1) < FLEET_KILLS_IN_FLIGHT)
            return 0;
        atomic_fetch_sub(&m->kills, 1);
        done = atomic_load(&m->kill_done_ms);
        if (mono_ms() - (done > since ? done : since) >= FLEET_KILL_STALL_MS)
            return EAGAIN;
        nanosleep(&pause, NULL);
    }
}

void fleet_kill_end(struct fleet *f, unsigned ix)
{
    struct member *m = fleet_member(f, ix);

    if (m) {
        atomic_store(&m->kill_done_ms, mono_ms());
        atomic_fetch_sub(&m->kills, 1);
    }
}

/* m's backend, for a container of engine ix; NULL (and err) when ix is
 * no member with one. */
static const struct backend *backend_of(struct fleet *f, unsigned ix,
                                        char *err, size_t errlen)
{
    struct member *m = fleet_member(f, ix);

    if (m && m->be.ops)
        return &m->be;
    errmsg(EIO, err, errlen, "engine %u is not in the mount", ix);
    return NULL;
}

int fleet_inspect(struct fleet *f, const struct container *c,
                  struct container *now, char *image_id, size_t image_id_len,
                  char *err, size_t errlen)
{
    const struct backend *be = backend_of(f, c->engine_ix, err, errlen);
    int rc;

    memset(now, 0, sizeof *now);
    if (image_id_len)
        image_id[0] = '\0';
    if (!be)
        return EIO;
    rc = be->ops->inspect(be->impl, c, now, image_id, image_id_len, err,
                          errlen);
    /* The engine does not know its name in the mount. */
    now->engine_ix = c->engine_ix;
    now->engine = c->engine;
    return rc;
}

int fleet_kill(struct fleet *f, const struct container *c,
               enum kill_action a, char *err, size_t errlen)
{
    const struct backend *be = backend_of(f, c->engine_ix, err, errlen);

    return be ? be->ops->kill(be->impl, c, a, err, errlen) : EIO;
}
