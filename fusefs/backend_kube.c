/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend_kube.c - the ops of a Kubernetes cluster, and its follower:
 * list, then watch, never poll. */
#include "backend_kube.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "errmsg.h"
#include "escape.h"
#include "kube.h"
#include "lines.h"
#include "log.h"
#include "pod.h"
#include "podself.h"
#include "skipped.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 1000
/* A watch line longer than this was cut (lines.h): what it said is
 * lost, so the pods are listed again. */
#define WATCH_LINE_MAX (2 * POD_JSON_MAX)
/* A watch that lives shorter than this before the server ends it is
 * not opened again at once. */
#define WATCH_SHORT_S 1.0

/* One namespace followed (ns NULL: all of them), and its watch. */
struct kns {
    struct kube *k;
    char *ns;
    char rv[POD_RV_MAX + 1];    /* where its watch goes on from */
    char next_rv[POD_RV_MAX + 1];   /* of the list being read */
    CURL *h;
    struct curl_slist *headers;
    long status;
    struct lines lines;
    struct buf errbody;         /* an answer other than 200 */
};

struct kube {
    struct kube_target t;
    struct kube_api api;
    struct follow out;
    const struct options *o;    /* --filter, --all: the mount's scope */
    char *query;                /* "&labelSelector=...&fieldSelector=..." */
    struct kns *nss;
    size_t nns;
    long grace;                 /* --grace-period, or KUBE_GRACE_OWN */
    char display[512];
    /* The pod dockerfs runs in: never killed. */
    struct podself self;
    /* The follower. */
    pthread_t thread;
    int started;
    atomic_int stop;
    CURLM *multi;
    int relist;                 /* the watch cannot go on: list again */
    int watch_warned;           /* a refused watch was logged: once until
                                   one lives again */
    int capped_warned;          /* "more pods than shown" was logged */
    int list_full;              /* the list being read holds the share */
};

/* Outcomes of following the watches until one of them ends. */
enum watch_end { WATCH_STOP, WATCH_GONE, WATCH_ENDED, WATCH_LOST };

static pthread_mutex_t trim_lock = PTHREAD_MUTEX_INITIALIZER;

static double now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *member_name(const struct kube *k)
{
    return follow_engine_name(&k->out);
}

/* Marks the rows v[0..n) that are our own pod (container.own): the
 * protected file says 1, and the kill path refuses it as listed. */
static void mark_own(const struct kube *k, struct container *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i].own = podself_is(&k->self, &v[i]);
}

/* ------------------------------------------------------------ options */

/* Appends "&key=" and v escaped to *q. Returns 0 or ENOMEM. */
static int add_param(struct buf *q, const char *key, const char *v)
{
    char *e = curl_easy_escape(NULL, v, 0);
    int rc = e ? buf_printf(q, "&%s=%s", key, e) : ENOMEM;

    curl_free(e);
    return rc;
}

/* The query every list and watch carries: --filter label=K[=V] as a
 * label selector (every one must match, as the engine's label filter),
 * and without --all the pods still alive. */
static char *make_query(const struct options *o)
{
    struct buf sel, q;
    int rc = 0;

    buf_init(&sel, 0);
    buf_init(&q, 0);
    for (size_t i = 0; !rc && i < o->filters.n; i++)
        if (strcmp(o->filters.v[i].key, "label") == 0)
            rc = buf_printf(&sel, "%s%s", sel.len ? "," : "",
                            o->filters.v[i].value);
    if (!rc && sel.len)
        rc = add_param(&q, "labelSelector", buf_str(&sel));
    if (!rc && !o->all)
        rc = add_param(&q, "fieldSelector",
                       "status.phase!=Succeeded,status.phase!=Failed");
    if (!rc)
        rc = buf_add(&q, "", 0);
    buf_free(&sel);
    if (rc) {
        buf_free(&q);
        return NULL;
    }
    char *s = strdup(buf_str(&q));
    buf_free(&q);
    return s;
}

/* "/api/v1/pods" or "/api/v1/namespaces/NS/pods" into b. */
static int pods_path(struct buf *b, const struct kns *n)
{
    char *e;
    int rc;

    if (!n->ns)
        return buf_printf(b, "/api/v1/pods");
    if (!(e = curl_easy_escape(NULL, n->ns, 0)))
        return ENOMEM;
    rc = buf_printf(b, "/api/v1/namespaces/%s/pods", e);
    curl_free(e);
    return rc;
}

/* --------------------------------------------------------------- list */

/* Appends the rows of page to *v (moved; the page is emptied). */
static int take_rows(struct container **v, size_t *n, size_t *cap,
                     struct pod_page *page)
{
    if (!page->n)
        return 0;
    if (*n + page->n > *cap) {
        size_t c = *cap ? *cap : 256;
        while (c < *n + page->n)
            c *= 2;
        struct container *nv = realloc(*v, c * sizeof *nv);
        if (!nv)
            return ENOMEM;
        *v = nv;
        *cap = c;
    }
    memcpy(*v + *n, page->v, page->n * sizeof *page->v);
    *n += page->n;
    free(page->v);
    page->v = NULL;
    page->n = 0;
    return 0;
}

/* The list holds an engine's share: said once; the rest of the list
 * is not read. */
static void said_full(struct kube *k, size_t n)
{
    k->list_full = 1;
    if (!k->capped_warned)
        log_warn("cluster %s lists more pods than one engine may show (%d, "
                 "or %u MiB of text): the mount shows %zu", member_name(k),
                 ENGINE_CONTAINERS_MAX, ENGINE_BYTES_MAX >> 20, n);
    k->capped_warned = 1;
}

/* Hands a chunk of a list to its parser. */
static int feed_list(const char *data, size_t len, void *arg)
{
    return pod_list_feed(arg, data, len);
}

/* Lists namespace ns page by page into *v (each page parsed as it
 * arrives), up to the share sh; its resourceVersion into ns->next_rv.
 * Returns 0 or an errno with a reason. */
static int list_ns(struct kube *k, struct kns *ns, struct container **v,
                   size_t *n, size_t *cap, struct pod_share *sh, char *err,
                   size_t errlen)
{
    char cont[POD_CONTINUE_MAX + 1] = "";
    int rc = 0;

    do {
        struct pod_list_parser lp;
        struct pod_page page;
        struct buf path;

        buf_init(&path, 0);
        rc = pods_path(&path, ns);
        if (!rc)
            rc = buf_printf(&path, "?limit=%d%s", KUBE_LIST_LIMIT, k->query);
        if (!rc && cont[0])
            rc = add_param(&path, "continue", cont);
        if (rc) {
            buf_free(&path);
            return errmsg(ENOMEM, err, errlen, "out of memory");
        }
        pod_list_init(&lp, sh);
        lp.on_skip = skipped_log;
        rc = kube_get_each(&k->api, buf_str(&path), feed_list, &lp, err,
                           errlen);
        buf_free(&path);
        if (rc == 0)
            rc = pod_list_finish(&lp, &page);
        pod_list_free(&lp);
        if (rc == EINVAL)
            return errmsg(EPROTO, err, errlen, "%s: the answer is not a pod "
                          "list", k->t.server);
        if (rc == ENOMEM)
            return errmsg(ENOMEM, err, errlen, "out of memory");
        if (rc)
            return rc;
        snprintf(ns->next_rv, sizeof ns->next_rv, "%s", page.rv);
        snprintf(cont, sizeof cont, "%s", page.cont);
        rc = take_rows(v, n, cap, &page);
        int full = page.full;
        pod_page_free(&page);
        if (rc)
            return errmsg(ENOMEM, err, errlen, "out of memory");
        if (full) {
            said_full(k, *n);
            return 0;
        }
    } while (cont[0]);
    return 0;
}

static int k_list(void *impl, char *err, size_t errlen)
{
    struct kube *k = impl;
    struct container *v = NULL;
    struct pod_share sh = { ENGINE_CONTAINERS_MAX, ENGINE_BYTES_MAX, 0, 0 };
    size_t n = 0, cap = 0;
    int rc = 0;

    for (size_t i = 0; !rc && i < k->nns && !k->list_full; i++)
        rc = list_ns(k, &k->nss[i], &v, &n, &cap, &sh, err, errlen);
    k->list_full = 0;
    if (!rc) {
        mark_own(k, v, n);
        rc = follow_replace(&k->out, v, n);
        if (rc)
            errmsg(rc, err, errlen, "out of memory");
    }
    containers_free(v, n);
    /* As sync.c: a big list leaves a hole in the heap; give it back,
     * one thread at a time. */
    pthread_mutex_lock(&trim_lock);
    malloc_trim(0);
    pthread_mutex_unlock(&trim_lock);
    if (rc)
        return rc;
    for (size_t i = 0; i < k->nns; i++)
        memcpy(k->nss[i].rv, k->nss[i].next_rv, sizeof k->nss[i].rv);
    return 0;
}

/* -------------------------------------------------------------- watch */

/* One watch line: the table follows it. */
static int on_line(const char *line, size_t len, void *arg)
{
    struct kns *ns = arg;
    struct kube *k = ns->k;
    struct pod_event ev;
    int rc;

    if (len >= WATCH_LINE_MAX) {
        log_warn("cluster %s: a watch event over %u bytes was cut; "
                 "listing the pods again", member_name(k), WATCH_LINE_MAX);
        k->relist = 1;
        return 0;
    }
    rc = pod_parse_event(line, len, &ev);
    if (rc == EINVAL) {
        log_warn("cluster %s: a watch line is not an event; listing the "
                 "pods again", member_name(k));
        k->relist = 1;
        return 0;
    }
    if (ev.rv[0])
        memcpy(ns->rv, ev.rv, sizeof ns->rv);
    if (rc == ENOENT) {
        skipped_log(NULL, "", "a watch event's pod cannot be read");
    } else if (rc == 0 && ev.type == POD_ERROR) {
        /* 410: its resourceVersion is compacted away. */
        if (ev.code == 410)
            log_info("cluster %s: watch expired (%s); listing the pods "
                     "again", member_name(k), ev.message);
        else
            log_warn("cluster %s: watch error %d: %s; listing the pods "
                     "again", member_name(k), ev.code, ev.message);
        k->relist = 1;
    } else if (rc == 0 && ev.type != POD_BOOKMARK) {
        mark_own(k, &ev.c, 1);
        follow_apply(&k->out, &ev.c, ev.type != POD_DELETED);
    }
    container_clear(&ev.c);
    return 0;
}

static size_t on_watch(char *data, size_t size, size_t n, void *arg)
{
    struct kns *ns = arg;

    if (!ns->status)
        curl_easy_getinfo(ns->h, CURLINFO_RESPONSE_CODE, &ns->status);
    if (ns->status != 200) {
        size_t room = buf_room(&ns->errbody);
        /* The first bytes of the answer say why. */
        buf_add(&ns->errbody, data, size * n < room ? size * n : room);
        return size * n;
    }
    return lines_feed(&ns->lines, data, size * n, on_line, ns) == 0
           ? size * n : 0;
}

static void close_watch(struct kube *k, struct kns *ns)
{
    if (ns->h) {
        curl_multi_remove_handle(k->multi, ns->h);
        curl_easy_cleanup(ns->h);
    }
    curl_slist_free_all(ns->headers);
    ns->h = NULL;
    ns->headers = NULL;
    buf_free(&ns->errbody);
}

/* Opens ns's watch from its resourceVersion. 0 or an errno. */
static int open_watch(struct kube *k, struct kns *ns, char *err,
                      size_t errlen)
{
    struct buf path;
    int rc;

    buf_init(&path, 0);
    rc = pods_path(&path, ns);
    if (!rc)
        rc = buf_printf(&path, "?watch=1&allowWatchBookmarks=true%s",
                        k->query);
    if (!rc && ns->rv[0])
        rc = add_param(&path, "resourceVersion", ns->rv);
    if (rc == 0)
        rc = kube_handle(&k->api, buf_str(&path), &ns->h, &ns->headers,
                         err, errlen);
    buf_free(&path);
    if (rc)
        return rc;
    ns->status = 0;
    buf_init(&ns->errbody, 16384);
    lines_reset(&ns->lines);
    curl_easy_setopt(ns->h, CURLOPT_WRITEFUNCTION, on_watch);
    curl_easy_setopt(ns->h, CURLOPT_WRITEDATA, ns);
    curl_easy_setopt(ns->h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    /* A server gone without a word is found by the keepalives. */
    curl_easy_setopt(ns->h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(ns->h, CURLOPT_TCP_KEEPIDLE, 15L);
    curl_easy_setopt(ns->h, CURLOPT_TCP_KEEPINTVL, 5L);
    if (curl_multi_add_handle(k->multi, ns->h) != CURLM_OK) {
        close_watch(k, ns);
        return errmsg(ENOMEM, err, errlen, "cannot follow the watch");
    }
    return 0;
}

/* Why a watch that ended did, and what follows. */
static enum watch_end ended(struct kube *k, struct kns *ns, CURLcode result)
{
    char why[256];

    /* A watch that ends without a byte of body never reached on_watch. */
    if (!ns->status)
        curl_easy_getinfo(ns->h, CURLINFO_RESPONSE_CODE, &ns->status);
    if (k->relist || ns->status == 410)
        return WATCH_GONE;
    if (result == CURLE_OK && ns->status == 200)
        return WATCH_ENDED;
    if (ns->status && ns->status != 200) {
        kube_answer_reason(ns->status, ns->errbody.data, ns->errbody.len,
                           why, sizeof why);
        /* Retried every second: said once until a watch lives. */
        if (!k->watch_warned)
            log_warn("cluster %s: watch of %s refused: %s; retrying",
                     member_name(k), ns->ns ? ns->ns : "all namespaces", why);
        k->watch_warned = 1;
    } else {
        log_warn("cluster %s: watch from %s ended: %s", member_name(k),
                 k->t.server, curl_easy_strerror(result));
    }
    return WATCH_LOST;
}

/* Follows every namespace's watch until one ends, the pods must be
 * listed again, or the thread must stop. */
static enum watch_end watch_all(struct kube *k)
{
    enum watch_end end = WATCH_STOP;
    char err[256];
    int running = 1;

    k->relist = 0;
    for (size_t i = 0; i < k->nns; i++) {
        if (open_watch(k, &k->nss[i], err, sizeof err) != 0) {
            log_warn("cluster %s: cannot watch: %s", member_name(k), err);
            end = WATCH_LOST;
            break;
        }
    }
    while (end == WATCH_STOP && !atomic_load(&k->stop) && running) {
        CURLMsg *msg;
        int left;

        curl_multi_perform(k->multi, &running);
        while (end == WATCH_STOP &&
               (msg = curl_multi_info_read(k->multi, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            for (size_t i = 0; i < k->nns; i++)
                if (k->nss[i].h == msg->easy_handle)
                    end = ended(k, &k->nss[i], msg->data.result);
        }
        if (end == WATCH_STOP && k->relist)
            end = WATCH_GONE;
        if (end == WATCH_STOP)
            curl_multi_poll(k->multi, NULL, 0, 1000, NULL);
    }
    for (size_t i = 0; i < k->nns; i++)
        close_watch(k, &k->nss[i]);
    return end;
}

/* Sleeps ms, or until stop. */
static void pause_ms(struct kube *k, long ms)
{
    curl_multi_poll(k->multi, NULL, 0, (int)ms, NULL);
    (void)k;
}

static void *run(void *arg)
{
    struct kube *k = arg;
    long backoff = BACKOFF_MIN_MS;
    int lost = k->out.down && atomic_load(k->out.down);
    int list = lost;
    int admitted = -1;          /* what admit said, when asked already */
    int arc;
    char err[256];

    if (lost)
        follow_mark_down(&k->out);
    while (!atomic_load(&k->stop)) {
        if (list) {
            /* Whoever answers at the address now is asked who it is
             * before its list is trusted: it may be another cluster. */
            arc = admitted != -1 ? admitted
                  : k->out.admit ? k->out.admit(k->out.admit_arg,
                                                k->out.engine_ix, err,
                                                sizeof err) : 0;
            admitted = -1;
            if (arc == EEXIST) {
                follow_mark_down(&k->out);
                break;
            }
            if (arc == ESTALE && follow_drop(&k->out) != 0)
                log_warn("out of memory dropping the pods of cluster %s",
                         member_name(k));
            if ((arc != 0 && arc != ESTALE) ||
                k_list(k, err, sizeof err) != 0) {
                if (!lost) {
                    log_err("cluster %s at %s is unreachable: %s; the mount "
                            "keeps the last listing and retries",
                            member_name(k), k->t.server, err);
                    follow_mark_down(&k->out);
                }
                lost = 1;
                pause_ms(k, backoff);
                backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
                                                       : backoff * 2;
                continue;
            }
            if (lost)
                log_info("cluster %s at %s is back; pods listed again",
                         member_name(k), k->t.server);
            lost = list = 0;
            if (k->out.down)
                atomic_store(k->out.down, 0);
        }
        double opened = now_mono();
        enum watch_end end = watch_all(k);
        if (now_mono() - opened >= WATCH_SHORT_S)
            k->watch_warned = 0;
        switch (end) {
        case WATCH_STOP:
            break;
        case WATCH_GONE:
            list = 1;
            break;
        case WATCH_ENDED:
            /* The server ends a watch after a while: go on from where it
             * was, unless it ends them at once; and only with the same
             * cluster at the address (a new connection). */
            if (now_mono() - opened < WATCH_SHORT_S) {
                pause_ms(k, backoff);
                backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
                                                       : backoff * 2;
            } else {
                backoff = BACKOFF_MIN_MS;
            }
            arc = k->out.admit ? k->out.admit(k->out.admit_arg,
                                              k->out.engine_ix, err,
                                              sizeof err) : 0;
            /* Not the same: the list step acts on what admit said. */
            if (arc != 0) {
                admitted = arc;
                list = 1;
            }
            break;
        case WATCH_LOST:
            /* Until the cluster at the address is known again and
             * listed, no kill is sent on a row of the old listing. */
            if (k->out.down)
                atomic_store(k->out.down, 1);
            pause_ms(k, backoff);
            backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
                                                   : backoff * 2;
            list = 1;
            break;
        }
    }
    return NULL;
}

static int k_start(void *impl)
{
    struct kube *k = impl;

    if (!(k->multi = curl_multi_init()))
        return ENOMEM;
    atomic_store(&k->stop, 0);
    if (pthread_create(&k->thread, NULL, run, k) != 0) {
        curl_multi_cleanup(k->multi);
        k->multi = NULL;
        return EAGAIN;
    }
    k->started = 1;
    return 0;
}

static void k_stop(void *impl)
{
    struct kube *k = impl;

    if (!k->started)
        return;
    atomic_store(&k->stop, 1);
    curl_multi_wakeup(k->multi);
    pthread_join(k->thread, NULL);
    curl_multi_cleanup(k->multi);
    k->multi = NULL;
    k->started = 0;
}

/* ---------------------------------------------------------- the rest */

static void k_about(const void *impl, struct backend_about *a)
{
    const struct kube *k = impl;

    a->display = k->display;
    a->where = k->t.server;
    a->context = k->t.context;
    a->hint = "";
    a->things = "pods";
}

static void k_wire(void *impl, const struct follow *out,
                   const struct options *o)
{
    struct kube *k = impl;

    k->out = *out;
    k->o = o;
    kube_api_init(&k->api, &k->t, o->timeout);
    free(k->query);
    k->query = make_query(o);
    k->grace = o->grace_period >= 0 ? o->grace_period : KUBE_GRACE_OWN;
}

static int k_identity(void *impl, char *id, size_t idlen, char *err,
                      size_t errlen)
{
    struct kube *k = impl;
    return kube_identity(&k->api, id, idlen, err, errlen);
}

/* The uid of row c (8-4-4-4-12) into uid. */
static void uid_of(const struct container *c, char uid[POD_UID_LEN + 1])
{
    snprintf(uid, POD_UID_LEN + 1, "%.8s-%.4s-%.4s-%.4s-%.12s", c->id,
             c->id + 8, c->id + 12, c->id + 16, c->id + 20);
}

/* "NS/NAME" of row c into dst, escaped (escape.h): a hostile name can
 * neither end nor forge the log line a reason goes into. */
static const char *pod_ref(const struct container *c, char *dst, size_t n)
{
    char ns[128], name[256];

    escape_text_to(ns, sizeof ns, c->ns ? c->ns : "");
    escape_text_to(name, sizeof name, c->name ? c->name : "");
    snprintf(dst, n, "%s/%s", ns, name);
    return dst;
}

/* 0 when pod now is in the mount's scope as the list decides it (every
 * --filter label= matches, and without --all it has not ended), else
 * ESRCH with the reason. */
static int scope(const struct kube *k, const struct container *now,
                 char *err, size_t errlen)
{
    const struct filters *f = &k->o->filters;
    char ref[400];

    for (size_t i = 0; i < f->n; i++) {
        const char *v = f->v[i].value, *eq = strchr(v, '=');
        char key[256];
        snprintf(key, sizeof key, "%.*s", (int)(eq ? eq - v : (long)strlen(v)),
                 v);
        const char *have = container_label(now, key);
        if (strcmp(f->v[i].key, "label") == 0 &&
            (!have || (eq && strcmp(have, eq + 1) != 0)))
            return errmsg(ESRCH, err, errlen, "pod %s no longer matches "
                          "--filter label=%s", pod_ref(now, ref, sizeof ref),
                          v);
    }
    if (!k->o->all && (strcmp(now->state, "succeeded") == 0 ||
                       strcmp(now->state, "failed") == 0))
        return errmsg(ESRCH, err, errlen, "pod %s has %s (not shown "
                      "without --all)", pod_ref(now, ref, sizeof ref),
                      now->state);
    return 0;
}

static int k_inspect(void *impl, const struct container *c,
                     struct container *now, char *image_id,
                     size_t image_id_len, char *err, size_t errlen)
{
    struct kube *k = impl;
    struct buf body;
    json_error_t jerr;
    const char *why;
    char *path, ref[400];
    int rc;

    memset(now, 0, sizeof *now);
    if (image_id_len)
        image_id[0] = '\0';
    if (!c->ns || strlen(c->id) != POD_ID_LEN)
        return errmsg(EINVAL, err, errlen, "not a pod");
    if (podself_is(&k->self, c))
        return errmsg(EPERM, err, errlen, "pod %s is dockerfs's own",
                      pod_ref(c, ref, sizeof ref));
    if (!(path = kube_pod_path(c->ns, c->name, NULL)))
        return errmsg(ENOMEM, err, errlen, "bad pod name, or out of memory");
    rc = kube_get(&k->api, path, &body, 2 * POD_JSON_MAX, NULL, err, errlen);
    free(path);
    if (rc == 0) {
        json_t *o = json_loadb(body.data, body.len, JSON_ALLOW_NUL, &jerr);
        rc = pod_from_json(o, now, &why);
        json_decref(o);
        if (rc == ENOENT)
            rc = errmsg(EPROTO, err, errlen, "the answer is not a pod: %s",
                        why);
    }
    buf_free(&body);
    if (rc == 0)
        mark_own(k, now, 1);
    if (rc == 0 && strcmp(now->id, c->id) != 0) {
        char uid[POD_UID_LEN + 1];
        uid_of(now, uid);
        container_clear(now);
        return errmsg(ENOENT, err, errlen, "pod %s is another pod now "
                      "(uid %s)", pod_ref(c, ref, sizeof ref), uid);
    }
    return rc == 0 && k->o ? scope(k, now, err, errlen) : rc;
}

static int k_kill(void *impl, const struct container *c, enum kill_action a,
                  char *err, size_t errlen)
{
    struct kube *k = impl;
    char uid[POD_UID_LEN + 1];
    enum kube_kill how = a == KILL_EVICT ? KUBE_EVICT : KUBE_DELETE;
    /* rm and kill: at once; stop and delete: the pod's own grace. */
    long grace = k->grace != KUBE_GRACE_OWN ? k->grace
                 : a == KILL_RM || a == KILL_KILL ? 0 : KUBE_GRACE_OWN;

    if (!c->ns || strlen(c->id) != POD_ID_LEN)
        return errmsg(EINVAL, err, errlen, "not a pod");
    uid_of(c, uid);
    return kube_kill_pod(&k->api, c->ns, c->name, uid, how, grace, err,
                         errlen);
}

static void k_destroy(void *impl)
{
    struct kube *k = impl;

    for (size_t i = 0; i < k->nns; i++) {
        free(k->nss[i].ns);
        lines_free(&k->nss[i].lines);
    }
    free(k->nss);
    free(k->query);
    kube_api_free(&k->api);
    kube_target_free(&k->t);
    free(k);
}

const struct backend_ops backend_kube_ops = {
    .kind = "kubernetes",
    .about = k_about,
    .wire = k_wire,
    .identity = k_identity,
    .list = k_list,
    .start = k_start,
    .stop = k_stop,
    .inspect = k_inspect,
    .kill = k_kill,
    .destroy = k_destroy,
};

/* Who we are when run as a pod (podself.h), said in the log. */
static int find_self(struct kube *k, const struct kube_env *env, char *err,
                     size_t errlen)
{
    char host[256] = "", ns[128], name[256];
    int rc;

    if (gethostname(host, sizeof host) != 0)
        host[0] = '\0';
    host[sizeof host - 1] = '\0';
    if ((rc = podself_init(&k->self, &k->t, env, host, err, errlen)) != 0)
        return rc;
    if (k->self.id[0]) {
        log_info("cluster at %s: dockerfs's own pod is the one of POD_UID "
                 "%s: it is protected", k->t.server, env->pod_uid);
    } else if (podself_known(&k->self)) {
        escape_text_to(ns, sizeof ns, k->self.ns);
        escape_text_to(name, sizeof name, k->self.name);
        log_info("in-cluster: dockerfs's own pod is %s/%s (by %s): it is "
                 "protected", ns, name, k->self.how);
    }
    return 0;
}

int backend_kube_new(struct backend *b, const char *file, const char *context,
                     const char *const *namespaces, size_t n,
                     const struct kube_env *env, const char **ctx_name,
                     char *err, size_t errlen)
{
    struct kube *k = calloc(1, sizeof *k);
    int rc;

    if (!k || !(k->nss = calloc(n ? n : 1, sizeof *k->nss))) {
        free(k);
        return errmsg(ENOMEM, err, errlen, "out of memory");
    }
    if ((rc = kubeconfig_resolve(&k->t, file, context, env, err,
                                 errlen)) != 0) {
        free(k->nss);
        free(k);
        return rc;
    }
    k->nns = n ? n : 1;
    for (size_t i = 0; i < k->nns; i++) {
        k->nss[i].k = k;
        lines_init(&k->nss[i].lines, WATCH_LINE_MAX);
        if (n && !(k->nss[i].ns = strdup(namespaces[i]))) {
            k_destroy(k);
            return errmsg(ENOMEM, err, errlen, "out of memory");
        }
    }
    k->grace = KUBE_GRACE_OWN;
    snprintf(k->display, sizeof k->display, "%s", k->t.server);
    if ((rc = find_self(k, env, err, errlen)) != 0) {
        k_destroy(k);
        return rc;
    }
    b->ops = &backend_kube_ops;
    b->impl = k;
    if (ctx_name)
        *ctx_name = k->t.context;
    return 0;
}
