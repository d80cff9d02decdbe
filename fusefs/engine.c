/* SPDX-License-Identifier: GPL-2.0-or-later */
/* engine.c - talks to the Docker Engine API with libcurl. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "engine.h"
#include "escape.h"
#include "parse.h"
#include "skipped.h"

/* Error bodies are short; a longer one is cut. */
#define MAX_ERROR_BODY (64u << 10)

void engine_init(struct engine *e, const struct host *host, double timeout_s)
{
    e->host = host;
    e->timeout_ms = (long)(timeout_s * 1000.0);
    if (e->timeout_ms < 100)
        e->timeout_ms = 100;
}

CURL *engine_handle(const struct engine *e, const char *path)
{
    struct buf url;
    CURL *h = curl_easy_init();

    if (!h)
        return NULL;
    buf_init(&url, 0);
    if (buf_printf(&url, "%s%s%s", e->host->url_base, ENGINE_API, path) != 0) {
        curl_easy_cleanup(h);
        return NULL;
    }
    curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
    buf_free(&url);
    if (e->host->unix_path)
        curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, e->host->unix_path);
    if (e->host->tls) {
        /* A context may leave out the CA (system CAs) or the client
         * certificate; DOCKER_CERT_PATH always gives all three. */
        if (e->host->ca)
            curl_easy_setopt(h, CURLOPT_CAINFO, e->host->ca);
        if (e->host->cert)
            curl_easy_setopt(h, CURLOPT_SSLCERT, e->host->cert);
        if (e->host->key)
            curl_easy_setopt(h, CURLOPT_SSLKEY, e->host->key);
        if (e->host->insecure) {
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
        }
    }
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "dockerfs/" DOCKERFS_VERSION);
    return h;
}

/* Keeps what fits of a body: an error body's first bytes still say what
 * went wrong, and an answer cut so is told by its size. */
static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    size_t room = buf_room(arg);

    buf_add(arg, data, size * n < room ? size * n : room);
    return size * n;
}

/* A list answer streams into the parser; anything else is an error body. */
struct list_sink {
    CURL *h;
    long status;
    struct list_parser parser;
    struct buf errbody;
};

static size_t list_write(char *data, size_t size, size_t n, void *arg)
{
    struct list_sink *s = arg;

    if (!s->status)
        curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &s->status);
    if (s->status != 200)
        return collect(data, size, n, &s->errbody);
    /* A parse error ends the transfer: the list is useless anyway. */
    return list_parser_feed(&s->parser, data, size * n) == 0 ? size * n : 0;
}

/* Performs h, handing the body to write(arg). Returns 0 with *status
 * set, or the transport errno with a reason in err. */
static int perform(const struct engine *e, CURL *h, curl_write_callback write,
                   void *arg, long *status, char *err, size_t errlen)
{
    char curlerr[CURL_ERROR_SIZE] = "";
    CURLcode rc;

    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, arg);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curlerr);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, e->timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     e->timeout_ms < 5000 ? e->timeout_ms : 5000L);
    rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        long os_errno = 0;
        curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
        /* curl speaks of "localhost port 80" even for a socket path. */
        if (rc == CURLE_COULDNT_CONNECT && e->host->unix_path && os_errno)
            snprintf(err, errlen, "cannot connect to %s: %s",
                     e->host->unix_path, strerror((int)os_errno));
        else
            snprintf(err, errlen, "%s", curlerr[0] ? curlerr : curl_easy_strerror(rc));
        return engine_transport_errno(rc);
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    return 0;
}

void engine_answer_reason(long status, const char *body, size_t len,
                          char *err, size_t errlen)
{
    char msg[256], safe[256];

    parse_error_message(body, len, msg, sizeof msg);
    escape_text_to(safe, sizeof safe, msg);
    snprintf(err, errlen, "engine answered %ld: %s", status, safe);
}

int engine_kill_errno(long status)
{
    if ((status >= 200 && status < 300) || status == 304)
        return 0;
    switch (status) {
    case 404: return ENOENT;
    case 409: return EBUSY;
    case 403: return EPERM;
    default:  return EIO;
    }
}

int engine_transport_errno(CURLcode rc)
{
    return rc == CURLE_OPERATION_TIMEDOUT ? ETIMEDOUT : EIO;
}

int engine_list(const struct engine *e, int all, const char *filters,
                struct container **out, size_t *n, char *err, size_t errlen)
{
    struct buf path;
    struct list_sink sink;
    long status = 0;
    int rc;

    *out = NULL;
    *n = 0;
    buf_init(&path, 0);
    int bad = buf_printf(&path, "/containers/json?all=%d", all ? 1 : 0) != 0;
    if (!bad && filters) {
        char *q = curl_easy_escape(NULL, filters, 0);
        bad = !q || buf_printf(&path, "&filters=%s", q) != 0;
        curl_free(q);
    }
    memset(&sink, 0, sizeof sink);
    if (bad || !(sink.h = engine_handle(e, buf_str(&path)))) {
        snprintf(err, errlen, "out of memory");
        buf_free(&path);
        return ENOMEM;
    }
    list_parser_init(&sink.parser);
    sink.parser.on_skip = skipped_log;
    buf_init(&sink.errbody, MAX_ERROR_BODY);
    rc = perform(e, sink.h, list_write, &sink, &status, err, errlen);
    if (sink.status == 200 && sink.parser.capped) {
        /* Cut at one engine's share: what was kept is listed. */
        rc = list_parser_finish(&sink.parser, out, n);
        snprintf(err, errlen, "it lists more than the %d containers (or "
                 "%u MiB of their names, images and labels) one engine may "
                 "show: %zu are shown, the rest left out",
                 ENGINE_CONTAINERS_MAX, ENGINE_BYTES_MAX >> 20, *n);
    } else if (rc != 0 && sink.status == 200 && sink.parser.err) {
        /* The transfer was cut short by the parser, not the network. */
        snprintf(err, errlen, "engine sent a container list that is not JSON");
        rc = sink.parser.err == ENOMEM ? ENOMEM : EIO;
    } else if (rc == 0 && status != 200) {
        engine_answer_reason(status, buf_str(&sink.errbody), sink.errbody.len,
                             err, errlen);
        /* 400 on a list can only be our filters, when there are any. */
        rc = status == 400 && filters ? EINVAL : EIO;
    } else if (rc == 0 && list_parser_finish(&sink.parser, out, n) != 0) {
        snprintf(err, errlen, "engine sent a container list that is not JSON");
        rc = EIO;
    }
    list_parser_free(&sink.parser);
    buf_free(&sink.errbody);
    curl_easy_cleanup(sink.h);
    buf_free(&path);
    return rc;
}

/* An inspect body, cut down by jtrim, over this is not a container. */
#define MAX_INSPECT_BODY (1u << 20)

/* An inspect answer streams through jtrim, cut down to what
 * parse_inspect reads as it arrives; anything else is an error body. */
struct inspect_sink {
    CURL *h;
    long status;
    struct jtrim trim;
    struct buf body;            /* the record cut down, or the error body */
};

static size_t inspect_write(char *data, size_t size, size_t n, void *arg)
{
    struct inspect_sink *s = arg;

    if (!s->status)
        curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &s->status);
    if (s->status != 200)
        return collect(data, size, n, &s->body);
    /* Read to its end whatever its size: memory stays bounded. */
    jtrim_feed(&s->trim, data, size * n);
    return size * n;
}

int engine_inspect(const struct engine *e, const char *id, struct container *c,
                   struct inspect_info *info, char *err, size_t errlen)
{
    char path[128];
    struct inspect_sink sink;
    long status = 0;
    int rc;
    CURL *h;

    memset(c, 0, sizeof *c);
    if (!id || strlen(id) != ID_LEN || !id_is_hex(id, ID_LEN)) {
        snprintf(err, errlen, "not a container id");
        return EINVAL;
    }
    snprintf(path, sizeof path, "/containers/%s/json", id);
    if (!(h = engine_handle(e, path))) {
        snprintf(err, errlen, "out of memory");
        return ENOMEM;
    }
    memset(&sink, 0, sizeof sink);
    sink.h = h;
    buf_init(&sink.body, MAX_INSPECT_BODY);
    jtrim_init(&sink.trim, &sink.body, INSPECT_KEEP, INSPECT_DESCEND,
               INSPECT_INNER, LABELS_KEPT_MAX);
    rc = perform(e, h, inspect_write, &sink, &status, err, errlen);
    if (rc == 0 && status == 200) {
        /* One unreadable record is that container's problem, not the
         * engine's: said once (skipped_log), and EBADMSG. */
        if (sink.trim.err) {
            snprintf(err, errlen, "out of memory");
            rc = ENOMEM;
        } else if (sink.trim.full) {
            snprintf(err, errlen, "its record is over 1 MiB");
            rc = EBADMSG;
        } else if ((rc = parse_inspect(sink.body.data, sink.body.len, c,
                                       info)) == EINVAL) {
            snprintf(err, errlen, "its record is not JSON");
            rc = EBADMSG;
        } else if (rc) {
            snprintf(err, errlen, "out of memory");
        } else {
            c->labels_cut = sink.trim.cut;
        }
        if (rc == EBADMSG)
            skipped_log(NULL, id, err);
    } else if (rc == 0) {
        engine_answer_reason(status, buf_str(&sink.body), sink.body.len, err,
                             errlen);
        rc = status == 404 ? ENOENT : EPROTO;
    }
    curl_easy_cleanup(h);
    buf_free(&sink.body);
    return rc;
}

/* A /info body is a few KiB; a cut one is not parsed. */
#define MAX_INFO_BODY (1u << 20)

int engine_info_id(const struct engine *e, char *id, size_t idlen,
                   char *err, size_t errlen)
{
    struct buf body;
    long status = 0;
    int rc;
    CURL *h;

    if (idlen)
        id[0] = '\0';
    if (!(h = engine_handle(e, "/info"))) {
        snprintf(err, errlen, "out of memory");
        return ENOMEM;
    }
    buf_init(&body, MAX_INFO_BODY);
    rc = perform(e, h, collect, &body, &status, err, errlen);
    if (rc == 0 && status == 200) {
        curl_off_t got = 0;
        curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &got);
        if ((size_t)got > body.len ||
            parse_info_id(body.data, body.len, id, idlen) != 0) {
            snprintf(err, errlen, "engine sent no usable ID in GET /info");
            rc = EBADMSG;
        }
    } else if (rc == 0) {
        engine_answer_reason(status, buf_str(&body), body.len, err, errlen);
        rc = EPROTO;
    }
    curl_easy_cleanup(h);
    buf_free(&body);
    return rc;
}

int engine_get(const struct engine *e, const char *path, struct buf *body,
               size_t max, char *err, size_t errlen)
{
    long status = 0;
    int rc;
    CURL *h;

    /* Started first: the caller frees it whatever the result. */
    buf_init(body, max);
    if (!(h = engine_handle(e, path))) {
        snprintf(err, errlen, "out of memory");
        return ENOMEM;
    }
    rc = perform(e, h, collect, body, &status, err, errlen);
    if (rc == 0 && status == 200) {
        curl_off_t got = 0;
        curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &got);
        if ((size_t)got > body->len) {
            snprintf(err, errlen, "GET %s: the answer is over %zu bytes",
                     path, max);
            rc = EMSGSIZE;
        }
    } else if (rc == 0) {
        engine_answer_reason(status, buf_str(body), body->len, err, errlen);
        rc = EPROTO;
    }
    curl_easy_cleanup(h);
    return rc;
}

CURL *engine_events_handle(const struct engine *e, long long since)
{
    char path[256];
    char *q = curl_easy_escape(NULL, "{\"type\":[\"container\",\"image\"]}",
                                0);

    if (!q)
        return NULL;
    snprintf(path, sizeof path, "/events?since=%lld&filters=%s", since, q);
    curl_free(q);
    return engine_handle(e, path);
}

int engine_kill(const struct engine *e, const char *id, enum kill_action a,
                char *err, size_t errlen)
{
    char path[160];
    struct buf body;
    long status = 0;
    int rc;
    CURL *h;

    /* Only ids from the table get here, but a URL is no place to trust. */
    if (strlen(id) != ID_LEN || !id_is_hex(id, ID_LEN)) {
        snprintf(err, errlen, "not a container id");
        return EINVAL;
    }
    switch (a) {
    case KILL_KILL:
        snprintf(path, sizeof path, "/containers/%s/kill", id);
        break;
    case KILL_STOP:
        /* Leave the engine time to answer before our own deadline. */
        snprintf(path, sizeof path, "/containers/%s/stop?t=%ld", id,
                 e->timeout_ms / 2000);
        break;
    default:
        snprintf(path, sizeof path, "/containers/%s?force=1", id);
        break;
    }
    if (!(h = engine_handle(e, path))) {
        snprintf(err, errlen, "out of memory");
        return ENOMEM;
    }
    if (a == KILL_RM) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
    } else {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
    }
    buf_init(&body, MAX_ERROR_BODY);
    rc = perform(e, h, collect, &body, &status, err, errlen);
    if (rc == 0) {
        rc = engine_kill_errno(status);
        if (rc != 0) {
            engine_answer_reason(status, buf_str(&body), body.len, err, errlen);
        } else {
            snprintf(err, errlen, "engine answered %ld", status);
        }
    }
    curl_easy_cleanup(h);
    buf_free(&body);
    return rc;
}
