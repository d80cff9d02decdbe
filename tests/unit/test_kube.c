/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for kube.c and backend_kube.c against a small scripted
 * API server in this process (plain HTTP on 127.0.0.1, answers written
 * below): the errno of every answer, pod paths that stay one segment,
 * a list read page by page (continue) with its label and field
 * selectors, the kill's DELETE carrying the pod's uid as precondition
 * (and an eviction's body), the protect re-check's answer about another
 * pod under the name, and the follower: a watch from the list's
 * resourceVersion whose events reach the table, and a 410 Gone that
 * makes it list again. The real API server is the integration tests'. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <curl/curl.h>

#include "backend_kube.h"
#include "fleet.h"
#include "members.h"
#include "kube.h"
#include "log.h"
#include "opts.h"
#include "pod.h"
#include "protect.h"
#include "table.h"
#include "testcert.h"

#define UID_A "aaaaaaaa-0000-4000-8000-000000000001"
#define UID_B "bbbbbbbb-0000-4000-8000-000000000002"
#define UID_C "cccccccc-0000-4000-8000-000000000003"
#define UID_NEW "dddddddd-0000-4000-8000-000000000004"

/* ------------------------------------------------ the scripted server */

#define REQ_MAX 64

struct req {
    char method[8];
    char path[1024];
    char body[2048];
    char auth[256];
};

static struct {
    pthread_mutex_t lock;
    int fd, port, stop;
    pthread_t thread;
    struct req reqs[REQ_MAX];
    int nreq;
    int lists;              /* GET .../pods without watch */
    int watches;
    int gone_once;          /* the next watch answers an ERROR 410 */
    int end_once;           /* the next watch ends after its events */
    int quiet;              /* ... with none: a 200 with no body */
    int kill_status;        /* what DELETE / eviction answer */
    const char *kill_body;
    int other_pod;          /* GET of a pod answers another uid */
    int relabelled;         /* ... with another app label */
    int keepalive;          /* answers keep the connection open */
    int accepts;            /* connections accepted */
} srv = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* A pod's JSON, labelled app=APP. */
static char *pod_app(const char *name, const char *ns, const char *uid,
                     const char *rv, const char *app)
{
    char *s = NULL;
    assert_true(asprintf(&s, "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\","
                         "\"namespace\":\"%s\",\"uid\":\"%s\","
                         "\"resourceVersion\":\"%s\",\"labels\":{\"app\":"
                         "\"%s\"}},\"spec\":{\"containers\":[{\"image\":"
                         "\"nginx\"}]},\"status\":{\"phase\":\"Pending\"}}",
                         name, ns, uid, rv, app) > 0);
    return s;
}

static char *pod(const char *name, const char *ns, const char *uid,
                 const char *rv)
{
    return pod_app(name, ns, uid, rv, "web");
}

static void send_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void answer(int fd, int status, const char *body)
{
    char head[256];
    int n = snprintf(head, sizeof head, "HTTP/1.1 %d X\r\nContent-Type: "
                     "application/json\r\nContent-Length: %zu\r\n"
                     "%s\r\n", status, strlen(body),
                     srv.keepalive ? "" : "Connection: close\r\n");
    send_all(fd, head, (size_t)n);
    send_all(fd, body, strlen(body));
}

/* A watch: its events, then held open until the test stops the server
 * (or closed at once after an ERROR). */
static void watch(int fd)
{
    const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       "Connection: close\r\n\r\n";
    char *p;
    int gone;

    send_all(fd, head, strlen(head));
    if (srv.quiet) {
        /* A quiet watch the server ends: not a byte of body. */
        pthread_mutex_lock(&srv.lock);
        srv.quiet = 0;
        srv.watches++;
        pthread_mutex_unlock(&srv.lock);
        struct timespec t = { 0, 100 * 1000000 };
        nanosleep(&t, NULL);
        return;
    }
    pthread_mutex_lock(&srv.lock);
    gone = srv.gone_once;
    srv.gone_once = 0;
    int end = srv.end_once;
    srv.end_once = 0;
    srv.watches++;
    pthread_mutex_unlock(&srv.lock);
    if (gone) {
        const char *e = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\","
                        "\"code\":410,\"reason\":\"Expired\",\"message\":"
                        "\"too old resource version\"}}\n";
        send_all(fd, e, strlen(e));
        return;
    }
    p = pod("new", "shop", UID_NEW, "30");
    char *line = NULL;
    assert_true(asprintf(&line, "{\"type\":\"ADDED\",\"object\":%s}\n"
                         "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":"
                         "{\"resourceVersion\":\"31\"}}}\n", p) > 0);
    send_all(fd, line, strlen(line));
    free(line);
    free(p);
    p = pod("b", "shop", UID_B, "32");
    assert_true(asprintf(&line, "{\"type\":\"DELETED\",\"object\":%s}\n", p)
                > 0);
    send_all(fd, line, strlen(line));
    free(line);
    free(p);
    /* The server's own end of a watch: soon, cleanly. */
    for (int i = 0; end && i < 5; i++) {
        struct timespec t = { 0, 20 * 1000000 };
        nanosleep(&t, NULL);
    }
    while (!srv.stop && !end) {
        struct timespec t = { 0, 20 * 1000000 };
        nanosleep(&t, NULL);
    }
}

/* Answers one request on fd; 1 when the connection may carry another. */
static int serve_one(int fd)
{
    char buf[8192] = "";
    size_t n = 0;
    struct req r;
    char *end = NULL;

    memset(&r, 0, sizeof r);
    while (n < sizeof buf - 1 && !(end = strstr(buf, "\r\n\r\n"))) {
        ssize_t got = read(fd, buf + n, sizeof buf - 1 - n);
        if (got <= 0)
            return 0;
        n += (size_t)got;
        buf[n] = '\0';
    }
    if (!end)
        return 0;
    sscanf(buf, "%7s %1023s", r.method, r.path);
    char *cl = strcasestr(buf, "Content-Length:");
    char *au = strcasestr(buf, "Authorization:");
    if (au)
        sscanf(au, "Authorization: %255[^\r]", r.auth);
    size_t want = cl ? strtoul(cl + 15, NULL, 10) : 0;
    size_t have = n - (size_t)(end + 4 - buf);
    while (have < want && n < sizeof buf - 1) {
        ssize_t got = read(fd, buf + n, sizeof buf - 1 - n);
        if (got <= 0)
            break;
        n += (size_t)got;
        have += (size_t)got;
    }
    buf[n] = '\0';
    snprintf(r.body, sizeof r.body, "%s", end + 4);
    pthread_mutex_lock(&srv.lock);
    if (srv.nreq < REQ_MAX)
        srv.reqs[srv.nreq++] = r;
    pthread_mutex_unlock(&srv.lock);

    if (strcmp(r.path, "/moved") == 0) {
        /* Elsewhere on this server: a client that followed would ask
         * again, and carry its token along. */
        char head[256];
        int len = snprintf(head, sizeof head, "HTTP/1.1 302 Found\r\n"
                           "Location: http://127.0.0.1:%d/api/v1/namespaces/"
                           "kube-system\r\nContent-Length: 0\r\n"
                           "Connection: close\r\n\r\n", srv.port);
        send_all(fd, head, (size_t)len);
    } else if (strstr(r.path, "/namespaces/kube-system") == r.path + 7 &&
        !strstr(r.path, "/pods")) {
        answer(fd, 200, "{\"kind\":\"Namespace\",\"metadata\":{\"uid\":"
               "\"11111111-2222-4333-8444-555555555555\"}}");
    } else if (strstr(r.path, "watch=1")) {
        watch(fd);
        return 0;
    } else if (strncmp(r.path, "/api/v1/namespaces/empty/pods?", 30) == 0 &&
               !strstr(r.path, "watch=1")) {
        answer(fd, 200, "{\"metadata\":{\"resourceVersion\":\"5\"},"
               "\"items\":[]}");
    } else if (strncmp(r.path, "/api/v1/pods?", 13) == 0) {
        /* Two pages, the second asked for by its continue token. */
        int second = strstr(r.path, "continue=tok%2B1%2F%3D") != NULL;
        char *a = pod("a", "shop", UID_A, "10"), *b = pod("b", "shop", UID_B,
                                                          "11");
        char *c = pod("c", "kube-system", UID_C, "12"), *body = NULL;
        pthread_mutex_lock(&srv.lock);
        srv.lists++;
        pthread_mutex_unlock(&srv.lock);
        if (second)
            assert_true(asprintf(&body, "{\"metadata\":{\"resourceVersion\":"
                                 "\"20\"},\"items\":[%s]}", c) > 0);
        else
            assert_true(asprintf(&body, "{\"metadata\":{\"resourceVersion\":"
                                 "\"20\",\"continue\":\"tok+1/=\"},\"items\":"
                                 "[%s,%s]}", a, b) > 0);
        answer(fd, 200, body);
        free(a);
        free(b);
        free(c);
        free(body);
    } else if (strcmp(r.method, "GET") == 0 &&
               strcmp(r.path, "/api/v1/namespaces/shop/pods/a") == 0) {
        char *a = pod_app("a", "shop", srv.other_pod ? UID_NEW : UID_A, "10",
                          srv.relabelled ? "db" : "web");
        answer(fd, 200, a);
        free(a);
    } else if (strcmp(r.method, "DELETE") == 0 ||
               strcmp(r.method, "POST") == 0) {
        answer(fd, srv.kill_status, srv.kill_body);
    } else {
        answer(fd, 404, "{\"kind\":\"Status\",\"code\":404,\"message\":"
               "\"not here\"}");
    }
    return srv.keepalive;
}

static void *conn_thread(void *arg)
{
    int fd = (int)(intptr_t)arg;
    while (serve_one(fd))
        ;
    close(fd);
    return NULL;
}

static void *accept_thread(void *arg)
{
    (void)arg;
    for (;;) {
        int fd = accept(srv.fd, NULL, NULL);
        if (fd < 0)
            return NULL;
        if (srv.stop) {
            close(fd);
            return NULL;
        }
        srv.accepts++;
        pthread_t t;
        if (pthread_create(&t, NULL, conn_thread, (void *)(intptr_t)fd) == 0)
            pthread_detach(t);
        else
            close(fd);
    }
}

static char dir[64], kubeconfig[128];

static int setup(void **state)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof a;
    (void)state;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    srv.fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(srv.fd >= 0);
    assert_int_equal(bind(srv.fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(srv.fd, 16), 0);
    assert_int_equal(getsockname(srv.fd, (struct sockaddr *)&a, &len), 0);
    srv.port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&srv.thread, NULL, accept_thread, NULL),
                     0);
    snprintf(dir, sizeof dir, "/tmp/test_kube.XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(kubeconfig, sizeof kubeconfig, "%s/config", dir);
    FILE *f = fopen(kubeconfig, "w");
    assert_non_null(f);
    fprintf(f, "current-context: fake\n"
            "clusters: [{name: c, cluster: {server: 'http://127.0.0.1:%d'}}]\n"
            "contexts: [{name: fake, context: {cluster: c, user: u}},\n"
            "  {name: 'arn:aws:eks:r:1:cluster/x', context: {cluster: c}}]\n"
            "users: [{name: u, user: {token: t0k3n}}]\n", srv.port);
    fclose(f);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    log_open(0, 0);
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];
    (void)state;
    srv.stop = 1;
    shutdown(srv.fd, SHUT_RDWR);
    close(srv.fd);
    pthread_join(srv.thread, NULL);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    curl_global_cleanup();
    return 0;
}

/* ------------------------------------------------------------- tests */

static void errnos(void **state)
{
    (void)state;
    assert_int_equal(kube_status_errno(200), 0);
    assert_int_equal(kube_status_errno(201), 0);
    assert_int_equal(kube_status_errno(400), EINVAL);
    assert_int_equal(kube_status_errno(401), EPERM);
    assert_int_equal(kube_status_errno(403), EPERM);
    assert_int_equal(kube_status_errno(404), ENOENT);
    assert_int_equal(kube_status_errno(409), EBUSY);
    assert_int_equal(kube_status_errno(410), ESTALE);
    assert_int_equal(kube_status_errno(429), EBUSY);
    assert_int_equal(kube_status_errno(500), EIO);
    assert_int_equal(kube_status_errno(503), EIO);
    const char *pre = "{\"kind\":\"Status\",\"code\":409,\"message\":"
                      "\"Precondition failed: UID in precondition: x, UID in "
                      "object meta: y\"}";
    assert_int_equal(kube_kill_errno(409, pre, strlen(pre)), ENOENT);
    assert_int_equal(kube_kill_errno(409, "{}", 2), EBUSY);
    assert_int_equal(kube_kill_errno(429, "", 0), EBUSY);
    assert_int_equal(kube_transport_errno(CURLE_OPERATION_TIMEDOUT),
                     ETIMEDOUT);
    assert_int_equal(kube_transport_errno(CURLE_COULDNT_CONNECT), EIO);
    assert_int_equal(kube_transport_errno(CURLE_PEER_FAILED_VERIFICATION),
                     EKEYREJECTED);
    char err[128];
    kube_answer_reason(403, "{\"kind\":\"Status\",\"message\":\"no\\nway\"}",
                       37, err, sizeof err);
    assert_string_equal(err, "apiserver answered 403: no\\nway");
}

/* A name or namespace never leaves its segment of the path. */
static void pod_paths(void **state)
{
    (void)state;
    char *p = kube_pod_path("shop", "web-1", NULL);
    assert_string_equal(p, "/api/v1/namespaces/shop/pods/web-1");
    free(p);
    p = kube_pod_path("a/b", "../../x?y#z", "/eviction");
    assert_string_equal(p, "/api/v1/namespaces/a%2Fb/pods/..%2F..%2Fx%3Fy%23z"
                           "/eviction");
    free(p);
    assert_null(kube_pod_path("..", "x", NULL));
    assert_null(kube_pod_path("n", ".", NULL));
}

static struct table *tab;
static atomic_int down;

static const char *name_of(const char *short_id)
{
    const struct container *c;
    table_rdlock(tab);
    c = table_by_short_id(tab, short_id, NULL);
    const char *n = c ? c->name : NULL;
    table_unlock(tab);
    return n;
}

static int wait_for(int (*cond)(void))
{
    for (int i = 0; i < 500; i++) {
        if (cond())
            return 1;
        struct timespec t = { 0, 10 * 1000000 };
        nanosleep(&t, NULL);
    }
    return 0;
}

static int watched(void) { return name_of("dddddddd0000") && !name_of("bbbbbbbb0000"); }
static int relisted(void) { return srv.lists >= 2 && srv.watches >= 2; }
static int rewatched(void) { return srv.watches >= 2; }

static const struct req *last_req(const char *method)
{
    for (int i = srv.nreq; i-- > 0; )
        if (strcmp(srv.reqs[i].method, method) == 0)
            return &srv.reqs[i];
    return NULL;
}

/* The whole backend against the scripted server. */
static void backend(void **state)
{
    (void)state;
    struct kube_env env = { .home = "/nonexistent", .sa_dir = "/nonexistent" };
    struct options o;
    struct backend be;
    struct follow out;
    const char *ctx;
    char err[256], id[128];

    memset(&o, 0, sizeof o);
    o.timeout = 5;
    o.grace_period = -1;
    struct filter f = { "label", "app=web" };
    o.filters.v = &f;
    o.filters.n = 1;
    assert_int_equal(backend_kube_new(&be, kubeconfig, NULL, NULL, 0, &env,
                                      &ctx, err, sizeof err), 0);
    assert_string_equal(ctx, "fake");
    assert_non_null(tab = table_new());
    memset(&out, 0, sizeof out);
    out.table = tab;
    out.engine_name = "fake";
    out.down = &down;
    be.ops->wire(be.impl, &out, &o);

    assert_int_equal(be.ops->identity(be.impl, id, sizeof id, err,
                                      sizeof err), 0);
    assert_string_equal(id, "kube-system/11111111-2222-4333-8444-555555555555");
    assert_string_equal(last_req("GET")->auth, "Bearer t0k3n");

    /* The list: two pages, the selectors on each. */
    int lrc = be.ops->list(be.impl, err, sizeof err);
    if (lrc)
        fail_msg("list: %s", err);
    assert_int_equal(srv.lists, 2);
    assert_int_equal(table_count(tab), 3);
    assert_string_equal(name_of("cccccccc0000"), "c");
    const struct req *r = last_req("GET");
    assert_non_null(strstr(r->path, "limit=500"));
    assert_non_null(strstr(r->path, "labelSelector=app%3Dweb"));
    assert_non_null(strstr(r->path, "fieldSelector=status.phase%21%3D"
                                    "Succeeded%2Cstatus.phase%21%3DFailed"));
    assert_non_null(strstr(r->path, "continue=tok%2B1%2F%3D"));

    /* The kill: DELETE with the uid as precondition, grace 0 for rm. */
    struct container c;
    table_rdlock(tab);
    assert_int_equal(container_copy(&c, table_by_short_id(tab, "aaaaaaaa0000",
                                                          NULL)), 0);
    table_unlock(tab);
    srv.kill_status = 200;
    srv.kill_body = "{}";
    assert_int_equal(be.ops->kill(be.impl, &c, KILL_RM, err, sizeof err), 0);
    r = last_req("DELETE");
    assert_string_equal(r->path, "/api/v1/namespaces/shop/pods/a");
    assert_non_null(strstr(r->body, "\"preconditions\":{\"uid\":\"" UID_A
                                    "\"}"));
    assert_non_null(strstr(r->body, "\"gracePeriodSeconds\":0"));
    /* stop: the pod's own grace. */
    assert_int_equal(be.ops->kill(be.impl, &c, KILL_STOP, err, sizeof err), 0);
    assert_null(strstr(last_req("DELETE")->body, "gracePeriodSeconds"));
    /* evict: POST .../eviction, policy/v1beta1, the uid again. */
    assert_int_equal(be.ops->kill(be.impl, &c, KILL_EVICT, err, sizeof err), 0);
    r = last_req("POST");
    assert_string_equal(r->path, "/api/v1/namespaces/shop/pods/a/eviction");
    assert_non_null(strstr(r->body, "\"kind\":\"Eviction\""));
    assert_non_null(strstr(r->body, "policy/v1beta1"));
    assert_non_null(strstr(r->body, "\"name\":\"a\""));
    assert_non_null(strstr(r->body, UID_A));
    /* The answers' errnos. */
    srv.kill_status = 429;
    srv.kill_body = "{\"kind\":\"Status\",\"code\":429,\"message\":\"Cannot "
                    "evict pod as it would violate the pod's disruption "
                    "budget.\"}";
    assert_int_equal(be.ops->kill(be.impl, &c, KILL_EVICT, err, sizeof err),
                     EBUSY);
    assert_non_null(strstr(err, "disruption budget"));
    srv.kill_status = 403;
    srv.kill_body = "{\"kind\":\"Status\",\"code\":403}";
    assert_int_equal(be.ops->kill(be.impl, &c, KILL_RM, err, sizeof err),
                     EPERM);
    srv.kill_status = 409;
    srv.kill_body = "{\"kind\":\"Status\",\"code\":409,\"message\":"
                    "\"Precondition failed: UID in precondition: a, UID in "
                    "object meta: b\"}";
    assert_int_equal(be.ops->kill(be.impl, &c, KILL_RM, err, sizeof err),
                     ENOENT);
    srv.kill_status = 500;
    srv.kill_body = "oops";
    assert_int_equal(be.ops->kill(be.impl, &c, KILL_RM, err, sizeof err), EIO);

    /* With connections kept open, a kill's re-check and its DELETE go
     * over one (one TLS handshake, not two). */
    srv.keepalive = 1;
    srv.kill_status = 200;
    srv.kill_body = "{}";
    int before = srv.accepts;
    struct container n2;
    char iid[8];
    assert_int_equal(be.ops->inspect(be.impl, &c, &n2, iid, sizeof iid, err,
                                     sizeof err), 0);
    container_clear(&n2);
    assert_int_equal(be.ops->kill(be.impl, &c, KILL_RM, err, sizeof err), 0);
    assert_int_equal(srv.accepts - before, 1);
    srv.keepalive = 0;

    /* The re-check: the pod as it is; another uid under its name is
     * ENOENT (the pod asked for is gone). */
    struct container now;
    char image_id[8];
    assert_int_equal(be.ops->inspect(be.impl, &c, &now, image_id,
                                     sizeof image_id, err, sizeof err), 0);
    assert_string_equal(now.id, c.id);
    assert_string_equal(now.ns, "shop");
    container_clear(&now);
    srv.other_pod = 1;
    assert_int_equal(be.ops->inspect(be.impl, &c, &now, image_id,
                                     sizeof image_id, err, sizeof err),
                     ENOENT);
    assert_non_null(strstr(err, "another pod"));
    srv.other_pod = 0;
    /* Relabelled out of --filter label=app=web: out of the mount's scope
     * (ESRCH: the kill path refuses it). */
    srv.relabelled = 1;
    assert_int_equal(be.ops->inspect(be.impl, &c, &now, image_id,
                                     sizeof image_id, err, sizeof err),
                     ESRCH);
    assert_non_null(strstr(err, "label=app=web"));
    container_clear(&now);
    srv.relabelled = 0;
    container_clear(&c);

    /* The follower: a watch from the list's resourceVersion; ADDED and
     * DELETED reach the table. */
    assert_int_equal(be.ops->start(be.impl), 0);
    assert_true(wait_for(watched));
    r = last_req("GET");
    for (int i = srv.nreq; i-- > 0; )
        if (strstr(srv.reqs[i].path, "watch=1")) {
            r = &srv.reqs[i];
            break;
        }
    assert_non_null(strstr(r->path, "resourceVersion=20"));
    assert_non_null(strstr(r->path, "allowWatchBookmarks=true"));
    assert_non_null(strstr(r->path, "labelSelector=app%3Dweb"));
    be.ops->stop(be.impl);

    /* The server ends a watch cleanly: watched again from the last
     * resourceVersion it sent (the DELETED's 32), not listed again. */
    srv.lists = 0;
    srv.watches = 0;
    srv.end_once = 1;
    assert_int_equal(be.ops->start(be.impl), 0);
    assert_true(wait_for(rewatched));
    be.ops->stop(be.impl);
    assert_int_equal(srv.lists, 0);
    r = NULL;
    for (int i = srv.nreq; i-- > 0 && !r; )
        if (strstr(srv.reqs[i].path, "watch=1"))
            r = &srv.reqs[i];
    assert_non_null(r);
    assert_non_null(strstr(r->path, "resourceVersion=32"));

    /* A quiet watch (no event, no bookmark) the server ends cleanly: the
     * same, not a lost one (no list, not down). */
    srv.lists = 0;
    srv.watches = 0;
    srv.quiet = 1;
    assert_int_equal(be.ops->start(be.impl), 0);
    assert_true(wait_for(rewatched));
    be.ops->stop(be.impl);
    assert_int_equal(srv.lists, 0);
    assert_int_equal(atomic_load(&down), 0);

    /* A 410 Gone on the watch: listed again, then watched again. */
    srv.lists = 0;
    srv.watches = 0;
    srv.gone_once = 1;
    assert_int_equal(be.ops->start(be.impl), 0);
    assert_true(wait_for(relisted));
    /* The list put b back; the new watch took it away again. */
    assert_true(wait_for(watched));
    be.ops->stop(be.impl);
    assert_int_equal(atomic_load(&down), 0);

    be.ops->destroy(be.impl);
    table_free(tab);
}

/* The credentials' paths: a tokenFile is read again at every request
 * (a rotated service account token is taken at once), and a redirect
 * is never followed (it would carry the token to wherever it points). */
static void credentials(void **state)
{
    (void)state;
    struct kube_target t;
    struct kube_api a;
    struct buf body;
    char server[64], tokfile[128], err[256];
    long status;
    FILE *f;

    memset(&t, 0, sizeof t);
    snprintf(server, sizeof server, "http://127.0.0.1:%d", srv.port);
    snprintf(tokfile, sizeof tokfile, "%s/token", dir);
    t.server = server;
    t.token_file = tokfile;
    kube_api_init(&a, &t, 5);

    assert_non_null(f = fopen(tokfile, "w"));
    fputs("first-token\n", f);
    fclose(f);
    assert_int_equal(kube_get(&a, "/api/v1/namespaces/kube-system", &body,
                              4096, &status, err, sizeof err), 0);
    buf_free(&body);
    assert_string_equal(last_req("GET")->auth, "Bearer first-token");
    assert_non_null(f = fopen(tokfile, "w"));
    fputs("rotated-token", f);
    fclose(f);
    assert_int_equal(kube_get(&a, "/api/v1/namespaces/kube-system", &body,
                              4096, &status, err, sizeof err), 0);
    buf_free(&body);
    assert_string_equal(last_req("GET")->auth, "Bearer rotated-token");
    /* A token file emptied, then gone: no request without credentials. */
    int before = srv.nreq;
    assert_non_null(f = fopen(tokfile, "w"));
    fclose(f);
    assert_int_equal(kube_get(&a, "/api/v1/namespaces/kube-system", &body,
                              4096, &status, err, sizeof err), EACCES);
    buf_free(&body);
    assert_non_null(strstr(err, "empty"));
    assert_int_equal(unlink(tokfile), 0);
    assert_int_equal(kube_get(&a, "/api/v1/namespaces/kube-system", &body,
                              4096, &status, err, sizeof err), EACCES);
    buf_free(&body);
    assert_non_null(strstr(err, tokfile));
    assert_int_equal(srv.nreq, before);

    /* A 302 is an answer (EIO), not a second request. */
    t.token_file = NULL;
    t.token = "t0k3n";
    before = srv.nreq;
    assert_int_equal(kube_get(&a, "/moved", &body, 4096, &status, err,
                              sizeof err), EIO);
    buf_free(&body);
    assert_int_equal(status, 302);
    assert_int_equal(srv.nreq, before + 1);
    assert_string_equal(last_req("GET")->path, "/moved");
    kube_api_free(&a);
}

/* A kubeconfig's proxy-url: every request goes to the proxy, asking
 * for the server's URL (a name that resolves nowhere: only the proxy
 * could have answered). */
static void proxy(void **state)
{
    (void)state;
    struct kube_target t;
    struct kube_api a;
    struct buf body;
    char proxy_url[64], err[256];
    long status;

    memset(&t, 0, sizeof t);
    snprintf(proxy_url, sizeof proxy_url, "http://127.0.0.1:%d", srv.port);
    t.server = "http://apiserver.dockerfs-test.invalid:6443";
    t.proxy_url = proxy_url;
    t.token = "t0k3n";
    kube_api_init(&a, &t, 5);
    int before = srv.nreq;
    assert_int_equal(kube_get(&a, "/api/v1/namespaces/kube-system", &body,
                              4096, &status, err, sizeof err), ENOENT);
    buf_free(&body);
    assert_int_equal(status, 404);
    assert_int_equal(srv.nreq, before + 1);
    assert_string_equal(last_req("GET")->path,
                        "http://apiserver.dockerfs-test.invalid:6443"
                        "/api/v1/namespaces/kube-system");
    kube_api_free(&a);
}

/* Clusters as members: named by NAME=, else after their context (a
 * context that is no engine name: exit 2 for --kube, "default" for
 * --kubeconfig); a cluster beside a Docker engine. */
static void members(void **state)
{
    (void)state;
    struct backend_env env;
    struct fleet f;
    struct options o;
    char err[512], spec[256], spec2[256];

    memset(&env, 0, sizeof env);
    env.docker.home = "/nonexistent";
    env.kube.home = "/nonexistent";
    snprintf(spec, sizeof spec, "%s", kubeconfig);
    snprintf(spec2, sizeof spec2, "k2=%s:arn:aws:eks:r:1:cluster/x",
             kubeconfig);
    char *argv[] = { "dockerfs", "/m", "--kube", spec, "-H",
                     "d=unix:///d.sock", NULL };
    assert_int_equal(opts_parse(&o, 6, argv, err, sizeof err), 0);
    assert_int_equal(fleet_init(&f, members_room(&o), err, sizeof err), 0);
    assert_int_equal(members_add(&f, &o, &env, err, sizeof err), 0);
    assert_int_equal(f.n, 2);
    assert_string_equal(f.m[0].name, "fake");
    assert_string_equal(f.m[0].be.ops->kind, "kubernetes");
    assert_string_equal(f.m[1].name, "d");
    struct backend_about a;
    member_about(&f.m[0], &a);
    assert_string_equal(a.things, "pods");
    assert_string_equal(a.context, "fake");
    fleet_free(&f);
    opts_free(&o);

    /* A context with ':' and '/' in it: NAME= is needed. */
    char *argv2[] = { "dockerfs", "/m", "--kube", spec2, NULL };
    assert_int_equal(opts_parse(&o, 4, argv2, err, sizeof err), 0);
    assert_int_equal(fleet_init(&f, members_room(&o), err, sizeof err), 0);
    assert_int_equal(members_add(&f, &o, &env, err, sizeof err), 0);
    assert_string_equal(f.m[0].name, "k2");
    fleet_free(&f);
    opts_free(&o);
    snprintf(spec2, sizeof spec2, "%s:arn:aws:eks:r:1:cluster/x", kubeconfig);
    assert_int_equal(opts_parse(&o, 4, argv2, err, sizeof err), 0);
    assert_int_equal(fleet_init(&f, members_room(&o), err, sizeof err), 0);
    assert_int_equal(members_add(&f, &o, &env, err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "give --kube NAME="));
    fleet_free(&f);
    opts_free(&o);
    char *argv3[] = { "dockerfs", "/m", "--kubeconfig", kubeconfig,
                      "--kube-context", "arn:aws:eks:r:1:cluster/x", NULL };
    assert_int_equal(opts_parse(&o, 6, argv3, err, sizeof err), 0);
    assert_int_equal(fleet_init(&f, members_room(&o), err, sizeof err), 0);
    assert_int_equal(members_add(&f, &o, &env, err, sizeof err), 0);
    assert_string_equal(f.m[0].name, ENGINE_NAME_DEFAULT);
    fleet_free(&f);
    opts_free(&o);
    /* One cluster twice: refused, as one engine twice. */
    snprintf(spec2, sizeof spec2, "two=%s", kubeconfig);
    char *argv4[] = { "dockerfs", "/m", "--kube", spec, "--kube", spec2,
                      NULL };
    assert_int_equal(opts_parse(&o, 6, argv4, err, sizeof err), 0);
    assert_int_equal(fleet_init(&f, members_room(&o), err, sizeof err), 0);
    assert_int_equal(members_add(&f, &o, &env, err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "listed twice"));
    fleet_free(&f);
    opts_free(&o);
    /* A missing kubeconfig: one line naming it. */
    char *argv5[] = { "dockerfs", "/m", "--kubeconfig", "/nonexistent/k",
                      NULL };
    assert_int_equal(opts_parse(&o, 4, argv5, err, sizeof err), 0);
    assert_int_equal(fleet_init(&f, members_room(&o), err, sizeof err), 0);
    assert_int_equal(members_add(&f, &o, &env, err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "/nonexistent/k"));
    fleet_free(&f);
    opts_free(&o);
}

/* In a pod (in-cluster credentials) dockerfs never kills its own pod:
 * the one named by its host name in its service account's namespace;
 * refused before any request. */
static void own_pod(void **state)
{
    (void)state;
    struct kube_env env = { .home = "/nonexistent",
                            .service_host = "127.0.0.1",
                            .service_port = "1" };
    char sa[160], path[200], host[256], err[256], image_id[8];
    struct backend be;
    struct options o;
    struct follow out;
    struct container c, now;
    const char *ctx;
    FILE *f;

    snprintf(sa, sizeof sa, "%s/sa", dir);
    mkdir(sa, 0700);
    snprintf(path, sizeof path, "%s/token", sa);
    assert_non_null(f = fopen(path, "w"));
    fputs("t\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/ca.crt", sa);
    assert_non_null(f = fopen(path, "w"));
    fputs(TEST_CERT, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/namespace", sa);
    assert_non_null(f = fopen(path, "w"));
    fputs("ops\n", f);
    fclose(f);
    env.sa_dir = sa;
    assert_int_equal(backend_kube_new(&be, NULL, NULL, NULL, 0, &env, &ctx,
                                      err, sizeof err), 0);
    assert_string_equal(ctx, "in-cluster");
    memset(&o, 0, sizeof o);
    o.timeout = 1;
    o.grace_period = -1;
    memset(&out, 0, sizeof out);
    be.ops->wire(be.impl, &out, &o);
    assert_int_equal(gethostname(host, sizeof host), 0);
    assert_int_equal(container_set(&c, "aaaaaaaa000040008000000000000001",
                                   host, "img", "running", 0, NULL, 0), 0);
    assert_int_equal(container_set_ns(&c, "ops"), 0);
    assert_int_equal(be.ops->inspect(be.impl, &c, &now, image_id,
                                     sizeof image_id, err, sizeof err), EPERM);
    assert_non_null(strstr(err, "dockerfs's own"));
    /* Its name in another namespace is another pod: asked (and the
     * server at port 1 does not answer). */
    assert_int_equal(container_set_ns(&c, "shop"), 0);
    assert_int_equal(be.ops->inspect(be.impl, &c, &now, image_id,
                                     sizeof image_id, err, sizeof err), EIO);
    be.ops->destroy(be.impl);

    /* POD_NAME and POD_NAMESPACE (the downward API) name it rather than
     * the host name, which a pod's spec.hostname may have changed. */
    env.pod_name = "dockerfs-0";
    env.pod_namespace = "games";
    assert_int_equal(backend_kube_new(&be, NULL, NULL, NULL, 0, &env, &ctx,
                                      err, sizeof err), 0);
    be.ops->wire(be.impl, &out, &o);
    container_clear(&c);
    assert_int_equal(container_set(&c, "aaaaaaaa000040008000000000000001",
                                   "dockerfs-0", "img", "running", 0, NULL,
                                   0), 0);
    assert_int_equal(container_set_ns(&c, "games"), 0);
    assert_int_equal(be.ops->inspect(be.impl, &c, &now, image_id,
                                     sizeof image_id, err, sizeof err), EPERM);
    assert_non_null(strstr(err, "dockerfs's own"));
    container_clear(&c);
    assert_int_equal(container_set(&c, "aaaaaaaa000040008000000000000001",
                                   host, "img", "running", 0, NULL, 0), 0);
    assert_int_equal(container_set_ns(&c, "ops"), 0);
    assert_int_equal(be.ops->inspect(be.impl, &c, &now, image_id,
                                     sizeof image_id, err, sizeof err), EIO);
    container_clear(&c);
    be.ops->destroy(be.impl);
}

static int own_new(void)
{
    const struct container *c;
    int own;
    table_rdlock(tab);
    c = table_by_short_id(tab, "dddddddd0000", NULL);
    own = c && c->own;
    table_unlock(tab);
    return own;
}

/* The rows of our own pod (here by POD_UID) are marked in the table as
 * they are listed and watched: its protected file says 1 and the kill
 * path refuses it as listed (protect_check); the other pods are not. */
static void own_pod_rows(void **state)
{
    (void)state;
    struct kube_env env = { .home = "/nonexistent", .sa_dir = "/nonexistent",
                            .pod_uid = UID_NEW };
    struct options o;
    struct backend be;
    struct follow out;
    char err[256];
    const struct container *c;

    memset(&o, 0, sizeof o);
    o.timeout = 5;
    o.grace_period = -1;
    assert_int_equal(backend_kube_new(&be, kubeconfig, NULL, NULL, 0, &env,
                                      NULL, err, sizeof err), 0);
    assert_non_null(tab = table_new());
    memset(&out, 0, sizeof out);
    out.table = tab;
    be.ops->wire(be.impl, &out, &o);
    assert_int_equal(be.ops->list(be.impl, err, sizeof err), 0);
    table_rdlock(tab);
    c = table_by_short_id(tab, "aaaaaaaa0000", NULL);
    assert_non_null(c);
    assert_int_equal(c->own, 0);
    assert_int_equal(protect_check(NULL, c, NULL, ""), 0);
    table_unlock(tab);
    /* The watch brings our pod. */
    srv.watches = 0;
    assert_int_equal(be.ops->start(be.impl), 0);
    assert_true(wait_for(own_new));
    be.ops->stop(be.impl);
    table_rdlock(tab);
    c = table_by_short_id(tab, "dddddddd0000", NULL);
    assert_int_equal(protect_check(NULL, c, NULL, ""), EPERM);
    table_unlock(tab);
    be.ops->destroy(be.impl);
    table_free(tab);
    tab = NULL;

    /* Listed: the same (POD_UID of pod a). */
    env.pod_uid = UID_A;
    assert_int_equal(backend_kube_new(&be, kubeconfig, NULL, NULL, 0, &env,
                                      NULL, err, sizeof err), 0);
    assert_non_null(tab = table_new());
    out.table = tab;
    be.ops->wire(be.impl, &out, &o);
    assert_int_equal(be.ops->list(be.impl, err, sizeof err), 0);
    table_rdlock(tab);
    c = table_by_short_id(tab, "aaaaaaaa0000", NULL);
    assert_non_null(c);
    assert_int_equal(c->own, 1);
    assert_int_equal(protect_check(NULL, c, NULL, ""), EPERM);
    assert_int_equal(table_by_short_id(tab, "bbbbbbbb0000", NULL)->own, 0);
    table_unlock(tab);
    /* Its refusal names it escaped: a name is no way into the log. */
    struct container forged, now;
    char image_id[8];
    assert_int_equal(container_set(&forged, "aaaaaaaa000040008000000000000001",
                                   "a\nkill id=x result=ok", "img",
                                   "running", 0, NULL, 0), 0);
    assert_int_equal(container_set_ns(&forged, "sh\x1bop"), 0);
    assert_int_equal(be.ops->inspect(be.impl, &forged, &now, image_id,
                                     sizeof image_id, err, sizeof err), EPERM);
    assert_null(strchr(err, '\n'));
    assert_null(strchr(err, '\x1b'));
    assert_non_null(strstr(err, "sh\\x1bop/a\\nkill id=x"));
    container_clear(&forged);
    be.ops->destroy(be.impl);
    table_free(tab);
    tab = NULL;

    /* A POD_UID that is no uid: a one-line usage error. */
    env.pod_uid = "web-0";
    assert_int_equal(backend_kube_new(&be, kubeconfig, NULL, NULL, 0, &env,
                                      NULL, err, sizeof err), EINVAL);
    assert_non_null(strstr(err, "POD_UID 'web-0'"));
}

/* --namespace: that namespace's path; an empty one lists nothing (and
 * an empty page is no special case). */
static void one_namespace(void **state)
{
    (void)state;
    struct kube_env env = { .home = "/nonexistent", .sa_dir = "/nonexistent" };
    const char *const nss[] = { "empty" };
    struct options o;
    struct backend be;
    struct follow out;
    struct table *t;
    char err[256];

    memset(&o, 0, sizeof o);
    o.timeout = 5;
    o.grace_period = -1;
    o.all = 1;
    assert_int_equal(backend_kube_new(&be, kubeconfig, NULL, nss, 1, &env,
                                      NULL, err, sizeof err), 0);
    assert_non_null(t = table_new());
    memset(&out, 0, sizeof out);
    out.table = t;
    be.ops->wire(be.impl, &out, &o);
    assert_int_equal(be.ops->list(be.impl, err, sizeof err), 0);
    assert_int_equal(table_count(t), 0);
    const struct req *r = last_req("GET");
    assert_non_null(strstr(r->path, "/api/v1/namespaces/empty/pods?limit="));
    assert_null(strstr(r->path, "fieldSelector"));    /* --all */
    be.ops->destroy(be.impl);
    table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_namespace),
        cmocka_unit_test(own_pod),
        cmocka_unit_test(members),
        cmocka_unit_test(errnos),
        cmocka_unit_test(pod_paths),
        cmocka_unit_test(backend),
        cmocka_unit_test(own_pod_rows),
        cmocka_unit_test(credentials),
        cmocka_unit_test(proxy),
    };
    /* The fake apiserver writes to sockets dockerfs's side may have
     * closed (a watch stopped, a timeout): EPIPE, not a SIGPIPE that
     * ends the suite without a word (dockerfs itself ignores SIGPIPE
     * through libfuse's signal handlers). */
    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests_name("kube", tests, setup, teardown);
}
