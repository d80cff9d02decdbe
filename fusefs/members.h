/* SPDX-License-Identifier: GPL-2.0-or-later */
/* members.h - the engine options of the command line as fleet members:
 * the name each one has in the mount and the backend that reaches it.
 *
 *   --host URL              Docker, "default"
 *   --host NAME=URL         Docker, NAME
 *   --context CTX           Docker, CTX (a docker context)
 *   --context NAME=CTX      Docker, NAME
 *   --kube [NAME=][FILE][:CONTEXT]
 *                           Kubernetes, NAME, else the context's name
 *                           (FILE empty: kubectl's chain; no CONTEXT:
 *                           its current-context)
 *   --kubeconfig FILE --kube-context CTX
 *                           Kubernetes, named after its context, else
 *                           "default"
 *   (none of them)          Docker as the docker CLI chooses, named
 *                           after its context, else "default"
 *
 * The only place that knows which kinds of backend there are; the fleet
 * takes them as opaque handles (fleet_add). */
#ifndef DOCKERFS_MEMBERS_H
#define DOCKERFS_MEMBERS_H

#include <stddef.h>
#include "context.h"
#include "fleet.h"
#include "kubeconfig.h"
#include "settings.h"

/* What the backends read from the process's environment. */
struct backend_env {
    struct docker_env docker;   /* DOCKER_HOST, DOCKER_CONTEXT, ... */
    struct kube_env kube;       /* KUBECONFIG, KUBERNETES_SERVICE_HOST... */
};

/* Fills env from getenv(); the strings belong to the environment. */
void backend_env_get(struct backend_env *env);

/* The name and address of one engine option. "--host NAME=URL" names
 * the engine NAME (a URL never has '=' before its scheme's ':');
 * "--host URL" is the engine ENGINE_NAME_DEFAULT; "--context NAME" is
 * NAME; "--kube NAME=..." is NAME, "--kube FILE..." and --kubeconfig
 * are named after their context, known once it is read: name "" here.
 * name gets ENGINE_NAME_MAX + 1 bytes; *addr points into spec->arg (the
 * URL, the context's name, FILE[:CONTEXT]; NULL for --kubeconfig).
 * Returns 0, or EINVAL with a one-line reason. */
int engine_spec_split(const struct engine_spec *spec, char *name,
                      const char **addr, char *err, size_t errlen);

/* Checks every spec splits and no two engines share a name known here
 * (a cluster named after its context has none yet: members_add's
 * fleet_add refuses its name if it is taken). Returns 0, or EINVAL with
 * a one-line reason. */
int engine_specs_check(const struct engine_spec *v, size_t n,
                       char *err, size_t errlen);

/* How many members o may make: its engine options (one when it has
 * none and no --swarm), and with --swarm room for SWARM_NODES_MAX
 * nodes. The cap for fleet_init. */
size_t members_room(const struct options *o);

/* Adds a member to f (fleet_init'ed with members_room(o)) for every
 * engine option of o, in order. Returns 0, EINVAL (a usage error: bad
 * name, duplicate name, unknown or broken context, bad address, the same
 * address twice) or ENOMEM, with a one-line reason. */
int members_add(struct fleet *f, const struct options *o,
                const struct backend_env *env, char *err, size_t errlen);

#endif
