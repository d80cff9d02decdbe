/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podself.h - which pod of a cluster is the one dockerfs runs in.
 *
 * A pod's manifest hands the downward API's fields down as environment
 * variables (README, "dockerfs in a pod"):
 *
 *   env:
 *   - name: POD_UID
 *     valueFrom: {fieldRef: {fieldPath: metadata.uid}}
 *   - name: POD_NAME
 *     valueFrom: {fieldRef: {fieldPath: metadata.name}}
 *   - name: POD_NAMESPACE
 *     valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
 *
 * The uid names the pod in every cluster (a new pod under the name is
 * another one). Without it, in the cluster the pod runs in (in-cluster
 * credentials), the pod is known by its name, POD_NAME or else the host
 * name (which a pod's spec.hostname changes), in its namespace,
 * POD_NAMESPACE or else the service account's. Pure: no I/O. */
#ifndef DOCKERFS_PODSELF_H
#define DOCKERFS_PODSELF_H

#include <stddef.h>
#include "container.h"
#include "kubeconfig.h"

struct podself {
    char id[POD_ID_LEN + 1];    /* the uid's hex digits, or "" */
    char name[256];             /* "" when not known */
    char ns[256];
    const char *how;            /* "POD_UID", "POD_NAME", "the host name" */
};

/* Fills s for a cluster reached through t (its context KUBE_IN_CLUSTER:
 * the pod's own), from env's pod_uid, pod_name and pod_namespace, and
 * hostname (NULL or "": none). Returns 0, or EINVAL with a one-line
 * reason for a POD_UID that is not a uid (a manifest that means to
 * protect dockerfs and does not is said at once, not found out at the
 * kill). */
int podself_init(struct podself *s, const struct kube_target *t,
                 const struct kube_env *env, const char *hostname,
                 char *err, size_t errlen);

/* 1 if s knows which pod is ours. */
int podself_known(const struct podself *s);

/* 1 if row c (a pod) is ours. */
int podself_is(const struct podself *s, const struct container *c);

#endif
