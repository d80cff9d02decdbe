/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kube.h - the Kubernetes API over HTTPS: what dockerfs asks a cluster.
 *
 *   GET    /api/v1/namespaces/kube-system              identity
 *   GET    /api/v1[/namespaces/NS]/pods?limit=..       list (paged)
 *   GET    ...pods?watch=1&resourceVersion=RV&allowWatchBookmarks=true
 *   GET    /api/v1/namespaces/NS/pods/NAME             protect re-check
 *   DELETE /api/v1/namespaces/NS/pods/NAME             kill, with the
 *          {"preconditions":{"uid":UID},...}           pod's uid: a new
 *                                                      pod of that name
 *                                                      is never hit
 *   POST   .../pods/NAME/eviction                      --kill-action evict
 *
 * Every request has a curl handle to itself (an idle one of the pool,
 * with its open connection, or a new one): a libcurl handle is used by
 * one thread at a time (a watch's by its follower alone). Credentials
 * stay in memory: the CA, client certificate and key are handed to curl
 * as blobs, never written to a file; a token file is read at every
 * request (the kubelet rotates projected tokens). */
#ifndef DOCKERFS_KUBE_H
#define DOCKERFS_KUBE_H

#include <pthread.h>
#include <stddef.h>
#include <curl/curl.h>
#include "buf.h"
#include "kubeconfig.h"

/* Idle handles kept with their open connections: a kill's re-check and
 * its DELETE go over one connection (one TLS handshake, not two). */
#define KUBE_POOL_MAX 8

struct kube_api {
    const struct kube_target *t;
    long timeout_ms;            /* a whole request but a watch */
    pthread_mutex_t lock;       /* the pool's */
    CURL *pool[KUBE_POOL_MAX];  /* idle handles, each used by one thread
                                   at a time */
    size_t npool;
    /* With t->tls_server_name (made once, under lock): the server's URL
     * with that name for its host, and curl's CONNECT_TO entry sending
     * it to the real host and port. */
    char *named_server;
    struct curl_slist *connect_to;
};

/* Kills and evictions: the grace period given, or the pod's own. */
#define KUBE_GRACE_OWN (-1)

/* How a pod is killed. */
enum kube_kill { KUBE_DELETE, KUBE_EVICT };

/* An API client of target t (not copied: it outlives a), with no handle
 * yet; timeout_s bounds each request but a watch (at least 0.1 s). */
void kube_api_init(struct kube_api *a, const struct kube_target *t,
                   double timeout_s);

/* Closes the pool's handles and connections; the target is its owner's
 * (a->t is only forgotten). A second call does nothing. */
void kube_api_free(struct kube_api *a);

/* Hands h (from kube_handle, its transfer over) back: kept idle with its
 * connection for the next request, or cleaned up when the pool is full.
 * A watch's handle is cleaned up by its owner instead. */
void kube_release(struct kube_api *a, CURL *h);

/* A handle for path (starting with "/"; query included) into *h (an
 * idle one of the pool when there is one), with the TLS and credentials
 * of a->t set, no timeout. *headers
 * (curl_slist_free_all it after the transfer) holds the Authorization
 * header. Returns 0, EACCES (a token file that cannot be read), EINVAL
 * (a server that is no URL curl can put a tls-server-name in) or ENOMEM,
 * with a reason. */
int kube_handle(struct kube_api *a, const char *path, CURL **h,
                struct curl_slist **headers, char *err, size_t errlen);

/* GET path, its body (at most max bytes) into body (initialised here;
 * buf_free it whatever the result). Returns 0 for a 2xx answer, else
 * kube_status_errno of the status or a transport errno, EMSGSIZE (over
 * max), or kube_handle's error, with a one-line reason
 * (kube_answer_reason). *status (may be NULL) is the HTTP status, 0
 * without an answer. */
int kube_get(struct kube_api *a, const char *path, struct buf *body,
             size_t max, long *status, char *err, size_t errlen);

/* GET path, each chunk of a 2xx answer's body handed to fn(data, len,
 * arg) as it arrives (a non-zero return ends the transfer and is
 * returned), so a list never waits whole in memory. Returns 0, fn's
 * value, kube_status_errno of another status (its body kept only for
 * the reason), a transport errno or kube_handle's error, with a
 * one-line reason (fn's errors: whatever fn said). */
int kube_get_each(struct kube_api *a, const char *path,
                  int (*fn)(const char *data, size_t len, void *arg),
                  void *arg, char *err, size_t errlen);

/* The cluster's identity: the uid of its kube-system namespace,
 * "kube-system/UID" into id. Returns 0, a transport errno (it does not
 * answer: EIO, ETIMEDOUT, EKEYREJECTED), ENOMEM, EPERM (a role without
 * get on that namespace) or EPROTO for anything else (no uid, another
 * status, a token file that cannot be read), with a one-line reason:
 * the fleet follows an EPERM or EPROTO cluster unchecked. */
int kube_identity(struct kube_api *a, char *id, size_t idlen,
                  char *err, size_t errlen);

/* The path of a pod: /api/v1/namespaces/NS/pods/NAME[suffix], NS and
 * NAME percent-escaped (a hostile name holding "/" or ".." stays one
 * segment). NULL on ENOMEM, and for an NS or NAME "." or ".." (curl
 * leaves them as they are; no pod is called so); free it. */
char *kube_pod_path(const char *ns, const char *name, const char *suffix);

/* Deletes (KUBE_DELETE) or evicts (KUBE_EVICT) pod ns/name whose uid is
 * uid (8-4-4-4-12), with grace seconds (KUBE_GRACE_OWN: the pod's own).
 * Returns 0, kube_kill_errno of the answer, a transport errno, EINVAL
 * (bad uid), ENOMEM (also for a name kube_pod_path refuses) or
 * kube_handle's error, with a one-line reason. */
int kube_kill_pod(struct kube_api *a, const char *ns, const char *name,
                  const char *uid, enum kube_kill how, long grace,
                  char *err, size_t errlen);

/* The errno of an answer's status: 2xx -> 0, 400/422 -> EINVAL,
 * 401/403 -> EPERM, 404 -> ENOENT, 409 -> EBUSY, 410 -> ESTALE,
 * 429 -> EBUSY, anything else -> EIO. */
int kube_status_errno(long status);

/* For a kill: kube_status_errno, but a 409 that is the uid
 * precondition failing (the pod of that name is another one now) is
 * ENOENT: the pod asked for is gone. */
int kube_kill_errno(long status, const char *body, size_t len);

/* The errno for a failed transfer: ETIMEDOUT or EIO; a certificate the
 * server or we cannot verify (CA, client certificate) is EKEYREJECTED. */
int kube_transport_errno(CURLcode rc);

/* "apiserver answered STATUS: MESSAGE" into err, the message from the
 * Status body, escaped. */
void kube_answer_reason(long status, const char *body, size_t len, char *err,
                        size_t errlen);

#endif
