/* SPDX-License-Identifier: GPL-2.0-or-later */
/* swarm.c - GET /nodes on a swarm manager turned into fleet members. */
#include "swarm.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "backend_docker.h"
#include "buf.h"
#include "errmsg.h"
#include "log.h"

static int alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9');
}

/* Copies v when it is a string of [A-Za-z0-9] (or also _.:- when
 * punct) that fits in len - 1 bytes; else dst is "". */
static void copy_field(char *dst, size_t len, json_t *v, int punct)
{
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    size_t n = s ? json_string_length(v) : 0;

    dst[0] = '\0';
    if (!s || n == 0 || n >= len)
        return;
    for (size_t i = 0; i < n; i++)
        if (!alnum(s[i]) && !(punct && strchr("_.:-", s[i]) && s[i]))
            return;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

int swarm_parse_nodes(const char *json, size_t len, struct swarm_node **out,
                      size_t *n)
{
    json_error_t jerr;
    json_t *root = json_loadb(json, len, 0, &jerr);
    struct swarm_node *v;
    size_t k = 0, i;
    json_t *o;

    *out = NULL;
    *n = 0;
    if (!json_is_array(root)) {
        json_decref(root);
        return EINVAL;
    }
    if (!(v = calloc(json_array_size(root) + 1, sizeof *v))) {
        json_decref(root);
        return ENOMEM;
    }
    json_array_foreach(root, i, o) {
        struct swarm_node *nd = &v[k];
        json_t *desc = json_object_get(o, "Description");
        json_t *st = json_object_get(o, "Status");
        const char *state;

        copy_field(nd->id, sizeof nd->id, json_object_get(o, "ID"), 0);
        if (!nd->id[0])
            continue;
        copy_field(nd->hostname, sizeof nd->hostname,
                   json_object_get(desc, "Hostname"), 1);
        copy_field(nd->addr, sizeof nd->addr, json_object_get(st, "Addr"), 1);
        state = json_string_value(json_object_get(st, "State"));
        nd->down = state && strcmp(state, "down") == 0;
        k++;
    }
    json_decref(root);
    *out = v;
    *n = k;
    return 0;
}

/* The field a placeholder {key} (key[0..len)) names, or NULL. */
static const char *field(const struct swarm_node *nd, const char *key,
                         size_t len)
{
    static const struct swarm_node none;

    if (!nd)
        nd = &none;
    if (len == 4 && strncmp(key, "addr", 4) == 0)
        return nd->addr;
    if (len == 8 && strncmp(key, "hostname", 8) == 0)
        return nd->hostname;
    if (len == 2 && strncmp(key, "id", 2) == 0)
        return nd->id;
    return NULL;
}

int swarm_template_check(const char *tpl, char *err, size_t errlen)
{
    const char *p;

    if (strncmp(tpl, "unix://", 7) != 0 && strncmp(tpl, "tcp://", 6) != 0)
        return errmsg(EINVAL, err, errlen, "an engine address starts with "
                      "unix:// or tcp://");
    for (p = tpl; (p = strpbrk(p, "{}")) != NULL; ) {
        size_t k = strcspn(p + 1, "{}");
        if (*p == '}' || p[1 + k] != '}')
            return errmsg(EINVAL, err, errlen, "unbalanced '%c'", *p);
        if (!field(NULL, p + 1, k))
            return errmsg(EINVAL, err, errlen, "unknown placeholder {%.*s} "
                          "({addr}, {hostname} or {id})", (int)k, p + 1);
        p += k + 2;
    }
    return 0;
}

/* An IPv6 {addr} in a tcp:// address needs brackets, or its colons read
 * as the port's: tcp://fd00::2:2376 is no address, tcp://[fd00::2]:2376
 * is. Not when the template brackets it itself. */
static int needs_brackets(const char *tpl, const char *at, const char *v,
                          size_t len)
{
    return len == 4 && strncmp(at + 1, "addr", 4) == 0 &&
           strncmp(tpl, "tcp://", 6) == 0 && strchr(v, ':') &&
           !(at > tpl && at[-1] == '[');
}

int swarm_expand(const char *tpl, const struct swarm_node *node, char *out,
                 size_t outlen)
{
    struct buf b;
    const char *p = tpl;
    char why[128];
    int rc = 0;

    if (swarm_template_check(tpl, why, sizeof why) != 0)
        return EINVAL;
    if (outlen < 2)
        return ENAMETOOLONG;
    buf_init(&b, outlen ? outlen - 1 : 0);
    while (*p && rc == 0) {
        size_t lit = strcspn(p, "{");
        rc = buf_add(&b, p, lit);
        p += lit;
        if (*p != '{' || rc != 0)
            break;
        size_t k = strcspn(p + 1, "}");
        const char *v = field(node, p + 1, k);
        if (!v || !v[0])
            rc = EINVAL;
        else if (needs_brackets(tpl, p, v, k))
            rc = buf_printf(&b, "[%s]", v);
        else
            rc = buf_add(&b, v, strlen(v));
        p += k + 2;
    }
    if (rc == E2BIG || (rc == 0 && b.len >= outlen))
        rc = ENAMETOOLONG;
    if (rc == 0)
        snprintf(out, outlen, "%s", buf_str(&b));
    buf_free(&b);
    return rc;
}

int swarm_node_name(const struct swarm_node *v, size_t n, size_t i,
                    int (*taken)(void *arg, const char *name), void *arg,
                    char *name)
{
    const char *h = v[i].hostname;
    size_t hl = strlen(h);
    int unique = engine_name_valid(h, hl);

    for (size_t j = 0; unique && j < n; j++)
        if (j != i && strcmp(v[j].hostname, h) == 0)
            unique = 0;
    if (unique && !(taken && taken(arg, h))) {
        snprintf(name, ENGINE_NAME_MAX + 1, "%s", h);
        return 0;
    }
    /* "-" and 6 characters of the ID after it. */
    if (!engine_name_valid(h, hl) || hl > ENGINE_NAME_MAX - 7)
        h = "node";
    snprintf(name, ENGINE_NAME_MAX + 1, "%s-%.6s", h, v[i].id);
    return taken && taken(arg, name) ? EEXIST : 0;
}

void swarm_diff(const struct swarm_known *k, size_t nk,
                const struct swarm_node *v, size_t nv,
                enum swarm_change *what, int *added)
{
    for (size_t j = 0; j < nv; j++)
        added[j] = 1;
    for (size_t i = 0; i < nk; i++) {
        what[i] = SWARM_GONE;
        for (size_t j = 0; j < nv; j++) {
            if (strcmp(k[i].id, v[j].id) != 0)
                continue;
            added[j] = 0;
            what[i] = v[j].down == k[i].down ? SWARM_SAME
                      : v[j].down ? SWARM_DOWN : SWARM_UP;
        }
    }
}

/* Whether a member of the fleet has this name. */
static int name_taken(void *arg, const char *name)
{
    struct fleet *f = arg;

    for (size_t j = 0; j < f->n; j++)
        if (strcmp(f->m[j].name, name) == 0)
            return 1;
    return 0;
}

static int get_nodes(struct swarm *s, struct swarm_node **v, size_t *n,
                     char *err, size_t errlen)
{
    struct buf body;
    int rc = engine_get(&s->engine, "/nodes", &body, SWARM_NODES_BODY_MAX,
                        err, errlen);

    if (rc == 0 && (rc = swarm_parse_nodes(body.data, body.len, v, n)) != 0)
        snprintf(err, errlen, rc == ENOMEM ? "out of memory"
                 : "GET /nodes: the answer is not a JSON array");
    buf_free(&body);
    return rc;
}

/* 1 the first time node id is skipped; then 0, so that a node tried
 * every poll is logged once. */
static int first_skip(struct swarm *s, const char *id)
{
    size_t n = s->nwarned < SWARM_NODES_MAX ? s->nwarned : SWARM_NODES_MAX;

    for (size_t i = 0; i < n; i++)
        if (strcmp(s->warned[i], id) == 0)
            return 0;
    snprintf(s->warned[s->nwarned++ % SWARM_NODES_MAX],
             sizeof s->warned[0], "%s", id);
    return 1;
}

/* Adds a member for v[j]; join 1: while mounted (list and start it). */
static void add_node(struct swarm *s, const struct swarm_node *v, size_t nv,
                     size_t j, int join)
{
    char name[ENGINE_NAME_MAX + 1], url[1024], err[256];
    unsigned ix;
    int rc;

    if (s->nknown >= SWARM_NODES_MAX) {
        if (first_skip(s, v[j].id))
            log_warn("swarm: node %s (%s) is skipped: the mount follows at "
                     "most %d nodes", v[j].id, v[j].hostname, SWARM_NODES_MAX);
        return;
    }
    if (swarm_node_name(v, nv, j, name_taken, s->fleet, name) != 0) {
        if (first_skip(s, v[j].id))
            log_warn("swarm: node %s is skipped: engine name %s is taken",
                     v[j].id, name);
        return;
    }
    if ((rc = swarm_expand(s->tpl, &v[j], url, sizeof url)) != 0) {
        if (first_skip(s, v[j].id))
            log_warn("swarm: node %s (%s) is skipped: --swarm-engine %s gives "
                     "no address for it (%s)", v[j].id, v[j].hostname, s->tpl,
                     rc == EINVAL ? "a placeholder's field is empty"
                                  : "too long");
        return;
    }
    struct backend be;
    memset(&be, 0, sizeof be);
    if ((rc = backend_docker_new(&be, SPEC_HOST, url, &s->env, err,
                                 sizeof err)) != 0 ||
        (rc = fleet_add(s->fleet, name, &be, FLEET_YIELDS, &ix, err,
                        sizeof err)) != 0) {
        if (first_skip(s, v[j].id))
            log_warn("swarm: node %s (%s) is skipped: %s", v[j].id,
                     v[j].hostname, err);
        return;
    }
    struct swarm_known *k = &s->known[s->nknown++];
    snprintf(k->id, sizeof k->id, "%s", v[j].id);
    k->ix = ix;
    k->down = 0;
    log_info("swarm: node %s (%s%s) is engine %s at %s", v[j].id,
             v[j].hostname, v[j].down ? ", down" : "", name, url);
    if (join && fleet_join(s->fleet, ix, err, sizeof err) != 0)
        log_warn("swarm: %s", err);
}

/* One GET /nodes, applied. */
static void poll_once(struct swarm *s)
{
    struct swarm_node *v = NULL;
    enum swarm_change *what = NULL;
    int *added = NULL;
    size_t nv = 0;
    char err[256];
    int rc = get_nodes(s, &v, &nv, err, sizeof err);

    if (rc != 0) {
        if (!s->unreachable)
            log_warn("swarm: the manager at %s does not answer GET /nodes "
                     "(%s); its nodes stay as they are, retrying",
                     s->host.display, err);
        s->unreachable = 1;
        return;
    }
    if (s->unreachable)
        log_info("swarm: the manager at %s answers again", s->host.display);
    s->unreachable = 0;
    what = calloc(s->nknown + 1, sizeof *what);
    added = calloc(nv + 1, sizeof *added);
    if (!what || !added) {
        log_warn("swarm: out of memory following the nodes");
        goto out;
    }
    swarm_diff(s->known, s->nknown, v, nv, what, added);
    for (size_t i = s->nknown; i-- > 0; ) {
        struct swarm_known *k = &s->known[i];
        struct member *m = fleet_member(s->fleet, k->ix);
        const char *name = m ? m->name : "?";
        switch (what[i]) {
        case SWARM_DOWN:
            log_warn("swarm: node %s is down: engine %s's containers are "
                     "unreachable", k->id, name);
            fleet_pause(s->fleet, k->ix);
            k->down = 1;
            break;
        case SWARM_UP:
            log_info("swarm: node %s is ready again: engine %s is re-listed",
                     k->id, name);
            fleet_resume(s->fleet, k->ix);
            k->down = 0;
            break;
        case SWARM_GONE:
            log_warn("swarm: node %s left the swarm: engine %s and its "
                     "containers are dropped", k->id, name);
            fleet_retire(s->fleet, k->ix);
            s->known[i] = s->known[--s->nknown];
            break;
        case SWARM_SAME:
            break;
        }
    }
    for (size_t j = 0; j < nv; j++)
        if (added[j])
            add_node(s, v, nv, j, 1);
out:
    free(what);
    free(added);
    free(v);
}

int swarm_init(struct swarm *s, struct fleet *f, const struct options *o,
               const struct docker_env *env, char *err, size_t errlen)
{
    struct swarm_node *v = NULL;
    size_t nv = 0;
    int rc;

    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    s->fleet = f;
    s->env = *env;
    s->tpl = o->swarm_engine ? o->swarm_engine : SWARM_ENGINE_DEFAULT;
    s->poll_s = o->swarm_poll > 0 ? o->swarm_poll : SWARM_POLL_S;
    if (!(s->known = calloc(SWARM_NODES_MAX, sizeof *s->known)))
        return errmsg(ENOMEM, err, errlen, "out of memory");
    if ((rc = context_resolve(&s->host, o->swarm, NULL, env, NULL, err,
                              errlen)) != 0)
        return rc == ENOMEM ? ENOMEM : EINVAL;
    engine_init(&s->engine, &s->host, o->timeout);
    if ((rc = get_nodes(s, &v, &nv, err, errlen)) != 0) {
        char why[256];
        snprintf(why, sizeof why, "%s", err);
        return errmsg(rc == EINVAL ? EPROTO : rc, err, errlen,
                      "swarm manager at %s: %s", s->host.display, why);
    }
    for (size_t j = 0; j < nv; j++)
        add_node(s, v, nv, j, 0);
    free(v);
    return 0;
}

static void *run(void *arg)
{
    struct swarm *s = arg;

    pthread_mutex_lock(&s->lock);
    while (!s->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        long long ns = until.tv_nsec + (long long)(s->poll_s * 1e9);
        until.tv_sec += (time_t)(ns / 1000000000LL);
        until.tv_nsec = (long)(ns % 1000000000LL);
        while (!s->stop &&
               pthread_cond_timedwait(&s->wake, &s->lock, &until) != ETIMEDOUT)
            ;
        if (s->stop)
            break;
        pthread_mutex_unlock(&s->lock);
        poll_once(s);
        pthread_mutex_lock(&s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

int swarm_start(struct swarm *s)
{
    s->stop = 0;
    if (pthread_create(&s->thread, NULL, run, s) != 0)
        return EAGAIN;
    s->started = 1;
    return 0;
}

void swarm_stop(struct swarm *s)
{
    if (!s->started)
        return;
    pthread_mutex_lock(&s->lock);
    s->stop = 1;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    s->started = 0;
}

void swarm_free(struct swarm *s)
{
    if (!s->fleet)
        return;
    host_free(&s->host);
    free(s->known);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->wake);
    memset(s, 0, sizeof *s);
}
