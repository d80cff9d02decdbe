/* SPDX-License-Identifier: GPL-2.0-or-later */
/* members.c - the engine options as named backends. */
#include "members.h"

#include <errno.h>
#include <string.h>
#include "backend_docker.h"
#include "backend_kube.h"
#include "errmsg.h"
#include "swarm.h"

void backend_env_get(struct backend_env *env)
{
    docker_env_get(&env->docker);
    kube_env_get(&env->kube);
}

/* The length of a leading "NAME=" (without the '='), or 0: NAME is
 * [A-Za-z0-9][A-Za-z0-9_.-]*. A URL's scheme ends in ':' and a socket
 * path starts with '/', so neither has one. */
static size_t name_prefix(const char *arg)
{
    size_t i = strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                           "vwxyz0123456789_.-");

    if (i == 0 || arg[i] != '=' || strchr("_.-", arg[0]))
        return 0;
    return i;
}

/* The flag a spec was given with, for messages. */
static const char *spec_flag(const struct engine_spec *spec)
{
    switch (spec->kind) {
    case SPEC_CONTEXT: return "--context";
    case SPEC_KUBE: return "--kube";
    case SPEC_KUBECONFIG: return "--kubeconfig";
    default: return "--host";
    }
}

int engine_spec_split(const struct engine_spec *spec, char *name,
                      const char **addr, char *err, size_t errlen)
{
    const char *flag = spec_flag(spec);
    const char *arg = spec->arg ? spec->arg : "";
    size_t k = name_prefix(arg);

    name[0] = '\0';
    if (spec->kind == SPEC_KUBECONFIG) {
        *addr = NULL;
        return 0;
    }
    if (spec->kind == SPEC_KUBE && !k) {
        *addr = arg;
        return *arg ? 0 : errmsg(EINVAL, err, errlen, "empty --kube");
    }
    if (k) {
        if (k > ENGINE_NAME_MAX)
            return errmsg(EINVAL, err, errlen, "bad %s '%s': an engine name "
                          "has at most %d characters", flag, arg,
                          ENGINE_NAME_MAX);
        memcpy(name, arg, k);
        name[k] = '\0';
        *addr = arg + k + 1;
        if (**addr == '\0' && spec->kind != SPEC_KUBE)
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
            if (a[0] &&
                engine_spec_split(&v[j], b, &addr, err, errlen) == 0 &&
                strcmp(a, b) == 0)
                return errmsg(EINVAL, err, errlen, "two engines are named "
                              "'%s' ('%s' and '%s'): name each one, "
                              "--host NAME=URL or --context NAME", a,
                              v[j].arg, v[i].arg);
        }
    }
    return 0;
}

size_t members_room(const struct options *o)
{
    /* With --swarm and nothing else, the nodes are the whole fleet. */
    size_t n = o->n_engines ? o->n_engines : o->swarm ? 0 : 1;

    return n + (o->swarm ? SWARM_NODES_MAX : 0);
}

/* The backend of a cluster option: addr is [FILE][:CONTEXT] (split at
 * the first ':'; context names hold ':' more often than paths do), or
 * NULL for --kubeconfig/--kube-context. *ctx is its context's name. */
static int kube_backend(struct backend *be, const char *addr,
                        const struct options *o, const struct backend_env *env,
                        const char **ctx, char *err, size_t errlen)
{
    const char *file = o->kubeconfig, *context = o->kube_context;
    char *own_file = NULL;
    int rc;

    if (addr) {
        const char *colon = strchr(addr, ':');
        size_t flen = colon ? (size_t)(colon - addr) : strlen(addr);
        if (flen && !(own_file = strndup(addr, flen)))
            return errmsg(ENOMEM, err, errlen, "out of memory");
        file = own_file;
        context = colon && colon[1] ? colon + 1 : NULL;
    }
    rc = backend_kube_new(be, file, context, o->namespaces, o->n_namespaces,
                          &env->kube, ctx, err, errlen);
    free(own_file);
    return rc;
}

/* The member of spec (NULL: the docker CLI's own choice). */
static int add_one(struct fleet *f, const struct engine_spec *spec,
                   const struct options *o, const struct backend_env *env,
                   char *err, size_t errlen)
{
    char name[ENGINE_NAME_MAX + 1] = "";
    const char *addr = NULL, *ctx = NULL;
    struct backend be;
    struct backend_about a;
    int rc;

    if (spec && (rc = engine_spec_split(spec, name, &addr, err,
                                        errlen)) != 0)
        return rc;
    memset(&be, 0, sizeof be);
    if (spec && (spec->kind == SPEC_KUBE || spec->kind == SPEC_KUBECONFIG)) {
        if ((rc = kube_backend(&be, addr, o, env, &ctx, err, errlen)) != 0)
            return rc == ENOMEM ? ENOMEM : EINVAL;
        if (!name[0] && engine_name_valid(ctx, strlen(ctx))) {
            snprintf(name, sizeof name, "%s", ctx);
        } else if (!name[0] && spec->kind == SPEC_KUBECONFIG) {
            snprintf(name, sizeof name, "%s", ENGINE_NAME_DEFAULT);
        } else if (!name[0]) {
            rc = errmsg(EINVAL, err, errlen, "context '%s' is not an "
                        "engine name ([A-Za-z0-9][A-Za-z0-9_.-]*, at most "
                        "%d): give --kube NAME=%s", ctx, ENGINE_NAME_MAX,
                        addr);
            backend_free(&be);
            return rc;
        }
    } else if ((rc = backend_docker_new(&be, spec ? spec->kind : SPEC_HOST,
                                        addr, &env->docker, err,
                                        errlen)) != 0) {
        return rc == ENOMEM ? ENOMEM : EINVAL;
    }
    if (!spec) {
        be.ops->about(be.impl, &a);
        snprintf(name, sizeof name, "%s",
                 a.context && engine_name_valid(a.context, strlen(a.context))
                 ? a.context : ENGINE_NAME_DEFAULT);
    }
    rc = fleet_add(f, name, &be, 0, NULL, err, errlen);
    return rc == 0 || rc == ENOMEM ? rc : EINVAL;
}

int members_add(struct fleet *f, const struct options *o,
                const struct backend_env *env, char *err, size_t errlen)
{
    int rc;

    if ((rc = engine_specs_check(o->engines, o->n_engines, err, errlen)) != 0)
        return rc;
    if (!o->n_engines && !o->swarm)
        return add_one(f, NULL, o, env, err, errlen);
    for (size_t i = 0; i < o->n_engines; i++)
        if ((rc = add_one(f, &o->engines[i], o, env, err, errlen)) != 0)
            return rc;
    return 0;
}
