/* SPDX-License-Identifier: GPL-2.0-or-later */
/* members.c - the engine options as named backends. */
#include "members.h"

#include <errno.h>
#include <string.h>
#include "backend_docker.h"
#include "errmsg.h"
#include "swarm.h"

void backend_env_get(struct backend_env *env)
{
    docker_env_get(&env->docker);
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

size_t members_room(const struct options *o)
{
    /* With --swarm and nothing else, the nodes are the whole fleet. */
    size_t n = o->n_engines ? o->n_engines : o->swarm ? 0 : 1;

    return n + (o->swarm ? SWARM_NODES_MAX : 0);
}

/* The member of spec (NULL: the docker CLI's own choice). */
static int add_one(struct fleet *f, const struct engine_spec *spec,
                   const struct backend_env *env, char *err, size_t errlen)
{
    char name[ENGINE_NAME_MAX + 1];
    const char *addr = NULL;
    struct backend be;
    struct backend_about a;
    int rc;

    if (spec && (rc = engine_spec_split(spec, name, &addr, err,
                                        errlen)) != 0)
        return rc;
    memset(&be, 0, sizeof be);
    if ((rc = backend_docker_new(&be, spec ? spec->kind : SPEC_HOST, addr,
                                 &env->docker, err, errlen)) != 0)
        return rc == ENOMEM ? ENOMEM : EINVAL;
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
        return add_one(f, NULL, env, err, errlen);
    for (size_t i = 0; i < o->n_engines; i++)
        if ((rc = add_one(f, &o->engines[i], env, err, errlen)) != 0)
            return rc;
    return 0;
}
