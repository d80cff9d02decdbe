/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kube.c - requests to a Kubernetes API server. */
#include "kube.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "errmsg.h"
#include "pod.h"

/* A token file larger than this is not one. */
#define TOKEN_FILE_MAX (64u << 10)
/* The kube-system namespace's answer is a few hundred bytes. */
#define NAMESPACE_BODY_MAX (64u << 10)
/* An error answer kept for its message. */
#define ERROR_BODY_MAX (16u << 10)

void kube_api_init(struct kube_api *a, const struct kube_target *t,
                   double timeout_s)
{
    memset(a, 0, sizeof *a);
    pthread_mutex_init(&a->lock, NULL);
    a->t = t;
    a->timeout_ms = (long)(timeout_s * 1000);
    if (a->timeout_ms < 100)
        a->timeout_ms = 100;
}

void kube_api_free(struct kube_api *a)
{
    if (!a->t)
        return;
    for (size_t i = 0; i < a->npool; i++)
        curl_easy_cleanup(a->pool[i]);
    a->npool = 0;
    free(a->named_server);
    a->named_server = NULL;
    curl_slist_free_all(a->connect_to);
    a->connect_to = NULL;
    pthread_mutex_destroy(&a->lock);
    a->t = NULL;
}

void kube_release(struct kube_api *a, CURL *h)
{
    if (!h)
        return;
    pthread_mutex_lock(&a->lock);
    if (a->npool < KUBE_POOL_MAX) {
        a->pool[a->npool++] = h;
        h = NULL;
    }
    pthread_mutex_unlock(&a->lock);
    curl_easy_cleanup(h);
}

/* An idle handle of the pool, reset (its connections stay), or a new
 * one; NULL on ENOMEM. */
static CURL *take_handle(struct kube_api *a)
{
    CURL *h = NULL;

    pthread_mutex_lock(&a->lock);
    if (a->npool)
        h = a->pool[--a->npool];
    pthread_mutex_unlock(&a->lock);
    if (!h)
        return curl_easy_init();
    curl_easy_reset(h);
    return h;
}

/* "Authorization: Bearer T" for t's token (read from its file now), or
 * no header without one. Returns 0, or EACCES with a reason. */
static int auth_header(const struct kube_target *t, struct curl_slist **h,
                       char *err, size_t errlen)
{
    char line[TOKEN_FILE_MAX + 32];
    const char *token = t->token;
    char *file_token = NULL;
    struct curl_slist *l;
    FILE *f;

    if (!token && t->token_file) {
        if (!(f = fopen(t->token_file, "rb")))
            return errmsg(EACCES, err, errlen, "token file %s: %s",
                          t->token_file, strerror(errno));
        size_t n = fread(line, 1, TOKEN_FILE_MAX, f);
        fclose(f);
        line[n] = '\0';
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            return errmsg(EACCES, err, errlen, "token file %s is empty",
                          t->token_file);
        if (!(file_token = strdup(line)))
            return errmsg(ENOMEM, err, errlen, "out of memory");
        memset(line, 0, n);
        token = file_token;
    }
    if (!token)
        return 0;
    snprintf(line, sizeof line, "Authorization: Bearer %s", token);
    l = curl_slist_append(*h, line);
    memset(line, 0, sizeof line);
    if (file_token) {
        memset(file_token, 0, strlen(file_token));
        free(file_token);
    }
    if (!l)
        return errmsg(ENOMEM, err, errlen, "out of memory");
    *h = l;
    return 0;
}

/* For a tls-server-name: requests name that host (so libcurl checks the
 * certificate against it and sends it as SNI) and CONNECT_TO takes them
 * to the server's own host and port. Made once; the caller holds
 * a->lock. Returns 0, EINVAL (a server curl cannot parse) or ENOMEM. */
static int name_route(struct kube_api *a, char *err, size_t errlen)
{
    const struct kube_target *t = a->t;
    char *host = NULL, *port = NULL, *url = NULL, *entry = NULL;
    CURLU *u;
    int rc = ENOMEM;

    if (a->named_server)
        return 0;
    if (!(u = curl_url()))
        return errmsg(ENOMEM, err, errlen, "out of memory");
    if (curl_url_set(u, CURLUPART_URL, t->server, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
            CURLUE_OK ||
        curl_url_set(u, CURLUPART_HOST, t->tls_server_name, 0) !=
            CURLUE_OK ||
        curl_url_set(u, CURLUPART_PORT, port, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK) {
        rc = errmsg(EINVAL, err, errlen, "server %s with tls-server-name "
                    "%s: not a URL", t->server, t->tls_server_name);
    } else if (asprintf(&entry, "%s:%s:%s:%s", t->tls_server_name, port,
                        host, port) < 0) {
        entry = NULL;
        rc = errmsg(ENOMEM, err, errlen, "out of memory");
    } else if (!(a->connect_to = curl_slist_append(NULL, entry)) ||
               !(a->named_server = strdup(url))) {
        curl_slist_free_all(a->connect_to);
        a->connect_to = NULL;
        rc = errmsg(ENOMEM, err, errlen, "out of memory");
    } else {
        /* curl writes the root path as "/": the server has none. */
        size_t n = strlen(a->named_server);
        while (n > 8 && a->named_server[n - 1] == '/')
            a->named_server[--n] = '\0';
        rc = 0;
    }
    free(entry);
    curl_free(url);
    curl_free(port);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

/* Hands blob b to curl under option opt; the target outlives every
 * handle, so it is not copied. */
static void set_blob(CURL *h, CURLoption opt, const struct kube_blob *b)
{
    struct curl_blob cb = { b->data, b->len, CURL_BLOB_NOCOPY };
    curl_easy_setopt(h, opt, &cb);
}

int kube_handle(struct kube_api *a, const char *path, CURL **out,
                struct curl_slist **headers, char *err, size_t errlen)
{
    const struct kube_target *t = a->t;
    struct buf url;
    CURL *h;
    int rc;

    *out = NULL;
    *headers = NULL;
    const char *server = t->server;
    if (t->tls_server_name && strncmp(t->server, "https://", 8) == 0) {
        pthread_mutex_lock(&a->lock);
        rc = name_route(a, err, errlen);
        pthread_mutex_unlock(&a->lock);
        if (rc)
            return rc;
        server = a->named_server;
    }
    if ((rc = auth_header(t, headers, err, errlen)) != 0)
        return rc;
    struct curl_slist *l = curl_slist_append(*headers,
                                             "Accept: application/json");
    if (!l || !(h = take_handle(a))) {
        curl_slist_free_all(l ? l : *headers);
        *headers = NULL;
        return errmsg(ENOMEM, err, errlen, "out of memory");
    }
    *headers = l;
    buf_init(&url, 0);
    if (buf_printf(&url, "%s%s", server, path) != 0) {
        buf_free(&url);
        curl_easy_cleanup(h);
        curl_slist_free_all(*headers);
        *headers = NULL;
        return errmsg(ENOMEM, err, errlen, "out of memory");
    }
    curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
    buf_free(&url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, *headers);
    if (t->ca.len)
        set_blob(h, CURLOPT_CAINFO_BLOB, &t->ca);
    if (t->cert.len) {
        set_blob(h, CURLOPT_SSLCERT_BLOB, &t->cert);
        set_blob(h, CURLOPT_SSLKEY_BLOB, &t->key);
        curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
        curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
    }
    /* Only when the kubeconfig says so. */
    if (t->insecure) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (server != t->server)
        curl_easy_setopt(h, CURLOPT_CONNECT_TO, a->connect_to);
    /* The kubeconfig's proxy; without one libcurl's environment
     * (https_proxy, no_proxy), as kubectl. */
    if (t->proxy_url)
        curl_easy_setopt(h, CURLOPT_PROXY, t->proxy_url);
    /* Never to another host: a redirect would carry the token along. */
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "dockerfs/" DOCKERFS_VERSION);
    *out = h;
    return 0;
}

int kube_status_errno(long status)
{
    if (status >= 200 && status < 300)
        return 0;
    switch (status) {
    case 400: case 422: return EINVAL;
    case 401: case 403: return EPERM;
    case 404: return ENOENT;
    case 409: case 429: return EBUSY;
    case 410: return ESTALE;
    default:  return EIO;
    }
}

int kube_kill_errno(long status, const char *body, size_t len)
{
    char msg[256];
    int code;

    if (status != 409)
        return kube_status_errno(status);
    /* "Precondition failed: UID in precondition: X, UID in object meta:
     * Y": the name is another pod's now. */
    pod_parse_status(body, len, &code, msg, sizeof msg);
    return strstr(msg, "Precondition failed") && strstr(msg, "UID")
           ? ENOENT : EBUSY;
}

int kube_transport_errno(CURLcode rc)
{
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        return ETIMEDOUT;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
        return EKEYREJECTED;
    default:
        return EIO;
    }
}

void kube_answer_reason(long status, const char *body, size_t len, char *err,
                        size_t errlen)
{
    char msg[256];
    int code;

    pod_parse_status(body, len, &code, msg, sizeof msg);
    snprintf(err, errlen, "apiserver answered %ld%s%s", status,
             msg[0] ? ": " : "", msg);
}

/* A body as it arrives. Past the buffer's limit the transfer ends
 * (over: the caller says EMSGSIZE), or with cut the rest is dropped (an
 * answer read only for its message). */
struct sink {
    struct buf *b;
    int over, cut;
};

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t len = size * n, room = buf_room(s->b);

    if (s->over || len > room) {
        /* What fits is kept (a failed append would empty the body). */
        if (!s->over && s->cut)
            buf_add(s->b, data, room);
        s->over = 1;
        return s->cut ? len : 0;
    }
    return buf_add(s->b, data, len) == 0 ? len : 0;
}

/* Performs h (with method and body set by the caller), the answer into
 * body (at most max; with cut, the rest dropped). Returns 0 for 2xx,
 * else as kube_get. */
static int perform(const struct kube_api *a, CURL *h, struct buf *body,
                   size_t max, int cut, long *status, char *err,
                   size_t errlen)
{
    char curlerr[CURL_ERROR_SIZE] = "";
    struct sink s = { body, 0, cut };
    long st = 0;
    CURLcode rc;

    buf_init(body, max);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curlerr);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, a->timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     a->timeout_ms < 5000 ? a->timeout_ms : 5000L);
    rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &st);
    if (status)
        *status = st;
    if (s.over && !cut)
        return errmsg(EMSGSIZE, err, errlen, "%s: the answer is over %zu "
                      "bytes", a->t->server, max);
    if (rc != CURLE_OK)
        return errmsg(kube_transport_errno(rc), err, errlen, "%s: %s",
                      a->t->server,
                      curlerr[0] ? curlerr : curl_easy_strerror(rc));
    if (st < 200 || st >= 300) {
        kube_answer_reason(st, body->data, body->len, err, errlen);
        return kube_status_errno(st);
    }
    return 0;
}

int kube_get(struct kube_api *a, const char *path, struct buf *body,
             size_t max, long *status, char *err, size_t errlen)
{
    struct curl_slist *headers;
    CURL *h;
    int rc;

    if (status)
        *status = 0;
    if ((rc = kube_handle(a, path, &h, &headers, err, errlen)) != 0) {
        buf_init(body, max);
        return rc;
    }
    rc = perform(a, h, body, max, 0, status, err, errlen);
    kube_release(a, h);
    curl_slist_free_all(headers);
    return rc;
}

/* A body handed on as it arrives (2xx), or kept for its reason. */
struct each {
    CURL *h;
    long status;
    int (*fn)(const char *, size_t, void *);
    void *arg;
    int rc;                     /* what fn said */
    struct buf errbody;
};

static size_t each_write(char *data, size_t size, size_t n, void *arg)
{
    struct each *e = arg;

    if (!e->status)
        curl_easy_getinfo(e->h, CURLINFO_RESPONSE_CODE, &e->status);
    if (e->status < 200 || e->status >= 300) {
        /* What fits of its start (a failed append would empty it). */
        size_t room = buf_room(&e->errbody);
        buf_add(&e->errbody, data, size * n < room ? size * n : room);
        return size * n;
    }
    return (e->rc = e->fn(data, size * n, e->arg)) ? 0 : size * n;
}

int kube_get_each(struct kube_api *a, const char *path,
                  int (*fn)(const char *data, size_t len, void *arg),
                  void *arg, char *err, size_t errlen)
{
    char curlerr[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers;
    struct each e = { .fn = fn, .arg = arg };
    CURLcode cc;
    int rc;

    if ((rc = kube_handle(a, path, &e.h, &headers, err, errlen)) != 0)
        return rc;
    buf_init(&e.errbody, ERROR_BODY_MAX);
    curl_easy_setopt(e.h, CURLOPT_WRITEFUNCTION, each_write);
    curl_easy_setopt(e.h, CURLOPT_WRITEDATA, &e);
    curl_easy_setopt(e.h, CURLOPT_ERRORBUFFER, curlerr);
    curl_easy_setopt(e.h, CURLOPT_TIMEOUT_MS, a->timeout_ms);
    curl_easy_setopt(e.h, CURLOPT_CONNECTTIMEOUT_MS,
                     a->timeout_ms < 5000 ? a->timeout_ms : 5000L);
    cc = curl_easy_perform(e.h);
    if (!e.status)
        curl_easy_getinfo(e.h, CURLINFO_RESPONSE_CODE, &e.status);
    if (e.rc)
        rc = e.rc;
    else if (cc != CURLE_OK)
        rc = errmsg(kube_transport_errno(cc), err, errlen, "%s: %s",
                    a->t->server, curlerr[0] ? curlerr
                                             : curl_easy_strerror(cc));
    else if (e.status < 200 || e.status >= 300) {
        kube_answer_reason(e.status, e.errbody.data, e.errbody.len, err,
                           errlen);
        rc = kube_status_errno(e.status);
    }
    buf_free(&e.errbody);
    kube_release(a, e.h);
    curl_slist_free_all(headers);
    return rc;
}

int kube_identity(struct kube_api *a, char *id, size_t idlen,
                  char *err, size_t errlen)
{
    char uid[POD_UID_LEN + 1];
    struct buf body;
    int rc = kube_get(a, "/api/v1/namespaces/kube-system", &body,
                      NAMESPACE_BODY_MAX, NULL, err, errlen);

    if (idlen)
        id[0] = '\0';
    if (rc == 0 && pod_parse_namespace_uid(body.data, body.len, uid,
                                           sizeof uid) != 0)
        rc = errmsg(EPROTO, err, errlen, "%s: the kube-system namespace "
                    "has no uid", a->t->server);
    else if (rc == 0)
        snprintf(id, idlen, "kube-system/%s", uid);
    else if (rc != EIO && rc != ETIMEDOUT && rc != ENOMEM &&
             rc != EKEYREJECTED && rc != EPERM)
        rc = EPROTO;
    buf_free(&body);
    return rc;
}

char *kube_pod_path(const char *ns, const char *name, const char *suffix)
{
    char *ens = curl_easy_escape(NULL, ns, 0);
    char *ename = curl_easy_escape(NULL, name, 0);
    char *path = NULL;

    /* "." and ".." are not escaped by curl but would move up a level. */
    if (ens && ename && strcmp(ns, ".") && strcmp(ns, "..") &&
        strcmp(name, ".") && strcmp(name, "..") &&
        asprintf(&path, "/api/v1/namespaces/%s/pods/%s%s", ens, ename,
                 suffix ? suffix : "") < 0)
        path = NULL;
    curl_free(ens);
    curl_free(ename);
    return path;
}

int kube_kill_pod(struct kube_api *a, const char *ns, const char *name,
                  const char *uid, enum kube_kill how, long grace,
                  char *err, size_t errlen)
{
    char id[POD_ID_LEN + 1], opts[256], *path, *body = NULL;
    struct curl_slist *headers = NULL, *l;
    struct buf answer;
    long status = 0;
    int rc;

    if (pod_id_from_uid(uid, strlen(uid), id) != 0)
        return errmsg(EINVAL, err, errlen, "bad uid");
    if (grace == KUBE_GRACE_OWN)
        snprintf(opts, sizeof opts, "\"preconditions\":{\"uid\":\"%s\"}",
                 uid);
    else
        snprintf(opts, sizeof opts, "\"preconditions\":{\"uid\":\"%s\"},"
                 "\"gracePeriodSeconds\":%ld", uid, grace);
    path = kube_pod_path(ns, name, how == KUBE_EVICT ? "/eviction" : NULL);
    if (!path)
        return errmsg(ENOMEM, err, errlen, "bad pod name, or out of memory");
    /* The name and namespace go into JSON: escaped by jansson. */
    json_t *meta = json_pack("{s:s, s:s}", "name", name, "namespace", ns);
    char *metas = meta ? json_dumps(meta, JSON_COMPACT) : NULL;
    json_decref(meta);
    if (metas &&
        (how == KUBE_EVICT
         ? asprintf(&body, "{\"apiVersion\":\"policy/v1beta1\",\"kind\":"
                    "\"Eviction\",\"metadata\":%s,\"deleteOptions\":{%s}}",
                    metas, opts)
         : asprintf(&body, "{\"apiVersion\":\"v1\",\"kind\":"
                    "\"DeleteOptions\",%s}", opts)) < 0)
        body = NULL;
    free(metas);
    CURL *h = NULL;
    rc = body ? kube_handle(a, path, &h, &headers, err, errlen)
              : errmsg(ENOMEM, err, errlen, "out of memory");
    free(path);
    if (rc) {
        free(body);
        return rc;
    }
    if (!(l = curl_slist_append(headers, "Content-Type: application/json"))) {
        rc = errmsg(ENOMEM, err, errlen, "out of memory");
    } else {
        headers = l;
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        if (how == KUBE_DELETE)
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
        rc = perform(a, h, &answer, ERROR_BODY_MAX, 1, &status, err, errlen);
        if (status && rc)
            rc = kube_kill_errno(status, answer.data, answer.len);
        buf_free(&answer);
    }
    kube_release(a, h);
    curl_slist_free_all(headers);
    free(body);
    return rc;
}
