/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podself.c - which pod of a cluster is the one dockerfs runs in. */
#include "podself.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "errmsg.h"

static int set(const char *s)
{
    return s && *s;
}

int podself_init(struct podself *s, const struct kube_target *t,
                 const struct kube_env *env, const char *hostname,
                 char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    if (set(env->pod_uid)) {
        if (pod_id_from_uid(env->pod_uid, strlen(env->pod_uid), s->id) != 0)
            return errmsg(EINVAL, err, errlen, "POD_UID '%.64s' is not a pod "
                          "uid (8-4-4-4-12 hex digits: the downward API's "
                          "metadata.uid)", env->pod_uid);
        s->how = "POD_UID";
        return 0;
    }
    /* A name is only known to be ours in the cluster the pod runs in. */
    if (!t->context || strcmp(t->context, KUBE_IN_CLUSTER) != 0)
        return 0;
    if (set(env->pod_name)) {
        snprintf(s->name, sizeof s->name, "%s", env->pod_name);
        s->how = "POD_NAME";
    } else if (set(hostname)) {
        snprintf(s->name, sizeof s->name, "%s", hostname);
        s->how = "the host name";
    }
    if (set(env->pod_namespace))
        snprintf(s->ns, sizeof s->ns, "%s", env->pod_namespace);
    else if (set(t->namespace))
        snprintf(s->ns, sizeof s->ns, "%s", t->namespace);
    if (!s->ns[0])
        s->name[0] = '\0';
    return 0;
}

int podself_known(const struct podself *s)
{
    return s->id[0] || s->name[0];
}

int podself_is(const struct podself *s, const struct container *c)
{
    if (!c->ns)
        return 0;
    if (s->id[0])
        return strcmp(c->id, s->id) == 0;
    return s->name[0] && c->name && strcmp(c->ns, s->ns) == 0 &&
           strcmp(c->name, s->name) == 0;
}
