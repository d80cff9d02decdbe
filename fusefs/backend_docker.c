/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend_docker.c - the ops of a Docker engine, each one call into
 * engine.c or sync.c. */
#include "backend_docker.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "errmsg.h"
#include "host.h"
#include "sync.h"

struct docker {
    struct host host;
    struct engine engine;
    struct sync sync;
};

static void d_about(const void *impl, struct backend_about *a)
{
    const struct docker *d = impl;
    const struct host *h = &d->host;

    a->display = h->display ? h->display : "";
    a->where = h->unix_path ? h->unix_path : h->url_base ? h->url_base : "";
    a->context = h->name;
    /* A --host over TLS takes its certificates from DOCKER_CERT_PATH;
     * say so when it could not list. */
    a->hint = h->tls && !h->name ? " (certificates: ca.pem, cert.pem, "
              "key.pem in DOCKER_CERT_PATH)" : "";
    a->things = "containers";
}

static void d_wire(void *impl, const struct follow *out,
                   const struct options *o)
{
    struct docker *d = impl;

    engine_init(&d->engine, &d->host, o->timeout);
    d->sync.engine = &d->engine;
    d->sync.out = *out;
    d->sync.filters = &o->filters;
    d->sync.all = o->all;
    d->sync.resync_s = o->resync;
}

static int d_identity(void *impl, char *id, size_t idlen, char *err,
                      size_t errlen)
{
    struct docker *d = impl;
    return engine_info_id(&d->engine, id, idlen, err, errlen);
}

static int d_list(void *impl, char *err, size_t errlen)
{
    struct docker *d = impl;
    return sync_full(&d->sync, err, errlen);
}

static int d_start(void *impl)
{
    struct docker *d = impl;
    return sync_start(&d->sync);
}

static void d_stop(void *impl)
{
    struct docker *d = impl;
    sync_stop(&d->sync);
}

static int d_inspect(void *impl, const struct container *c,
                     struct container *now, char *image_id,
                     size_t image_id_len, char *err, size_t errlen)
{
    struct docker *d = impl;
    struct inspect_info info;
    int rc;

    memset(&info, 0, sizeof info);
    rc = engine_inspect(&d->engine, c->id, now, &info, err, errlen);
    if (image_id_len)
        snprintf(image_id, image_id_len, "%s", info.image_id);
    /* The mount's scope, on the same view as protection: a container
     * renamed out of a --filter since it was listed is not in it. */
    if (rc == 0)
        rc = sync_scope(&d->sync, now, &info, err, errlen);
    return rc;
}

static int d_kill(void *impl, const struct container *c, enum kill_action a,
                  char *err, size_t errlen)
{
    struct docker *d = impl;

    /* The pod actions, for a container: delete removes it as rm does,
     * evict stops it, the graceful one. */
    if (a == KILL_DELETE)
        a = KILL_RM;
    else if (a == KILL_EVICT)
        a = KILL_STOP;
    return engine_kill(&d->engine, c->id, a, err, errlen);
}

static void d_destroy(void *impl)
{
    struct docker *d = impl;

    host_free(&d->host);
    free(d);
}

const struct backend_ops backend_docker_ops = {
    .kind = "docker",
    .about = d_about,
    .wire = d_wire,
    .identity = d_identity,
    .list = d_list,
    .start = d_start,
    .stop = d_stop,
    .inspect = d_inspect,
    .kill = d_kill,
    .destroy = d_destroy,
};

int backend_docker_new(struct backend *b, int kind, const char *addr,
                       const struct docker_env *env, char *err,
                       size_t errlen)
{
    struct docker *d = calloc(1, sizeof *d);
    int rc;

    if (!d)
        return errmsg(ENOMEM, err, errlen, "out of memory");
    if (!addr)
        rc = context_resolve(&d->host, NULL, NULL, env, NULL, err, errlen);
    else if (kind == SPEC_CONTEXT)
        rc = context_resolve(&d->host, NULL, addr, env, NULL, err, errlen);
    else
        rc = context_resolve(&d->host, addr, NULL, env, NULL, err, errlen);
    if (rc != 0) {
        host_free(&d->host);
        free(d);
        return rc;
    }
    b->ops = &backend_docker_ops;
    b->impl = d;
    return 0;
}
