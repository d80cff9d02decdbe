/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend_kube.h - a Kubernetes cluster as a backend: its pods as rows.
 *
 *   identity  GET /api/v1/namespaces/kube-system: its uid, the same
 *             whatever address reaches the cluster
 *   list      GET /api/v1[/namespaces/NS]/pods?limit=250 (continue...),
 *             with --filter label=... as labelSelector and, without
 *             --all, status.phase!=Succeeded,!=Failed as fieldSelector
 *   follower  one thread: a watch per namespace (all of them: one) from
 *             the list's resourceVersion, with bookmarks; 410 Gone
 *             (HTTP or an ERROR event) re-lists; a watch the server
 *             ends is opened again from the last resourceVersion; a lost
 *             server marks the rows unreachable, and when it is back its
 *             identity is checked (follow.admit) and it is re-listed
 *   inspect   GET /api/v1/namespaces/NS/pods/NAME: another uid under
 *             the name is ENOENT (the pod asked for is gone)
 *   kill      DELETE of it with its uid as precondition, or its
 *             eviction (kube.h)
 *
 * kube.c makes the requests, pod.c reads the answers, kubeconfig.c
 * finds the cluster. */
#ifndef DOCKERFS_BACKEND_KUBE_H
#define DOCKERFS_BACKEND_KUBE_H

#include "backend.h"
#include "kubeconfig.h"

extern const struct backend_ops backend_kube_ops;

/* Pods asked for per page of a list. */
#define KUBE_LIST_LIMIT 250
/* One page's answer larger than this fails the list. */
#define KUBE_PAGE_MAX (64u << 20)

/* The cluster of kubeconfig file (NULL: kubectl's chain) and context
 * (NULL: current-context), the namespaces to follow (n 0: all of them).
 * Fills b; *context (may be NULL) is the context's name, valid as long
 * as b. Returns 0, or kubeconfig_resolve's code (ENOENT, EINVAL: a usage
 * error; ENOMEM) with a one-line reason. */
int backend_kube_new(struct backend *b, const char *file, const char *context,
                     const char *const *namespaces, size_t n,
                     const struct kube_env *env, const char **ctx_name,
                     char *err, size_t errlen);

#endif
