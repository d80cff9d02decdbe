/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fleet.c - the engines of one mount: names, addresses, their sync
 * threads and their kill budgets. */
#include "fleet.h"

#include <errno.h>
#include <pthread.h>
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

/* The length of a leading "NAME=" (without the '='), or 0. A URL's
 * scheme ends in ':' and a socket path starts with '/', so neither has
 * one. */
static size_t name_prefix(const char *arg)
{
    size_t i = 0;

    while (arg[i] && name_char(arg[i], i == 0))
        i++;
    return i > 0 && arg[i] == '=' ? i : 0;
}

int engine_spec_split(const struct engine_spec *spec, char *name,
                      const char **addr, char *err, size_t errlen)
{
    const char *flag = spec->kind == SPEC_CONTEXT ? "--context" : "--host";
    const char *arg = spec->arg ? spec->arg : "";
    size_t k = name_prefix(arg);

    if (k) {
        if (k > ENGINE_NAME_MAX)
            return errmsg(EINVAL, err, errlen, "bad %s '%s': an engine name "
                          "has at most %d characters", flag, arg,
                          ENGINE_NAME_MAX);
        memcpy(name, arg, k);
        name[k] = '\0';
        *addr = arg + k + 1;
        if (**addr == '\0')
            return errmsg(EINVAL, err, errlen, "bad %s '%s': nothing after "
                          "'%s='", flag, arg, name);
        return 0;
    }
    *addr = arg;
    if (*arg == '\0')
        return errmsg(EINVAL, err, errlen, "empty %s", flag);
    if (spec->kind == SPEC_HOST) {
        snprintf(name, ENGINE_NAME_MAX + 1, "%s", ENGINE_NAME_DEFAULT);
        return 0;
    }
    if (!engine_name_valid(arg, strlen(arg)))
        return errmsg(EINVAL, err, errlen, "context '%s' is not an engine "
                      "name ([A-Za-z0-9][A-Za-z0-9_.-]*, at most %d): give "
                      "--context NAME=%s", arg, ENGINE_NAME_MAX, arg);
    snprintf(name, ENGINE_NAME_MAX + 1, "%s", arg);
    return 0;
}

int engine_specs_check(const struct engine_spec *v, size_t n,
                       char *err, size_t errlen)
{
    char a[ENGINE_NAME_MAX + 1], b[ENGINE_NAME_MAX + 1];
    const char *addr;
    int rc;

    for (size_t i = 0; i < n; i++) {
        if ((rc = engine_spec_split(&v[i], a, &addr, err, errlen)) != 0)
            return rc;
        for (size_t j = 0; j < i; j++) {
            if (engine_spec_split(&v[j], b, &addr, err, errlen) == 0 &&
                strcmp(a, b) == 0)
                return errmsg(EINVAL, err, errlen, "two engines are named "
                              "'%s' ('%s' and '%s'): name each one, "
                              "--host NAME=URL or --context NAME", a,
                              v[j].arg, v[i].arg);
        }
    }
    return 0;
}

/* The address two members must not share, for messages and checks. */
static const char *where(const struct host *h)
{
    return h->unix_path ? h->unix_path : h->url_base ? h->url_base : "";
}

/* Resolves member m from spec (NULL: the CLI's own choice). */
static int build_one(struct member *m, const struct engine_spec *spec,
                     const struct docker_env *env, char *err, size_t errlen)
{
    const char *addr = NULL;
    int rc;

    if (!spec) {
        rc = context_resolve(&m->host, NULL, NULL, env, NULL, err, errlen);
        if (rc == 0)
            snprintf(m->name, sizeof m->name, "%s",
                     m->host.name && engine_name_valid(m->host.name,
                                                       strlen(m->host.name))
                     ? m->host.name : ENGINE_NAME_DEFAULT);
        return rc;
    }
    if ((rc = engine_spec_split(spec, m->name, &addr, err, errlen)) != 0)
        return rc;
    if (spec->kind == SPEC_CONTEXT)
        return context_resolve(&m->host, NULL, addr, env, NULL, err, errlen);
    return context_resolve(&m->host, addr, NULL, env, NULL, err, errlen);
}

int fleet_build(struct fleet *f, const struct options *o,
                const struct docker_env *env, char *err, size_t errlen)
{
    size_t n = o->n_engines ? o->n_engines : 1;
    int rc;

    memset(f, 0, sizeof *f);
    if ((rc = engine_specs_check(o->engines, o->n_engines, err, errlen)) != 0)
        return rc;
    if (!(f->m = calloc(n, sizeof *f->m)))
        return errmsg(ENOMEM, err, errlen, "out of memory");
    for (size_t i = 0; i < n; i++) {
        struct member *m = &f->m[i];
        rc = build_one(m, o->n_engines ? &o->engines[i] : NULL, env,
                       err, errlen);
        f->n = i + 1;   /* fleet_free frees what was built */
        if (rc != 0)
            return rc;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(where(&f->m[j].host), where(&m->host)) == 0)
                return errmsg(EINVAL, err, errlen, "engines '%s' (%s) and "
                              "'%s' (%s) are one engine at %s: every "
                              "container would be listed twice",
                              f->m[j].name, o->engines[j].kind == SPEC_CONTEXT
                              ? "--context" : "--host", m->name,
                              o->engines[i].kind == SPEC_CONTEXT
                              ? "--context" : "--host", m->host.display);
        }
    }
    return 0;
}

static int admit(void *arg, unsigned ix);

void fleet_wire(struct fleet *f, struct table *t, const struct options *o,
                const struct sync_hooks *hooks)
{
    for (size_t i = 0; i < f->n; i++) {
        struct member *m = &f->m[i];
        engine_init(&m->engine, &m->host, o->timeout);
        m->sync.engine = &m->engine;
        m->sync.table = t;
        m->sync.engine_ix = (unsigned)i;
        m->sync.engine_name = m->name;
        m->sync.filters = &o->filters;
        m->sync.all = o->all;
        m->sync.resync_s = o->resync;
        m->sync.hooks = *hooks;
        m->sync.admit = admit;
        m->sync.admit_arg = f;
    }
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

int fleet_check_ids(struct fleet *f, char *err, size_t errlen)
{
    for (size_t i = 0; i < f->n; i++) {
        struct member *m = &f->m[i];
        int j = fleet_claim_id(f, (unsigned)i, m->first_id);
        if (j >= 0)
            return errmsg(EEXIST, err, errlen, "engines '%s' (%s) and '%s' "
                          "(%s) are one engine (ID %s): every container "
                          "would be listed twice; give it once",
                          f->m[j].name, f->m[j].host.display, m->name,
                          m->host.display, m->first_id);
    }
    return 0;
}

/* sync.admit for a member that was down at start-up: its first answer
 * to GET /info decides whether it is an engine of its own. */
static int admit(void *arg, unsigned ix)
{
    struct fleet *f = arg;
    struct member *m = fleet_member(f, ix);
    char id[ENGINE_ID_MAX + 1], err[256];
    int rc, j;

    if (!m)
        return EINVAL;
    rc = engine_info_id(&m->engine, id, sizeof id, err, sizeof err);
    if (rc == EIO || rc == ETIMEDOUT || rc == ENOMEM)
        return rc;
    /* It answers but says nothing of who it is: it cannot be told
     * apart, and is followed as before. */
    if (rc != 0) {
        log_warn("engine %s at %s: %s; not checked against the others",
                 m->name, m->host.display, err);
        return 0;
    }
    if ((j = fleet_claim_id(f, ix, id)) >= 0) {
        log_err("engine %s at %s is engine %s (%s): it is not "
                "followed (ID %s), its containers are listed once, under %s",
                m->name, m->host.display, f->m[j].name, f->m[j].host.display,
                id, f->m[j].name);
        return EEXIST;
    }
    return 0;
}

static void *first_list_one(void *arg)
{
    struct member *m = arg;
    char err[256];
    int rc;

    rc = engine_info_id(&m->engine, m->first_id, sizeof m->first_id,
                        err, sizeof err);
    /* Not answering: the list would only wait as long again. */
    if (rc == EIO || rc == ETIMEDOUT || rc == ENOMEM) {
        m->first_rc = rc;
        snprintf(m->first_err, sizeof m->first_err, "%s", err);
        return NULL;
    }
    if (rc != 0)
        log_debug("engine %s at %s: %s", m->name, m->host.display, err);
    m->first_rc = sync_full(&m->sync, m->first_err, sizeof m->first_err);
    return NULL;
}

size_t fleet_first_list(struct fleet *f, int *bad_filter)
{
    pthread_t *th = f->n > 1 ? calloc(f->n, sizeof *th) : NULL;
    int *started = f->n > 1 ? calloc(f->n, sizeof *started) : NULL;
    size_t ok = 0;

    *bad_filter = 0;
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
        f->m[i].sync.down = f->m[i].first_rc != 0;
        /* Not known yet: asked who it is before its first list. */
        f->m[i].sync.need_admit = f->m[i].first_rc != 0;
        /* The engine refused our filter: a usage error, whichever. */
        if (f->m[i].first_rc == EINVAL)
            *bad_filter = 1;
    }
    free(th);
    free(started);
    return ok;
}

int fleet_start(struct fleet *f)
{
    for (size_t i = 0; i < f->n; i++) {
        int rc = sync_start(&f->m[i].sync);
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
        sync_stop(&f->m[i].sync);
}

void fleet_free(struct fleet *f)
{
    for (size_t i = 0; i < f->n; i++)
        host_free(&f->m[i].host);
    free(f->m);
    f->m = NULL;
    f->n = 0;
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

        if (m->sync.down)
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
